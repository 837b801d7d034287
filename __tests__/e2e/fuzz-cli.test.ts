/**
 * Fuzzing the CLI (`patch-risk gate` and `patch-risk score`) over generated
 * and mutated patch files, seeded (FUZZ_SEED, FUZZ_SCALE as in
 * fuzz-helpers.ts). Every run either exits 0/1 with one scored row per input
 * row, every risk_score a probability and no formula left live in the scored
 * CSV, or exits 2 with exactly ONE stderr line naming the file (and the row
 * and column of a bad cell) — never a stack trace, a crash or a hang. Most
 * cases call the CLI's main() in a worker process; a few run the real bin.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { FIRMWARE_SCHEMA } from '../../src/index.js';
import {
  csvStyle,
  encodeCsv,
  encodeJson,
  expectedOutcome,
  formulaCells,
  FUZZ_SEED,
  FuzzWorker,
  nastyText,
  parseScored,
  runs,
  tableSpec,
  type Expected
} from '../helpers/fuzz-helpers.js';

interface CliAnswer {
  code: number | 'threw';
  stdout: string;
  stderr: string;
}

const BIN = path.resolve('lib/cli/bin.js');
const dir = mkdtempSync(path.join(tmpdir(), 'prg-fuzz-cli-'));
const worker = new FuzzWorker<CliAnswer>('__tests__/helpers/fuzz-cli-worker.mjs');
const features = FIRMWARE_SCHEMA.features;
let counter = 0;

afterAll(() => {
  worker.stop();
  rmSync(dir, { recursive: true, force: true });
});

type Command = 'gate' | 'score-csv' | 'score-json';

function argvFor(command: Command, name: string): string[] {
  if (command === 'gate') return ['gate', name, '-o', `${name}.scored.csv`, '--explain', 'none'];
  return ['score', name, '--format', command === 'score-csv' ? 'csv' : 'json', '--explain', 'none'];
}

/** Write the case in its own folder and return the relative name the CLI is given. */
function writeCase(content: string | Uint8Array, ext: 'csv' | 'json'): { cwd: string; name: string } {
  const cwd = path.join(dir, `case-${++counter}`);
  mkdirSync(cwd);
  const name = `patches.${ext}`;
  writeFileSync(path.join(cwd, name), content);
  return { cwd, name };
}

/** The scored rows the command produced (gate: the -o file; score: stdout). */
function scoredOutput(command: Command, cwd: string, name: string, stdout: string): { risks: number[]; cells: string[] } {
  if (command === 'score-json') {
    const report = JSON.parse(stdout) as { patches: Record<string, string | number>[] };
    return { risks: report.patches.map((patch) => Number(patch.risk_score)), cells: [] };
  }
  const scored = parseScored(command === 'gate' ? readFileSync(path.join(cwd, `${name}.scored.csv`), 'utf8') : stdout);
  const risk = scored.header.indexOf('risk_score');
  return { risks: scored.rows.map((row) => Number(row[risk])), cells: [...scored.header, ...scored.rows.flat()] };
}

/** The CLI contract for one run; `expected` when the generator knows the answer. */
function checkRun(answer: CliAnswer, command: Command, cwd: string, name: string, expected?: Expected, rowsIfOk?: number): void {
  if (answer.code === 'threw') throw new Error(`main() threw: ${answer.stderr}`);
  expect(answer.stderr).not.toMatch(/\n\s+at /);
  if (answer.code === 0 || answer.code === 1) {
    if (expected && !expected.ok) throw new Error(`exit ${answer.code} for an invalid file; expected ${JSON.stringify(expected)}`);
    const { risks, cells } = scoredOutput(command, cwd, name, answer.stdout);
    if (expected?.ok) expect(risks).toHaveLength(expected.rows);
    else if (rowsIfOk !== undefined) expect(risks).toHaveLength(rowsIfOk);
    for (const p of risks) expect(Number.isFinite(p) && p >= 0 && p <= 1).toBe(true);
    expect(formulaCells(cells)).toEqual([]);
    if (command === 'gate') expect(answer.stdout).toMatch(answer.code === 1 ? /FAIL: \d+ high-risk/ : /PASS: No high-risk/);
    return;
  }
  expect(answer.code).toBe(2);
  if (expected?.ok) throw new Error(`exit 2 for a valid file: ${answer.stderr}`);
  const lines = answer.stderr.split('\n');
  expect(lines).toHaveLength(2);
  expect(lines[1]).toBe('');
  expect(lines[0].startsWith(`error: ${name}`)).toBe(true);
  if (expected && !expected.ok && 'row' in expected) expect(lines[0]).toContain(`row ${expected.row}, column "${expected.column}"`);
  if (expected && !expected.ok && 'header' in expected) expect(lines[0]).toContain(expected.column);
}

const command = fc.constantFrom<Command>('gate', 'score-csv', 'score-json');

describe('the CLI on fuzzed files (main() in a worker)', () => {
  it('generated CSV and JSON files: exit 0/1 with every row scored, or exit 2 with one line naming file, row and column', async () => {
    const table = tableSpec(features, { maxRows: 15, badWeight: 3 });
    await fc.assert(
      fc.asyncProperty(table, csvStyle, fc.boolean(), command, async (spec, style, asJson, cmd) => {
        const json = asJson && spec.headerProblem !== 'duplicate';
        const { cwd, name } = writeCase(json ? encodeJson(spec) : encodeCsv(spec, style).text, json ? 'json' : 'csv');
        const answer = await worker.request({ argv: argvFor(cmd, name), cwd });
        checkRun(answer, cmd, cwd, name, expectedOutcome(spec, features));
      }),
      { seed: FUZZ_SEED, numRuns: runs(600), timeout: 20000 }
    );
  });

  it('mutated files and random bytes: never a crash, a stack trace or a hang', async () => {
    const base = fc.tuple(tableSpec(features, { maxRows: 8, badWeight: 0 }), csvStyle).map(([spec, style]) => encodeCsv(spec, style).text);
    const content = fc.oneof(
      fc.tuple(base, fc.double({ min: 0, max: 1, noNaN: true }), nastyText(8)).map(([text, at, insert]) => {
        const cut = Math.floor(at * text.length);
        return Buffer.from(text.slice(0, cut) + insert + text.slice(cut), 'utf8');
      }),
      fc
        .tuple(base, fc.double({ min: 0, max: 1, noNaN: true }))
        .map(([text, at]) => Buffer.from(text, 'utf8').subarray(0, Math.floor(at * Buffer.byteLength(text)))),
      base.map((text) => Buffer.from(text, 'utf16le')),
      base.map((text) => Buffer.from(`${text}é`, 'latin1')),
      fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes))
    );
    await fc.assert(
      fc.asyncProperty(content, fc.constantFrom<'csv' | 'json'>('csv', 'json'), command, async (bytes, ext, cmd) => {
        const { cwd, name } = writeCase(bytes, ext);
        checkRun(await worker.request({ argv: argvFor(cmd, name), cwd }), cmd, cwd, name);
      }),
      { seed: FUZZ_SEED, numRuns: runs(600), timeout: 20000 }
    );
  });

  it('a missing file, a folder and an unreadable path are one line each, exit 2', async () => {
    const { cwd } = writeCase('x', 'csv');
    mkdirSync(path.join(cwd, 'folder.csv'));
    for (const name of ['nope.csv', 'folder.csv', 'nope.json']) {
      for (const cmd of ['gate', 'score-csv'] as const) {
        const answer = await worker.request({ argv: argvFor(cmd, name), cwd });
        expect(answer.code).toBe(2);
        expect(answer.stderr).toMatch(
          new RegExp(`^error: ${name.replace('.', '\\.')}: cannot read the file: (no such file|is a directory, not a file)\\n$`)
        );
      }
    }
  });
});

describe('the real bin (child processes)', () => {
  it('generated files: the same contract with real exit codes and stderr', () => {
    fc.assert(
      fc.property(tableSpec(features, { maxRows: 10, badWeight: 3 }), csvStyle, command, (spec, style, cmd) => {
        const { cwd, name } = writeCase(encodeCsv(spec, style).text, 'csv');
        const run = spawnSync(process.execPath, [BIN, ...argvFor(cmd, name)], { cwd, encoding: 'utf8', timeout: 30000 });
        if (run.error) throw run.error;
        expect(run.signal).toBeNull();
        checkRun({ code: run.status as number, stdout: run.stdout, stderr: run.stderr }, cmd, cwd, name, expectedOutcome(spec, features));
      }),
      { seed: FUZZ_SEED, numRuns: runs(12) }
    );
  }, 120000);
});
