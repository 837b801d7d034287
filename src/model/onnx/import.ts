/**
 * Reads a tree model back from ONNX so it can be scored and explained in JS:
 * our own export (TreeEnsembleRegressor + Sigmoid) or a user's binary
 * classifier from skl2onnx / onnxmltools (TreeEnsembleRegressor, or
 * TreeEnsembleClassifier with two classes, post_transform NONE or LOGISTIC).
 *
 * The result is a TreeEnsemble whose margins equal the score onnxruntime's
 * float kernel computes before its post-transform, and postTransform says how
 * that score becomes the probability: LOGISTIC = sigmoid(score), NONE = the
 * score is already the probability (e.g. a random forest's averaged votes).
 * As in onnxruntime's float kernel, thresholds and weights are read as float32.
 * BRANCH_LT / GTE / GT nodes are rewritten as exact BRANCH_LEQ tests for
 * float32 inputs; BRANCH_EQ / NEQ are refused.
 *
 * Cover: taken from nodes_hitrates when present and not a constant
 * placeholder (our export writes the training hessian sums there, as
 * float32). Otherwise cover is NaN and
 * coverSource is 'none': path-dependent TreeSHAP needs it, so call
 * coverFromData with representative rows (e.g. the training data) first.
 * Filling in 1s would give silently wrong attributions, so it is not done.
 */
import { ModelError } from '../../core/errors.js';
import type { Tree, TreeEnsemble } from '../gbdt/ensemble.js';
import { decodeModel } from './decode.js';
import { DTYPE, type AttributeObj, type GraphObj, type NodeObj, type TensorObj } from './descriptor.js';

export interface OnnxTreeModel {
  ensemble: TreeEnsemble;
  inputName: string;
  /** The tensor holding the positive-class probability (or score when postTransform is NONE for a regressor). */
  outputName: string;
  nFeatures: number;
  postTransform: 'LOGISTIC' | 'NONE';
  coverSource: 'hitrates' | 'none';
}

const ML_DOMAIN = 'ai.onnx.ml';

function tensorValues(t: TensorObj, what: string): number[] {
  if (t.float_data && t.float_data.length > 0) return t.float_data;
  if (t.double_data && t.double_data.length > 0) return t.double_data;
  if (t.raw_data && t.raw_data.length > 0) {
    const raw = t.raw_data;
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    if (t.data_type === DTYPE.FLOAT) return Array.from({ length: raw.byteLength / 4 }, (_, i) => view.getFloat32(i * 4, true));
    if (t.data_type === DTYPE.DOUBLE) return Array.from({ length: raw.byteLength / 8 }, (_, i) => view.getFloat64(i * 8, true));
  }
  if (t.data_type === DTYPE.FLOAT || t.data_type === DTYPE.DOUBLE) return [];
  throw new ModelError(`attribute ${what}: tensor of data type ${t.data_type} is not float or double`);
}

const UTF8 = new TextDecoder();

/** Attribute text (node modes such as "BRANCH_LEQ", "LEAF": thousands of short ASCII strings) without a decoder call each. */
function decodeText(bytes: Uint8Array): string {
  if (bytes.length > 32) return UTF8.decode(bytes);
  let text = '';
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] >= 0x80) return UTF8.decode(bytes);
    text += String.fromCharCode(bytes[i]);
  }
  return text;
}

class Attributes {
  private readonly byName = new Map<string, AttributeObj>();
  constructor(node: NodeObj) {
    for (const a of node.attribute ?? []) this.byName.set(a.name, a);
  }
  ints(name: string): number[] {
    return (this.byName.get(name)?.ints ?? []).map(Number);
  }
  /** FLOATS attribute, or its `<name>_as_tensor` double variant. */
  floats(name: string): number[] {
    const a = this.byName.get(name);
    if (a?.floats && a.floats.length > 0) return a.floats;
    const t = this.byName.get(`${name}_as_tensor`)?.t;
    return t ? tensorValues(t, `${name}_as_tensor`) : [];
  }
  strings(name: string): string[] {
    return (this.byName.get(name)?.strings ?? []).map(decodeText);
  }
  text(name: string, fallback: string): string {
    const s = this.byName.get(name)?.s;
    return s ? decodeText(s) : fallback;
  }
  int(name: string, fallback: number): number {
    const i = this.byName.get(name)?.i;
    return i === undefined ? fallback : Number(i);
  }
}

const f32 = new Float32Array(1);
const i32 = new Int32Array(f32.buffer);

/** The largest float32 below t (t a float32 value): x < t  <=>  x <= nextDown(t) for float32 x. */
export function nextDownFloat32(t: number): number {
  if (Number.isNaN(t) || t === -Infinity) return t;
  if (t === 0) return -1.401298464324817e-45;
  f32[0] = t;
  i32[0] += t > 0 ? -1 : 1;
  return f32[0];
}

interface RawTrees {
  treeIds: number[];
  nodeIds: number[];
  featureIds: number[];
  modes: string[];
  values: number[];
  trueIds: number[];
  falseIds: number[];
  hitrates: number[];
  /** Leaf weight per "tree:node" key. */
  leafWeight: Map<string, number>;
}

function buildTree(raw: RawTrees, entries: number[], treeId: number, useHitrates: boolean): Tree {
  const entryOf = new Map<number, number>();
  for (const e of entries) entryOf.set(raw.nodeIds[e], e);
  const childIds = new Set<number>();
  for (const e of entries) {
    if (raw.modes[e] !== 'LEAF') {
      childIds.add(raw.trueIds[e]);
      childIds.add(raw.falseIds[e]);
    }
  }
  const roots = entries.filter((e) => !childIds.has(raw.nodeIds[e]));
  if (roots.length !== 1) throw new ModelError(`tree ${treeId}: expected one root node, found ${roots.length}`);

  const n = entries.length;
  const t = {
    feature: [] as number[],
    threshold: [] as number[],
    left: [] as number[],
    right: [] as number[],
    value: [] as number[],
    cover: [] as number[]
  };
  // Keep the node ids as indices when they already are 0..n-1 with children after parents (our export,
  // sklearn); otherwise number the nodes depth-first, preorder.
  const keepIds =
    raw.nodeIds[roots[0]] === 0 &&
    entries.every(
      (e) =>
        raw.nodeIds[e] >= 0 &&
        raw.nodeIds[e] < n &&
        (raw.modes[e] === 'LEAF' || (raw.trueIds[e] > raw.nodeIds[e] && raw.falseIds[e] > raw.nodeIds[e]))
    ) &&
    entryOf.size === n;
  let nextIndex = 0;
  const visit = (e: number): number => {
    const index = keepIds ? raw.nodeIds[e] : nextIndex;
    nextIndex++;
    if (nextIndex > n) throw new ModelError(`tree ${treeId}: node ${raw.nodeIds[e]} is reached twice (the tree has a cycle)`);
    const mode = raw.modes[e];
    t.feature[index] = -1;
    t.threshold[index] = 0;
    t.left[index] = -1;
    t.right[index] = -1;
    t.value[index] = 0;
    t.cover[index] = useHitrates ? raw.hitrates[e] : NaN;
    if (mode === 'LEAF') {
      t.value[index] = raw.leafWeight.get(`${treeId}:${raw.nodeIds[e]}`) ?? 0;
      return index;
    }
    const child = (id: number): number => {
      const c = entryOf.get(id);
      if (c === undefined) throw new ModelError(`tree ${treeId}: node ${raw.nodeIds[e]} points to missing node ${id}`);
      return visit(c);
    };
    const threshold = Math.fround(raw.values[e]);
    let swap: boolean;
    if (mode === 'BRANCH_LEQ') [t.threshold[index], swap] = [threshold, false];
    else if (mode === 'BRANCH_LT') [t.threshold[index], swap] = [nextDownFloat32(threshold), false];
    else if (mode === 'BRANCH_GT') [t.threshold[index], swap] = [threshold, true];
    else if (mode === 'BRANCH_GTE') [t.threshold[index], swap] = [nextDownFloat32(threshold), true];
    else throw new ModelError(`tree ${treeId}, node ${raw.nodeIds[e]}: node mode ${mode} is not supported (only LEQ, LT, GTE, GT)`);
    t.feature[index] = raw.featureIds[e];
    const [leftId, rightId] = swap ? [raw.falseIds[e], raw.trueIds[e]] : [raw.trueIds[e], raw.falseIds[e]];
    t.left[index] = child(leftId);
    t.right[index] = child(rightId);
    return index;
  };
  visit(roots[0]);
  if (nextIndex !== n) throw new ModelError(`tree ${treeId}: ${n - nextIndex} nodes are not reachable from the root`);
  return {
    feature: Int32Array.from(t.feature),
    threshold: Float32Array.from(t.threshold),
    left: Int32Array.from(t.left),
    right: Int32Array.from(t.right),
    value: Float64Array.from(t.value),
    cover: Float64Array.from(t.cover)
  };
}

function readNodes(a: Attributes): Omit<RawTrees, 'leafWeight'> {
  const raw = {
    treeIds: a.ints('nodes_treeids'),
    nodeIds: a.ints('nodes_nodeids'),
    featureIds: a.ints('nodes_featureids'),
    modes: a.strings('nodes_modes'),
    values: a.floats('nodes_values'),
    trueIds: a.ints('nodes_truenodeids'),
    falseIds: a.ints('nodes_falsenodeids'),
    hitrates: a.floats('nodes_hitrates')
  };
  const n = raw.treeIds.length;
  for (const [name, arr] of Object.entries(raw)) {
    if (name !== 'hitrates' && arr.length !== n)
      throw new ModelError(`tree attributes disagree: nodes_treeids has ${n} entries but ${name} has ${arr.length}`);
  }
  if (n === 0) throw new ModelError('the tree ensemble has no nodes');
  return raw;
}

function leafWeights(
  treeIds: number[],
  nodeIds: number[],
  weights: number[],
  keep: (i: number) => boolean,
  scale: number
): Map<string, number> {
  const m = new Map<string, number>();
  for (let i = 0; i < weights.length; i++) {
    if (!keep(i)) continue;
    const key = `${treeIds[i]}:${nodeIds[i]}`;
    m.set(key, (m.get(key) ?? 0) + Math.fround(weights[i]) * scale);
  }
  return m;
}

function featureCount(graph: GraphObj, inputName: string, raw: Omit<RawTrees, 'leafWeight'>): number {
  const input = graph.input?.find((i) => i.name === inputName);
  const dims = input?.type?.tensor_type?.shape?.dim ?? [];
  const declared = dims.length === 2 ? Number(dims[1].dim_value ?? 0) : 0;
  let used = 0;
  raw.featureIds.forEach((f, i) => {
    if (raw.modes[i] !== 'LEAF') used = Math.max(used, f + 1);
  });
  if (declared > 0 && used > declared)
    throw new ModelError(`the trees use feature ${used - 1} but the input "${inputName}" has ${declared} columns`);
  return declared > 0 ? declared : Math.max(used, 1);
}

function readPostTransform(a: Attributes): 'LOGISTIC' | 'NONE' {
  const p = a.text('post_transform', 'NONE');
  if (p !== 'NONE' && p !== 'LOGISTIC') throw new ModelError(`post_transform ${p} is not supported (only NONE or LOGISTIC)`);
  return p;
}

export function onnxToEnsemble(bytes: Uint8Array): OnnxTreeModel {
  let graph: GraphObj | undefined;
  try {
    graph = decodeModel(bytes).graph;
  } catch (err) {
    throw new ModelError(`not an ONNX model (protobuf decoding failed: ${(err as Error).message})`);
  }
  if (!graph) throw new ModelError('the ONNX model has no graph');
  const nodes = graph.node ?? [];
  const treeNodes = nodes.filter(
    (n) => n.domain === ML_DOMAIN && (n.op_type === 'TreeEnsembleRegressor' || n.op_type === 'TreeEnsembleClassifier')
  );
  if (treeNodes.length !== 1) {
    const ops = nodes.map((n) => `${n.domain ? n.domain + '.' : ''}${n.op_type}`).join(', ');
    throw new ModelError(
      `expected exactly one ai.onnx.ml TreeEnsembleRegressor or TreeEnsembleClassifier node, found ${treeNodes.length} (graph ops: ${ops || 'none'})`
    );
  }
  const node = treeNodes[0];
  const inputName = node.input?.[0] ?? '';
  if (!graph.input?.some((i) => i.name === inputName)) {
    throw new ModelError(
      `the tree ensemble reads "${inputName}", which is not a graph input: models with preprocessing before the trees are not supported`
    );
  }
  const a = new Attributes(node);
  const raw = readNodes(a);
  const nTrees = new Set(raw.treeIds).size;
  let postTransform = readPostTransform(a);
  let outputName: string;
  let baseScore: number;
  let leafWeight: Map<string, number>;

  if (node.op_type === 'TreeEnsembleRegressor') {
    if (a.int('n_targets', 1) !== 1) throw new ModelError(`the regressor has ${a.int('n_targets', 1)} targets; only 1 is supported`);
    const aggregate = a.text('aggregate_function', 'SUM');
    if (aggregate !== 'SUM' && aggregate !== 'AVERAGE')
      throw new ModelError(`aggregate_function ${aggregate} is not supported (only SUM or AVERAGE)`);
    const weights = a.floats('target_weights');
    leafWeight = leafWeights(
      a.ints('target_treeids'),
      a.ints('target_nodeids'),
      weights,
      () => true,
      aggregate === 'AVERAGE' ? 1 / nTrees : 1
    );
    baseScore = Math.fround(a.floats('base_values')[0] ?? 0);
    outputName = node.output?.[0] ?? '';
    const sigmoid = nodes.find((n) => n.op_type === 'Sigmoid' && (n.domain ?? '') === '' && n.input?.[0] === outputName);
    if (sigmoid) {
      if (postTransform === 'LOGISTIC')
        throw new ModelError('the regressor output goes through LOGISTIC and then a Sigmoid node; not supported');
      postTransform = 'LOGISTIC';
      outputName = sigmoid.output?.[0] ?? outputName;
    }
  } else {
    const labels = Math.max(a.ints('classlabels_int64s').length, a.strings('classlabels_strings').length);
    if (labels !== 2) throw new ModelError(`the classifier has ${labels} classes; only binary classifiers are supported`);
    const classIds = a.ints('class_ids');
    const distinct = new Set(classIds);
    // One class id: onnxruntime's binary case, the score is the positive class's. Both: use class 1.
    const positive = distinct.size === 1 ? classIds[0] : 1;
    leafWeight = leafWeights(
      a.ints('class_treeids'),
      a.ints('class_nodeids'),
      a.floats('class_weights'),
      (i) => classIds[i] === positive,
      1
    );
    const base = a.floats('base_values');
    baseScore = Math.fround(base.length === 2 ? base[1] : (base[0] ?? 0));
    outputName = node.output?.[1] ?? node.output?.[0] ?? '';
  }

  // Some exporters write all-zero (or all-one) placeholder hitrates: only a varying positive list is a cover.
  const useHitrates = raw.hitrates.length === raw.treeIds.length && raw.hitrates.every((h) => h >= 0) && new Set(raw.hitrates).size > 1;
  const entriesByTree = new Map<number, number[]>();
  raw.treeIds.forEach((t, e) => {
    const list = entriesByTree.get(t);
    if (list) list.push(e);
    else entriesByTree.set(t, [e]);
  });
  const full: RawTrees = { ...raw, leafWeight };
  const trees = [...entriesByTree.entries()].sort((x, y) => x[0] - y[0]).map(([t, entries]) => buildTree(full, entries, t, useHitrates));
  const nFeatures = featureCount(graph, inputName, raw);
  return {
    ensemble: { nFeatures, baseScore, trees },
    inputName,
    outputName,
    nFeatures,
    postTransform,
    coverSource: useHitrates ? 'hitrates' : 'none'
  };
}

/** A copy of the ensemble whose cover is the number of the given rows reaching each node. */
export function coverFromData(ensemble: TreeEnsemble, X: Float32Array, nRows: number): TreeEnsemble {
  const nf = ensemble.nFeatures;
  if (X.length !== nRows * nf) throw new RangeError(`X has ${X.length} values, expected ${nRows} x ${nf}`);
  const trees = ensemble.trees.map((tree) => {
    const cover = new Float64Array(tree.feature.length);
    for (let i = 0; i < nRows; i++) {
      let node = 0;
      cover[0]++;
      while (tree.feature[node] >= 0) {
        node = X[i * nf + tree.feature[node]] <= tree.threshold[node] ? tree.left[node] : tree.right[node];
        cover[node]++;
      }
    }
    return { ...tree, cover };
  });
  return { ...ensemble, trees };
}
