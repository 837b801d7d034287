/**
 * Where a replay starts: the state saved in the history cache when it fits the run (its commit
 * on the first-parent chain of the base, same settings), else an empty state, with the reason
 * in words either way; and saving the state for the next run (see cache.ts for the file).
 */
import { BlobLines, type BlobReader } from './blob-lines.js';
import { CacheMiss, loadHistoryCache, metricRow, saveHistoryCache, settingsDiffer, type CacheSettings, type CachedState } from './cache.js';
import { FIX_WORDS } from './fix.js';
import { HistoryState, type CommitMetrics } from './history.js';
import { compileIgnore } from './ignore.js';
import type { ReplayPlan } from './plan.js';
import type { ReplayState } from './replay.js';
import { GitError } from './run.js';
import type { TrustedGit } from './trusted.js';

/** Non-merge rows before the range that the state keeps (the alert budget ranks against them). */
export const RECENT_COMMITS = 2000;

/** Identifies the fix rule in the cache: a cache made with other fix words is not reused. */
export const FIX_RULE = `words:${FIX_WORDS.join(',')}`;

export interface CacheOutcome {
  /** A cached state was used. */
  hit: boolean;
  /** The commit the run started from (the cached commit) when hit. */
  from?: string;
  /** Commits replayed before the range (all of BASE's history on a miss). */
  replayed: number;
  /** Why the cache was or was not used, in words. */
  reason: string;
}

/** Metric rows (files and reviewers left out) of the last `limit` non-merge commits, oldest first. */
export class RecentRows {
  private rows: CommitMetrics[] = [];
  constructor(private readonly limit: number) {}
  push(row: CommitMetrics): void {
    if (row.merge === 1) return;
    this.rows.push(metricRow(row));
    // Amortised trimming keeps memory bounded by twice the limit.
    if (this.rows.length >= 2 * this.limit) this.rows = this.rows.slice(-this.limit);
  }
  list(): CommitMetrics[] {
    return this.rows.slice(-this.limit);
  }
  static of(rows: CommitMetrics[], limit: number): RecentRows {
    const r = new RecentRows(limit);
    r.rows = rows.slice(-limit);
    return r;
  }
}

export interface Start {
  state: ReplayState;
  recent: RecentRows;
  /** Commits already in the state: excluded from the plan. */
  exclude: string[];
  outcome?: CacheOutcome;
}

/** Resume from the cache when it fits `target` (a full commit id), else start empty; says why either way. */
export async function startFrom(
  git: TrustedGit,
  reader: BlobReader,
  cacheDir: string | undefined,
  settings: CacheSettings,
  target: string | undefined
): Promise<Start> {
  const ignored = compileIgnore(settings.ignore);
  const empty = (reason?: string): Start => ({
    state: { history: new HistoryState(ignored), blobs: new BlobLines(reader), replayed: 0 },
    recent: new RecentRows(RECENT_COMMITS),
    exclude: [],
    outcome: reason === undefined ? undefined : { hit: false, replayed: 0, reason }
  });
  if (cacheDir === undefined) return empty();
  if (target === undefined) return empty('no --range: the whole history is replayed (the cache is saved at HEAD for later ranges)');
  let cached: CachedState;
  try {
    cached = await loadHistoryCache(cacheDir);
  } catch (err) {
    if (err instanceof CacheMiss) return empty(err.message);
    throw err;
  }
  const short = cached.commit.slice(0, 12);
  if (cached.objectFormat !== git.objectFormat)
    return empty(`the cache is for ${cached.objectFormat} object ids, this repository uses ${git.objectFormat}`);
  const differ = settingsDiffer(cached.settings, settings);
  if (differ) return empty(differ);
  if (cached.commit !== target) {
    // Exit 0: an ancestor; 1: not one; anything else: git does not know the commit.
    const code = await git.run(['merge-base', '--is-ancestor', cached.commit, target]).then(
      () => 0,
      (err: unknown) => (err instanceof GitError ? err.code : null)
    );
    if (code !== 0 && code !== 1)
      return empty(`the cached commit ${short} is not in this repository (another repository, or rewritten history)`);
    if (code === 1)
      return empty(`the cached commit ${short} is not an ancestor of ${target.slice(0, 12)} (rewritten history, or another branch)`);
  }
  let history: HistoryState;
  try {
    history = HistoryState.restore(ignored, cached.history);
  } catch (err) {
    return empty(`the cached state is damaged (${(err as Error).message})`);
  }
  const blobs = new BlobLines(reader);
  blobs.restore(cached.blobs);
  return {
    state: { history, blobs, replayed: cached.replayed },
    recent: RecentRows.of(cached.recent, RECENT_COMMITS),
    exclude: [cached.commit],
    outcome: { hit: true, from: cached.commit, replayed: 0, reason: `resumed from the cached state at ${short}` }
  };
}

/** Save the state at `commit`, the head of `plan` (which knows its committer time). */
export async function saveState(
  git: TrustedGit,
  dir: string,
  commit: string,
  plan: ReplayPlan,
  settings: CacheSettings,
  state: ReplayState,
  recent: RecentRows
): Promise<void> {
  await saveHistoryCache(dir, {
    commit,
    commitTime: plan.headTime ?? Number((await git.run(['show', '-s', '--format=%ct', commit])).trim()),
    objectFormat: git.objectFormat,
    settings,
    replayed: state.replayed,
    history: state.history.snapshot(),
    blobs: state.blobs.entries(),
    recent: recent.list()
  });
}
