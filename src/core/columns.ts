/**
 * Checking a patch file's header and rows against a model's features: where
 * each column is, and every cell of a row checked against its FeatureSpec.
 * The first problem stops the read with an InputError naming the file, the
 * row (1-based data row, plus its line in the file) and the column. No CSV
 * parser here: both readers (papaparse's and the byte reader) use these.
 */
import { InputError } from './errors.js';
import { parseCell, parseLabel, type FeatureSpec } from './schema.js';

export interface ReadOptions {
  /** Features the model expects, in its input order. */
  features: FeatureSpec[];
  /** Id column; when the file lacks it, the 1-based row number is the id (unless idColumnRequired). */
  idColumn: string;
  /** The id column was named by the user, not taken from the model card: a file without it is refused. */
  idColumnRequired?: boolean;
  /** Label column: read when present (or required, see requireLabel). */
  label?: string;
  requireLabel?: boolean;
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
  if (options.idColumnRequired && !position.has(options.idColumn)) {
    const named = columns.map((name) => JSON.stringify(truncate(name, 40))).join(', ');
    throw new InputError(file, `the id column ${JSON.stringify(options.idColumn)} is not in the file; its columns are ${named}`);
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

function isKnownColumn(name: string, options: ReadOptions): boolean {
  return name === options.idColumn || name === options.label || options.features.some((feature) => feature.name === name);
}

/** A number written with a decimal comma (0,5) or a thousands comma (1,000): read as text, so say why. */
const COMMA_NUMBER = /^[+-]?(?:\d+,\d*|,\d+)$/;
const DECIMAL_COMMA_HINT =
  '; decimal commas are not read: write numbers with a dot (0.5, not 0,5) and no thousands separators, e.g. by saving the file with "." as the decimal separator';

/** The InputError for a bad cell: file, row, column, what was expected, what was found and its line. */
export function cellError(
  file: string,
  rowIndex: number,
  line: number,
  column: string,
  expected: string,
  raw: string | undefined
): InputError {
  const shown = raw === undefined || raw.trim() === '' ? 'an empty cell' : JSON.stringify(truncate(raw, 40));
  const hint = raw !== undefined && expected.includes('number') && COMMA_NUMBER.test(raw.trim()) ? DECIMAL_COMMA_HINT : '';
  return new InputError(file, `expected ${expected}, found ${shown} (line ${line})${hint}`, { row: rowIndex + 1, column });
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}
