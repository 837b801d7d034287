/**
 * Histogram gradient-boosted trees with logistic loss (binary classification).
 *
 * - Features are binned once (src/model/binning.ts: <= maxBins quantile bins,
 *   float32 thresholds that split float32 inputs exactly as the trainer does).
 * - Each round: gradients g = p - y, hessians h = p(1 - p) at the current
 *   margins; one tree grown leaf-wise (src/model/gbdt/tree.ts) on a Bernoulli
 *   row sample and a per-tree feature sample; leaf values include the learning
 *   rate and are float32-exact.
 * - baseScore = log-odds of the training base rate.
 * - With a validation set, logloss is tracked each round and training stops
 *   after earlyStoppingRounds rounds without improvement; the ensemble keeps
 *   trees up to and including bestIteration (0-based, as xgboost).
 * - Deterministic for a given seed (createRandom: mulberry32, no Math.random).
 */
import { binFeatures } from './binning.js';
import { HistPool } from './hist.js';
import { gradientsAndLoss, meanLogLoss, meanTrainLoss } from './loss.js';
import { growTree, type BinTree, type GrowContext } from './tree.js';
import { createRandom } from './random.js';
import { treeLeafValue, type Tree, type TreeEnsemble } from './ensemble.js';

export interface Dataset {
  /** Row-major nRows x nFeatures. */
  X: Float32Array;
  /** 0/1 labels. */
  y: Uint8Array;
  nRows: number;
  nFeatures: number;
}

export interface GbdtParams {
  /** Boosting rounds (upper bound when early stopping). */
  nTrees: number;
  learningRate: number;
  /** Maximum depth (root = depth 0). */
  maxDepth: number;
  /** Maximum leaves per tree; 0 = only maxDepth limits the tree. */
  maxLeaves: number;
  /** L2 regularisation of leaf values. */
  lambda: number;
  /** Minimum sum of hessians in a child. */
  minChildWeight: number;
  /** Minimum loss reduction to split (xgboost's gamma). */
  minSplitGain: number;
  /** Share of rows sampled (Bernoulli) per tree, in (0, 1]. */
  subsample: number;
  /** Share of features sampled per tree, in (0, 1]. */
  colsampleByTree: number;
  /** With a validation set: stop after this many rounds without a better logloss and keep the best round; 0 = train all rounds, keep all trees. */
  earlyStoppingRounds: number;
  /** Bins per feature, 2..255. */
  maxBins: number;
  seed: number;
}

export const DEFAULT_GBDT_PARAMS: Readonly<GbdtParams> = Object.freeze({
  nTrees: 300,
  learningRate: 0.1,
  maxDepth: 6,
  maxLeaves: 0,
  lambda: 1,
  minChildWeight: 1,
  minSplitGain: 0,
  subsample: 1,
  colsampleByTree: 1,
  earlyStoppingRounds: 30,
  maxBins: 255,
  seed: 42
});

export interface TrainResult {
  ensemble: TreeEnsemble;
  /** 0-based round of the best validation logloss (last round without validation); trees.length = bestIteration + 1. */
  bestIteration: number;
  /** Logloss after each round trained (including rounds after the best one). */
  history: { train: number[]; validation?: number[] };
}

type Range = [min: number, max: number, integer: boolean];

const PARAM_RANGES: Record<keyof GbdtParams, Range> = {
  nTrees: [1, 100000, true],
  learningRate: [Number.MIN_VALUE, 1, false],
  maxDepth: [1, 30, true],
  maxLeaves: [0, 1 << 20, true],
  lambda: [0, Infinity, false],
  minChildWeight: [0, Infinity, false],
  minSplitGain: [0, Infinity, false],
  subsample: [Number.MIN_VALUE, 1, false],
  colsampleByTree: [Number.MIN_VALUE, 1, false],
  earlyStoppingRounds: [0, 100000, true],
  maxBins: [2, 255, true],
  seed: [0, 2 ** 32 - 1, true]
};

/** Defaults overlaid with the given params; throws RangeError naming the bad parameter. */
export function resolveGbdtParams(params: Partial<GbdtParams>): GbdtParams {
  const out: GbdtParams = { ...DEFAULT_GBDT_PARAMS };
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined) continue;
    if (!(key in PARAM_RANGES)) throw new RangeError(`unknown GBDT parameter "${key}"`);
    const [min, max, integer] = PARAM_RANGES[key as keyof GbdtParams];
    if (typeof value !== 'number' || Number.isNaN(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
      const kind = integer ? 'an integer' : 'a number';
      throw new RangeError(
        `GBDT parameter ${key} must be ${kind} in [${min === Number.MIN_VALUE ? '>0' : min}, ${max}], got ${String(value)}`
      );
    }
    out[key as keyof GbdtParams] = value;
  }
  return out;
}

function checkDataset(d: Dataset, what: string): void {
  if (!Number.isInteger(d.nRows) || d.nRows < 1 || !Number.isInteger(d.nFeatures) || d.nFeatures < 1) {
    throw new RangeError(`${what}: needs at least one row and one feature (got ${d.nRows} x ${d.nFeatures})`);
  }
  if (d.X.length !== d.nRows * d.nFeatures) {
    throw new RangeError(`${what}: X has ${d.X.length} values, expected nRows x nFeatures = ${d.nRows * d.nFeatures}`);
  }
  if (d.y.length !== d.nRows) throw new RangeError(`${what}: y has ${d.y.length} labels, expected ${d.nRows}`);
  for (let i = 0; i < d.nRows; i++) {
    if (d.y[i] > 1) throw new RangeError(`${what}: row ${i}: label must be 0 or 1, got ${d.y[i]}`);
  }
  for (let k = 0; k < d.X.length; k++) {
    if (Number.isNaN(d.X[k])) {
      throw new RangeError(`${what}: row ${Math.floor(k / d.nFeatures)}, feature ${k % d.nFeatures}: missing value (NaN)`);
    }
  }
}

function sampleFeatures(nFeatures: number, share: number, rand: () => number): Int32Array {
  const all = Int32Array.from({ length: nFeatures }, (_, i) => i);
  if (share >= 1) return all;
  const k = Math.max(1, Math.round(share * nFeatures));
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(rand() * (nFeatures - i));
    [all[i], all[j]] = [all[j], all[i]];
  }
  return all.slice(0, k).sort();
}

/** Fills rows with the sampled row indices; returns how many. */
function sampleRows(nRows: number, share: number, rand: () => number, rows: Uint32Array, inSample: Uint8Array): number {
  if (share >= 1) {
    for (let i = 0; i < nRows; i++) rows[i] = i;
    inSample.fill(1);
    return nRows;
  }
  let n = 0;
  for (let i = 0; i < nRows; i++) {
    const take = rand() < share;
    inSample[i] = take ? 1 : 0;
    if (take) rows[n++] = i;
  }
  if (n === 0) {
    const i = Math.floor(rand() * nRows);
    inSample[i] = 1;
    rows[n++] = i;
  }
  return n;
}

function toTree(bt: BinTree, thresholds: Float32Array[]): Tree {
  const n = bt.feature.length;
  const threshold = new Float32Array(n);
  for (let i = 0; i < n; i++) if (bt.feature[i] >= 0) threshold[i] = thresholds[bt.feature[i]][bt.splitBin[i]];
  return {
    feature: Int32Array.from(bt.feature),
    threshold,
    left: Int32Array.from(bt.left),
    right: Int32Array.from(bt.right),
    value: Float64Array.from(bt.value),
    cover: Float64Array.from(bt.cover)
  };
}

// The loops over rows below are functions of their own, apart from trainGbdt's loop over rounds: V8
// compiles a long-running loop on its own (OSR), and an inner loop that had not run by then
// deoptimises that code, leaving the rest of the training to the interpreter.

/** Sampled rows: each leaf of the grown tree owns a contiguous range of `rows`. */
function addLeafValues(bt: BinTree, rows: Uint32Array, margins: Float64Array): void {
  for (let node = 0; node < bt.feature.length; node++) {
    if (bt.feature[node] < 0) addToRows(rows, bt.rowStart[node], bt.rowEnd[node], bt.value[node], margins);
  }
}

function addToRows(rows: Uint32Array, start: number, end: number, value: number, margins: Float64Array): void {
  for (let i = start; i < end; i++) margins[rows[i]] += value;
}

function addTreeOutOfSample(tree: Tree, X: Float32Array, nFeatures: number, inSample: Uint8Array, margins: Float64Array): void {
  for (let i = 0; i < margins.length; i++) if (!inSample[i]) margins[i] += treeLeafValue(tree, X, i * nFeatures);
}

function addTree(tree: Tree, X: Float32Array, nFeatures: number, margins: Float64Array): void {
  for (let i = 0; i < margins.length; i++) margins[i] += treeLeafValue(tree, X, i * nFeatures);
}

export function trainGbdt(train: Dataset, params: Partial<GbdtParams>, validation?: Dataset): TrainResult {
  const p = resolveGbdtParams(params);
  checkDataset(train, 'training set');
  if (validation) {
    checkDataset(validation, 'validation set');
    if (validation.nFeatures !== train.nFeatures) {
      throw new RangeError(`validation set has ${validation.nFeatures} features, training set ${train.nFeatures}`);
    }
  }
  const { nRows, nFeatures, y } = train;
  let positives = 0;
  for (let i = 0; i < nRows; i++) positives += y[i];
  if (positives === 0 || positives === nRows) {
    throw new RangeError(`training set: labels are all ${positives === 0 ? 0 : 1}; both classes are needed`);
  }
  const rate = positives / nRows;
  const baseScore = Math.fround(Math.log(rate / (1 - rate)));

  const binned = binFeatures(train.X, nRows, nFeatures, p.maxBins);
  let stride = 1;
  for (let f = 0; f < nFeatures; f++) stride = Math.max(stride, binned.binCount[f]);
  const slotIndex = 2 * nFeatures * stride <= 65536 ? new Uint16Array(nRows * nFeatures) : new Uint32Array(nRows * nFeatures);
  const columnBins = new Uint8Array(nRows * nFeatures);
  for (let k = 0; k < slotIndex.length; k++) {
    const f = k % nFeatures;
    slotIndex[k] = 2 * (f * stride + binned.bins[k]);
    columnBins[f * nRows + (k - f) / nFeatures] = binned.bins[k];
  }

  const gradHess = new Float64Array(2 * nRows);
  const ctx: GrowContext = {
    slotIndex,
    columnBins,
    nRows,
    nFeatures,
    stride,
    binCount: binned.binCount,
    gradHess,
    pool: new HistPool(nFeatures * stride * 2)
  };
  const margins = new Float64Array(nRows).fill(baseScore);
  const valMargins = validation ? new Float64Array(validation.nRows).fill(baseScore) : null;
  const rows = new Uint32Array(nRows);
  const scratch = new Uint32Array(nRows);
  const inSample = new Uint8Array(nRows);
  const random = createRandom(p.seed);
  const rand = (): number => random.next();

  const trees: Tree[] = [];
  const history: TrainResult['history'] = validation ? { train: [], validation: [] } : { train: [] };
  let best = Infinity;
  let bestIteration = 0;

  for (let round = 0; round < p.nTrees; round++) {
    const lossBefore = gradientsAndLoss(margins, y, gradHess);
    if (round > 0) history.train.push(lossBefore);
    const features = sampleFeatures(nFeatures, p.colsampleByTree, rand);
    const nSampled = sampleRows(nRows, p.subsample, rand, rows, inSample);
    const bt = growTree(ctx, p, rows, nSampled, features, scratch);
    const tree = toTree(bt, binned.thresholds);
    trees.push(tree);

    addLeafValues(bt, rows, margins);
    if (nSampled < nRows) addTreeOutOfSample(tree, train.X, nFeatures, inSample, margins);

    if (validation && valMargins && history.validation) {
      addTree(tree, validation.X, nFeatures, valMargins);
      const loss = meanLogLoss(valMargins, validation.y);
      history.validation.push(loss);
      if (p.earlyStoppingRounds === 0) {
        bestIteration = round;
      } else if (loss < best) {
        best = loss;
        bestIteration = round;
      } else if (round - bestIteration >= p.earlyStoppingRounds) {
        break;
      }
    } else {
      bestIteration = round;
    }
  }
  history.train.push(meanTrainLoss(margins, y));
  return { ensemble: { nFeatures, baseScore, trees: trees.slice(0, bestIteration + 1) }, bestIteration, history };
}
