import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Papa from 'papaparse';
import {
  DEFAULT_GATES,
  FIRMWARE_SCHEMA,
  ModelError,
  championVersion,
  generateFirmwarePatches,
  readRegistry,
  resolveModel,
  tableFromRaw,
  trainModel,
  writeModelVersion,
  type HoldoutMetrics,
  type Promotion,
  type RawTable
} from '../src/index.js';
import { checkGates, promotedRegistry } from '../src/model/lifecycle/promote.js';
import { writeRegistry } from '../src/model/lifecycle/registry.js';
import { type FirmwarePatch } from '../src/model/data/generate.js';

function rawOf(patches: FirmwarePatch[]): RawTable {
  const columns = Object.keys(patches[0]);
  const rows = patches.map((patch) => columns.map((name) => String(patch[name as keyof FirmwarePatch])));
  return { columns, rows, lines: Int32Array.from(rows, (_, i) => i + 2) };
}

function shuffledLabels(patches: FirmwarePatch[], seed: number): FirmwarePatch[] {
  const labels = patches.map((patch) => patch.high_risk_flag);
  let state = seed;
  for (let i = labels.length - 1; i > 0; i--) {
    state = (state * 16807) % 2147483647;
    const j = state % (i + 1);
    [labels[i], labels[j]] = [labels[j], labels[i]];
  }
  return patches.map((patch, i) => ({ ...patch, high_risk_flag: labels[i] }));
}

async function addVersion(dir: string, version: string, patches: FirmwarePatch[], seed: number): Promise<void> {
  const table = tableFromRaw('train.csv', rawOf(patches), {
    features: FIRMWARE_SCHEMA.features,
    idColumn: 'patch_id',
    label: 'high_risk_flag'
  });
  const model = trainModel(
    table,
    FIRMWARE_SCHEMA,
    { name: 'fw', validationFraction: 0.2, split: 'random', seed, params: { nTrees: 60 }, data: 'generated', provenance: 'test' },
    version
  );
  await writeModelVersion(dir, model);
}

const metrics = (version: string, roc_auc: number, f1: number): HoldoutMetrics => ({
  version,
  roc_auc,
  f1,
  precision: f1,
  recall: f1,
  threshold: 0.3,
  rows: 100,
  positives: 20
});

describe('checkGates', () => {
  it('passes each gate at its limit and fails below it', () => {
    const gates = { min_roc_auc: 0.7, min_f1: 0.3, max_auc_drop: 0.01 };
    expect(checkGates(metrics('v002', 0.8, 0.4), metrics('v001', 0.81, 0.5), gates).map((r) => r.passed)).toEqual([true, true, true]);
    const failed = checkGates(metrics('v002', 0.69, 0.29), metrics('v001', 0.75, 0.5), gates);
    expect(failed.map((r) => [r.gate, r.passed])).toEqual([
      ['min_roc_auc', false],
      ['min_f1', false],
      ['max_auc_drop', false]
    ]);
    expect(failed[2].value).toBeCloseTo(0.06, 12);
    expect(checkGates(metrics('v002', 0.7, 0.3), undefined, gates).map((r) => [r.passed, r.value])).toEqual([
      [true, 0.7],
      [true, 0.3],
      [true, null]
    ]);
  });
});

describe('promotedRegistry', () => {
  const promotion = (champion?: HoldoutMetrics): Promotion => ({
    dir: 'd',
    holdout: 'h.csv',
    gates: DEFAULT_GATES,
    candidate: metrics('v002', 0.8, 0.5),
    champion,
    hadRegistry: false,
    results: checkGates(metrics('v002', 0.8, 0.5), champion, DEFAULT_GATES),
    promoted: true
  });
  const now = new Date('2025-01-02T03:04:05Z');

  it('records the previously served version as initial in a first registry', () => {
    const registry = promotedRegistry(undefined, promotion(metrics('v001', 0.79, 0.5)), 'why', now);
    expect(registry.champion).toBe('v002');
    expect(registry.gates).toEqual(DEFAULT_GATES);
    expect(registry.history.map((e) => [e.version, e.action, e.date])).toEqual([
      ['v001', 'initial', '2025-01-02T03:04:05.000Z'],
      ['v002', 'promoted', '2025-01-02T03:04:05.000Z']
    ]);
    expect(registry.history[1]).toMatchObject({ reason: 'why', metrics: { roc_auc: 0.8, f1: 0.5, holdout: 'h.csv' } });
  });

  it('appends to an existing history and keeps the stored gates', () => {
    const previous = { champion: 'v001', gates: { min_roc_auc: 0.6, min_f1: 0.2, max_auc_drop: 0.05 }, history: [] };
    const registry = promotedRegistry(previous, promotion(metrics('v001', 0.79, 0.5)), 'r', now);
    expect(registry.gates).toEqual(previous.gates);
    expect(registry.history.map((e) => e.action)).toEqual(['promoted']);
    expect(() => promotedRegistry(previous, { ...promotion(), promoted: false }, 'r', now)).toThrow(/blocked/);
  });
});

describe('registry.json', () => {
  it('is validated with an error naming the file, and written without leaving temp files', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'prg-registry-'));
    writeFileSync(path.join(dir, 'registry.json'), '{"champion": "latest"}');
    expect(() => readRegistry(dir)).toThrow(ModelError);
    expect(() => readRegistry(dir)).toThrow(`${path.join(dir, 'registry.json')}: not a valid registry: champion:`);
    writeRegistry(dir, { champion: 'v007', gates: { ...DEFAULT_GATES }, history: [] });
    expect(readRegistry(dir)?.champion).toBe('v007');
    expect(championVersion(dir)).toBe('v007');
    expect(readdirSync(dir)).toEqual(['registry.json']);
  });
});

// Promotion scores with onnxruntime, which refuses typed arrays from jest's VM realm (see
// onnx.test.ts), so these run the built CLI (npm test builds lib/ first) as users do.
const BIN = path.resolve('lib/cli/bin.js');
function run(args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('patch-risk promote', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'prg-promote-'));
  const dir = path.join(root, 'fw');
  const holdout = path.join(root, 'holdout.csv');
  const history = generateFirmwarePatches(3000, 77);
  const read = (file: string) => readFileSync(path.join(dir, file));

  beforeAll(async () => {
    writeFileSync(holdout, Papa.unparse(generateFirmwarePatches(1500, 4242)));
    await addVersion(dir, 'v001', history, 1);
    await addVersion(dir, 'v002', generateFirmwarePatches(3000, 78), 2);
    await addVersion(dir, 'v003', shuffledLabels(history, 9), 3);
  });

  it('before any registry a folder serves its newest version', () => {
    expect(readRegistry(dir)).toBeUndefined();
    expect(resolveModel(dir, tmpdir()).version).toBe('v003');
    expect(run(['models', 'list', '--dir', dir]).stdout).toMatch(/champion: v003 \(newest version; no registry.json yet\)/);
  });

  it('promotes a version against the newest other one and records both in a first registry', () => {
    const { code, stdout } = run(['promote', dir, 'v001', '--holdout', holdout]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/candidate v001 +champion v003/);
    expect(stdout).toMatch(/PASS {2}min_roc_auc {3}ROC-AUC 0\.\d{4}, needs >= 0\.7/);
    expect(stdout).toMatch(/promoted v001: it is now the champion of /);
    const registry = readRegistry(dir);
    expect(registry?.champion).toBe('v001');
    expect(registry?.gates).toEqual(DEFAULT_GATES);
    expect(registry?.history.map((e) => [e.version, e.action, e.metrics.holdout])).toEqual([
      ['v003', 'initial', holdout],
      ['v001', 'promoted', holdout]
    ]);
    expect(Number(registry?.history[1].metrics.roc_auc)).toBeGreaterThan(0.75);
    expect(resolveModel(dir, tmpdir()).version).toBe('v001');
    expect(run(['models', 'list', '--dir', root]).stdout).toMatch(/v001 .* \* champion\n {2}v002 /);
  });

  it('blocks a candidate trained on shuffled labels (exit 1) and leaves the champion and registry.json byte-identical', () => {
    const before = { registry: read('registry.json'), onnx: read('v001.onnx'), card: read('v001.card.json'), files: readdirSync(dir) };
    const { code, stdout } = run(['promote', dir, 'v003', '--holdout', holdout]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/FAIL {2}min_roc_auc/);
    expect(stdout).toMatch(/FAIL {2}max_auc_drop/);
    expect(stdout).toMatch(/blocked v003: failed min_roc_auc, (min_f1, )?max_auc_drop; the champion stays v001, nothing was changed\n$/);
    expect(read('registry.json').equals(before.registry)).toBe(true);
    expect(read('v001.onnx').equals(before.onnx)).toBe(true);
    expect(read('v001.card.json').equals(before.card)).toBe(true);
    expect(readdirSync(dir)).toEqual(before.files);
    expect(resolveModel(dir, tmpdir()).version).toBe('v001');
  });

  it('applies gate flags for one run without storing them', () => {
    const before = read('registry.json');
    expect(run(['promote', dir, 'v002', '--holdout', holdout, '--min-auc', '0.99']).code).toBe(1);
    expect(read('registry.json').equals(before)).toBe(true);
    const lenient = run(['promote', dir, 'v002', '--holdout', holdout, '--max-auc-drop', '0.2', '--reason', 'fresher data']);
    expect(lenient.code).toBe(0);
    const registry = readRegistry(dir);
    expect(registry?.champion).toBe('v002');
    expect(registry?.gates).toEqual(DEFAULT_GATES);
    expect(registry?.history.at(-1)).toMatchObject({ version: 'v002', action: 'promoted', reason: 'fresher data' });
  });

  it('exits 2 with one line for unknown versions, the current champion, one-class holdouts and bad flags', () => {
    const unknown = run(['promote', dir, 'v009', '--holdout', holdout]);
    expect([unknown.code, unknown.stderr]).toEqual([2, `error: ${dir}: version v009 does not exist (have: v001, v002, v003)\n`]);
    expect(run(['promote', dir, 'v002', '--holdout', holdout]).stderr).toMatch(/v002 is already the champion\n$/);
    const zeros = path.join(root, 'zeros.csv');
    writeFileSync(zeros, Papa.unparse(generateFirmwarePatches(200, 1).map((p) => ({ ...p, high_risk_flag: 0 }))));
    const oneClass = run(['promote', dir, 'v001', '--holdout', zeros]);
    expect([oneClass.code, oneClass.stderr]).toEqual([
      2,
      `error: ${zeros}: the holdout has only one class; judging a model needs rows labelled 0 and 1\n`
    ]);
    expect(run(['promote', dir, 'v001', '--holdout', holdout, '--min-auc', '2']).code).toBe(2);
    expect(run(['promote', dir, 'v001']).code).toBe(2);
  });
});
