/**
 * Writing scored patches: the auditable scored CSV (every input column, then
 * the plan columns and the model that made them) and JSON rows. Cells are
 * neutralised against spreadsheet formula injection.
 */
import Papa from 'papaparse';
import type { PlannedPatch } from './plan.js';
import type { ScoredPatches } from './pipeline.js';

export const PLAN_COLUMNS = [
  'risk_score',
  'high_risk',
  'risk_bucket',
  'qa_rank',
  'regression_potential',
  'qa_hours',
  'monitoring_priority',
  'monitoring_tier'
] as const;
export const REASON_COLUMNS = ['reason_1', 'reason_2', 'reason_3'] as const;
export const MODEL_COLUMNS = ['model_name', 'model_version'] as const;

const PLAIN_NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * A cell that a spreadsheet would run as a formula (=, +, -, @, tab, CR at
 * the start) gets a leading apostrophe; plain numbers such as -1.5 are kept.
 */
export function neutraliseCell(text: string): string {
  if (text === '' || PLAIN_NUMBER.test(text)) return text;
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

function planValues(patch: PlannedPatch): (string | number)[] {
  return [
    round(patch.risk_score, 6),
    patch.high_risk,
    patch.risk_bucket,
    patch.qa_rank,
    round(patch.regression_potential, 3),
    patch.qa_hours,
    round(patch.monitoring_priority, 4),
    patch.monitoring_tier
  ];
}

export function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

export interface OutputRows {
  header: string[];
  rows: (string | number)[][];
}

/** All input columns (except those the plan overwrites), then plan, reasons and model columns; input order. */
export function scoredRows(result: ScoredPatches): OutputRows {
  const added = new Set<string>([...PLAN_COLUMNS, ...REASON_COLUMNS, ...MODEL_COLUMNS]);
  const kept = result.table.columns.map((name, i) => ({ name, i })).filter(({ name }) => !added.has(name));
  const withReasons = result.reasons !== undefined;
  const header = [
    ...kept.map(({ name }) => name),
    ...PLAN_COLUMNS,
    ...(withReasons ? REASON_COLUMNS : []),
    ...MODEL_COLUMNS
  ];
  const rows = result.plan.patches.map((patch) => {
    const source = result.table.rows[patch.index];
    const reasons = withReasons ? REASON_COLUMNS.map((_, k) => result.reasons?.[patch.index]?.[k]?.text ?? '') : [];
    return [
      ...kept.map(({ i }) => source[i]),
      ...planValues(patch),
      ...reasons,
      result.model.name,
      result.model.version
    ];
  });
  return { header, rows };
}

export function toCsv(output: OutputRows): string {
  const safe = output.rows.map((row) => row.map((cell) => (typeof cell === 'string' ? neutraliseCell(cell) : cell)));
  return Papa.unparse({ fields: output.header.map(neutraliseCell), data: safe }, { newline: '\n' }) + '\n';
}

export function toJsonRows(output: OutputRows): Record<string, string | number>[] {
  return output.rows.map((row) => Object.fromEntries(output.header.map((name, i) => [name, row[i]])));
}
