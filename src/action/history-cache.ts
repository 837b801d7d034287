/**
 * Commit mode's history state across runs: the miner's state (see git/cache.ts) is saved to the
 * Actions cache keyed by repository, settings, base branch and the commit it stands at (the
 * range's base), and restored from the newest state of the base branch, so a pull request
 * replays only the commits that landed since that state. The cache is an optimisation only:
 * a miss, a damaged entry or a cache service error costs a full replay and a notice, never the
 * check.
 *
 * A pull request cannot plant a state for other runs: the state is made from the base's history
 * only (the miner saves it at BASE, before it replays the PR's commits), a PR run's cache entries
 * are readable by that PR only, and a restored state is checked like any cache file (shape,
 * settings, its commit an ancestor of the base) before it is used.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import * as core from '@actions/core';
import { CACHE_VERSION, cachedCommit, plainText, type CacheOutcome } from '../index.js';
import type { RunContext } from './event.js';
import type { ActionInputs } from './inputs.js';

/** The part of @actions/cache the action uses: an interface so tests and other runners can supply their own. */
export interface CacheService {
  /** Whether this run can reach a cache service at all. */
  available(): Promise<boolean>;
  /** The key of the entry restored into `paths`, or undefined on a miss. */
  restore(paths: string[], primaryKey: string, restoreKeys: string[]): Promise<string | undefined>;
  /** The new entry's id; -1 when the service refused it (the library has logged why). */
  save(paths: string[], key: string): Promise<number>;
}

/** The toolkit's cache package, loaded on first use (file mode never loads it). */
export function actionsCache(): CacheService {
  const lib = () => import('@actions/cache');
  return {
    available: async () => (await lib()).isFeatureAvailable(),
    restore: async (paths, primaryKey, restoreKeys) => (await lib()).restoreCache(paths, primaryKey, restoreKeys),
    save: async (paths, key) => (await lib()).saveCache(paths, key)
  };
}

export interface HistoryCacheKeys {
  /** Where the miner keeps its state (restored into, saved from). */
  dir: string;
  /** Every key of this repository and these settings starts with it. */
  prefix: string;
  /** Keys of the base branch start with it. */
  branchPrefix: string;
}

export interface HistoryCacheScope {
  /** owner/name */
  repository: string;
  /** The branch the range is based on (the PR's base branch, the pushed branch), when the event names it. */
  baseBranch?: string;
  /** The miner's ignore patterns: a state made with other patterns cannot be resumed, so it has keys of its own. */
  ignore: readonly string[];
  /** A directory of the runner's own (RUNNER_TEMP): the cache service restores into the same absolute path it saved. */
  stateRoot: string;
}

/** Keys hold letters, digits and . _ / - only (no commas, which separate restore keys); at most 512 characters. */
function keyPart(text: string, max: number): string {
  return text.replace(/[^A-Za-z0-9._/-]/g, '_').slice(0, max);
}

export function historyCacheKeys(scope: HistoryCacheScope): HistoryCacheKeys {
  const settings = createHash('sha256').update(JSON.stringify(scope.ignore)).digest('hex').slice(0, 12);
  const prefix = `patch-risk-gate-history-v${CACHE_VERSION}-${keyPart(scope.repository, 200)}-${settings}-`;
  return {
    dir: path.join(scope.stateRoot, 'history-state'),
    prefix,
    branchPrefix: `${prefix}${keyPart(scope.baseBranch ?? '', 150)}-`
  };
}

/** The key of a state standing at `commit`. */
export function stateKey(keys: HistoryCacheKeys, commit: string): string {
  return `${keys.branchPrefix}${commit}`;
}

export interface HistoryCacheLog {
  info(line: string): void;
  notice(line: string): void;
}

export interface RestoredHistory {
  keys: HistoryCacheKeys;
  /** The key of the restored entry, undefined on a miss. */
  restoredKey?: string;
}

const FULL_REPLAY = 'the whole history is replayed this time';

/**
 * Restore the newest saved state for `base` into a fresh `keys.dir`: the state at `base` itself,
 * else the newest of the base branch, else the newest of the repository. Undefined when the
 * cache service is out of reach (then nothing is saved either). Never throws.
 */
export async function restoreHistory(
  service: CacheService,
  keys: HistoryCacheKeys,
  base: string,
  log: HistoryCacheLog
): Promise<RestoredHistory | undefined> {
  try {
    rmSync(keys.dir, { recursive: true, force: true });
    mkdirSync(keys.dir, { recursive: true });
    if (!(await service.available())) {
      log.notice(
        `history cache: the Actions cache service is not available to this run, so ${FULL_REPLAY} and the state is not saved ` +
          '(set history-cache: false to silence this)'
      );
      return undefined;
    }
  } catch (error) {
    log.notice(`history cache: cannot be used (${message(error)}); ${FULL_REPLAY}`);
    return undefined;
  }
  const primary = stateKey(keys, base);
  let restoredKey: string | undefined;
  try {
    restoredKey = await service.restore([keys.dir], primary, [keys.branchPrefix, keys.prefix]);
  } catch (error) {
    log.notice(`history cache: restoring the saved state failed (${message(error)}); ${FULL_REPLAY}`);
    return { keys };
  }
  if (restoredKey === undefined) {
    log.notice(
      `history cache: no saved state was restored (none saved for this repository yet, or the cache service failed: see any warning above); ` +
        `${FULL_REPLAY} and its state is saved for the next runs`
    );
    return { keys };
  }
  log.info(`history cache: restored ${plainText(restoredKey, 600)}`);
  return { keys, restoredKey };
}

/** A notice when a restored state could not be resumed from (the miner says why). */
export function reportOutcome(restored: RestoredHistory, outcome: CacheOutcome, log: HistoryCacheLog): void {
  if (restored.restoredKey === undefined || outcome.hit) return;
  log.notice(`history cache: the restored state was not used (${plainText(outcome.reason, 500)}); ${FULL_REPLAY}`);
}

/**
 * Save the state the miner left in `keys.dir` under the key of the commit it stands at, unless
 * that is the entry just restored (cache entries cannot be overwritten). Never throws.
 */
export async function saveHistory(service: CacheService, restored: RestoredHistory, log: HistoryCacheLog): Promise<void> {
  try {
    const state = await cachedCommit(restored.keys.dir);
    if (state === undefined) {
      log.info('history cache: the miner left no state to save');
      return;
    }
    const key = stateKey(restored.keys, state.commit);
    if (key === restored.restoredKey) {
      log.info(`history cache: the restored state already stands at ${state.commit.slice(0, 12)}; nothing to save`);
      return;
    }
    const id = await service.save([restored.keys.dir], key);
    if (id === -1) {
      log.notice('history cache: the cache service did not save the state (see the lines above); the next run replays more history');
      return;
    }
    log.info(`history cache: saved the state at ${state.commit.slice(0, 12)} as ${plainText(key, 600)}`);
  } catch (error) {
    log.notice(`history cache: saving the state failed (${message(error)}); the next run replays more history`);
  }
}

/** Cache lines, one plain line each (keys and error messages may quote text from the event or the service). */
export const cacheLog: HistoryCacheLog = {
  info: (line: string) => core.info(`patch-risk-gate: ${plainText(line, 1000)}`),
  notice: (line: string) => core.notice(`patch-risk-gate: ${plainText(line, 1000)}`)
};

/** Commit mode with history-cache on: the newest saved history state for the range's base, restored. */
export async function restoreHistoryState(
  inputs: ActionInputs,
  context: RunContext,
  cache: CacheService
): Promise<RestoredHistory | undefined> {
  if (inputs.patches !== undefined || !inputs.historyCache || 'problem' in context.commits) return undefined;
  if (!context.runnerTemp) {
    cacheLog.notice('history cache: RUNNER_TEMP is not set (not a GitHub Actions runner?), so the whole history is replayed');
    return undefined;
  }
  const keys = historyCacheKeys({
    repository: `${context.owner}/${context.repo}`,
    baseBranch: context.baseBranch,
    ignore: inputs.ignorePaths,
    stateRoot: path.join(context.runnerTemp, 'patch-risk-gate')
  });
  return restoreHistory(cache, keys, context.commits.range.base, cacheLog);
}

function message(error: unknown): string {
  return plainText(error instanceof Error ? error.message : String(error), 500);
}
