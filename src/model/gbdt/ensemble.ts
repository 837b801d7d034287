/**
 * An additive ensemble of binary regression trees on float32 features:
 *   margin(x) = baseScore + sum over trees of leafValue(tree, x)
 *   probability(x) = sigmoid(margin(x))
 * A node goes left when x[feature] <= threshold (both compared as float32),
 * exactly as ONNX's TreeEnsemble with BRANCH_LEQ. A missing value never
 * occurs: rows are validated before scoring.
 */
export interface Tree {
  /** Per node: feature index, or -1 for a leaf. */
  feature: Int32Array;
  /** Per node: split threshold (float32 value), 0 for leaves. */
  threshold: Float32Array;
  /** Per node: left/right child index, -1 for leaves. */
  left: Int32Array;
  right: Int32Array;
  /** Per node: leaf value (already multiplied by the learning rate); 0 for inner nodes. */
  value: Float64Array;
  /** Per node: sum of hessians (training cover) — needed by path-dependent TreeSHAP. */
  cover: Float64Array;
}

export interface TreeEnsemble {
  nFeatures: number;
  baseScore: number;
  trees: Tree[];
}

export function sigmoid(margin: number): number {
  return 1 / (1 + Math.exp(-margin));
}

/** Margin of one row (features read from X at offset row * nFeatures). */
export function treeLeafValue(tree: Tree, X: Float32Array, offset: number): number {
  let node = 0;
  while (tree.feature[node] >= 0) {
    node = X[offset + tree.feature[node]] <= tree.threshold[node] ? tree.left[node] : tree.right[node];
  }
  return tree.value[node];
}

export function predictMargins(ensemble: TreeEnsemble, X: Float32Array, nRows: number): Float64Array {
  const out = new Float64Array(nRows).fill(ensemble.baseScore);
  const nf = ensemble.nFeatures;
  for (const tree of ensemble.trees) {
    for (let i = 0; i < nRows; i++) out[i] += treeLeafValue(tree, X, i * nf);
  }
  return out;
}

export function predictProbabilities(ensemble: TreeEnsemble, X: Float32Array, nRows: number): Float64Array {
  const margins = predictMargins(ensemble, X, nRows);
  for (let i = 0; i < nRows; i++) margins[i] = sigmoid(margins[i]);
  return margins;
}
