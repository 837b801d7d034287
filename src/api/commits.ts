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
  /**
   * How many of the non-merge commits before the range to return as `recent` (the newest ones): the reference an
   * alert budget is set on. 0 or undefined: none.
   */
  recent?: number;
  /**
   * Directory of the miner's resumable history state (`--cache`, the action's cache). This is the one place it is
   * handed to the miner; the miner of this build replays the whole history and does not use it yet.
   */
  cache?: string;
}

export interface MinedRange {
  /** One row per commit of the range, in replay order. */
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
  if (input.cache !== undefined) log(`state cache ${input.cache}: not used by this miner yet, replaying the whole history`);
  const recent = new RecentRows(input.recent ?? 0);
  const mined = await mineAll({
    repo,
    range: `${range.base}..${range.head}`,
    ignore: input.ignore,
    ...(recent.capacity > 0 ? { onHistory: (row: CommitMetrics) => recent.push(row) } : {})
  });
  log(`mined ${mined.length} commit(s) in ${source}`);
  return { mined, range, rangeLabel, source, recent: recent.rows() };
}

/** The last `capacity` rows pushed, in a ring buffer (the history can be hundreds of thousands of commits). */
class RecentRows {
  private readonly ring: CommitMetrics[] = [];
  private next = 0;

  constructor(readonly capacity: number) {}

  push(row: CommitMetrics): void {
    // Only the metrics are needed: drop the file list and reviewers of old commits.
    const kept = { ...row, files: [], reviewers: [] };
    if (this.ring.length < this.capacity) this.ring.push(kept);
    else this.ring[this.next] = kept;
    this.next = (this.next + 1) % this.capacity;
  }

  /** Oldest first. */
  rows(): CommitMetrics[] {
    return this.ring.length < this.capacity ? [...this.ring] : [...this.ring.slice(this.next), ...this.ring.slice(0, this.next)];
  }
}

/** A full hash shortened to 7 characters; any other revision as given. */
export function shortRev(rev: string): string {
  return /^[0-9a-f]{40,64}$/.test(rev) ? rev.slice(0, 7) : rev;
}
