/**
 * The one score-and-decide path every front end uses (the CLI's gate and
 * score, the action in both modes, the service): read the input, score it,
 * plan it, explain it, and decide with the one rule in core/decide.ts.
 */
import { decide, type Decision, type FailOn } from '../core/decide.js';
import type { PlanTotals } from '../core/plan.js';
import {
  modelSummary,
  readOptionsFor,
  scoreFile,
  scoreTable,
  type ModelSummary,
  type ScoredPatches,
  type ScoreOptions
} from '../core/pipeline.js';
import type { PatchFormat } from '../core/read.js';
import { streamScoreFile } from '../core/stream.js';
import { explainerFactory, explainScored, type ExplainMode } from '../model/explain/explain.js';
import type { LoadedModel } from '../model/onnx/session.js';
import type { CommitsInput, MinedRange } from './commits.js';

/** A patch file (CSV or JSON) named by its path. */
export interface FileInput {
  kind: 'file';
  file: string;
  /**
   * Write the scored CSV here while reading, in bounded memory whatever the
   * file's size; the run then keeps no rows (`scored` is undefined).
   */
  streamTo?: string;
}

/** Patch rows held in memory (a request body), named `name` in messages. */
export interface TextInput {
  kind: 'text';
  text: string;
  format: PatchFormat;
  name: string;
}

export type GateInput = FileInput | TextInput | CommitsInput;

export interface GateOptions extends ScoreOptions {
  model: LoadedModel;
  /** The level that fails the gate (default high); `never` reports without failing. */
  failOn?: FailOn;
  /** The pull request carries the override label: a failing gate passes as `overridden`. */
  overridden?: boolean;
  /** Which rows get reasons (default auto). */
  explain?: ExplainMode;
}

export interface GateRun {
  /** The input as named in reports: the file, the body's name, or "commits 1a2b3c4..5d6e7f8". */
  source: string;
  model: ModelSummary;
  totals: PlanTotals;
  thresholds: { high: number; medium: number };
  decision: Decision;
  /** Every scored row with its plan, reasons and suggestions (all inputs but a streamed file). */
  scored?: ScoredPatches;
  /** Commit mode: the mined commits and the range. */
  commits?: MinedRange;
}

export async function runGate(input: GateInput, options: GateOptions): Promise<GateRun> {
  const { model } = options;
  const explain = options.explain ?? 'auto';
  if (input.kind === 'file' && input.streamTo !== undefined) {
    const streamed = await streamScoreFile(input.file, model, {
      ...options,
      out: input.streamTo,
      explainer: explainerFactory(model, explain)
    });
    return finish(input.file, streamed.totals, streamed.thresholds, modelSummary(model.card, options.threshold), options);
  }
  let scored: ScoredPatches;
  let source: string;
  let commits: MinedRange | undefined;
  if (input.kind === 'file') {
    source = input.file;
    scored = await scoreFile(input.file, model, options);
  } else if (input.kind === 'text') {
    source = input.name;
    const { parsePatchText } = await import('../core/read.js');
    scored = await scoreTable(parsePatchText(input.text, input.name, input.format, readOptionsFor(model.card, options)), model, options);
  } else {
    // Commit mode's git code is loaded only when commits are scored.
    const [{ mineRange }, { commitsToTable }] = await Promise.all([import('./commits.js'), import('../git/table.js')]);
    commits = await mineRange(input);
    source = commits.source;
    scored = await scoreTable(commitsToTable(commits.mined, { features: model.card.features, source }), model, options);
  }
  scored = await explainScored(scored, model, explain);
  return { ...finish(source, scored.plan.totals, scored.plan.thresholds, scored.model, options), scored, ...(commits ? { commits } : {}) };
}

function finish(
  source: string,
  totals: PlanTotals,
  thresholds: { high: number; medium: number },
  model: ModelSummary,
  options: GateOptions
): GateRun {
  return { source, model, totals, thresholds, decision: decide(totals, options.failOn ?? 'high', options.overridden ?? false) };
}
