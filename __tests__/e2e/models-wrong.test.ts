/**
 * Models that are wrong: truncated or corrupt .onnx files, a card whose
 * sha256 does not match, a card with missing fields or none at all, a model
 * whose input differs from its card, a model that outputs NaN. Each is one
 * clear error line (exit 2) in the CLI, and in the action it fails the step
 * (fail closed): never a `pass` decision, never a comment — even when every
 * patch is calm.
 */
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ensureBundle } from '../helpers/action-harness.js';
import { FakeGitHub } from '../helpers/fake-github.js';
import { CALM, HEADER, Workspace } from '../helpers/hardening-harness.js';
import { ensembleToOnnx } from '../../src/model/onnx/export.js';
import { decodeModel, encodeModel } from '../../src/model/onnx/schema.js';
import type { Tree, TreeEnsemble } from '../../src/model/gbdt/ensemble.js';

const ROOT = path.resolve('.');
const BIN = path.join(ROOT, 'lib/cli/bin.js');
const GOOD_ONNX = readFileSync(path.join(ROOT, 'models/firmware/v001.onnx'));
const GOOD_CARD = JSON.parse(readFileSync(path.join(ROOT, 'models/firmware/v001.card.json'), 'utf8')) as Record<string, unknown>;

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** A one-split tree on feature 0 with the given leaf values. */
function stump(left: number, right: number): Tree {
  return {
    feature: Int32Array.from([0, -1, -1]),
    threshold: Float32Array.from([0.5, 0, 0]),
    left: Int32Array.from([1, -1, -1]),
    right: Int32Array.from([2, -1, -1]),
    value: Float64Array.from([0, left, right]),
    cover: Float64Array.from([2, 1, 1])
  };
}

function exportEnsemble(ensemble: TreeEnsemble): Uint8Array {
  return ensembleToOnnx(ensemble, { inputName: 'features', outputName: 'probability', producer: 'models-wrong-test' });
}

interface BadModel {
  name: string;
  onnx?: Uint8Array;
  /** The card's JSON text; undefined = no card file. */
  card?: string;
  /** What the one error line must say. */
  message: RegExp;
}

/** The firmware card, pointed at `bytes` (or with its sha256 left as it was), with `change` applied. */
function cardFor(bytes: Uint8Array | undefined, change: (card: Record<string, unknown>) => void = () => undefined): string {
  const card = structuredClone(GOOD_CARD);
  if (bytes) card.sha256 = sha256(bytes);
  change(card);
  return JSON.stringify(card, null, 2);
}

const truncated = GOOD_ONNX.subarray(0, Math.floor(GOOD_ONNX.length / 2));
const corrupt = Buffer.from(GOOD_ONNX);
for (let i = 0; i < 64; i++) corrupt[i] ^= 0xa5;
const threeFeatures = exportEnsemble({ nFeatures: 3, baseScore: 0, trees: [stump(-1, 1)] });
const nanLeaf = exportEnsemble({ nFeatures: 7, baseScore: 0, trees: [stump(Number.NaN, Number.NaN)] });

const BAD_MODELS: BadModel[] = [
  { name: 'truncated', onnx: truncated, card: cardFor(truncated), message: /onnxruntime cannot load the model/ },
  {
    name: 'truncated-old-card',
    onnx: truncated,
    card: cardFor(undefined),
    message: /sha256 [0-9a-f]{64} does not match the card's [0-9a-f]{64}; the model file was changed or corrupted/
  },
  { name: 'corrupt', onnx: corrupt, card: cardFor(corrupt), message: /onnxruntime cannot load the model/ },
  {
    name: 'sha-mismatch',
    onnx: GOOD_ONNX,
    card: cardFor(undefined, (card) => (card.sha256 = '0'.repeat(64))),
    message: /does not match the card's 0{64}/
  },
  {
    name: 'card-missing-fields',
    onnx: GOOD_ONNX,
    card: cardFor(GOOD_ONNX, (card) => {
      delete card.thresholds;
      delete card.features;
    }),
    message: /not a valid model card: .*features: .*thresholds: /
  },
  { name: 'card-not-json', onnx: GOOD_ONNX, card: '{"name": "firmware",', message: /the model card is not valid JSON/ },
  // Never quoted back: the card may be any file a symlink points at.
  { name: 'card-passwd', onnx: GOOD_ONNX, card: 'root:x:0:0:root:/root:/bin/bash\n', message: /the model card is not valid JSON$/ },
  { name: 'no-card', onnx: GOOD_ONNX, card: undefined, message: /the model card is missing/ },
  {
    name: 'three-features',
    onnx: threeFeatures,
    card: cardFor(threeFeatures),
    message: /the model expects float32\[N, 3\] but its card lists 7 float features/
  },
  {
    name: 'renamed-input',
    onnx: GOOD_ONNX,
    card: cardFor(GOOD_ONNX, (card) => (card.input_name = 'x')),
    message: /the model's inputs \(features\) do not match the card's input "x"/
  },
  {
    name: 'nan-output',
    onnx: nanLeaf,
    card: cardFor(nanLeaf),
    message: /the model returned NaN for row 1, not a probability; refusing to score/
  }
];

const workspace = new Workspace();
const github = new FakeGitHub();
let apiUrl: string;

beforeAll(async () => {
  ensureBundle();
  apiUrl = await github.start();
  workspace.write('patches.csv', `${HEADER}\nCALM-1,${CALM}\nCALM-2,${CALM}\n`);
  for (const model of BAD_MODELS) {
    if (model.onnx) workspace.write(`bad/${model.name}/v001.onnx`, model.onnx);
    if (model.card !== undefined) workspace.write(`bad/${model.name}/v001.card.json`, model.card);
  }
}, 180000);

afterAll(async () => {
  await github.stop();
  workspace.cleanup();
});

beforeEach(() => github.reset());

describe('a wrong model in the CLI', () => {
  it.each(BAD_MODELS.map((model) => [model.name, model] as const))('%s: exit 2 with one error line', (_, model) => {
    for (const command of ['gate', 'score']) {
      const run = spawnSync(process.execPath, [BIN, command, 'patches.csv', '--model', `bad/${model.name}/v001.onnx`], {
        cwd: workspace.dir,
        encoding: 'utf8'
      });
      expect(run.status).toBe(2);
      expect(run.stderr).toMatch(/^error: [^\n]+\n$/);
      expect(run.stderr.trimEnd()).toMatch(model.message);
      expect(run.stderr).not.toContain('root:x');
      expect(run.stdout).not.toMatch(/PASS/);
    }
  });

  it('the good model passes the same calm file (the failures above are the model, not the data)', () => {
    const run = spawnSync(process.execPath, [BIN, 'gate', 'patches.csv', '--model', path.join(ROOT, 'models/firmware/v001.onnx')], {
      cwd: workspace.dir,
      encoding: 'utf8'
    });
    expect(run.status).toBe(0);
  });
});

describe('a wrong model in the action', () => {
  it.each(BAD_MODELS.map((model) => [model.name, model] as const))('%s: fails the step, never passes, never comments', async (_, model) => {
    const result = await workspace.run({ apiUrl, inputs: { model: `bad/${model.name}/v001.onnx` } });
    expect(result.code).toBe(1);
    const errors = result.stdout.split('\n').filter((line) => line.startsWith('::error::'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(model.message);
    expect(result.outputs.decision).toBeUndefined();
    expect(result.stdout).not.toMatch(/PASS/);
    expect(github.requests).toHaveLength(0);
  });
});

/** `bytes` with an initializer no node uses, named `name` (onnxruntime removes it, with a warning quoting the name). */
function withUnusedInitializer(bytes: Uint8Array, name: string): Uint8Array {
  const model = decodeModel(bytes);
  const graph = model.graph ?? {};
  graph.initializer = [...(graph.initializer ?? []), { name, dims: [1], data_type: 1, float_data: [1] }];
  return encodeModel({ ...model, graph });
}

describe('a model whose names carry workflow commands', () => {
  const INJECTION = 'unused\n::warning::INJECTED\n::set-output name=decision::pass';
  const hostile = withUnusedInitializer(GOOD_ONNX, INJECTION);

  beforeAll(() => {
    workspace.write('hostile/v001.onnx', hostile);
    workspace.write('hostile/v001.card.json', cardFor(hostile));
  });

  /** Lines a runner would read as workflow commands, other than the token's mask. */
  const commands = (text: string): string[] =>
    text.split(/\r\n|\r|\n/).filter((line) => line.startsWith('::') && !line.startsWith('::add-mask::'));

  it.each([['model'], ['challenger-model']])('through %s: loads and scores, and onnxruntime prints nothing', async (input) => {
    const result = await workspace.run({ apiUrl, inputs: { [input]: './hostile', comment: 'never' } });
    expect(result.code).toBe(0);
    expect(result.outputs.decision).toBe('pass');
    if (input === 'challenger-model') expect(result.summary).toContain('Challenger');
    for (const text of [result.stdout, result.stderr]) {
      expect(text).not.toContain('INJECTED');
      expect(commands(text)).toEqual([]);
    }
  });

  it('in the CLI too', () => {
    const run = spawnSync(process.execPath, [BIN, 'gate', 'patches.csv', '--model', 'hostile/v001.onnx', '--out', 'hostile.scored.csv'], {
      cwd: workspace.dir,
      encoding: 'utf8'
    });
    expect(run.status).toBe(0);
    expect(run.stderr).toBe('');
    expect(commands(run.stdout)).toEqual([]);
  });
});

describe('model files that lead outside the workspace through a symlink', () => {
  const outside = path.join(workspace.work, 'outside-model');

  beforeAll(() => {
    mkdirSync(outside, { recursive: true });
    writeFileSync(path.join(outside, 'v001.onnx'), GOOD_ONNX);
    for (const name of ['onnx', 'card', 'registry']) mkdirSync(path.join(workspace.dir, `links/${name}`), { recursive: true });
    symlinkSync(path.join(outside, 'v001.onnx'), path.join(workspace.dir, 'links/onnx/v001.onnx'));
    writeFileSync(path.join(workspace.dir, 'links/onnx/v001.card.json'), cardFor(GOOD_ONNX));
    writeFileSync(path.join(workspace.dir, 'links/card/v001.onnx'), GOOD_ONNX);
    symlinkSync('/etc/passwd', path.join(workspace.dir, 'links/card/v001.card.json'));
    writeFileSync(path.join(workspace.dir, 'links/registry/v001.onnx'), GOOD_ONNX);
    writeFileSync(path.join(workspace.dir, 'links/registry/v001.card.json'), cardFor(GOOD_ONNX));
    symlinkSync('/etc/passwd', path.join(workspace.dir, 'links/registry/registry.json'));
  });

  it.each([
    [
      'onnx',
      /^::error::links\/onnx\/v001\.onnx: the model file leads outside .* \(to .*\/outside-model\/v001\.onnx\) through a symbolic link; refusing to read it$/m
    ],
    [
      'card',
      /^::error::links\/card\/v001\.card\.json: the model card leads outside .* \(to \/etc\/passwd\) through a symbolic link; refusing to read it$/m
    ],
    [
      'registry',
      /^::error::links\/registry\/registry\.json: the model registry leads outside .* \(to \/etc\/passwd\) through a symbolic link; refusing to read it$/m
    ]
  ])('a symlinked %s file: the action refuses the model (and the challenger) without reading it', async (name, message) => {
    const result = await workspace.run({ apiUrl, inputs: { model: `./links/${name}`, comment: 'never' } });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(message);
    expect(result.outputs.decision).toBeUndefined();
    expect(result.stdout).not.toContain('root:');
    const challenger = await workspace.run({ apiUrl, inputs: { 'challenger-model': `./links/${name}`, comment: 'never' } });
    expect(challenger.code).toBe(0);
    expect(challenger.outputs.decision).toBe('pass');
    expect(challenger.stdout).toMatch(
      /^::warning::challenger-model: links\/.* leads outside .*; refusing to read it \(the gate is unaffected\)$/m
    );
    expect(challenger.stdout).not.toContain('root:');
  });

  it('the CLI (not confined) never quotes a card or registry it cannot read as JSON', () => {
    for (const name of ['card', 'registry']) {
      const run = spawnSync(process.execPath, [BIN, 'score', 'patches.csv', '--model', `links/${name}`], {
        cwd: workspace.dir,
        encoding: 'utf8'
      });
      expect(run.status).toBe(2);
      expect(run.stderr).toMatch(/^error: links\/\w+\/(v001\.card|registry)\.json: (the model card is )?not valid JSON\n$/);
      expect(run.stderr).not.toContain('root');
    }
  });
});
