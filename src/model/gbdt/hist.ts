/**
 * Gradient/hessian histograms for the tree grower (tree.ts): per
 * feature and bin, the sums over a node's rows, interleaved (gradient at 2k,
 * hessian at 2k + 1). Rows are added in the order given, so a bin's sum is
 * the same floating-point value however the work is arranged.
 *
 * Every loop over rows or bins sits in a function of its own, with nothing
 * after it: V8 compiles a long first loop on its own (OSR) before any code
 * after it has run, and code compiled without feedback for that later code
 * deoptimises on every call.
 */

/** Reusable histogram buffers (kept across trees to spare the garbage collector). */
export class HistPool {
  private free: Float64Array[] = [];
  constructor(private readonly size: number) {}
  take(): Float64Array {
    const h = this.free.pop();
    if (h === undefined) return new Float64Array(this.size);
    h.fill(0);
    return h;
  }
  give(h: Float64Array): void {
    this.free.push(h);
  }
}

/** Row data the histograms are built from. */
export interface HistRows {
  /** Row-major histogram slot of each value: slotIndex[r * nFeatures + f] = 2 * (f * stride + bin) (gradient there, hessian next). */
  slotIndex: Uint16Array | Uint32Array;
  nFeatures: number;
  /** Per row: gradient at 2r, hessian at 2r + 1 (adjacent, so one cache line serves both). */
  gradHess: Float64Array;
}

/** Add the gradients and hessians of rows[start, end) to hist, for the given features; each bin gets its rows in order. */
export function buildHist(data: HistRows, rows: Uint32Array, start: number, end: number, features: Int32Array, hist: Float64Array): void {
  if (features.length === data.nFeatures) buildHistAllFeatures(data.slotIndex, data.nFeatures, data.gradHess, rows, start, end, hist);
  else buildHistSomeFeatures(data.slotIndex, data.nFeatures, data.gradHess, rows, start, end, features, hist);
}

/** parent -= small over the bins of the given features: the larger sibling's histogram, in place. */
export function subtractHist(parent: Float64Array, small: Float64Array, features: Int32Array, stride: number, binCount: Int32Array): void {
  for (let j = 0; j < features.length; j++) {
    const from = features[j] * stride * 2;
    subtract(parent, small, from, from + binCount[features[j]] * 2);
  }
}

function subtract(a: Float64Array, b: Float64Array, from: number, to: number): void {
  for (let k = from; k < to; k++) a[k] -= b[k];
}

function buildHistAllFeatures(
  slotIndex: Uint16Array | Uint32Array,
  nFeatures: number,
  gradHess: Float64Array,
  rows: Uint32Array,
  start: number,
  end: number,
  hist: Float64Array
): void {
  // Four rows at a time (more independent additions in flight); each bin still receives its rows in order.
  // The rows beyond a multiple of four go first: nothing may follow the hot loop.
  let i = start;
  while ((end - i) & 3) addRowToHist(slotIndex, nFeatures, gradHess, rows[i++], hist);
  for (; i < end; i += 4) {
    const r1 = rows[i];
    const r2 = rows[i + 1];
    const r3 = rows[i + 2];
    const r4 = rows[i + 3];
    const g1 = gradHess[2 * r1];
    const h1 = gradHess[2 * r1 + 1];
    const g2 = gradHess[2 * r2];
    const h2 = gradHess[2 * r2 + 1];
    const g3 = gradHess[2 * r3];
    const h3 = gradHess[2 * r3 + 1];
    const g4 = gradHess[2 * r4];
    const h4 = gradHess[2 * r4 + 1];
    const base1 = r1 * nFeatures;
    const base2 = r2 * nFeatures;
    const base3 = r3 * nFeatures;
    const base4 = r4 * nFeatures;
    for (let f = 0; f < nFeatures; f++) {
      const k1 = slotIndex[base1 + f];
      hist[k1] += g1;
      hist[k1 + 1] += h1;
      const k2 = slotIndex[base2 + f];
      hist[k2] += g2;
      hist[k2 + 1] += h2;
      const k3 = slotIndex[base3 + f];
      hist[k3] += g3;
      hist[k3 + 1] += h3;
      const k4 = slotIndex[base4 + f];
      hist[k4] += g4;
      hist[k4 + 1] += h4;
    }
  }
}

/** One row into the histogram (called before the hot loop, see the header). */
function addRowToHist(
  slotIndex: Uint16Array | Uint32Array,
  nFeatures: number,
  gradHess: Float64Array,
  r: number,
  hist: Float64Array
): void {
  const base = r * nFeatures;
  for (let f = 0; f < nFeatures; f++) {
    const k = slotIndex[base + f];
    hist[k] += gradHess[2 * r];
    hist[k + 1] += gradHess[2 * r + 1];
  }
}

function buildHistSomeFeatures(
  slotIndex: Uint16Array | Uint32Array,
  nFeatures: number,
  gradHess: Float64Array,
  rows: Uint32Array,
  start: number,
  end: number,
  features: Int32Array,
  hist: Float64Array
): void {
  const nSel = features.length;
  let i = start;
  while ((end - i) & 3) addRowToHistSome(slotIndex, nFeatures, gradHess, rows[i++], features, hist);
  for (; i < end; i += 4) {
    const r1 = rows[i];
    const r2 = rows[i + 1];
    const r3 = rows[i + 2];
    const r4 = rows[i + 3];
    const g1 = gradHess[2 * r1];
    const h1 = gradHess[2 * r1 + 1];
    const g2 = gradHess[2 * r2];
    const h2 = gradHess[2 * r2 + 1];
    const g3 = gradHess[2 * r3];
    const h3 = gradHess[2 * r3 + 1];
    const g4 = gradHess[2 * r4];
    const h4 = gradHess[2 * r4 + 1];
    const base1 = r1 * nFeatures;
    const base2 = r2 * nFeatures;
    const base3 = r3 * nFeatures;
    const base4 = r4 * nFeatures;
    for (let j = 0; j < nSel; j++) {
      const f = features[j];
      const k1 = slotIndex[base1 + f];
      hist[k1] += g1;
      hist[k1 + 1] += h1;
      const k2 = slotIndex[base2 + f];
      hist[k2] += g2;
      hist[k2 + 1] += h2;
      const k3 = slotIndex[base3 + f];
      hist[k3] += g3;
      hist[k3 + 1] += h3;
      const k4 = slotIndex[base4 + f];
      hist[k4] += g4;
      hist[k4 + 1] += h4;
    }
  }
}

function addRowToHistSome(
  slotIndex: Uint16Array | Uint32Array,
  nFeatures: number,
  gradHess: Float64Array,
  r: number,
  features: Int32Array,
  hist: Float64Array
): void {
  const base = r * nFeatures;
  for (let j = 0; j < features.length; j++) {
    const k = slotIndex[base + features[j]];
    hist[k] += gradHess[2 * r];
    hist[k + 1] += gradHess[2 * r + 1];
  }
}
