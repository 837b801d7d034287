/**
 * Commits as the gate's input: make sure the checkout can be mined, mine the
 * range's commits and lay them out as a table scored like a patch file.
 */
import { cachedCommit } from '../git/cache.js';
import { ensureCommits, ensureFullHistory, prepareHistory, type CommitRange } from '../git/checkout.js';
import type { CommitMetrics } from '../git/history.js';
import { mineRange as mineHistory, type CacheOutcome, type MineResult } from '../git/mine.js';

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
  /** Called once the miner knows whether it resumes from `cache` (after the line it logs). */
  onCache?: (outcome: CacheOutcome) => void;
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

/**
 * Deepen a shallow checkout (just enough when a cached state covers the base), check both ends
 * exist, and mine the range.
 */
export async function mineRange(input: CommitsInput): Promise<MinedRange> {
  const log = input.log ?? (() => undefined);
  const { repo, range } = input;
  const since = input.cache === undefined ? undefined : await cachedCommit(input.cache);
  const history = await prepareHistory(repo, range, { log, place: input.place, since });
  await ensureCommits(repo, range);
  const rangeLabel = `${shortRev(range.base)}..${shortRev(range.head)}`;
  const source = `commits ${rangeLabel}`;
  let mined: MineResult;
  try {
    mined = await mineWith(input, history === 'since-cache');
  } catch (error) {
    if (!(error instanceof PartialHistory)) throw error;
    // The clone holds the history since the cached commit only, and the miner cannot resume from that state.
    log(`history cache not usable (${error.reason}): fetching the whole history for a full replay`);
    await ensureFullHistory(repo, log, input.place);
    mined = await mineWith(input, false);
  }
  log(`mined ${mined.rows.length} commit(s) in ${source} (${mined.replayed} replayed)`);
  const wanted = input.recent ?? 0;
  const recent = wanted > 0 ? mined.recent.slice(-wanted) : [];
  return { mined: mined.rows, range, rangeLabel, source, recent };
}

/** Thrown before anything is replayed when a partly deepened clone would need a full replay. */
class PartialHistory extends Error {
  constructor(readonly reason: string) {
    super(`the shallow clone cannot be replayed in full: ${reason}`);
  }
}

function mineWith(input: CommitsInput, mustResume: boolean): Promise<MineResult> {
  const log = input.log ?? (() => undefined);
  const { cache } = input;
  return mineHistory({
    repo: input.repo,
    range: `${input.range.base}..${input.range.head}`,
    ignore: input.ignore,
    // Each commit's parts by directory, for the advice on High commits (api/commit-advice.ts).
    parts: true,
    ...(cache !== undefined
      ? {
          cacheDir: cache,
          onCache: (outcome: CacheOutcome) => {
            if (mustResume && !outcome.hit) throw new PartialHistory(outcome.reason);
            log(cacheLine(cache, outcome));
            input.onCache?.(outcome);
          }
        }
      : {})
  });
}

function cacheLine(dir: string, outcome: CacheOutcome): string {
  return `history cache ${dir}: ${outcome.hit ? 'resumed' : 'not used'} (${outcome.reason}); ${outcome.replayed} commit(s) replayed before the range`;
}

/** A full hash shortened to 7 characters; any other revision as given. */
export function shortRev(rev: string): string {
  return /^[0-9a-f]{40,64}$/.test(rev) ? rev.slice(0, 7) : rev;
}
