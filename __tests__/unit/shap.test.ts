import { ModelError } from '../../src/core/errors.js';
import type { PatchTable } from '../../src/core/read.js';
import { FIRMWARE_SCHEMA } from '../../src/core/schema.js';
import { predictMargins, type Tree, type TreeEnsemble } from '../../src/model/gbdt/ensemble.js';
import { trainGbdt } from '../../src/model/gbdt/boost.js';
import { generateFirmwarePatches } from '../../src/model/data/generate.js';
import { createRandom } from '../../src/model/gbdt/random.js';
import { coverRatio } from '../../src/model/explain/shap-path.js';
import { thresholdRanks } from '../../src/model/explain/shap-ranks.js';
import { buildSubtreeTables } from '../../src/model/explain/shap-subtree.js';
import {
  explainRows,
  expectedMargin,
  formatContribution,
  formatFeatureValue,
  meanAbsShap,
  shapValues,
  topReasons,
  treeDepth,
  type ShapAlgorithm
} from '../../src/model/explain/shap.js';

type Spec = { v: number; c: number } | { f: number; t: number; c: number; l: Spec; r: Spec };

/** Build a Tree from nested node literals (preorder numbering). */
function buildTree(root: Spec): Tree {
  const nodes: Spec[] = [];
  const index = new Map<Spec, number>();
  const visit = (s: Spec): void => {
    index.set(s, nodes.length);
    nodes.push(s);
    if ('f' in s) {
      visit(s.l);
      visit(s.r);
    }
  };
  visit(root);
  const n = nodes.length;
  const tree: Tree = {
    feature: new Int32Array(n),
    threshold: new Float32Array(n),
    left: new Int32Array(n),
    right: new Int32Array(n),
    value: new Float64Array(n),
    cover: new Float64Array(n)
  };
  nodes.forEach((s, i) => {
    tree.cover[i] = s.c;
    if ('f' in s) {
      tree.feature[i] = s.f;
      tree.threshold[i] = s.t;
      tree.left[i] = index.get(s.l) as number;
      tree.right[i] = index.get(s.r) as number;
    } else {
      tree.feature[i] = -1;
      tree.left[i] = -1;
      tree.right[i] = -1;
      tree.value[i] = s.v;
    }
  });
  return tree;
}

/** A random tree of the given depth over nFeatures features (features repeat on paths), covers summing up or not. */
function randomTree(seed: number, depth: number, nFeatures: number, consistentCover: boolean): Tree {
  const random = createRandom(seed);
  const grow = (d: number, cover: number): Spec => {
    if (d === depth || (d > 0 && random.next() < 0.15)) return { v: Math.round(random.normal(0, 1) * 1000) / 1000, c: cover };
    const share = 0.1 + 0.8 * random.next();
    const leftCover = consistentCover ? cover * share : 1 + 50 * random.next();
    const rightCover = consistentCover ? cover - leftCover : 1 + 50 * random.next();
    return {
      f: Math.floor(random.next() * nFeatures),
      t: Math.round(random.next() * 10),
      c: cover,
      l: grow(d + 1, leftCover),
      r: grow(d + 1, rightCover)
    };
  };
  return buildTree(grow(0, 100));
}

/** E[f(x) | x_S] under path-dependent integration: splits on absent features average the children by cover. */
function conditional(tree: Tree, x: Float32Array, present: number, node = 0): number {
  const f = tree.feature[node];
  if (f < 0) return tree.value[node];
  if ((present >> f) & 1) return conditional(tree, x, present, x[f] <= tree.threshold[node] ? tree.left[node] : tree.right[node]);
  return (
    coverRatio(tree.cover[tree.left[node]], tree.cover[node]) * conditional(tree, x, present, tree.left[node]) +
    coverRatio(tree.cover[tree.right[node]], tree.cover[node]) * conditional(tree, x, present, tree.right[node])
  );
}

function factorial(n: number): number {
  return n <= 1 ? 1 : n * factorial(n - 1);
}

/** Shapley values by enumerating every coalition. */
function bruteForceShap(ensemble: TreeEnsemble, x: Float32Array): Float64Array {
  const m = ensemble.nFeatures;
  const game = (present: number): number => ensemble.trees.reduce((sum, tree) => sum + conditional(tree, x, present), ensemble.baseScore);
  const phi = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    for (let s = 0; s < 1 << m; s++) {
      if ((s >> i) & 1) continue;
      let size = 0;
      for (let j = 0; j < m; j++) size += (s >> j) & 1;
      const weight = (factorial(size) * factorial(m - size - 1)) / factorial(m);
      phi[i] += weight * (game(s | (1 << i)) - game(s));
    }
  }
  return phi;
}

function randomRows(seed: number, nRows: number, nFeatures: number): Float32Array {
  const random = createRandom(seed);
  return Float32Array.from({ length: nRows * nFeatures }, () => Math.floor(random.next() * 12) - 0.5);
}

const ALGORITHMS: ShapAlgorithm[] = ['recursive', 'tables', 'auto'];

describe('TreeSHAP on small hand-built trees', () => {
  // Depth 3 over 3 features; feature 0 is split twice on the left-most path.
  const handTree = buildTree({
    f: 0,
    t: 5,
    c: 100,
    l: { f: 1, t: 2, c: 60, l: { f: 0, t: 1, c: 25, l: { v: -1.5, c: 10 }, r: { v: 0.5, c: 15 } }, r: { v: 2, c: 35 } },
    r: { f: 2, t: 7, c: 40, l: { v: 1, c: 30 }, r: { f: 1, t: 0, c: 10, l: { v: -3, c: 4 }, r: { v: 4, c: 6 } } }
  });
  const hand: TreeEnsemble = { nFeatures: 3, baseScore: 0.25, trees: [handTree] };

  it.each(ALGORITHMS)('equal brute-force Shapley values on a hand-built depth-3 tree (%s)', (algorithm) => {
    const X = randomRows(7, 40, 3);
    const { values, expected } = shapValues(hand, X, 40, algorithm);
    expect(expected).toBeCloseTo(0.25 + conditional(handTree, X.subarray(0, 3), 0), 12);
    for (let r = 0; r < 40; r++) {
      const exact = bruteForceShap(hand, X.subarray(r * 3, r * 3 + 3));
      for (let f = 0; f < 3; f++) expect(values[r * 3 + f]).toBeCloseTo(exact[f], 10);
    }
  });

  it('attribute the split on feature 0 to feature 0 only for a single-split stump', () => {
    const stump: TreeEnsemble = {
      nFeatures: 2,
      baseScore: 0,
      trees: [buildTree({ f: 0, t: 0, c: 4, l: { v: -1, c: 3 }, r: { v: 3, c: 1 } })]
    };
    const { values, expected } = shapValues(stump, Float32Array.from([1, 0]), 1);
    // E = 3/4 * -1 + 1/4 * 3 = 0; the row goes right (value 3), all of it due to feature 0.
    expect(expected).toBeCloseTo(0, 12);
    expect(Array.from(values)).toEqual([3, 0]);
  });

  it.each([
    [true, 11],
    [false, 12],
    [true, 13],
    [false, 14]
  ])('equal brute force on random depth 2-3 ensembles over 4 features (covers consistent: %s, seed %d)', (consistent, seed) => {
    const ensemble: TreeEnsemble = {
      nFeatures: 4,
      baseScore: -0.5,
      trees: [randomTree(seed, 3, 4, consistent), randomTree(seed + 100, 2, 4, consistent), randomTree(seed + 200, 3, 4, consistent)]
    };
    const X = randomRows(seed, 25, 4);
    const margins = predictMargins(ensemble, X, 25);
    for (const algorithm of ALGORITHMS) {
      const { values, expected } = shapValues(ensemble, X, 25, algorithm);
      for (let r = 0; r < 25; r++) {
        const exact = bruteForceShap(ensemble, X.subarray(r * 4, r * 4 + 4));
        let sum = expected;
        for (let f = 0; f < 4; f++) {
          expect(values[r * 4 + f]).toBeCloseTo(exact[f], 10);
          sum += values[r * 4 + f];
        }
        expect(sum).toBeCloseTo(margins[r], 10);
      }
    }
  });

  it('handles a child with zero training cover', () => {
    const tree = buildTree({ f: 0, t: 5, c: 10, l: { f: 1, t: 5, c: 10, l: { v: 1, c: 10 }, r: { v: 9, c: 0 } }, r: { v: -2, c: 0 } });
    const ensemble: TreeEnsemble = { nFeatures: 2, baseScore: 0, trees: [tree] };
    const X = Float32Array.from([0, 9, 9, 0, 0, 0, 9, 9]);
    for (const algorithm of ALGORITHMS) {
      const { values, expected } = shapValues(ensemble, X, 4, algorithm);
      expect(expected).toBeCloseTo(1, 12);
      for (let r = 0; r < 4; r++) {
        const exact = bruteForceShap(ensemble, X.subarray(r * 2, r * 2 + 2));
        expect(values[r * 2]).toBeCloseTo(exact[0], 12);
        expect(values[r * 2 + 1]).toBeCloseTo(exact[1], 12);
      }
    }
  });

  it('refuses a tree without usable cover, naming the node', () => {
    const tree = buildTree({ f: 0, t: 5, c: 10, l: { v: 1, c: Number.NaN }, r: { v: 2, c: 5 } });
    expect(() => shapValues({ nFeatures: 1, baseScore: 0, trees: [tree] }, Float32Array.from([1]), 1)).toThrow(ModelError);
    expect(() => shapValues({ nFeatures: 1, baseScore: 0, trees: [tree] }, Float32Array.from([1]), 1)).toThrow(/tree 0, node 1: cover/);
  });
});

describe('TreeSHAP tables on larger trees and unusual values', () => {
  /** max |a - b| over two arrays. */
  const maxDiff = (a: Float64Array, b: Float64Array): number => a.reduce((worst, v, k) => Math.max(worst, Math.abs(v - b[k])), 0);

  it('agree with the recursion on depth-9 trees cut into several subtrees (repeated features, early leaves, shared thresholds)', () => {
    const ensemble: TreeEnsemble = {
      nFeatures: 5,
      baseScore: 0.1,
      trees: [randomTree(21, 9, 5, true), randomTree(22, 8, 3, true), randomTree(23, 9, 5, false), randomTree(24, 1, 5, true)]
    };
    const ranks = thresholdRanks(ensemble.trees, 5);
    const subtreeCounts = ensemble.trees.map((tree) => buildSubtreeTables(tree, ranks).featureStart.length - 1);
    expect(subtreeCounts[0]).toBeGreaterThan(4);
    expect(subtreeCounts[3]).toBe(1);
    const X = randomRows(25, 300, 5);
    const margins = predictMargins(ensemble, X, 300);
    const recursive = shapValues(ensemble, X, 300, 'recursive');
    const tables = shapValues(ensemble, X, 300, 'tables');
    expect(maxDiff(tables.values, recursive.values)).toBeLessThan(1e-9);
    // Exact up to rounding: relative to the size of the terms summed (one tree has inconsistent covers, so values reach ~100).
    for (let r = 0; r < 300; r++) {
      let sum = tables.expected;
      let size = Math.abs(tables.expected) + Math.abs(margins[r]);
      for (let f = 0; f < 5; f++) {
        sum += tables.values[r * 5 + f];
        size += Math.abs(tables.values[r * 5 + f]);
      }
      expect(Math.abs(sum - margins[r])).toBeLessThan(1e-12 * size);
    }
  });

  it('send NaN right and treat -0 as 0, values on a threshold go left, as the tree walk does', () => {
    const tree = buildTree({
      f: 0,
      t: -0,
      c: 100,
      l: { f: 1, t: 0, c: 60, l: { v: -1, c: 20 }, r: { f: 0, t: -3, c: 40, l: { v: 2, c: 10 }, r: { v: 0.5, c: 30 } } },
      r: { f: 1, t: 2.5, c: 40, l: { v: 3, c: 25 }, r: { f: 0, t: 0, c: 15, l: { v: -4, c: 5 }, r: { v: 1, c: 10 } } }
    });
    const ensemble: TreeEnsemble = { nFeatures: 2, baseScore: 0, trees: [tree] };
    const cells = [-0, 0, -3, 2.5, NaN, Infinity, -Infinity, 1e-30, -1e-30];
    const X = Float32Array.from(cells.flatMap((a) => cells.flatMap((b) => [a, b])));
    const nRows = cells.length * cells.length;
    const margins = predictMargins(ensemble, X, nRows);
    for (const algorithm of ALGORITHMS) {
      const { values, expected } = shapValues(ensemble, X, nRows, algorithm);
      for (let r = 0; r < nRows; r++) {
        const exact = bruteForceShap(ensemble, X.subarray(r * 2, r * 2 + 2));
        expect(values[r * 2]).toBeCloseTo(exact[0], 12);
        expect(values[r * 2 + 1]).toBeCloseTo(exact[1], 12);
        expect(expected + values[r * 2] + values[r * 2 + 1]).toBeCloseTo(margins[r], 12);
      }
    }
  });

  it("keep an ensemble's tables between calls: other rows, fewer rows and another ensemble are explained right", () => {
    const ensemble: TreeEnsemble = { nFeatures: 4, baseScore: 0, trees: [randomTree(31, 6, 4, true), randomTree(32, 6, 4, true)] };
    const other: TreeEnsemble = { nFeatures: 4, baseScore: 0, trees: [randomTree(33, 6, 4, true)] };
    for (const [e, seed, nRows] of [
      [ensemble, 41, 2000],
      [ensemble, 42, 7],
      [other, 43, 2000],
      [ensemble, 44, 2000]
    ] as const) {
      const X = randomRows(seed, nRows, 4);
      const auto = shapValues(e, X, nRows);
      const recursive = shapValues(e, X, nRows, 'recursive');
      expect(maxDiff(auto.values, recursive.values)).toBeLessThan(1e-9);
    }
  });
});

describe('TreeSHAP on a trained firmware model', () => {
  const names = FIRMWARE_SCHEMA.features.map((f) => f.name);
  const patches = generateFirmwarePatches(3000, 5);
  const nf = names.length;
  const X = new Float32Array(patches.length * nf);
  patches.forEach((p, r) => names.forEach((name, f) => (X[r * nf + f] = p[name as keyof typeof p] as number)));
  const y = Uint8Array.from(patches, (p) => p.high_risk_flag);
  const { ensemble } = trainGbdt(
    { X, y, nRows: patches.length, nFeatures: nf },
    { nTrees: 60, maxDepth: 6, earlyStoppingRounds: 0, subsample: 0.8 }
  );
  const margins = predictMargins(ensemble, X, patches.length);

  it('has depth-6 trees that split a feature twice on one path (so the unwinding is exercised)', () => {
    const repeats = (tree: Tree, node: number, seen: number[]): boolean => {
      const f = tree.feature[node];
      if (f < 0) return false;
      if (seen.includes(f)) return true;
      return repeats(tree, tree.left[node], [...seen, f]) || repeats(tree, tree.right[node], [...seen, f]);
    };
    expect(ensemble.trees.length).toBe(60);
    expect(Math.max(...ensemble.trees.map((t) => treeDepth(t)))).toBe(6);
    expect(ensemble.trees.filter((t) => repeats(t, 0, [])).length).toBeGreaterThan(30);
  });

  it.each(ALGORITHMS)('SHAP values + expected value equal the margin of every row to 1e-12 (%s)', (algorithm) => {
    const { values, expected } = shapValues(ensemble, X, patches.length, algorithm);
    expect(expected).toBeCloseTo(expectedMargin(ensemble), 12);
    let worst = 0;
    for (let r = 0; r < patches.length; r++) {
      let sum = expected;
      for (let f = 0; f < nf; f++) sum += values[r * nf + f];
      worst = Math.max(worst, Math.abs(sum - margins[r]));
    }
    expect(worst).toBeLessThan(1e-12);
  });

  it('gives the same values with the recursion and the leaf tables', () => {
    const a = shapValues(ensemble, X, 500, 'recursive').values;
    const b = shapValues(ensemble, X, 500, 'tables').values;
    for (let k = 0; k < a.length; k++) expect(Math.abs(a[k] - b[k])).toBeLessThan(1e-9);
  });

  it('ranks lines_changed and code churn among the most important features (they drive the generated label)', () => {
    const { values } = shapValues(ensemble, X, patches.length);
    const importance = meanAbsShap(values, patches.length, nf);
    const ranked = Array.from(importance.keys())
      .sort((a, b) => importance[b] - importance[a])
      .map((f) => names[f]);
    expect(ranked.slice(0, 3)).toEqual(expect.arrayContaining(['code_churn_score']));
    expect(ranked.indexOf('lines_changed')).toBeLessThan(4);
  });
});

describe('reasons', () => {
  it('formats values with thousands separators, decimals and yes/no', () => {
    expect(formatFeatureValue(48000)).toBe('48,000');
    expect(formatFeatureValue(Math.fround(12.3))).toBe('12.3');
    expect(formatFeatureValue(Math.fround(0.034))).toBe('0.034');
    expect(formatFeatureValue(1, 'boolean')).toBe('yes');
    expect(formatFeatureValue(0, 'boolean')).toBe('no');
    expect(formatContribution(1.94)).toBe('+1.9');
    expect(formatContribution(-0.347)).toBe('-0.35');
  });

  it('picks the k largest |contributions| of the row, in order, with text', () => {
    const features = [{ name: 'lines_changed', type: 'integer' as const }, { name: 'is_hotfix', type: 'boolean' as const }, 'churn', 'age'];
    const values = Float64Array.from([0, 0, 0, 0, 1.94, -2.5, 0.3, 0]);
    const raw = Float32Array.from([1, 0, 0, 0, 48000, 1, 0.5, 700]);
    const reasons = topReasons(values, 1, features, raw, 3);
    expect(reasons.map((r) => r.text)).toEqual(['is_hotfix = yes (-2.5)', 'lines_changed = 48,000 (+1.9)', 'churn = 0.5 (+0.30)']);
    expect(reasons[1]).toMatchObject({ feature: 'lines_changed', value: 48000, contribution: 1.94 });
    expect(topReasons(values, 1, features, raw, 2)).toHaveLength(2);
    // A feature that contributed nothing is not a reason.
    expect(topReasons(values, 1, features, raw, 4)).toHaveLength(3);
  });

  it('explains every row of a table and refuses a table of another width', () => {
    const tree = buildTree({ f: 1, t: 100, c: 10, l: { v: -1, c: 8 }, r: { v: 2, c: 2 } });
    const ensemble: TreeEnsemble = { nFeatures: 2, baseScore: 0, trees: [tree] };
    const table = {
      ids: ['a', 'b'],
      featureNames: ['is_hotfix', 'lines_changed'],
      features: Float32Array.from([1, 48000, 0, 10])
    } as PatchTable;
    const reasons = explainRows(ensemble, table, {
      features: [
        { name: 'is_hotfix', type: 'boolean' },
        { name: 'lines_changed', type: 'integer' }
      ]
    });
    expect(reasons.map((row) => row.map((r) => r.text))).toEqual([['lines_changed = 48,000 (+2.4)'], ['lines_changed = 10 (-0.60)']]);
    expect(() => explainRows({ ...ensemble, nFeatures: 3 }, table)).toThrow(ModelError);
  });
});
