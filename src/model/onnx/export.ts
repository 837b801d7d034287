/**
 * TreeEnsemble <-> ONNX.
 *
 * Export writes a ModelProto (IR 8; opsets ai.onnx 17 and ai.onnx.ml 3):
 *   input float32 [N, nFeatures]
 *     -> ai.onnx.ml TreeEnsembleRegressor (SUM, base_values [baseScore],
 *        BRANCH_LEQ, float32 thresholds and leaf weights, cover as nodes_hitrates)
 *     -> Sigmoid -> output float32 [N, 1] = probability of the positive class.
 * onnxruntime runs the float kernel for float input: thresholds and weights
 * are float32 and a row goes to the true (left) child when x <= threshold,
 * the rule of predictMargins. The trainer's thresholds, leaf values and base
 * score are already float32 values, so the exported model is exactly the
 * trained one (only the summation is done in float32 by onnxruntime).
 *
 * Import: see onnx-import.ts (re-exported here).
 */
import { ModelError } from '../../core/errors.js';
import type { TreeEnsemble } from '../gbdt/ensemble.js';
import { ATTR, DTYPE, encodeModel, type AttributeObj } from './schema.js';

export { onnxToEnsemble, coverFromData, type OnnxTreeModel } from './import.js';

export interface OnnxExportOptions {
  inputName: string;
  outputName: string;
  producer: string;
  producerVersion?: string;
  docString?: string;
  metadata?: Record<string, string>;
}

export const ONNX_IR_VERSION = 8;
export const ONNX_OPSET = 17;
export const ONNX_ML_OPSET = 3;

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const ints = (name: string, values: number[]): AttributeObj => ({ name, type: ATTR.INTS, ints: values });
const floats = (name: string, values: number[]): AttributeObj => ({ name, type: ATTR.FLOATS, floats: values });
const strings = (name: string, values: string[]): AttributeObj => ({ name, type: ATTR.STRINGS, strings: values.map(utf8) });
const text = (name: string, value: string): AttributeObj => ({ name, type: ATTR.STRING, s: utf8(value) });
const int = (name: string, value: number): AttributeObj => ({ name, type: ATTR.INT, i: value });

function floatTensor(name: string, cols: number) {
  return {
    name,
    type: { tensor_type: { elem_type: DTYPE.FLOAT, shape: { dim: [{ dim_param: 'N' }, { dim_value: cols }] } } }
  };
}

/** The TreeEnsembleRegressor attributes for the ensemble (one target). */
function treeAttributes(ensemble: TreeEnsemble): AttributeObj[] {
  const n = { tree: [] as number[], node: [] as number[], feature: [] as number[], mode: [] as string[] };
  const values: number[] = [];
  const trueIds: number[] = [];
  const falseIds: number[] = [];
  const hitrates: number[] = [];
  const target = { tree: [] as number[], node: [] as number[], weight: [] as number[] };
  ensemble.trees.forEach((tree, t) => {
    for (let i = 0; i < tree.feature.length; i++) {
      const leaf = tree.feature[i] < 0;
      n.tree.push(t);
      n.node.push(i);
      n.feature.push(leaf ? 0 : tree.feature[i]);
      n.mode.push(leaf ? 'LEAF' : 'BRANCH_LEQ');
      values.push(leaf ? 0 : tree.threshold[i]);
      trueIds.push(leaf ? 0 : tree.left[i]);
      falseIds.push(leaf ? 0 : tree.right[i]);
      hitrates.push(tree.cover[i]);
      if (leaf) {
        target.tree.push(t);
        target.node.push(i);
        target.weight.push(tree.value[i]);
      }
    }
  });
  return [
    int('n_targets', 1),
    text('aggregate_function', 'SUM'),
    text('post_transform', 'NONE'),
    floats('base_values', [ensemble.baseScore]),
    ints('nodes_treeids', n.tree),
    ints('nodes_nodeids', n.node),
    ints('nodes_featureids', n.feature),
    strings('nodes_modes', n.mode),
    floats('nodes_values', values),
    ints('nodes_truenodeids', trueIds),
    ints('nodes_falsenodeids', falseIds),
    floats('nodes_hitrates', hitrates),
    ints('target_treeids', target.tree),
    ints('target_nodeids', target.node),
    ints(
      'target_ids',
      target.tree.map(() => 0)
    ),
    floats('target_weights', target.weight)
  ];
}

function checkEnsemble(ensemble: TreeEnsemble): void {
  if (ensemble.trees.length === 0) throw new ModelError('cannot export an ensemble without trees');
  ensemble.trees.forEach((tree, t) => {
    for (let i = 0; i < tree.feature.length; i++) {
      const f = tree.feature[i];
      if (f >= ensemble.nFeatures) throw new ModelError(`tree ${t}, node ${i}: feature ${f} is outside 0..${ensemble.nFeatures - 1}`);
      if (f >= 0 && !(tree.left[i] > i && tree.right[i] > i && tree.left[i] < tree.feature.length && tree.right[i] < tree.feature.length)) {
        throw new ModelError(`tree ${t}, node ${i}: children ${tree.left[i]}, ${tree.right[i]} are not later nodes of the tree`);
      }
    }
  });
}

export function ensembleToOnnx(ensemble: TreeEnsemble, opts: OnnxExportOptions): Uint8Array {
  checkEnsemble(ensemble);
  const margin = 'margin';
  const names = new Set([opts.inputName, opts.outputName, margin]);
  if (names.size !== 3 || !opts.inputName || !opts.outputName) {
    throw new ModelError(
      `ONNX input and output names must be non-empty, different, and not "${margin}" (got "${opts.inputName}", "${opts.outputName}")`
    );
  }
  return encodeModel({
    ir_version: ONNX_IR_VERSION,
    opset_import: [
      { domain: '', version: ONNX_OPSET },
      { domain: 'ai.onnx.ml', version: ONNX_ML_OPSET }
    ],
    producer_name: opts.producer,
    producer_version: opts.producerVersion,
    doc_string: opts.docString,
    graph: {
      name: 'tree_ensemble_probability',
      node: [
        {
          input: [opts.inputName],
          output: [margin],
          name: 'trees',
          op_type: 'TreeEnsembleRegressor',
          domain: 'ai.onnx.ml',
          attribute: treeAttributes(ensemble)
        },
        { input: [margin], output: [opts.outputName], name: 'probability', op_type: 'Sigmoid', domain: '' }
      ],
      input: [floatTensor(opts.inputName, ensemble.nFeatures)],
      output: [floatTensor(opts.outputName, 1)]
    },
    metadata_props: Object.entries(opts.metadata ?? {}).map(([key, value]) => ({ key, value }))
  });
}
