/**
 * The gate's fast path: a plain CSV file read straight from its bytes.
 *
 * A plain file has no quote character, ends its lines with LF or CRLF and is
 * one papaparse would read with a comma as the delimiter. In it a record is a
 * line and a field is the bytes between two commas, so the model's cells are
 * read as numbers from the bytes, and a line whose cells need no neutralising
 * or quoting goes into the scored file as the same bytes. Every other file is
 * read by papaparse (csv.ts), the parser of record: the fuzz tests check that
 * both give the same scored file and the same errors for every plain file.
 * Anything this reader is not sure of (a blank start, JSON-looking content,
 * too few lines to guess the delimiter from) is left to papaparse too.
 */
import { isUtf8 } from 'node:buffer';
import { isUtf16Bom, NOT_UTF8, UTF16_MESSAGE } from './encoding.js';
import { InputError } from './errors.js';
import { csvCell, type ByteOutput } from './output.js';
import { cellError, mapColumns, type ColumnMap, type ReadOptions } from './columns.js';
import { DECIMAL_TEXT, parseCell, type FeatureSpec } from './schema.js';

const LF = 10;
const CR = 13;
const COMMA = 44;
const QUOTE = 34;
const DOT = 46;
const ZERO = 48;
const NINE = 57;
/** Powers of ten that are exact doubles (10^0 … 10^22). */
const POW10 = Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));
/** papaparse's candidate delimiters, in its order: comma, tab, pipe, semicolon, record and unit separators. */
const GUESSED = [COMMA, 9, 124, 59, 30, 31];
/** Rows papaparse's guess looks at. */
const GUESS_ROWS = 10;

/** Where a plain read puts the features of row r: `block(r)` holds it at ((r % rowsPerBlock) * width). */
export interface PlainSink {
  rowsPerBlock: number;
  block(r: number): Float32Array;
}

/** No quote anywhere, and every CR is followed by LF. */
function isPlainBlock(bytes: Buffer): boolean {
  if (bytes.indexOf(QUOTE) >= 0) return false;
  for (let at = bytes.indexOf(CR); at >= 0; at = bytes.indexOf(CR, at + 1)) if (bytes[at + 1] !== LF) return false;
  return true;
}

/** Index after the UTF-8 byte order marks the decoder drops (it drops one, and csv.ts a second). */
function afterBoms(bytes: Uint8Array): number {
  let at = 0;
  for (let k = 0; k < 2 && bytes[at] === 0xef && bytes[at + 1] === 0xbb && bytes[at + 2] === 0xbf; k++) at += 3;
  return at;
}

const isAsciiBlank = (c: number): boolean => c === 32 || (c >= 9 && c <= 13);

/** The first byte from `at` that is not an ASCII blank (or -1). */
function firstNonBlank(bytes: Uint8Array, at: number): number {
  for (let i = at; i < bytes.length; i++) if (!isAsciiBlank(bytes[i])) return bytes[i];
  return -1;
}

/**
 * papaparse's delimiter guess (guessDelimiter over its 10-row preview, CRLF
 * read as LF) for plain text starting at `start`; undefined when the block
 * ends before 10 lines and more of the file follows.
 */
export function plainDelimiter(bytes: Uint8Array, start: number, more: boolean): number | undefined {
  const lines: number[] = [];
  for (let pos = start; lines.length < 2 * GUESS_ROWS;) {
    const lf = bytes.indexOf(LF, pos);
    const lineEnd = lf < 0 ? bytes.length : lf;
    lines.push(pos, lineEnd > pos && bytes[lineEnd - 1] === CR ? lineEnd - 1 : lineEnd);
    if (lf < 0) {
      if (more) return undefined;
      break;
    }
    pos = lf + 1;
  }
  let best: number | undefined;
  let bestDelta: number | undefined;
  let maxFieldCount: number | undefined;
  const rows = lines.length / 2;
  for (const delimiter of GUESSED) {
    let delta = 0;
    let average = 0;
    let empty = 0;
    let previous: number | undefined;
    for (let j = 0; j < lines.length; j += 2) {
      if (lines[j] === lines[j + 1]) {
        empty++;
        continue;
      }
      let fields = 1;
      for (let i = lines[j]; i < lines[j + 1]; i++) if (bytes[i] === delimiter) fields++;
      average += fields;
      if (previous !== undefined) delta += Math.abs(fields - previous);
      previous = fields;
    }
    average /= rows - empty;
    if ((bestDelta === undefined || delta <= bestDelta) && (maxFieldCount === undefined || average > maxFieldCount) && average > 1.99) {
      best = delimiter;
      bestDelta = delta;
      maxFieldCount = average;
    }
  }
  return best ?? COMMA;
}

/**
 * A cell of digits with at most one dot (no sign, exponent or blanks) as
 * Number() reads it, else NaN. With at most 15 significant digits and 22
 * decimals, mantissa and power of ten are exact doubles, so the one division
 * is correctly rounded — the value Number() gives.
 */
function plainNumber(bytes: Uint8Array, start: number, end: number): number {
  let mantissa = 0;
  let digits = 0;
  let significant = 0;
  let decimals = -1;
  for (let i = start; i < end; i++) {
    const c = bytes[i];
    if (c >= ZERO && c <= NINE) {
      if (significant > 0 || c !== ZERO) significant++;
      mantissa = mantissa * 10 + (c - ZERO);
      digits++;
      if (decimals >= 0) decimals++;
    } else if (c === DOT && decimals < 0) decimals = 0;
    else return NaN;
  }
  if (digits === 0 || significant > 15 || decimals > 22) return NaN;
  return decimals > 0 ? mantissa / POW10[decimals] : mantissa;
}

const NUMBER = 0;
const INTEGER = 1;
const BOOLEAN = 2;

/** A feature cell as the byte reader reads it: 0/1 for booleans, plainNumber within the spec for numbers; NaN otherwise. */
function plainCell(bytes: Uint8Array, start: number, end: number, kind: number, minimum: number): number {
  if (kind === BOOLEAN) {
    const c = bytes[start];
    return end - start === 1 && (c === ZERO || c === ZERO + 1) ? c - ZERO : NaN;
  }
  const value = plainNumber(bytes, start, end);
  return value < minimum || (kind === INTEGER && !Number.isInteger(value)) ? NaN : value;
}

/** Where splitLine's line ends: its LF (or the end of the bytes), and the end of its content (before a CR). */
const scanned = { lineEnd: 0, contentEnd: 0 };

/**
 * Split the line at `pos` at its commas: field k is bytes [starts[k], ends[k])
 * (recorded for the first starts.length fields). Returns the number of
 * fields; the line's ends are left in `scanned`.
 */
function splitLine(bytes: Uint8Array, pos: number, end: number, starts: Int32Array, ends: Int32Array): number {
  const room = starts.length;
  let fields = 0;
  let fieldStart = pos;
  let i = pos;
  for (; i < end; i++) {
    const c = bytes[i];
    if (c === COMMA) {
      if (fields < room) {
        starts[fields] = fieldStart;
        ends[fields] = i;
      }
      fields++;
      fieldStart = i + 1;
    } else if (c === LF) break;
  }
  const contentEnd = i > pos && bytes[i - 1] === CR ? i - 1 : i;
  if (fields < room) {
    starts[fields] = fieldStart;
    ends[fields] = contentEnd;
  }
  scanned.lineEnd = i;
  scanned.contentEnd = contentEnd;
  return fields + 1;
}

/** Pass 1 of the plain path: header, then every row validated into the sink, a block of whole lines at a time. */
export class PlainCsvReader {
  columns: string[] = [];
  rows = 0;
  /** Fleet-age cells (as Number() reads them, 0 when not a number) when that column is kept for the plan only. */
  readonly ages: number[] = [];
  private width = 0;
  private line = 1;
  private map: ColumnMap = { features: [] };
  private ageColumn = -1;
  private starts = new Int32Array(0);
  private ends = new Int32Array(0);
  private readonly specs: readonly FeatureSpec[];
  private readonly kinds: Uint8Array;
  private readonly minimum: Float64Array;

  constructor(
    private readonly file: string,
    private readonly options: ReadOptions,
    private readonly sink: PlainSink,
    /** The column to collect fleet ages from when the model does not read it (else undefined). */
    private readonly ageColumnName?: string
  ) {
    this.specs = options.features;
    this.kinds = Uint8Array.from(this.specs, (spec) => (spec.type === 'boolean' ? BOOLEAN : spec.type === 'integer' ? INTEGER : NUMBER));
    this.minimum = Float64Array.from(this.specs, (spec) => spec.min ?? -Infinity);
  }

  /**
   * Read one block (whole lines; the file's first block with `first`, `more`
   * when the file goes on after it). Returns false, having kept nothing,
   * when the file turns out not to be plain: papaparse reads it instead.
   */
  read(bytes: Buffer, first: boolean, more: boolean): boolean {
    if (first && isUtf16Bom(bytes)) throw new InputError(this.file, UTF16_MESSAGE);
    if (!isUtf8(bytes)) throw new InputError(this.file, NOT_UTF8);
    if (!isPlainBlock(bytes)) return false;
    let pos = 0;
    if (first) {
      const start = afterBoms(bytes);
      const lead = firstNonBlank(bytes, start);
      // Blank files, JSON and non-ASCII first characters get papaparse's messages.
      if (lead < 0 || lead >= 0x80 || lead === 0x5b || lead === 0x7b) return false;
      if (plainDelimiter(bytes, start, more) !== COMMA) return false;
      pos = this.header(bytes, start);
    }
    this.rowsOf(bytes, pos);
    return true;
  }

  /** After the last block: a file with a header and no rows is refused. */
  finish(): number {
    if (this.rows === 0) throw new InputError(this.file, 'the file has a header row but no patch rows');
    return this.rows;
  }

  private header(bytes: Buffer, start: number): number {
    let pos = start;
    for (;;) {
      if (bytes[pos] === LF) pos++;
      else if (bytes[pos] === CR && bytes[pos + 1] === LF) pos += 2;
      else break;
      this.line++;
    }
    const lf = bytes.indexOf(LF, pos);
    const lineEnd = lf < 0 ? bytes.length : lf;
    const contentEnd = lineEnd > pos && bytes[lineEnd - 1] === CR ? lineEnd - 1 : lineEnd;
    this.columns = bytes
      .toString('utf8', pos, contentEnd)
      .split(',')
      .map((name) => name.trim());
    this.width = this.columns.length;
    this.starts = new Int32Array(this.width);
    this.ends = new Int32Array(this.width);
    this.map = mapColumns(this.file, this.columns, this.options);
    if (this.ageColumnName !== undefined) this.ageColumn = this.columns.indexOf(this.ageColumnName);
    this.line++;
    return lineEnd + 1;
  }

  private rowsOf(bytes: Buffer, from: number): void {
    const { width, starts, ends, specs, kinds, minimum } = this;
    const columns = this.map.features;
    const nf = specs.length;
    const end = bytes.length;
    const perBlock = this.sink.rowsPerBlock;
    for (let pos = from; pos < end;) {
      const fields = splitLine(bytes, pos, end, starts, ends);
      const lineEnd = scanned.lineEnd;
      const line = this.line++;
      const empty = scanned.contentEnd === pos;
      pos = lineEnd + 1;
      if (empty) continue;
      const r = this.rows;
      if (fields !== width) {
        throw new InputError(this.file, `expected ${width} fields as in the header, found ${fields} (line ${line})`, { row: r + 1 });
      }
      const block = this.sink.block(r);
      const base = (r % perBlock) * nf;
      for (let f = 0; f < nf; f++) {
        const s = starts[columns[f]];
        const e = ends[columns[f]];
        const value = plainCell(bytes, s, e, kinds[f], minimum[f]);
        block[base + f] = value === value ? value : this.slowCell(specs[f], bytes.toString('utf8', s, e), r, line);
      }
      if (this.map.id !== undefined) this.checkId(bytes, starts[this.map.id], ends[this.map.id], r, line);
      if (this.ageColumn >= 0) {
        const age = Number(bytes.toString('utf8', starts[this.ageColumn], ends[this.ageColumn]));
        this.ages.push(Number.isFinite(age) ? age : 0);
      }
      this.rows++;
    }
  }

  /** A cell the byte reader does not read itself: schema.parseCell decides, with its message. */
  private slowCell(spec: FeatureSpec, text: string, r: number, line: number): number {
    const cell = parseCell(spec, text);
    if (!cell.ok) throw cellError(this.file, r, line, spec.name, cell.expected, text);
    return cell.value;
  }

  /** The id must not be blank (as String.trim sees blanks). */
  private checkId(bytes: Buffer, start: number, end: number, r: number, line: number): void {
    let unicode = false;
    for (let i = start; i < end; i++) {
      if (bytes[i] >= 0x80) unicode = true;
      else if (!isAsciiBlank(bytes[i])) return;
    }
    const text = bytes.toString('utf8', start, end);
    if (unicode && text.trim() !== '') return;
    throw cellError(this.file, r, line, this.options.idColumn, 'a patch id', text);
  }
}

/** Whether csvCell leaves a field's text as it is (no neutralising, no quoting). */
function fieldUnchanged(bytes: Buffer, start: number, end: number): boolean {
  if (start === end) return true;
  const first = bytes[start];
  const last = bytes[end - 1];
  if (first > 32 && first < 127 && last > 32 && last < 127) {
    if (first === 61 || first === 64) return false; // = @
    if (first === 43 || first === 45) return DECIMAL_TEXT.test(bytes.toString('latin1', start, end)); // + -: kept when a number
    return true;
  }
  const text = bytes.toString('utf8', start, end);
  return csvCell(text) === text;
}

/**
 * Pass 2 of the plain path: each row's kept cells — the line's own bytes
 * when no cell changes — then `tail(row, output)` writes its plan, reasons
 * and model cells (from a comma on) and the line break.
 */
export class PlainCsvWriter {
  private row = 0;
  private readonly starts: Int32Array;
  private readonly ends: Int32Array;
  private readonly wholeLine: boolean;

  constructor(
    private readonly output: ByteOutput,
    width: number,
    private readonly kept: readonly number[],
    private readonly tail: (row: number, output: ByteOutput) => void
  ) {
    this.starts = new Int32Array(width);
    this.ends = new Int32Array(width);
    this.wholeLine = kept.length === width && kept.every((column, k) => column === k);
  }

  write(bytes: Buffer, first: boolean): void {
    let pos = 0;
    if (first) {
      pos = afterBoms(bytes);
      while (bytes[pos] === LF || (bytes[pos] === CR && bytes[pos + 1] === LF)) pos += bytes[pos] === LF ? 1 : 2;
      const lf = bytes.indexOf(LF, pos);
      pos = lf < 0 ? bytes.length : lf + 1;
    }
    const { starts, ends, kept, output } = this;
    const end = bytes.length;
    while (pos < end) {
      splitLine(bytes, pos, end, starts, ends);
      const lineStart = pos;
      const contentEnd = scanned.contentEnd;
      pos = scanned.lineEnd + 1;
      if (contentEnd === lineStart) continue;
      let unchanged = true;
      for (let k = 0; k < kept.length && unchanged; k++) unchanged = fieldUnchanged(bytes, starts[kept[k]], ends[kept[k]]);
      if (unchanged && this.wholeLine) output.bytes(bytes, lineStart, contentEnd);
      else
        for (let k = 0; k < kept.length; k++) {
          if (k > 0) output.text(',');
          const s = starts[kept[k]];
          const e = ends[kept[k]];
          if (unchanged) output.bytes(bytes, s, e);
          else output.text(csvCell(bytes.toString('utf8', s, e)));
        }
      this.tail(this.row++, output);
    }
  }
}
