/**
 * Commits as the gate's input: make sure the checkout can be mined, mine the
 * range's commits and lay them out as a table scored like a patch file.
 */
import { ensureCommits, ensureFullHistory, type CommitRange } from '../git/checkout.js';
import type { CommitMetrics } from '../git/history.js';
import { mineRange as mineHistory, type CacheOutcome } from '../git/mine.js';

export interface CommitsInput {
  kind: 'commits';
  /** The git work tree (or any directory inside it). */
  repo: string;
  /** The commits reachable from `head` and not from `base`. */
  range: CommitRange;
  /** Paths left out of every metric (gitignore-like); the miner's defaults when undefined. */
  ignore?: readonly string[];
  /** How `repo` is named in messages ("the workspace" in the action). */
  place?: string;
  /** Progress lines (deepening a shallow clone, commits mined). */
  log?: (line: string) => void;
  /**
   * How many of the non-merge commits before the range to return as `recent` (the newest ones): the reference an
   * alert budget is set on. 0 or undefined: none.
   */
  recent?: number;
  /**
   * Directory of the miner's resumable history state (`--cache`, the action's cache): a PR run then replays only the
   * commits since the cached one, so its cost does not grow with the age of the repository.
   */
  cache?: string;
}

export interface MinedRange {
  /** One row per commit of the range, in replay order; commits spanning two or more directories carry their `parts`. */
  mined: CommitMetrics[];
  range: CommitRange;
  /** The range with short hashes, e.g. "1a2b3c4..5d6e7f8". */
  rangeLabel: string;
  /** How the input is named in errors and reports, e.g. "commits 1a2b3c4..5d6e7f8". */
  source: string;
  /**
   * The last `recent` non-merge commits before the range (oldest first; fewer when the history is shorter), with the
   * metrics they had when they were made: the repository's own reference for the alert budget. Only their metrics
   * are kept (`files` and `reviewers` are empty).
   */
  recent: CommitMetrics[];
}

/** Deepen a shallow checkout, check both ends exist, and mine the range. */
export async function mineRange(input: CommitsInput): Promise<MinedRange> {
  const log = input.log ?? (() => undefined);
  const { repo, range } = input;
  await ensureFullHistory(repo, log, input.place);
  await ensureCommits(repo, range);
  const rangeLabel = `${shortRev(range.base)}..${shortRev(range.head)}`;
  const source = `commits ${rangeLabel}`;
  const mined = await mineHistory({
    repo,
    range: `${range.base}..${range.head}`,
    ignore: input.ignore,
    // Each commit's parts by directory, for the advice on High commits (api/commit-advice.ts).
    parts: true,
    ...(input.cache !== undefined ? { cacheDir: input.cache, onCache: (outcome) => log(cacheLine(input.cache!, outcome)) } : {})
  });
  log(`mined ${mined.rows.length} commit(s) in ${source} (${mined.replayed} replayed)`);
  const wanted = input.recent ?? 0;
  const recent = wanted > 0 ? mined.recent.slice(-wanted) : [];
  return { mined: mined.rows, range, rangeLabel, source, recent };
}

function cacheLine(dir: string, outcome: CacheOutcome): string {
  return `history cache ${dir}: ${outcome.hit ? 'resumed' : 'not used'} (${outcome.reason}); ${outcome.replayed} commit(s) replayed before the range`;
}

/** A full hash shortened to 7 characters; any other revision as given. */
export function shortRev(rev: string): string {
  return /^[0-9a-f]{40,64}$/.test(rev) ? rev.slice(0, 7) : rev;
}
