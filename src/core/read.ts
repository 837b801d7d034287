/**
 * Reading patch files (CSV or JSON) into a validated, columnar table.
 *
 * Every cell of every feature column is checked against its FeatureSpec; the
 * first problem found in a row stops the read with an InputError that names
 * the file, the row (1-based data row, plus its line in the file) and the
 * column. Extra columns are kept as text and carried into outputs.
 */
import { readFile } from 'node:fs/promises';
import Papa from 'papaparse';
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
  /** Whether ids came from the id column (false: row numbers). */
  idFromColumn: boolean;
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

/** Decode UTF-8 strictly (a BOM is dropped); UTF-16 and other encodings are refused with a clear message. */
export function decodeText(bytes: Uint8Array, file: string): string {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new InputError(file, 'the file is UTF-16 encoded; save it as UTF-8');
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new InputError(file, 'the file is not valid UTF-8 text (save it as UTF-8)');
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return text;
}

export function parsePatchText(text: string, file: string, format: PatchFormat, options: ReadOptions): PatchTable {
  return tableFromRaw(file, parseRawText(text, file, format), options);
}

/** Header and text cells of a CSV/JSON file, before any validation. */
export async function readRawTable(file: string): Promise<RawTable> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory, not a file' : String((error as Error).message);
    throw new InputError(file, `cannot read the file: ${reason}`);
  }
  return parseRawText(decodeText(bytes, file), file, formatOf(file));
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
  if (text.trim() === '') throw new InputError(file, 'the file is empty: expected a header row and at least one patch row');
  const parsed = Papa.parse<string[]>(text, { header: false, skipEmptyLines: true });
  const quoteError = parsed.errors.find((error) => error.type === 'Quotes');
  const data = parsed.data;
  const lines = recordStartLines(text, data.length);
  if (quoteError) {
    const row = quoteError.row ?? 0;
    throw new InputError(file, `malformed quoted field (${quoteError.message})`, { row: row > 0 ? row : undefined });
  }
  const columns = data[0].map((name) => name.trim());
  const rows = data.slice(1);
  if (rows.length === 0) throw new InputError(file, 'the file has a header row but no patch rows');
  for (let i = 0; i < rows.length; i++) {
    if (rows[i].length !== columns.length) {
      throw new InputError(file, `expected ${columns.length} fields as in the header, found ${rows[i].length} (line ${lines[i + 1]})`, {
        row: i + 1
      });
    }
  }
  return { columns, rows, lines: lines.subarray(1) };
}

/**
 * 1-based line where each CSV record starts, skipping empty lines as
 * papaparse's skipEmptyLines does; quoted fields may span lines.
 */
function recordStartLines(text: string, records: number): Int32Array {
  const starts = new Int32Array(records);
  let line = 1;
  let found = 0;
  let inQuotes = false;
  let atRecordStart = true;
  for (let i = 0; i < text.length && found < records; i++) {
    const c = text.charCodeAt(i);
    if (atRecordStart) {
      if (c === 10 || c === 13) {
        if (c === 10) line++;
        else if (text.charCodeAt(i + 1) !== 10) line++;
        continue;
      }
      starts[found++] = line;
      atRecordStart = false;
    }
    if (c === 34) inQuotes = !inQuotes;
    else if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) {
      line++;
      if (!inQuotes) atRecordStart = true;
    }
  }
  return starts;
}

function tabulateJson(text: string, file: string): RawTable {
  if (text.trim() === '') throw new InputError(file, 'the file is empty: expected a JSON array of patch objects');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new InputError(file, `not valid JSON (${(error as Error).message})`);
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

/** Validate raw cells against the features (and label) and build the columnar table. */
export function tableFromRaw(file: string, raw: RawTable, options: ReadOptions): PatchTable {
  const { columns, rows, lines } = raw;
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

  const nFeatures = options.features.length;
  const featureColumns = options.features.map((feature) => position.get(feature.name) as number);
  const features = new Float32Array(rows.length * nFeatures);
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r];
    for (let f = 0; f < nFeatures; f++) {
      const spec = options.features[f];
      const raw = row[featureColumns[f]];
      const cell = parseCell(spec, raw);
      if (!cell.ok) throw cellError(file, r, lines[r], spec.name, cell.expected, raw);
      features[r * nFeatures + f] = cell.value;
    }
  }

  const idColumn = position.get(options.idColumn);
  const ids = rows.map((row, r) => {
    if (idColumn === undefined) return String(r + 1);
    const id = row[idColumn].trim();
    if (id === '') throw cellError(file, r, lines[r], options.idColumn, 'a patch id', row[idColumn]);
    return id;
  });

  const table: PatchTable = {
    file,
    columns,
    rows,
    lines,
    ids,
    idFromColumn: idColumn !== undefined,
    featureNames: options.features.map((feature) => feature.name),
    features
  };
  const labelColumn = options.label === undefined ? undefined : position.get(options.label);
  if (labelColumn !== undefined && options.label !== undefined) {
    const labels = new Uint8Array(rows.length);
    for (let r = 0; r < rows.length; r++) {
      const cell = parseLabel(rows[r][labelColumn]);
      if (!cell.ok) throw cellError(file, r, lines[r], options.label, 'a label of 0 or 1', rows[r][labelColumn]);
      labels[r] = cell.value;
    }
    table.labels = labels;
  }
  return table;
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

