/** CSV form of mined commits (`patch-risk mine` output, `patch-risk label` input). */
import type { CommitMetrics } from './history.js';

export const METRIC_COLUMNS = ['ns', 'nd', 'nf', 'entropy', 'la', 'ld', 'lt', 'fix', 'ndev', 'age', 'nuc', 'exp', 'rexp', 'sexp'] as const;

export const FILES_SEPARATOR = ';';

/**
 * `files` is the touched paths joined with ';' (ignored paths left out). Columns added later
 * go at the end: `merge` (1 for a merge commit's own changes), `ignored_lines` (lines added
 * plus deleted in ignored paths).
 */
export const COMMIT_COLUMNS = ['commit', 'author', 'date', 'subject', ...METRIC_COLUMNS, 'files', 'merge', 'ignored_lines'] as const;

export type CommitColumn = (typeof COMMIT_COLUMNS)[number];

/** The cell of `column` for a row, before CSV quoting. */
export function commitCell(m: CommitMetrics, column: CommitColumn): string {
  switch (column) {
    case 'files':
      return m.files.join(FILES_SEPARATOR);
    case 'ignored_lines':
      return String(m.ignoredLines ?? 0);
    case 'merge':
      return String(m.merge ?? 0);
    default:
      return String(m[column]);
  }
}

// Text cells starting with = + - @ tab or CR get a leading ' so spreadsheets do not run them
// as formulas (numbers are written as they are). Quoting follows RFC 4180, as papaparse reads it.
const FORMULA = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

export function textCell(value: string): string {
  const guarded = FORMULA.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(guarded) ? `"${guarded.replace(/"/g, '""')}"` : guarded;
}

export function commitCsvHeader(): string {
  return COMMIT_COLUMNS.join(',') + '\n';
}

export function commitCsvLine(m: CommitMetrics): string {
  return (
    `${m.commit},${textCell(m.author)},${m.date},${textCell(m.subject)},` +
    `${m.ns},${m.nd},${m.nf},${m.entropy},${m.la},${m.ld},${m.lt},${m.fix},${m.ndev},${m.age},${m.nuc},${m.exp},${m.rexp},${m.sexp},` +
    `${textCell(m.files.join(FILES_SEPARATOR))},${m.merge ?? 0},${m.ignoredLines ?? 0}\n`
  );
}

/** CSV lines (each newline-terminated) for a batch of rows. */
export function commitCsvRows(rows: readonly CommitMetrics[]): string {
  let out = '';
  for (const m of rows) out += commitCsvLine(m);
  return out;
}

/** Undo the formula guard on a text cell read back from our own CSV. */
export function unescapeFormula(cell: string): string {
  return /^'[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell;
}
