/** CSV form of mined commits (`patch-risk mine` output, `patch-risk label` input). */
import Papa from 'papaparse';
import type { CommitMetrics } from './history.js';

export const METRIC_COLUMNS = [
  'ns', 'nd', 'nf', 'entropy', 'la', 'ld', 'lt', 'fix', 'ndev', 'age', 'nuc', 'exp', 'rexp', 'sexp'
] as const;

/** `files` is the touched paths joined with ';' (ignored paths left out). */
export const COMMIT_COLUMNS = ['commit', 'author', 'date', 'subject', ...METRIC_COLUMNS, 'files'] as const;

export const FILES_SEPARATOR = ';';

// Text cells starting with = + - @ tab or CR get a leading ' so spreadsheets do not run them
// as formulas; papaparse only applies this to strings, so numbers are written unchanged.
const UNPARSE = { header: false, escapeFormulae: true, newline: '\n' } as const;

export function commitCsvHeader(extra: readonly string[] = []): string {
  return Papa.unparse([[...COMMIT_COLUMNS, ...extra]], UNPARSE) + '\n';
}

export function commitCsvCells(m: CommitMetrics): (string | number)[] {
  return [
    m.commit, m.author, m.date, m.subject,
    m.ns, m.nd, m.nf, m.entropy, m.la, m.ld, m.lt, m.fix, m.ndev, m.age, m.nuc, m.exp, m.rexp, m.sexp,
    m.files.join(FILES_SEPARATOR)
  ];
}

/** CSV lines (with trailing newline) for a batch of rows. */
export function commitCsvRows(rows: readonly CommitMetrics[]): string {
  if (rows.length === 0) return '';
  return Papa.unparse(rows.map(commitCsvCells), UNPARSE) + '\n';
}

/** Undo the formula guard on a text cell read back from our own CSV. */
export function unescapeFormula(cell: string): string {
  return /^'[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell;
}
