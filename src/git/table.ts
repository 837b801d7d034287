/**
 * Mined commits as a PatchTable, so they are scored like a patch file: the rows
 * are laid out with the CSV columns of `patch-risk mine` and validated against
 * the model's features by the same reader, with the same errors.
 */
import { tableFromRaw, type PatchTable, type RawTable } from '../core/read.js';
import type { FeatureSpec } from '../core/schema.js';
import { COMMIT_COLUMNS, commitCell } from './csv.js';
import type { CommitMetrics } from './history.js';

export interface CommitTableOptions {
  /** The model's features, in its input order (its card's `features`). */
  features: FeatureSpec[];
  /** Named in validation errors, e.g. "commits 1a2b3c4..5d6e7f8". */
  source?: string;
}

/** The cells `patch-risk mine` would write for each row (without its formula guard: nothing here is a spreadsheet). */
export function commitsToRaw(rows: readonly CommitMetrics[]): RawTable {
  return {
    columns: [...COMMIT_COLUMNS],
    rows: rows.map((m) => COMMIT_COLUMNS.map((column) => commitCell(m, column))),
    // The line each row would have in the mined CSV (header on line 1).
    lines: Int32Array.from(rows, (_, i) => i + 2)
  };
}

/**
 * Validate mined rows against `features` and build the table, ids from the
 * `commit` column. A feature the miner does not produce is a missing column,
 * exactly as when a CSV lacks it.
 */
export function commitsToTable(rows: readonly CommitMetrics[], options: CommitTableOptions): PatchTable {
  return tableFromRaw(options.source ?? 'mined commits', commitsToRaw(rows), { features: options.features, idColumn: 'commit' });
}
