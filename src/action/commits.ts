/**
 * Commit mode: make sure the checkout holds the whole history, mine the
 * event's commits, and score them as a table. History metrics (ndev, age,
 * nuc, exp, rexp, sexp, lt) from a truncated history would be silently
 * wrong, so a shallow clone is deepened or the step fails.
 */
import { execFile } from 'node:child_process';
import type { CommitMetrics, LoadedModel, ScoredPatches } from '../index.js';
import type { CommitRange, RunContext } from './event.js';

type Library = typeof import('../index.js');

export const FETCH_DEPTH_HINT = 'set "fetch-depth: 0" on actions/checkout so the whole history is checked out';

/** Run git in the checkout; never prompts for credentials (it would hang the job). */
function git(repo: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      ['-C', repo, ...args],
      { env: { ...process.env, GIT_TERMINAL_PROMPT: '0' }, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (!error) return resolve(stdout);
        const detail = (stderr || error.message).trim().split('\n').slice(-2).join(' / ');
        reject(new Error(`git ${args.join(' ')} failed: ${detail}`));
      }
    );
  });
}

async function hasCommit(repo: string, rev: string): Promise<boolean> {
  return git(repo, ['cat-file', '-e', `${rev}^{commit}`]).then(
    () => true,
    () => false
  );
}

export type HistoryStatus = 'complete' | 'deepened';

/**
 * Deepen a shallow checkout with `git fetch --unshallow` from its own remote,
 * with the credentials actions/checkout left in the git config; fail with the
 * fetch-depth hint when that is not possible.
 */
export async function ensureFullHistory(repo: string, lib: Library, log: (line: string) => void): Promise<HistoryStatus> {
  let shallow: boolean;
  try {
    shallow = await lib.isShallow(repo);
  } catch (error) {
    throw new Error(
      `commit mode needs a git checkout in the workspace ${repo} (${(error as Error).message}); run actions/checkout first, or set the patches input`
    );
  }
  if (!shallow) return 'complete';
  log('the checkout is shallow: fetching the whole history (git fetch --unshallow)');
  try {
    await git(repo, ['fetch', '--unshallow', '--no-tags', '--quiet']);
  } catch (error) {
    throw new Error(
      `the checkout is a shallow clone and deepening it failed (${(error as Error).message}). History metrics need the whole history: ${FETCH_DEPTH_HINT}.`
    );
  }
  if (await lib.isShallow(repo))
    throw new Error(
      `the checkout is still shallow after git fetch --unshallow. History metrics need the whole history: ${FETCH_DEPTH_HINT}.`
    );
  return 'deepened';
}

/** Both ends of the range must be in the checkout; a missing one is fetched by hash once, else the step fails. */
async function ensureCommits(repo: string, range: CommitRange): Promise<void> {
  for (const [what, rev] of [
    ['base', range.base],
    ['head', range.head]
  ] as const) {
    if (await hasCommit(repo, rev)) continue;
    if (/^[0-9a-f]{40,64}$/.test(rev)) await git(repo, ['fetch', '--no-tags', '--quiet', 'origin', rev]).catch(() => undefined);
    if (!(await hasCommit(repo, rev))) {
      throw new Error(`the ${what} commit ${rev} of this event is not in the checkout at ${repo}; ${FETCH_DEPTH_HINT}`);
    }
  }
}

export interface ScoredCommits {
  scored: ScoredPatches;
  /** The mined rows, in the table's order (files and suggested reviewers per commit). */
  mined: CommitMetrics[];
  range: CommitRange;
  /** The range with short hashes, e.g. "1a2b3c4..5d6e7f8". */
  rangeLabel: string;
  /** How the input is named in errors and the JSON report, e.g. "commits 1a2b3c4..5d6e7f8". */
  source: string;
}

export interface CommitModeOptions {
  ignore: readonly string[];
  threshold?: number;
  qaCapacityHours: number;
}

export async function scoreCommits(
  context: RunContext,
  model: LoadedModel,
  options: CommitModeOptions,
  lib: Library,
  log: (line: string) => void
): Promise<ScoredCommits> {
  if ('problem' in context.commits)
    throw new Error(`the patches input is empty, so the action scores commits, but ${context.commits.problem}`);
  const { range } = context.commits;
  const repo = context.workspace;
  await ensureFullHistory(repo, lib, log);
  await ensureCommits(repo, range);
  const rangeLabel = `${short(range.base)}..${short(range.head)}`;
  const source = `commits ${rangeLabel}`;
  const mined = await lib.mineAll({ repo, range: `${range.base}..${range.head}`, ignore: options.ignore });
  log(`mined ${mined.length} commit(s) in ${source}`);
  const table = lib.commitsToTable(mined, { features: model.card.features, source });
  const scored = await lib.scoreTable(table, model, { threshold: options.threshold, qaCapacityHours: options.qaCapacityHours });
  return { scored, mined, range, rangeLabel, source };
}

function short(rev: string): string {
  return /^[0-9a-f]{40,64}$/.test(rev) ? rev.slice(0, 7) : rev;
}
