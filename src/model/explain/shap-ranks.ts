/**
 * Split thresholds as ranks, so rows and splits compare as small integers
 * (for the subtree tables of shap-subtree.ts): every feature's distinct
 * thresholds over the ensemble sorted ascending, a row's value as the count
 * of thresholds it does not satisfy (x <= t fails), and a split's threshold
 * as its position. Then x <= threshold exactly when rank(x) <= rank(threshold),
 * also for -0 and NaN (NaN satisfies no threshold and goes right, as in the
 * tree walk).
 */
import type { Tree } from '../gbdt/ensemble.js';

export interface ThresholdRanks {
  /** Per feature: its distinct thresholds, ascending. */
  thresholds: Float64Array[];
}

export function thresholdRanks(trees: readonly Tree[], nf: number): ThresholdRanks {
  const sets: Set<number>[] = Array.from({ length: nf }, () => new Set<number>());
  for (const tree of trees) {
    // + 0 makes -0 and 0 one threshold (x <= -0 and x <= 0 agree for every x).
    for (let node = 0; node < tree.feature.length; node++)
      if (tree.feature[node] >= 0) sets[tree.feature[node]].add(tree.threshold[node] + 0);
  }
  return { thresholds: sets.map((set) => Float64Array.from(set).sort()) };
}

/** How many of the ascending thresholds x does not satisfy (x <= t is false for the first ones only). */
export function rankOf(thresholds: Float64Array, x: number): number {
  let lo = 0;
  let hi = thresholds.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (x <= thresholds[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** The rank of a split's threshold among its feature's. */
export function splitRank(ranks: ThresholdRanks, tree: Tree, node: number): number {
  return rankOf(ranks.thresholds[tree.feature[node]], tree.threshold[node]);
}

/** Ranks of nRows rows of X (row-major, nf columns), column-major: out[f * nRows + r]. */
export function rankColumns(ranks: ThresholdRanks, X: Float32Array, nRows: number, nf: number): Int32Array {
  const out = new Int32Array(nRows * nf);
  for (let f = 0; f < nf; f++) {
    const t = ranks.thresholds[f];
    for (let r = 0; r < nRows; r++) out[f * nRows + r] = rankOf(t, X[r * nf + f]);
  }
  return out;
}
