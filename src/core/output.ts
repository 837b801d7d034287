/**
 * Writing scored patches: the auditable scored CSV (every input column, then
 * the plan columns, the reasons and the model that made them) and JSON rows.
 * Cells are neutralised against spreadsheet formula injection. The columns
 * are always the same: a row without reasons has empty reason cells.
 */
import path from 'node:path';
import type { Calibration } from './budget.js';
import type { MonitoringTier, PlanColumns, PlannedPatch, PlanTotals, RiskBucket } from './plan.js';
import type { ModelSummary, Reason, ScoredPatches } from './pipeline.js';
import { reasonsOfRow, type ShownReason } from './reasons.js';
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
 * Written only when scores were compared with a reference (commit mode, or a
 * file scored with --reference): each row's percentile in it, and the
 * thresholds in use with their origin (budget, card or threshold).
 */
export const CALIBRATION_COLUMNS = ['percentile', 'high_threshold', 'medium_threshold', 'threshold_origin'] as const;

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
  /** The model columns, already as CSV text with their leading comma. */
  modelSuffix: string;
  /** With calibration columns: the cells after the percentile (thresholds and origin), as CSV text with their leading comma. */
  calibrationSuffix?: string;
}

/** Calibration columns are written when the scores were compared with a reference. */
function hasCalibrationColumns(calibration: Calibration | undefined): calibration is Calibration {
  return calibration?.reference !== undefined;
}

/** All input columns (except those the plan overwrites), then plan, calibration, reasons and model columns. */
export function scoredLayout(columns: string[], model: ModelSummary, calibration?: Calibration): ScoredLayout {
  const withCalibration = hasCalibrationColumns(calibration);
  const added = new Set<string>([...PLAN_COLUMNS, ...REASON_COLUMNS, ...MODEL_COLUMNS, ...(withCalibration ? CALIBRATION_COLUMNS : [])]);
  const kept = columns.map((_, i) => i).filter((i) => !added.has(columns[i]));
  const header = [
    ...kept.map((i) => columns[i]),
    ...PLAN_COLUMNS,
    ...(withCalibration ? CALIBRATION_COLUMNS : []),
    ...REASON_COLUMNS,
    ...MODEL_COLUMNS
  ];
  return {
    header,
    kept,
    modelSuffix: `,${csvCell(model.name)},${csvCell(model.version)}`,
    ...(withCalibration ? { calibrationSuffix: `,${calibration.high},${calibration.medium},${calibration.origin}` } : {})
  };
}

/** A row's percentile cell: empty when the reference is too small to compare with. */
function percentileCell(calibration: Calibration | undefined, row: number): number | '' {
  return calibration?.percentiles?.[row] ?? '';
}

function reasonTexts(reasons: Reason[] | undefined): string[] {
  return REASON_COLUMNS.map((_, k) => reasons?.[k]?.text ?? '');
}

/** The scored rows in input order (what the scored file holds), as header + values. */
export function scoredRows(result: ScoredPatches): OutputRows {
  const layout = scoredLayout(result.table.columns, result.model, result.calibration);
  const calibration = result.calibration;
  const rows = result.plan.patches.map((patch) => [
    ...layout.kept.map((i) => result.table.rows[patch.index][i]),
    ...planValues(patch),
    ...(layout.calibrationSuffix !== undefined && calibration
      ? [percentileCell(calibration, patch.index), calibration.high, calibration.medium, calibration.origin]
      : []),
    ...reasonTexts(result.reasons?.[patch.index]),
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

/**
 * One line of the scored CSV (no line break): the kept input cells, the plan, the calibration (with the row's
 * `percentile`, '' when none), the reasons, the model.
 */
export function scoredCsvLine(
  layout: ScoredLayout,
  source: string[],
  patch: PlannedPatch,
  reasons: Reason[] | undefined,
  percentile: number | '' = ''
): string {
  let line = '';
  for (let k = 0; k < layout.kept.length; k++) line += (k === 0 ? '' : ',') + csvCell(source[layout.kept[k]]);
  const values = planValues(patch);
  for (let k = 0; k < values.length; k++) line += (k === 0 && layout.kept.length === 0 ? '' : ',') + values[k];
  if (layout.calibrationSuffix !== undefined) line += `,${percentile}${layout.calibrationSuffix}`;
  return line + reasonCells(reasons) + layout.modelSuffix;
}

/** The reason cells of a row with their leading commas (",,," when it has none). */
export function reasonCells(reasons: Reason[] | undefined): string {
  if (reasons === undefined || reasons.length === 0) return ',,,';
  let cells = '';
  for (const text of reasonTexts(reasons)) cells += ',' + csvCell(text);
  return cells;
}

const BUCKET_TEXT: readonly RiskBucket[] = ['Low', 'Medium', 'High'];
const TIER_TEXT: readonly MonitoringTier[] = ['Standard Monitoring', 'Enhanced Monitoring', 'Immediate Monitoring'];

/** Row r's plan cells as CSV (no leading comma): planValues(plannedPatch(plan, r)) without making the patch. */
export function planCells(plan: PlanColumns, r: number): string {
  const bucket = plan.bucket[r];
  return (
    `${round(plan.risk[r], 6)},${bucket === 2 ? 1 : 0},${BUCKET_TEXT[bucket]},${plan.rank[r]},` +
    `${round(plan.potential[r], 3)},${plan.hours[r]},${round(plan.priority[r], 4)},${TIER_TEXT[plan.tier[r]]}`
  );
}

/** The auditable scored CSV of an in-memory result. */
export function scoredCsv(result: ScoredPatches): string {
  const layout = scoredLayout(result.table.columns, result.model, result.calibration);
  const patches = result.plan.patches;
  const lines = new Array<string>(patches.length + 1);
  lines[0] = scoredCsvHeader(layout);
  for (let r = 0; r < patches.length; r++) {
    lines[r + 1] = scoredCsvLine(layout, result.table.rows[r], patches[r], result.reasons?.[r], percentileCell(result.calibration, r));
  }
  return lines.join('\n') + '\n';
}

export function toJsonRows(output: OutputRows): Record<string, string | number>[] {
  return output.rows.map((row) => Object.fromEntries(output.header.map((name, i) => [name, row[i]])));
}

/** `<dir>/<name>.scored.csv` beside the input file. */
export function defaultScoredPath(file: string): string {
  const parsed = path.parse(file);
  return path.join(parsed.dir, `${parsed.name}.scored.csv`);
}

/**
 * The scored rows as JSON objects — the scored file's cells — and, when the
 * rows were explained, `reasons`: the factors the reports show, each with its
 * phrase and strength and the raw feature name, value and SHAP value; and
 * `what_if`, the advice the reports show under "What would lower the risk",
 * on the rows that have one.
 */
export function scoredJsonRows(result: ScoredPatches): Record<string, string | number | ShownReason[]>[] {
  const rows = toJsonRows(scoredRows(result));
  return rows.map((row, index) => {
    const whatIf = result.whatIf?.[index];
    return {
      ...row,
      ...(result.reasons ? { reasons: reasonsOfRow(result, index) } : {}),
      ...(whatIf !== undefined ? { what_if: whatIf } : {})
    };
  });
}

/** The thresholds in use for a JSON report: values, origin (budget, card or threshold), the budget and its reference. */
export function thresholdsJson(result: Pick<ScoredPatches, 'plan' | 'calibration'>): Record<string, unknown> {
  const calibration = result.calibration;
  return {
    ...result.plan.thresholds,
    ...(calibration
      ? {
          origin: calibration.origin,
          ...(calibration.budget ? { alert_budget: calibration.budget.alert, medium_budget: calibration.budget.medium } : {}),
          ...(calibration.reference ? { reference: calibration.reference } : {}),
          ...(calibration.note ? { note: calibration.note } : {})
        }
      : {})
  };
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

/** The scored file's bytes, gathered in a large buffer and handed to `sink` when it is full. */
export class ByteOutput {
  private readonly buffer: Buffer;
  private at = 0;

  constructor(
    private readonly sink: (chunk: Uint8Array | string) => void,
    size = 1 << 20
  ) {
    this.buffer = Buffer.allocUnsafe(Math.max(size, 64));
  }

  /** Make room for `length` bytes; false when they cannot fit even in an empty buffer. */
  private room(length: number): boolean {
    if (length <= this.buffer.length - this.at) return true;
    this.flush();
    return length <= this.buffer.length;
  }

  /** Make room for a few bytes (a number, a separator: always fewer than the buffer's 64 at least). */
  private reserve(length: number): void {
    if (length > this.buffer.length - this.at) this.flush();
  }

  bytes(source: Uint8Array, start: number, end: number): void {
    if (!this.room(end - start)) {
      this.sink(source.subarray(start, end));
      return;
    }
    const buffer = this.buffer;
    let at = this.at;
    // Short runs are copied here: a native copy costs more to call than a cell takes to copy.
    if (end - start < 64) for (let i = start; i < end; i++) buffer[at++] = source[i];
    else {
      buffer.set(source.subarray(start, end), at);
      at += end - start;
    }
    this.at = at;
  }

  byte(value: number): void {
    if (this.at === this.buffer.length) this.flush();
    this.buffer[this.at++] = value;
  }

  text(text: string): void {
    // A UTF-16 code unit takes at most 3 bytes of UTF-8.
    if (!this.room(text.length * 3)) {
      this.sink(text);
      return;
    }
    this.at += this.buffer.write(text, this.at);
  }

  /** A whole number >= 0 below 2^53, as String() writes it. */
  integer(value: number): void {
    if (!(value >= 0 && value < 2 ** 31) || !Number.isInteger(value)) {
      this.text(String(value));
      return;
    }
    this.reserve(10);
    let digits = 1;
    for (let rest = value; rest >= 10; rest = Math.floor(rest / 10)) digits++;
    let at = this.at + digits;
    this.at = at;
    let rest = value;
    do {
      this.buffer[--at] = 48 + (rest % 10);
      rest = Math.floor(rest / 10);
    } while (rest > 0);
  }

  /**
   * String(round(value, digits)) as bytes. round's result is k / 10^digits
   * for a whole k, and while that is far above the spacing of doubles
   * (k < 2^31, digits <= 6) its shortest decimal is k with `digits`
   * decimals and no trailing zeros; anything else goes through String().
   */
  rounded(value: number, digits: number): void {
    const scale = 10 ** digits;
    const k = Math.round(value * scale);
    if (!(k >= 0 && k < 2 ** 31) || digits > 6) {
      this.text(String(k / scale));
      return;
    }
    let fraction = k % scale;
    this.integer((k - fraction) / scale);
    if (fraction === 0) return;
    let shown = digits;
    while (fraction % 10 === 0) {
      fraction /= 10;
      shown--;
    }
    this.reserve(shown + 1);
    this.buffer[this.at] = 46;
    let at = this.at + shown;
    this.at = at + 1;
    for (let d = 0; d < shown; d++) {
      this.buffer[at--] = 48 + (fraction % 10);
      fraction = Math.floor(fraction / 10);
    }
  }

  flush(): void {
    if (this.at === 0) return;
    this.sink(this.buffer.subarray(0, this.at));
    this.at = 0;
  }
}

const ASCII = (text: string): Uint8Array => Buffer.from(text, 'latin1');
const BUCKET_BYTES = BUCKET_TEXT.map(ASCII);
const TIER_BYTES = TIER_TEXT.map(ASCII);

/** planCells(plan, r) written as bytes (no leading comma). */
export function writePlanCells(output: ByteOutput, plan: PlanColumns, r: number): void {
  const bucket = plan.bucket[r];
  output.rounded(plan.risk[r], 6);
  output.byte(44);
  output.byte(bucket === 2 ? 49 : 48);
  output.byte(44);
  output.bytes(BUCKET_BYTES[bucket], 0, BUCKET_BYTES[bucket].length);
  output.byte(44);
  output.integer(plan.rank[r]);
  output.byte(44);
  output.rounded(plan.potential[r], 3);
  output.byte(44);
  output.rounded(plan.hours[r], 1);
  output.byte(44);
  output.rounded(plan.priority[r], 4);
  output.byte(44);
  output.bytes(TIER_BYTES[plan.tier[r]], 0, TIER_BYTES[plan.tier[r]].length);
}
