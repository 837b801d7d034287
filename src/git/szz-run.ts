/**
 * SZZ over many fix commits: git processes bounded by a job count, results taken from and
 * added to the per-fix cache.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { SzzCache, type CachedFile, type FixEntry } from './szz-cache.js';
import { lineRanges } from './szz-lines.js';
import {
  blameLines,
  fixDiff,
  openSzzRepo,
  readIgnoreRevs,
  szzGit,
  withCommitGraph,
  type BlamedCommit,
  type FixCommit,
  type SzzRepo
} from './szz.js';

/** At most `limit` tasks at once (here: git processes). */
export class Limiter {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly limit: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.running += 1;
    try {
      return await task();
    } finally {
      this.running -= 1;
      this.waiting.shift()?.();
    }
  }
}

/** Run `fn` with the ignored revisions in a private temporary file (removed afterwards), or with none. */
export async function withIgnoreRevsFile<T>(content: string | undefined, fn: (file: string | undefined) => Promise<T>): Promise<T> {
  if (content === undefined) return fn(undefined);
  const dir = await mkdtemp(join(tmpdir(), 'patch-risk-szz-'));
  try {
    const file = join(dir, 'ignore-revs');
    await writeFile(file, content, { flag: 'wx', mode: 0o600 });
    return await fn(file);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export function defaultJobs(): number {
  return Math.max(1, availableParallelism());
}

export interface FixJob {
  commit: string;
  /** First parent; fixes without one (root commits) have nothing to blame and are not jobs. */
  parent: string;
  /** Is this file (path in the parent, path after the fix) blamed for this fix? */
  include: (oldPath: string, newPath: string) => boolean;
}

export interface SzzProgress {
  /** Fix commits finished so far, of `total`. */
  done: number;
  total: number;
  /** Of `done`: answered from the cache without running git, and those that ran git. */
  fromCache: number;
  blamed: number;
}

export interface RunFixesOptions {
  repo: SzzRepo;
  /** Git processes at once (default: the CPU count). */
  jobs?: number;
  cache?: SzzCache;
  /** A file of full hashes for `git blame --ignore-revs-file`. */
  ignoreRevsFile?: string;
  /** A fix that lost lines in more included files than this is a mass change and is not blamed (default: no limit). */
  maxFiles?: number;
  /** Write a commit-graph first when at least this many fixes need git (default COMMIT_GRAPH_MIN_FIXES). */
  commitGraphMinFixes?: number;
  onProgress?: (p: SzzProgress) => void;
}

export interface RunFixesResult {
  /** Fix commit -> the commits blamed for its lost lines in the included files. */
  introducers: Map<string, BlamedCommit[]>;
  fromCache: number;
  blamed: number;
  /** Fixes not blamed because they lost lines in more than `maxFiles` files. */
  skipped: number;
}

/** With this many fix commits to run git for, a Bloom-filter commit-graph is written first: it costs about as much as ten blames. */
export const COMMIT_GRAPH_MIN_FIXES = 50;

/** Run `task` over `items`, at most `limit` at a time. */
async function forEachLimit<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await task(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(items.length, limit) }, worker));
}

/**
 * The commits blamed for each fix's lost lines in the included files (before any date
 * filter). Cached entries are read first; when many fixes need git, a commit-graph with
 * Bloom filters is written to a temporary folder first (withCommitGraph). Throws the first
 * git failure after the fixes already running have finished; whatever was finished is in
 * the cache, so a rerun resumes there.
 */
export async function runFixes(jobs: readonly FixJob[], opts: RunFixesOptions): Promise<RunFixesResult> {
  const limit = Math.max(1, opts.jobs ?? defaultJobs());
  const maxFiles = opts.maxFiles ?? Infinity;
  const cached = new Map<string, FixEntry>();
  const cache = opts.cache;
  if (cache) {
    await forEachLimit(jobs, 16, async (job) => {
      const entry = await cache.get(job.commit);
      if (entry && entry.parent === job.parent) cached.set(job.commit, entry);
    });
  }
  const wantedFiles = (job: FixJob, entry: FixEntry) => entry.files.filter((f) => job.include(f.oldPath, f.newPath));
  const needsGit = (job: FixJob): boolean => {
    const entry = cached.get(job.commit);
    if (!entry) return true;
    const wanted = wantedFiles(job, entry);
    return wanted.length <= maxFiles && wanted.some((f) => f.blamed === undefined);
  };
  const misses = jobs.filter(needsGit).length;

  const runAll = async (repo: SzzRepo): Promise<RunFixesResult> => {
    const git = new Limiter(limit);
    const results = new Map<string, BlamedCommit[]>();
    const progress: SzzProgress = { done: 0, total: jobs.length, fromCache: 0, blamed: 0 };
    let skipped = 0;
    let failure: unknown;

    const one = async (job: FixJob): Promise<void> => {
      let entry = cached.get(job.commit);
      cached.delete(job.commit);
      let ranGit = false;
      if (!entry) {
        const lost = await git.run(() => fixDiff(repo, job.parent, job.commit));
        entry = {
          fix: job.commit,
          parent: job.parent,
          files: lost.map((f): CachedFile => ({ oldPath: f.oldPath, newPath: f.newPath, ranges: lineRanges(f.lines) }))
        };
        ranGit = true;
      }
      const wanted = wantedFiles(job, entry);
      const tooLarge = wanted.length > maxFiles;
      const missing = tooLarge ? [] : wanted.filter((f) => f.blamed === undefined);
      await Promise.all(
        missing.map(async (f) => {
          f.blamed = await git.run(() => blameLines(repo, job.parent, f.oldPath, f.ranges, opts.ignoreRevsFile));
        })
      );
      if ((ranGit || missing.length > 0) && cache) await cache.put(entry);
      if (tooLarge) skipped += 1;
      else
        results.set(
          job.commit,
          wanted.flatMap((f) => f.blamed!)
        );
      progress.done += 1;
      if (ranGit || missing.length > 0) progress.blamed += 1;
      else progress.fromCache += 1;
      opts.onProgress?.({ ...progress });
    };

    // Twice as many fixes in flight as git processes, so a fix waiting on its diff or on
    // the cache never leaves a process slot idle. After a failure no new fix is started.
    await forEachLimit(jobs, limit * 2, async (job) => {
      if (failure !== undefined) return;
      try {
        await one(job);
      } catch (err) {
        failure ??= err;
      }
    });
    if (failure !== undefined) throw failure;
    return { introducers: results, fromCache: progress.fromCache, blamed: progress.blamed, skipped };
  };

  return misses >= (opts.commitGraphMinFixes ?? COMMIT_GRAPH_MIN_FIXES) ? withCommitGraph(opts.repo, runAll) : runAll(opts.repo);
}

export interface SzzOptions {
  repo: string;
  /** Git processes at once (default: the CPU count). */
  concurrency?: number;
  onProgress?: (done: number, total: number) => void;
}

/**
 * Map each introducing commit to the fixes that changed its lines (fixes given explicitly;
 * `labelHistory` finds them itself). Uses the `.git-blame-ignore-revs` committed at HEAD.
 */
export async function szz(fixes: readonly FixCommit[], opts: SzzOptions): Promise<Map<string, string[]>> {
  const repo = await openSzzRepo(opts.repo);
  const jobs: FixJob[] = [];
  const byCommit = new Map<string, FixCommit>();
  for (const fix of fixes) {
    const parents = (await szzGit(repo, ['rev-list', '--parents', '-n', '1', '--end-of-options', fix.commit, '--'])).trim().split(' ');
    if (parents[1] === undefined) continue;
    byCommit.set(fix.commit, fix);
    const files = fix.files;
    jobs.push({ commit: fix.commit, parent: parents[1], include: (o, n) => !files || files.has(n) || files.has(o) });
  }
  const { introducers } = await withIgnoreRevsFile(await readIgnoreRevs(repo, 'HEAD'), (ignoreRevsFile) =>
    runFixes(jobs, { repo, jobs: opts.concurrency, ignoreRevsFile, onProgress: (p) => opts.onProgress?.(p.done, p.total) })
  );
  const fixedBy = new Map<string, string[]>();
  // Fill in input order so fixed_by lists are deterministic.
  for (const fix of fixes) {
    const seen = new Set<string>();
    for (const c of introducers.get(fix.commit) ?? []) {
      if (c.authorTime >= byCommit.get(fix.commit)!.date || seen.has(c.hash)) continue;
      seen.add(c.hash);
      const list = fixedBy.get(c.hash);
      if (list) list.push(fix.commit);
      else fixedBy.set(c.hash, [fix.commit]);
    }
  }
  return fixedBy;
}
