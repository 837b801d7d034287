/**
 * A checkout fit for mining a range: the whole history (history metrics from
 * a truncated one would be silently wrong) and both ends of the range.
 */
import { isShallow } from './mine.js';
import { runGit } from './run.js';

export const FETCH_DEPTH_HINT = 'set "fetch-depth: 0" on actions/checkout so the whole history is checked out';

export type HistoryStatus = 'complete' | 'deepened';

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
  let shallow: boolean;
  try {
    shallow = await isShallow(repo);
  } catch (error) {
    throw new Error(
      `commit mode needs a git checkout in ${place} ${repo} (${(error as Error).message}); run actions/checkout first, or score a patch file`
    );
  }
  if (!shallow) return 'complete';
  log('the checkout is shallow: fetching the whole history (git fetch --unshallow)');
  try {
    await runGit(repo, ['fetch', '--unshallow', '--no-tags', '--quiet']);
  } catch (error) {
    throw new Error(
      `the checkout is a shallow clone and deepening it failed (${(error as Error).message}). History metrics need the whole history: ${FETCH_DEPTH_HINT}.`
    );
  }
  if (await isShallow(repo)) {
    throw new Error(
      `the checkout is still shallow after git fetch --unshallow. History metrics need the whole history: ${FETCH_DEPTH_HINT}.`
    );
  }
  return 'deepened';
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
