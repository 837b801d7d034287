/**
 * What an evaluation report shows, computed from scores and 0/1 labels:
 * ROC and precision-recall curves, a reliability diagram with its expected
 * calibration error, the confusion matrix at the threshold, score histograms
 * per class and global feature importance (mean |SHAP|). Pure functions; the
 * pictures are drawn by report.ts.
 */
import type { PatchTable } from '../../core/read.js';
import type { TreeEnsemble } from '../gbdt/ensemble.js';
import { brier, confusionAt, forEachThreshold, logLoss, prAuc, rocAuc, type Confusion, type Labels, type Scores } from './metrics.js';
import { meanAbsShap, shapValues } from '../explain/shap.js';

export interface RocPoint {
  fpr: number;
  tpr: number;
  threshold: number;
}

export interface PrPoint {
  recall: number;
  precision: number;
  threshold: number;
}

export interface CalibrationBin {
  lower: number;
  upper: number;
  count: number;
  /** Mean score of the bin's rows. */
  predicted: number;
  /** Share of positives among the bin's rows. */
  observed: number;
}

export interface HistogramBin {
  lower: number;
  upper: number;
  negatives: number;
  positives: number;
}

export interface Importance {
  feature: string;
  meanAbsShap: number;
}

export interface Evaluation {
  rows: number;
  positives: number;
  baseRate: number;
  threshold: number;
  rocAuc: number;
  prAuc: number;
  brier: number;
  logLoss: number;
  ece: number;
  confusion: Confusion;
  roc: RocPoint[];
  pr: PrPoint[];
  calibration: CalibrationBin[];
  histogram: HistogramBin[];
  importance: Importance[];
}

/** Curves keep at most this many points: enough for a smooth picture of any size of data. */
export const MAX_CURVE_POINTS = 400;

/** One point per distinct score (descending), as predicting positive for score >= threshold. */
function cumulativeCounts(scores: Scores, labels: Labels): { tp: number; fp: number; threshold: number }[] {
  const out: { tp: number; fp: number; threshold: number }[] = [];
  forEachThreshold(scores, labels, (threshold, tp, fp) => out.push({ tp, fp, threshold }));
  return out;
}

/** Every k-th point plus the last, so a curve keeps its ends and at most max points. */
export function thinPoints<T>(points: T[], max = MAX_CURVE_POINTS): T[] {
  if (points.length <= max) return points;
  const step = (points.length - 1) / (max - 1);
  return Array.from({ length: max }, (_, k) => points[Math.round(k * step)]);
}

export function rocCurve(scores: Scores, labels: Labels): RocPoint[] {
  const counts = cumulativeCounts(scores, labels);
  const pos = counts.length > 0 ? counts[counts.length - 1].tp : 0;
  const neg = counts.length > 0 ? counts[counts.length - 1].fp : 0;
  const points = [{ fpr: 0, tpr: 0, threshold: Infinity }];
  for (const c of counts) points.push({ fpr: neg > 0 ? c.fp / neg : 0, tpr: pos > 0 ? c.tp / pos : 0, threshold: c.threshold });
  return thinPoints(points);
}

export function prCurve(scores: Scores, labels: Labels): PrPoint[] {
  const counts = cumulativeCounts(scores, labels);
  const pos = counts.length > 0 ? counts[counts.length - 1].tp : 0;
  return thinPoints(counts.map((c) => ({ recall: pos > 0 ? c.tp / pos : 0, precision: c.tp / (c.tp + c.fp), threshold: c.threshold })));
}

/** Equal-width bins over [0, 1]; empty bins are left out. ECE = sum over bins of share x |predicted - observed|. */
export function calibration(scores: Scores, labels: Labels, nBins = 10): { bins: CalibrationBin[]; ece: number } {
  const count = new Float64Array(nBins);
  const sumScore = new Float64Array(nBins);
  const sumLabel = new Float64Array(nBins);
  for (let i = 0; i < scores.length; i++) {
    const b = Math.min(nBins - 1, Math.max(0, Math.floor(scores[i] * nBins)));
    count[b]++;
    sumScore[b] += scores[i];
    sumLabel[b] += labels[i];
  }
  const bins: CalibrationBin[] = [];
  let ece = 0;
  for (let b = 0; b < nBins; b++) {
    if (count[b] === 0) continue;
    const predicted = sumScore[b] / count[b];
    const observed = sumLabel[b] / count[b];
    ece += (count[b] / scores.length) * Math.abs(predicted - observed);
    bins.push({ lower: b / nBins, upper: (b + 1) / nBins, count: count[b], predicted, observed });
  }
  return { bins, ece };
}

export function scoreHistogram(scores: Scores, labels: Labels, nBins = 20): HistogramBin[] {
  const bins: HistogramBin[] = Array.from({ length: nBins }, (_, b) => ({
    lower: b / nBins,
    upper: (b + 1) / nBins,
    negatives: 0,
    positives: 0
  }));
  for (let i = 0; i < scores.length; i++) {
    const bin = bins[Math.min(nBins - 1, Math.max(0, Math.floor(scores[i] * nBins)))];
    if (labels[i] === 1) bin.positives++;
    else bin.negatives++;
  }
  return bins;
}

/** Features by mean |SHAP| (largest first). */
export function importanceOf(featureNames: readonly string[], meanAbs: ArrayLike<number>): Importance[] {
  return featureNames.map((feature, f) => ({ feature, meanAbsShap: meanAbs[f] })).sort((a, b) => b.meanAbsShap - a.meanAbsShap);
}

/** Everything the report shows; `importance` comes from the caller's SHAP values. */
export function evaluateScores(scores: Scores, labels: Labels, threshold: number, importance: Importance[]): Evaluation {
  if (scores.length !== labels.length) throw new RangeError(`scores has ${scores.length} values but labels has ${labels.length}`);
  if (scores.length === 0) throw new RangeError('nothing to evaluate: no rows');
  let positives = 0;
  for (let i = 0; i < labels.length; i++) positives += labels[i] === 1 ? 1 : 0;
  const { bins, ece } = calibration(scores, labels);
  return {
    rows: scores.length,
    positives,
    baseRate: positives / scores.length,
    threshold,
    rocAuc: rocAuc(scores, labels),
    prAuc: prAuc(scores, labels),
    brier: brier(scores, labels),
    logLoss: logLoss(scores, labels),
    ece,
    confusion: confusionAt(scores, labels, threshold),
    roc: rocCurve(scores, labels),
    pr: prCurve(scores, labels),
    calibration: bins,
    histogram: scoreHistogram(scores, labels),
    importance
  };
}

/** Evaluate a labelled table's scores, with importance from the ensemble's TreeSHAP values on the same rows. */
export function evaluateTable(ensemble: TreeEnsemble, table: PatchTable, scores: Scores, threshold: number): Evaluation {
  if (!table.labels) throw new RangeError(`${table.file}: no labels to evaluate against`);
  const nRows = table.ids.length;
  const { values } = shapValues(ensemble, table.features, nRows);
  const importance = importanceOf(table.featureNames, meanAbsShap(values, nRows, table.featureNames.length));
  return evaluateScores(scores, table.labels, threshold, importance);
}
