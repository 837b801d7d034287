/**
 * Generators for the fuzz tests: patch tables whose every cell is known to be
 * valid or not by construction (not by calling the code under test), encoded
 * as CSV or JSON with hostile but legal choices (quoting, line endings, BOM,
 * blank lines, formula-looking text, huge cells, duplicate ids), plus the
 * oracle: which row and column must be named when the table is invalid.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';
import fc from 'fast-check';
import Papa from 'papaparse';
import type { FeatureSpec } from '../../src/index.js';

/** Seed and scale: FUZZ_SEED reproduces a failure, FUZZ_SCALE multiplies every numRuns. */
export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 8_20_2024);
const FUZZ_SCALE = Number(process.env.FUZZ_SCALE ?? 1);
export function runs(n: number): number {
  return Math.max(1, Math.round(n * FUZZ_SCALE));
}

export interface Cell {
  text: string;
  valid: boolean;
}

const pick = <T>(values: readonly T[]) => fc.constantFrom(...values);
const pad = (arb: fc.Arbitrary<string>) => fc.tuple(pick(['', ' ', '  ']), arb, pick(['', ' '])).map(([a, b, c]) => a + b + c);

const BAD_NUMBERS = [
  'NaN',
  'nan',
  'Infinity',
  '-Infinity',
  'inf',
  '1e309',
  '-1e309',
  '9'.repeat(400),
  '',
  '   ',
  'abc',
  '0x1F',
  '1_000',
  '1,5',
  '１２',
  '=1+1',
  '+-1',
  '@1',
  '1e',
  'e5',
  '.',
  '-',
  '+',
  '1..2',
  '1 2',
  '\u00001',
  '1\u0000',
  "=cmd|' /C calc'!A0",
  '-2+3',
  '@SUM(1)'
];
const NEGATIVE = ['-1', '-0.001', '-3.5e2', '-100000'];
const NOT_WHOLE = ['1.5', '0.1', '1e-1', '2.000001', '3.25'];
const TRUE_FALSE = ['0', '1', 'true', 'FALSE', 'yes', 'No', 'y', 'T', 'f', 'n', ' 1 ', 'True'];
const BAD_BOOLEANS = ['2', '-1', '1.0', 'maybe', 'truee', '', 'nope', '0x0', 'NaN', 'tru e', '=TRUE()'];

function validNumber(): fc.Arbitrary<string> {
  return fc.oneof(
    fc.double({ min: 0, max: 1e9, noNaN: true, noDefaultInfinity: true }).map((x) => String(Math.abs(x))),
    fc.nat({ max: 100000 }).map((n) => `${n}.`),
    fc.nat({ max: 100000 }).map((n) => `.${n}`),
    fc.nat({ max: 100000 }).map((n) => `+${n}`),
    fc.tuple(fc.nat({ max: 999 }), fc.integer({ min: -5, max: 5 })).map(([m, e]) => `${m}e${e}`)
  );
}

function validInteger(): fc.Arbitrary<string> {
  return fc.oneof(
    fc.nat({ max: 2_000_000 }).map(String),
    fc.nat({ max: 5000 }).map((n) => `${n}.0`),
    fc.nat({ max: 5000 }).map((n) => `+${n}`),
    fc.nat({ max: 99 }).map((n) => `${n}e2`)
  );
}

/** A cell for a feature: valid with probability ~(1 - badRate), else one of the invalid kinds for its type. */
export function featureCell(spec: FeatureSpec, badWeight: number): fc.Arbitrary<Cell> {
  const good = spec.type === 'boolean' ? pick(TRUE_FALSE) : spec.type === 'integer' ? validInteger() : validNumber();
  const badTexts =
    spec.type === 'boolean'
      ? BAD_BOOLEANS
      : [...BAD_NUMBERS, ...(spec.min === 0 ? NEGATIVE : []), ...(spec.type === 'integer' ? NOT_WHOLE : [])];
  return fc.oneof(
    { weight: 100, arbitrary: pad(good).map((text) => ({ text, valid: true })) },
    { weight: badWeight, arbitrary: pick(badTexts).map((text) => ({ text, valid: false })) }
  );
}

/** Characters that break naive CSV, Markdown, spreadsheets and logs. */
const NASTY = [
  'a',
  'Z',
  '7',
  ' ',
  ',',
  '"',
  '\n',
  '\r',
  '\r\n',
  '=',
  '+',
  '-',
  '@',
  '\t',
  '|',
  '<',
  '>',
  '#',
  '`',
  ':',
  'é',
  '😀',
  '\u0000',
  '\u2028',
  "'"
];
export const nastyText = (maxLength: number) => fc.array(pick(NASTY), { maxLength }).map((parts) => parts.join(''));

/** Formula-looking cells, as an attacker would put them in a patch file. */
export const FORMULAS = ["=cmd|' /C calc'!A0", '+1', '-2+3', '@SUM(1)', '=HYPERLINK("http://x","y")', '\t=1', '\r=1', '-x', '+x', '=1'];

export const idCell = fc.oneof(
  { weight: 4, arbitrary: pick(['P-1', 'P-2', 'P-1', ...FORMULAS]).map((text) => ({ text, valid: true })) },
  {
    weight: 4,
    arbitrary: nastyText(12)
      .filter((text) => text.trim() !== '')
      .map((text) => ({ text, valid: true }))
  },
  { weight: 1, arbitrary: pick(['', ' ', '\t']).map((text) => ({ text, valid: false })) }
);

/** A long cell (up to ~150,000 characters) with quotes, separators and multi-byte characters at random places. */
export const longText = fc
  .tuple(
    fc.array(pick(['x', 'é', '😀', ',', '"', '\n', '\r\n', 'abc']), { minLength: 1, maxLength: 12 }),
    fc.integer({ min: 1000, max: 150_000 })
  )
  .map(([parts, length]) => {
    const unit = parts.join('');
    return unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
  });

export interface TableSpec {
  /** Header names in file order. */
  columns: string[];
  /** Cells per row in file order. */
  rows: Cell[][];
  /** Which file column holds each model feature (model order); -1 when left out. */
  featureAt: number[];
  idAt: number;
  /** A header problem the read must report before any row. */
  headerProblem?: 'duplicate' | 'missing';
}

/**
 * A patch table for the features: the features (optionally one left out or
 * one doubled), an optional id column and up to three extra columns, in a
 * random column order.
 */
export function tableSpec(
  features: FeatureSpec[],
  options: { maxRows: number; badWeight: number; huge?: boolean }
): fc.Arbitrary<TableSpec> {
  const extraName = pick(['note', 'owner', '', '=HYPERLINK("x")', ' note ', '@who', 'component']);
  const extraCell = options.huge
    ? fc.oneof({ weight: 1, arbitrary: nastyText(20) }, { weight: 2, arbitrary: longText })
    : fc.oneof({ weight: 3, arbitrary: nastyText(20) }, { weight: 1, arbitrary: pick(FORMULAS) });
  return fc
    .record({
      withId: fc.boolean(),
      extras: fc.array(extraName, { minLength: options.huge ? 1 : 0, maxLength: 3 }),
      headerProblem: fc.oneof(
        { weight: 12, arbitrary: fc.constant(undefined) },
        { weight: 1, arbitrary: pick(['duplicate', 'missing'] as const) }
      ),
      problemFeature: fc.nat({ max: features.length - 1 }),
      order: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: features.length + 5, maxLength: features.length + 5 }),
      nRows: fc.integer({ min: 1, max: options.maxRows })
    })
    .chain((shape) => {
      // Logical columns: features (one dropped or doubled for a header problem), id, extras.
      const logical: { name: string; kind: 'feature' | 'id' | 'extra'; feature?: number }[] = [];
      features.forEach((spec, f) => {
        if (shape.headerProblem === 'missing' && f === shape.problemFeature) return;
        logical.push({ name: spec.name, kind: 'feature', feature: f });
        if (shape.headerProblem === 'duplicate' && f === shape.problemFeature) logical.push({ name: spec.name, kind: 'extra' });
      });
      if (shape.withId) logical.push({ name: 'patch_id', kind: 'id' });
      for (const name of shape.extras) logical.push({ name, kind: 'extra' });
      const order = logical.map((_, i) => i).sort((a, b) => shape.order[a] - shape.order[b] || a - b);
      const columns = order.map((i) => logical[i]);
      const cellFor = (column: (typeof columns)[number]): fc.Arbitrary<Cell> =>
        column.kind === 'feature'
          ? featureCell(features[column.feature as number], options.badWeight)
          : column.kind === 'id'
            ? idCell
            : extraCell.map((text) => ({ text, valid: true }));
      const row = fc.tuple(...columns.map(cellFor));
      return fc.array(row, { minLength: shape.nRows, maxLength: shape.nRows }).map((rows) => ({
        columns: columns.map((column) => column.name),
        rows,
        featureAt: features.map((_, f) => {
          const at = columns.findIndex((column) => column.kind === 'feature' && column.feature === f);
          return at;
        }),
        idAt: columns.findIndex((column) => column.kind === 'id'),
        headerProblem: shape.headerProblem
      }));
    });
}

export type Expected =
  { ok: true; rows: number } | { ok: false; header: 'duplicate' | 'missing'; column: string } | { ok: false; row: number; column: string };

/** What reading the table must do: score every row, or name the first bad row and its first bad column (model order, then the id). */
export function expectedOutcome(spec: TableSpec, features: FeatureSpec[]): Expected {
  if (spec.headerProblem) {
    const missing = spec.featureAt.findIndex((at) => at < 0);
    const doubled = features.find((feature) => spec.columns.filter((name) => name === feature.name).length > 1);
    return {
      ok: false,
      header: spec.headerProblem,
      column: spec.headerProblem === 'missing' ? features[missing].name : (doubled as FeatureSpec).name
    };
  }
  for (let r = 0; r < spec.rows.length; r++) {
    const row = spec.rows[r];
    const bad = spec.featureAt.findIndex((at) => !row[at].valid);
    if (bad >= 0) return { ok: false, row: r + 1, column: features[bad].name };
    if (spec.idAt >= 0 && !row[spec.idAt].valid) return { ok: false, row: r + 1, column: 'patch_id' };
  }
  return { ok: true, rows: spec.rows.length };
}

/** What makes a CSV file not plain: a quote, a comma inside a cell, a CR or LF inside a cell. */
const NOT_PLAIN = /[",\r\n]/g;
/** Names of the scored file's own columns: an input column of that name is left out of the scored file. */
const OUTPUT_NAMES = ['risk_score', 'qa_hours', 'reason_2', 'model_version'] as const;

/**
 * A table whose names and cells are plain (no quote, comma, CR or LF), so its
 * CSV is read from its bytes, and otherwise as hostile as tableSpec's; one
 * extra column may be named like a column of the scored file. The cells'
 * validity labels no longer hold (a "1,5" becomes "15"): the tests that use
 * this compare the readers with each other, not with expectedOutcome.
 */
export function plainTableSpec(features: FeatureSpec[], options: { maxRows: number; badWeight: number }): fc.Arbitrary<TableSpec> {
  return fc.tuple(tableSpec(features, options), fc.option(fc.constantFrom(...OUTPUT_NAMES))).map(([spec, rename]) => {
    const plain = (text: string) => text.replace(NOT_PLAIN, '');
    const columns = spec.columns.map(plain);
    const extra = columns.findIndex((_, i) => !spec.featureAt.includes(i) && i !== spec.idAt);
    if (rename !== null && extra >= 0) columns[extra] = rename;
    return { ...spec, columns, rows: spec.rows.map((row) => row.map((cell) => ({ ...cell, text: plain(cell.text) }))) };
  });
}

/** Line endings a plain file may have (LF or CRLF), never quoted cells. */
export const plainCsvStyle: fc.Arbitrary<CsvStyle> = fc.record({
  newline: pick(['\n', '\r\n'] as const),
  bom: fc.boolean(),
  trailingNewline: fc.boolean(),
  quoteAll: fc.constant(false),
  blankBefore: fc.array(fc.nat({ max: 40 }), { maxLength: 3 })
});

export interface CsvStyle {
  newline: '\n' | '\r\n' | '\r';
  bom: boolean;
  trailingNewline: boolean;
  /** Quote every cell (else only those that need it). */
  quoteAll: boolean;
  /** Rows (0-based) preceded by an empty line. */
  blankBefore: number[];
}

export const csvStyle: fc.Arbitrary<CsvStyle> = fc.record({
  newline: pick(['\n', '\r\n', '\r'] as const),
  bom: fc.boolean(),
  trailingNewline: fc.boolean(),
  quoteAll: fc.boolean(),
  blankBefore: fc.array(fc.nat({ max: 40 }), { maxLength: 3 })
});

function csvField(text: string, quoteAll: boolean): string {
  return quoteAll || /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Line breaks in text as an editor counts them (CRLF, CR and LF each one). */
export function lineBreaks(text: string): number {
  return (text.match(/\r\n|\r|\n/g) ?? []).length;
}

/** The CSV text and the 1-based line where each data row starts. */
export function encodeCsv(spec: TableSpec, style: CsvStyle): { text: string; lines: number[] } {
  let text = style.bom ? '\ufeff' : '';
  text += spec.columns.map((name) => csvField(name, style.quoteAll)).join(',');
  const lines: number[] = [];
  let line = 1 + lineBreaks(text);
  spec.rows.forEach((row, r) => {
    text += style.newline;
    line++;
    if (style.blankBefore.includes(r)) {
      text += style.newline;
      line++;
    }
    lines.push(line);
    const record = row.map((cell) => csvField(cell.text, style.quoteAll)).join(',');
    text += record;
    line += lineBreaks(record);
  });
  if (style.trailingNewline) text += style.newline;
  return { text, lines };
}

/** The table as a JSON array of objects (every cell as a JSON string). */
export function encodeJson(spec: TableSpec): string {
  return JSON.stringify(spec.rows.map((row) => Object.fromEntries(spec.columns.map((name, i) => [name, row[i].text]))));
}

// A plain decimal number, as a spreadsheet reads it (kept unquoted by the neutraliser).
const PLAIN_NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Cells a spreadsheet would run as a formula. */
export function formulaCells(cells: string[]): string[] {
  return cells.filter((cell) => /^[=+\-@\t\r]/.test(cell) && !PLAIN_NUMBER.test(cell));
}

/** Parse a scored CSV back (the writer always uses LF between records). */
export function parseScored(text: string): { header: string[]; rows: string[][] } {
  const parsed = Papa.parse<string[]>(text, { header: false, newline: '\n', skipEmptyLines: true });
  if (parsed.errors.length > 0) throw new Error(`the scored CSV does not parse: ${parsed.errors[0].message}`);
  const [header, ...rows] = parsed.data;
  return { header, rows };
}

/**
 * The cell the scored file may hold for an input cell: itself, or itself
 * behind an apostrophe when it looks like a formula. Line breaks inside a
 * quoted cell may come out as LF (the reader reads CRLF, CR and LF alike).
 */
export function carriedOver(input: string, output: string): boolean {
  const lf = (text: string) => text.replace(/\r\n?/g, '\n');
  const [a, b] = [lf(input), lf(output)];
  return b === a || b === `'${input}` || (b === `'${a}` && /^[=+\-@\t\r]/.test(input));
}

export type Outcome =
  | { ok: true; csv: string; rows: number; via?: 'bytes' | 'papaparse' | 'json' }
  | { ok: false; error: { inputError: boolean; name?: string; message: string; row?: number; column?: string; detail?: string } };

export interface WorkerAnswer {
  /** The streaming gate as the CLI runs it. */
  gate: Outcome;
  /** The in-memory reader (papaparse), as `score` and the action run it. */
  reader: Outcome;
  /** With `parsers`: streamScoreFile as shipped, a plain CSV file read from its bytes (`via` says how it was read). */
  fast?: Outcome;
  /** With `parsers`: streamScoreFile with papaparse for every CSV file, the parser of record. */
  papaparse?: Outcome;
}

/**
 * Runs cases in a long-lived child process (fuzz-worker.mjs: the library;
 * fuzz-cli-worker.mjs: the CLI's main). A case that takes longer than
 * `timeoutMs` is a hang: the worker is killed and the case fails; a worker
 * that dies is a crash. The default is generous (60 s) so that a busy
 * machine is not taken for a hang.
 */
export class FuzzWorker<Answer = WorkerAnswer> {
  private child?: ChildProcessWithoutNullStreams;
  private readonly pending = new Map<
    number,
    { resolve: (answer: Answer) => void; reject: (error: Error) => void; timer: NodeJS.Timeout }
  >();
  private buffer = '';
  private stderr = '';
  private next = 0;

  constructor(private readonly script = '__tests__/helpers/fuzz-worker.mjs') {}

  private ensure(): ChildProcessWithoutNullStreams {
    if (this.child) return this.child;
    const child = spawn(process.execPath, [path.resolve(this.script)], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child = child;
    this.buffer = '';
    this.stderr = '';
    // A character may be split between two chunks: decode the stream, not each chunk.
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      this.buffer += chunk;
      for (let end = this.buffer.indexOf('\n'); end >= 0; end = this.buffer.indexOf('\n')) {
        const answer = JSON.parse(this.buffer.slice(0, end)) as Answer & { id: number };
        this.buffer = this.buffer.slice(end + 1);
        const waiting = this.pending.get(answer.id);
        if (!waiting) continue;
        clearTimeout(waiting.timer);
        this.pending.delete(answer.id);
        waiting.resolve(answer);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString('utf8')));
    child.on('exit', (code, signal) => {
      if (this.child === child) this.child = undefined;
      for (const [id, waiting] of this.pending) {
        clearTimeout(waiting.timer);
        this.pending.delete(id);
        waiting.reject(new Error(`the scoring process ended (${signal ?? code}) — a crash: ${this.stderr}`));
      }
    });
    return child;
  }

  /** Score `file` with the gate and the reader (`parsers`: also with each CSV parser alone; `explain`: the --explain mode). */
  run(file: string, out: string, options: { timeoutMs?: number; explain?: string; parsers?: boolean } = {}): Promise<Answer> {
    const { timeoutMs = 60000, explain = 'none', parsers = false } = options;
    return this.request({ file, out, explain, parsers }, timeoutMs);
  }

  request(payload: object, timeoutMs = 60000): Promise<Answer> {
    const child = this.ensure();
    const id = ++this.next;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        child.kill('SIGKILL');
        reject(new Error(`no answer within ${timeoutMs} ms for ${JSON.stringify(payload)}: a hang`));
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      child.stdin.write(`${JSON.stringify({ id, ...payload })}\n`);
    });
  }

  stop(): void {
    this.child?.stdin.end();
    this.child = undefined;
  }
}
