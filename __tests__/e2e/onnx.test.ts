import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ModelError } from '../../src/core/errors.js';
import { predictMargins, predictProbabilities, sigmoid, type TreeEnsemble } from '../../src/model/gbdt/ensemble.js';
import { trainGbdt, type Dataset } from '../../src/model/gbdt/boost.js';
import { coverFromData, ensembleToOnnx, onnxToEnsemble } from '../../src/model/onnx/export.js';
import { nextDownFloat32 } from '../../src/model/onnx/import.js';
import { ATTR, decodeModel, DTYPE, encodeModel, type AttributeObj } from '../../src/model/onnx/schema.js';
import { createRandom } from '../../src/model/gbdt/random.js';

const N_FEATURES = 5;

/** Nonlinear rule with noise: a product, a threshold step, a sine, and 10% flipped labels. */
function generate(nRows: number, seed: number): Dataset {
  const random = createRandom(seed);
  const X = new Float32Array(nRows * N_FEATURES);
  const y = new Uint8Array(nRows);
  for (let i = 0; i < nRows; i++) {
    const row = i * N_FEATURES;
    X[row] = random.next() * 4 - 2;
    X[row + 1] = random.next() * 4 - 2;
    X[row + 2] = Math.floor(random.next() * 5); // integer-valued: many exact ties
    X[row + 3] = random.normal(0, 3);
    X[row + 4] = random.next();
    const margin = X[row] * X[row + 1] + (X[row + 2] >= 3 ? 1 : -0.5) + Math.sin(X[row + 3]);
    y[i] = margin > 0 !== random.next() < 0.1 ? 1 : 0;
  }
  return { X, y, nRows, nFeatures: N_FEATURES };
}

function nextUpFloat32(t: number): number {
  return -nextDownFloat32(-t);
}

/** Rows whose features are set to split thresholds and their float32 neighbours, mixed with generated rows. */
function rowsAtThresholds(ensemble: TreeEnsemble, base: Dataset, seed: number): Float32Array {
  const random = createRandom(seed);
  const byFeature: number[][] = Array.from({ length: N_FEATURES }, () => []);
  for (const tree of ensemble.trees) {
    for (let i = 0; i < tree.feature.length; i++) if (tree.feature[i] >= 0) byFeature[tree.feature[i]].push(tree.threshold[i]);
  }
  const X = base.X.slice();
  for (let i = 0; i < base.nRows; i++) {
    if (i % 3 === 2) continue;
    for (let f = 0; f < N_FEATURES; f++) {
      const list = byFeature[f];
      if (list.length === 0) continue;
      const t = list[Math.floor(random.next() * list.length)];
      const pick = random.next();
      X[i * N_FEATURES + f] = pick < 0.6 ? t : pick < 0.8 ? nextUpFloat32(t) : nextDownFloat32(t);
    }
  }
  return X;
}

/**
 * Runs the model with onnxruntime-node in a child process and returns each output's float data.
 * (Inside jest's VM sandbox onnxruntime's output typed arrays come from another realm and fail
 * its own instanceof checks, so the session runs in plain node.)
 */
function runOnnx(bytes: Uint8Array, X: Float32Array, nRows: number, inputName: string, outputs: string[]): Record<string, Float32Array> {
  const dir = mkdtempSync(path.join(tmpdir(), 'prg-onnx-'));
  try {
    writeFileSync(path.join(dir, 'model.onnx'), bytes);
    writeFileSync(path.join(dir, 'x.bin'), X);
    const script = `
      import * as ort from 'onnxruntime-node';
      import * as fs from 'node:fs';
      const [dir, inputName, nRows, nFeatures, ...outputs] = process.argv.slice(1);
      const session = await ort.InferenceSession.create(fs.readFileSync(dir + '/model.onnx'));
      const raw = fs.readFileSync(dir + '/x.bin');
      const X = new Float32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4);
      const result = await session.run({ [inputName]: new ort.Tensor('float32', X, [Number(nRows), Number(nFeatures)]) });
      for (const name of outputs) {
        if (result[name].type !== 'float32') throw new Error(name + ' is ' + result[name].type);
        fs.writeFileSync(dir + '/' + name + '.bin', result[name].data);
      }
    `;
    const run = spawnSync(
      process.execPath,
      ['--input-type=module', '-e', script, dir, inputName, String(nRows), String(N_FEATURES), ...outputs],
      { encoding: 'utf8' }
    );
    if (run.status !== 0) throw new Error(`onnxruntime run failed: ${run.stderr}`);
    return Object.fromEntries(
      outputs.map((name) => {
        const out = readFileSync(path.join(dir, `${name}.bin`));
        return [name, new Float32Array(out.buffer.slice(out.byteOffset, out.byteOffset + out.byteLength))];
      })
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('ONNX export', () => {
  const train = generate(6000, 11);
  const { ensemble } = trainGbdt(train, { nTrees: 150, maxDepth: 5, earlyStoppingRounds: 0 });
  const bytes = ensembleToOnnx(ensemble, {
    inputName: 'features',
    outputName: 'risk_score',
    producer: 'patch-risk-gate-test',
    docString: 'test model',
    metadata: { card: 'v001.card.json' }
  });
  const scoring = generate(10000, 12);
  const X = rowsAtThresholds(ensemble, scoring, 13);

  it('gives the trainer probabilities (within 1e-6) on 10k rows, incl. values equal to thresholds', () => {
    const onnx = runOnnx(bytes, X, scoring.nRows, 'features', ['risk_score']).risk_score;
    expect(onnx).toHaveLength(scoring.nRows);
    const ours = predictProbabilities(ensemble, X, scoring.nRows);
    let maxDiff = 0;
    for (let i = 0; i < scoring.nRows; i++) maxDiff = Math.max(maxDiff, Math.abs(onnx[i] - ours[i]));
    expect(maxDiff).toBeLessThanOrEqual(1e-6);
    // The check has teeth: scores vary, and rows at thresholds actually flip sides with their float32 neighbours.
    expect(Math.max(...ours) - Math.min(...ours)).toBeGreaterThan(0.5);
  });

  it('writes the declared opsets, names and metadata', () => {
    const model = decodeModel(bytes);
    expect(model.opset_import).toEqual(expect.arrayContaining([{ domain: 'ai.onnx.ml', version: 3 }, { version: 17 }]));
    expect(model.producer_name).toBe('patch-risk-gate-test');
    expect(model.doc_string).toBe('test model');
    expect(model.metadata_props).toEqual([{ key: 'card', value: 'v001.card.json' }]);
    expect(model.graph?.input?.[0].name).toBe('features');
    expect(model.graph?.output?.[0].name).toBe('risk_score');
  });

  it('reads its own export back to the same trees and margins', () => {
    const back = onnxToEnsemble(bytes);
    expect(back).toMatchObject({
      inputName: 'features',
      outputName: 'risk_score',
      nFeatures: N_FEATURES,
      postTransform: 'LOGISTIC',
      coverSource: 'hitrates'
    });
    expect(back.ensemble.baseScore).toBe(ensemble.baseScore);
    expect(back.ensemble.trees).toHaveLength(ensemble.trees.length);
    ensemble.trees.forEach((tree, k) => {
      const copy = back.ensemble.trees[k];
      expect(Array.from(copy.feature)).toEqual(Array.from(tree.feature));
      expect(Array.from(copy.threshold)).toEqual(Array.from(tree.threshold));
      expect(Array.from(copy.value)).toEqual(Array.from(tree.value));
      expect(Array.from(copy.cover)).toEqual(Array.from(tree.cover, Math.fround));
    });
    expect(predictMargins(back.ensemble, X, scoring.nRows)).toEqual(predictMargins(ensemble, X, scoring.nRows));
  });

  it('refuses bad names and non-ONNX bytes with a ModelError', () => {
    expect(() => ensembleToOnnx(ensemble, { inputName: 'x', outputName: 'x', producer: 'p' })).toThrow(ModelError);
    expect(() => onnxToEnsemble(Uint8Array.from([0xff, 0xff, 0xff, 0x01]))).toThrow(ModelError);
    const noTrees = encodeModel({
      ir_version: 8,
      graph: { node: [{ op_type: 'Relu', input: ['x'], output: ['y'] }], input: [{ name: 'x' }] }
    });
    expect(() => onnxToEnsemble(noTrees)).toThrow(/TreeEnsembleRegressor or TreeEnsembleClassifier.*Relu/);
  });
});

describe('ONNX import of a TreeEnsembleClassifier (as skl2onnx / onnxmltools write them)', () => {
  const train = generate(3000, 21);
  const { ensemble } = trainGbdt(train, { nTrees: 40, maxDepth: 4, earlyStoppingRounds: 0 });

  /**
   * The same ensemble as a binary classifier with LOGISTIC post-transform, weights for class 0 only,
   * and no hitrates. Even trees use BRANCH_LT (x <= t as x < nextUp(t)); odd trees BRANCH_GT with
   * swapped children; thresholds and weights as tensors.
   */
  function asClassifier(): Uint8Array {
    const a = {
      tree: [] as number[],
      node: [] as number[],
      feature: [] as number[],
      mode: [] as string[],
      value: [] as number[],
      yes: [] as number[],
      no: [] as number[]
    };
    const w = { tree: [] as number[], node: [] as number[], weight: [] as number[] };
    ensemble.trees.forEach((tree, t) => {
      for (let i = 0; i < tree.feature.length; i++) {
        const leaf = tree.feature[i] < 0;
        a.tree.push(t);
        a.node.push(i);
        a.feature.push(leaf ? 0 : tree.feature[i]);
        const lt = t % 2 === 0;
        a.mode.push(leaf ? 'LEAF' : lt ? 'BRANCH_LT' : 'BRANCH_GT');
        a.value.push(leaf ? 0 : lt ? nextUpFloat32(tree.threshold[i]) : tree.threshold[i]);
        a.yes.push(leaf ? 0 : lt ? tree.left[i] : tree.right[i]);
        a.no.push(leaf ? 0 : lt ? tree.right[i] : tree.left[i]);
        if (leaf) {
          w.tree.push(t);
          w.node.push(i);
          w.weight.push(tree.value[i]);
        }
      }
    });
    const utf8 = (s: string) => new TextEncoder().encode(s);
    const ints = (name: string, v: number[]): AttributeObj => ({ name, type: ATTR.INTS, ints: v });
    // onnxruntime's float kernel only unpacks float tensors; one as float_data, one as little-endian raw_data.
    const floatTensor = (name: string, v: number[]): AttributeObj => ({
      name,
      type: ATTR.TENSOR,
      t: { dims: [v.length], data_type: DTYPE.FLOAT, float_data: v }
    });
    const rawTensor = (name: string, v: number[]): AttributeObj => {
      const raw = new Uint8Array(Float32Array.from(v).buffer);
      return { name, type: ATTR.TENSOR, t: { dims: [v.length], data_type: DTYPE.FLOAT, raw_data: raw } };
    };
    const attribute: AttributeObj[] = [
      ints('classlabels_int64s', [0, 1]),
      { name: 'post_transform', type: ATTR.STRING, s: utf8('LOGISTIC') },
      { name: 'base_values', type: ATTR.FLOATS, floats: [ensemble.baseScore] },
      ints('nodes_treeids', a.tree),
      ints('nodes_nodeids', a.node),
      ints('nodes_featureids', a.feature),
      { name: 'nodes_modes', type: ATTR.STRINGS, strings: a.mode.map(utf8) },
      floatTensor('nodes_values_as_tensor', a.value),
      ints('nodes_truenodeids', a.yes),
      ints('nodes_falsenodeids', a.no),
      ints('class_treeids', w.tree),
      ints('class_nodeids', w.node),
      ints(
        'class_ids',
        w.tree.map(() => 0)
      ),
      rawTensor('class_weights_as_tensor', w.weight)
    ];
    const tensor = (name: string, elem: number, dims: { dim_value?: number; dim_param?: string }[]) => ({
      name,
      type: { tensor_type: { elem_type: elem, shape: { dim: dims } } }
    });
    return encodeModel({
      ir_version: 8,
      opset_import: [
        { domain: '', version: 17 },
        { domain: 'ai.onnx.ml', version: 3 }
      ],
      producer_name: 'hand-made',
      graph: {
        name: 'classifier',
        node: [{ op_type: 'TreeEnsembleClassifier', domain: 'ai.onnx.ml', input: ['X'], output: ['label', 'probabilities'], attribute }],
        input: [tensor('X', DTYPE.FLOAT, [{ dim_param: 'N' }, { dim_value: N_FEATURES }])],
        output: [
          tensor('label', DTYPE.INT64, [{ dim_param: 'N' }]),
          tensor('probabilities', DTYPE.FLOAT, [{ dim_param: 'N' }, { dim_value: 2 }])
        ]
      }
    });
  }

  it('reproduces onnxruntime probabilities and converts LT/GT splits exactly', () => {
    const bytes = asClassifier();
    const imported = onnxToEnsemble(bytes);
    expect(imported).toMatchObject({
      inputName: 'X',
      outputName: 'probabilities',
      postTransform: 'LOGISTIC',
      coverSource: 'none',
      nFeatures: N_FEATURES
    });
    const scoring = generate(3000, 22);
    const X = rowsAtThresholds(ensemble, scoring, 23);
    const probabilities = runOnnx(bytes, X, scoring.nRows, 'X', ['probabilities']).probabilities;
    expect(probabilities).toHaveLength(2 * scoring.nRows);
    const margins = predictMargins(imported.ensemble, X, scoring.nRows);
    expect(margins).toEqual(predictMargins(ensemble, X, scoring.nRows));
    let maxDiff = 0;
    for (let i = 0; i < scoring.nRows; i++) maxDiff = Math.max(maxDiff, Math.abs(probabilities[2 * i + 1] - sigmoid(margins[i])));
    expect(maxDiff).toBeLessThanOrEqual(1e-6);
  });

  it('leaves cover unknown (NaN) without hitrates, and coverFromData fills in row counts', () => {
    const imported = onnxToEnsemble(asClassifier());
    expect(Number.isNaN(imported.ensemble.trees[0].cover[0])).toBe(true);
    const withCover = coverFromData(imported.ensemble, train.X, train.nRows);
    for (const tree of withCover.trees) {
      expect(tree.cover[0]).toBe(train.nRows);
      for (let i = 0; i < tree.feature.length; i++) {
        if (tree.feature[i] >= 0) expect(tree.cover[tree.left[i]] + tree.cover[tree.right[i]]).toBe(tree.cover[i]);
      }
    }
  });
});

describe('shipped models', () => {
  // Each card records how its model was made; the trainer must make the same bytes again (the built CLI, as users run it).
  const BIN = path.resolve('lib/cli/bin.js');
  const cli = (args: string[], cwd: string): void => {
    const run = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`patch-risk ${args.join(' ')} failed: ${run.stderr}`);
  };
  const shippedSha = (name: string): string => JSON.parse(readFileSync(path.resolve('models', name, 'v001.card.json'), 'utf8')).sha256;

  it.each([
    [
      'firmware',
      [
        ['generate', '--rows', '20000', '--seed', '2026', '-o', 'data.csv'],
        ['train', 'data.csv', '-o', 'firmware']
      ]
    ],
    [
      'rollback',
      [
        ['generate', '--kind', 'deployment', '--rows', '20000', '--seed', '2026', '-o', 'data.csv'],
        [
          'train',
          'data.csv',
          '-o',
          'rollback',
          '--label',
          'rollback',
          '--id-column',
          'deployment_id',
          '--depth',
          '4',
          '--learning-rate',
          '0.05'
        ]
      ]
    ],
    ['jit', [['train-jit', '--projects', 'qt,openstack,jdt,platform', '--out', 'jit']]]
  ])('are rebuilt byte for byte from the recipe in their card (%s)', (name, commands) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'prg-repro-'));
    try {
      for (const args of commands) cli(args, dir);
      const bytes = readFileSync(path.join(dir, name, 'v001.onnx'));
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(shippedSha(name));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
