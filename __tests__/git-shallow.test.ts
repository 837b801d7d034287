/**
 * A shallow checkout fetches only the history a cached state needs (issue 13 §4): deepened
 * since the cached commit, the miner resumes from the cache and gives the rows of a full clone.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cachedCommit, deepenForCache, historyComplete, mineRange } from '../src/git/index.js';
import { ALICE, BOB, linesFrom, mergeBranch, TestRepo } from './git-helpers.js';

const git = (dir: string, args: string[]) =>
  execFileSync('git', ['-C', dir, ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' }
  });

describe('deepening a shallow clone for a cached state', () => {
  const origin = new TestRepo();
  const scratch = mkdtempSync(join(tmpdir(), 'patch-risk-shallow-'));
  const h: string[] = [];
  beforeAll(() => {
    for (let i = 0; i < 24; i++) {
      if (i === 12) {
        origin.git(['checkout', '-q', '-b', 'side']);
        origin.write('side.txt', linesFrom('s', 1, 5));
        origin.commit(BOB, i - 0.5, 'side');
        origin.git(['checkout', '-q', 'main']);
      }
      origin.write(`f${i % 4}.txt`, linesFrom(`v${i}-`, 1, 10 + i));
      h.push(origin.commit(i % 2 ? ALICE : BOB, i, `c${i}`));
      if (i === 16) h[i] = mergeBranch(origin, ALICE, i + 0.5, 'side', 'merge side');
    }
  });
  afterAll(() => {
    origin.remove();
    rmSync(scratch, { recursive: true, force: true });
  });

  const clone = (name: string) => {
    const dir = join(scratch, name);
    git(scratch, ['clone', '-q', '--depth', '1', '--no-single-branch', `file://${origin.dir}`, dir]);
    return dir;
  };

  it('fetches history since the cached commit only, then resumes with the rows of a full clone', async () => {
    const cacheDir = join(scratch, 'cache');
    const [cached, base, head] = [h[10]!, h[20]!, h[23]!];
    await mineRange({ repo: origin.dir, range: `${cached}..${cached}`, cacheDir });
    const expected = await mineRange({ repo: origin.dir, range: `${base}..${head}` });

    const dir = clone('since');
    expect(await historyComplete(dir, [base, head], cached)).toBe(false);
    // What the action reads from the restored cache before mining.
    const since = await cachedCommit(cacheDir);
    expect(since).toEqual({ commit: cached, time: Number(git(origin.dir, ['show', '-s', '--format=%ct', cached])) });
    const result = await deepenForCache(dir, { commits: [base, head], since });
    expect(result.status).toBe('deepened');
    expect(git(dir, ['rev-parse', '--is-shallow-repository']).trim()).toBe('true');
    expect(Number(git(dir, ['rev-list', '--count', 'HEAD']))).toBeLessThan(Number(git(origin.dir, ['rev-list', '--count', 'HEAD'])));
    expect(await historyComplete(dir, [base, head], cached)).toBe(true);

    const resumed = await mineRange({ repo: dir, range: `${base}..${head}`, cacheDir });
    expect(resumed.cache).toMatchObject({ hit: true, from: cached });
    expect(resumed.rows).toEqual(expected.rows);
    expect(resumed.recent).toEqual(expected.recent);

    expect((await deepenForCache(dir, { commits: [base, head], since })).status).toBe('complete');
  });

  it('without a cached state, fetches the whole history', async () => {
    const dir = clone('full');
    const result = await deepenForCache(dir, { commits: [h[23]!] });
    expect(result.status).toBe('unshallowed');
    expect(git(dir, ['rev-parse', '--is-shallow-repository']).trim()).toBe('false');
    expect((await deepenForCache(dir, { commits: [h[23]!] })).status).toBe('complete');
  });
});
