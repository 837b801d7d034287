/**
 * One POST /v1/score request's work, as a scoring worker does it: decode the
 * body, score and decide (runGate), hold the request to its row and
 * explanation budget, explain, and serialise the JSON answer. Runs in a
 * worker thread (see pool.ts), so nothing here may block the HTTP thread.
 */
import {
  AUTO_EXPLAIN_ALL_ROWS,
  decodeText,
  explainerFactory,
  explainScored,
  gateVerdict,
  InputError,
  runGate,
  scoredJsonRows,
  type ExplainMode,
  type GateOutcome,
  type GateRun,
  type LoadedModel,
  type PatchFormat,
  type ScoredPatches
} from '../index.js';
import { HttpError } from './http.js';

/** The file name in messages about the request body (the CLI names the file there). */
export const BODY = 'body';

/** What one request may cost: the rows it sends and the rows it has explained. */
export interface RequestBudget {
  /** Rows per request; more get 413. */
  maxRows: number;
  /**
   * Row explanations per request: rows given reasons (TreeSHAP) plus High
   * rows given what-if suggestions. explain=all or risky beyond it get 422;
   * explain=auto then explains nothing and says so.
   */
  maxExplainRows: number;
}

export interface ScoreJob {
  body: Uint8Array;
  format: PatchFormat;
  threshold?: number;
  explain: ExplainMode;
}

export type ScoreResult =
  | {
      ok: true;
      /** The whole JSON answer, UTF-8. */
      json: Uint8Array;
      rows: number;
      high: number;
      outcome: GateOutcome;
      /** The features of the last rows (at most the drift window), row-major, for the live PSI. */
      driftFeatures: Float32Array;
      driftRows: number;
    }
  | {
      ok: false;
      status: number;
      message: string;
      headers?: Record<string, string>;
      /** Set for an internal error: the line the server logs (the client gets a generic 500). */
      log?: string;
    };

/** How many row explanations `mode` asks for on this run: reasons rows plus what-if rows (High), when the model can be explained. */
export function explanationsAskedFor(run: GateRun, mode: ExplainMode, explainable: boolean): number {
  if (mode === 'none' || !explainable) return 0;
  const { totals } = run;
  // `risky`, and `auto` beyond AUTO_EXPLAIN_ALL_ROWS, explain the Medium and High rows.
  const reasons =
    mode === 'all' || (mode === 'auto' && totals.patches <= AUTO_EXPLAIN_ALL_ROWS) ? totals.patches : totals.high + totals.medium;
  return reasons + totals.high;
}

async function isExplainable(model: LoadedModel): Promise<boolean> {
  return (await explainerFactory(model, 'all')(1)) !== undefined;
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;
const BLANKS = new Set([0x20, 0x09, 0x2c]);

/**
 * At least how many data rows a CSV body holds, counted on its bytes without
 * parsing it: lines outside quotes that hold more than blanks and commas,
 * minus the header. Never more than the reader finds (it skips only empty
 * lines), so a body over the row budget is refused before it is parsed.
 */
export function csvRowsAtLeast(bytes: Uint8Array): number {
  let records = 0;
  let inQuotes = false;
  let content = false;
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i];
    if (c === QUOTE) {
      inQuotes = !inQuotes;
      content = true;
    } else if (!inQuotes && (c === LF || c === CR)) {
      if (content) records++;
      content = false;
    } else if (!BLANKS.has(c)) content = true;
  }
  if (content) records++;
  return Math.max(0, records - 1);
}

function tooManyRows(rows: number, budget: RequestBudget): HttpError {
  return new HttpError(
    413,
    `body: ${count(rows)} rows, more than this server's limit of ${count(budget.maxRows)} rows per request (serve --max-rows); send them in smaller requests`
  );
}

/** Score one request body; an error the client caused comes back as its status and message. */
export async function scoreJob(job: ScoreJob, model: LoadedModel, budget: RequestBudget, driftWindow: number): Promise<ScoreResult> {
  if (job.format === 'csv') {
    const atLeast = csvRowsAtLeast(job.body);
    if (atLeast > budget.maxRows) throw tooManyRows(atLeast, budget);
  }
  const text = decodeText(job.body, BODY);
  const run = await runGate({ kind: 'text', text, format: job.format, name: BODY }, { model, threshold: job.threshold, explain: 'none' });
  const rows = run.totals.patches;
  if (rows > budget.maxRows) throw tooManyRows(rows, budget);
  let explain = job.explain;
  let limited: string | undefined;
  const asked = explanationsAskedFor(run, explain, explain !== 'none' && (await isExplainable(model)));
  if (asked > budget.maxExplainRows) {
    const what =
      `explain=${explain} on ${count(rows)} rows (${count(run.totals.high)} High) asks for ${count(asked)} row explanations ` +
      `(reasons, plus what-if suggestions for High rows), more than this server's limit of ${count(budget.maxExplainRows)} per request (serve --max-explain-rows)`;
    if (explain !== 'auto') throw new HttpError(422, `query: ${what}; use explain=auto or explain=none, or send fewer rows`);
    explain = 'none';
    limited = `${what}: no rows were explained`;
  }
  const scored = await explainScored(run.scored as ScoredPatches, model, explain);
  const { input_file: _body, ...verdict } = gateVerdict(run);
  const answer = {
    decision: run.decision.outcome,
    ...verdict,
    model_sha256: run.model.sha256,
    ...(limited === undefined ? {} : { explain_limited: limited }),
    rows: scoredJsonRows(scored)
  };
  const width = model.card.features.length;
  const driftRows = Math.min(rows, driftWindow);
  return {
    ok: true,
    json: new TextEncoder().encode(`${JSON.stringify(answer)}\n`),
    rows,
    high: run.totals.high,
    outcome: run.decision.outcome,
    // A copy (not a view of the table), so that only these rows travel back to the HTTP thread.
    driftFeatures: scored.table.features.slice((rows - driftRows) * width, rows * width),
    driftRows
  };
}

/** An error from scoreJob as the answer the client gets. */
export function failureResult(error: unknown, what: string): ScoreResult {
  if (error instanceof HttpError) return { ok: false, status: error.status, message: error.message, headers: error.headers };
  if (error instanceof InputError) return { ok: false, status: 400, message: error.message };
  return {
    ok: false,
    status: 500,
    message: 'internal error while handling the request (logged on the server)',
    log: errorLine(what, error)
  };
}

/** One log line per failure (onnxruntime messages span lines). */
export function errorLine(what: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return `${new Date().toISOString()} error ${what}: ${message.replace(/\s*[\r\n\u2028\u2029]+\s*/g, ' | ')}`;
}
