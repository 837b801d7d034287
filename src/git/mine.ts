/**
 * Commit mining: the change metrics of commits, from one replay of the repository's history.
 *
 * ## Replay order (every result and the cache rest on this definition)
 * replay(C), for a commit C: walk C's first-parent chain from the root, c0, c1, …, ck = C. For
 * each chain commit ci, first the commits ci brings in that c(i-1) did not have (the ancestors
 * of ci not reachable from c(i-1): the side branch a merge brings in), in git's --date-order
 * with parents before children, then ci itself. Merge commits are part of the stream.
 * Because replay(c(i-1)) is exactly the first part of replay(ci), the state after a chain
 * commit is the same whether it is the head or an ancestor on a longer chain: a state saved
 * at C and resumed with the commits after it equals a full replay, byte for byte.
 * (Replaying all of HEAD in date order instead would count a long-lived side branch before
 * the mainline commits it was not merged into yet, and the mainline would see its changes.)
 *
 * Mining BASE..HEAD: the state after replay(BASE), then the commits of HEAD that are not
 * reachable from BASE, in the same order (HEAD's first-parent chain, each chain commit after
 * the commits it brings in). When BASE is on HEAD's first-parent chain this is exactly the
 * tail of replay(HEAD), so a range's rows equal the same rows of a whole-history mine.
 *
 * ## Rows
 * Every non-merge commit has a row. A merge commit has a row (`merge` = 1) when it changes
 * lines on its own, lines that are in none of its parents (conflict resolutions, "evil"
 * merges); its metrics describe those lines only. A clean merge has no row: everything it
 * brings in has rows of its own. `lt` is the sum of the line counts of the touched files in
 * the commit's first parent, exactly (line counts are kept by blob id; see blob-lines.ts).
 * History metrics (ndev, age, nuc, exp, rexp, sexp) follow each file's lineage through renames
 * in replay order.
 *
 * ## Cache (`cacheDir`)
 * After replaying BASE (or HEAD when there is no range) the state is saved with the commit it
 * stands at. A later run whose BASE has that commit on its first-parent chain replays only the
 * commits after it; any other case (no cache, other settings, rewritten history, an unrelated
 * repository) replays everything and says why. The state also keeps the rows of the last
 * 2,000 non-merge commits, for callers that rank a range against the repository's recent work.
 */
import { BlobReader } from './blob-lines.js';
import type { CacheSettings } from './cache.js';
import type { CommitMetrics } from './history.js';
import { DEFAULT_IGNORE } from './ignore.js';
import { planReplay, type ReplayPlan } from './plan.js';
import { parseRange } from './range.js';
import { replay } from './replay.js';
import { FIX_RULE, saveState, startFrom, type CacheOutcome } from './resume.js';
import { runGit } from './run.js';
import { openTrustedGit, type TrustedGit } from './trusted.js';

export { RECENT_COMMITS, FIX_RULE, type CacheOutcome } from './resume.js';
export { parseRange, type ParsedRange } from './range.js';

export interface MineProgress {
  /** Commits replayed so far in this run (history before the range, then the range). */
  replayed: number;
  /** Commits this run replays in all. */
  total: number;
  phase: 'history' | 'range';
}

export interface MineOptions {
  /** Repository directory (any directory inside the work tree, or a bare repository). */
  repo: string;
  /** `BASE..HEAD`: replay BASE's history, then yield the commits of HEAD not reachable from BASE. Default: all of HEAD. */
  range?: string;
  /** Without a range: the commit whose whole history is mined (default HEAD), e.g. the tip of the line at a date. */
  rev?: string;
  /** Complete list of ignore patterns (gitignore-like); defaults to DEFAULT_IGNORE. */
  ignore?: readonly string[];
  /** Directory of the history state cache: resumed from when it fits, saved after the history is replayed. */
  cacheDir?: string;
  /** Called after each replayed commit. */
  onProgress?: (progress: MineProgress) => void;
  /** Called once the run knows whether it resumes from the cache (only with cacheDir). */
  onCache?: (outcome: CacheOutcome) => void;
  /**
   * Give each yielded commit whose files fall into two or more directories its `parts` (see split.ts): the metrics of
   * each directory's files as a commit of their own against the same state. Only the yielded commits pay for it.
   */
  parts?: boolean;
}

/** Is the repository a shallow clone (history metrics would be computed from a truncated history)? */
export async function isShallow(repo: string): Promise<boolean> {
  return (await runGit(repo, ['rev-parse', '--is-shallow-repository'])).trim() === 'true';
}

/** Full id of a commit; throws with the revision named when there is none. */
export async function resolveCommit(git: TrustedGit, rev: string): Promise<string> {
  const out = await git.run(['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`]).catch(() => '');
  const id = out.trim();
  if (!/^[0-9a-f]{40,64}$/.test(id)) throw new Error(`"${rev}" is not a commit in ${git.repo}`);
  return id;
}

/** Full ids of several commits in one git call; the first one that is not a commit is named in the error. */
async function resolveCommits(git: TrustedGit, revs: string[]): Promise<[string, string | undefined]> {
  const out = await git.run(['rev-parse', '--end-of-options', ...revs.map((r) => `${r}^{commit}`)]).catch(() => undefined);
  // rev-parse echoes "--end-of-options" itself: keep the object ids.
  const ids = (out?.split('\n') ?? []).filter((line) => /^[0-9a-f]{40,64}$/.test(line));
  if (ids.length === revs.length) return [ids[0], ids[1]];
  for (const rev of revs) await resolveCommit(git, rev);
  throw new Error(`cannot resolve ${revs.join(' and ')} in ${git.repo}`);
}

/** The run's summary, returned by the generator when it finishes. */
export interface MineSummary {
  /** Metric rows (files and reviewers left out) of the last 2,000 non-merge commits replayed before the range, oldest first. */
  recent: CommitMetrics[];
  cache?: CacheOutcome;
  /** Commits replayed in all (history before the range plus the range). */
  replayed: number;
}

/**
 * Stream the rows of `opts.range` (or of all of HEAD), in replay order. The generator's return
 * value is the run's summary (recent rows, cache outcome).
 */
export async function* mineCommits(opts: MineOptions): AsyncGenerator<CommitMetrics, MineSummary, undefined> {
  const range = opts.range === undefined ? undefined : parseRange(opts.range);
  const settings: CacheSettings = { ignore: [...(opts.ignore ?? DEFAULT_IGNORE)], fixRule: FIX_RULE };
  const git = await openTrustedGit(opts.repo);
  const [head, base] = await resolveCommits(git, range ? [range.head, range.base] : [opts.rev ?? 'HEAD']);
  const reader = new BlobReader(git);
  try {
    let start = await startFrom(git, reader, opts.cacheDir, settings, base);
    let history: ReplayPlan | undefined;
    if (base !== undefined) {
      history = await planReplay(git, base, start.exclude);
      const cachedAt = start.exclude[0];
      if (cachedAt !== undefined && cachedAt !== base && history.chainStart?.firstParent !== cachedAt) {
        start = await startFrom(git, reader, undefined, settings, base);
        start.outcome = {
          hit: false,
          replayed: 0,
          reason: `the cached commit ${cachedAt.slice(0, 12)} is an ancestor of ${base.slice(0, 12)} but not on its first-parent chain`
        };
        history = await planReplay(git, base, []);
      }
    }
    const rangePlan = await planReplay(git, head, base === undefined ? [] : [base]);
    const total = (history?.count ?? 0) + rangePlan.count;
    const { state, recent } = start;
    let done = 0;
    const progress = (phase: MineProgress['phase']) => () => opts.onProgress?.({ replayed: ++done, total, phase });

    if (start.outcome) {
      start.outcome.replayed = history?.count ?? 0;
      opts.onCache?.(start.outcome);
    }
    if (history) {
      for await (const row of replay(git, state, history, { onCommit: progress('history') })) if (row) recent.push(row);
      if (opts.cacheDir !== undefined && (history.count > 0 || !start.outcome?.hit))
        await saveState(git, opts.cacheDir, base!, history, settings, state, recent);
    }
    const before = recent.list();
    for await (const row of replay(git, state, rangePlan, { onCommit: progress('range'), parts: opts.parts ?? false })) {
      if (!row) continue;
      if (base === undefined) recent.push(row);
      yield row;
    }
    if (base === undefined && opts.cacheDir !== undefined) await saveState(git, opts.cacheDir, head, rangePlan, settings, state, recent);
    return { recent: base === undefined ? recent.list() : before, cache: start.outcome, replayed: done };
  } finally {
    reader.close();
  }
}

export interface MineResult extends MineSummary {
  rows: CommitMetrics[];
}

/**
 * Mine a range (or all of HEAD) into memory: the rows, the recent rows before the range, and
 * what the cache did. The library entry point for the action's commit mode.
 */
export async function mineRange(opts: MineOptions): Promise<MineResult> {
  const rows: CommitMetrics[] = [];
  const it = mineCommits(opts);
  for (;;) {
    const next = await it.next();
    if (next.done) return { rows, ...next.value };
    rows.push(next.value);
  }
}

/** Convenience for callers that want the rows only. */
export async function mineAll(opts: MineOptions): Promise<CommitMetrics[]> {
  return (await mineRange(opts)).rows;
}
