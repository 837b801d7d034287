/**
 * Scoring a whole CSV patch file into its scored file in bounded memory: the
 * file is read and parsed twice in pieces — once to validate and collect the
 * features, once to write the scored file — so no row is kept as objects or
 * strings in between. A million rows take features (28 MB for 7 float32
 * columns), scores and the plan's columns; the rest of the memory does not
 * grow with the file. JSON files are read whole (JSON.parse needs the whole
 * text anyway).
 */
import { AtomicFile, writeFileAtomic } from './files.js';
import { scoredCsv, scoredCsvHeader, scoredCsvLine, scoredLayout } from './output.js';
import {
  fleetAgeOfCell,
  modelSummary,
  planOptionsFor,
  readOptionsFor,
  scoreTable,
  type ModelSummary,
  type Reason,
  type ScoreOptions
} from './pipeline.js';
import { planColumns, plannedPatch, type PlanColumns, type PlanTotals, type RiskBucket } from './plan.js';
import { lineInFile, parseCsvFile } from './csv.js';
import {
  formatOf,
  mapColumns,
  parseRawText,
  readRows,
  readTextFile,
  tableFromRaw,
  type ColumnMap,
  type PatchTable,
  type ReadOptions
} from './read.js';
import { FLEET_AGE_COLUMN } from './schema.js';
import type { Scorer } from './scorer.js';

/** Explains chosen rows; supplied by the caller (TreeSHAP lives in src/model). */
export interface RowExplainer {
  wants(bucket: RiskBucket): boolean;
  /** Reasons for nRows rows of features (row-major, the card's feature order). */
  explain(features: Float32Array, nRows: number): Reason[][];
}

export interface StreamScoreOptions extends ScoreOptions {
  /** Path of the scored CSV to write. */
  out: string;
  /** Given the number of rows, the explainer for them (or none). */
  explainer?: (rows: number) => RowExplainer | undefined;
}

export interface StreamScoreResult {
  rows: number;
  totals: PlanTotals;
  thresholds: { high: number; medium: number };
  model: ModelSummary;
}

const BUCKET_NAMES: readonly RiskBucket[] = ['Low', 'Medium', 'High'];
/** Feature rows per block (and per scoring call). */
const BLOCK_ROWS = 65536;

/**
 * Feature rows in fixed blocks of BLOCK_ROWS rows: grows without ever
 * copying, and each block is one scoring call.
 */
class RowBlocks {
  readonly blocks: Float32Array[] = [];
  constructor(readonly width: number) {}

  /** Validate rows into their blocks. */
  add(file: string, rows: string[][], firstRow: number, map: ColumnMap, options: ReadOptions): void {
    for (let k = 0; k < rows.length;) {
      const row = firstRow + k;
      const block = Math.floor(row / BLOCK_ROWS);
      while (this.blocks.length <= block) this.blocks.push(new Float32Array(BLOCK_ROWS * this.width));
      const take = Math.min(rows.length - k, (block + 1) * BLOCK_ROWS - row);
      const sink = { features: this.blocks[block], firstFeatureRow: block * BLOCK_ROWS };
      readRows(file, rows.slice(k, k + take), row, map, options, sink, (line) => lineInFile(file, line + 1));
      k += take;
    }
  }

  /** Features of rows [from, from + count) (within one block) as a view, else a copy. */
  rows(from: number, count: number): Float32Array {
    const block = Math.floor(from / BLOCK_ROWS);
    const start = (from - block * BLOCK_ROWS) * this.width;
    if (start / this.width + count <= BLOCK_ROWS) return this.blocks[block].subarray(start, start + count * this.width);
    const out = new Float32Array(count * this.width);
    for (let r = 0; r < count; r++) out.set(this.rows(from + r, 1), r * this.width);
    return out;
  }

  /** Row `row` as a view. */
  row(row: number): Float32Array {
    return this.rows(row, 1);
  }
}

export async function streamScoreFile(file: string, model: Scorer, options: StreamScoreOptions): Promise<StreamScoreResult> {
  if (formatOf(file) === 'json') return scoreInMemory(file, await readTextFile(file), model, options);
  const card = model.card;
  const readOptions = readOptionsFor(card, options);
  const width = card.features.length;
  const matrix = new RowBlocks(width);
  const ageFeature = card.features.findIndex((feature) => feature.name === FLEET_AGE_COLUMN);
  const extraAges: number[] = [];
  let ageColumn = -1;
  let header: string[] = [];
  let map: ColumnMap | undefined;
  const rows = parseCsvFile(file, {
    header: (columns) => {
      header = columns;
      map = mapColumns(file, columns, readOptions);
      ageColumn = columns.indexOf(FLEET_AGE_COLUMN);
    },
    rows: (chunk, firstRow) => {
      matrix.add(file, chunk, firstRow, map as ColumnMap, readOptions);
      if (ageColumn >= 0 && ageFeature < 0) for (const row of chunk) extraAges.push(fleetAgeOfCell(row[ageColumn]));
    }
  });
  const scores = new Float64Array(rows);
  for (let from = 0; from < rows; from += BLOCK_ROWS) {
    const count = Math.min(BLOCK_ROWS, rows - from);
    scores.set(await model.score(matrix.rows(from, count), count), from);
  }
  const ages =
    ageFeature >= 0
      ? Float64Array.from({ length: rows }, (_, r) => matrix.row(r)[ageFeature])
      : extraAges.length > 0
        ? Float64Array.from(extraAges)
        : undefined;
  const explainer = options.explainer?.(rows);
  // Without explanations the features are not needed any more: let them go before the plan's columns are made.
  if (!explainer) matrix.blocks.length = 0;
  const plan = planColumns(scores, ages, planOptionsFor(card, options));
  const summary = modelSummary(card, options.threshold);
  writeScoredFile(options.out, file, header, plan, (from, count) => matrix.rows(from, count), width, summary, explainer);
  return { rows, totals: plan.totals, thresholds: plan.thresholds, model: summary };
}

/** Second pass: read and parse the file again and write each row with its plan (and reasons) as it comes. */
function writeScoredFile(
  out: string,
  file: string,
  header: string[],
  plan: PlanColumns,
  featuresOf: FeatureRows,
  width: number,
  model: ModelSummary,
  explainer: RowExplainer | undefined
): void {
  const layout = scoredLayout(header, model, explainer !== undefined);
  const output = AtomicFile.open(out, 'the scored file');
  try {
    output.write(scoredCsvHeader(layout) + '\n');
    parseCsvFile(file, {
      header: () => undefined,
      rows: (chunk, firstRow) => {
        const reasons = explainer ? explainChunk(explainer, plan, featuresOf, width, firstRow, chunk.length) : undefined;
        let block = '';
        for (let k = 0; k < chunk.length; k++) {
          block += scoredCsvLine(layout, chunk[k], plannedPatch(plan, firstRow + k), reasons?.[k]) + '\n';
        }
        output.write(block);
      }
    });
    output.commit();
  } catch (error) {
    output.abort();
    throw error;
  }
}

/** Features of rows [from, from + count), row-major. */
type FeatureRows = (from: number, count: number) => Float32Array;

/** Reasons for the given rows (row indices), in that order. */
function explainRowsOf(explainer: RowExplainer, rows: number[], featuresOf: FeatureRows, width: number): Reason[][] {
  const block = new Float32Array(rows.length * width);
  rows.forEach((row, j) => block.set(featuresOf(row, 1), j * width));
  return rows.length === 0 ? [] : explainer.explain(block, rows.length);
}

function explainChunk(
  explainer: RowExplainer,
  plan: PlanColumns,
  featuresOf: FeatureRows,
  width: number,
  first: number,
  count: number
): (Reason[] | undefined)[] {
  const wanted: number[] = [];
  for (let r = first; r < first + count; r++) if (explainer.wants(BUCKET_NAMES[plan.bucket[r]])) wanted.push(r);
  const reasons: (Reason[] | undefined)[] = new Array(count);
  explainRowsOf(explainer, wanted, featuresOf, width).forEach((rowReasons, j) => (reasons[wanted[j] - first] = rowReasons));
  return reasons;
}

/** Reasons for every row the explainer wants ([] for the others), in row order. */
export function explainTable(explainer: RowExplainer, table: PatchTable, buckets: readonly RiskBucket[]): Reason[][] {
  const wanted = buckets.map((bucket, row) => (explainer.wants(bucket) ? row : -1)).filter((row) => row >= 0);
  const reasons: Reason[][] = table.ids.map(() => []);
  const width = table.featureNames.length;
  const featuresOf: FeatureRows = (from, count) => table.features.subarray(from * width, (from + count) * width);
  explainRowsOf(explainer, wanted, featuresOf, width).forEach((rowReasons, j) => (reasons[wanted[j]] = rowReasons));
  return reasons;
}

async function scoreInMemory(file: string, text: string, model: Scorer, options: StreamScoreOptions): Promise<StreamScoreResult> {
  const table = tableFromRaw(file, parseRawText(text, file, 'json'), readOptionsFor(model.card, options));
  const result = await scoreTable(table, model, options);
  const explainer = options.explainer?.(table.ids.length);
  const reasons = explainer
    ? explainTable(
        explainer,
        table,
        result.plan.patches.map((patch) => patch.risk_bucket)
      )
    : undefined;
  writeFileAtomic(options.out, scoredCsv({ ...result, reasons }), 'the scored file');
  return { rows: table.ids.length, totals: result.plan.totals, thresholds: result.plan.thresholds, model: result.model };
}
