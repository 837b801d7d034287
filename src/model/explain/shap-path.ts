/**
 * The "unique path" of path-dependent TreeSHAP (Lundberg et al. 2018,
 * Algorithm 2): for each distinct feature split on the way from the root to a
 * node, the share of training cover that follows the path when the feature is
 * absent (zero fraction) and whether the explained row follows it when the
 * feature is present (one fraction), plus permutation weights over subsets.
 *
 * Stored as parallel typed arrays so one buffer per explainer serves every
 * level of the recursion (each level works on its own slice at `start`).
 */
export interface PathBuffer {
  feature: Int32Array;
  zero: Float64Array;
  one: Float64Array;
  weight: Float64Array;
}

export function createPathBuffer(size: number): PathBuffer {
  return { feature: new Int32Array(size), zero: new Float64Array(size), one: new Float64Array(size), weight: new Float64Array(size) };
}

/** Slots needed for the recursion on trees of at most `maxDepth` (root = depth 0). */
export function pathBufferSize(maxDepth: number): number {
  const levels = maxDepth + 3;
  return (levels * (levels + 1)) / 2;
}

/** Append (zero, one, feature) at position `depth` of the path at `start` and update the permutation weights. */
export function extendPath(p: PathBuffer, start: number, depth: number, zero: number, one: number, feature: number): void {
  const w = p.weight;
  p.feature[start + depth] = feature;
  p.zero[start + depth] = zero;
  p.one[start + depth] = one;
  w[start + depth] = depth === 0 ? 1 : 0;
  const n = depth + 1;
  for (let i = depth - 1; i >= 0; i--) {
    w[start + i + 1] += (one * w[start + i] * (i + 1)) / n;
    w[start + i] = (zero * w[start + i] * (depth - i)) / n;
  }
}

/** Remove element `index` from the path (inverse of extendPath); the path then has `depth` - 1 as its last position. */
export function unwindPath(p: PathBuffer, start: number, depth: number, index: number): void {
  const w = p.weight;
  const one = p.one[start + index];
  const zero = p.zero[start + index];
  const n = depth + 1;
  let nextOne = w[start + depth];
  for (let i = depth - 1; i >= 0; i--) {
    if (one !== 0) {
      const kept = w[start + i];
      w[start + i] = (nextOne * n) / ((i + 1) * one);
      nextOne = kept - (w[start + i] * zero * (depth - i)) / n;
    } else {
      w[start + i] = (w[start + i] * n) / (zero * (depth - i));
    }
  }
  for (let i = index; i < depth; i++) {
    p.feature[start + i] = p.feature[start + i + 1];
    p.zero[start + i] = p.zero[start + i + 1];
    p.one[start + i] = p.one[start + i + 1];
  }
}

/** Total permutation weight the path would have without element `index` (unwindPath without changing the path). */
export function unwoundPathSum(p: PathBuffer, start: number, depth: number, index: number): number {
  const w = p.weight;
  const one = p.one[start + index];
  const zero = p.zero[start + index];
  const n = depth + 1;
  let nextOne = w[start + depth];
  let total = 0;
  for (let i = depth - 1; i >= 0; i--) {
    if (one !== 0) {
      const part = (nextOne * n) / ((i + 1) * one);
      total += part;
      nextOne = w[start + i] - (part * zero * (depth - i)) / n;
    } else {
      total += (w[start + i] / zero) * (n / (depth - i));
    }
  }
  return total;
}

/** Share of the parent's cover that goes to the child; 0 under a node training never reached. */
export function coverRatio(child: number, parent: number): number {
  return parent > 0 ? child / parent : 0;
}
