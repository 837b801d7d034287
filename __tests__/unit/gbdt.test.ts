import { binFeatures, binOf, featureThresholds } from '../../src/model/gbdt/binning.js';
import { predictMargins, predictProbabilities, type TreeEnsemble } from '../../src/model/gbdt/ensemble.js';
import { DEFAULT_GBDT_PARAMS, resolveGbdtParams, trainGbdt, type Dataset } from '../../src/model/gbdt/boost.js';
import { bestF1Threshold, brier, confusionAt, logLoss, prAuc, rocAuc } from '../../src/model/evaluate/metrics.js';
import { createRandom } from '../../src/model/gbdt/random.js';
import { buildHist } from '../../src/model/gbdt/hist.js';

/** XOR-like interaction: positive when x0 and x1 have the same sign; x2..x3 are noise; 5% labels flipped. */
function xorData(nRows: number, seed: number): Dataset {
  const random = createRandom(seed);
  const nFeatures = 4;
  const X = new Float32Array(nRows * nFeatures);
  const y = new Uint8Array(nRows);
  for (let i = 0; i < nRows; i++) {
    for (let f = 0; f < nFeatures; f++) X[i * nFeatures + f] = random.next() * 2 - 1;
    const same = X[i * nFeatures] * X[i * nFeatures + 1] > 0 ? 1 : 0;
    y[i] = random.next() < 0.05 ? 1 - same : same;
  }
  return { X, y, nRows, nFeatures };
}

function treesEqual(a: TreeEnsemble, b: TreeEnsemble): boolean {
  if (a.baseScore !== b.baseScore || a.trees.length !== b.trees.length) return false;
  return a.trees.every((t, k) => {
    const u = b.trees[k];
    return (
      t.feature.join() === u.feature.join() &&
      t.threshold.join() === u.threshold.join() &&
      t.value.join() === u.value.join() &&
      t.cover.join() === u.cover.join()
    );
  });
}

describe('binning', () => {
  it('puts a threshold strictly between neighbouring distinct values, so bins and float32 tests agree', () => {
    const values = Float32Array.from([0.1, 0.1, 0.2, 0.3, 0.3, 0.3, 1e-7, -5]).sort();
    const t = featureThresholds(values, 255);
    expect(t.length).toBe(4); // 5 distinct values
    const distinct = [-5, 1e-7, 0.1, 0.2, 0.3].map(Math.fround);
    for (let k = 0; k < t.length; k++) {
      expect(t[k]).toBeGreaterThanOrEqual(distinct[k]);
      expect(t[k]).toBeLessThan(distinct[k + 1]);
    }
    for (const v of values) expect(binOf(t, v)).toBe(distinct.indexOf(v));
  });

  it('keeps at most maxBins bins and matches x <= threshold on every row', () => {
    const d = xorData(3000, 5);
    const binned = binFeatures(d.X, d.nRows, d.nFeatures, 16);
    for (let f = 0; f < d.nFeatures; f++) {
      expect(binned.binCount[f]).toBeLessThanOrEqual(16);
      expect(binned.binCount[f]).toBeGreaterThan(8);
      const t = binned.thresholds[f];
      let mismatches = 0;
      for (let i = 0; i < d.nRows; i++) {
        const x = d.X[i * d.nFeatures + f];
        const b = binned.bins[i * d.nFeatures + f];
        for (let k = 0; k < t.length; k++) if (x <= t[k] !== b <= k) mismatches++;
      }
      expect(mismatches).toBe(0);
    }
  });
  it('bins every row as binOf and cuts as featureThresholds on the sorted values, for negative, signed-zero and extreme values', () => {
    const random = createRandom(17);
    const nRows = 3001;
    const special = [0, -0, -1e-40, 1e-40, -3.4e38, 3.4e38, -1, 1, -0.5, 0.5];
    const X = Float32Array.from({ length: nRows * 2 }, (_, k) =>
      k % 2 === 0 ? special[Math.floor(random.next() * special.length)] : (random.next() - 0.5) * 10 ** Math.floor(random.next() * 8 - 4)
    );
    for (const maxBins of [4, 255]) {
      const binned = binFeatures(X, nRows, 2, maxBins);
      for (let f = 0; f < 2; f++) {
        const column = Float32Array.from({ length: nRows }, (_, i) => X[i * 2 + f]);
        expect(Array.from(binned.thresholds[f])).toEqual(Array.from(featureThresholds(column.slice().sort(), maxBins)));
        let mismatches = 0;
        for (let i = 0; i < nRows; i++) if (binned.bins[i * 2 + f] !== binOf(binned.thresholds[f], column[i])) mismatches++;
        expect(mismatches).toBe(0);
      }
    }
  });
});

describe('histograms', () => {
  it('are the gradient and hessian sums of the rows in each bin, added in row order, for any range length and sampled features', () => {
    const random = createRandom(9);
    const nRows = 501;
    const nFeatures = 3;
    const stride = 7;
    const slotIndex = Uint16Array.from(
      { length: nRows * nFeatures },
      (_, k) => 2 * ((k % nFeatures) * stride + Math.floor(random.next() * stride))
    );
    const gradHess = Float64Array.from({ length: 2 * nRows }, () => random.normal(0, 1));
    const rows = Uint32Array.from({ length: nRows }, (_, i) => (i * 7) % nRows);
    for (const [start, end] of [
      [0, nRows],
      [3, 250],
      [5, 103],
      [10, 11],
      [20, 20]
    ]) {
      for (const features of [Int32Array.from([0, 1, 2]), Int32Array.from([0, 2])]) {
        const hist = new Float64Array(nFeatures * stride * 2);
        buildHist({ slotIndex, nFeatures, gradHess }, rows, start, end, features, hist);
        const expected = new Float64Array(hist.length);
        for (let i = start; i < end; i++) {
          for (const f of features) {
            const k = slotIndex[rows[i] * nFeatures + f];
            expected[k] += gradHess[2 * rows[i]];
            expected[k + 1] += gradHess[2 * rows[i] + 1];
          }
        }
        expect(Array.from(hist)).toEqual(Array.from(expected));
      }
    }
  });
});

describe('trainGbdt', () => {
  const train = xorData(4000, 1);
  const test = xorData(2000, 2);

  it('learns a nonlinear interaction well above chance', () => {
    const { ensemble, history } = trainGbdt(train, { nTrees: 100, maxDepth: 3, earlyStoppingRounds: 0 });
    expect(ensemble.trees).toHaveLength(100);
    const auc = rocAuc(predictProbabilities(ensemble, test.X, test.nRows), test.y);
    expect(auc).toBeGreaterThan(0.9);
    expect(history.train[99]).toBeLessThan(history.train[0]);
    // The base score is the log-odds of the training base rate.
    const rate = train.y.reduce((s, v) => s + v, 0) / train.nRows;
    expect(ensemble.baseScore).toBeCloseTo(Math.log(rate / (1 - rate)), 6);
  });

  it('records the training logloss after every round, as the exact logloss to 1e-12', () => {
    const { ensemble, history } = trainGbdt(train, { nTrees: 30, maxDepth: 4, earlyStoppingRounds: 0 });
    expect(history.train).toHaveLength(30);
    const margins = predictMargins(ensemble, train.X, train.nRows);
    const exact = logLoss(
      Array.from(margins, (m) => 1 / (1 + Math.exp(-m))),
      train.y
    );
    expect(Math.abs(history.train[29] - exact) / exact).toBeLessThan(1e-12);
  });

  it('records cover as hessian sums that add up from children to parent', () => {
    const { ensemble } = trainGbdt(train, { nTrees: 5, maxDepth: 4 });
    for (const tree of ensemble.trees) {
      for (let i = 0; i < tree.feature.length; i++) {
        if (tree.feature[i] < 0) continue;
        expect(tree.cover[tree.left[i]] + tree.cover[tree.right[i]]).toBeCloseTo(tree.cover[i], 9);
      }
    }
    // First tree: every row sits at the base rate, so root cover = nRows * p(1 - p).
    const p = 1 / (1 + Math.exp(-ensemble.baseScore));
    expect(ensemble.trees[0].cover[0]).toBeCloseTo(p * (1 - p) * train.nRows, 6);
  });

  it('is deterministic for a seed, and row/feature subsampling changes the trees', () => {
    const params = { nTrees: 20, subsample: 0.7, colsampleByTree: 0.5, seed: 7 };
    const a = trainGbdt(train, params);
    const b = trainGbdt(train, params);
    expect(treesEqual(a.ensemble, b.ensemble)).toBe(true);
    const otherSeed = trainGbdt(train, { ...params, seed: 8 });
    expect(treesEqual(a.ensemble, otherSeed.ensemble)).toBe(false);
    const full = trainGbdt(train, { nTrees: 20, seed: 7 });
    expect(treesEqual(a.ensemble, full.ensemble)).toBe(false);
    // With colsample 0.5 of 4 features, each tree splits on at most 2 distinct features.
    for (const tree of a.ensemble.trees) {
      expect(new Set(Array.from(tree.feature).filter((f) => f >= 0)).size).toBeLessThanOrEqual(2);
    }
  });

  it('stops early when the validation logloss stops improving and keeps the best round', () => {
    const { ensemble, bestIteration, history } = trainGbdt(train, { nTrees: 2000, learningRate: 0.5, earlyStoppingRounds: 5 }, test);
    const val = history.validation as number[];
    expect(val.length).toBeLessThan(2000);
    expect(val.length).toBe(bestIteration + 1 + 5);
    expect(ensemble.trees).toHaveLength(bestIteration + 1);
    expect(Math.min(...val)).toBe(val[bestIteration]);
    const margins = predictMargins(ensemble, test.X, test.nRows);
    const probabilities = Array.from(margins, (m) => 1 / (1 + Math.exp(-m)));
    expect(logLoss(probabilities, test.y)).toBeCloseTo(val[bestIteration], 9);
  });

  it('respects maxDepth, maxLeaves and minChildWeight', () => {
    const { ensemble } = trainGbdt(train, { nTrees: 3, maxDepth: 8, maxLeaves: 5, minChildWeight: 20 });
    for (const tree of ensemble.trees) {
      const leaves = Array.from(tree.feature).filter((f) => f < 0).length;
      expect(leaves).toBeLessThanOrEqual(5);
      for (let i = 0; i < tree.feature.length; i++) if (tree.feature[i] < 0) expect(tree.cover[i]).toBeGreaterThanOrEqual(20);
    }
    const shallow = trainGbdt(train, { nTrees: 3, maxDepth: 1 });
    for (const tree of shallow.ensemble.trees) expect(tree.feature).toHaveLength(3);
  });

  it('rejects bad parameters and data with messages naming the problem', () => {
    expect(() => resolveGbdtParams({ maxDepth: 0 })).toThrow(/maxDepth/);
    expect(() => resolveGbdtParams({ subsample: 1.5 })).toThrow(/subsample/);
    expect(() => resolveGbdtParams({ bogus: 1 } as never)).toThrow(/bogus/);
    expect(resolveGbdtParams({})).toEqual(DEFAULT_GBDT_PARAMS);
    const oneClass = { ...train, y: new Uint8Array(train.nRows) };
    expect(() => trainGbdt(oneClass, {})).toThrow(/both classes/);
    const withNaN = { ...train, X: train.X.slice() };
    withNaN.X[4 * 10 + 2] = NaN;
    expect(() => trainGbdt(withNaN, {})).toThrow(/row 10, feature 2/);
  });
});

describe('metrics', () => {
  it('rocAuc counts ties as half (average ranks)', () => {
    // Pairs (pos, neg): (0.8,0.1) win, (0.8,0.4) win, (0.4,0.1) win, (0.4,0.4) tie -> 3.5 / 4.
    expect(rocAuc([0.1, 0.4, 0.4, 0.8], [0, 0, 1, 1])).toBeCloseTo(0.875, 12);
    expect(rocAuc([0.5, 0.5, 0.5], [0, 1, 0])).toBeCloseTo(0.5, 12);
    expect(rocAuc([0.9, 0.1], [0, 1])).toBe(0);
    expect(rocAuc([0.2, 0.3], [1, 1])).toBeNaN();
  });

  it('prAuc is average precision over distinct thresholds', () => {
    // Descending: 0.8(+) -> P=1, R=.5; 0.4 tie (+,-) -> P=2/3, R=1 => AP = .5*1 + .5*2/3.
    expect(prAuc([0.1, 0.4, 0.4, 0.8], [0, 0, 1, 1])).toBeCloseTo(0.5 + 1 / 3, 12);
    // scikit-learn: average_precision_score([0,0,1,1],[0.1,0.4,0.35,0.8]) = 0.8333...
    expect(prAuc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBeCloseTo(0.8333333333, 9);
  });

  it('confusionAt predicts positive at score >= threshold', () => {
    const c = confusionAt([0.1, 0.4, 0.4, 0.8, 0.3], [0, 0, 1, 1, 1], 0.4);
    expect([c.tp, c.fp, c.tn, c.fn]).toEqual([2, 1, 1, 1]);
    expect(c.precision).toBeCloseTo(2 / 3, 12);
    expect(c.recall).toBeCloseTo(2 / 3, 12);
    expect(c.f1).toBeCloseTo(2 / 3, 12);
    expect(confusionAt([0.2], [1], 0.5)).toMatchObject({ tp: 0, fn: 1, precision: 0, f1: 0 });
  });

  it('bestF1Threshold scans every distinct score', () => {
    // Thresholds: 0.8 -> f1 2/3 (P1 R.5); 0.4 -> tp2 fp1 f1 .8; 0.1 -> tp2 fp2 f1 2/3.
    const best = bestF1Threshold([0.1, 0.4, 0.4, 0.8], [0, 0, 1, 1]);
    expect(best.threshold).toBe(0.4);
    expect(best.f1).toBeCloseTo(0.8, 12);
    expect(confusionAt([0.1, 0.4, 0.4, 0.8], [0, 0, 1, 1], best.threshold).f1).toBeCloseTo(best.f1, 12);
  });

  it('brier and logLoss match hand-computed values', () => {
    expect(brier([0.9, 0.2, 0.5], [1, 0, 1])).toBeCloseTo((0.01 + 0.04 + 0.25) / 3, 12);
    expect(logLoss([0.9, 0.2], [1, 0])).toBeCloseTo(-(Math.log(0.9) + Math.log(0.8)) / 2, 12);
    expect(Number.isFinite(logLoss([0, 1], [1, 0]))).toBe(true);
  });
});
