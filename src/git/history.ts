/**
 * The per-file and per-author state replayed through a repository's history, and the
 * change metrics of one commit computed from it. Memory grows with the number of
 * files and authors, never with the number of commits. Line counts of files (`lt`) come
 * from blob ids (blob-lines.ts), not from this state.
 */
import { isFixMessage } from './fix.js';
import type { PathFilter } from './ignore.js';
import { RecencyCounter, type RecencySnapshot } from './recency.js';

const DAY = 86_400;
const MAX_REVIEWERS = 2;

/** Someone who changed the touched files before, suggested as a reviewer. */
export interface Reviewer {
  name: string;
  email: string;
  /** Their latest change (unix seconds) to any of the commit's files. */
  lastChange: number;
  /** How many of the commit's files they have changed. */
  files: number;
}

export interface CommitMetrics {
  commit: string;
  author: string;
  email: string;
  /** Author time, unix seconds. */
  date: number;
  subject: string;
  ns: number;
  nd: number;
  nf: number;
  entropy: number;
  la: number;
  ld: number;
  lt: number;
  fix: number;
  ndev: number;
  age: number;
  nuc: number;
  exp: number;
  rexp: number;
  sexp: number;
  /** Touched paths (after the commit, ignored paths left out), in git's order. */
  files: string[];
  /** Up to two people, not the author, who most recently changed the touched files. */
  reviewers: Reviewer[];
  /** 1 for a merge commit: its metrics describe the lines it added or deleted on its own (in none of its parents). The miner always sets it; absent = 0. */
  merge?: number;
  /** Lines added plus deleted in ignored paths (left out of every metric above). The miner always sets it; absent = 0. */
  ignoredLines?: number;
  /**
   * Only when the miner was asked for parts (range commits, see split.ts) and the commit's files fall into two or more
   * directories: the metrics each directory's files would have had as a commit of their own at the same point.
   */
  parts?: CommitPart[];
}

/** One directory's share of a commit, with the metrics it would have had as a commit of its own. */
export interface CommitPart {
  /** The directory ("" for files at the repository root). */
  directory: string;
  metrics: CommitMetrics;
}

/** What the state needs to know about a commit besides its files. */
export interface CommitInfo {
  hash: string;
  authorName: string;
  authorEmail: string;
  /** Author time, unix seconds. */
  time: number;
  subject: string;
  body: string;
  merge: boolean;
}

/** One touched file as the state sees it. */
export interface ChangedFile {
  /** Path after the commit (the deleted path for a deletion). */
  path: string;
  /** Path before the commit when git detected a rename. */
  oldPath?: string;
  /** Lines added/deleted; null for binary files. */
  added: number | null;
  deleted: number | null;
  /** The commit creates the path: a new lineage starts even if an old one is recorded there. */
  created: boolean;
  removed: boolean;
  /** Lines of the file in the commit's first parent (0 when created or binary). */
  oldLines: number;
}

/** HistoryState as plain JSON data; authors are referred to by their position in `authors`. */
export interface HistorySnapshot {
  /** [key, name, email, fileChanges, recency, [subsystem, distinct files][]] */
  authors: [string, string, string, number, RecencySnapshot, [string, number][]][];
  /** [path, changes, last change, counted (0/1), [author position, time of their latest change][]] */
  files: [string, number, number, number, [number, number][]][];
}

interface Candidate {
  last: number;
  files: number;
}

interface FileState {
  changes: number;
  last: number;
  /** author key -> time of their latest change to this file */
  authors: Map<string, number>;
  /** false while the path is ignored (the lineage is tracked so a rename out of an ignored path keeps its lines) */
  counted: boolean;
}

interface AuthorState {
  name: string;
  email: string;
  fileChanges: number;
  recency: RecencyCounter;
  /** subsystem -> distinct counted files this author has changed there */
  subsystemFiles: Map<string, number>;
}

/** Top-level directory; files at the repository root form the subsystem "". */
export function subsystemOf(path: string): string {
  const slash = path.indexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

/** Parent directory; "" for files at the root. */
export function directoryOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

/** Shannon entropy (bits) of the distribution of changed lines over files; files with no changed lines are skipped. */
export function changeEntropy(churn: readonly number[]): number {
  let total = 0;
  for (const c of churn) total += c;
  if (total === 0) return 0;
  let h = 0;
  for (const c of churn) {
    if (c > 0) {
      const p = c / total;
      h -= p * Math.log2(p);
    }
  }
  return h;
}

/** Authors are identified by e-mail as recorded in the commit (no .mailmap), case-insensitively; by name when there is no e-mail. */
export function authorKey(name: string, email: string): string {
  const e = email.trim().toLowerCase();
  return e === '' ? `name:${name}` : e;
}

export class HistoryState {
  private readonly files = new Map<string, FileState>();
  private readonly authors = new Map<string, AuthorState>();

  constructor(private readonly ignored: PathFilter) {}

  /** Compute the commit's metrics from the state before it, then fold the commit into the state. */
  apply(c: CommitInfo, changes: readonly ChangedFile[]): CommitMetrics {
    const now = c.time;
    const key = authorKey(c.authorName, c.authorEmail);
    let author = this.authors.get(key);
    if (!author) {
      author = { name: c.authorName, email: c.authorEmail, fileChanges: 0, recency: new RecencyCounter(), subsystemFiles: new Map() };
      this.authors.set(key, author);
    }
    author.name = c.authorName;

    const subsystems = new Set<string>();
    const directories = new Set<string>();
    const files: string[] = [];
    const churn: number[] = [];
    const candidates = new Map<string, Candidate>();
    let la = 0;
    let ld = 0;
    let lt = 0;
    let nuc = 0;
    let ageDays = 0;
    let ignoredLines = 0;

    for (const fc of changes) {
      const from = fc.oldPath ?? fc.path;
      // A "create" starts a new lineage even if an old one is still recorded at that path.
      let state = fc.oldPath === undefined && fc.created ? undefined : this.files.get(from);
      if (state && fc.oldPath !== undefined) this.files.delete(from);
      const counted = !this.ignored(fc.path);
      const added = fc.added ?? 0;
      const removed = fc.deleted ?? 0;

      if (counted) {
        const sub = subsystemOf(fc.path);
        subsystems.add(sub);
        directories.add(directoryOf(fc.path));
        files.push(fc.path);
        la += added;
        ld += removed;
        lt += fc.oldLines;
        churn.push(added + removed);
        if (state) {
          nuc += state.changes + 1;
          ageDays += Math.max(0, now - state.last) / DAY;
          for (const [dev, last] of state.authors) {
            if (dev === key) continue;
            const seen = candidates.get(dev);
            if (seen) {
              seen.last = Math.max(seen.last, last);
              seen.files += 1;
            } else candidates.set(dev, { last, files: 1 });
          }
        } else nuc += 1;
      } else ignoredLines += added + removed;

      if (state) {
        this.moveSubsystemCounts(state, from, fc.path, counted);
      } else {
        state = { changes: 0, last: now, authors: new Map(), counted };
      }
      state.changes += 1;
      state.last = now;
      if (counted && !state.authors.has(key)) bump(author.subsystemFiles, subsystemOf(fc.path), 1);
      state.authors.set(key, now);
      if (fc.removed) this.files.delete(fc.path);
      else this.files.set(fc.path, state);
    }

    const nf = files.length;
    const rexp = author.recency.weight(now) + nf;
    author.recency.add(now, nf);
    author.fileChanges += nf;
    let sexp = 0;
    for (const sub of subsystems) sexp += author.subsystemFiles.get(sub) ?? 0;

    return {
      commit: c.hash,
      author: c.authorName,
      email: c.authorEmail,
      date: now,
      subject: c.subject,
      ns: subsystems.size,
      nd: directories.size,
      nf,
      entropy: changeEntropy(churn),
      la,
      ld,
      lt,
      fix: isFixMessage(c.body === '' ? c.subject : `${c.subject}\n${c.body}`) ? 1 : 0,
      // Everyone else who changed a touched file, plus the author (as in the training data).
      ndev: nf === 0 ? 0 : candidates.size + 1,
      age: nf === 0 ? 0 : ageDays / nf,
      nuc,
      exp: author.fileChanges,
      rexp,
      sexp,
      files,
      reviewers: this.pickReviewers(candidates),
      merge: c.merge ? 1 : 0,
      ignoredLines
    };
  }

  /** Is the path counted in the metrics (not ignored)? */
  counts(path: string): boolean {
    return !this.ignored(path);
  }

  /**
   * The metrics apply(c, changes) would return, leaving this state as it is: the slice of the state the commit reads
   * (its files' lineages, their authors, the commit's author) is copied into a scratch state and the commit applied
   * there, so the result is by construction what apply computes. Costs the size of that slice, not of the state.
   */
  preview(c: CommitInfo, changes: readonly ChangedFile[]): CommitMetrics {
    const scratch = new HistoryState(this.ignored);
    const copyAuthor = (key: string): void => {
      const a = this.authors.get(key);
      if (!a || scratch.authors.has(key)) return;
      scratch.authors.set(key, {
        name: a.name,
        email: a.email,
        fileChanges: a.fileChanges,
        recency: RecencyCounter.restore(a.recency.snapshot()),
        subsystemFiles: new Map(a.subsystemFiles)
      });
    };
    copyAuthor(authorKey(c.authorName, c.authorEmail));
    for (const fc of changes) {
      for (const path of fc.oldPath === undefined ? [fc.path] : [fc.oldPath, fc.path]) {
        const file = this.files.get(path);
        if (!file || scratch.files.has(path)) continue;
        scratch.files.set(path, { changes: file.changes, last: file.last, counted: file.counted, authors: new Map(file.authors) });
        for (const dev of file.authors.keys()) copyAuthor(dev);
      }
    }
    return scratch.apply(c, changes);
  }

  /** The state as plain data (the history cache); maps keep their order, so a restored state behaves identically. */
  snapshot(): HistorySnapshot {
    const index = new Map<string, number>();
    const authors: HistorySnapshot['authors'] = [];
    for (const [key, a] of this.authors) {
      index.set(key, authors.length);
      authors.push([key, a.name, a.email, a.fileChanges, a.recency.snapshot(), [...a.subsystemFiles]]);
    }
    const files: HistorySnapshot['files'] = [];
    for (const [path, f] of this.files) {
      files.push([path, f.changes, f.last, f.counted ? 1 : 0, [...f.authors].map(([key, time]) => [index.get(key)!, time])]);
    }
    return { authors, files };
  }

  /** Rebuild a state from snapshot(); throws on data that is not one. */
  static restore(ignored: PathFilter, s: HistorySnapshot): HistoryState {
    const state = new HistoryState(ignored);
    const keys: string[] = [];
    for (const [key, name, email, fileChanges, recency, subsystems] of s.authors) {
      keys.push(key);
      state.authors.set(key, {
        name,
        email,
        fileChanges,
        recency: RecencyCounter.restore(recency),
        subsystemFiles: new Map(subsystems)
      });
    }
    for (const [path, changes, last, counted, authors] of s.files) {
      const byAuthor = new Map<string, number>();
      for (const [i, time] of authors) {
        const key = keys[i];
        if (key === undefined) throw new Error(`history snapshot: file "${path}" names author #${i}, which does not exist`);
        byAuthor.set(key, time);
      }
      state.files.set(path, { changes, last, counted: counted === 1, authors: byAuthor });
    }
    return state;
  }

  /** Keep per-author subsystem file counts right when a lineage moves subsystem or in/out of the ignored set. */
  private moveSubsystemCounts(state: FileState, from: string, to: string, counted: boolean): void {
    const oldSub = subsystemOf(from);
    const newSub = subsystemOf(to);
    if (state.counted === counted && (oldSub === newSub || !counted)) return;
    for (const dev of state.authors.keys()) {
      const a = this.authors.get(dev);
      if (!a) continue;
      if (state.counted) bump(a.subsystemFiles, oldSub, -1);
      if (counted) bump(a.subsystemFiles, newSub, 1);
    }
    state.counted = counted;
  }

  /** Top two by latest change, then by files shared, then by name; a linear scan (candidates can be many). */
  private pickReviewers(candidates: Map<string, Candidate>): Reviewer[] {
    const top: [string, Candidate][] = [];
    for (const entry of candidates) {
      let i = top.length;
      while (i > 0 && this.ranksBefore(entry, top[i - 1]!)) i--;
      if (i < MAX_REVIEWERS) {
        top.splice(i, 0, entry);
        if (top.length > MAX_REVIEWERS) top.pop();
      }
    }
    return top.map(([dev, c]) => {
      const a = this.authors.get(dev)!;
      return { name: a.name, email: a.email, lastChange: c.last, files: c.files };
    });
  }

  private ranksBefore([xDev, x]: [string, Candidate], [yDev, y]: [string, Candidate]): boolean {
    if (x.last !== y.last) return x.last > y.last;
    if (x.files !== y.files) return x.files > y.files;
    return this.authors.get(xDev)!.name < this.authors.get(yDev)!.name;
  }
}

function bump(map: Map<string, number>, key: string, by: number): void {
  const next = (map.get(key) ?? 0) + by;
  if (next > 0) map.set(key, next);
  else map.delete(key);
}
