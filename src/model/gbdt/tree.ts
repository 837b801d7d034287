/**
 * Grows one regression tree on binned features from per-row gradients and
 * hessians (second-order boosting, as xgboost's `hist`).
 *
 * Growth is leaf-wise (best-first): the leaf with the largest gain is split
 * next, bounded by maxDepth and, when maxLeaves > 0, by the leaf count. With
 * maxLeaves = 0 every splittable node down to maxDepth is split, so the tree
 * equals a depth-wise tree. Each split builds the histogram of the smaller
 * child from its rows (hist.ts) and derives the larger sibling as parent
 * minus smaller. The same data, parameters and seed give the same trees, bit
 * for bit: sums are always taken in row order, so the speed work on this file
 * and hist.ts must not change them (the shipped models are rebuilt from
 * their cards' recipes in __tests__/onnx.test.ts).
 */
import { buildHist, HistPool, subtractHist, type HistRows } from './hist.js';

export interface GrowParams {
  maxDepth: number;
  maxLeaves: number;
  lambda: number;
  minChildWeight: number;
  minSplitGain: number;
  learningRate: number;
}

export interface GrowContext extends HistRows {
  /** Feature-major bins: columnBins[f * nRows + r] (for partitioning). */
  columnBins: Uint8Array;
  nRows: number;
  /** Histogram slots per feature (max bin count over features). */
  stride: number;
  binCount: Int32Array;
  /** Buffers of nFeatures * stride * 2 doubles. */
  pool: HistPool;
}

/** A tree in bin space: inner nodes go left when bin(x[feature]) <= splitBin. */
export interface BinTree {
  feature: number[];
  splitBin: number[];
  left: number[];
  right: number[];
  value: number[];
  cover: number[];
  /** Per leaf node: its rows are rows[rowStart[node] .. rowEnd[node]) after growing. */
  rowStart: number[];
  rowEnd: number[];
}

interface Candidate {
  node: number;
  depth: number;
  start: number;
  end: number;
  g: number;
  h: number;
  hist: Float64Array | null;
  gain: number;
  feature: number;
  bin: number;
  /** Gradient and hessian sums left of the best split (from the histogram). */
  gl: number;
  hl: number;
}

// xgboost's kRtEps: a split must improve the loss by more than rounding noise.
const MIN_GAIN = 1e-6;

function findSplit(ctx: GrowContext, p: GrowParams, c: Candidate, features: Int32Array): void {
  const hist = c.hist as Float64Array;
  const { stride, binCount } = ctx;
  const { lambda, minChildWeight } = p;
  const parentScore = (c.g * c.g) / (c.h + lambda);
  // The best so far in locals (object fields written in the loop cost an allocation each).
  let bestGain = 0;
  let bestFeature = -1;
  let bestBin = 0;
  let bestGl = 0;
  let bestHl = 0;
  for (let j = 0; j < features.length; j++) {
    const f = features[j];
    const last = binCount[f] - 1;
    let gl = 0;
    let hl = 0;
    for (let b = 0, k = f * stride * 2; b < last; b++, k += 2) {
      gl += hist[k];
      hl += hist[k + 1];
      if (hl < minChildWeight) continue;
      const hr = c.h - hl;
      if (hr < minChildWeight) break;
      const gr = c.g - gl;
      const gain = 0.5 * ((gl * gl) / (hl + lambda) + (gr * gr) / (hr + lambda) - parentScore);
      if (gain > bestGain) {
        bestGain = gain;
        bestFeature = f;
        bestBin = b;
        bestGl = gl;
        bestHl = hl;
      }
    }
  }
  c.gain = bestGain;
  c.feature = bestGain <= Math.max(p.minSplitGain, MIN_GAIN) ? -1 : bestFeature;
  c.bin = bestBin;
  c.gl = bestGl;
  c.hl = bestHl;
}

/**
 * Stable in-place partition of rows[start, end): rows with bin <= splitBin first. Returns the split point.
 * Each loop is a function of its own (see hist.ts).
 */
function partition(ctx: GrowContext, rows: Uint32Array, scratch: Uint32Array, c: Candidate): number {
  const mid = splitRows(ctx.columnBins, c.feature * ctx.nRows, c.bin, rows, c.start, c.end, scratch);
  copyRows(scratch, c.end - mid, rows, mid);
  return mid;
}

/**
 * Left rows move down within rows, right rows go to scratch; returns how many rows went left plus start.
 * Branch-free (each row is written to both sides, the counters advance by the test) because the test is
 * close to a coin flip near the split and a mispredicted branch costs more than the extra store.
 */
function splitRows(
  column: Uint8Array,
  offset: number,
  bin: number,
  rows: Uint32Array,
  start: number,
  end: number,
  scratch: Uint32Array
): number {
  let nl = start;
  let nr = 0;
  for (let i = start; i < end; i++) {
    const r = rows[i];
    // -1 when the row's bin is above the split bin, else 0 (bins are 0..255, so the sign says it; int32 throughout).
    const right = (bin - column[offset + r]) >> 31;
    rows[nl] = r;
    scratch[nr] = r;
    nl += 1 + right;
    nr -= right;
  }
  return nl;
}

function copyRows(from: Uint32Array, n: number, to: Uint32Array, at: number): void {
  for (let i = 0; i < n; i++) to[at + i] = from[i];
}

/** Sum of gradHess[2 * rows[i] + which] over i < n, in row order (a loop of its own, see hist.ts). */
function sumOver(gradHess: Float64Array, rows: Uint32Array, n: number, which: number): number {
  let sum = 0;
  for (let i = 0; i < n; i++) sum += gradHess[2 * rows[i] + which];
  return sum;
}

/**
 * Grows a tree on rows[0, nRows) (reordered in place so each leaf owns a
 * contiguous range). Leaf values are -G / (H + lambda) * learningRate, rounded
 * to float32 so the exported model is exactly the trained one.
 */
export function growTree(
  ctx: GrowContext,
  p: GrowParams,
  rows: Uint32Array,
  nRows: number,
  features: Int32Array,
  scratch: Uint32Array
): BinTree {
  const pool = ctx.pool;
  const t: BinTree = { feature: [], splitBin: [], left: [], right: [], value: [], cover: [], rowStart: [], rowEnd: [] };
  const addNode = (start: number, end: number, h: number): number => {
    t.feature.push(-1);
    t.splitBin.push(0);
    t.left.push(-1);
    t.right.push(-1);
    t.value.push(0);
    t.cover.push(h);
    t.rowStart.push(start);
    t.rowEnd.push(end);
    return t.feature.length - 1;
  };
  const leafValue = (g: number, h: number): number => Math.fround((-g / (h + p.lambda)) * p.learningRate);

  const root: Candidate = {
    node: addNode(0, nRows, 0),
    depth: 0,
    start: 0,
    end: nRows,
    g: sumOver(ctx.gradHess, rows, nRows, 0),
    h: sumOver(ctx.gradHess, rows, nRows, 1),
    hist: null,
    gain: 0,
    feature: -1,
    bin: 0,
    gl: 0,
    hl: 0
  };
  t.cover[root.node] = root.h;
  const open: Candidate[] = [];
  const finished: Candidate[] = [];
  root.hist = pool.take();
  buildHist(ctx, rows, 0, nRows, features, root.hist);
  findSplit(ctx, p, root, features);
  (root.feature >= 0 ? open : finished).push(root);
  let leaves = 1;

  while (open.length > 0 && (p.maxLeaves <= 0 || leaves < p.maxLeaves)) {
    let bestIdx = 0;
    for (let i = 1; i < open.length; i++) if (open[i].gain > open[bestIdx].gain) bestIdx = i;
    const c = open[bestIdx];
    open.splice(bestIdx, 1);

    const mid = partition(ctx, rows, scratch, c);
    const childDepth = c.depth + 1;
    // Child sums come from the histogram, so cover(left) + cover(right) = cover(parent) (TreeSHAP relies on it).
    const l: Candidate = {
      node: addNode(c.start, mid, c.hl),
      depth: childDepth,
      start: c.start,
      end: mid,
      g: c.gl,
      h: c.hl,
      hist: null,
      gain: 0,
      feature: -1,
      bin: 0,
      gl: 0,
      hl: 0
    };
    const hr = c.h - c.hl;
    const r: Candidate = {
      node: addNode(mid, c.end, hr),
      depth: childDepth,
      start: mid,
      end: c.end,
      g: c.g - c.gl,
      h: hr,
      hist: null,
      gain: 0,
      feature: -1,
      bin: 0,
      gl: 0,
      hl: 0
    };
    t.feature[c.node] = c.feature;
    t.splitBin[c.node] = c.bin;
    t.left[c.node] = l.node;
    t.right[c.node] = r.node;
    leaves++;

    const parentHist = c.hist as Float64Array;
    if (childDepth < p.maxDepth) {
      const leftSmaller = mid - c.start <= c.end - mid;
      const small = leftSmaller ? l : r;
      const large = leftSmaller ? r : l;
      const smallHist = pool.take();
      small.hist = smallHist;
      buildHist(ctx, rows, small.start, small.end, features, smallHist);
      subtractHist(parentHist, smallHist, features, ctx.stride, ctx.binCount);
      large.hist = parentHist;
      for (const child of [l, r]) {
        findSplit(ctx, p, child, features);
        if (child.feature >= 0) open.push(child);
        else {
          pool.give(child.hist as Float64Array);
          child.hist = null;
          finished.push(child);
        }
      }
    } else {
      pool.give(parentHist);
      finished.push(l, r);
    }
    c.hist = null;
  }
  for (const c of open) finished.push(c);
  for (const c of finished) {
    t.value[c.node] = leafValue(c.g, c.h);
    if (c.hist) pool.give(c.hist);
  }
  return t;
}
