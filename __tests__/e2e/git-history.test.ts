/**
 * The replay on histories with long-lived side branches and merges: lt exact on every commit,
 * merge commits' own changes, and a PR made only of a merge (issue 13 §7, issue 17 item 3).
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { mineAll, mineRange, type CommitMetrics } from '../../src/git/index.js';
import { ALICE, BOB, buildSideBranchHistory, CAROL, dateEnv, linesFrom as F, parentLines, TestRepo } from '../helpers/git-helpers.js';

/** The history is built by buildSideBranchHistory (git-helpers.ts), which describes it. */
describe('replay with a long-lived side branch', () => {
  const repo = new TestRepo();
  const h: Record<string, string> = {};
  let rows: CommitMetrics[];
  const row = (name: string) => rows.find((r) => r.commit === h[name]);

  beforeAll(async () => {
    Object.assign(h, buildSideBranchHistory(repo));
    rows = await mineAll({ repo: repo.dir });
  });

  afterAll(() => repo.remove());

  it('lt is the line count of the touched files in the first parent, on every commit', () => {
    expect(rows.length).toBeGreaterThan(10);
    for (const r of rows) {
      expect([r.subject, r.lt]).toEqual([r.subject, parentLines(repo, r.commit, r.files)]);
    }
    // Spot checks by hand: S1 sees the initial F (100); M5's core/G.java is X1's merge result (30 + 10).
    expect(row('S1')!.lt).toBe(100);
    expect(row('M4')!.lt).toBe(105);
    expect(row('M5')!.lt).toBe(145 + 40 + 78);
  });

  it('replays the mainline in first-parent order, each merge right after the side commits it brings in', () => {
    expect(rows.map((r) => r.subject)).toEqual([
      'initial',
      'main: top of F',
      'move G, drop Dead',
      'main: messages',
      'main: middle of F',
      'side: grow F',
      'side: messages and G',
      'side: end of F',
      'main after merge',
      'side: late change',
      'Merge side again',
      'main: three files',
      'main: line 10',
      'topic: line 10',
      'Merge topic'
    ]);
  });

  it('a clean merge has no row; a merge that adds lines of its own is scored on those lines', () => {
    expect(row('X1')).toBeUndefined();
    const evil = row('X2')!;
    expect(evil).toMatchObject({ merge: 1, files: ['evil/E.java', 'res/msg.properties'], nf: 2, ns: 2, la: 10, ld: 0, author: 'Alice' });
    expect(evil.lt).toBe(parentLines(repo, h.X2, ['res/msg.properties']));
    const resolved = row('X3')!;
    expect(resolved).toMatchObject({ merge: 1, files: ['src/F.java'], la: 1, ld: 0 });
    expect(rows.filter((r) => r.merge === 1).map((r) => r.subject)).toEqual(['Merge side again', 'Merge topic']);
  });

  it('a pull request made only of a merge that adds lines is scored', async () => {
    // A merge of the tip with its own parent (both already in the base) plus 90 new lines.
    const tree = (() => {
      repo.write('payload/p.c', F('p', 1, 90));
      repo.git(['add', 'payload/p.c']);
      return repo.git(['write-tree']).trim();
    })();
    const merge = repo.git(['commit-tree', tree, '-p', h.X3, '-p', h.M7, '-m', 'Merge branch with payload'], dateEnv(CAROL, 13)).trim();
    repo.git(['reset', '-q', '--hard', h.X3]);
    const mined = await mineAll({ repo: repo.dir, range: `${h.X3}..${merge}` });
    expect(mined).toHaveLength(1);
    expect(mined[0]).toMatchObject({ commit: merge, merge: 1, la: 90, nf: 1, files: ['payload/p.c'], author: 'Carol' });
  });

  it('a range replays the base history and yields the same rows as the whole history', async () => {
    const result = await mineRange({ repo: repo.dir, range: `${h.M4}..${h.X3}` });
    const tail = rows.slice(rows.findIndex((r) => r.commit === h.S1));
    expect(result.rows).toEqual(tail);
    // The rows before the range, for ranking: the non-merge commits replayed before M4's successor.
    expect(result.recent.map((r) => r.subject)).toEqual([
      'initial',
      'main: top of F',
      'move G, drop Dead',
      'main: messages',
      'main: middle of F'
    ]);
  });
});

describe('files ignored at the root only, and the lines they hold', () => {
  const repo = new TestRepo();
  afterAll(() => repo.remove());

  it('counts core/vendor code, ignores vendor/ at the root, and reports ignored lines', async () => {
    repo.write('README.md', 'x\n');
    repo.commit(ALICE, 0, 'start');
    repo.write('core/vendor/x.c', F('v', 1, 900));
    repo.write('vendor/lib.c', F('l', 1, 50));
    repo.write('web/package-lock.json', F('k', 1, 20));
    repo.commit(BOB, 1, 'bundle');
    const [, r] = await mineAll({ repo: repo.dir });
    expect(r).toMatchObject({ files: ['core/vendor/x.c'], la: 900, nf: 1, ignoredLines: 70, merge: 0 });
    rmSync(join(repo.dir, 'vendor'), { recursive: true });
    repo.commit(BOB, 2, 'drop vendor');
    const rows = await mineAll({ repo: repo.dir });
    expect(rows[2]).toMatchObject({ nf: 0, la: 0, ld: 0, ignoredLines: 50 });
  });
});
