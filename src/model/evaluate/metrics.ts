/**
 * Binary-classification metrics on scores (higher = more likely positive) and
 * 0/1 labels. All are exact and O(n log n) (one sort). A row is predicted
 * positive at threshold t when score >= t.
 */
import { createRandom } from '../gbdt/random.js';

export type Scores = ArrayLike<number>;
export type Labels = ArrayLike<number>;

export interface Confusion {
  threshold: number;
  tp: number;
  fp: number;
  tn: number;
  fn: number;
  precision: number;
  recall: number;
  f1: number;
}

function checkLengths(scores: Scores, labels: Labels): void {
  if (scores.length !== labels.length) {
    throw new RangeError(`scores has ${scores.length} values but labels has ${labels.length}`);
  }
}

/** Row indices sorted by descending score (ties keep index order, so results are deterministic). */
function orderDescending(scores: Scores): Uint32Array {
  const order = new Uint32Array(scores.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  return order.sort((a, b) => scores[b] - scores[a] || a - b);
}

function countPositives(labels: Labels): number {
  let p = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i] === 1) p++;
  return p;
}

function f1Of(precision: number, recall: number): number {
  return precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
}

/**
 * Area under the ROC curve (Mann-Whitney U with average ranks for ties).
 * NaN when only one class is present.
 */
export function rocAuc(scores: Scores, labels: Labels): number {
  checkLengths(scores, labels);
  const n = scores.length;
  const order = orderDescending(scores);
  const pos = countPositives(labels);
  const neg = n - pos;
  if (pos === 0 || neg === 0) return NaN;
  // Ranks ascending: descending position i has ascending rank n - i.
  let rankSumPos = 0;
  let i = 0;
  while (i < n) {
    let j = i;
    let posInGroup = 0;
    while (j < n && scores[order[j]] === scores[order[i]]) {
      if (labels[order[j]] === 1) posInGroup++;
      j++;
    }
    // Positions i..j-1 share ranks n-i .. n-j+1; their average:
    const avgRank = (2 * n - i - j + 1) / 2;
    rankSumPos += posInGroup * avgRank;
    i = j;
  }
  return (rankSumPos - (pos * (pos + 1)) / 2) / (pos * neg);
}

/**
 * Average precision (area under the precision-recall step curve, as
 * scikit-learn's average_precision_score): sum over distinct thresholds of
 * (recall gain) x precision. NaN when there are no positives.
 */
export function prAuc(scores: Scores, labels: Labels): number {
  checkLengths(scores, labels);
  const pos = countPositives(labels);
  if (pos === 0) return NaN;
  let ap = 0;
  let prevRecall = 0;
  forEachThreshold(scores, labels, (_, tp, fp) => {
    const recall = tp / pos;
    ap += (recall - prevRecall) * (tp / (tp + fp));
    prevRecall = recall;
  });
  return ap;
}

/**
 * Visit every distinct score from the highest down, with the true and false
 * positives counted when predicting positive for score >= that threshold.
 */
export function forEachThreshold(scores: Scores, labels: Labels, visit: (threshold: number, tp: number, fp: number) => void): void {
  const n = scores.length;
  const order = orderDescending(scores);
  let tp = 0;
  let fp = 0;
  let i = 0;
  while (i < n) {
    const s = scores[order[i]];
    while (i < n && scores[order[i]] === s) {
      if (labels[order[i]] === 1) tp++;
      else fp++;
      i++;
    }
    visit(s, tp, fp);
  }
}

function confusionFromCounts(threshold: number, tp: number, fp: number, pos: number, n: number): Confusion {
  const fn = pos - tp;
  const tn = n - pos - fp;
  const precision = tp + fp > 0 ? tp / (tp + fp) : 0;
  const recall = pos > 0 ? tp / pos : 0;
  return { threshold, tp, fp, tn, fn, precision, recall, f1: f1Of(precision, recall) };
}

/** Confusion matrix and derived rates when predicting positive for score >= threshold. */
export function confusionAt(scores: Scores, labels: Labels, threshold: number): Confusion {
  checkLengths(scores, labels);
  let tp = 0;
  let fp = 0;
  for (let i = 0; i < scores.length; i++) {
    if (scores[i] >= threshold) {
      if (labels[i] === 1) tp++;
      else fp++;
    }
  }
  return confusionFromCounts(threshold, tp, fp, countPositives(labels), scores.length);
}

/**
 * The threshold (one of the scores) that maximises F1; on equal F1 the higher
 * threshold wins (fewer flagged rows). With no positives returns threshold
 * +Infinity and f1 0.
 */
export function bestF1Threshold(scores: Scores, labels: Labels): Confusion {
  checkLengths(scores, labels);
  const n = scores.length;
  const pos = countPositives(labels);
  let best = confusionFromCounts(Infinity, 0, 0, pos, n);
  forEachThreshold(scores, labels, (threshold, tp, fp) => {
    const c = confusionFromCounts(threshold, tp, fp, pos, n);
    if (c.f1 > best.f1) best = c;
  });
  return best;
}

/** Mean squared error of probabilities against 0/1 labels. */
export function brier(probabilities: Scores, labels: Labels): number {
  checkLengths(probabilities, labels);
  let sum = 0;
  for (let i = 0; i < probabilities.length; i++) {
    const d = probabilities[i] - labels[i];
    sum += d * d;
  }
  return sum / probabilities.length;
}

const LOGLOSS_EPS = 1e-15;

/** Mean negative log-likelihood; probabilities are clipped to [1e-15, 1 - 1e-15]. */
export function logLoss(probabilities: Scores, labels: Labels): number {
  checkLengths(probabilities, labels);
  let sum = 0;
  for (let i = 0; i < probabilities.length; i++) {
    const p = Math.min(1 - LOGLOSS_EPS, Math.max(LOGLOSS_EPS, probabilities[i]));
    sum -= labels[i] === 1 ? Math.log(p) : Math.log(1 - p);
  }
  return sum / probabilities.length;
}

/** Paired bootstrap of a ROC-AUC difference: what it measured and how. */
export interface PairedAucDifference {
  /** ROC-AUC of the first scores minus ROC-AUC of the second, on all rows. */
  difference: number;
  /** Percentile interval of the resampled differences at `confidence`. */
  low: number;
  high: number;
  confidence: number;
  resamples: number;
  seed: number;
}

export interface BootstrapOptions {
  resamples: number;
  seed: number;
  /** Two-sided coverage of the interval, e.g. 0.95. */
  confidence: number;
}

export const DEFAULT_BOOTSTRAP: Readonly<BootstrapOptions> = Object.freeze({ resamples: 2000, seed: 1, confidence: 0.95 });

/** Rows by descending score, cut into groups of equal score (`ends[g]` = one past the group's last position). */
interface ScoreGroups {
  order: Uint32Array;
  ends: Uint32Array;
}

function scoreGroups(scores: Scores): ScoreGroups {
  const order = orderDescending(scores);
  const ends: number[] = [];
  for (let i = 1; i <= order.length; i++) if (i === order.length || scores[order[i]] !== scores[order[i - 1]]) ends.push(i);
  return { order, ends: Uint32Array.from(ends) };
}

/** ROC-AUC with a whole-number weight per row (how often a resample drew it); ties count one half. */
function weightedAuc(groups: ScoreGroups, labels: Labels, weights: Uint32Array, positives: number, negatives: number): number {
  let above = 0;
  let u = 0;
  let start = 0;
  for (let g = 0; g < groups.ends.length; g++) {
    let pos = 0;
    let neg = 0;
    for (let i = start; i < groups.ends[g]; i++) {
      const row = groups.order[i];
      if (labels[row] === 1) pos += weights[row];
      else neg += weights[row];
    }
    u += neg * (above + pos / 2);
    above += pos;
    start = groups.ends[g];
  }
  return u / (positives * negatives);
}

/** Linear interpolation between order statistics (the usual "type 7" quantile) of sorted values. */
function quantileSorted(sorted: Float64Array, p: number): number {
  const at = (sorted.length - 1) * p;
  const below = Math.floor(at);
  const above = Math.min(sorted.length - 1, below + 1);
  return sorted[below] + (sorted[above] - sorted[below]) * (at - below);
}

/**
 * Paired, stratified bootstrap of ROC-AUC(a) − ROC-AUC(b) on the same rows:
 * each resample draws the positives from the positives and the negatives from
 * the negatives (with replacement, so every resample keeps both classes and
 * the class balance), and both score sets are judged on those same drawn rows.
 * Pairing removes the variation the two models share, so the interval is the
 * noise of the difference on these rows, not of either AUC alone. Seeded: the
 * same inputs give the same interval. O(resamples · n) after one sort per
 * score set. Throws RangeError when a class is missing.
 */
export function pairedAucBootstrap(a: Scores, b: Scores, labels: Labels, options: Partial<BootstrapOptions> = {}): PairedAucDifference {
  checkLengths(a, labels);
  checkLengths(b, labels);
  const { resamples, seed, confidence } = { ...DEFAULT_BOOTSTRAP, ...options };
  if (!Number.isInteger(resamples) || resamples < 1) throw new RangeError(`pairedAucBootstrap: resamples must be a whole number >= 1`);
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`pairedAucBootstrap: confidence must be between 0 and 1`);
  const positiveRows: number[] = [];
  const negativeRows: number[] = [];
  for (let i = 0; i < labels.length; i++) (labels[i] === 1 ? positiveRows : negativeRows).push(i);
  if (positiveRows.length === 0 || negativeRows.length === 0) throw new RangeError('pairedAucBootstrap: the rows need both classes');
  const groupsA = scoreGroups(a);
  const groupsB = scoreGroups(b);
  const random = createRandom(seed);
  const weights = new Uint32Array(labels.length);
  const differences = new Float64Array(resamples);
  const draw = (rows: number[]): void => {
    // `| 0` truncates like Math.floor here (non-negative, below 2^31) and keeps the hot loop free of global lookups.
    for (let k = 0; k < rows.length; k++) weights[rows[(random.next() * rows.length) | 0]]++;
  };
  for (let r = 0; r < resamples; r++) {
    weights.fill(0);
    draw(positiveRows);
    draw(negativeRows);
    differences[r] =
      weightedAuc(groupsA, labels, weights, positiveRows.length, negativeRows.length) -
      weightedAuc(groupsB, labels, weights, positiveRows.length, negativeRows.length);
  }
  differences.sort();
  const tail = (1 - confidence) / 2;
  return {
    difference: rocAuc(a, labels) - rocAuc(b, labels),
    low: quantileSorted(differences, tail),
    high: quantileSorted(differences, 1 - tail),
    confidence,
    resamples,
    seed
  };
}
