/**
 * Quantile binning of float32 features for the histogram trainer.
 *
 * Each feature gets up to maxBins bins separated by float32 thresholds. A
 * value x falls in bin b when thresholds[b-1] < x <= thresholds[b], so a split
 * "bin <= b" is exactly the float32 test "x <= thresholds[b]" that
 * TreeEnsemble (BRANCH_LEQ) and predictMargins apply. Every threshold lies
 * between two distinct training values a < c (a <= t < c, the float32 midpoint
 * when it fits), so the binned split and the exported split agree on every
 * training row.
 */
export interface BinnedFeatures {
  /** Row-major bin indices, nRows x nFeatures. */
  bins: Uint8Array;
  /** Per feature: thresholds[b] is the upper edge of bin b (length = bin count - 1). */
  thresholds: Float32Array[];
  /** Per feature: number of bins (1 for a constant feature). */
  binCount: Int32Array;
}

/** First index in sorted[from..] whose value is > v (sorted ascending). */
function upperBound(sorted: Float32Array, v: number, from: number): number {
  let lo = from;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] > v) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** A float32 t with a <= t < c (a < c are float32 values). */
function thresholdBetween(a: number, c: number): number {
  const mid = Math.fround((a + c) / 2);
  return mid >= a && mid < c ? mid : a;
}

/** Cut points for one feature from its sorted values. */
export function featureThresholds(sorted: Float32Array, maxBins: number): Float32Array {
  const n = sorted.length;
  const cuts: number[] = [];
  const distinct: number[] = [];
  for (let i = 0; i < n && distinct.length <= maxBins; i = upperBound(sorted, sorted[i], i)) distinct.push(sorted[i]);
  if (distinct.length <= maxBins) {
    // Few distinct values: one bin each.
    for (let k = 1; k < distinct.length; k++) cuts.push(thresholdBetween(distinct[k - 1], distinct[k]));
    return Float32Array.from(cuts);
  }
  let lastLower = -Infinity;
  let hasCut = false;
  for (let q = 1; q < maxBins; q++) {
    // Cut after the value at rank floor(q * n / maxBins) - 1 and before the next distinct value.
    const r = Math.floor((q * n) / maxBins);
    if (r < 1) continue;
    const a = sorted[r - 1];
    if (hasCut && a <= lastLower) continue;
    const next = upperBound(sorted, a, r - 1);
    if (next >= n) break;
    cuts.push(thresholdBetween(a, sorted[next]));
    lastLower = a;
    hasCut = true;
  }
  return Float32Array.from(cuts);
}

/** Bin index of x: the number of thresholds strictly below x. */
export function binOf(thresholds: Float32Array, x: number): number {
  let lo = 0;
  let hi = thresholds.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (x <= thresholds[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

export function binFeatures(X: Float32Array, nRows: number, nFeatures: number, maxBins: number): BinnedFeatures {
  const thresholds: Float32Array[] = [];
  const binCount = new Int32Array(nFeatures);
  const bins = new Uint8Array(nRows * nFeatures);
  const column = new Float32Array(nRows);
  for (let f = 0; f < nFeatures; f++) {
    for (let i = 0; i < nRows; i++) column[i] = X[i * nFeatures + f];
    const sorted = column.slice().sort();
    const t = featureThresholds(sorted, maxBins);
    thresholds.push(t);
    binCount[f] = t.length + 1;
    for (let i = 0; i < nRows; i++) bins[i * nFeatures + f] = binOf(t, column[i]);
  }
  return { bins, thresholds, binCount };
}
