/** Splitting labelled rows for training and validation: by time or stratified at random. */
import { InputError } from '../../core/errors.js';
import type { PatchTable, RawTable } from '../../core/read.js';
import { DECIMAL_TEXT } from '../../core/schema.js';
import type { Dataset } from '../gbdt/boost.js';
import { createRandom } from '../gbdt/random.js';

function range(start: number, end: number): number[] {
  return Array.from({ length: Math.max(0, end - start) }, (_, i) => start + i);
}

/**
 * Rows sorted oldest first by a time column: numbers (e.g. epoch seconds)
 * when every cell is one, else dates Date.parse understands (ISO 8601).
 * Stable: rows with the same time keep their file order.
 */
export function sortByTime(raw: RawTable, column: string, file: string): RawTable {
  const index = raw.columns.indexOf(column);
  if (index < 0) throw new InputError(file, `no time column "${column}" (columns: ${raw.columns.join(', ')})`);
  const cells = raw.rows.map((row) => row[index].trim());
  const numeric = cells.every((cell) => DECIMAL_TEXT.test(cell));
  const times = cells.map((cell, r) => {
    const time = numeric ? Number(cell) : Date.parse(cell);
    if (!Number.isFinite(time)) {
      throw new InputError(
        file,
        `expected a date (e.g. 2024-05-01T12:00:00Z) or a number, found ${JSON.stringify(cell)} (line ${raw.lines[r]})`,
        {
          row: r + 1,
          column
        }
      );
    }
    return time;
  });
  const order = raw.rows.map((_, r) => r).sort((a, b) => times[a] - times[b] || a - b);
  return { columns: raw.columns, rows: order.map((r) => raw.rows[r]), lines: Int32Array.from(order, (r) => raw.lines[r]) };
}

/** The older rows (training) and the newest `fraction` of rows (holdout), in order. */
export function splitNewest(raw: RawTable, fraction: number): { older: RawTable; newest: RawTable } {
  const n = raw.rows.length;
  const cut = n - Math.max(1, Math.round(n * fraction));
  const part = (start: number, end: number): RawTable => ({
    columns: raw.columns,
    rows: raw.rows.slice(start, end),
    lines: raw.lines.slice(start, end)
  });
  return { older: part(0, cut), newest: part(cut, n) };
}

/** Indices of validation rows: stratified random, or the last rows in file order. */
export function splitRows(
  labels: Uint8Array,
  fraction: number,
  split: 'random' | 'time',
  seed: number
): { train: number[]; validation: number[] } {
  const n = labels.length;
  if (split === 'time') {
    const cut = n - Math.max(1, Math.round(n * fraction));
    return { train: range(0, cut), validation: range(cut, n) };
  }
  const random = createRandom(seed);
  const train: number[] = [];
  const validation: number[] = [];
  for (const cls of [0, 1]) {
    const members = range(0, n).filter((i) => labels[i] === cls);
    for (let i = members.length - 1; i > 0; i--) {
      const j = Math.floor(random.next() * (i + 1));
      [members[i], members[j]] = [members[j], members[i]];
    }
    const take = Math.round(members.length * fraction);
    validation.push(...members.slice(0, take));
    train.push(...members.slice(take));
  }
  return { train: train.sort((a, b) => a - b), validation: validation.sort((a, b) => a - b) };
}

export function subset(table: PatchTable, rows: number[]): Dataset {
  const width = table.featureNames.length;
  const X = new Float32Array(rows.length * width);
  const y = new Uint8Array(rows.length);
  rows.forEach((row, i) => {
    X.set(table.features.subarray(row * width, (row + 1) * width), i * width);
    y[i] = table.labels?.[row] ?? 0;
  });
  return { X, y, nRows: rows.length, nFeatures: width };
}
