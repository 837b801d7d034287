/**
 * Path-dependent TreeSHAP with subtree tables, evaluated over blocks of rows.
 *
 * A leaf's contributions depend on the row only through which of the splits
 * on its path the row satisfies (leaf tables, shap-table.ts), and a split
 * "x[f] <= t" only through where x[f] falls among the thresholds. So for the
 * leaves below a node, everything the row can change is, per feature g of
 * their paths, its state:
 *   - whether it satisfies the splits on g above the node (when there are
 *     any), and
 *   - between which of the node's own thresholds on g it falls.
 * Their summed contributions are tabulated once per combination of states,
 * one value per feature. The tree is cut into the highest subtrees with at
 * most STATE_LIMIT combinations (the firmware model's depth-6 trees: about 4
 * subtrees instead of about 50 leaves), and explaining a row is one look-up per
 * subtree: its table offset is a sum over its features of a per-feature
 * look-up by the row's threshold rank. Each step is a loop over a block of
 * rows. Entries are sums of leaf-table entries, so the values are the exact
 * SHAP values up to rounding.
 */
import type { Tree } from '../gbdt/ensemble.js';
import { splitRank, type ThresholdRanks } from './shap-ranks.js';
import { buildLeafTables, type LeafTables } from './shap-table.js';

/** Most state combinations one subtree table may have. */
const STATE_LIMIT = 4096;

/** Rows explained together; a block's table offsets stay in L1. */
const BLOCK_ROWS = 256;

/** A feature of a subtree: what the subtree's leaves see of it. */
interface FeatureState {
  feature: number;
  /** Split on above the subtree's root; the row satisfies those splits when lo < rank <= hi. */
  onPath: boolean;
  lo: number;
  hi: number;
  /** Threshold ranks of the subtree's own splits on the feature, ascending, distinct. */
  cuts: number[];
  /** Number of states: (onPath ? 2 : 1) x (cuts.length + 1). */
  radix: number;
}

interface Subtree {
  root: number;
  /** The features split on above the root, first-seen order (the leaf tables' order), then the others split on below it. */
  features: FeatureState[];
  /** How many of the features are on the path. */
  onPath: number;
  states: number;
}

/** An upper bound no rank reaches (a small integer, so the bounds stay integers for V8). */
const ANY_RANK = 0x7fffffff;

function featureState(feature: number, onPath: boolean, lo: number, hi: number): FeatureState {
  return { feature, onPath, lo, hi, cuts: [], radix: 1 };
}

/** The tree with each split's threshold rank (rankOf among the ensemble's thresholds of its feature). */
interface RankedTree {
  tree: Tree;
  rank: Int32Array;
}

function rankedTree(tree: Tree, ranks: ThresholdRanks): RankedTree {
  const rank = new Int32Array(tree.feature.length);
  for (let node = 0; node < rank.length; node++) if (tree.feature[node] >= 0) rank[node] = splitRank(ranks, tree, node);
  return { tree, rank };
}

/** The subtree at root below a path (its features with their bounds: FeatureState with empty cuts). */
function subtreeAt(t: RankedTree, root: number, path: readonly FeatureState[]): Subtree {
  const { tree, rank } = t;
  const features = path.map((fs) => featureState(fs.feature, true, fs.lo, fs.hi));
  const stack = [root];
  while (stack.length > 0) {
    const node = stack.pop() as number;
    const f = tree.feature[node];
    if (f < 0) continue;
    let fs = features.find((x) => x.feature === f);
    if (!fs) {
      fs = featureState(f, false, -1, ANY_RANK);
      features.push(fs);
    }
    if (!fs.cuts.includes(rank[node])) fs.cuts.push(rank[node]);
    stack.push(tree.right[node], tree.left[node]);
  }
  let states = 1;
  for (const fs of features) {
    fs.cuts.sort((a, b) => a - b);
    fs.radix = (fs.onPath ? 2 : 1) * (fs.cuts.length + 1);
    states *= fs.radix;
  }
  return { root, features, onPath: path.length, states };
}

/** The path below node (as subtreeAt takes it): the node's split taken left or right added to the bounds. */
function childPath(t: RankedTree, s: Subtree, left: boolean): FeatureState[] {
  const f = t.tree.feature[s.root];
  const rank = t.rank[s.root];
  const path = s.features.slice(0, s.onPath);
  const at = path.findIndex((fs) => fs.feature === f);
  const bound = at >= 0 ? path[at] : { lo: -1, hi: ANY_RANK };
  const next = left ? featureState(f, true, bound.lo, Math.min(bound.hi, rank)) : featureState(f, true, Math.max(bound.lo, rank), bound.hi);
  if (at >= 0) path[at] = next;
  else path.push(next);
  return path;
}

/** The highest subtrees with at most STATE_LIMIT states (or single leaves): every leaf is in exactly one. */
function subtrees(t: RankedTree): Subtree[] {
  const out: Subtree[] = [];
  const walk = (s: Subtree): void => {
    if (t.tree.feature[s.root] < 0 || s.states <= STATE_LIMIT) {
      out.push(s);
      return;
    }
    walk(subtreeAt(t, t.tree.left[s.root], childPath(t, s, true)));
    walk(subtreeAt(t, t.tree.right[s.root], childPath(t, s, false)));
  };
  walk(subtreeAt(t, 0, []));
  return out;
}

export interface SubtreeTables {
  /** Per subtree: its features, features[featureStart[s] .. featureStart[s + 1]) (its table's width). */
  featureStart: Int32Array;
  features: Int32Array;
  /**
   * Per subtree feature (parallel to features): by threshold rank, that feature's part of the table
   * offset, lookups[lookupStart[i] + rank]; the first feature's part includes where the table starts.
   */
  lookupStart: Int32Array;
  lookups: Int32Array;
  /** Offset o (the sum of the look-ups), feature j of the subtree: tables[o + j]. */
  tables: Float64Array;
}

/** Size of the subtree tables: table entries (doubles) and look-up entries (ints); callers compare it with their memory budget before building. */
export function subtreeTableSize(tree: Tree, ranks: ThresholdRanks): { entries: number; lookups: number } {
  let entries = 0;
  let lookups = 0;
  for (const s of subtrees(rankedTree(tree, ranks))) {
    entries += s.states * s.features.length;
    for (const fs of s.features) lookups += ranks.thresholds[fs.feature].length + 1;
  }
  return { entries, lookups };
}

export function buildSubtreeTables(tree: Tree, ranks: ThresholdRanks, leafTables: LeafTables = buildLeafTables(tree)): SubtreeTables {
  const ranked = rankedTree(tree, ranks);
  const list = subtrees(ranked).filter((s) => s.features.length > 0);
  const featureStart = new Int32Array(list.length + 1);
  let nLookups = 0;
  let nEntries = 0;
  list.forEach((s, k) => {
    featureStart[k + 1] = featureStart[k] + s.features.length;
    for (const fs of s.features) nLookups += ranks.thresholds[fs.feature].length + 1;
    nEntries += s.states * s.features.length;
  });
  const features = new Int32Array(featureStart[list.length]);
  const lookupStart = new Int32Array(features.length + 1);
  const lookups = new Int32Array(nLookups);
  const tables = new Float64Array(nEntries);
  let tableStart = 0;
  list.forEach((s, k) => {
    const width = s.features.length;
    let stride = width;
    s.features.forEach((fs, u) => {
      const i = featureStart[k] + u;
      features[i] = fs.feature;
      const n = ranks.thresholds[fs.feature].length + 1;
      lookupStart[i + 1] = lookupStart[i] + n;
      for (let rank = 0; rank < n; rank++) lookups[lookupStart[i] + rank] = (u === 0 ? tableStart : 0) + stateOf(fs, rank) * stride;
      stride *= fs.radix;
    });
    fillSubtreeTable(ranked, leafTables, s, tables.subarray(tableStart, tableStart + s.states * width));
    tableStart += s.states * width;
  });
  return { featureStart, features, lookupStart, lookups, tables };
}

/** A feature's state for a row of that rank: (satisfies the path's splits) x (cuts.length + 1) + cuts it fails. */
function stateOf(fs: FeatureState, rank: number): number {
  let failed = 0;
  while (failed < fs.cuts.length && rank > fs.cuts[failed]) failed++;
  return fs.onPath && fs.lo < rank && rank <= fs.hi ? fs.cuts.length + 1 + failed : failed;
}

/**
 * Fill the table of subtree s (states x features, as in SubtreeTables; out starts zeroed). A leaf's is
 * its leaf table: its features are its path's, each with the two states "split not satisfied /
 * satisfied", so the state offset is the leaf table's mask. An inner node's entries are its
 * children's, each looked up at the states the child sees.
 */
function fillSubtreeTable(t: RankedTree, leafTables: LeafTables, s: Subtree, out: Float64Array): void {
  const node = s.root;
  if (t.tree.feature[node] < 0) {
    out.set(leafTable(leafTables, node));
    return;
  }
  for (const left of [true, false]) {
    const child = subtreeAt(t, left ? t.tree.left[node] : t.tree.right[node], childPath(t, s, left));
    let table: Float64Array;
    if (t.tree.feature[child.root] < 0) table = leafTable(leafTables, child.root);
    else {
      table = new Float64Array(child.states * child.features.length);
      fillSubtreeTable(t, leafTables, child, table);
    }
    addChildRows(s, child, t.tree.feature[node], t.rank[node], left, table, out);
  }
}

function leafTable(leafTables: LeafTables, node: number): Float64Array {
  const l = leafTables.leafOf[node];
  return leafTables.tables.subarray(leafTables.tableStart[l], leafTables.tableStart[l + 1]);
}

/**
 * Add the child's table rows to every entry of the parent's table (out), looked up at the states the
 * child sees: per parent feature, the child's part of the offset for each of its states (0 when the
 * child does not split on it), summed as the parent's states are counted through.
 */
function addChildRows(
  s: Subtree,
  child: Subtree,
  split: number,
  rank: number,
  left: boolean,
  table: Float64Array,
  out: Float64Array
): void {
  const width = s.features.length;
  // slot[j]: the parent's position of the child's feature j; part[partStart[u] + state]: see above.
  const slot = new Int32Array(child.features.length);
  const radix = Int32Array.from(s.features, (fs) => fs.radix);
  const partStart = new Int32Array(width + 1);
  for (let u = 0; u < width; u++) partStart[u + 1] = partStart[u] + radix[u];
  const part = new Int32Array(partStart[width]);
  let stride = child.features.length;
  child.features.forEach((fc, j) => {
    const u = s.features.findIndex((fp) => fp.feature === fc.feature);
    slot[j] = u;
    const fp = s.features[u];
    const parentCuts = fp.cuts.length + 1;
    const position = fc.feature === split ? fp.cuts.indexOf(rank) : -1;
    for (let state = 0; state < fp.radix; state++) {
      const failed = state % parentCuts;
      let satisfied = !fp.onPath || state >= parentCuts;
      if (position >= 0) satisfied &&= failed <= position === left;
      // The child's cuts are among the parent's: it fails those among the parent's first `failed`.
      let childFailed = 0;
      while (failed > 0 && childFailed < fc.cuts.length && fc.cuts[childFailed] <= fp.cuts[failed - 1]) childFailed++;
      part[partStart[u] + state] = (fc.onPath && satisfied ? fc.cuts.length + 1 + childFailed : childFailed) * stride;
    }
    stride *= fc.radix;
  });
  addRowsAtStates(out, width, radix, part, partStart, table, slot);
}

/** The counting loop of addChildRows, on typed arrays only (it runs millions of times). */
function addRowsAtStates(
  out: Float64Array,
  width: number,
  radix: Int32Array,
  part: Int32Array,
  partStart: Int32Array,
  table: Float64Array,
  slot: Int32Array
): void {
  const digit = new Int32Array(width);
  const childWidth = slot.length;
  let at = 0;
  for (let u = 0; u < width; u++) at += part[partStart[u]];
  for (let to = 0; to < out.length; to += width) {
    for (let j = 0; j < childWidth; j++) out[to + slot[j]] += table[at + j];
    // Next combination: the first feature's state counts fastest (it has stride 1 in the offset).
    for (let u = 0; u < width; u++) {
      const was = digit[u];
      const next = was + 1 < radix[u] ? was + 1 : 0;
      digit[u] = next;
      at += part[partStart[u] + next] - part[partStart[u] + was];
      if (next > 0) break;
    }
  }
}

/**
 * Add one tree's SHAP values for nRows rows into phi. ranks (rankColumns) and phi are column-major,
 * column[f * nRows + r], so every loop over a block reads and writes consecutive values.
 */
export function addTreeShapTables(t: SubtreeTables, ranks: Int32Array, phi: Float64Array, nRows: number, at: Int32Array): void {
  const nSub = t.featureStart.length - 1;
  for (let first = 0; first < nRows; first += BLOCK_ROWS) {
    const count = Math.min(BLOCK_ROWS, nRows - first);
    for (let s = 0; s < nSub; s++) {
      const f0 = t.featureStart[s];
      const f1 = t.featureStart[s + 1];
      setOffsets(t.lookups, t.lookupStart[f0], ranks, t.features[f0] * nRows + first, at, count);
      for (let i = f0 + 1; i < f1; i++) addOffsets(t.lookups, t.lookupStart[i], ranks, t.features[i] * nRows + first, at, count);
      for (let i = f0; i < f1; i++) addColumn(t.tables, at, i - f0, phi, t.features[i] * nRows + first, count);
    }
  }
}

/** Scratch for addTreeShapTables. */
export function createOffsets(): Int32Array {
  return new Int32Array(BLOCK_ROWS);
}

// Each loop is a function of its own: V8 compiles a hot loop on its own (OSR) before later loops of
// the same function have run, and code without feedback for those deoptimises.

function setOffsets(lookups: Int32Array, from: number, ranks: Int32Array, column: number, at: Int32Array, count: number): void {
  for (let r = 0; r < count; r++) at[r] = lookups[from + ranks[column + r]];
}

function addOffsets(lookups: Int32Array, from: number, ranks: Int32Array, column: number, at: Int32Array, count: number): void {
  for (let r = 0; r < count; r++) at[r] += lookups[from + ranks[column + r]];
}

function addColumn(tables: Float64Array, at: Int32Array, j: number, phi: Float64Array, column: number, count: number): void {
  for (let r = 0; r < count; r++) phi[column + r] += tables[at[r] + j];
}
