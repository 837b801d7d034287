/**
 * A shallow checkout fetches only the history a cached state needs (issue 13 §4): deepened
 * since the cached commit, the miner resumes from the cache and gives the rows of a full clone.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mineRange as mineCommitsInput } from '../../src/api/commits.js';
import { cachedCommit, deepenForCache, historyComplete, mineRange } from '../../src/git/index.js';
import { ALICE, BOB, linesFrom, mergeBranch, TestRepo } from '../helpers/git-helpers.js';

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
    const [cached, base, head] = [h[10], h[20], h[23]];
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

  it('commit mode deepens since a cached state it can resume from, and unshallows before a full replay it cannot avoid', async () => {
    const [cached, base, head] = [h[10], h[20], h[23]];
    const expected = await mineRange({ repo: origin.dir, range: `${base}..${head}` });

    const usable = join(scratch, 'usable-cache');
    await mineRange({ repo: origin.dir, range: `${cached}..${cached}`, cacheDir: usable });
    const resumed = clone('api-resumed');
    const lines: string[] = [];
    const mined = await mineCommitsInput({
      kind: 'commits',
      repo: resumed,
      range: { base, head },
      cache: usable,
      log: (l) => lines.push(l)
    });
    expect(mined.mined).toEqual(expected.rows);
    expect(lines.join('\n')).toMatch(/--shallow-since=@\d+/);
    expect(lines.join('\n')).not.toContain('--unshallow');
    expect(git(resumed, ['rev-parse', '--is-shallow-repository']).trim()).toBe('true');

    // A state made with other ignore patterns covers the base but cannot be resumed from: no replay on the partial history.
    const other = join(scratch, 'other-settings-cache');
    await mineRange({ repo: origin.dir, range: `${cached}..${cached}`, cacheDir: other, ignore: ['f0.txt'] });
    const partial = clone('api-partial');
    lines.length = 0;
    const full = await mineCommitsInput({ kind: 'commits', repo: partial, range: { base, head }, cache: other, log: (l) => lines.push(l) });
    expect(lines.join('\n')).toMatch(/history cache not usable \(the ignore patterns differ.*fetching the whole history/);
    expect(git(partial, ['rev-parse', '--is-shallow-repository']).trim()).toBe('false');
    expect(full.mined).toEqual(expected.rows);
  }, 180000);

  it('without a cached state, fetches the whole history', async () => {
    const dir = clone('full');
    const result = await deepenForCache(dir, { commits: [h[23]] });
    expect(result.status).toBe('unshallowed');
    expect(git(dir, ['rev-parse', '--is-shallow-repository']).trim()).toBe('false');
    expect((await deepenForCache(dir, { commits: [h[23]] })).status).toBe('complete');
  });
});
