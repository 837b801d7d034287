/**
 * Writing scored patches: the auditable scored CSV (every input column, then
 * the plan columns and the model that made them) and JSON rows. Cells are
 * neutralised against spreadsheet formula injection.
 */
import type { PlannedPatch, PlanTotals } from './plan.js';
import type { ModelSummary, Reason, ScoredPatches } from './pipeline.js';
import { DECIMAL_TEXT } from './schema.js';

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

/**
 * A cell that a spreadsheet would run as a formula (=, +, -, @, tab, CR at
 * the start) gets a leading apostrophe; plain numbers such as -1.5 are kept.
 */
export function neutraliseCell(text: string): string {
  if (text === '' || DECIMAL_TEXT.test(text)) return text;
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** The plan's cells of one patch, in PLAN_COLUMNS order. */
export function planValues(patch: PlannedPatch): (string | number)[] {
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

export interface ScoredLayout {
  header: string[];
  /** Input column indices carried into the output. */
  kept: number[];
  withReasons: boolean;
  /** The model columns, already as CSV text with their leading comma. */
  modelSuffix: string;
}

/** All input columns (except those the plan overwrites), then plan, reasons and model columns. */
export function scoredLayout(columns: string[], model: ModelSummary, withReasons: boolean): ScoredLayout {
  const added = new Set<string>([...PLAN_COLUMNS, ...REASON_COLUMNS, ...MODEL_COLUMNS]);
  const kept = columns.map((_, i) => i).filter((i) => !added.has(columns[i]));
  const header = [...kept.map((i) => columns[i]), ...PLAN_COLUMNS, ...(withReasons ? REASON_COLUMNS : []), ...MODEL_COLUMNS];
  return { header, kept, withReasons, modelSuffix: `,${csvCell(model.name)},${csvCell(model.version)}` };
}

function reasonTexts(reasons: Reason[] | undefined): string[] {
  return REASON_COLUMNS.map((_, k) => reasons?.[k]?.text ?? '');
}

/** The scored rows in input order (what the scored file holds), as header + values. */
export function scoredRows(result: ScoredPatches): OutputRows {
  const layout = scoredLayout(result.table.columns, result.model, result.reasons !== undefined);
  const rows = result.plan.patches.map((patch) => [
    ...layout.kept.map((i) => result.table.rows[patch.index][i]),
    ...planValues(patch),
    ...(layout.withReasons ? reasonTexts(result.reasons?.[patch.index]) : []),
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

export function scoredCsvHeader(layout: ScoredLayout): string {
  return layout.header.map(csvCell).join(',');
}

/** One line of the scored CSV (no line break): the kept input cells, the plan, the reasons, the model. */
export function scoredCsvLine(layout: ScoredLayout, source: string[], patch: PlannedPatch, reasons: Reason[] | undefined): string {
  let line = '';
  for (let k = 0; k < layout.kept.length; k++) line += (k === 0 ? '' : ',') + csvCell(source[layout.kept[k]]);
  const values = planValues(patch);
  for (let k = 0; k < values.length; k++) line += (k === 0 && layout.kept.length === 0 ? '' : ',') + values[k];
  if (layout.withReasons) for (const text of reasonTexts(reasons)) line += ',' + csvCell(text);
  return line + layout.modelSuffix;
}

/** The auditable scored CSV of an in-memory result. */
export function scoredCsv(result: ScoredPatches): string {
  const layout = scoredLayout(result.table.columns, result.model, result.reasons !== undefined);
  const patches = result.plan.patches;
  const lines = new Array<string>(patches.length + 1);
  lines[0] = scoredCsvHeader(layout);
  for (let r = 0; r < patches.length; r++) lines[r + 1] = scoredCsvLine(layout, result.table.rows[r], patches[r], result.reasons?.[r]);
  return lines.join('\n') + '\n';
}

export function toJsonRows(output: OutputRows): Record<string, string | number>[] {
  return output.rows.map((row) => Object.fromEntries(output.header.map((name, i) => [name, row[i]])));
}

/** The gate's verdict as JSON: what `patch-risk gate` prints and the service answers. */
export interface GateVerdict {
  input_file: string;
  n_high_risk: number;
  n_patches: number;
  n_medium_risk: number;
  max_risk: number;
  threshold: number;
  model: string;
  model_version: string;
  scored_file?: string;
}

export function gateVerdict(run: { source: string; totals: PlanTotals; model: ModelSummary }, scoredFile?: string): GateVerdict {
  const { totals, model } = run;
  return {
    input_file: run.source,
    n_high_risk: totals.high,
    n_patches: totals.patches,
    n_medium_risk: totals.medium,
    max_risk: Number(totals.max_risk.toFixed(6)),
    threshold: model.threshold,
    model: model.name,
    model_version: model.version,
    ...(scoredFile === undefined ? {} : { scored_file: scoredFile })
  };
}
