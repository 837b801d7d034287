/**
 * Scoring a whole CSV patch file into its scored file in bounded memory.
 *
 * Pass 1 reads the file and keeps only the features (28 MB a million rows
 * for 7 float32 columns); then the rows are scored and planned; pass 2 reads
 * the file again and writes each row with its plan as it comes. No row is
 * kept as objects or strings in between.
 *
 * A plain CSV file (no quotes, LF or CRLF lines, comma-separated: see
 * csv-plain.ts) is read from its bytes; a file up to MEMORY_BUDGET_BYTES is
 * read from disk once and kept for pass 2, a larger one is read in blocks in
 * each pass. Any other CSV file is parsed by papaparse in pieces, twice.
 * JSON files are read whole (JSON.parse needs the whole text anyway).
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { PlainCsvReader, PlainCsvWriter } from './csv-plain.js';
import { isUtf16Bom, NOT_UTF8, UTF16_MESSAGE, unreadable } from './encoding.js';
import { InputError } from './errors.js';
import { AtomicFile, writeFileAtomic } from './files.js';
import { ByteOutput, csvCell, planCells, reasonCells, scoredCsv, scoredCsvHeader, scoredLayout, writePlanCells } from './output.js';
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
import { planColumns, type PlanColumns, type PlanTotals, type RiskBucket } from './plan.js';
import { mapColumns, readRows, type ColumnMap, type ReadOptions } from './columns.js';
import type { PatchTable } from './read.js';
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
  explainer?: (rows: number) => Promise<RowExplainer | undefined>;
  /**
   * `auto` (default): plain CSV files are read from their bytes, others by
   * papaparse; `papaparse`: every file by papaparse, the parser of record
   * (for checks and benchmarks: both give the same result).
   */
  parser?: 'auto' | 'papaparse';
}

export interface StreamScoreResult {
  rows: number;
  /** How the file was read: `bytes` (a plain CSV file, csv-plain.ts), `papaparse` (any other CSV) or `json`. */
  reader: 'bytes' | 'papaparse' | 'json';
  totals: PlanTotals;
  thresholds: { high: number; medium: number };
  model: ModelSummary;
}

const BUCKET_NAMES: readonly RiskBucket[] = ['Low', 'Medium', 'High'];
/** Feature rows per block (and per scoring call). */
const BLOCK_ROWS = 65536;
/** A plain CSV file up to this size is read once and kept for the second pass. */
export const MEMORY_BUDGET_BYTES = 64 << 20;
/** Larger files are read in blocks of about this size (cut after a line break). */
const READ_BLOCK_BYTES = 4 << 20;
/** Rows whose wanted ones are explained in one call while writing (large calls amortise TreeSHAP's leaf tables). */
const EXPLAIN_ROWS = 16384;

/**
 * Feature rows in fixed blocks of BLOCK_ROWS rows: grows without ever
 * copying, and each block is one scoring call.
 */
class RowBlocks {
  readonly blocks: Float32Array[] = [];
  readonly rowsPerBlock = BLOCK_ROWS;
  constructor(readonly width: number) {}

  /** The block holding row `row`, created when first asked for. */
  block(row: number): Float32Array {
    const index = Math.floor(row / BLOCK_ROWS);
    while (this.blocks.length <= index) this.blocks.push(new Float32Array(BLOCK_ROWS * this.width));
    return this.blocks[index];
  }

  /** Validate rows into their blocks (`lineOf` gives a 0-based row's line, for messages). */
  add(file: string, rows: string[][], firstRow: number, map: ColumnMap, options: ReadOptions, lineOf: (row: number) => number): void {
    for (let k = 0; k < rows.length;) {
      const row = firstRow + k;
      const block = Math.floor(row / BLOCK_ROWS);
      const take = Math.min(rows.length - k, (block + 1) * BLOCK_ROWS - row);
      const sink = { features: this.block(row), firstFeatureRow: block * BLOCK_ROWS };
      readRows(file, rows.slice(k, k + take), row, map, options, sink, lineOf);
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

  /** Column `feature` of rows [0, rows) as float64. */
  column(feature: number, rows: number): Float64Array {
    const out = new Float64Array(rows);
    for (let r = 0; r < rows; r++) out[r] = this.blocks[Math.floor(r / BLOCK_ROWS)][(r % BLOCK_ROWS) * this.width + feature];
    return out;
  }
}

/** What pass 1 found, and how pass 2 writes the rows. */
interface FirstPass {
  reader: 'bytes' | 'papaparse';
  header: string[];
  rows: number;
  /** Fleet ages from a column the model does not read. */
  extraAges: number[];
  /** Pass 2: write the header line, then every row's kept input cells and its tail. */
  write(output: AtomicFile, header: string, kept: number[], tails: RowTails): void;
}

export async function streamScoreFile(file: string, model: Scorer, options: StreamScoreOptions): Promise<StreamScoreResult> {
  if (/\.json$/i.test(file)) return scoreJson(file, model, options);
  const card = model.card;
  const readOptions = readOptionsFor(card, options);
  const width = card.features.length;
  const matrix = new RowBlocks(width);
  const ageFeature = card.features.findIndex((feature) => feature.name === FLEET_AGE_COLUMN);
  const source = CsvBytes.open(file);
  const read =
    (options.parser !== 'papaparse' && readPlain(file, source, readOptions, matrix, ageFeature < 0)) ||
    (await readWithPapaparse(file, source, readOptions, matrix, ageFeature < 0));
  const rows = read.rows;
  const scores = new Float64Array(rows);
  for (let from = 0; from < rows; from += BLOCK_ROWS) {
    const count = Math.min(BLOCK_ROWS, rows - from);
    scores.set(await model.score(matrix.rows(from, count), count), from);
  }
  const ages =
    ageFeature >= 0 ? matrix.column(ageFeature, rows) : read.extraAges.length > 0 ? Float64Array.from(read.extraAges) : undefined;
  const explainer = await options.explainer?.(rows);
  // Without explanations the features are not needed any more: let them go before the plan's columns are made.
  if (!explainer) matrix.blocks.length = 0;
  const plan = planColumns(scores, ages, planOptionsFor(card, options));
  const summary = modelSummary(card, options.threshold, options.mediumThreshold);
  const layout = scoredLayout(read.header, summary);
  const featuresOf: FeatureRows = (from, count) => matrix.rows(from, count);
  const tails = new RowTails(plan, layout.modelSuffix, layout.kept.length > 0, explainer, featuresOf, width);
  const output = AtomicFile.open(options.out, 'the scored file');
  try {
    read.write(output, scoredCsvHeader(layout) + '\n', layout.kept, tails);
    output.commit();
  } catch (error) {
    output.abort();
    throw error;
  }
  return { rows, reader: read.reader, totals: plan.totals, thresholds: plan.thresholds, model: summary };
}

/**
 * What follows a row's input cells in the scored file: its plan, its reasons
 * (explained a chunk of rows at a time, in row order) and the model, then
 * the line break — as text, or written as bytes.
 */
class RowTails {
  private first = -1;
  private reasons: (Reason[] | undefined)[] = [];
  private readonly modelBytes: Uint8Array;

  constructor(
    private readonly plan: PlanColumns,
    private readonly modelSuffix: string,
    /** Whether a comma separates the tail from the row's input cells (none when no input column is kept). */
    private readonly comma: boolean,
    private readonly explainer: RowExplainer | undefined,
    private readonly featuresOf: FeatureRows,
    private readonly width: number
  ) {
    this.modelBytes = Buffer.from(`${modelSuffix}\n`, 'utf8');
  }

  private reasonsOf(row: number): Reason[] | undefined {
    if (!this.explainer) return undefined;
    if (this.first < 0 || row < this.first || row >= this.first + EXPLAIN_ROWS) {
      this.first = row;
      const count = Math.min(EXPLAIN_ROWS, this.plan.risk.length - row);
      this.reasons = explainChunk(this.explainer, this.plan, this.featuresOf, this.width, row, count);
    }
    return this.reasons[row - this.first];
  }

  text(row: number): string {
    return `${this.comma ? ',' : ''}${planCells(this.plan, row)}${reasonCells(this.reasonsOf(row))}${this.modelSuffix}\n`;
  }

  write(row: number, output: ByteOutput): void {
    if (this.comma) output.byte(44);
    writePlanCells(output, this.plan, row);
    const reasons = this.reasonsOf(row);
    if (reasons === undefined || reasons.length === 0) output.bytes(NO_REASONS, 0, NO_REASONS.length);
    else output.text(reasonCells(reasons));
    output.bytes(this.modelBytes, 0, this.modelBytes.length);
  }
}

const NO_REASONS = Buffer.from(reasonCells(undefined), 'latin1');

/** A CSV file's bytes for the plain path: kept whole when within the memory budget, else read in blocks for each pass. */
class CsvBytes {
  private constructor(
    readonly file: string,
    readonly size: number,
    private readonly whole: Buffer | undefined
  ) {}

  static open(file: string): CsvBytes {
    let fd: number;
    try {
      fd = openSync(file, 'r');
    } catch (error) {
      throw unreadable(file, error);
    }
    try {
      const size = fstatSync(fd).size;
      if (size > MEMORY_BUDGET_BYTES) return new CsvBytes(file, size, undefined);
      const whole = Buffer.allocUnsafe(size);
      for (let at = 0; at < size;) {
        const read = readSync(fd, whole, at, size - at, null);
        if (read === 0) return new CsvBytes(file, at, whole.subarray(0, at));
        at += read;
      }
      return new CsvBytes(file, size, whole);
    } catch (error) {
      throw error instanceof InputError ? error : unreadable(file, error);
    } finally {
      closeSync(fd);
    }
  }

  /** The file when it is kept whole. */
  get bytes(): Buffer | undefined {
    return this.whole;
  }

  /** The file in blocks that end after a line break (the last one may not). */
  *blocks(): Generator<Buffer> {
    if (this.whole) {
      yield this.whole;
      return;
    }
    let fd: number;
    try {
      fd = openSync(this.file, 'r');
    } catch (error) {
      throw unreadable(this.file, error);
    }
    try {
      let carry = Buffer.alloc(0);
      for (;;) {
        const block = Buffer.allocUnsafe(Math.max(READ_BLOCK_BYTES, 2 * carry.length));
        carry.copy(block);
        let read: number;
        try {
          read = readSync(fd, block, carry.length, block.length - carry.length, null);
        } catch (error) {
          throw unreadable(this.file, error);
        }
        const filled = carry.length + read;
        if (read === 0) {
          if (filled > 0) yield block.subarray(0, filled);
          return;
        }
        const lastBreak = block.lastIndexOf(10, filled - 1);
        if (lastBreak < 0) {
          carry = block.subarray(0, filled);
          continue;
        }
        carry = Buffer.from(block.subarray(lastBreak + 1, filled));
        yield block.subarray(0, lastBreak + 1);
      }
    } finally {
      closeSync(fd);
    }
  }
}

/** Pass 1 from the bytes of a plain CSV file; undefined when the file is not plain. */
function readPlain(file: string, source: CsvBytes, options: ReadOptions, matrix: RowBlocks, keepAges: boolean): FirstPass | undefined {
  const reader = new PlainCsvReader(file, options, matrix, keepAges ? FLEET_AGE_COLUMN : undefined);
  let first = true;
  for (const block of source.blocks()) {
    if (!reader.read(block, first, first && block.length < source.size)) {
      matrix.blocks.length = 0;
      return undefined;
    }
    first = false;
  }
  if (first) return undefined;
  const rows = reader.finish();
  return {
    reader: 'bytes',
    header: reader.columns,
    rows,
    extraAges: reader.ages,
    write(output, header, kept, tails) {
      output.write(header);
      const bytes = new ByteOutput((chunk) => output.write(chunk));
      const writer = new PlainCsvWriter(bytes, reader.columns.length, kept, (row, out) => tails.write(row, out));
      let firstBlock = true;
      for (const block of source.blocks()) {
        writer.write(block, firstBlock);
        firstBlock = false;
      }
      bytes.flush();
    }
  };
}

/**
 * Pass 1 with papaparse (loaded only for a file that needs it); a file kept
 * in memory is first checked whole for its encoding, as the in-memory reader does.
 */
async function readWithPapaparse(
  file: string,
  source: CsvBytes,
  options: ReadOptions,
  matrix: RowBlocks,
  keepAges: boolean
): Promise<FirstPass> {
  const { lineInFile, parseCsvFile } = await import('./csv.js');
  const whole = source.bytes;
  if (whole && isUtf16Bom(whole)) throw new InputError(file, UTF16_MESSAGE);
  if (whole && !isUtf8(whole)) throw new InputError(file, NOT_UTF8);
  const extraAges: number[] = [];
  let ageColumn = -1;
  let header: string[] = [];
  let map: ColumnMap | undefined;
  const rows = parseCsvFile(file, {
    header: (columns) => {
      header = columns;
      map = mapColumns(file, columns, options);
      ageColumn = keepAges ? columns.indexOf(FLEET_AGE_COLUMN) : -1;
    },
    rows: (chunk, firstRow) => {
      matrix.add(file, chunk, firstRow, map as ColumnMap, options, (row) => lineInFile(file, row + 1));
      if (ageColumn >= 0) for (const row of chunk) extraAges.push(fleetAgeOfCell(row[ageColumn]));
    }
  });
  return {
    reader: 'papaparse',
    header,
    rows,
    extraAges,
    write(output, headerLine, kept, tails) {
      output.write(headerLine);
      parseCsvFile(file, {
        header: () => undefined,
        rows: (chunk, firstRow) => {
          let block = '';
          for (let k = 0; k < chunk.length; k++) {
            const cells = chunk[k];
            let line = '';
            for (let j = 0; j < kept.length; j++) line += (j === 0 ? '' : ',') + csvCell(cells[kept[j]]);
            block += line + tails.text(firstRow + k);
          }
          output.write(block);
        }
      });
    }
  };
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
  const reasons = new Array<Reason[] | undefined>(count);
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

/** A JSON file is read whole (JSON.parse needs the whole text anyway). */
async function scoreJson(file: string, model: Scorer, options: StreamScoreOptions): Promise<StreamScoreResult> {
  const { readPatchFile } = await import('./read.js');
  const table = await readPatchFile(file, readOptionsFor(model.card, options));
  const result = await scoreTable(table, model, options);
  const explainer = await options.explainer?.(table.ids.length);
  const reasons = explainer
    ? explainTable(
        explainer,
        table,
        result.plan.patches.map((patch) => patch.risk_bucket)
      )
    : undefined;
  writeFileAtomic(options.out, scoredCsv({ ...result, reasons }), 'the scored file');
  return { rows: table.ids.length, reader: 'json', totals: result.plan.totals, thresholds: result.plan.thresholds, model: result.model };
}
