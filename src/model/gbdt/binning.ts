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
  const sorter = createSorter(nRows);
  const sorted = new Float32Array(nRows);
  for (let f = 0; f < nFeatures; f++) {
    copyColumn(X, nRows, nFeatures, f, column);
    const order = sortedOrder(column, sorter);
    gather(column, order, sorted);
    const t = featureThresholds(sorted, maxBins);
    thresholds.push(t);
    binCount[f] = t.length + 1;
    assignBins(sorted, order, t, bins, nFeatures, f);
  }
  return { bins, thresholds, binCount };
}

function copyColumn(X: Float32Array, nRows: number, nFeatures: number, f: number, column: Float32Array): void {
  for (let i = 0; i < nRows; i++) column[i] = X[i * nFeatures + f];
}

function gather(values: Float32Array, order: Uint32Array, out: Float32Array): void {
  for (let i = 0; i < order.length; i++) out[i] = values[order[i]];
}

/** bins[row * nFeatures + f] = binOf(t, value) for the values in ascending order (one sweep instead of a search per value). */
function assignBins(sorted: Float32Array, order: Uint32Array, t: Float32Array, bins: Uint8Array, nFeatures: number, f: number): void {
  let b = 0;
  for (let i = 0; i < sorted.length; i++) {
    while (b < t.length && sorted[i] > t[b]) b++;
    bins[order[i] * nFeatures + f] = b;
  }
}

interface Sorter {
  keys: Uint32Array;
  order: Uint32Array;
  nextKeys: Uint32Array;
  nextOrder: Uint32Array;
  counts: Int32Array;
}

function createSorter(n: number): Sorter {
  return {
    keys: new Uint32Array(n),
    order: new Uint32Array(n),
    nextKeys: new Uint32Array(n),
    nextOrder: new Uint32Array(n),
    counts: new Int32Array(256)
  };
}

/**
 * The rows of a column (no NaN) in ascending order of value: an LSD radix sort, a byte at a time, of
 * the float32 bits turned into unsigned keys of the same order (negative: all bits flipped; else the
 * sign bit set). Stable; -0 comes before 0, which are equal values. A typed-array sort of the values
 * took most of the binning time and gave no row order.
 */
function sortedOrder(column: Float32Array, s: Sorter): Uint32Array {
  const bits = new Uint32Array(column.buffer, column.byteOffset, column.length);
  toKeys(bits, s.keys, s.order);
  for (let shift = 0; shift < 32; shift += 8) {
    radixPass(s.keys, s.order, s.nextKeys, s.nextOrder, s.counts, shift);
    [s.keys, s.nextKeys] = [s.nextKeys, s.keys];
    [s.order, s.nextOrder] = [s.nextOrder, s.order];
  }
  return s.order;
}

function toKeys(bits: Uint32Array, keys: Uint32Array, order: Uint32Array): void {
  for (let i = 0; i < bits.length; i++) {
    const b = bits[i];
    keys[i] = (b & 0x80000000 ? ~b : b | 0x80000000) >>> 0;
    order[i] = i;
  }
}

/** One stable counting-sort pass on the byte of the keys at `shift` (each loop a function of its own, see hist.ts). */
function radixPass(
  keys: Uint32Array,
  order: Uint32Array,
  nextKeys: Uint32Array,
  nextOrder: Uint32Array,
  counts: Int32Array,
  shift: number
): void {
  countDigits(keys, counts, shift);
  startsFromCounts(counts);
  scatter(keys, order, nextKeys, nextOrder, counts, shift);
}

function countDigits(keys: Uint32Array, counts: Int32Array, shift: number): void {
  counts.fill(0);
  for (let i = 0; i < keys.length; i++) counts[(keys[i] >>> shift) & 255]++;
}

function startsFromCounts(counts: Int32Array): void {
  let total = 0;
  for (let d = 0; d < counts.length; d++) {
    const c = counts[d];
    counts[d] = total;
    total += c;
  }
}

function scatter(
  keys: Uint32Array,
  order: Uint32Array,
  nextKeys: Uint32Array,
  nextOrder: Uint32Array,
  starts: Int32Array,
  shift: number
): void {
  for (let i = 0; i < keys.length; i++) {
    const at = starts[(keys[i] >>> shift) & 255]++;
    nextKeys[at] = keys[i];
    nextOrder[at] = order[i];
  }
}
