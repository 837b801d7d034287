import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { commitCsvHeader, commitCsvRows, findIntroducers, isTrivialLine, mineAll, szz } from '../../src/git/index.js';
import { lineRanges, parseDeletedLines } from '../../src/git/szz.js';
import { labelCommand, parseCommitsCsv } from '../../src/cli/label.js';
import { InputError } from '../../src/core/errors.js';
import { ALICE, BOB, CAROL, T0, DAY, TestRepo, type Person } from '../helpers/git-helpers.js';

const DAVE: Person = { name: 'Dave', email: 'dave@example.com' };
const EVE: Person = { name: 'Eve', email: 'eve@example.com' };
const FRANK: Person = { name: 'Frank', email: 'frank@example.com' };
const GINA: Person = { name: 'Gina', email: 'gina@example.com' };

/*
 * src/calc.js through the history (d = days after T0):
 *
 * S1 Alice d0    function add(a, b) { / return a - b; / } / (blank) / function mul(a, b) { / return a * b; / }
 * S2 Bob   d1    mul: "return a * b + 1;"                               (the bug the fix repairs)
 * S3 Dave  d1.5  "// helper for sums" above add; a blank line           (comment-only / blank: never blamed)
 * S4 Eve   d2    re-indents "return a - b;"                             (whitespace-only: blame -w looks through it)
 * S5 Frank d3    "return (a * b) + 1;"                                  (listed in .git-blame-ignore-revs)
 * S6 Frank d3.1  adds .git-blame-ignore-revs with S5
 * S7 Gina  author d20, committer d4: appends "const VERSION = 1;"       (authored after the fix: outside the window)
 * S8 Carol d5    FIX "Fix add and mul": deletes the comment and the blank line, rewrites the add and mul
 *                returns and the VERSION line
 * S9 Alice d6    FIX "fix add again": rewrites S8's add return and S1's "function add" line
 *
 * Blame of S8's lost lines in S7 (-w, ignoring S5): comment (skipped), "    return a - b;" -> S1,
 * blank (skipped), "return (a * b) + 1;" -> S2, "const VERSION = 1;" -> S7 (dated d20 > d5: dropped).
 * So S8 blames {S1, S2}; S9 blames {S8, S1}: bug = 1 for S1 (fixed_by S8;S9), S2 (S8), S8 (S9).
 */
describe('SZZ labels', () => {
  const repo = new TestRepo();
  const h: Record<string, string> = {};
  const file = (lines: string[]) => repo.write('src/calc.js', lines.map((l) => `${l}\n`).join(''));

  beforeAll(() => {
    file(['function add(a, b) {', '  return a - b;', '}', '', 'function mul(a, b) {', '  return a * b;', '}']);
    h.s1 = repo.commit(ALICE, 0, 'add calculator');
    file(['function add(a, b) {', '  return a - b;', '}', '', 'function mul(a, b) {', '  return a * b + 1;', '}']);
    h.s2 = repo.commit(BOB, 1, 'speed up mul');
    file([
      '// helper for sums',
      'function add(a, b) {',
      '  return a - b;',
      '}',
      '',
      '',
      'function mul(a, b) {',
      '  return a * b + 1;',
      '}'
    ]);
    h.s3 = repo.commit(DAVE, 1.5, 'document add');
    file([
      '// helper for sums',
      'function add(a, b) {',
      '    return a - b;',
      '}',
      '',
      '',
      'function mul(a, b) {',
      '  return a * b + 1;',
      '}'
    ]);
    h.s4 = repo.commit(EVE, 2, 'reindent');
    file([
      '// helper for sums',
      'function add(a, b) {',
      '    return a - b;',
      '}',
      '',
      '',
      'function mul(a, b) {',
      '  return (a * b) + 1;',
      '}'
    ]);
    h.s5 = repo.commit(FRANK, 3, 'style: parens');
    repo.write('.git-blame-ignore-revs', `# formatting\n${h.s5}\n`);
    h.s6 = repo.commit(FRANK, 3.1, 'ignore formatting commits in blame');
    file([
      '// helper for sums',
      'function add(a, b) {',
      '    return a - b;',
      '}',
      '',
      '',
      'function mul(a, b) {',
      '  return (a * b) + 1;',
      '}',
      'const VERSION = 1;'
    ]);
    h.s7 = repo.commit(GINA, 20, 'add version', 4);
    file(['function add(a, b) {', '  return a + b;', '}', '', 'function mul(a, b) {', '  return a * b;', '}', 'const VERSION = 2;']);
    h.s8 = repo.commit(CAROL, 5, 'Fix add and mul');
    file(['function add(a, b) { // sum', '  return b + a;', '}', '', 'function mul(a, b) {', '  return a * b;', '}', 'const VERSION = 2;']);
    h.s9 = repo.commit(ALICE, 6, 'fix add again');
  });

  afterAll(() => repo.remove());

  it('blames deleted and modified lines, skipping comments, blanks, whitespace-only and ignored revisions', async () => {
    const ignoreFile = join(repo.dir, '.git-blame-ignore-revs');
    expect(await findIntroducers(repo.dir, { commit: h.s8, date: T0 + 5 * DAY }, ignoreFile)).toEqual(new Set([h.s1, h.s2]));
    // Without the ignore file the formatting commit S5 takes the blame for the mul line.
    expect(await findIntroducers(repo.dir, { commit: h.s8, date: T0 + 5 * DAY })).toEqual(new Set([h.s1, h.s5]));
    // With a later fix date, Gina's line (authored d20) falls inside the window.
    expect(await findIntroducers(repo.dir, { commit: h.s8, date: T0 + 30 * DAY }, ignoreFile)).toEqual(new Set([h.s1, h.s2, h.s7]));
    // A files filter that excludes calc.js leaves nothing to blame.
    expect(await findIntroducers(repo.dir, { commit: h.s8, date: T0 + 5 * DAY, files: new Set(['other.js']) })).toEqual(new Set());
    // The root commit has no parent.
    expect(await findIntroducers(repo.dir, { commit: h.s1, date: T0 })).toEqual(new Set());
  });

  it('patch-risk label adds bug and fixed_by to the mined CSV', async () => {
    const out = mkdtempSync(join(tmpdir(), 'patch-risk-szz-'));
    try {
      const commits = join(out, 'commits.csv');
      const labelled = join(out, 'labelled.csv');
      const rows = await mineAll({ repo: repo.dir });
      // fix column from the keyword rule: only S8 ("Fix") and S9 ("fix").
      expect(rows.filter((r) => r.fix === 1).map((r) => r.commit)).toEqual([h.s8, h.s9]);
      writeFileSync(commits, commitCsvHeader() + commitCsvRows(rows));
      await labelCommand().parseAsync([commits, '--repo', repo.dir, '--out', labelled, '--jobs', '2'], { from: 'user' });
      const parsed = Papa.parse<Record<string, string>>(readFileSync(labelled, 'utf8'), { header: true, skipEmptyLines: true });
      expect(parsed.meta.fields!.slice(-3)).toEqual(['ignored_lines', 'bug', 'fixed_by']);
      const byHash = new Map(parsed.data.map((r) => [r.commit, r]));
      const expected: Record<string, [string, string]> = {
        s1: ['1', `${h.s8};${h.s9}`],
        s2: ['1', h.s8],
        s3: ['0', ''],
        s4: ['0', ''],
        s5: ['0', ''],
        s6: ['0', ''],
        s7: ['0', ''],
        s8: ['1', h.s9],
        s9: ['0', '']
      };
      for (const [name, [bug, fixedBy]] of Object.entries(expected)) {
        const row = byHash.get(h[name])!;
        expect([name, row.bug, row.fixed_by]).toEqual([name, bug, fixedBy]);
      }
      // Input columns pass through unchanged.
      expect(byHash.get(h.s2)!.subject).toBe('speed up mul');
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('szz() maps introducers to explicitly given fixes, in input order, with the committed ignore-revs', async () => {
    const fixedBy = await szz(
      [
        { commit: h.s8, date: T0 + 5 * DAY },
        { commit: h.s9, date: T0 + 6 * DAY },
        { commit: h.s1, date: T0 }
      ],
      { repo: repo.dir, concurrency: 2 }
    );
    expect(fixedBy).toEqual(
      new Map([
        [h.s1, [h.s8, h.s9]],
        [h.s2, [h.s8]],
        [h.s8, [h.s9]]
      ])
    );
  });

  it('rejects CSVs it cannot label, naming row and column', () => {
    expect(() => parseCommitsCsv('c.csv', 'commit,date\nabc,1\n')).toThrow('c.csv: missing column "fix"');
    const bad = () => parseCommitsCsv('c.csv', `commit,date,fix\n${'a'.repeat(40)},1,0\nabc1234,2,1\n`);
    expect(bad).toThrow(InputError);
    expect(bad).toThrow('c.csv, row 2, column "commit": "abc1234" is not a full commit hash');
    expect(() => parseCommitsCsv('c.csv', `commit,date,fix\n${'a'.repeat(40)},1,yes\n`)).toThrow('row 1, column "fix"');
  });
});

describe('SZZ helpers', () => {
  it('classifies comment-only and blank lines by file type', () => {
    expect(isTrivialLine('a.c', '   // note')).toBe(true);
    expect(isTrivialLine('a.c', ' * continued')).toBe(true);
    expect(isTrivialLine('a.py', '# note')).toBe(true);
    expect(isTrivialLine('a.c', '#include <x.h>')).toBe(false);
    expect(isTrivialLine('Makefile', '# rule')).toBe(true);
    expect(isTrivialLine('a.sql', '-- drop')).toBe(true);
    expect(isTrivialLine('a.txt', '// not code, not a comment either')).toBe(false);
    expect(isTrivialLine('a.txt', ' \t ')).toBe(true);
    expect(isTrivialLine('a.c', 'x = 1; // trailing')).toBe(false);
  });

  it('reads parent-side line numbers from a -U0 diff, following renames and quoted names', () => {
    const patch = [
      'diff --git a/old.c b/new.c',
      'similarity index 90%',
      'rename from old.c',
      'rename to new.c',
      '--- a/old.c',
      '+++ b/new.c',
      '@@ -3,2 +3 @@ ctx',
      '-  x = 1;',
      '-  // gone',
      '+  x = 2;',
      '@@ -10 +9,0 @@',
      '--- y;',
      'diff --git "a/sp\\303\\251c.c" "b/sp\\303\\251c.c"',
      '--- "a/sp\\303\\251c.c"',
      '+++ "b/sp\\303\\251c.c"',
      '@@ -7,0 +8 @@',
      '+added only',
      'diff --git a/gone.py b/gone.py',
      'deleted file mode 100644',
      '--- a/gone.py',
      '+++ /dev/null',
      '@@ -1,2 +0,0 @@',
      '-import os',
      '-',
      ''
    ].join('\n');
    expect(parseDeletedLines(patch)).toEqual([
      { oldPath: 'old.c', newPath: 'new.c', lines: [3, 10] },
      { oldPath: 'gone.py', newPath: 'gone.py', lines: [1] }
    ]);
    expect(lineRanges([1, 2, 3, 7, 9, 10])).toEqual([
      [1, 3],
      [7, 7],
      [9, 10]
    ]);
  });
});
