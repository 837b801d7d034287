/**
 * The one score-and-decide path every front end uses (the CLI's gate and
 * score, the action in both modes, the service): read the input, score it,
 * plan it, explain it, and decide with the one rule in core/decide.ts.
 */
import path from 'node:path';
import {
  alertBudget,
  calibrate,
  DEFAULT_ALERT_BUDGET,
  REFERENCE_WINDOW,
  sortedScores,
  withPercentiles,
  type AlertBudget,
  type Calibration,
  type CalibrationRequest
} from '../core/budget.js';
import { decide, type Decision, type FailOn } from '../core/decide.js';
import { writeFileAtomic } from '../core/files.js';
import { scoredCsv } from '../core/output.js';
import type { PlanTotals } from '../core/plan.js';
import { readOptionsFor, scoreTable, type ModelSummary, type ScoredPatches, type ScoreOptions } from '../core/pipeline.js';
import type { PatchFormat, PatchTable } from '../core/read.js';
import { streamScoreFile } from '../core/stream.js';
import { explainerFactory, explainScored, type ExplainMode } from '../model/explain/explain.js';
import type { LoadedModel } from '../model/onnx/session.js';
import type { CommitsInput, MinedRange } from './commits.js';

/** A patch file (CSV or JSON) named by its path. */
export interface FileInput {
  kind: 'file';
  file: string;
  /**
   * Write the scored CSV here. Without a reference file it is written while reading, in bounded memory whatever the
   * file's size, and the run keeps no rows (`scored` is undefined).
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
  /**
   * Alert budget in percent (0 < b < 100): High = the riskiest b% of the reference — in commit mode the last 2,000
   * non-merge commits before the range (default 5), for a patch file the rows of `reference` (no default: the card's
   * thresholds). An explicit `threshold` wins. With fewer than 200 reference rows the card's thresholds are used.
   */
  alertBudget?: number;
  /** Medium or High = the riskiest `mediumBudget` percent of the reference (cumulative; default 20). */
  mediumBudget?: number;
  /** Patch file or text input: a CSV/JSON file of past patches that sets the budget's thresholds and the percentiles. */
  reference?: string;
}

export interface GateRun {
  /** The input as named in reports: the file, the body's name, or "commits 1a2b3c4..5d6e7f8". */
  source: string;
  model: ModelSummary;
  totals: PlanTotals;
  thresholds: { high: number; medium: number };
  /** Where the thresholds came from (budget, card or threshold), the reference and each row's percentile in it. */
  calibration: Calibration;
  decision: Decision;
  /** Every scored row with its plan, reasons and suggestions (all inputs but a streamed file). */
  scored?: ScoredPatches;
  /** Commit mode: the mined commits and the range. */
  commits?: MinedRange;
}

export async function runGate(input: GateInput, options: GateOptions): Promise<GateRun> {
  const { model } = options;
  const explain = options.explain ?? 'auto';
  const budget = budgetOf(input, options);
  if (input.kind === 'file' && input.streamTo !== undefined && options.reference === undefined) {
    const streamed = await streamScoreFile(input.file, model, {
      ...options,
      out: input.streamTo,
      explainer: explainerFactory(model, explain)
    });
    const calibration = calibrate({ card: model.card.thresholds, threshold: options.threshold });
    return finish(input.file, streamed.totals, streamed.thresholds, streamed.model, calibration, options);
  }
  let table: PatchTable;
  let source: string;
  let commits: MinedRange | undefined;
  let reference: CalibrationRequest['reference'];
  if (input.kind === 'commits') {
    // Commit mode's git code is loaded only when commits are scored.
    const [{ mineRange }, { commitsToTable }] = await Promise.all([import('./commits.js'), import('../git/table.js')]);
    commits = await mineRange({ ...input, recent: input.recent ?? REFERENCE_WINDOW });
    source = commits.source;
    table = commitsToTable(commits.mined, { features: model.card.features, source });
    reference = await commitReference(commits, model);
  } else {
    source = input.kind === 'file' ? input.file : input.name;
    const readOptions = readOptionsFor(model.card, options);
    // The general readers (and papaparse) are loaded only off the streaming path.
    const { parsePatchText, readPatchFile } = await import('../core/read.js');
    table =
      input.kind === 'file'
        ? await readPatchFile(input.file, readOptions)
        : parsePatchText(input.text, input.name, input.format, readOptions);
    if (options.reference !== undefined) reference = await fileReference(options.reference, model);
  }
  const calibration = calibrate({ card: model.card.thresholds, threshold: options.threshold, budget, reference });
  const thresholds = calibration.origin === 'budget' ? { threshold: calibration.high, mediumThreshold: calibration.medium } : {};
  let scored = await scoreTable(table, model, { ...options, ...thresholds });
  scored = { ...scored, calibration: withPercentiles(calibration, reference?.sorted, scored.scores) };
  // A commit is not split by scaling its sizes: its parts by directory are mined and scored (api/commit-advice.ts).
  scored = await explainScored(scored, model, explain, { whatIf: input.kind !== 'commits' });
  if (commits && explain !== 'none') {
    const { commitSplitAdvice } = await import('./commit-advice.js');
    scored = { ...scored, whatIf: await commitSplitAdvice(scored, commits.mined, model) };
  }
  if (input.kind === 'file' && input.streamTo !== undefined) writeFileAtomic(input.streamTo, scoredCsv(scored), 'the scored file');
  return {
    ...finish(source, scored.plan.totals, scored.plan.thresholds, scored.model, scored.calibration as Calibration, options),
    scored,
    ...(commits ? { commits } : {})
  };
}

/** The budget asked for: commit mode has one by default; a patch file only with a reference to set it on. */
function budgetOf(input: GateInput, options: GateOptions): AlertBudget | undefined {
  if (input.kind === 'commits') return alertBudget(options.alertBudget ?? DEFAULT_ALERT_BUDGET, options.mediumBudget);
  if (options.alertBudget === undefined) {
    if (options.mediumBudget !== undefined) throw new RangeError('a medium budget needs an alert budget too');
    return undefined;
  }
  if (options.reference === undefined) {
    throw new RangeError(
      'an alert budget on a patch file needs a reference file of past patches to set the thresholds on (--reference FILE); ' +
        "without one, leave the budget out and the model card's thresholds are used"
    );
  }
  return alertBudget(options.alertBudget, options.mediumBudget);
}

/** The scores of the commits before the range: the repository's own reference. */
async function commitReference(commits: MinedRange, model: LoadedModel): Promise<CalibrationRequest['reference']> {
  const { commitsToTable } = await import('../git/table.js');
  const size = commits.recent.length;
  const table = commitsToTable(commits.recent, { features: model.card.features, source: `the commits before ${commits.rangeLabel}` });
  const scores = size === 0 ? new Float64Array(0) : await model.score(table.features, size);
  return { sorted: sortedScores(scores), label: `the last ${size.toLocaleString('en-US')} commits here`, noun: 'commits' };
}

/** The scores of a file of past patches, read and validated like any patch file. */
async function fileReference(file: string, model: LoadedModel): Promise<CalibrationRequest['reference']> {
  const { readPatchFile } = await import('../core/read.js');
  const table = await readPatchFile(file, readOptionsFor(model.card, {}));
  const size = table.ids.length;
  const scores = size === 0 ? new Float64Array(0) : await model.score(table.features, size);
  return { sorted: sortedScores(scores), label: `the ${size.toLocaleString('en-US')} patches of ${path.basename(file)}`, noun: 'patches' };
}

function finish(
  source: string,
  totals: PlanTotals,
  thresholds: { high: number; medium: number },
  model: ModelSummary,
  calibration: Calibration,
  options: GateOptions
): GateRun {
  return {
    source,
    model,
    totals,
    thresholds,
    calibration,
    decision: decide(totals, options.failOn ?? 'high', options.overridden ?? false)
  };
}
