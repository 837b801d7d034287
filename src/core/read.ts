/**
 * Reading patch files (CSV or JSON) into a validated, columnar table.
 *
 * Every cell of every feature column is checked against its FeatureSpec; the
 * first problem found in a row stops the read with an InputError that names
 * the file, the row (1-based data row, plus its line in the file) and the
 * column. Extra columns are kept as text and carried into outputs.
 */
import { readFile } from 'node:fs/promises';
import { decodeText, parseCsvText, recordStartLines, unreadable } from './csv.js';
import { InputError } from './errors.js';
import { parseCell, parseLabel, type FeatureSpec } from './schema.js';

export interface ReadOptions {
  /** Features the model expects, in its input order. */
  features: FeatureSpec[];
  /** Id column; when the file lacks it, the 1-based row number is the id. */
  idColumn: string;
  /** Label column: read when present (or required, see requireLabel). */
  label?: string;
  requireLabel?: boolean;
}

export interface PatchTable {
  /** The file as the user named it. */
  file: string;
  /** Header columns in file order (JSON: keys in order of first appearance). */
  columns: string[];
  /** Raw cells per row, aligned with `columns` (JSON values as text). */
  rows: string[][];
  /** 1-based line of the file where each row starts. */
  lines: Int32Array;
  /** Patch id per row. */
  ids: string[];
  /** The column the ids came from; undefined when they are row numbers. */
  idColumn?: string;
  featureNames: string[];
  /** Row-major [rows x featureNames.length], in the model's input order. */
  features: Float32Array;
  /** Label per row when the label column is present. */
  labels?: Uint8Array;
}

export type PatchFormat = 'csv' | 'json';

export function formatOf(file: string): PatchFormat {
  return /\.json$/i.test(file) ? 'json' : 'csv';
}

export async function readPatchFile(file: string, options: ReadOptions): Promise<PatchTable> {
  return tableFromRaw(file, await readRawTable(file), options);
}

export function parsePatchText(text: string, file: string, format: PatchFormat, options: ReadOptions): PatchTable {
  return tableFromRaw(file, parseRawText(text, file, format), options);
}

/** Header and text cells of a CSV/JSON file, before any validation. */
export async function readRawTable(file: string): Promise<RawTable> {
  return parseRawText(await readTextFile(file), file, formatOf(file));
}

/** A file's text, decoded strictly as UTF-8; the bytes are dropped as soon as they are decoded. */
export async function readTextFile(file: string): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw unreadable(file, error);
  }
  return decodeText(bytes, file);
}

export function parseRawText(text: string, file: string, format: PatchFormat): RawTable {
  return format === 'json' ? tabulateJson(text, file) : tabulateCsv(text, file);
}

export interface RawTable {
  columns: string[];
  rows: string[][];
  lines: Int32Array;
}

function tabulateCsv(text: string, file: string): RawTable {
  let columns: string[] = [];
  const rows: string[][] = [];
  parseCsvText(text, file, {
    header: (names) => (columns = names),
    rows: (chunk) => {
      for (const row of chunk) rows.push(row);
    }
  });
  return { columns, rows, lines: recordStartLines(text, rows.length + 1).subarray(1) };
}

function tabulateJson(text: string, file: string): RawTable {
  if (text.trim() === '') throw new InputError(file, 'the file is empty: expected a JSON array of patch objects');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    // V8 quotes the text around the error, line breaks included: keep the message on one line.
    throw new InputError(file, `not valid JSON (${(error as Error).message.replace(/\s+/g, ' ')})`);
  }
  if (!Array.isArray(value)) throw new InputError(file, 'expected a JSON array of patch objects, found ' + describeJson(value));
  if (value.length === 0) throw new InputError(file, 'the JSON array is empty: expected at least one patch object');
  const columns: string[] = [];
  const index = new Map<string, number>();
  value.forEach((item, i) => {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      throw new InputError(file, `expected a patch object, found ${describeJson(item)}`, { row: i + 1 });
    }
    for (const key of Object.keys(item)) {
      if (!index.has(key)) {
        index.set(key, columns.length);
        columns.push(key);
      }
    }
  });
  const rows = value.map((item: Record<string, unknown>, i) =>
    columns.map((key) => {
      const cell = item[key];
      if (cell === undefined || cell === null) return '';
      if (typeof cell === 'object') {
        throw new InputError(file, `expected a number, boolean or text, found ${describeJson(cell)}`, { row: i + 1, column: key });
      }
      return String(cell);
    })
  );
  return { columns, rows, lines: jsonObjectLines(text, rows.length) };
}

function describeJson(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** 1-based line of each top-level object in a JSON array (depth-1 '{'). */
function jsonObjectLines(text: string, count: number): Int32Array {
  const starts = new Int32Array(count);
  let line = 1;
  let depth = 0;
  let inString = false;
  let found = 0;
  for (let i = 0; i < text.length && found < count; i++) {
    const c = text[i];
    if (c === '\n') line++;
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '[' || c === '{') {
      if (c === '{' && depth === 1) starts[found++] = line;
      depth++;
    } else if (c === ']' || c === '}') depth--;
  }
  return starts;
}

/** Where the id, label and each feature are in a header. */
export interface ColumnMap {
  features: number[];
  id?: number;
  label?: number;
}

/** Find the model's columns in a header; every missing one is named. */
export function mapColumns(file: string, columns: string[], options: ReadOptions): ColumnMap {
  const position = new Map<string, number>();
  columns.forEach((name, i) => {
    if (name !== '' && position.has(name) && isKnownColumn(name, options)) {
      throw new InputError(file, `the column "${name}" appears more than once in the header`);
    }
    if (!position.has(name)) position.set(name, i);
  });
  const missing = options.features.filter((feature) => !position.has(feature.name)).map((feature) => feature.name);
  if (options.requireLabel && options.label && !position.has(options.label)) missing.push(options.label);
  if (missing.length > 0) {
    throw new InputError(file, `missing required column${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}`);
  }
  return {
    features: options.features.map((feature) => position.get(feature.name) as number),
    id: position.get(options.idColumn),
    label: options.label === undefined ? undefined : position.get(options.label)
  };
}

/** Where validated rows go: features row-major from row `firstRow` on; ids and labels when asked for. */
export interface RowSink {
  features: Float32Array;
  /** Row index that features[0] holds (default 0): lets rows go into blocks of a larger matrix. */
  firstFeatureRow?: number;
  ids?: string[];
  labels?: Uint8Array;
}

/**
 * Validate a block of rows into the sink. `firstRow` is the 0-based index of
 * rows[0]; `lineOf` gives the file line of a 0-based row (for messages).
 */
export function readRows(
  file: string,
  rows: string[][],
  firstRow: number,
  map: ColumnMap,
  options: ReadOptions,
  sink: RowSink,
  lineOf: (row: number) => number
): void {
  const nFeatures = options.features.length;
  const base = sink.firstFeatureRow ?? 0;
  for (let k = 0; k < rows.length; k++) {
    const row = rows[k];
    const r = firstRow + k;
    for (let f = 0; f < nFeatures; f++) {
      const spec = options.features[f];
      const raw = row[map.features[f]];
      const cell = parseCell(spec, raw);
      if (!cell.ok) throw cellError(file, r, lineOf(r), spec.name, cell.expected, raw);
      sink.features[(r - base) * nFeatures + f] = cell.value;
    }
    // The id is checked even when the sink does not keep ids (the streaming gate), so both paths refuse the same files.
    if (map.id === undefined) {
      if (sink.ids) sink.ids[r] = String(r + 1);
    } else {
      const id = row[map.id].trim();
      if (id === '') throw cellError(file, r, lineOf(r), options.idColumn, 'a patch id', row[map.id]);
      if (sink.ids) sink.ids[r] = id;
    }
    if (sink.labels && map.label !== undefined && options.label !== undefined) {
      const cell = parseLabel(row[map.label]);
      if (!cell.ok) throw cellError(file, r, lineOf(r), options.label, 'a label of 0 or 1', row[map.label]);
      sink.labels[r] = cell.value;
    }
  }
}

/** Validate raw cells against the features (and label) and build the columnar table. */
export function tableFromRaw(file: string, raw: RawTable, options: ReadOptions): PatchTable {
  const { columns, rows, lines } = raw;
  const map = mapColumns(file, columns, options);
  const sink: RowSink = {
    features: new Float32Array(rows.length * options.features.length),
    ids: new Array<string>(rows.length),
    ...(map.label === undefined ? {} : { labels: new Uint8Array(rows.length) })
  };
  readRows(file, rows, 0, map, options, sink, (row) => lines[row]);
  return {
    file,
    columns,
    rows,
    lines,
    ids: sink.ids as string[],
    ...(map.id === undefined ? {} : { idColumn: options.idColumn }),
    featureNames: options.features.map((feature) => feature.name),
    features: sink.features,
    ...(sink.labels ? { labels: sink.labels } : {})
  };
}

/** A table of the given rows only (features copied; ids, lines and labels kept aligned). */
export function selectRows(table: PatchTable, rows: readonly number[]): PatchTable {
  const width = table.featureNames.length;
  const features = new Float32Array(rows.length * width);
  rows.forEach((row, k) => features.set(table.features.subarray(row * width, (row + 1) * width), k * width));
  const labels = table.labels;
  return {
    ...table,
    rows: rows.map((row) => table.rows[row]),
    lines: Int32Array.from(rows, (row) => table.lines[row]),
    ids: rows.map((row) => table.ids[row]),
    features,
    ...(labels ? { labels: Uint8Array.from(rows, (row) => labels[row]) } : {})
  };
}

function isKnownColumn(name: string, options: ReadOptions): boolean {
  return name === options.idColumn || name === options.label || options.features.some((feature) => feature.name === name);
}

function cellError(file: string, rowIndex: number, line: number, column: string, expected: string, raw: string | undefined): InputError {
  const shown = raw === undefined || raw.trim() === '' ? 'an empty cell' : JSON.stringify(truncate(raw, 40));
  return new InputError(file, `expected ${expected}, found ${shown} (line ${line})`, { row: rowIndex + 1, column });
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}
