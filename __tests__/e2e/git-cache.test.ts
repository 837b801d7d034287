/**
 * The history state cache (issue 13 §4): resuming from a saved state gives byte-identical
 * metrics to a full replay, on a real repository with renames, merges and deletions; any state
 * that does not fit falls back to a full replay and says why.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { CACHE_FILE, commitCsvHeader, commitCsvRows, mineRange, type CommitMetrics } from '../../src/git/index.js';
import { OutputError } from '../../src/core/files.js';
import { mineCommand } from '../../src/cli/mine.js';
import { ALICE, buildSideBranchHistory, TestRepo } from '../helpers/git-helpers.js';

const csv = (rows: readonly CommitMetrics[]) => commitCsvHeader() + commitCsvRows(rows);
const stateJson = (dir: string) => gunzipSync(readFileSync(join(dir, CACHE_FILE))).toString('utf8');

describe('history state cache', () => {
  const repo = new TestRepo();
  const scratch = mkdtempSync(join(tmpdir(), 'patch-risk-cache-test-'));
  let h: Record<string, string>;
  let n = 0;
  const dir = () => join(scratch, `c${n++}`);
  const count = (range: string) => Number(repo.git(['rev-list', '--count', range]).trim());

  beforeAll(() => {
    h = buildSideBranchHistory(repo);
  });

  afterAll(() => {
    repo.remove();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('resuming at any commit of the base first-parent chain equals a full replay, byte for byte', async () => {
    const range = `${h.M6}..${h.X3}`;
    const full = await mineRange({ repo: repo.dir, range });
    expect(full.cache).toBeUndefined();
    const reference = dir();
    const first = await mineRange({ repo: repo.dir, range, cacheDir: reference });
    expect(first.cache).toMatchObject({ hit: false, replayed: count(h.M6) });
    expect(first.cache!.reason).toMatch(/no cached state/);
    expect(csv(first.rows)).toBe(csv(full.rows));
    const saved = stateJson(reference);
    expect(JSON.parse(saved)).toMatchObject({ commit: h.M6, version: 1, settings: { fixRule: expect.stringMatching(/^words:/) } });

    for (const at of ['M0', 'M2', 'M4', 'X1', 'M5', 'X2', 'M6']) {
      const cacheDir = dir();
      // An empty range at `at` replays its history and saves the state there.
      await mineRange({ repo: repo.dir, range: `${h[at]}..${h[at]}`, cacheDir });
      const resumed = await mineRange({ repo: repo.dir, range, cacheDir });
      expect([at, resumed.cache]).toEqual([at, expect.objectContaining({ hit: true, from: h[at], replayed: count(`${h[at]}..${h.M6}`) })]);
      expect(csv(resumed.rows)).toBe(csv(full.rows));
      expect(resumed.recent).toEqual(full.recent);
      expect(resumed.rows).toEqual(full.rows);
      // The state saved after resuming is the state a full replay saves.
      expect(stateJson(cacheDir)).toBe(saved);
    }
  });

  it('a whole-history mine saves the state at HEAD for later ranges', async () => {
    const cacheDir = dir();
    const all = await mineRange({ repo: repo.dir, cacheDir });
    expect(all.cache).toMatchObject({ hit: false });
    expect(all.cache!.reason).toMatch(/no --range/);
    const later = await mineRange({ repo: repo.dir, range: `${h.X3}..${h.X3}`, cacheDir });
    expect(later.cache).toMatchObject({ hit: true, replayed: 0 });
    // Metric rows: files and reviewers are left out.
    expect(later.recent).toEqual(all.rows.filter((r) => r.merge === 0).map((r) => ({ ...r, files: [], reviewers: [] })));
  });

  it('falls back to a full replay, and says why, when the state does not fit', async () => {
    const range = `${h.M6}..${h.X3}`;
    const full = csv((await mineRange({ repo: repo.dir, range })).rows);
    const check = async (cacheDir: string, reason: RegExp, ignore?: string[]) => {
      const result = await mineRange({ repo: repo.dir, range, cacheDir, ignore });
      expect(result.cache).toMatchObject({ hit: false, replayed: count(h.M6) });
      expect(result.cache!.reason).toMatch(reason);
      if (!ignore) expect(csv(result.rows)).toBe(full);
    };

    const sideCache = dir();
    await mineRange({ repo: repo.dir, range: `${h.S2}..${h.S2}`, cacheDir: sideCache });
    await check(sideCache, /is an ancestor of .* but not on its first-parent chain/);

    const otherSettings = dir();
    await mineRange({ repo: repo.dir, range: `${h.M2}..${h.M2}`, cacheDir: otherSettings, ignore: [] });
    await check(otherSettings, /ignore patterns differ/);

    // Rewritten history: the cached commit is not an ancestor of the base any more.
    const rewritten = dir();
    repo.git(['checkout', '-q', '-b', 'rewritten', h.M5]);
    repo.write('x.txt', 'x\n');
    const gone = repo.commit(ALICE, 20, 'rewritten');
    repo.git(['checkout', '-q', 'main']);
    await mineRange({ repo: repo.dir, range: `${gone}..${gone}`, cacheDir: rewritten });
    await check(rewritten, /not an ancestor/);

    // A state from another repository.
    const other = new TestRepo();
    try {
      other.write('a.txt', 'a\n');
      other.commit(ALICE, 0, 'other');
      const foreign = dir();
      await mineRange({ repo: other.dir, range: 'HEAD..HEAD', cacheDir: foreign });
      await check(foreign, /not in this repository/);
    } finally {
      other.remove();
    }

    const damaged = dir();
    mkdirSync(damaged);
    writeFileSync(join(damaged, CACHE_FILE), 'not gzip');
    await check(damaged, /not a gzip-compressed JSON/);
    writeFileSync(join(damaged, CACHE_FILE), gzipSync(JSON.stringify({ format: 'patch-risk-history-state', version: 0 })));
    await check(damaged, /format version 0/);
    const reference = dir();
    await mineRange({ repo: repo.dir, range: `${h.M2}..${h.M2}`, cacheDir: reference });
    const good = JSON.parse(stateJson(reference));
    good.history.files[0][4] = [[9999, 1]];
    writeFileSync(join(damaged, CACHE_FILE), gzipSync(JSON.stringify(good)));
    await check(damaged, /damaged/);
    good.blobs = 'x';
    writeFileSync(join(damaged, CACHE_FILE), gzipSync(JSON.stringify(good)));
    await check(damaged, /damaged \(state\.blobs: expected a list\)/);
  });

  it('never writes through a symbolic link', async () => {
    const target = dir();
    mkdirSync(target);
    const link = dir();
    symlinkSync(target, link);
    await expect(mineRange({ repo: repo.dir, range: `${h.M2}..${h.M2}`, cacheDir: link })).rejects.toThrow(OutputError);
    const fileLink = dir();
    mkdirSync(fileLink);
    symlinkSync(join(target, 'elsewhere.gz'), join(fileLink, CACHE_FILE));
    await expect(mineRange({ repo: repo.dir, range: `${h.M2}..${h.M2}`, cacheDir: fileLink })).rejects.toThrow(/symbolic link/);
    expect(existsSync(join(target, 'elsewhere.gz'))).toBe(false);
  });

  it('patch-risk mine --cache says what the cache did and writes the same CSV', async () => {
    const cacheDir = dir();
    const out = join(scratch, 'rows.csv');
    const messages: string[] = [];
    const original = process.stderr.write.bind(process.stderr);
    process.stderr.write = (chunk: string | Uint8Array) => {
      messages.push(String(chunk));
      return true;
    };
    try {
      await mineCommand().parseAsync(['--repo', repo.dir, '--range', `${h.M5}..${h.M5}`, '--cache', cacheDir, '--out', out], {
        from: 'user'
      });
      await mineCommand().parseAsync(['--repo', repo.dir, '--range', `${h.M6}..${h.X3}`, '--cache', cacheDir, '--out', out], {
        from: 'user'
      });
    } finally {
      process.stderr.write = original;
    }
    expect(messages.join('')).toMatch(/cache: not used \(no cached state in .*\); replaying all \d+ commits of the history/);
    expect(messages.join('')).toMatch(
      new RegExp(
        `cache: resumed from the cached state at ${h.M5.slice(0, 12)}; replaying ${count(`${h.M5}..${h.M6}`)} commits before the range`
      )
    );
    expect(readFileSync(out, 'utf8')).toBe(csv((await mineRange({ repo: repo.dir, range: `${h.M6}..${h.X3}` })).rows));
  });
});
