/**
 * Writing scored patches: the auditable scored CSV (every input column, then
 * the plan columns and the model that made them) and JSON rows. Cells are
 * neutralised against spreadsheet formula injection.
 */
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

interface Layout {
  header: string[];
  /** Input column indices carried into the output. */
  kept: number[];
  withReasons: boolean;
}

/** All input columns (except those the plan overwrites), then plan, reasons and model columns. */
function layoutOf(result: ScoredPatches): Layout {
  const added = new Set<string>([...PLAN_COLUMNS, ...REASON_COLUMNS, ...MODEL_COLUMNS]);
  const kept = result.table.columns.map((_, i) => i).filter((i) => !added.has(result.table.columns[i]));
  const withReasons = result.reasons !== undefined;
  const header = [...kept.map((i) => result.table.columns[i]), ...PLAN_COLUMNS, ...(withReasons ? REASON_COLUMNS : []), ...MODEL_COLUMNS];
  return { header, kept, withReasons };
}

function reasonTexts(result: ScoredPatches, index: number): string[] {
  return REASON_COLUMNS.map((_, k) => result.reasons?.[index]?.[k]?.text ?? '');
}

/** The scored rows in input order (what the scored file holds), as header + values. */
export function scoredRows(result: ScoredPatches): OutputRows {
  const layout = layoutOf(result);
  const rows = result.plan.patches.map((patch) => [
    ...layout.kept.map((i) => result.table.rows[patch.index][i]),
    ...planValues(patch),
    ...(layout.withReasons ? reasonTexts(result, patch.index) : []),
    result.model.name,
    result.model.version
  ]);
  return { header: layout.header, rows };
}

// A cell needs quotes when it holds a quote, comma or line break, or starts/ends with blanks.
const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

/** One CSV cell (RFC 4180 quoting), neutralised against formula injection. */
export function csvCell(cell: string | number): string {
  if (typeof cell === 'number') return String(cell);
  const first = cell.charCodeAt(0);
  // Fast path: only cells starting with = + - @ tab CR can be formulas.
  const text = first === 61 || first === 43 || first === 45 || first === 64 || first === 9 || first === 13 ? neutraliseCell(cell) : cell;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * The auditable scored CSV, written line by line straight from the table and
 * the plan (no intermediate row arrays: this is the gate's hot path).
 */
export function scoredCsv(result: ScoredPatches): string {
  const layout = layoutOf(result);
  const suffix = `,${csvCell(result.model.name)},${csvCell(result.model.version)}`;
  const patches = result.plan.patches;
  const lines = new Array<string>(patches.length + 1);
  lines[0] = layout.header.map(csvCell).join(',');
  for (let r = 0; r < patches.length; r++) {
    const source = result.table.rows[r];
    let line = '';
    for (let k = 0; k < layout.kept.length; k++) line += (k === 0 ? '' : ',') + csvCell(source[layout.kept[k]]);
    const values = planValues(patches[r]);
    for (let k = 0; k < values.length; k++) line += (k === 0 && layout.kept.length === 0 ? '' : ',') + values[k];
    if (layout.withReasons) for (const text of reasonTexts(result, r)) line += ',' + csvCell(text);
    lines[r + 1] = line + suffix;
  }
  return lines.join('\n') + '\n';
}

export function toJsonRows(output: OutputRows): Record<string, string | number>[] {
  return output.rows.map((row) => Object.fromEntries(output.header.map((name, i) => [name, row[i]])));
}
