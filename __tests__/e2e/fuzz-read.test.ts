/**
 * Fuzzing the readers and the gate over generated patch files (fast-check,
 * fixed seed; FUZZ_SEED=n reproduces a failure, FUZZ_SCALE=k runs k times as
 * many cases). For every file: either every row is scored (one scored row per
 * input row, in order, every risk_score a probability, the streaming gate and
 * the in-memory reader byte-for-byte the same) or the read fails with ONE
 * InputError line naming the file, and the row, line and column of the first
 * bad cell — never another exception, a NaN score or a dropped row. Cells
 * that look like formulas never reach the scored CSV unneutralised.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import Papa from 'papaparse';
import { FIRMWARE_SCHEMA } from '../../src/index.js';
import {
  carriedOver,
  csvStyle,
  encodeCsv,
  encodeJson,
  expectedOutcome,
  formulaCells,
  FUZZ_SEED,
  FuzzWorker,
  nastyText,
  parseScored,
  plainCsvStyle,
  plainTableSpec,
  runs,
  tableSpec,
  type Expected,
  type Outcome,
  type WorkerAnswer
} from '../helpers/fuzz-helpers.js';

const dir = mkdtempSync(path.join(tmpdir(), 'prg-fuzz-read-'));
const worker = new FuzzWorker();
let counter = 0;

afterAll(() => {
  worker.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Write the case and score it with the streaming gate and the in-memory reader (`parsers`: also the byte reader and papaparse alone). */
function scoreBoth(
  content: string | Uint8Array,
  ext: 'csv' | 'json',
  options: { explain?: string; parsers?: boolean } = {}
): Promise<WorkerAnswer & { file: string }> {
  const file = path.join(dir, `case-${++counter}.${ext}`);
  writeFileSync(file, content);
  return worker.run(file, `${file}.scored.csv`, options).then((answer) => ({ ...answer, file }));
}

type Failure = Extract<Outcome, { ok: false }>['error'];

/** An InputError of one line that names the file first. */
function expectInputError(error: Failure, file: string): Failure {
  if (!error.inputError) throw new Error(`expected an InputError, got ${error.detail ?? error.message}`);
  expect(error.message.startsWith(file)).toBe(true);
  expect(error.message).not.toMatch(/[\r\n\u2028\u2029]/);
  return error;
}

/** Every invariant of a successful run: row count, probabilities, formula neutralisation. */
function checkScored(csv: string, rows: number): { header: string[]; rows: string[][] } {
  const scored = parseScored(csv);
  expect(scored.rows).toHaveLength(rows);
  const risk = scored.header.indexOf('risk_score');
  expect(risk).toBeGreaterThanOrEqual(0);
  for (const row of scored.rows) {
    expect(row).toHaveLength(scored.header.length);
    const p = Number(row[risk]);
    expect(Number.isFinite(p) && p >= 0 && p <= 1).toBe(true);
  }
  expect(formulaCells([...scored.header, ...scored.rows.flat()])).toEqual([]);
  return scored;
}

function checkAgainstExpected(expected: Expected, outcome: Outcome, file: string, lines?: number[]): void {
  if (expected.ok) {
    if (!outcome.ok) throw new Error(`a valid file was refused: ${outcome.error.detail ?? outcome.error.message}`);
    expect(outcome.rows).toBe(expected.rows);
    checkScored(outcome.csv, expected.rows);
    return;
  }
  if (outcome.ok) throw new Error(`an invalid file was scored; expected ${JSON.stringify(expected)}`);
  const error = expectInputError(outcome.error, file);
  expect(error.column ?? '').toBe('row' in expected ? expected.column : '');
  if ('row' in expected) {
    expect(error.row).toBe(expected.row);
    expect(error.message).toContain(`row ${expected.row}, column "${expected.column}"`);
    if (lines) expect(error.message).toContain(`(line ${lines[expected.row - 1]})`);
  } else {
    expect(error.message).toContain(expected.column);
    expect(error.message).toMatch(expected.header === 'missing' ? /missing required column/ : /appears more than once/);
  }
}

const features = () => FIRMWARE_SCHEMA.features;
const PARAMS = { seed: FUZZ_SEED };

describe('fuzzed CSV files', () => {
  it('scores every row of a valid file, or names the first bad row, line and column — both readers alike', async () => {
    const arbitrary = fc.tuple(tableSpec(features(), { maxRows: 30, badWeight: 4 }), csvStyle);
    await fc.assert(
      fc.asyncProperty(arbitrary, async ([spec, style]) => {
        const { text, lines } = encodeCsv(spec, style);
        const { file, gate, reader } = await scoreBoth(text, 'csv');
        const expected = expectedOutcome(spec, features());
        checkAgainstExpected(expected, gate, file, lines);
        checkAgainstExpected(expected, reader, file, lines);
        if (gate.ok && reader.ok) {
          expect(gate.csv).toBe(reader.csv);
          // Ids (or their neutralised form) come out in input order; nothing dropped or reordered.
          const scored = parseScored(gate.csv);
          if (spec.idAt >= 0) {
            const at = scored.header.indexOf('patch_id');
            spec.rows.forEach((row, r) => expect(carriedOver(row[spec.idAt].text, scored.rows[r][at])).toBe(true));
          }
        } else if (!gate.ok && !reader.ok) {
          expect(gate.error.message).toBe(reader.error.message);
        }
      }),
      { ...PARAMS, numRuns: runs(1000), timeout: 20000 }
    );
  });

  it('cells of ~150,000 characters (quotes, line breaks, multi-byte characters) across read blocks change nothing', async () => {
    const arbitrary = fc.tuple(tableSpec(features(), { maxRows: 6, badWeight: 1, huge: true }), csvStyle);
    let largest = 0;
    await fc.assert(
      fc.asyncProperty(arbitrary, async ([spec, style]) => {
        const { text, lines } = encodeCsv(spec, style);
        largest = Math.max(largest, text.length);
        const { file, gate, reader } = await scoreBoth(text, 'csv');
        const expected = expectedOutcome(spec, features());
        checkAgainstExpected(expected, gate, file, lines);
        checkAgainstExpected(expected, reader, file, lines);
        if (gate.ok && reader.ok) expect(gate.csv).toBe(reader.csv);
      }),
      { ...PARAMS, numRuns: runs(40), timeout: 30000 }
    );
    // The files are larger than a read block (256 KiB), so rows and characters are cut between blocks.
    expect(largest).toBeGreaterThan(1 << 18);
  });

  it('mutated files (cut, spliced, re-encoded, random bytes): every row scored or one InputError line, both readers alike', async () => {
    const base = fc
      .tuple(tableSpec(features(), { maxRows: 12, badWeight: 0 }), csvStyle)
      .map(([spec, style]) => encodeCsv(spec, style).text);
    const mutation = fc.oneof(
      fc.record({ kind: fc.constant('truncate' as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
      fc.record({ kind: fc.constant('insert' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), text: nastyText(6) }),
      fc.record({
        kind: fc.constant('delete' as const),
        at: fc.double({ min: 0, max: 1, noNaN: true }),
        length: fc.integer({ min: 1, max: 30 })
      }),
      fc.record({
        kind: fc.constant('bytes' as const),
        at: fc.double({ min: 0, max: 1, noNaN: true }),
        bytes: fc.uint8Array({ minLength: 1, maxLength: 8 })
      }),
      fc.record({ kind: fc.constant('encode' as const), as: fc.constantFrom('utf16le-bom', 'utf16le', 'utf16be-bom', 'latin1') })
    );
    const apply = (text: string, mutations: (typeof mutation extends fc.Arbitrary<infer T> ? T : never)[]): Uint8Array => {
      let bytes: Buffer = Buffer.from(text, 'utf8');
      for (const m of mutations) {
        const at = 'at' in m ? Math.floor(m.at * bytes.length) : 0;
        if (m.kind === 'truncate') bytes = bytes.subarray(0, at);
        else if (m.kind === 'insert') bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from(m.text, 'utf8'), bytes.subarray(at)]);
        else if (m.kind === 'delete') bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + m.length)]);
        else if (m.kind === 'bytes')
          bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from(m.bytes), bytes.subarray(at + m.bytes.length)]);
        else {
          const decoded = bytes.toString('utf8');
          if (m.as === 'latin1') bytes = Buffer.from(`${decoded}é`, 'latin1');
          else {
            const le = Buffer.from(decoded, 'utf16le');
            const body = m.as.startsWith('utf16be') ? Buffer.from(le).swap16() : le;
            bytes = m.as.endsWith('-bom')
              ? Buffer.concat([Buffer.from(m.as.startsWith('utf16be') ? [0xfe, 0xff] : [0xff, 0xfe]), body])
              : body;
          }
        }
      }
      return bytes;
    };
    await fc.assert(
      fc.asyncProperty(base, fc.array(mutation, { minLength: 1, maxLength: 3 }), async (text, mutations) => {
        const { file, gate, reader } = await scoreBoth(apply(text, mutations), 'csv');
        for (const outcome of [gate, reader]) {
          if (outcome.ok) checkScored(outcome.csv, outcome.rows);
          else expectInputError(outcome.error, file);
        }
        expect(gate.ok).toBe(reader.ok);
        if (gate.ok && reader.ok) {
          expect(gate.csv).toBe(reader.csv);
          // No dropped row: as many scored rows as CSV records after the header.
          // CRLF, CR and LF are all line breaks.
          const text = readFileSync(file, 'utf8')
            .replace(/^\ufeff/, '')
            .replace(/\r\n?/g, '\n');
          const records = Papa.parse<string[]>(text, { skipEmptyLines: true, newline: '\n' }).data.length - 1;
          expect(gate.rows).toBe(records);
        }
      }),
      { ...PARAMS, numRuns: runs(1000), timeout: 20000 }
    );
  });

  it('random bytes are refused with one InputError line (or scored, if they happen to be a patch file)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 400 }), fc.constantFrom<'csv' | 'json'>('csv', 'json'), async (bytes, ext) => {
        const { file, gate, reader } = await scoreBoth(bytes, ext);
        for (const outcome of [gate, reader]) {
          if (outcome.ok) checkScored(outcome.csv, outcome.rows);
          else expectInputError(outcome.error, file);
        }
      }),
      { ...PARAMS, numRuns: runs(400), timeout: 20000 }
    );
  });
});

/**
 * The byte reader (csv-plain.ts) against papaparse, the parser of record: for
 * every file, the gate as shipped (plain files read from their bytes), the
 * gate with papaparse for every file, the CLI's gate and the in-memory reader
 * give the same scored file (reasons included) byte for byte, or the same
 * InputError. Most of these files are plain, so the byte reader reads them.
 */
describe('the byte reader against papaparse (the parser of record)', () => {
  function sameAsPapaparse(answer: WorkerAnswer & { file: string }): void {
    const { gate, reader, file } = answer;
    const fast = answer.fast as Outcome;
    const papaparse = answer.papaparse as Outcome;
    for (const [name, other] of [
      ['papaparse', papaparse],
      ['gate', gate],
      ['reader', reader]
    ] as const) {
      if (fast.ok !== other.ok) {
        const say = (o: Outcome) => (o.ok ? `${o.rows} rows scored` : (o.error.detail ?? o.error.message));
        throw new Error(`the byte reader: ${say(fast)}; ${name}: ${say(other)}`);
      }
      if (fast.ok && other.ok) {
        expect(fast.csv).toBe(other.csv);
        expect(fast.rows).toBe(other.rows);
      } else if (!fast.ok && !other.ok) {
        expectInputError(fast.error, file);
        expect(fast.error.message).toBe(other.error.message);
      }
    }
    if (fast.ok) checkScored(fast.csv, fast.rows);
  }

  it('plain files (hostile cells, LF or CRLF, BOM, blank lines, columns named like the scored file columns): same scored file and reasons, or the same error', async () => {
    let read = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(0, 2).chain((badWeight) => plainTableSpec(features(), { maxRows: 30, badWeight })),
        plainCsvStyle,
        fc.boolean(),
        async (spec, style, twoBoms) => {
          const { text } = encodeCsv(spec, style);
          const answer = await scoreBoth(twoBoms && style.bom ? `\ufeff${text}` : text, 'csv', { explain: 'auto', parsers: true });
          sameAsPapaparse(answer);
          if (answer.fast?.ok && answer.fast.via === 'bytes') read++;
        }
      ),
      { ...PARAMS, numRuns: runs(500), timeout: 20000 }
    );
    // The byte reader really scored many of them (a valid file it handed to papaparse would prove nothing).
    expect(read).toBeGreaterThan(runs(500) / 3);
  });

  it('plain files cut, spliced, with commas, blank lines, quotes, bare CRs or bad bytes put in: the same outcome', async () => {
    const base = fc
      .tuple(plainTableSpec(features(), { maxRows: 12, badWeight: 0 }), plainCsvStyle)
      .map(([spec, style]) => Buffer.from(encodeCsv(spec, style).text, 'utf8'));
    const insert = fc.constantFrom(',', ',,', '\n', '\r\n', '\n\n', ' ', '\t', '=', '-1', '0.5', '"', '\r', 'é', '\ufeff', '[', '{');
    const mutation = fc.oneof(
      fc.record({ kind: fc.constant('truncate' as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
      fc.record({ kind: fc.constant('insert' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), text: insert }),
      fc.record({
        kind: fc.constant('delete' as const),
        at: fc.double({ min: 0, max: 1, noNaN: true }),
        length: fc.integer({ min: 1, max: 12 })
      }),
      fc.record({
        kind: fc.constant('bytes' as const),
        at: fc.double({ min: 0, max: 1, noNaN: true }),
        bytes: fc.uint8Array({ minLength: 1, maxLength: 3 })
      })
    );
    let read = 0;
    await fc.assert(
      fc.asyncProperty(base, fc.array(mutation, { minLength: 1, maxLength: 3 }), async (original, mutations) => {
        let bytes: Buffer = original;
        for (const m of mutations) {
          const at = Math.floor(m.at * bytes.length);
          if (m.kind === 'truncate') bytes = bytes.subarray(0, at);
          else if (m.kind === 'insert') bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from(m.text, 'utf8'), bytes.subarray(at)]);
          else if (m.kind === 'delete') bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + m.length)]);
          else bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from(m.bytes), bytes.subarray(at + m.bytes.length)]);
        }
        const answer = await scoreBoth(bytes, 'csv', { parsers: true });
        sameAsPapaparse(answer);
        if (answer.fast?.ok && answer.fast.via === 'bytes') read++;
      }),
      { ...PARAMS, numRuns: runs(600), timeout: 20000 }
    );
    expect(read).toBeGreaterThan(runs(600) / 25);
  });
});

describe('fuzzed JSON files', () => {
  it('scores every object of a valid array, or names the first bad object and key', async () => {
    await fc.assert(
      // JSON keys are unique: a doubled column cannot be written.
      fc.asyncProperty(
        tableSpec(features(), { maxRows: 20, badWeight: 4 }).filter((spec) => spec.headerProblem !== 'duplicate'),
        async (spec) => {
          const { file, gate, reader } = await scoreBoth(encodeJson(spec), 'json');
          const expected = expectedOutcome(spec, features());
          checkAgainstExpected(expected, gate, file);
          checkAgainstExpected(expected, reader, file);
          if (gate.ok && reader.ok) expect(gate.csv).toBe(reader.csv);
        }
      ),
      { ...PARAMS, numRuns: runs(400), timeout: 20000 }
    );
  });

  it('JSON values of every type: numbers, 1e309, NaN text, null, nested values, non-objects', async () => {
    const names = features().map((feature) => feature.name);
    const value = fc.oneof(
      fc.nat({ max: 1000 }).map((n) => JSON.stringify(n)),
      fc.constantFrom('1e309', '-1e309', '-1', '0.5', 'true', 'false', 'null', '"NaN"', '"Infinity"', '{}', '[1]', '"=1+1"', '""', '1.5')
    );
    const object = fc
      .array(value, { minLength: names.length, maxLength: names.length })
      .map((values) => `{${names.map((name, i) => `"${name}": ${values[i]}`).join(', ')}}`);
    const item = fc.oneof({ weight: 10, arbitrary: object }, { weight: 1, arbitrary: fc.constantFrom('null', '1', '"x"', '[]') });
    await fc.assert(
      fc.asyncProperty(fc.array(item, { maxLength: 8 }), async (items) => {
        const { file, gate, reader } = await scoreBoth(`[${items.join(',\n')}]`, 'json');
        for (const outcome of [gate, reader]) {
          if (outcome.ok) {
            expect(outcome.rows).toBe(items.length);
            checkScored(outcome.csv, items.length);
          } else expectInputError(outcome.error, file);
        }
      }),
      { ...PARAMS, numRuns: runs(400), timeout: 20000 }
    );
  });
});

describe('enormous fields', () => {
  const header = 'patch_id,code_churn_score,patch_size_mb,lines_changed,files_changed,avg_device_age_days,is_hotfix,patch_security,note';
  const good = '0.5,1,10,1,100,0,0';
  const MB = 1 << 20;

  it('a 1 MB extra cell and a 1 MB id are scored and carried over intact', async () => {
    const note = `${'é"x,\n'.repeat(MB / 5)}`;
    const id = `=${'P'.repeat(MB)}`;
    const { gate, reader } = await scoreBoth(`${header}\n"${id}",${good},"${note.replace(/"/g, '""')}"\nP-2,${good},short\n`, 'csv');
    if (!gate.ok) throw new Error(gate.error.detail ?? gate.error.message);
    const scored = checkScored(gate.csv, 2);
    expect(scored.rows[0][0]).toBe(`'${id}`);
    expect(scored.rows[0][scored.header.indexOf('note')]).toBe(note);
    expect(reader.ok && reader.csv).toBe(gate.csv);
  }, 150_000);

  it('a 1 MB feature cell is one short error line naming row, line and column', async () => {
    const { file, gate, reader } = await scoreBoth(`${header}\nP-1,${good},x\nP-2,0.5,${'9'.repeat(MB)},10,1,100,0,0,x\n`, 'csv');
    for (const outcome of [gate, reader]) {
      if (outcome.ok) throw new Error('scored a 1 MB number');
      const error = expectInputError(outcome.error, file);
      expect(error.message).toContain('row 2, column "patch_size_mb"');
      expect(error.message).toContain('(line 3)');
      expect(error.message.length).toBeLessThan(300);
    }
  }, 150_000);
});
