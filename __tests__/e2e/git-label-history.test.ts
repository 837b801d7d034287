import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Papa from 'papaparse';
import {
  commitCsvHeader,
  commitCsvRows,
  DEFAULT_FIX_PATTERN,
  labelHistory,
  mineAll,
  parseHistoryDate,
  type LabelHistoryResult
} from '../../src/git/index.js';
import { progressLine } from '../../src/cli/label.js';
import { openSzzRepo } from '../../src/git/szz-git.js';
import { runFixes } from '../../src/git/szz-run.js';
import { ALICE, BOB, CAROL, DAY, T0, TestRepo, dateEnv, type Person } from '../helpers/git-helpers.js';

const DAVE: Person = { name: 'Dave', email: 'dave@example.com' };
const EVE: Person = { name: 'Eve', email: 'eve@example.com' };
const BIN = resolve('lib/cli/bin.js');

function lines(tag: string, n = 10): string[] {
  return Array.from({ length: n }, (_, i) => `const v${i + 1} = '${tag}';`);
}
const text = (ls: readonly string[]) => ls.map((l) => `${l}\n`).join('');

/** What two runs must agree on (the cache counters aside). */
function outcome(r: LabelHistoryResult) {
  return {
    labels: [...r.labels],
    fixedBy: [...r.fixedBy],
    fixCommits: [...r.fixCommits].sort(),
    counts: { commits: r.counts.commits, fixes: r.counts.fixes, fixesInWindow: r.counts.fixesInWindow, bugs: r.counts.bugs },
    settings: r.settings
  };
}

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'patch-risk-label-'));
}

/*
 * src/a.js and dist/bundle.js (ignored by default) through the history (d = days after T0):
 *
 * c1 Alice d0   adds src/a.js (v1..v10 = 'c1') and dist/bundle.js
 * c2 Bob   d1   "Add feature": a.js v3 = 'c2'
 * c3 Bob   d1.5 "Tune bundle": dist/bundle.js v4 = 'c3'                       (only an ignored file)
 * c4 Carol d2   "Fix bad v3": a.js v3 = 'c4', bundle v4 = 'c4'               fix: blames c2 (and c3 if dist counts)
 * c5 Dave  d10  "Bug 77 - Add export": a.js v5 = 'c5'                         a reference alone: no fix by default
 * c6 Eve   d20  "fix crash in export": a.js v5 = 'c6'                         fix: blames c5
 */
describe('labelHistory', () => {
  const repo = new TestRepo();
  const h: Record<string, string> = {};
  const a = lines('c1');
  const bundle = lines('c1', 5);
  const cut = T0 + 15 * DAY; // between c5 and c6

  beforeAll(() => {
    repo.write('src/a.js', text(a));
    repo.write('dist/bundle.js', text(bundle));
    h.c1 = repo.commit(ALICE, 0, 'Add a.js');
    a[2] = `const v3 = 'c2';`;
    repo.write('src/a.js', text(a));
    h.c2 = repo.commit(BOB, 1, 'Add feature');
    bundle[3] = `const v4 = 'c3';`;
    repo.write('dist/bundle.js', text(bundle));
    h.c3 = repo.commit(BOB, 1.5, 'Tune bundle');
    a[2] = `const v3 = 'c4';`;
    bundle[3] = `const v4 = 'c4';`;
    repo.write('src/a.js', text(a));
    repo.write('dist/bundle.js', text(bundle));
    h.c4 = repo.commit(CAROL, 2, 'Fix bad v3');
    a[4] = `const v5 = 'c5';`;
    repo.write('src/a.js', text(a));
    h.c5 = repo.commit(DAVE, 10, 'Bug 77 - Add export');
    a[4] = `const v5 = 'c6';`;
    repo.write('src/a.js', text(a));
    h.c6 = repo.commit(EVE, 20, 'fix crash in export');
  });

  afterAll(() => repo.remove());

  it('labels every non-merge commit from the fix commits the rule finds', async () => {
    const r = await labelHistory({ repo: repo.dir, jobs: 2 });
    expect([...r.labels.keys()]).toEqual([h.c1, h.c2, h.c3, h.c4, h.c5, h.c6]);
    expect(Object.fromEntries([...r.labels].map(([k, v]) => [Object.keys(h).find((n) => h[n] === k), v]))).toEqual({
      c1: 0,
      c2: 1,
      c3: 0, // only an ignored file: dist/ is never blamed by default
      c4: 0,
      c5: 1,
      c6: 0
    });
    expect(r.fixedBy).toEqual(
      new Map([
        [h.c2, [h.c4]],
        [h.c5, [h.c6]]
      ])
    );
    expect(r.fixCommits).toEqual(new Set([h.c4, h.c6]));
    expect(r.counts).toEqual({ commits: 6, fixes: 2, fixesInWindow: 2, massChanges: 0, bugs: 2, fromCache: 0, blamed: 2 });
    expect(r.settings).toMatchObject({ head: h.c6, fixRule: DEFAULT_FIX_PATTERN, ignoreRevs: 0, maxFixFiles: 100 });
  });

  it('takes the fix rule and the ignore list as options', async () => {
    const withRefs = await labelHistory({ repo: repo.dir, fixRule: 'subject|ref', ignore: [] });
    // "Bug 77" is now a fix: it changed v5, which c1 wrote; dist/ counts, so c3 is blamed by c4.
    expect(withRefs.fixedBy).toEqual(
      new Map([
        [h.c2, [h.c4]],
        [h.c3, [h.c4]],
        [h.c1, [h.c5]],
        [h.c5, [h.c6]]
      ])
    );
    expect(withRefs.settings.fixRule).toBe('subject|ref');
    await expect(labelHistory({ repo: repo.dir, fixRule: 'nonsense' })).rejects.toThrow('unknown term "nonsense"');
  });

  it('--until: later commits are no fixes, no introducers and no rows, and the result is the same as before they existed', async () => {
    const before = await labelHistory({ repo: repo.dir, until: cut });
    expect([...before.labels.keys()]).toEqual([h.c1, h.c2, h.c3, h.c4, h.c5]);
    expect(before.labels.get(h.c5)).toBe(0); // its fix (c6) lies after the cut
    expect(before.settings.head).toBe(h.c5);
    expect(before.counts).toMatchObject({ commits: 5, fixes: 1, fixesInWindow: 1, bugs: 1 });

    // The same history with more commits after the cut, one of which would relabel c2 and c1.
    const clone = new TestRepo();
    try {
      clone.git(['pull', '-q', repo.dir, 'main']);
      const later = text(lines('late'));
      clone.write('src/a.js', later);
      clone.commit(EVE, 30, 'Fix everything');
      clone.write('.git-blame-ignore-revs', `${h.c2}\n`);
      clone.commit(EVE, 31, 'ignore c2 in blame');
      const after = await labelHistory({ repo: clone.dir, until: cut });
      expect(outcome(after)).toEqual(outcome(before));
    } finally {
      clone.remove();
    }
  });

  it('--since: only fix commits from then on are blamed, introducers may be older', async () => {
    const r = await labelHistory({ repo: repo.dir, since: T0 + 5 * DAY });
    expect(r.counts).toMatchObject({ fixes: 2, fixesInWindow: 1, bugs: 1 });
    expect(r.fixedBy).toEqual(new Map([[h.c5, [h.c6]]]));
  });

  it('a commit-graph with Bloom filters, written outside the repository, changes no result', async () => {
    const opened = await openSzzRepo(repo.dir);
    const jobs = [
      { commit: h.c4, parent: h.c3, include: () => true },
      { commit: h.c6, parent: h.c5, include: () => true }
    ];
    const graphs = () => readdirSync(tmpdir()).filter((n) => n.startsWith('patch-risk-graph-'));
    const before = graphs();
    const plain = await runFixes(jobs, { repo: opened, commitGraphMinFixes: Infinity });
    const graphed = await runFixes(jobs, { repo: opened, commitGraphMinFixes: 0 });
    expect(graphed).toEqual(plain);
    expect(
      plain.introducers
        .get(h.c4)!
        .map((c) => c.hash)
        .sort()
    ).toEqual([h.c2, h.c3].sort());
    // The repository is not modified and the temporary graph is gone.
    expect(existsSync(join(repo.dir, '.git', 'objects', 'info', 'commit-graph'))).toBe(false);
    expect(graphs()).toEqual(before);
  });

  it('gives the same labels with one git process or several', async () => {
    const one = await labelHistory({ repo: repo.dir, jobs: 1, fixRule: 'subject|ref', ignore: [] });
    const four = await labelHistory({ repo: repo.dir, jobs: 4, fixRule: 'subject|ref', ignore: [] });
    expect(outcome(four)).toEqual(outcome(one));
  });
});

describe('labelHistory cache', () => {
  let repo: TestRepo;
  let cache: string;
  const h: Record<string, string> = {};
  const a = lines('c1');

  beforeEach(() => {
    repo = new TestRepo();
    cache = tempDir();
    repo.write('src/a.js', text(a));
    repo.write('dist/b.js', text(lines('c1', 3)));
    h.c1 = repo.commit(ALICE, 0, 'Add a.js');
    repo.write('src/a.js', text([...a.slice(0, 2), `const v3 = 'c2';`, ...a.slice(3)]));
    repo.write('dist/b.js', text([`const v1 = 'c2';`, ...lines('c1', 3).slice(1)]));
    h.c2 = repo.commit(BOB, 1, 'Add feature');
    repo.write('src/a.js', text([...a.slice(0, 2), `const v3 = 'c3';`, ...a.slice(3)]));
    repo.write('dist/b.js', text(lines('c3', 3)));
    h.c3 = repo.commit(CAROL, 2, 'Fix v3');
    repo.write('src/a.js', text([...a.slice(0, 6), `const v7 = 'c4';`, ...a.slice(7)]));
    h.c4 = repo.commit(DAVE, 3, 'Bug 9 - Add v7 export');
  });

  afterEach(() => {
    repo.remove();
    rmSync(cache, { recursive: true, force: true });
  });

  const entries = () =>
    readdirSync(join(cache, 'szz'), { recursive: true })
      .map(String)
      .filter((p) => p.endsWith('.json'));

  it('a second run blames nothing; a new fix commit is the only one blamed next time', async () => {
    const cold = await labelHistory({ repo: repo.dir, cacheDir: cache });
    expect(cold.counts).toMatchObject({ fixesInWindow: 1, fromCache: 0, blamed: 1 });
    expect(entries()).toHaveLength(1);
    const warm = await labelHistory({ repo: repo.dir, cacheDir: cache });
    expect(warm.counts).toMatchObject({ fromCache: 1, blamed: 0 });
    expect(outcome(warm)).toEqual(outcome(cold));

    repo.write('src/a.js', text([...a.slice(0, 6), `const v7 = 'c5';`, ...a.slice(7)]));
    repo.commit(EVE, 4, 'Fix the v7 export');
    const next = await labelHistory({ repo: repo.dir, cacheDir: cache });
    expect(next.counts).toMatchObject({ fixesInWindow: 2, fromCache: 1, blamed: 1, bugs: 2 });
    expect(next.labels.get(h.c4)).toBe(1);
  });

  it('entries do not depend on the fix rule or the ignore list: a wider run blames only what is new', async () => {
    await labelHistory({ repo: repo.dir, cacheDir: cache });
    // c4 becomes a fix (new), and c3's entry must add dist/b.js (blamed now, not before).
    const wider = await labelHistory({ repo: repo.dir, cacheDir: cache, fixRule: 'subject|ref', ignore: [] });
    expect(wider.counts).toMatchObject({ fixesInWindow: 2, fromCache: 0, blamed: 2 });
    expect(wider.fixedBy.get(h.c2)).toEqual([h.c3]);
    const again = await labelHistory({ repo: repo.dir, cacheDir: cache, fixRule: 'subject|ref', ignore: [] });
    expect(again.counts).toMatchObject({ fromCache: 2, blamed: 0 });
    const narrow = await labelHistory({ repo: repo.dir, cacheDir: cache });
    expect(narrow.counts).toMatchObject({ fromCache: 1, blamed: 0 });
    expect(outcome(again)).toEqual(outcome(wider));
  });

  it('a mass change (more files than maxFixFiles) is not blamed; its diff stays cached for a higher limit', async () => {
    // c3 lost lines in src/a.js and dist/b.js: two files once dist/ counts.
    const limited = await labelHistory({ repo: repo.dir, cacheDir: cache, ignore: [], maxFixFiles: 1 });
    expect(limited.counts).toMatchObject({ fixesInWindow: 1, massChanges: 1, bugs: 0, blamed: 1 });
    expect(limited.settings.maxFixFiles).toBe(1);
    const open = await labelHistory({ repo: repo.dir, cacheDir: cache, ignore: [], maxFixFiles: Infinity });
    expect(open.counts).toMatchObject({ massChanges: 0, bugs: 2, blamed: 1 });
    expect(open.settings.maxFixFiles).toBeNull();
    await expect(labelHistory({ repo: repo.dir, maxFixFiles: 0 })).rejects.toThrow('maxFixFiles must be >= 1');
  });

  it('a committed .git-blame-ignore-revs is part of the key: changing it starts a new cache folder', async () => {
    await labelHistory({ repo: repo.dir, cacheDir: cache });
    repo.write('.git-blame-ignore-revs', `# formatting\n${h.c2}\n`);
    repo.commit(EVE, 5, 'ignore c2');
    const r = await labelHistory({ repo: repo.dir, cacheDir: cache });
    expect(r.counts).toMatchObject({ fromCache: 0, blamed: 1 });
    expect(r.settings.ignoreRevs).toBe(1);
    expect(readdirSync(join(cache, 'szz'))).toHaveLength(2);
    // Blame looks through c2: its line goes back to c1.
    expect(r.fixedBy).toEqual(new Map([[h.c1, [h.c3]]]));
  });

  it('a damaged entry is recomputed and rewritten', async () => {
    const cold = await labelHistory({ repo: repo.dir, cacheDir: cache });
    const [entry] = entries();
    writeFileSync(join(cache, 'szz', entry), '{"format":1,"fix":"');
    const again = await labelHistory({ repo: repo.dir, cacheDir: cache });
    expect(again.counts).toMatchObject({ fromCache: 0, blamed: 1 });
    expect(outcome(again)).toEqual(outcome(cold));
    expect(JSON.parse(readFileSync(join(cache, 'szz', entry), 'utf8')).fix).toBe(h.c3);
  });

  it('never writes through a symbolic link planted in the cache', async () => {
    await labelHistory({ repo: repo.dir, cacheDir: cache });
    const [entry] = entries();
    const victim = join(cache, 'victim.txt');
    writeFileSync(victim, 'keep me');
    rmSync(join(cache, 'szz', entry));
    symlinkSync(victim, join(cache, 'szz', entry));
    await expect(labelHistory({ repo: repo.dir, cacheDir: cache })).rejects.toThrow('is a symbolic link; refusing to write through it');
    expect(readFileSync(victim, 'utf8')).toBe('keep me');

    const linked = join(cache, 'linked');
    symlinkSync(tmpdir(), linked);
    await expect(labelHistory({ repo: repo.dir, cacheDir: linked })).rejects.toThrow(`${linked}: it is a symbolic link`);
  });
});

describe('labelHistory trusts only committed history', () => {
  let repo: TestRepo;
  const h: Record<string, string> = {};

  beforeAll(() => {
    repo = new TestRepo();
    repo.write('src/a.c', text(lines('c1')));
    h.c1 = repo.commit(ALICE, 0, 'Add a.c');
    repo.write('src/a.c', text([...lines('c1').slice(0, 4), 'int broken = 1;', ...lines('c1').slice(5)]));
    h.c2 = repo.commit(BOB, 1, 'Tune a.c');
    // A committed .gitattributes that makes every file binary for diff and blame.
    repo.write('.gitattributes', '* -diff\n');
    h.c3 = repo.commit(CAROL, 2, 'Add attributes');
    repo.write('src/a.c', text(lines('c1')));
    h.c4 = repo.commit(CAROL, 3, 'Fix broken flag');
    // And an uncommitted ignore-revs file in the work tree that would hide c2.
    repo.write('.git-blame-ignore-revs', `${h.c2}\n`);
  });

  afterAll(() => repo.remove());

  it('a .gitattributes with "* -diff" does not hide lines, and a work-tree ignore-revs file is not read', async () => {
    // git in the work tree sees a binary file and no lines:
    expect(repo.git(['diff', '-U0', h.c2, h.c4, '--', 'src/a.c'])).toMatch(/Binary files/);
    const r = await labelHistory({ repo: repo.dir });
    expect(r.fixedBy).toEqual(new Map([[h.c2, [h.c4]]]));
    expect(r.settings.ignoreRevs).toBe(0);
  });

  it('labels merge commits never, and blames through them', async () => {
    const m = new TestRepo();
    try {
      m.write('a.py', text(lines('c1')));
      const c1 = m.commit(ALICE, 0, 'start');
      m.git(['checkout', '-q', '-b', 'side']);
      m.write('a.py', text([...lines('c1').slice(0, 2), 'v3 = "side"', ...lines('c1').slice(3)]));
      const side = m.commit(BOB, 1, 'side change');
      m.git(['checkout', '-q', 'main']);
      m.write('b.py', 'x = 1\n');
      m.commit(ALICE, 2, 'main change');
      m.git(['merge', '-q', '--no-ff', '-m', 'merge side', 'side'], dateEnv(ALICE, 3));
      const merge = m.head();
      m.write('a.py', text(lines('c1')));
      const fix = m.commit(CAROL, 4, 'fix v3');
      const r = await labelHistory({ repo: m.dir });
      expect(r.labels.has(merge)).toBe(false);
      expect(r.labels.size).toBe(4);
      expect(r.fixedBy).toEqual(new Map([[side, [fix]]]));
      expect(r.labels.get(c1)).toBe(0);
    } finally {
      m.remove();
    }
  });
});

describe('patch-risk label (CLI)', () => {
  let repo: TestRepo;
  let dir: string;
  const h: Record<string, string> = {};

  beforeAll(async () => {
    repo = new TestRepo();
    dir = tempDir();
    repo.write('src/a.js', text(lines('c1')));
    h.c1 = repo.commit(ALICE, 0, 'Add a.js');
    repo.write('src/a.js', text([...lines('c1').slice(0, 2), `const v3 = 'c2';`, ...lines('c1').slice(3)]));
    h.c2 = repo.commit(BOB, 1, 'Bug 12 - Add feature');
    repo.write('src/a.js', text(lines('c1')));
    h.c3 = repo.commit(CAROL, 2, 'Bug 13 - NPE in feature');
    repo.write('src/a.js', text([...lines('c1').slice(0, 2), `const v3 = 'c4';`, ...lines('c1').slice(3)]));
    h.c4 = repo.commit(DAVE, 40, 'Fix feature');
    writeFileSync(join(dir, 'commits.csv'), commitCsvHeader() + commitCsvRows(await mineAll({ repo: repo.dir })));
  });

  afterAll(() => {
    repo.remove();
    rmSync(dir, { recursive: true, force: true });
  });

  const run = (args: string[]) =>
    spawnSync(process.execPath, [BIN, 'label', join(dir, 'commits.csv'), '--repo', repo.dir, ...args], { encoding: 'utf8' });
  const read = (file: string) =>
    Papa.parse<Record<string, string>>(readFileSync(file, 'utf8'), { header: true, skipEmptyLines: true }).data;

  it('--fix-pattern, --until, --cache and --out work together; rows after --until are left out', () => {
    const out = join(dir, 'labelled.csv');
    const cache = join(dir, 'cache');
    const args = [
      '--fix-pattern',
      'ref+symptom',
      '--until',
      new Date((T0 + 10 * DAY) * 1000).toISOString().slice(0, 10),
      '--cache',
      cache,
      '--out',
      out,
      '--jobs',
      '2'
    ];
    const first = run(args);
    expect(first.status).toBe(0);
    expect(read(out).map((r) => [r.commit, r.bug, r.fixed_by])).toEqual([
      [h.c1, '0', ''],
      [h.c2, '1', h.c3],
      [h.c3, '0', '']
    ]);
    expect(first.stderr).toContain('label: 1 rows left out: committed after --until or not in the history of HEAD');
    expect(first.stderr).toMatch(/label: 1\/1 fix commits \(0 from the cache, 1 blamed, [\d.]+\/s\), \d+ s\n/);
    expect(first.stderr).toContain('fix rule "ref+symptom": 1 fix commits, 1 in the window (0 from the cache, 1 blamed)');
    // The miner's keyword rule called c2 and c3 fixes ("Bug"), the label rule only c3.
    expect(first.stderr).toContain('warning: the CSV\'s fix column and the fix rule "ref+symptom" disagree on 1 commits');
    const second = run(args);
    expect(second.status).toBe(0);
    expect(second.stderr).toContain('(1 from the cache, 0 blamed)');
  });

  it('refuses an --out that is a symbolic link, a bad pattern and a bad date, with messages', () => {
    const victim = join(dir, 'victim.csv');
    writeFileSync(victim, 'keep');
    const link = join(dir, 'out-link.csv');
    symlinkSync(victim, link);
    const refused = run(['--out', link]);
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toContain('is a symbolic link; refusing to write through it');
    expect(readFileSync(victim, 'utf8')).toBe('keep');
    expect(statSync(dir).isDirectory()).toBe(true);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);

    const pattern = run(['--fix-pattern', 'bugs']);
    expect(pattern.status).toBe(2);
    expect(pattern.stderr).toContain('--fix-pattern "bugs": unknown term "bugs"');
    const date = run(['--until', '31/12/2018']);
    expect(date.status).toBe(2);
    expect(date.stderr).toContain('--until "31/12/2018" is not a date');
    expect(existsSync(join(dir, 'never.csv'))).toBe(false);
  });
});

describe('label helpers', () => {
  it('reads dates as UTC days, zoned moments or unix seconds', () => {
    expect(parseHistoryDate('2018-12-31', 'start')).toBe(Date.UTC(2018, 11, 31) / 1000);
    expect(parseHistoryDate('2018-12-31', 'end')).toBe(Date.UTC(2019, 0, 1) / 1000 - 1);
    expect(parseHistoryDate('2018-12-31T18:00:00+01:00', 'end')).toBe(Date.UTC(2018, 11, 31, 17) / 1000);
    expect(parseHistoryDate('2018-12-31T18:00Z', 'start')).toBe(Date.UTC(2018, 11, 31, 18) / 1000);
    expect(parseHistoryDate('@1546300800', 'end')).toBe(1546300800);
    expect(() => parseHistoryDate('2018-02-30', 'end')).toThrow('--until "2018-02-30" is not a date');
    expect(() => parseHistoryDate('2018-12-31T18:00:00', 'start')).toThrow('--since');
  });

  it('progress lines give counts, rate and time left', () => {
    expect(progressLine({ done: 150, total: 1000, fromCache: 50, blamed: 100, elapsedMs: 50_000 })).toBe(
      'label: 150/1,000 fix commits (50 from the cache, 100 blamed, 2.0/s), 50 s, about 7 min 5 s left'
    );
    expect(progressLine({ done: 10, total: 10, fromCache: 10, blamed: 0, elapsedMs: 1_000 })).toBe(
      'label: 10/10 fix commits (10 from the cache, 0 blamed, 0.0/s), 1 s'
    );
  });
});
