/**
 * Reading patch files (CSV or JSON) into a validated, columnar table.
 *
 * Every cell of every feature column is checked against its FeatureSpec
 * (columns.ts); the first problem stops the read with an InputError that
 * names the file, the row (1-based data row, plus its line in the file) and
 * the column. A CSV file's header is checked when it is read and its rows as
 * they come, so problems are found in the order the streaming gate finds
 * them. Extra columns are kept as text and carried into outputs.
 */
import { readFile } from 'node:fs/promises';
import { mapColumns, readRows, type ColumnMap, type ReadOptions, type RowSink } from './columns.js';
import { decodeText, lineOfRow, parseCsvText, recordStartLines, unreadable } from './csv.js';
import { InputError } from './errors.js';

export { cellError, mapColumns, readRows, type ColumnMap, type ReadOptions, type RowSink } from './columns.js';

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
  return parsePatchText(await readTextFile(file), file, formatOf(file), options);
}

export function parsePatchText(text: string, file: string, format: PatchFormat, options: ReadOptions): PatchTable {
  return format === 'json' ? tableFromRaw(file, tabulateJson(text, file), options) : readCsvTable(text, file, options);
}

/** A CSV text as a validated table: the header mapped when it is read, each block of rows validated as it comes. */
function readCsvTable(text: string, file: string, options: ReadOptions): PatchTable {
  const width = options.features.length;
  let columns: string[] = [];
  let map: ColumnMap = { features: [] };
  const rows: string[][] = [];
  const blocks: Float32Array[] = [];
  const ids: string[] = [];
  let labels: Uint8Array | undefined;
  parseCsvText(text, file, {
    header: (names) => {
      columns = names;
      map = mapColumns(file, names, options);
    },
    rows: (chunk, firstRow) => {
      if (map.label !== undefined) labels = grown(labels, firstRow + chunk.length);
      const sink: RowSink = { features: new Float32Array(chunk.length * width), firstFeatureRow: firstRow, ids, labels };
      readRows(file, chunk, firstRow, map, options, sink, (row) => lineOfRow(text, row + 1));
      blocks.push(sink.features);
      for (const row of chunk) rows.push(row);
    }
  });
  const features = new Float32Array(rows.length * width);
  let at = 0;
  for (const block of blocks) {
    features.set(block, at);
    at += block.length;
  }
  return {
    file,
    columns,
    rows,
    lines: recordStartLines(text, rows.length + 1).subarray(1),
    ids,
    ...(map.id === undefined ? {} : { idColumn: options.idColumn }),
    featureNames: options.features.map((feature) => feature.name),
    features,
    ...(labels ? { labels: labels.subarray(0, rows.length) } : {})
  };
}

/** `array` (or a new one) with room for `length` values, doubling its size when it grows. */
function grown(array: Uint8Array | undefined, length: number): Uint8Array {
  if (array && array.length >= length) return array;
  const next = new Uint8Array(Math.max(length, 2 * (array?.length ?? 0), 1024));
  if (array) next.set(array);
  return next;
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
  value.forEach((item: unknown, i) => {
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
  const rows = (value as Record<string, unknown>[]).map((item, i) =>
    columns.map((key) => {
      const cell = item[key];
      if (cell === undefined || cell === null) return '';
      if (typeof cell === 'object') {
        throw new InputError(file, `expected a number, boolean or text, found ${describeJson(cell)}`, { row: i + 1, column: key });
      }
      // JSON.parse gives strings, numbers and booleans here.
      return typeof cell === 'string' ? cell : JSON.stringify(cell);
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
