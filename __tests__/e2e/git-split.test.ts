/**
 * A commit's parts by directory, as the miner computes them for the commits of a range: each
 * part's metrics must be exactly those of a commit with only that part's files, made at the
 * same point of the history (same parent, author, time and message) — checked against such
 * commits really made on side branches of a real repository.
 */
import { mineAll, mineRange, secondLevelOf, splitByDirectory, type CommitMetrics } from '../../src/git/index.js';
import { ALICE, BOB, CAROL, TestRepo } from '../helpers/git-helpers.js';

/** A row as comparable across commits: everything but its hash (and the parts, compared on their own). */
function comparable(row: CommitMetrics): Omit<CommitMetrics, 'commit' | 'parts'> {
  const { commit: _commit, parts: _parts, ...rest } = row;
  return rest;
}

let repo: TestRepo;
/** The state before the commit under test. */
let parent: string;
/** The commit touching src/ and docs/ (and an ignored file at the root). */
let whole: string;
/** Its src/ files alone, and its docs/ files alone, each made on parent. */
let srcOnly: string;
let docsOnly: string;
/** A commit touching src/core and src/util only. */
let inSrc: string;
let coreOnly: string;
let utilOnly: string;

beforeAll(() => {
  repo = new TestRepo();
  repo.write('src/core/a.c', TestRepo.lines('a', 10));
  repo.write('src/util/u.c', TestRepo.lines('u', 8));
  repo.write('docs/guide.md', TestRepo.lines('g', 5));
  repo.commit(ALICE, 0, 'initial import');
  repo.write('src/core/a.c', TestRepo.lines('a', 12).replace('a3\n', 'A3\n'));
  repo.write('docs/guide.md', TestRepo.lines('g', 7));
  repo.commit(BOB, 2, 'Fix crash in parser');
  repo.write('src/util/u.c', TestRepo.lines('u', 12));
  repo.write('docs/guide.md', TestRepo.lines('g', 8));
  parent = repo.commit(CAROL, 3, 'Grow util and the guide');

  const srcChanges = (): void => {
    repo.write('src/core/a.c', TestRepo.lines('a', 16).replace('a1\n', 'A1\n').replace('a2\n', ''));
    repo.write('src/core/new.c', TestRepo.lines('n', 7));
    repo.git(['mv', 'src/util/u.c', 'src/util/v.c']);
    repo.write('src/util/v.c', TestRepo.lines('u', 13));
  };
  const docsChanges = (): void => repo.write('docs/guide.md', TestRepo.lines('g', 11).replace('g1\n', 'G1\n'));
  const message = 'Rework the parser and its guide';

  repo.git(['checkout', '-q', '-b', 'src-only', parent]);
  srcChanges();
  srcOnly = repo.commit(ALICE, 5, message);
  repo.git(['checkout', '-q', '-b', 'docs-only', parent]);
  docsChanges();
  docsOnly = repo.commit(ALICE, 5, message);
  repo.git(['checkout', '-q', '-b', 'whole', parent]);
  srcChanges();
  docsChanges();
  repo.write('package-lock.json', '{}\n');
  whole = repo.commit(ALICE, 5, message);

  const coreChanges = (): void => repo.write('src/core/a.c', TestRepo.lines('a', 14));
  const utilChanges = (): void => repo.write('src/util/u.c', TestRepo.lines('u', 20).replace('u2\n', ''));
  repo.git(['checkout', '-q', '-b', 'core-only', parent]);
  coreChanges();
  coreOnly = repo.commit(BOB, 6, 'Tune');
  repo.git(['checkout', '-q', '-b', 'util-only', parent]);
  utilChanges();
  utilOnly = repo.commit(BOB, 6, 'Tune');
  repo.git(['checkout', '-q', '-b', 'in-src', parent]);
  coreChanges();
  utilChanges();
  inSrc = repo.commit(BOB, 6, 'Tune');
});

afterAll(() => repo.remove());

async function onlyRow(head: string, parts: boolean): Promise<CommitMetrics> {
  const rows = await mineAll({ repo: repo.dir, range: `${parent}..${head}`, parts });
  expect(rows).toHaveLength(1);
  return rows[0];
}

describe('commit parts by directory', () => {
  it('gives a commit spanning two top-level directories one part per directory, with the metrics each would have alone', async () => {
    const row = await onlyRow(whole, true);
    expect(row.parts?.map((part) => part.directory)).toEqual(['docs', 'src']);
    const [docs, src] = row.parts!;
    const alone = { docs: await onlyRow(docsOnly, false), src: await onlyRow(srcOnly, false) };
    expect(comparable(src.metrics)).toEqual(comparable(alone.src));
    expect(comparable(docs.metrics)).toEqual(comparable(alone.docs));
    // The metrics the brief names, spelled out: sizes, spread, and the ones that depend on the history before.
    expect(alone.src).toMatchObject({ ns: 1, nd: 2, nf: 3, la: 6 + 7 + 1, ld: 3, lt: 12 + 12, ndev: 3, nuc: 3 + 1 + 3, exp: 3 + 3 });
    expect(alone.docs).toMatchObject({ ns: 1, nd: 1, nf: 1, entropy: 0, la: 4, ld: 1, lt: 8, ndev: 3, nuc: 4, exp: 3 + 1 });
    expect(src.metrics.entropy).toBeCloseTo(alone.src.entropy, 12);
    expect(src.metrics.entropy).toBeGreaterThan(0);
    expect(src.metrics.age).toBe(alone.src.age);
    expect(docs.metrics.age).toBe(alone.docs.age);
    expect(src.metrics.reviewers.map((r) => r.name)).toEqual(['Carol', 'Bob']);
  });

  it('leaves the whole commit’s row exactly as without parts, and as a whole-history mine has it', async () => {
    const withParts = await onlyRow(whole, true);
    const without = await onlyRow(whole, false);
    expect(without.parts).toBeUndefined();
    expect({ ...withParts, parts: undefined }).toStrictEqual({ ...without, parts: undefined });
    // src/core, src/util and docs; the ignored package-lock.json at the root counts nowhere.
    expect(withParts).toMatchObject({ ns: 2, nd: 3, nf: 4 });
    repo.git(['checkout', '-q', 'whole']);
    const history = await mineAll({ repo: repo.dir });
    expect(history.at(-1)).toStrictEqual(without);
  });

  it('splits by second-level directory when every file is in one subsystem', async () => {
    const row = await onlyRow(inSrc, true);
    expect(row.parts?.map((part) => part.directory)).toEqual(['src/core', 'src/util']);
    expect(comparable(row.parts![0].metrics)).toEqual(comparable(await onlyRow(coreOnly, false)));
    expect(comparable(row.parts![1].metrics)).toEqual(comparable(await onlyRow(utilOnly, false)));
  });

  it('gives a commit in a single directory no parts, and the commits before the range none', async () => {
    expect((await onlyRow(docsOnly, true)).parts).toBeUndefined();
    expect((await onlyRow(coreOnly, true)).parts).toBeUndefined();
    const mined = await mineRange({ repo: repo.dir, range: `${parent}..${whole}`, parts: true });
    expect(mined.recent.length).toBeGreaterThan(0);
    expect(mined.recent.every((row) => row.parts === undefined)).toBe(true);
  });
});

describe('splitByDirectory', () => {
  const file = (path: string) => ({ path, added: 1, deleted: 0, created: false, removed: false, oldLines: 1 });
  const counted = (path: string): boolean => path !== 'package-lock.json';

  it('groups by subsystem, keeps ignored files with their directory and leaves out groups with no counted file', () => {
    const groups = splitByDirectory(
      [file('src/a.c'), file('package-lock.json'), file('docs/x.md'), file('docs/node_modules/y.js'), file('src/b/c.c')],
      (path) => counted(path) && !path.includes('node_modules')
    );
    expect([...groups!].map(([key, files]) => [key, files.map((f) => f.path)])).toEqual([
      ['src', ['src/a.c', 'src/b/c.c']],
      ['docs', ['docs/x.md', 'docs/node_modules/y.js']]
    ]);
  });

  it('falls back to second-level directories, and finds no split for one directory or root files only', () => {
    expect([...splitByDirectory([file('src/a.c'), file('src/core/b.c'), file('src/core/x/y.c')], counted)!.keys()]).toEqual([
      'src',
      'src/core'
    ]);
    expect(splitByDirectory([file('src/core/a.c'), file('src/core/x/b.c')], counted)).toBeUndefined();
    expect(splitByDirectory([file('README.md'), file('LICENSE'), file('package-lock.json')], counted)).toBeUndefined();
    expect(splitByDirectory([file('README.md'), file('src/a.c')], counted)?.size).toBe(2);
    expect(secondLevelOf('a/b/c/d.txt')).toBe('a/b');
    expect(secondLevelOf('top.txt')).toBe('');
  });
});
