/**
 * Drift: new patches against the baseline stored in the model card.
 *
 * Checks and their levels (ok / warn / alert; defaults in DEFAULT_DRIFT_THRESHOLDS):
 * - PSI per feature: Σ (a − e) · ln(a / e) over the card's 10 decile bins
 *   (binShares, edges = the baseline's quantiles q10…q90), e = the baseline's
 *   decile_shares, a = the new rows' shares. Shares below PSI_EPSILON (an empty
 *   bin) count as PSI_EPSILON, so one empty bin adds a large but finite term.
 *   warn ≥ 0.1, alert ≥ 0.25 (the usual PSI reading).
 * - KS per feature: sup |F_new(x) − F_base(x)| where F_new is the new rows'
 *   ECDF and F_base the baseline's CDF interpolated linearly through its
 *   quantiles (q_k at probability k/10; tied quantiles make a jump). The card
 *   stores only quantiles, so this is KS against that piecewise-linear CDF;
 *   for integer and 0/1 features, whose true CDF is a step, the interpolation
 *   alone can differ by up to one decile (0.1), hence the warn edge 0.15.
 *   warn ≥ 0.15, alert ≥ 0.3; a KS below the 5% critical value 1.36/√n is
 *   always ok (too few rows to tell it from chance).
 * - Threshold drift: share of rows scoring ≥ thresholds.high now against
 *   baseline.high_share; warn when it moved ≥ 0.05 (5 points), alert ≥ 0.15,
 *   and only when the move is ≥ 2 binomial standard errors of the baseline share.
 * - Performance, when the rows carry the card's label (both classes): ROC-AUC
 *   drop against the card warn ≥ 0.05, alert ≥ 0.1; F1 (at the card's
 *   threshold) drop warn ≥ 0.1, alert ≥ 0.2. The edges are wide because the
 *   card's F1 is optimistic (its threshold was chosen on the same validation
 *   rows) and AUC on a few hundred rows varies by ±0.02–0.03: on undrifted
 *   generated data F1 comes out up to 0.07 below the card.
 * With fewer than minRows rows every check is 'n/a' (shown, not judged).
 * Verdict: retrain recommended when any check is at alert, or a performance
 * check is at warn or worse (the labels say the model got worse); it names
 * every check above ok under its own level ("alert on …; warn on …").
 */
import type { ModelCard } from '../../core/card.js';
import type { PatchTable } from '../../core/read.js';
import { confusionAt, rocAuc } from '../evaluate/metrics.js';
import { binShares } from './baseline.js';

export type DriftLevel = 'ok' | 'warn' | 'alert' | 'n/a';

/** An empty bin's share in PSI (keeps ln(a/e) finite). */
export const PSI_EPSILON = 1e-4;

export interface LevelEdges {
  warn: number;
  alert: number;
}

export interface DriftThresholds {
  psi: LevelEdges;
  ks: LevelEdges;
  highShare: LevelEdges;
  aucDrop: LevelEdges;
  f1Drop: LevelEdges;
  /** Below this many rows nothing is judged. */
  minRows: number;
}

export const DEFAULT_DRIFT_THRESHOLDS: Readonly<DriftThresholds> = Object.freeze({
  psi: { warn: 0.1, alert: 0.25 },
  ks: { warn: 0.15, alert: 0.3 },
  highShare: { warn: 0.05, alert: 0.15 },
  aucDrop: { warn: 0.05, alert: 0.1 },
  f1Drop: { warn: 0.1, alert: 0.2 },
  minRows: 30
});

export interface FeatureDrift {
  feature: string;
  psi: number;
  psi_level: DriftLevel;
  ks: number;
  ks_level: DriftLevel;
  baseline_mean: number;
  mean: number;
}

export interface ValueCheck {
  baseline: number;
  now: number;
  change: number;
  level: DriftLevel;
}

export interface DriftReport {
  model: { name: string; version: string };
  rows: number;
  features: FeatureDrift[];
  high_share: ValueCheck;
  /** Present when the rows carry the card's label with both classes. */
  performance?: { roc_auc: ValueCheck; f1: ValueCheck };
  level: Exclude<DriftLevel, 'n/a'>;
  retrain_recommended: boolean;
  verdict: string;
}

/** Population stability index of new shares against expected shares (same bins). */
export function psi(expected: number[], actual: number[], epsilon = PSI_EPSILON): number {
  if (expected.length !== actual.length) throw new RangeError(`psi: ${expected.length} expected bins but ${actual.length} actual bins`);
  let sum = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = Math.max(expected[i], epsilon);
    const a = Math.max(actual[i], epsilon);
    sum += (a - e) * Math.log(a / e);
  }
  return sum;
}

/** Baseline CDF at x from quantiles q[k] at probability k/(len−1), linear between; `strict` gives the left limit P(X < x). */
export function quantileCdf(quantiles: number[], x: number, strict = false): number {
  const last = quantiles.length - 1;
  const below = (q: number): boolean => (strict ? q < x : q <= x);
  if (!below(quantiles[0])) return 0;
  if (!strict && x >= quantiles[last]) return 1;
  if (strict && x > quantiles[last]) return 1;
  let k = 0;
  while (k + 1 <= last && below(quantiles[k + 1])) k++;
  // q[k] is below x and q[k+1] is not, so q[k+1] > q[k] and the fraction is in [0, 1].
  const fraction = (x - quantiles[k]) / (quantiles[k + 1] - quantiles[k]);
  return (k + Math.min(1, Math.max(0, fraction))) / last;
}

/**
 * KS statistic between the sample's ECDF and the baseline's piecewise-linear
 * quantile CDF. Between two sample values the ECDF is flat and the baseline
 * CDF rises, so the supremum is reached at a sample value (right side) or
 * just below one (left limits); checking both at each distinct value is exact.
 */
export function ksAgainstQuantiles(values: ArrayLike<number>, quantiles: number[]): number {
  const n = values.length;
  if (n === 0) return NaN;
  const sorted = Float64Array.from(values).sort();
  let d = 0;
  let i = 0;
  while (i < n) {
    const x = sorted[i];
    let j = i;
    while (j < n && sorted[j] === x) j++;
    d = Math.max(d, Math.abs(j / n - quantileCdf(quantiles, x)), Math.abs(i / n - quantileCdf(quantiles, x, true)));
    i = j;
  }
  return d;
}

function levelOf(value: number, edges: LevelEdges): Exclude<DriftLevel, 'n/a'> {
  if (!(value < edges.alert)) return 'alert';
  if (value >= edges.warn) return 'warn';
  return 'ok';
}

const RANK: Record<DriftLevel, number> = { 'n/a': -1, ok: 0, warn: 1, alert: 2 };

function worst(levels: DriftLevel[]): Exclude<DriftLevel, 'n/a'> {
  let result: Exclude<DriftLevel, 'n/a'> = 'ok';
  for (const level of levels) if (level !== 'n/a' && RANK[level] > RANK[result]) result = level;
  return result;
}

function column(table: PatchTable, feature: number): Float64Array {
  const width = table.featureNames.length;
  const values = new Float64Array(table.ids.length);
  for (let r = 0; r < values.length; r++) values[r] = table.features[r * width + feature];
  return values;
}

function mean(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  return values.length === 0 ? NaN : sum / values.length;
}

function valueCheck(baseline: number, now: number, drop: boolean, edges: LevelEdges, judged: boolean): ValueCheck {
  const change = now - baseline;
  const judgedValue = drop ? -change : Math.abs(change);
  return { baseline, now, change, level: judged ? levelOf(judgedValue, edges) : 'n/a' };
}

/**
 * Drift of scored rows against the card's baseline (pure). `table` must hold
 * the card's features (read against the card); `scores` the model's scores
 * for its rows, in order.
 */
export function driftReport(
  card: ModelCard,
  table: PatchTable,
  scores: ArrayLike<number>,
  thresholds: Partial<DriftThresholds> = {}
): DriftReport {
  const t: DriftThresholds = { ...DEFAULT_DRIFT_THRESHOLDS, ...thresholds };
  const n = table.ids.length;
  if (scores.length !== n) throw new RangeError(`driftReport: ${scores.length} scores for ${n} rows`);
  const judged = n >= t.minRows;
  const ksCritical = 1.36 / Math.sqrt(Math.max(1, n));

  const features: FeatureDrift[] = card.features.map((spec) => {
    const index = table.featureNames.indexOf(spec.name);
    const baseline = card.baseline.features[spec.name];
    if (index < 0) throw new RangeError(`driftReport: the table has no column for the card's feature "${spec.name}"`);
    if (!baseline) throw new RangeError(`driftReport: the card has no baseline for the feature "${spec.name}"`);
    const values = column(table, index);
    const featurePsi = psi(baseline.decile_shares, binShares(values, baseline.quantiles));
    const ks = ksAgainstQuantiles(values, baseline.quantiles);
    return {
      feature: spec.name,
      psi: featurePsi,
      psi_level: judged ? levelOf(featurePsi, t.psi) : 'n/a',
      ks,
      ks_level: !judged ? 'n/a' : ks < ksCritical ? 'ok' : levelOf(ks, t.ks),
      baseline_mean: baseline.mean,
      mean: mean(values)
    };
  });

  let high = 0;
  for (let i = 0; i < n; i++) if (scores[i] >= card.thresholds.high) high++;
  const baseShare = card.baseline.high_share;
  const shareNow = n === 0 ? 0 : high / n;
  const standardError = Math.sqrt((baseShare * (1 - baseShare)) / Math.max(1, n));
  const shareCheck = valueCheck(baseShare, shareNow, false, t.highShare, judged);
  if (shareCheck.level !== 'n/a' && Math.abs(shareCheck.change) < 2 * standardError) shareCheck.level = 'ok';

  let performance: DriftReport['performance'];
  const labels = table.labels;
  if (labels) {
    const positives = labels.reduce((sum, label) => sum + label, 0);
    if (positives > 0 && positives < labels.length) {
      performance = {
        roc_auc: valueCheck(card.metrics.roc_auc, rocAuc(scores, labels), true, t.aucDrop, judged),
        f1: valueCheck(card.metrics.f1, confusionAt(scores, labels, card.thresholds.high).f1, true, t.f1Drop, judged)
      };
    }
  }

  const levels: DriftLevel[] = [
    ...features.flatMap((f) => [f.psi_level, f.ks_level]),
    shareCheck.level,
    ...(performance ? [performance.roc_auc.level, performance.f1.level] : [])
  ];
  const level = worst(levels);
  const performanceWorse = performance !== undefined && worst([performance.roc_auc.level, performance.f1.level]) !== 'ok';
  const retrain = level === 'alert' || performanceWorse;
  return {
    model: { name: card.name, version: card.version },
    rows: n,
    features,
    high_share: shareCheck,
    performance,
    level,
    retrain_recommended: retrain,
    verdict: verdictText(judged, n, t.minRows, level, retrain, features, shareCheck, performance)
  };
}

function verdictText(
  judged: boolean,
  n: number,
  minRows: number,
  level: DriftLevel,
  retrain: boolean,
  features: FeatureDrift[],
  share: ValueCheck,
  performance: DriftReport['performance']
): string {
  if (!judged) return `too few rows to judge drift (${n} < ${minRows}): no retraining signal`;
  if (level === 'ok') return 'no drift beyond warn: retraining not needed';
  const checks: { name: string; level: DriftLevel }[] = [
    ...features.map((f) => ({ name: f.feature, level: worst([f.psi_level, f.ks_level]) })),
    { name: 'high-risk share', level: share.level },
    ...(performance
      ? [
          { name: 'ROC-AUC', level: performance.roc_auc.level },
          { name: 'F1', level: performance.f1.level }
        ]
      : [])
  ];
  return `${retrain ? 'retrain recommended' : 'retraining not needed yet'}: ${checksByLevel(checks)}`;
}

/** "alert on a, b; warn on c": each check named once, under its own level, the worse level first. */
function checksByLevel(checks: { name: string; level: DriftLevel }[]): string {
  return (['alert', 'warn'] as const)
    .map((level) => ({ level, names: checks.filter((check) => check.level === level).map((check) => check.name) }))
    .filter((group) => group.names.length > 0)
    .map((group) => `${group.level} on ${group.names.join(', ')}`)
    .join('; ');
}
