import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { DEFAULT_IGNORE, isFixMessage, mineAll, parseRange, compileIgnore, type CommitMetrics } from '../../src/git/index.js';
import { LogParser } from '../../src/git/log-parser.js';
import { RecencyCounter } from '../../src/git/recency.js';
import { mineCommand } from '../../src/cli/mine.js';
import { ALICE, BOB, CAROL, TestRepo } from '../helpers/git-helpers.js';

const H = (xs: number[]): number => {
  const total = xs.reduce((a, b) => a + b, 0);
  return -xs.filter((x) => x > 0).reduce((s, x) => s + (x / total) * Math.log2(x / total), 0);
};

type Metrics = Omit<CommitMetrics, 'commit' | 'email' | 'subject' | 'date' | 'author' | 'reviewers'> & { reviewers: string[] };

function metricsOf(row: CommitMetrics): Metrics {
  const { ns, nd, nf, entropy, la, ld, lt, fix, ndev, age, nuc, exp, rexp, sexp, files } = row;
  return { ns, nd, nf, entropy, la, ld, lt, fix, ndev, age, nuc, exp, rexp, sexp, files, reviewers: row.reviewers.map((r) => r.name) };
}

function expectMetrics(row: CommitMetrics | undefined, expected: Metrics): void {
  expect(row).toBeDefined();
  const got = metricsOf(row!);
  for (const key of ['entropy', 'age', 'rexp'] as const) {
    expect(got[key]).toBeCloseTo(expected[key], 9);
  }
  expect({ ...got, entropy: 0, age: 0, rexp: 0 }).toEqual({ ...expected, entropy: 0, age: 0, rexp: 0 });
}

/*
 * The history (T0 = 1_700_000_000, d = days after T0; author date = committer date):
 *
 * C1 Alice d0   add README.md (3 lines), src/a.c (10), src/b.c (4)             "initial import"
 * C2 Bob   d2   src/a.c: line 3 changed, a11 appended (+2 -1); add lib/util.py (5)  "Fix crash in parser"
 * C3 Alice d5   rename src/b.c -> core/b.c with b5 appended (+1); add assets/logo.png (binary)
 *               "Move b into core; prefix debug failover" (no whole fix word)
 * C4 Carol d6   delete src/a.c (11 lines); README.md +1; add package-lock.json (100) and vendor/x.js (2), both ignored
 *               "Remove a.c (bugfix for #12)"
 *   branch feature from C4:
 * C5 Bob   d7   lib/util.py +3 -2 (5 -> 6 lines)                                "Refactor util"
 *   on main:
 * C6 Alice d8   core/b.c -2 (5 -> 3 lines)                                      "trim b"
 * M  Alice d9   merge feature (no conflicts): no row (a clean merge changes nothing on its own)
 * C7 Carol d10  lib/util.py +1 -1; re-add src/a.c (2 lines, a new file)          "Update util and restore a"
 *
 * Replay order (mine.ts): main's first-parent chain C1 C2 C3 C4 C6 M C7, and the merge brings
 * in C5 just before itself: C1 C2 C3 C4 C6 C5 M C7. (It used to be date order, C5 before C6,
 * which counted side-branch changes into the mainline before they were merged: issue 13 §7.)
 */
describe('mineCommits on a hand-built repository', () => {
  const repo = new TestRepo();
  const h: Record<string, string> = {};
  let rows: CommitMetrics[];

  beforeAll(async () => {
    repo.write('README.md', TestRepo.lines('r', 3));
    repo.write('src/a.c', TestRepo.lines('a', 10));
    repo.write('src/b.c', TestRepo.lines('b', 4));
    h.c1 = repo.commit(ALICE, 0, 'initial import');

    repo.write('src/a.c', TestRepo.lines('a', 10).replace('a3\n', 'A3\n') + 'a11\n');
    repo.write('lib/util.py', TestRepo.lines('u', 5));
    h.c2 = repo.commit(BOB, 2, 'Fix crash in parser');

    repo.write('core/b.c', TestRepo.lines('b', 5));
    rmSync(join(repo.dir, 'src/b.c'));
    repo.write('assets/logo.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 1, 2, 0, 255]));
    h.c3 = repo.commit(ALICE, 5, 'Move b into core; prefix debug failover');

    rmSync(join(repo.dir, 'src/a.c'));
    repo.write('README.md', TestRepo.lines('r', 4));
    repo.write('package-lock.json', TestRepo.lines('p', 100));
    repo.write('vendor/x.js', TestRepo.lines('v', 2));
    h.c4 = repo.commit(CAROL, 6, 'Remove a.c (bugfix for #12)');

    repo.git(['checkout', '-q', '-b', 'feature']);
    repo.write('lib/util.py', 'u1\nu2\nu3\nU4\nU5\nu6\n');
    h.c5 = repo.commit(BOB, 7, 'Refactor util');

    repo.git(['checkout', '-q', 'main']);
    repo.write('core/b.c', TestRepo.lines('b', 3));
    h.c6 = repo.commit(ALICE, 8, 'trim b');

    repo.git(['merge', '-q', '--no-ff', '-m', 'Merge feature', 'feature'], {
      GIT_AUTHOR_NAME: ALICE.name,
      GIT_AUTHOR_EMAIL: ALICE.email,
      GIT_AUTHOR_DATE: `@${1_700_000_000 + 9 * 86_400} +0000`,
      GIT_COMMITTER_NAME: ALICE.name,
      GIT_COMMITTER_EMAIL: ALICE.email,
      GIT_COMMITTER_DATE: `@${1_700_000_000 + 9 * 86_400} +0000`
    });
    h.merge = repo.head();

    repo.write('lib/util.py', 'u1\nu2\nu3\nU4\nU5\nu7\n');
    repo.write('src/a.c', 'new1\nnew2\n');
    h.c7 = repo.commit(CAROL, 10, 'Update util and restore a');

    rows = await mineAll({ repo: repo.dir });
  });

  afterAll(() => repo.remove());

  const row = (name: string) => rows.find((r) => r.commit === h[name]);

  it('yields every non-merge commit once, parents first, in replay order, with author, date and subject', () => {
    expect(rows.map((r) => r.commit)).toEqual([h.c1, h.c2, h.c3, h.c4, h.c6, h.c5, h.c7]);
    expect(rows.map((r) => r.commit)).not.toContain(h.merge);
    expect(rows.map((r) => r.author)).toEqual(['Alice', 'Bob', 'Alice', 'Carol', 'Alice', 'Bob', 'Carol']);
    expect(rows.map((r) => r.date)).toEqual([0, 2, 5, 6, 8, 7, 10].map((d) => 1_700_000_000 + d * 86_400));
    expect(rows.map((r) => [r.merge, r.ignoredLines])).toEqual([
      [0, 0],
      [0, 0],
      [0, 0],
      [0, 102],
      [0, 0],
      [0, 0],
      [0, 0]
    ]);
    expect(row('c2')!.subject).toBe('Fix crash in parser');
  });

  it('C1: first commit', () => {
    // subsystems {"" (README.md), src}; directories {"", src}; 3 files; la 3+10+4 = 17; nothing existed: lt 0, age 0.
    // entropy over churn [3, 10, 4] / 17 = 0.4416 + 0.4503 + 0.4912 = 1.3831; ndev {Alice} = 1; nuc = (0+1)*3 = 3.
    // exp = file changes by Alice including these = 3; rexp = 0 earlier + 3 at age 0 = 3.
    // sexp: Alice's distinct files in {"", src} = README + a.c + b.c = 3.
    expectMetrics(row('c1'), {
      ns: 2,
      nd: 2,
      nf: 3,
      entropy: H([3, 10, 4]),
      la: 17,
      ld: 0,
      lt: 0,
      fix: 0,
      ndev: 1,
      age: 0,
      nuc: 3,
      exp: 3,
      rexp: 3,
      sexp: 3,
      files: ['README.md', 'src/a.c', 'src/b.c'],
      reviewers: []
    });
    expect(row('c1')!.entropy).toBeCloseTo(1.3831, 4);
  });

  it('C2: modification by a second author, new subsystem, fix words', () => {
    // files lib/util.py (+5), src/a.c (+2 -1): ns {lib, src} = 2, nd 2, nf 2, la 7, ld 1, lt 0 + 10 = 10.
    // entropy over [5, 3] / 8 = 0.9544; "Fix crash": fix 1.
    // ndev: a.c had {Alice}, + Bob -> {Alice, Bob} = 2. age: a.c 2 days, util.py new 0 -> mean 1.
    // nuc: a.c 1 earlier + 1, util.py 0 + 1 -> 3. exp Bob = 2, rexp = 2, sexp = Bob's files in {lib, src} = 2.
    // reviewers: Alice (changed a.c at d0).
    expectMetrics(row('c2'), {
      ns: 2,
      nd: 2,
      nf: 2,
      entropy: H([5, 3]),
      la: 7,
      ld: 1,
      lt: 10,
      fix: 1,
      ndev: 2,
      age: 1,
      nuc: 3,
      exp: 2,
      rexp: 2,
      sexp: 2,
      files: ['lib/util.py', 'src/a.c'],
      reviewers: ['Alice']
    });
  });

  it('C3: rename across subsystems keeps history; binary file counts in nf only; substring words are no fix', () => {
    // files assets/logo.png (binary, -/-), core/b.c (renamed from src/b.c, +1): ns {assets, core} 2, nd 2, nf 2.
    // la 1, ld 0, lt = 4 (b.c before) + 0 (binary) = 4; entropy over [0, 1] = 0; "prefix debug failover": fix 0.
    // ndev {Alice} = 1; age: b.c last changed d0 -> 5 days, logo new 0 -> 2.5; nuc: b.c 1 + 1, logo 0 + 1 -> 3.
    // exp Alice 3 + 2 = 5; rexp = 3 changes at age 5 days: 3 / (5 + 1) = 0.5, + 2 now -> 2.5.
    // sexp: b.c moved src -> core so Alice has core 1, assets 1 -> 2.
    expectMetrics(row('c3'), {
      ns: 2,
      nd: 2,
      nf: 2,
      entropy: 0,
      la: 1,
      ld: 0,
      lt: 4,
      fix: 0,
      ndev: 1,
      age: 2.5,
      nuc: 3,
      exp: 5,
      rexp: 2.5,
      sexp: 2,
      files: ['assets/logo.png', 'core/b.c'],
      reviewers: []
    });
  });

  it('C4: deletion counts its lines in ld and lt; default-ignored files are left out', () => {
    // counted files README.md (+1), src/a.c (deleted, -11); package-lock.json and vendor/x.js ignored.
    // ns {"", src} 2, nd 2, nf 2, la 1, ld 11, lt 3 + 11 = 14; entropy over [1, 11] / 12 = 0.4138; "bugfix": fix 1.
    // ndev: README {Alice}, a.c {Alice, Bob}, + Carol = 3. age: README 6 days, a.c 4 days -> 5.
    // nuc: README 1 + 1, a.c 2 + 1 -> 5. exp Carol 2, rexp 2, sexp 2 (README in "", a.c in src).
    // reviewers: Bob (a.c at d2) before Alice (d0).
    expectMetrics(row('c4'), {
      ns: 2,
      nd: 2,
      nf: 2,
      entropy: H([1, 11]),
      la: 1,
      ld: 11,
      lt: 14,
      fix: 1,
      ndev: 3,
      age: 5,
      nuc: 5,
      exp: 2,
      rexp: 2,
      sexp: 2,
      files: ['README.md', 'src/a.c'],
      reviewers: ['Bob', 'Alice']
    });
  });

  it('C5 and C6: commits on two branches', () => {
    // C5 Bob: lib/util.py +3 -2, lt 5; ndev {Bob} 1; age 7 - 2 = 5 days; nuc 1 + 1 = 2; exp 2 + 1 = 3;
    // rexp: 2 changes at age 5 days -> 2/6, + 1 = 1.3333; sexp: Bob's files in lib = 1.
    expectMetrics(row('c5'), {
      ns: 1,
      nd: 1,
      nf: 1,
      entropy: 0,
      la: 3,
      ld: 2,
      lt: 5,
      fix: 0,
      ndev: 1,
      age: 5,
      nuc: 2,
      exp: 3,
      rexp: 2 / 6 + 1,
      sexp: 1,
      files: ['lib/util.py'],
      reviewers: []
    });
    // C6 Alice: core/b.c -2, lt 5; age 8 - 5 = 3; nuc 2 + 1 = 3; exp 5 + 1 = 6;
    // rexp: 3 changes at age 8 -> 3/9, 2 at age 3 -> 2/4, + 1 = 1.8333; sexp: Alice's files in core = 1.
    expectMetrics(row('c6'), {
      ns: 1,
      nd: 1,
      nf: 1,
      entropy: 0,
      la: 0,
      ld: 2,
      lt: 5,
      fix: 0,
      ndev: 1,
      age: 3,
      nuc: 3,
      exp: 6,
      rexp: 3 / 9 + 2 / 4 + 1,
      sexp: 1,
      files: ['core/b.c'],
      reviewers: []
    });
  });

  it('C7: after the merge, line counts carry over from the branch; a re-added path starts a new history', () => {
    // lib/util.py +1 -1, lt 6 (5 + 3 - 2 from C5 on the merged branch); src/a.c re-added (+2), lt 0, no history.
    // ns {lib, src} 2, nd 2, nf 2, la 3, ld 1, lt 6; entropy over [2, 2] = 1.
    // ndev: util.py {Bob} + Carol, a.c {} + Carol -> 2. age: util.py 10 - 7 = 3, a.c 0 -> 1.5.
    // nuc: util.py 2 + 1, a.c 0 + 1 -> 4. exp Carol 2 + 2 = 4; rexp 2 changes at age 4 -> 2/5, + 2 = 2.4.
    // sexp: Carol's files: src 1 (deleted a.c) + 1 (new a.c) = 2, lib 1 -> 3. reviewers: Bob.
    expectMetrics(row('c7'), {
      ns: 2,
      nd: 2,
      nf: 2,
      entropy: 1,
      la: 3,
      ld: 1,
      lt: 6,
      fix: 0,
      ndev: 2,
      age: 1.5,
      nuc: 4,
      exp: 4,
      rexp: 2 / 5 + 2,
      sexp: 3,
      files: ['lib/util.py', 'src/a.c'],
      reviewers: ['Bob']
    });
  });

  it('--range replays earlier history but yields only the range, with the same values', async () => {
    const ranged = await mineAll({ repo: repo.dir, range: `${h.c4}..main` });
    expect(ranged.map((r) => r.commit)).toEqual([h.c6, h.c5, h.c7]);
    expect(ranged).toEqual(rows.slice(4));
    expect(await mineAll({ repo: repo.dir, range: `${h.c7}..main` })).toEqual([]);
  });

  it('ignore patterns: none, defaults, and extra globs', async () => {
    const none = await mineAll({ repo: repo.dir, ignore: [] });
    const c4 = none.find((r) => r.commit === h.c4)!;
    // + package-lock.json (root, 100 lines) and vendor/x.js (2): ns {"", src, vendor} 3, nd 3, nf 4, la 103.
    expect([c4.ns, c4.nd, c4.nf, c4.la, c4.ld, c4.lt]).toEqual([3, 3, 4, 103, 11, 14]);
    expect(c4.files).toEqual(['README.md', 'package-lock.json', 'src/a.c', 'vendor/x.js']);

    const extra = await mineAll({ repo: repo.dir, ignore: [...DEFAULT_IGNORE, 'lib/'] });
    const c7 = extra.find((r) => r.commit === h.c7)!;
    // only src/a.c (new, +2) is left: ns 1, nf 1, la 2, ld 0, lt 0, ndev {Carol} 1, nuc 1, exp 2 + 1 = 3.
    expect(metricsOf(c7)).toMatchObject({ ns: 1, nd: 1, nf: 1, la: 2, ld: 0, lt: 0, ndev: 1, nuc: 1, exp: 3, files: ['src/a.c'] });
    // C5 touched only lib/: a row with no counted files.
    expect(metricsOf(extra.find((r) => r.commit === h.c5)!)).toMatchObject({ nf: 0, la: 0, ld: 0, ndev: 0, age: 0, nuc: 0, entropy: 0 });
  });

  it('patch-risk mine writes the CSV with formula-guarded text cells', async () => {
    const out = mkdtempSync(join(tmpdir(), 'patch-risk-out-'));
    try {
      const file = join(out, 'commits.csv');
      await mineCommand().parseAsync(['--repo', repo.dir, '--out', file, '--ignore', 'lib/'], { from: 'user' });
      const parsed = Papa.parse<Record<string, string>>(readFileSync(file, 'utf8'), { header: true, skipEmptyLines: true });
      expect(parsed.meta.fields).toEqual([
        'commit',
        'author',
        'date',
        'subject',
        'ns',
        'nd',
        'nf',
        'entropy',
        'la',
        'ld',
        'lt',
        'fix',
        'ndev',
        'age',
        'nuc',
        'exp',
        'rexp',
        'sexp',
        'files',
        'merge',
        'ignored_lines'
      ]);
      expect(parsed.data).toHaveLength(7);
      const c2 = parsed.data[1];
      expect(c2).toMatchObject({ commit: h.c2, author: 'Bob', date: String(1_700_000_000 + 2 * 86_400), nf: '1', files: 'src/a.c' });
      // lib/util.py (+5) is ignored here: 5 ignored lines.
      expect(c2).toMatchObject({ merge: '0', ignored_lines: '5' });
      expect(parsed.data[3].files).toBe('README.md;src/a.c');
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});

describe('log parsing edge cases', () => {
  const repo = new TestRepo();
  afterAll(() => repo.remove());

  it('keeps odd file names exact through renames and deletions, and guards formula-like subjects', async () => {
    repo.write('a => b.txt', TestRepo.lines('x', 6));
    repo.write('tab\there.txt', 'one\n');
    repo.commit(ALICE, 0, '=cmd|calc');
    mkdirSync(join(repo.dir, 'dir é'));
    repo.git(['mv', 'a => b.txt', 'dir é/x y.txt']);
    repo.git(['rm', '-q', 'tab\there.txt']);
    repo.commit(ALICE, 1, 'rename');
    const rows = await mineAll({ repo: repo.dir });
    expect(rows[0].files).toEqual(['a => b.txt', 'tab\there.txt']);
    // pure rename (0/0) and a deletion of a 1-line file: lt 6 + 1, ld 1, the rename keeps its history (nuc 2).
    expect(metricsOf(rows[1])).toMatchObject({ files: ['dir é/x y.txt', 'tab\there.txt'], la: 0, ld: 1, lt: 7, nuc: 4, ns: 2 });
    const out = mkdtempSync(join(tmpdir(), 'patch-risk-out-'));
    try {
      const file = join(out, 'c.csv');
      await mineCommand().parseAsync(['--repo', repo.dir, '--out', file], { from: 'user' });
      const parsed = Papa.parse<Record<string, string>>(readFileSync(file, 'utf8'), { header: true, skipEmptyLines: true });
      expect(parsed.data[0].subject).toBe("'=cmd|calc");
      expect(parsed.data[0].files).toBe('a => b.txt;tab\there.txt');
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('parses a stream split at every possible byte boundary the same way', () => {
    const A = 'a'.repeat(40);
    const B = 'b'.repeat(40);
    const Z = '0'.repeat(40);
    const [x, y, w] = ['1'.repeat(40), '2'.repeat(40), '3'.repeat(40)];
    const text =
      `${A}\x00\x00Al\x00al@x\x00100\x00subj\x00body\x00` +
      `\n:100644 000000 ${x} ${Z} D\x00f\x00:000000 100644 ${Z} ${y} A\x00bin\x00` +
      `1\t2\tf\x00-\t-\tbin\x00` +
      // a merge (no diff asked for), then a commit with a rename
      `${B}\x00${A} ${A}\x00Me\x00me@x\x00150\x00merge\x00\x00` +
      `${A}\x00${B}\x00Bo\x00bo@x\x00200\x00s2\x00\x00` +
      `\n:100644 100644 ${x} ${w} R097\x00old\x00new\x000\t0\t\x00old\x00new\x00`;
    const whole = new LogParser();
    const expected = whole.end(whole.push(text));
    expect(expected).toHaveLength(3);
    expect(expected[0]).toMatchObject({
      files: [
        { status: 'D', path: 'f', added: 1, deleted: 2, oldBlob: x, newBlob: Z },
        { status: 'A', path: 'bin', added: null, deleted: null, oldBlob: Z, newBlob: y }
      ]
    });
    expect(expected[1]).toMatchObject({ hash: B, parents: [A, A], files: [] });
    expect(expected[2].files).toEqual([
      { status: 'R', path: 'new', oldPath: 'old', added: 0, deleted: 0, oldMode: '100644', newMode: '100644', oldBlob: x, newBlob: w }
    ]);
    for (let cut = 1; cut < text.length; cut++) {
      const p = new LogParser();
      const got = p.push(text.slice(0, cut));
      p.push(text.slice(cut), got);
      expect(p.end(got)).toEqual(expected);
    }
  });
});

describe('fix keyword rule', () => {
  it.each([
    ['Fix crash on start', true],
    ['fixes #12', true],
    ['bug-123: guard null', true],
    ['(hotfix) release', true],
    ['Regression in parser', true],
    ['add prefix handling', false],
    ['debug output', false],
    ['failover to replica', false],
    ['fixture update', false],
    ['suffix_fix_helper rename', false],
    ['bugged? no: debugger', false]
  ])('%s -> %s', (message, expected) => {
    expect(isFixMessage(message)).toBe(expected);
  });
});

describe('ignore globs', () => {
  it('matches gitignore-like patterns; the default directories only at the repository root', () => {
    const ignored = compileIgnore([...DEFAULT_IGNORE, 'docs/gen/**', '/top.txt', 'build/']);
    for (const p of [
      'dist/a.js',
      'node_modules/x/index.js',
      'vendor/x/y.go',
      'pkg/build/out.js',
      'app.min.js',
      'a/yarn.lock',
      'Cargo.lock',
      'web/package-lock.json',
      'docs/gen/x.md',
      'top.txt'
    ]) {
      expect([p, ignored(p)]).toEqual([p, true]);
    }
    // issue 17 item 4: vendor/, dist/ and node_modules/ at any depth hid real code (core/vendor/x.c).
    for (const p of [
      'distance.js',
      'src/vendors.ts',
      'app.js',
      'lockfile.txt',
      'x/docs/gen/a.md',
      'x/top.txt',
      'core/vendor/x.c',
      'pkg/dist/b.js',
      'a/node_modules/m.js'
    ]) {
      expect([p, ignored(p)]).toEqual([p, false]);
    }
  });
});

describe('range and recency helpers', () => {
  it('parses BASE..HEAD and rejects other forms', () => {
    expect(parseRange('v1..HEAD')).toEqual({ base: 'v1', head: 'HEAD' });
    expect(parseRange('main..')).toEqual({ base: 'main', head: 'HEAD' });
    expect(() => parseRange('a...b')).toThrow(/BASE\.\.HEAD/);
    expect(() => parseRange('HEAD')).toThrow(/BASE\.\.HEAD/);
    expect(() => parseRange('--output=x..HEAD')).toThrow(/not a revision/);
  });

  it('rexp counter stays within 1% of the exact sum with bounded buckets', () => {
    const counter = new RecencyCounter();
    const times: number[] = [];
    let t = 1_600_000_000;
    let seed = 7;
    for (let i = 0; i < 20_000; i++) {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      t += (seed % 20_000) * 5; // irregular gaps, ~0.6 days on average
      times.push(t);
      counter.add(t, 1);
      if (i % 997 === 0) {
        const exact = times.reduce((s, x) => s + 1 / ((t - x) / 86_400 + 1), 0);
        expect(Math.abs(counter.weight(t) - exact) / exact).toBeLessThan(0.01);
      }
    }
    expect(counter.size).toBeLessThan(400);
  });
});
