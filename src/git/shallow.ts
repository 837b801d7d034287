/**
 * Shallow clones and the history cache: fetch only the history the miner needs.
 *
 * With a cached state at commit K, mining BASE..HEAD replays the commits of BASE and HEAD not
 * reachable from K, so a shallow checkout needs exactly those, complete (no shallow boundary
 * among them), and K itself. `deepenForCache` fetches history since K's committer time
 * (`git fetch --shallow-since`) and checks; when that is not enough (clock skew, a side branch
 * older than K), or there is no cache, it fetches the whole history (`--unshallow`).
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { decodeUtf8, GitError, runGit, spawnGitBytes } from './run.js';

export interface DeepenOptions {
  /** Commits the run needs complete, e.g. the range's base and head (full ids or revisions). */
  commits: readonly string[];
  /** The cached state's commit and its committer time (unix seconds), when there is a cache. */
  since?: { commit: string; time: number };
  /** Remote to fetch from (default `origin`). */
  remote?: string;
  /** One line per step taken (e.g. the action's log). */
  log?: (line: string) => void;
}

export type DeepenStatus = 'complete' | 'deepened' | 'unshallowed';

export interface DeepenResult {
  status: DeepenStatus;
  /** What was done, in words. */
  detail: string;
}

/** git with the repository's own config (remote, credentials), never prompting. */
async function git(repo: string, args: string[]): Promise<string> {
  let out = '';
  const env = { ...process.env, GIT_TERMINAL_PROMPT: '0' };
  for await (const text of decodeUtf8(spawnGitBytes({ argv: ['-C', repo, ...args], shown: args, env }))) out += text;
  return out;
}

async function succeeds(run: Promise<unknown>): Promise<boolean> {
  return run.then(
    () => true,
    () => false
  );
}

async function shallowBoundary(repo: string): Promise<Set<string>> {
  // Relative to `repo` unless git prints an absolute path.
  const file = resolve(repo, (await runGit(repo, ['rev-parse', '--git-path', 'shallow'])).trim());
  const text = await readFile(file, 'utf8').catch(() => '');
  return new Set(text.split('\n').filter((l) => l !== ''));
}

/**
 * Does the clone hold everything a run resuming at `since` needs: `since` itself, every
 * commit in `commits`, and all of their history back to `since` with no shallow boundary in it?
 */
export async function historyComplete(repo: string, commits: readonly string[], since: string): Promise<boolean> {
  const present = async (rev: string) => succeeds(runGit(repo, ['cat-file', '-e', `${rev}^{commit}`]));
  if (!(await present(since))) return false;
  for (const c of commits) if (!(await present(c))) return false;
  for (const c of commits) if (!(await succeeds(runGit(repo, ['merge-base', '--is-ancestor', since, c])))) return false;
  const boundary = await shallowBoundary(repo);
  if (boundary.size === 0) return true;
  const between = await runGit(repo, ['rev-list', '--end-of-options', ...commits, `^${since}`, '--']);
  return !between.split('\n').some((c) => c !== '' && boundary.has(c));
}

/**
 * Make a shallow clone hold the history a run needs: from the cached commit on when there is a
 * cache (`--shallow-since`), else all of it (`--unshallow`). A complete clone is left alone.
 * Throws when even `--unshallow` fails.
 */
export async function deepenForCache(repo: string, opts: DeepenOptions): Promise<DeepenResult> {
  const log = opts.log ?? (() => undefined);
  const remote = opts.remote ?? 'origin';
  if ((await runGit(repo, ['rev-parse', '--is-shallow-repository'])).trim() !== 'true') {
    return { status: 'complete', detail: 'the clone has the whole history' };
  }
  const since = opts.since;
  if (since) {
    if (await historyComplete(repo, opts.commits, since.commit)) {
      return {
        status: 'complete',
        detail: `the shallow clone already holds the history since the cached commit ${since.commit.slice(0, 12)}`
      };
    }
    const date = `--shallow-since=@${Math.max(0, since.time - 1)}`;
    const hashes = opts.commits.filter((c) => /^[0-9a-f]{40,64}$/.test(c));
    log(`the checkout is shallow: fetching the history since the cached commit ${since.commit.slice(0, 12)} (git fetch ${date})`);
    for (const refspecs of [hashes, []]) {
      if (refspecs === hashes && hashes.length === 0) continue;
      const fetched = await succeeds(git(repo, ['fetch', '--no-tags', '--quiet', date, remote, ...refspecs]));
      if (fetched && (await historyComplete(repo, opts.commits, since.commit))) {
        return {
          status: 'deepened',
          detail: `fetched the history since ${new Date(since.time * 1000).toISOString()} (the cached commit ${since.commit.slice(0, 12)})`
        };
      }
    }
    log('fetching since the cached commit was not enough: fetching the whole history (git fetch --unshallow)');
  } else {
    log('the checkout is shallow and there is no cached state: fetching the whole history (git fetch --unshallow)');
  }
  try {
    await git(repo, ['fetch', '--unshallow', '--no-tags', '--quiet', remote]);
  } catch (err) {
    const detail = err instanceof GitError ? err.message : String(err);
    throw new Error(
      `the checkout is a shallow clone and fetching its history failed (${detail}); set "fetch-depth: 0" on actions/checkout`,
      { cause: err }
    );
  }
  return { status: 'unshallowed', detail: 'fetched the whole history' };
}
