/**
 * Exact path-dependent TreeSHAP for a TreeEnsemble, in margin (log-odds)
 * units: for every row, expected + sum of its SHAP values = its margin.
 * "Path-dependent" means an absent feature is integrated out by following
 * both branches of its splits in proportion to the training cover, as
 * xgboost's pred_contribs and shap's TreeExplainer(feature_perturbation=
 * "tree_path_dependent") do.
 *
 * Two exact algorithms give the same values: Algorithm 2 of Lundberg et al.
 * (shap-recursive.ts), used for few rows, and precomputed tables per subtree
 * (shap-subtree.ts, from the leaf tables of shap-table.ts) looked up for
 * blocks of rows, used when enough rows amortise the tables.
 */
import { ModelError } from '../../core/errors.js';
import type { Reason } from '../../core/pipeline.js';
import type { PatchTable } from '../../core/read.js';
import { formatFeatureValue, type FeatureSpec } from '../../core/schema.js';
import type { Tree, TreeEnsemble } from '../gbdt/ensemble.js';
import { coverRatio, createPathBuffer, pathBufferSize } from './shap-path.js';
import { addTreeShapRecursive, type RecursionState } from './shap-recursive.js';
import { leafTableSize } from './shap-table.js';
import { addTreeShapTables, buildSubtreeTables, createOffsets, subtreeTableSize, type SubtreeTables } from './shap-subtree.js';
import { rankColumns, thresholdRanks, type ThresholdRanks } from './shap-ranks.js';

export { formatFeatureValue } from '../../core/schema.js';

export interface ShapResult {
  /** Row-major nRows x nFeatures contributions to the margin. */
  values: Float64Array;
  /** Expected margin over the training cover (the value with every feature absent). */
  expected: number;
}

/** 'auto' picks per tree; the others force one algorithm (for tests and benchmarks). */
export type ShapAlgorithm = 'auto' | 'recursive' | 'tables';

/** One tree's tables may take at most this many doubles (128 MiB) while built; larger trees use the recursion. */
const TABLE_BUDGET = 1 << 24;

/** Tables kept between calls, per ensemble: at most this many doubles (32 MiB, look-ups counted as half a double); the rest are built per call. */
const KEEP_BUDGET = 1 << 22;

/**
 * What shapValues keeps per ensemble between calls, so explaining a file piece by piece builds each
 * tree's tables once. Ensembles are not changed once made (the trainer, the ONNX import and
 * coverFromData all return new ones); the entries go with the ensemble.
 */
interface Prepared {
  thresholds: ThresholdRanks;
  tables: (SubtreeTables | undefined)[];
  kept: number;
}

const preparedFor = new WeakMap<TreeEnsemble, Prepared>();

export function treeDepth(tree: Tree, node = 0): number {
  if (tree.feature[node] < 0) return 0;
  return 1 + Math.max(treeDepth(tree, tree.left[node]), treeDepth(tree, tree.right[node]));
}

/** The tree's mean output over its training cover. */
export function treeExpectation(tree: Tree, node = 0): number {
  if (tree.feature[node] < 0) return tree.value[node];
  const cover = tree.cover[node];
  return (
    coverRatio(tree.cover[tree.left[node]], cover) * treeExpectation(tree, tree.left[node]) +
    coverRatio(tree.cover[tree.right[node]], cover) * treeExpectation(tree, tree.right[node])
  );
}

export function expectedMargin(ensemble: TreeEnsemble): number {
  let sum = ensemble.baseScore;
  for (const tree of ensemble.trees) sum += treeExpectation(tree);
  return sum;
}

/** Refuse trees SHAP cannot explain, naming the tree and node. */
export function checkExplainable(ensemble: TreeEnsemble): void {
  ensemble.trees.forEach((tree, t) => {
    const n = tree.feature.length;
    for (let node = 0; node < n; node++) {
      const where = `tree ${t}, node ${node}`;
      if (!(tree.cover[node] >= 0 && Number.isFinite(tree.cover[node]))) {
        throw new ModelError(
          `${where}: cover (training hessian sum) is ${tree.cover[node]}; TreeSHAP needs a finite cover >= 0 on every node ` +
            '(for an ONNX model without nodes_hitrates, compute it from representative rows with coverFromData)'
        );
      }
      const f = tree.feature[node];
      if (f < 0) continue;
      if (f >= ensemble.nFeatures)
        throw new ModelError(`${where}: splits on feature ${f} but the model has ${ensemble.nFeatures} features`);
      for (const child of [tree.left[node], tree.right[node]]) {
        if (!(child >= 0 && child < n && child !== node)) throw new ModelError(`${where}: child ${child} is not another node of the tree`);
      }
    }
  });
}

/** SHAP values of nRows rows of X (row-major, ensemble.nFeatures columns). */
export function shapValues(ensemble: TreeEnsemble, X: Float32Array, nRows: number, algorithm: ShapAlgorithm = 'auto'): ShapResult {
  const nf = ensemble.nFeatures;
  if (X.length < nRows * nf) throw new RangeError(`X has ${X.length} values, expected ${nRows} rows x ${nf} features`);
  checkExplainable(ensemble);
  const values = new Float64Array(nRows * nf);
  let maxDepth = 0;
  for (const tree of ensemble.trees) maxDepth = Math.max(maxDepth, treeDepth(tree));
  const state: RecursionState = {
    tree: ensemble.trees[0],
    x: X,
    xOffset: 0,
    phi: values,
    phiOffset: 0,
    path: createPathBuffer(pathBufferSize(maxDepth))
  };
  let prepared = preparedFor.get(ensemble);
  if (!prepared) {
    prepared = { thresholds: thresholdRanks(ensemble.trees, nf), tables: [], kept: 0 };
    preparedFor.set(ensemble, prepared);
  }
  // Trees explained with tables add into column-major values (rankColumns' layout), moved into `values` at the end.
  let columns: { ranks: Int32Array; phi: Float64Array; at: Int32Array } | undefined;
  ensemble.trees.forEach((tree, t) => {
    const tables = tablesFor(prepared, tree, t, nRows, algorithm);
    if (tables) {
      columns ??= { ranks: rankColumns(prepared.thresholds, X, nRows, nf), phi: new Float64Array(nRows * nf), at: createOffsets() };
      addTreeShapTables(tables, columns.ranks, columns.phi, nRows, columns.at);
    } else {
      state.tree = tree;
      for (let r = 0; r < nRows; r++) {
        state.xOffset = r * nf;
        state.phiOffset = r * nf;
        addTreeShapRecursive(state);
      }
    }
  });
  if (columns) {
    const phi = columns.phi;
    for (let f = 0; f < nf; f++) for (let r = 0; r < nRows; r++) values[r * nf + f] += phi[f * nRows + r];
  }
  return { values, expected: expectedMargin(ensemble) };
}

/** Tree t's tables: kept ones, or built when the algorithm (or for 'auto', the row count) calls for them; null = use the recursion. */
function tablesFor(prepared: Prepared, tree: Tree, t: number, nRows: number, algorithm: ShapAlgorithm): SubtreeTables | null {
  if (algorithm === 'recursive') return null;
  const kept = prepared.tables[t];
  if (kept) return kept;
  if (algorithm === 'auto') {
    const leafDoubles = leafTableSize(tree);
    const { entries, lookups } = subtreeTableSize(tree, prepared.thresholds);
    if (leafDoubles + entries + lookups / 2 > TABLE_BUDGET) return null;
    // Building costs ~depth operations per leaf-table entry and a few per subtree-table or look-up entry, the recursion
    // ~leaves x depth^2 per row; the factor 3 is measured (firmware model, first call in a process: equal at ~300 rows).
    const depth = Math.max(1, treeDepth(tree));
    let leaves = 0;
    for (let node = 0; node < tree.feature.length; node++) if (tree.feature[node] < 0) leaves++;
    if (nRows * leaves * depth * depth < 3 * (leafDoubles * depth + 4 * entries + lookups)) return null;
  }
  const tables = buildSubtreeTables(tree, prepared.thresholds);
  const size = tables.tables.length + tables.lookups.length / 2;
  if (prepared.kept + size <= KEEP_BUDGET) {
    prepared.tables[t] = tables;
    prepared.kept += size;
  }
  return tables;
}

/** Global importance: mean |SHAP value| of each feature over the rows. */
export function meanAbsShap(values: Float64Array, nRows: number, nFeatures: number): Float64Array {
  const out = new Float64Array(nFeatures);
  for (let r = 0; r < nRows; r++) for (let f = 0; f < nFeatures; f++) out[f] += Math.abs(values[r * nFeatures + f]);
  if (nRows > 0) for (let f = 0; f < nFeatures; f++) out[f] /= nRows;
  return out;
}

/** A signed log-odds contribution: one decimal from 1 up, two below. */
export function formatContribution(contribution: number): string {
  const digits = Math.abs(contribution) >= 1 ? 1 : 2;
  const text = Math.abs(contribution).toFixed(digits);
  return `${contribution < 0 ? '-' : '+'}${text}`;
}

/** Features of the row with a non-zero SHAP value, largest |value| first (ties: input order). */
function rankedFeatures(values: Float64Array, row: number, nf: number): number[] {
  const order: number[] = [];
  for (let f = 0; f < nf; f++) if (values[row * nf + f] !== 0) order.push(f);
  return order.sort((a, b) => Math.abs(values[row * nf + b]) - Math.abs(values[row * nf + a]) || a - b);
}

function reasonOf(
  values: Float64Array,
  row: number,
  features: readonly (string | FeatureSpec)[],
  rawValues: ArrayLike<number>,
  f: number
): Reason {
  const nf = features.length;
  const spec = features[f];
  const name = typeof spec === 'string' ? spec : spec.name;
  const value = rawValues[row * nf + f];
  const contribution = values[row * nf + f];
  const shown = formatFeatureValue(value, typeof spec === 'string' ? undefined : spec.type);
  return { feature: name, value, contribution, text: `${name} = ${shown} (${formatContribution(contribution)})` };
}

/**
 * The k features with the largest |SHAP value| in a row (ties: input
 * order), skipping features that contributed nothing. `features` are names,
 * or specs so booleans read yes/no; rawValues has the layout of values.
 */
export function topReasons(
  values: Float64Array,
  row: number,
  features: readonly (string | FeatureSpec)[],
  rawValues: ArrayLike<number>,
  k = 3
): Reason[] {
  return rankedFeatures(values, row, features.length)
    .slice(0, k)
    .map((f) => reasonOf(values, row, features, rawValues, f));
}

/** How many reasons of a row the scored file shows (reason_1..3) and how many raising ones the report lists. */
export const REASONS_SHOWN = 3;

/**
 * What the reports need to explain a row, largest |SHAP value| first: the
 * REASONS_SHOWN largest (the scored file's reason_1..3, as topReasons), and
 * beyond them the features needed so that the row's REASONS_SHOWN strongest
 * risk-raising features and its strongest risk-lowering one are all there.
 */
export function explanationReasons(
  values: Float64Array,
  row: number,
  features: readonly (string | FeatureSpec)[],
  rawValues: ArrayLike<number>
): Reason[] {
  const ranked = rankedFeatures(values, row, features.length);
  const nf = features.length;
  let raising = 0;
  let lowering = 0;
  const kept = ranked.filter((f, rank) => {
    const up = values[row * nf + f] > 0;
    const keep = rank < REASONS_SHOWN || (up ? raising < REASONS_SHOWN : lowering < 1);
    if (keep && up) raising++;
    if (keep && !up) lowering++;
    return keep;
  });
  return kept.map((f) => reasonOf(values, row, features, rawValues, f));
}

export interface ExplainOptions {
  /** Reasons per row (default 3). */
  k?: number;
  /** Feature specs in the table's order (the model card's), so booleans read yes/no. */
  features?: readonly FeatureSpec[];
}

/** Top reasons for every row of a read patch table, in row order. */
export function explainRows(ensemble: TreeEnsemble, table: PatchTable, options: ExplainOptions = {}): Reason[][] {
  const nf = table.featureNames.length;
  if (ensemble.nFeatures !== nf) {
    throw new ModelError(`the tree model has ${ensemble.nFeatures} features but the table has ${nf} (${table.featureNames.join(', ')})`);
  }
  const nRows = table.ids.length;
  const { values } = shapValues(ensemble, table.features, nRows);
  const features = options.features ?? table.featureNames;
  const out: Reason[][] = new Array(nRows);
  for (let r = 0; r < nRows; r++) out[r] = topReasons(values, r, features, table.features, options.k ?? REASONS_SHOWN);
  return out;
}
