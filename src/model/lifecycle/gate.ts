/**
 * The promotion gate, pure: judge a candidate model's scores against a
 * baseline model's scores on the same labelled rows. It knows nothing of
 * folders or registries, so any two models scored on the same rows can be
 * compared: a folder's champion (promote, retrain) or, say, a default model.
 *
 * Gates (all must pass):
 * - min_roc_auc, min_f1: the candidate's own ROC-AUC and F1 (at its card's
 *   high threshold) on the rows.
 * - max_auc_drop: baseline AUC − candidate AUC ≤ the tolerance; a hard cap.
 * - auc_noise: a candidate with a lower AUC than the baseline passes only
 *   when the drop is within the noise of these rows: the 95% interval of the
 *   paired bootstrap of the AUC difference (same resampled rows for both
 *   models, seeded) still reaches 0. A candidate not worse on the whole
 *   rows passes.
 * Without a baseline only the candidate's own gates are judged.
 */
import { InputError } from '../../core/errors.js';
import { alignColumns } from '../../core/text.js';
import {
  DEFAULT_BOOTSTRAP,
  confusionAt,
  pairedAucBootstrap,
  rocAuc,
  type BootstrapOptions,
  type PairedAucDifference
} from '../evaluate/metrics.js';
import type { PromotionGates } from './registry.js';

export interface HoldoutMetrics {
  version: string;
  roc_auc: number;
  /** F1, precision and recall when flagging score >= the version's own high threshold. */
  f1: number;
  precision: number;
  recall: number;
  threshold: number;
  rows: number;
  positives: number;
}

export type GateName = keyof PromotionGates | 'auc_noise';

export interface GateResult {
  gate: GateName;
  /** The gate's limit (for auc_noise: 0, which the interval must reach). */
  limit: number;
  /** The value the gate judged (AUC, F1, the AUC drop, the interval's upper end); null when there is no baseline. */
  value: number | null;
  passed: boolean;
  text: string;
}

/** One model's scores for the judged rows, in the rows' order. */
export interface ScoredModel {
  /** How outputs name it: a version ("v003") or a model ("jit v001"). */
  version: string;
  scores: ArrayLike<number>;
  /** Its card's high threshold: F1, precision and recall flag score >= this. */
  threshold: number;
}

export interface JudgeInput {
  /** Name of the rows in outputs and errors (a file, "newest 800 rows of …"). */
  holdout: string;
  /** 0/1 labels of the rows; both classes must be present. */
  labels: Uint8Array;
  candidate: ScoredModel;
  /** The model to beat, scored on the same rows; omit when there is none. */
  baseline?: ScoredModel;
  gates: PromotionGates;
  /** What the baseline is called in texts (default "champion"; e.g. "default"). */
  baselineRole?: string;
  bootstrap?: Partial<BootstrapOptions>;
}

export interface CandidateJudgement {
  holdout: string;
  gates: PromotionGates;
  baselineRole: string;
  candidate: HoldoutMetrics;
  baseline?: HoldoutMetrics;
  /** Candidate AUC − baseline AUC with its paired-bootstrap interval (when there is a baseline). */
  comparison?: PairedAucDifference;
  results: GateResult[];
  passed: boolean;
  /** One sentence: why the candidate was accepted, or what refused it. */
  why: string;
}

/** Holdout metrics of one model from its scores; the rows must hold both classes. */
export function holdoutMetrics(
  version: string,
  scores: ArrayLike<number>,
  labels: Uint8Array,
  threshold: number,
  holdout: string
): HoldoutMetrics {
  const positives = labels.reduce((sum, label) => sum + label, 0);
  if (positives === 0 || positives === labels.length) {
    throw new InputError(holdout, 'the holdout has only one class; judging a model needs rows labelled 0 and 1');
  }
  const confusion = confusionAt(scores, labels, threshold);
  return {
    version,
    roc_auc: rocAuc(scores, labels),
    f1: confusion.f1,
    precision: confusion.precision,
    recall: confusion.recall,
    threshold,
    rows: labels.length,
    positives
  };
}

function fmt(value: number): string {
  return value.toFixed(4);
}

function signed(value: number): string {
  return `${value < 0 ? '-' : '+'}${fmt(Math.abs(value))}`;
}

/** "95% interval -0.0150 to +0.0040" */
function interval(comparison: PairedAucDifference): string {
  return `${Math.round(comparison.confidence * 100)}% interval ${signed(comparison.low)} to ${signed(comparison.high)}`;
}

/** A rounding hair does not make a model worse or a drop too large. */
const EPSILON = 1e-12;

/** Every gate's verdict for the candidate against the baseline (pure; `comparison` is the bootstrap of their AUC difference). */
export function checkGates(
  candidate: HoldoutMetrics,
  baseline: HoldoutMetrics | undefined,
  gates: PromotionGates,
  comparison?: PairedAucDifference,
  baselineRole = 'champion'
): GateResult[] {
  const results: GateResult[] = [
    {
      gate: 'min_roc_auc',
      limit: gates.min_roc_auc,
      value: candidate.roc_auc,
      passed: candidate.roc_auc >= gates.min_roc_auc,
      text: `ROC-AUC ${fmt(candidate.roc_auc)}, needs >= ${gates.min_roc_auc}`
    },
    {
      gate: 'min_f1',
      limit: gates.min_f1,
      value: candidate.f1,
      passed: candidate.f1 >= gates.min_f1,
      text: `F1 ${fmt(candidate.f1)} at threshold ${candidate.threshold}, needs >= ${gates.min_f1}`
    }
  ];
  if (baseline === undefined) {
    const none = `no ${baselineRole} to compare with`;
    results.push({ gate: 'max_auc_drop', limit: gates.max_auc_drop, value: null, passed: true, text: none });
    results.push({ gate: 'auc_noise', limit: 0, value: null, passed: true, text: none });
    return results;
  }
  if (comparison === undefined) throw new RangeError('checkGates: a comparison with the baseline needs its bootstrap');
  const change = candidate.roc_auc - baseline.roc_auc;
  results.push({
    gate: 'max_auc_drop',
    limit: gates.max_auc_drop,
    value: -change,
    passed: -change <= gates.max_auc_drop + EPSILON,
    text: `ROC-AUC change vs ${baselineRole} ${baseline.version} ${signed(change)}, drop allowed <= ${gates.max_auc_drop}`
  });
  const notWorse = change >= -EPSILON;
  const withinNoise = comparison.high >= -EPSILON;
  results.push({
    gate: 'auc_noise',
    limit: 0,
    value: comparison.high,
    passed: notWorse || withinNoise,
    text: `change ${signed(change)} (${interval(comparison)}): ${
      comparison.low > EPSILON
        ? 'better beyond the noise of these rows (the whole interval is above 0)'
        : notWorse
          ? 'not worse'
          : withinNoise
            ? 'the drop is within the noise of these rows (the interval reaches 0)'
            : 'worse beyond the noise of these rows (the whole interval is below 0)'
    }`
  });
  return results;
}

function whyText(judgement: Omit<CandidateJudgement, 'why'>): string {
  const { candidate, baseline, comparison, gates, baselineRole } = judgement;
  if (!judgement.passed) {
    return judgement.results
      .filter((result) => !result.passed)
      .map((result) =>
        result.gate === 'auc_noise' && baseline && comparison
          ? `ROC-AUC ${fmt(candidate.roc_auc)} is ${fmt(baseline.roc_auc - candidate.roc_auc)} below ${baselineRole} ${baseline.version}'s ${fmt(
              baseline.roc_auc
            )}, beyond the noise of these rows (${interval(comparison)} of the change is below 0)`
          : `${result.gate}: ${result.text}`
      )
      .join('; ');
  }
  if (!baseline || !comparison) {
    return `no ${baselineRole} to compare with; ROC-AUC ${fmt(candidate.roc_auc)} >= ${gates.min_roc_auc} and F1 ${fmt(candidate.f1)} >= ${gates.min_f1}`;
  }
  const change = candidate.roc_auc - baseline.roc_auc;
  if (change >= -EPSILON) {
    const verdict = comparison.low > EPSILON ? 'better beyond the noise of these rows' : 'not worse';
    return `ROC-AUC ${fmt(candidate.roc_auc)} vs ${fmt(baseline.roc_auc)} for ${baselineRole} ${baseline.version}: ${verdict} (change ${signed(change)}, ${interval(comparison)})`;
  }
  return `ROC-AUC ${fmt(candidate.roc_auc)} is ${fmt(-change)} below ${baselineRole} ${baseline.version}'s ${fmt(
    baseline.roc_auc
  )}, but the drop is within the noise of these rows (${interval(comparison)} of the change reaches 0) and within the allowed ${gates.max_auc_drop}`;
}

/**
 * Judge a candidate's scores against a baseline's scores on the same rows
 * (pure). The paired bootstrap draws the same rows for both models; it is
 * seeded, so the same scores give the same verdict.
 */
export function judgeCandidate(input: JudgeInput): CandidateJudgement {
  const { labels, holdout, gates } = input;
  const baselineRole = input.baselineRole ?? 'champion';
  for (const model of [input.candidate, input.baseline]) {
    if (model && model.scores.length !== labels.length) {
      throw new RangeError(`judgeCandidate: ${model.version} has ${model.scores.length} scores for ${labels.length} rows`);
    }
  }
  const candidate = holdoutMetrics(input.candidate.version, input.candidate.scores, labels, input.candidate.threshold, holdout);
  const baseline = input.baseline
    ? holdoutMetrics(input.baseline.version, input.baseline.scores, labels, input.baseline.threshold, holdout)
    : undefined;
  const comparison = input.baseline
    ? pairedAucBootstrap(input.candidate.scores, input.baseline.scores, labels, { ...DEFAULT_BOOTSTRAP, ...input.bootstrap })
    : undefined;
  const results = checkGates(candidate, baseline, gates, comparison, baselineRole);
  const judged = { holdout, gates, baselineRole, candidate, baseline, comparison, results, passed: results.every((r) => r.passed) };
  return { ...judged, why: whyText(judged) };
}

/** A plain-text table of both models' metrics, the AUC change with its interval, any `notes` lines, and each gate's result. */
export function renderJudgement(judgement: CandidateJudgement, notes: string[] = []): string {
  const { candidate, baseline, comparison, baselineRole } = judgement;
  const rows: string[][] = [
    ['', `candidate ${candidate.version}`, baseline ? `${baselineRole} ${baseline.version}` : `${baselineRole} (none)`]
  ];
  const metric = (label: string, pick: (m: HoldoutMetrics) => number, digits = 4): void => {
    rows.push([label, pick(candidate).toFixed(digits), baseline ? pick(baseline).toFixed(digits) : '-']);
  };
  metric('ROC-AUC', (m) => m.roc_auc);
  metric('F1', (m) => m.f1);
  metric('precision', (m) => m.precision);
  metric('recall', (m) => m.recall);
  metric('threshold', (m) => m.threshold);
  metric('rows', (m) => m.rows, 0);
  const lines = [`holdout: ${judgement.holdout}`, ...alignColumns(rows)];
  if (baseline && comparison) {
    lines.push(
      '',
      `ROC-AUC change ${signed(comparison.difference)}, ${interval(comparison)} ` +
        `(paired bootstrap: ${comparison.resamples} resamples of these rows, seed ${comparison.seed})`
    );
  }
  if (notes.length > 0) lines.push('', ...notes);
  lines.push('', 'gates:');
  for (const result of judgement.results) lines.push(`  ${result.passed ? 'PASS' : 'FAIL'}  ${result.gate.padEnd(13)} ${result.text}`);
  return lines.join('\n') + '\n';
}
