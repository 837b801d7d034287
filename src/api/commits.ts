/**
 * Commits as the gate's input: make sure the checkout can be mined, mine the
 * range's commits and lay them out as a table scored like a patch file.
 */
import { ensureCommits, ensureFullHistory, type CommitRange } from '../git/checkout.js';
import type { CommitMetrics } from '../git/history.js';
import { mineAll } from '../git/mine.js';

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
}

export interface MinedRange {
  /** One row per commit of the range, in replay order. */
  mined: CommitMetrics[];
  range: CommitRange;
  /** The range with short hashes, e.g. "1a2b3c4..5d6e7f8". */
  rangeLabel: string;
  /** How the input is named in errors and reports, e.g. "commits 1a2b3c4..5d6e7f8". */
  source: string;
}

/** Deepen a shallow checkout, check both ends exist, and mine the range. */
export async function mineRange(input: CommitsInput): Promise<MinedRange> {
  const log = input.log ?? (() => undefined);
  const { repo, range } = input;
  await ensureFullHistory(repo, log, input.place);
  await ensureCommits(repo, range);
  const rangeLabel = `${shortRev(range.base)}..${shortRev(range.head)}`;
  const source = `commits ${rangeLabel}`;
  const mined = await mineAll({ repo, range: `${range.base}..${range.head}`, ignore: input.ignore });
  log(`mined ${mined.length} commit(s) in ${source}`);
  return { mined, range, rangeLabel, source };
}

/** A full hash shortened to 7 characters; any other revision as given. */
export function shortRev(rev: string): string {
  return /^[0-9a-f]{40,64}$/.test(rev) ? rev.slice(0, 7) : rev;
}
