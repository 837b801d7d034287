/**
 * The per-file and per-author state replayed through a repository's history, and the
 * change metrics of one commit computed from it. Memory grows with the number of
 * files and authors, never with the number of commits.
 */
import { isFixMessage } from './fix.js';
import type { PathFilter } from './ignore.js';
import type { RawCommit } from './log-parser.js';
import { RecencyCounter } from './recency.js';

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
}

interface Candidate {
  last: number;
  files: number;
}

interface FileState {
  lines: number;
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

/** Authors are identified by e-mail (after .mailmap), case-insensitively; by name when there is no e-mail. */
export function authorKey(name: string, email: string): string {
  const e = email.trim().toLowerCase();
  return e === '' ? `name:${name}` : e;
}

export class HistoryState {
  private readonly files = new Map<string, FileState>();
  private readonly authors = new Map<string, AuthorState>();

  constructor(private readonly ignored: PathFilter) {}

  /** What the state holds (for progress reports and the memory benchmark); O(files). */
  stats(): { files: number; authors: number; fileAuthors: number } {
    let fileAuthors = 0;
    for (const f of this.files.values()) fileAuthors += f.authors.size;
    return { files: this.files.size, authors: this.authors.size, fileAuthors };
  }

  /** Compute the commit's metrics from the state before it, then fold the commit into the state. */
  apply(c: RawCommit): CommitMetrics {
    const now = c.time;
    const key = authorKey(c.authorName, c.authorEmail);
    let author = this.authors.get(key);
    if (!author) {
      author = { name: c.authorName, email: c.authorEmail, fileChanges: 0, recency: new RecencyCounter(), subsystemFiles: new Map() };
      this.authors.set(key, author);
    }
    author.name = c.authorName;
    const created = c.created.length > 0 ? new Set(c.created) : undefined;
    const deleted = c.deleted.length > 0 ? new Set(c.deleted) : undefined;

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

    for (const fc of c.files) {
      const from = fc.oldPath ?? fc.path;
      // A "create" starts a new lineage even if an old one is still recorded at that path.
      let state = fc.oldPath === undefined && created?.has(fc.path) ? undefined : this.files.get(from);
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
        churn.push(added + removed);
        if (state) {
          lt += state.lines;
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
      }

      if (state) {
        this.moveSubsystemCounts(state, from, fc.path, counted);
      } else {
        state = { lines: 0, changes: 0, last: now, authors: new Map(), counted };
      }
      // Binary files have no lines; a text file turning binary drops to 0.
      state.lines = fc.added === null ? 0 : Math.max(0, state.lines + added - removed);
      state.changes += 1;
      state.last = now;
      if (counted && !state.authors.has(key)) bump(author.subsystemFiles, subsystemOf(fc.path), 1);
      state.authors.set(key, now);
      if (deleted?.has(fc.path)) this.files.delete(fc.path);
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
      reviewers: this.pickReviewers(candidates)
    };
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
