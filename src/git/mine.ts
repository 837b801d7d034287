/**
 * `mineCommits`: one streaming pass over `git log` from the root commit, yielding the
 * change metrics of every non-merge commit (or only those in a range).
 */
import { HistoryState, type CommitMetrics } from './history.js';
import { compileIgnore, DEFAULT_IGNORE } from './ignore.js';
import { LOG_FORMAT, LogParser, type RawCommit } from './log-parser.js';
import { runGit, streamGit } from './run.js';

export interface MineOptions {
  /** Repository directory (any directory inside the work tree, or a bare repository). */
  repo: string;
  /** `BASE..HEAD`: replay all history up to HEAD, yield only commits not reachable from BASE. */
  range?: string;
  /** Complete list of ignore patterns (gitignore-like); defaults to DEFAULT_IGNORE. */
  ignore?: readonly string[];
  /** Called after each replayed commit (yielded or not) with the running count and the state. */
  onProgress?: (replayed: number, state: HistoryState) => void;
  /**
   * With a range: called with the metrics of each replayed commit that is NOT in the range (the history before it),
   * in replay order. The replay then runs to the end of the log instead of stopping after the range's last commit.
   */
  onHistory?: (row: CommitMetrics) => void;
}

export interface ParsedRange {
  base: string;
  head: string;
}

/** Accepts `BASE..HEAD` (either side may be empty, meaning HEAD). Throws with what was expected. */
export function parseRange(range: string): ParsedRange {
  const parts = range.split('..');
  if (parts.length !== 2 || parts[1]!.startsWith('.') || range.includes('...')) {
    throw new Error(`--range "${range}" must look like BASE..HEAD (two dots, no symmetric "..." ranges)`);
  }
  const [base, head] = parts.map((p) => p.trim() || 'HEAD') as [string, string];
  for (const rev of [base, head]) {
    if (rev.startsWith('-') || /\s/.test(rev)) throw new Error(`--range "${range}": "${rev}" is not a revision`);
  }
  return { base, head };
}

/**
 * Arguments of the single `git log` run. --date-order with --reverse: parents always
 * come before children, otherwise commits go by commit date. -z keeps paths raw; -M
 * follows renames for every path; --summary reports created and deleted files.
 */
export function logArgs(head: string): string[] {
  return [
    'log',
    '-z',
    '--reverse',
    '--date-order',
    '--no-merges',
    '-M',
    '--numstat',
    '--summary',
    '--no-textconv',
    '--no-ext-diff',
    `--format=${LOG_FORMAT}`,
    '--end-of-options',
    head,
    '--'
  ];
}

async function revisionsIn(repo: string, range: ParsedRange): Promise<Set<string>> {
  const out = await runGit(repo, ['rev-list', '--no-merges', '--end-of-options', `${range.base}..${range.head}`, '--']);
  return new Set(out.split('\n').filter((l) => l !== ''));
}

/** Is the repository a shallow clone (history metrics would be computed from a truncated history)? */
export async function isShallow(repo: string): Promise<boolean> {
  return (await runGit(repo, ['rev-parse', '--is-shallow-repository'])).trim() === 'true';
}

export async function* mineCommits(opts: MineOptions): AsyncGenerator<CommitMetrics> {
  const range = opts.range === undefined ? undefined : parseRange(opts.range);
  const wanted = range ? await revisionsIn(opts.repo, range) : undefined;
  if (wanted && wanted.size === 0) return;
  const state = new HistoryState(compileIgnore(opts.ignore ?? DEFAULT_IGNORE));
  const parser = new LogParser();
  const batch: RawCommit[] = [];
  let replayed = 0;
  let remaining = wanted?.size ?? Infinity;

  for await (const chunk of streamGit(opts.repo, logArgs(range?.head ?? 'HEAD'))) {
    parser.push(chunk, batch);
    for (const raw of batch) {
      const row = state.apply(raw);
      replayed += 1;
      opts.onProgress?.(replayed, state);
      if (!wanted || wanted.has(raw.hash)) {
        yield row;
        remaining -= 1;
      } else opts.onHistory?.(row);
    }
    batch.length = 0;
    // Everything asked for is out: stop git instead of replaying the rest (unless the history is wanted too).
    if (remaining === 0 && !opts.onHistory) return;
  }
  for (const raw of parser.end(batch)) {
    const row = state.apply(raw);
    replayed += 1;
    opts.onProgress?.(replayed, state);
    if (!wanted || wanted.has(raw.hash)) yield row;
    else opts.onHistory?.(row);
  }
}

/** Convenience for callers that want all rows at once (e.g. the action's commit mode over a PR range). */
export async function mineAll(opts: MineOptions): Promise<CommitMetrics[]> {
  const rows: CommitMetrics[] = [];
  for await (const row of mineCommits(opts)) rows.push(row);
  return rows;
}
