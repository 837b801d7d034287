/**
 * Leaf tables for path-dependent TreeSHAP (the idea of "Fast TreeSHAP v2",
 * Yang 2021). A leaf's share of each SHAP value depends on the row only
 * through which of the d distinct features on its path the row satisfies (a
 * d-bit mask). So for every leaf and every mask the d contributions are
 * computed once, with the same path arithmetic as Algorithm 2: a one-off cost
 * of O(leaves x 2^d x d^2) and leaves x 2^d x d doubles per tree.
 * shap-subtree.ts sums them into tables per subtree, which rows are explained
 * with.
 */
import type { Tree } from '../gbdt/ensemble.js';
import { coverRatio, createPathBuffer, extendPath, pathBufferSize, unwoundPathSum, type PathBuffer } from './shap-path.js';

export interface LeafTables {
  /** Per inner node: the bit of its feature in the masks of the leaves below (first-seen order from the root). */
  bit: Int32Array;
  /** Per leaf node: its leaf index; -1 for inner nodes. */
  leafOf: Int32Array;
  /** Per leaf: number of distinct path features d, and where its features and table start. */
  dims: Int32Array;
  featureStart: Int32Array;
  features: Int32Array;
  tableStart: Float64Array;
  /** For leaf l, mask m, path feature j: tables[tableStart[l] + m * d + j]. */
  tables: Float64Array;
}

interface LeafPath {
  leaf: number;
  nodes: number[];
  lefts: boolean[];
}

function leafPaths(tree: Tree): LeafPath[] {
  const out: LeafPath[] = [];
  const walk = (node: number, nodes: number[], lefts: boolean[]): void => {
    if (tree.feature[node] < 0) {
      out.push({ leaf: node, nodes: nodes.slice(), lefts: lefts.slice() });
      return;
    }
    nodes.push(node);
    lefts.push(true);
    walk(tree.left[node], nodes, lefts);
    lefts[lefts.length - 1] = false;
    walk(tree.right[node], nodes, lefts);
    nodes.pop();
    lefts.pop();
  };
  walk(0, [], []);
  return out;
}

/** Distinct features on a path (first-seen order) with their merged zero fractions, and each step's position among them. */
function distinctFeatures(tree: Tree, path: LeafPath): { features: number[]; zeros: number[]; positions: number[] } {
  const features: number[] = [];
  const zeros: number[] = [];
  const positions: number[] = [];
  path.nodes.forEach((node, k) => {
    const child = path.lefts[k] ? tree.left[node] : tree.right[node];
    const ratio = coverRatio(tree.cover[child], tree.cover[node]);
    let j = features.indexOf(tree.feature[node]);
    if (j < 0) {
      j = features.length;
      features.push(tree.feature[node]);
      zeros.push(1);
    }
    zeros[j] *= ratio;
    positions.push(j);
  });
  return { features, zeros, positions };
}

/** Doubles the tables would take; callers compare it with their memory budget before building. */
export function leafTableSize(tree: Tree): number {
  let total = 0;
  for (const path of leafPaths(tree)) {
    const d = new Set(path.nodes.map((node) => tree.feature[node])).size;
    total += 2 ** d * d;
  }
  return total;
}

export function buildLeafTables(tree: Tree): LeafTables {
  const paths = leafPaths(tree);
  const info = paths.map((path) => distinctFeatures(tree, path));
  const nLeaves = paths.length;
  const dims = new Int32Array(nLeaves);
  const featureStart = new Int32Array(nLeaves + 1);
  const tableStart = new Float64Array(nLeaves + 1);
  for (let l = 0; l < nLeaves; l++) {
    const d = info[l].features.length;
    dims[l] = d;
    featureStart[l + 1] = featureStart[l] + d;
    tableStart[l + 1] = tableStart[l] + 2 ** d * d;
  }
  const features = new Int32Array(featureStart[nLeaves]);
  const bit = new Int32Array(tree.feature.length);
  const leafOf = new Int32Array(tree.feature.length).fill(-1);
  const tables = new Float64Array(tableStart[nLeaves]);
  let maxD = 0;
  for (const d of dims) maxD = Math.max(maxD, d);
  const path = createPathBuffer(pathBufferSize(maxD));

  for (let l = 0; l < nLeaves; l++) {
    const { features: fs, zeros, positions } = info[l];
    features.set(fs, featureStart[l]);
    leafOf[paths[l].leaf] = l;
    paths[l].nodes.forEach((node, k) => (bit[node] = 1 << positions[k]));
    fillLeafTable(path, Float64Array.from(zeros), tree.value[paths[l].leaf], tables, tableStart[l]);
  }
  return { bit, leafOf, dims, featureStart, features, tableStart, tables };
}

/**
 * One leaf's table: for every mask, the path with feature j's one fraction = bit j of the mask. The
 * masks are enumerated as a binary tree over the features, so masks sharing their first j bits share
 * the path extended that far (each level works on its own slice of the path buffer, as the recursion).
 */
function fillLeafTable(path: PathBuffer, zeros: Float64Array, value: number, tables: Float64Array, start: number): void {
  const d = zeros.length;
  extendPath(path, 0, 0, 1, 1, -1);
  const extend = (j: number, parentStart: number, mask: number): void => {
    if (j === d) {
      const base = start + mask * d;
      for (let i = 0; i < d; i++) tables[base + i] = unwoundPathSum(path, parentStart, d, i + 1) * (((mask >> i) & 1) - zeros[i]) * value;
      return;
    }
    // Slices: level j (path length j + 1) starts after the slices of levels 0 .. j - 1.
    const levelStart = parentStart + j + 1;
    for (let one = 0; one <= 1; one++) {
      // A feature absent from the row's branch with no training cover zeroes every coalition: the entries stay 0.
      if (one === 0 && zeros[j] === 0) continue;
      path.feature.copyWithin(levelStart, parentStart, parentStart + j + 1);
      path.zero.copyWithin(levelStart, parentStart, parentStart + j + 1);
      path.one.copyWithin(levelStart, parentStart, parentStart + j + 1);
      path.weight.copyWithin(levelStart, parentStart, parentStart + j + 1);
      extendPath(path, levelStart, j + 1, zeros[j], one, j);
      extend(j + 1, levelStart, mask | (one << j));
    }
  };
  extend(0, 0, 0);
}
