/**
 * A checkout fit for mining a range: the whole history (history metrics from
 * a truncated one would be silently wrong), or, when a cached state covers the
 * base, the history since the cached commit; and both ends of the range.
 */
import { isShallow } from './mine.js';
import { runGit } from './run.js';
import { deepenForCache } from './shallow.js';

export const FETCH_DEPTH_HINT = 'set "fetch-depth: 0" on actions/checkout so the whole history is checked out';

export type HistoryStatus = 'complete' | 'deepened';

/** What `prepareHistory` left: the whole history, or a shallow clone holding the history since the cached commit. */
export type PreparedHistory = 'complete' | 'since-cache';

export interface CommitRange {
  base: string;
  head: string;
}

async function hasCommit(repo: string, rev: string): Promise<boolean> {
  return runGit(repo, ['cat-file', '-e', '--end-of-options', `${rev}^{commit}`]).then(
    () => true,
    () => false
  );
}

/**
 * Deepen a shallow checkout with `git fetch --unshallow` from its own remote
 * (with the credentials actions/checkout left in the git config); fail with
 * the fetch-depth hint when that is not possible. `place` names `repo` in messages.
 */
export async function ensureFullHistory(repo: string, log: (line: string) => void, place = 'the directory'): Promise<HistoryStatus> {
  if (!(await checkoutIsShallow(repo, place))) return 'complete';
  log('the checkout is shallow: fetching the whole history (git fetch --unshallow)');
  try {
    await runGit(repo, ['fetch', '--unshallow', '--no-tags', '--quiet']);
  } catch (error) {
    throw new Error(
      `the checkout is a shallow clone and deepening it failed (${(error as Error).message}). History metrics need the whole history: ${FETCH_DEPTH_HINT}.`,
      { cause: error }
    );
  }
  if (await isShallow(repo)) {
    throw new Error(
      `the checkout is still shallow after git fetch --unshallow. History metrics need the whole history: ${FETCH_DEPTH_HINT}.`
    );
  }
  return 'deepened';
}

async function checkoutIsShallow(repo: string, place: string): Promise<boolean> {
  try {
    return await isShallow(repo);
  } catch (error) {
    throw new Error(
      `commit mode needs a git checkout in ${place} ${repo} (${(error as Error).message}); run actions/checkout first, or score a patch file`,
      { cause: error }
    );
  }
}

/**
 * Make a checkout fit for mining `range`. A complete clone is left alone. A shallow one is
 * deepened just enough when a cached state (`since`: its commit and committer time) covers the
 * base: `git fetch --shallow-since` from the cached commit on (see shallow.ts), falling back to
 * the whole history when that is not enough; without a cached state it fetches the whole
 * history. 'since-cache' means the clone is still shallow: only a run that resumes from that
 * cached state may mine it (a full replay needs `ensureFullHistory` first).
 */
export async function prepareHistory(
  repo: string,
  range: CommitRange,
  opts: { log: (line: string) => void; place?: string; since?: { commit: string; time: number } }
): Promise<PreparedHistory> {
  const place = opts.place ?? 'the directory';
  if (!(await checkoutIsShallow(repo, place))) return 'complete';
  if (opts.since === undefined) {
    await ensureFullHistory(repo, opts.log, place);
    return 'complete';
  }
  let result;
  try {
    result = await deepenForCache(repo, { commits: [range.base, range.head], since: opts.since, log: opts.log });
  } catch (error) {
    throw new Error(`${(error as Error).message}. History metrics need the whole history, or the history since the cached state.`, {
      cause: error
    });
  }
  opts.log(`history: ${result.detail}`);
  return result.status === 'unshallowed' ? 'complete' : 'since-cache';
}

/** Both ends of the range must be in the checkout; a missing one is fetched by hash once, else this fails. */
export async function ensureCommits(repo: string, range: CommitRange): Promise<void> {
  for (const [what, rev] of [
    ['base', range.base],
    ['head', range.head]
  ] as const) {
    if (await hasCommit(repo, rev)) continue;
    if (/^[0-9a-f]{40,64}$/.test(rev)) await runGit(repo, ['fetch', '--no-tags', '--quiet', 'origin', rev]).catch(() => undefined);
    if (!(await hasCommit(repo, rev))) {
      throw new Error(`the ${what} commit ${rev} is not in the checkout at ${repo}; ${FETCH_DEPTH_HINT}`);
    }
  }
}
