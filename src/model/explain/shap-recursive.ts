/**
 * Path-dependent TreeSHAP for one tree and one row: Algorithm 2 of Lundberg,
 * Erion & Lee (2018), O(leaves x depth^2). Both branches of every split are
 * followed; the branch the row takes carries one fraction 1, the other 0, and
 * each carries its share of the training cover as zero fraction. A feature
 * split twice on a path is unwound and re-extended with merged fractions.
 */
import type { Tree } from '../gbdt/ensemble.js';
import { coverRatio, extendPath, unwindPath, unwoundPathSum, type PathBuffer } from './shap-path.js';

/** Everything the recursion reads or writes; one per explainer, reused for every tree and row. */
export interface RecursionState {
  tree: Tree;
  x: Float32Array;
  xOffset: number;
  phi: Float64Array;
  phiOffset: number;
  path: PathBuffer;
}

/** Add the tree's SHAP values for the row at state.xOffset into state.phi (at state.phiOffset). */
export function addTreeShapRecursive(state: RecursionState): void {
  recurse(state, 0, 0, 0, 1, 1, -1);
}

function recurse(s: RecursionState, node: number, depth: number, parentStart: number, zero: number, one: number, feature: number): void {
  // Every coalition gives this subtree weight 0: nothing to attribute (and unwinding it would divide by 0).
  if (zero === 0 && one === 0) return;
  const p = s.path;
  const start = depth === 0 ? parentStart : parentStart + depth + 1;
  if (depth > 0) {
    p.feature.copyWithin(start, parentStart, parentStart + depth);
    p.zero.copyWithin(start, parentStart, parentStart + depth);
    p.one.copyWithin(start, parentStart, parentStart + depth);
    p.weight.copyWithin(start, parentStart, parentStart + depth);
  }
  extendPath(p, start, depth, zero, one, feature);

  const tree = s.tree;
  const split = tree.feature[node];
  if (split < 0) {
    const value = tree.value[node];
    // Position 0 is the root's placeholder (feature -1, fractions 1): a null player.
    for (let i = 1; i <= depth; i++) {
      const w = unwoundPathSum(p, start, depth, i);
      s.phi[s.phiOffset + p.feature[start + i]] += w * (p.one[start + i] - p.zero[start + i]) * value;
    }
    return;
  }

  const goLeft = s.x[s.xOffset + split] <= tree.threshold[node];
  const hot = goLeft ? tree.left[node] : tree.right[node];
  const cold = goLeft ? tree.right[node] : tree.left[node];
  const cover = tree.cover[node];
  let inZero = 1;
  let inOne = 1;
  let d = depth;
  for (let i = 1; i <= d; i++) {
    if (p.feature[start + i] === split) {
      inZero = p.zero[start + i];
      inOne = p.one[start + i];
      unwindPath(p, start, d, i);
      d--;
      break;
    }
  }
  recurse(s, hot, d + 1, start, coverRatio(tree.cover[hot], cover) * inZero, inOne, split);
  recurse(s, cold, d + 1, start, coverRatio(tree.cover[cold], cover) * inZero, 0, split);
}
