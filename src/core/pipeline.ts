/**
 * The library's main path: read → score → plan, the same for the CLI, the
 * action and other programs.
 */
import type { Calibration } from './budget.js';
import type { ModelCard } from './card.js';
import { DEFAULT_PLAN_OPTIONS, planPatches, type Plan, type PlanOptions } from './plan.js';
import type { ReadOptions } from './columns.js';
import type { PatchTable } from './read.js';
import { FLEET_AGE_COLUMN } from './schema.js';
import type { Scorer } from './scorer.js';

export interface ModelSummary {
  name: string;
  version: string;
  sha256: string;
  threshold: number;
  medium_threshold: number;
  trained_rows: number;
  roc_auc: number;
  f1: number;
  created_at: string;
  /** A model trained on this repository (`train-repo`): its validation here beside the default's on the same commits. */
  repository?: { validation_rows: number; roc_auc: number; default_model: string; default_roc_auc: number };
}

/** One reason for a score: a feature, its value and its contribution to the log-odds. */
export interface Reason {
  feature: string;
  value: number;
  contribution: number;
  text: string;
}

export interface ScoredPatches {
  table: PatchTable;
  scores: Float64Array;
  plan: Plan;
  model: ModelSummary;
  /**
   * Reasons per row (input order), largest |contribution| first, when the model can be explained; [] for rows left
   * unexplained. The first three are the scored file's reason_1..3; the reports pick from all (core/reasons.ts).
   */
  reasons?: Reason[][];
  /** For High rows: what would bring the patch below High (e.g. "split into 3 patches of ≤ 16,000 lines → Medium"). */
  whatIf?: (string | undefined)[];
  /** The thresholds in use and where they came from, with each row's percentile in a reference (set by runGate). */
  calibration?: Calibration;
}

export interface ScoreOptions {
  /** Overrides the card's high-risk threshold. */
  threshold?: number;
  /** Overrides the card's medium-risk threshold (capped at the high one); set with an alert budget. */
  mediumThreshold?: number;
  idColumn?: string;
  qaCapacityHours?: number;
  /** Any other plan setting (monitoring weights, tier edges, minimum High hours). */
  plan?: Partial<PlanOptions>;
}

export function modelSummary(card: ModelCard, threshold?: number, mediumThreshold?: number): ModelSummary {
  return {
    name: card.name,
    version: card.version,
    sha256: card.sha256,
    threshold: threshold ?? card.thresholds.high,
    medium_threshold: Math.min(mediumThreshold ?? card.thresholds.medium, threshold ?? card.thresholds.high),
    trained_rows: card.training.rows,
    roc_auc: card.metrics.roc_auc,
    f1: card.metrics.f1,
    created_at: card.created_at,
    ...(card.repository
      ? {
          repository: {
            validation_rows: card.repository.comparison.rows,
            roc_auc: card.repository.comparison.candidate.roc_auc,
            default_model: card.repository.comparison.default_model,
            default_roc_auc: card.repository.comparison.default.roc_auc
          }
        }
      : {})
  };
}

export function planOptionsFor(card: ModelCard, options: ScoreOptions): PlanOptions {
  return {
    ...DEFAULT_PLAN_OPTIONS,
    highThreshold: options.threshold ?? card.thresholds.high,
    mediumThreshold: options.mediumThreshold ?? card.thresholds.medium,
    baseRate: card.metrics.base_rate,
    ...(options.qaCapacityHours === undefined ? {} : { qaCapacityHours: options.qaCapacityHours }),
    ...options.plan
  };
}

/** A fleet-age cell that is not a feature of the model: a number, or 0 when it is not one. */
export function fleetAgeOfCell(text: string): number {
  const age = Number(text);
  return Number.isFinite(age) ? age : 0;
}

/** Fleet age per row from the table's fleet-age column, when it has one. */
function fleetAges(table: PatchTable): Float64Array | undefined {
  const column = table.columns.indexOf(FLEET_AGE_COLUMN);
  if (column < 0) return undefined;
  const featureIndex = table.featureNames.indexOf(FLEET_AGE_COLUMN);
  const ages = new Float64Array(table.rows.length);
  for (let r = 0; r < ages.length; r++) {
    ages[r] = featureIndex >= 0 ? table.features[r * table.featureNames.length + featureIndex] : fleetAgeOfCell(table.rows[r][column]);
  }
  return ages;
}

/** Score an already-read table with a loaded model and plan QA and monitoring. */
export async function scoreTable(table: PatchTable, model: Scorer, options: ScoreOptions = {}): Promise<ScoredPatches> {
  const scores = await model.score(table.features, table.ids.length);
  const plan = planPatches({ ids: table.ids, scores, fleetAgeDays: fleetAges(table) }, planOptionsFor(model.card, options));
  return { table, scores, plan, model: modelSummary(model.card, options.threshold, options.mediumThreshold) };
}

/**
 * How a patch file is read for a model: its card's features, id column
 * (unless overridden) and label. Only the card's own id column may be absent
 * from a file: another one named by the caller must be there.
 */
export function readOptionsFor(card: ModelCard, options: ScoreOptions): ReadOptions {
  const idColumn = options.idColumn ?? card.id_column;
  return { features: card.features, idColumn, idColumnRequired: idColumn !== card.id_column, label: card.label };
}

/** Read a CSV/JSON patch file, validate it against the model's card, score and plan it. */
export async function scoreFile(file: string, model: Scorer, options: ScoreOptions = {}): Promise<ScoredPatches> {
  // The readers (and papaparse) are loaded when a file is read this way, not by the streaming gate.
  const { readPatchFile } = await import('./read.js');
  const table = await readPatchFile(file, readOptionsFor(model.card, options));
  return scoreTable(table, model, options);
}
