/**
 * Path-dependent TreeSHAP with precomputed leaf tables (the idea of "Fast
 * TreeSHAP v2", Yang 2021). A leaf's share of each SHAP value depends on the
 * row only through which of the d distinct features on its path the row
 * satisfies (a d-bit mask). So for every leaf and every mask the d
 * contributions are computed once, with the same path arithmetic as
 * Algorithm 2, and explaining a row is a table look-up per leaf:
 * O(leaves x depth) per row instead of O(leaves x depth^2), at a one-off cost
 * of O(leaves x 2^d x d^2) and leaves x 2^d x d doubles per tree.
 */
import type { Tree } from '../gbdt/ensemble.js';
import { coverRatio, createPathBuffer, extendPath, pathBufferSize, unwoundPathSum } from './shap-path.js';

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
    const d = fs.length;
    features.set(fs, featureStart[l]);
    leafOf[paths[l].leaf] = l;
    paths[l].nodes.forEach((node, k) => (bit[node] = 1 << positions[k]));
    const value = tree.value[paths[l].leaf];
    for (let mask = 0; mask < 2 ** d; mask++) {
      // A feature absent from the row's branch with no training cover zeroes every coalition: the entries stay 0.
      if (zeros.some((z, j) => z === 0 && ((mask >> j) & 1) === 0)) continue;
      extendPath(path, 0, 0, 1, 1, -1);
      for (let j = 0; j < d; j++) extendPath(path, 0, j + 1, zeros[j], (mask >> j) & 1, j);
      const base = tableStart[l] + mask * d;
      for (let j = 0; j < d; j++) {
        const w = unwoundPathSum(path, 0, d, j + 1);
        tables[base + j] = w * (((mask >> j) & 1) - zeros[j]) * value;
      }
    }
  }
  return { bit, leafOf, dims, featureStart, features, tableStart, tables };
}

/** Scratch stacks for addTreeShapTables on trees of at most maxDepth. */
export interface TableScratch {
  nodes: Int32Array;
  masks: Int32Array;
}

export function createTableScratch(maxDepth: number): TableScratch {
  return { nodes: new Int32Array(maxDepth + 2), masks: new Int32Array(maxDepth + 2) };
}

/**
 * Add one tree's SHAP values for the row at x[xOffset] into phi[phiOffset].
 * A depth-first walk carries each leaf's mask: the branch the row does not
 * take loses the bit of the split's feature.
 */
export function addTreeShapTables(
  t: LeafTables,
  tree: Tree,
  x: Float32Array,
  xOffset: number,
  phi: Float64Array,
  phiOffset: number,
  scratch: TableScratch
): void {
  const { bit, leafOf, dims, featureStart, features, tableStart, tables } = t;
  const { nodes, masks } = scratch;
  let top = 0;
  nodes[0] = 0;
  masks[0] = -1;
  while (top >= 0) {
    const node = nodes[top];
    const mask = masks[top];
    top--;
    const f = tree.feature[node];
    if (f < 0) {
      const l = leafOf[node];
      const d = dims[l];
      const base = tableStart[l] + (mask & ((1 << d) - 1)) * d;
      const f0 = featureStart[l];
      for (let j = 0; j < d; j++) phi[phiOffset + features[f0 + j]] += tables[base + j];
      continue;
    }
    const goLeft = x[xOffset + f] <= tree.threshold[node];
    const cleared = mask & ~bit[node];
    nodes[++top] = tree.right[node];
    masks[top] = goLeft ? cleared : mask;
    nodes[++top] = tree.left[node];
    masks[top] = goLeft ? mask : cleared;
  }
}
