/**
 * The action's history cache in-process (the e2e layer is action-cache.test.ts): keys, and what
 * each answer of the cache service leads to, with a scripted CacheService.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { baseBranchOf } from '../../src/action/event.js';
import { historyCacheKeys, restoreHistory, saveHistory, stateKey, type CacheService } from '../../src/action/history-cache.js';
import { saveHistoryCache } from '../../src/git/index.js';
import { CACHE_VERSION, DEFAULT_IGNORE } from '../../src/index.js';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const scratch = mkdtempSync(path.join(tmpdir(), 'prg-history-cache-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function keysFor(ignore: readonly string[] = DEFAULT_IGNORE, baseBranch: string | undefined = 'main') {
  return historyCacheKeys({ repository: 'acme/app', baseBranch, ignore, stateRoot: path.join(scratch, 'state') });
}

class Log {
  info: string[] = [];
  notices: string[] = [];
  readonly sink = { info: (line: string) => this.info.push(line), notice: (line: string) => this.notices.push(line) };
}

/** A service whose every call is scripted; records the calls. */
function service(script: Partial<CacheService>): CacheService & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    available: async () => (script.available ? script.available() : true),
    restore: async (paths, key, restoreKeys) => {
      calls.push(`restore ${key} [${restoreKeys.join(' | ')}]`);
      return script.restore ? script.restore(paths, key, restoreKeys) : undefined;
    },
    save: async (paths, key) => {
      calls.push(`save ${key}`);
      return script.save ? script.save(paths, key) : 1;
    }
  };
}

async function writeState(dir: string, commit: string): Promise<void> {
  await saveHistoryCache(dir, {
    commit,
    commitTime: 1_700_000_000,
    objectFormat: 'sha1',
    settings: { ignore: [...DEFAULT_IGNORE], fixRule: 'words:fix' },
    replayed: 3,
    history: { authors: [], files: [] },
    blobs: [],
    recent: []
  });
}

describe('history cache keys', () => {
  it('name the repository, the settings, the base branch and the commit, and restore newest-first by prefix', () => {
    const keys = keysFor();
    expect(keys.prefix).toMatch(new RegExp(`^patch-risk-gate-history-v${CACHE_VERSION}-acme/app-[0-9a-f]{12}-$`));
    expect(keys.branchPrefix).toBe(`${keys.prefix}main-`);
    expect(stateKey(keys, A)).toBe(`${keys.prefix}main-${A}`);
    expect(keys.dir).toBe(path.join(scratch, 'state', 'history-state'));
  });

  it('differ by ignore patterns (a state made with others cannot be resumed)', () => {
    expect(keysFor(['docs/']).prefix).not.toBe(keysFor().prefix);
  });

  it('keep only characters a cache key may hold, and stay short', () => {
    const keys = keysFor(DEFAULT_IGNORE, 'feat,x\n::warning::y' + 'z'.repeat(600));
    expect(keys.branchPrefix).not.toMatch(/[,\n:]/);
    expect(stateKey(keys, A).length).toBeLessThanOrEqual(512);
  });

  it('take the PR base branch or the pushed branch', () => {
    expect(baseBranchOf('pull_request', { pull_request: { base: { sha: A, ref: 'release/2.x' } } })).toBe('release/2.x');
    expect(baseBranchOf('push', { ref: 'refs/heads/main' })).toBe('main');
    expect(baseBranchOf('push', { ref: 'refs/tags/v1' })).toBeUndefined();
    expect(baseBranchOf('workflow_dispatch', {})).toBeUndefined();
  });
});

describe('restoring and saving', () => {
  it('restores the base’s state, else the branch’s, else the repository’s newest, and saves a state that moved', async () => {
    const keys = keysFor();
    const log = new Log();
    const cache = service({
      restore: async () => {
        await writeState(keys.dir, A);
        return stateKey(keys, A);
      }
    });
    const restored = await restoreHistory(cache, keys, B, log.sink);
    expect(cache.calls).toEqual([`restore ${stateKey(keys, B)} [${keys.branchPrefix} | ${keys.prefix}]`]);
    expect(restored).toEqual({ keys, restoredKey: stateKey(keys, A) });
    expect(log.notices).toEqual([]);

    await writeState(keys.dir, B); // what the miner leaves after replaying up to the base
    await saveHistory(cache, restored!, log.sink);
    expect(cache.calls[1]).toBe(`save ${stateKey(keys, B)}`);
    expect(log.info.at(-1)).toContain(`saved the state at ${B.slice(0, 12)}`);
  });

  it('saves nothing when the state still stands at the restored entry', async () => {
    const keys = keysFor();
    const cache = service({
      restore: async () => {
        await writeState(keys.dir, A);
        return stateKey(keys, A);
      }
    });
    const log = new Log();
    const restored = await restoreHistory(cache, keys, A, log.sink);
    await saveHistory(cache, restored!, log.sink);
    expect(cache.calls.filter((c) => c.startsWith('save'))).toEqual([]);
    expect(log.info.at(-1)).toContain('nothing to save');
  });

  it('turns every service failure into a notice, never an exception', async () => {
    const keys = keysFor();
    const log = new Log();
    const broken = service({
      restore: async () => {
        throw new Error('socket hang up\n::error::injected');
      },
      save: async () => {
        throw new Error('upload failed');
      }
    });
    const restored = await restoreHistory(broken, keys, A, log.sink);
    expect(restored).toEqual({ keys });
    await writeState(keys.dir, A);
    await saveHistory(broken, restored!, log.sink);
    expect(log.notices).toEqual([
      'history cache: restoring the saved state failed (socket hang up ::error::injected); the whole history is replayed this time',
      'history cache: saving the state failed (upload failed); the next run replays more history'
    ]);

    const refused = new Log();
    await saveHistory(service({ save: async () => -1 }), { keys }, refused.sink);
    expect(refused.notices).toEqual([expect.stringContaining('the cache service did not save the state')]);
  });

  it('skips the cache with a notice when no service is available, and starts from an empty folder', async () => {
    const keys = keysFor();
    mkdirSync(keys.dir, { recursive: true });
    writeFileSync(path.join(keys.dir, 'stale'), 'left by an earlier step');
    const log = new Log();
    const cache = service({ available: async () => false });
    expect(await restoreHistory(cache, keys, A, log.sink)).toBeUndefined();
    expect(cache.calls).toEqual([]);
    expect(existsSync(path.join(keys.dir, 'stale'))).toBe(false);
    expect(log.notices).toEqual([expect.stringContaining('the Actions cache service is not available to this run')]);
  });

  it('a miss says so once and leaves the folder empty for the miner', async () => {
    const keys = keysFor();
    const log = new Log();
    expect(await restoreHistory(service({}), keys, A, log.sink)).toEqual({ keys });
    expect(log.notices).toEqual([expect.stringContaining('no saved state was restored')]);
    await saveHistory(service({}), { keys }, log.sink);
    expect(log.info.at(-1)).toBe('history cache: the miner left no state to save');
  });
});
