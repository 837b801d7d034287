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
  currentChampion,
  generateFirmwarePatches,
  judgeCandidate,
  readRegistry,
  resolveModel,
  tableFromRaw,
  trainModel,
  writeModelVersion,
  type HoldoutMetrics,
  type PairedAucDifference,
  type Promotion,
  type RawTable
} from '../../src/index.js';
import { checkGates } from '../../src/model/lifecycle/gate.js';
import { promotedRegistry } from '../../src/model/lifecycle/promote.js';
import { writeRegistry } from '../../src/model/lifecycle/registry.js';
import { type FirmwarePatch } from '../../src/model/data/generate.js';

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

const interval = (difference: number, low: number, high: number): PairedAucDifference => ({
  difference,
  low,
  high,
  confidence: 0.95,
  resamples: 2000,
  seed: 1
});

describe('checkGates', () => {
  const gates = { min_roc_auc: 0.7, min_f1: 0.3, max_auc_drop: 0.01 };
  it('passes each gate at its limit and fails below it', () => {
    const passed = checkGates(metrics('v002', 0.8, 0.4), metrics('v001', 0.81, 0.5), gates, interval(-0.01, -0.03, 0.01));
    expect(passed.map((r) => r.passed)).toEqual([true, true, true, true]);
    const failed = checkGates(metrics('v002', 0.69, 0.29), metrics('v001', 0.75, 0.5), gates, interval(-0.06, -0.09, -0.03));
    expect(failed.map((r) => [r.gate, r.passed])).toEqual([
      ['min_roc_auc', false],
      ['min_f1', false],
      ['max_auc_drop', false],
      ['auc_noise', false]
    ]);
    expect(failed[2].value).toBeCloseTo(0.06, 12);
    expect(checkGates(metrics('v002', 0.7, 0.3), undefined, gates).map((r) => [r.passed, r.value])).toEqual([
      [true, 0.7],
      [true, 0.3],
      [true, null],
      [true, null]
    ]);
  });

  it('refuses a drop within the tolerance when it is beyond the noise, and accepts one within the noise', () => {
    // The case that promoted a worse model: 0.8194 against 0.8247 is inside the 0.01 tolerance.
    const beyond = checkGates(metrics('v003', 0.8194, 0.5), metrics('v002', 0.8247, 0.55), gates, interval(-0.0053, -0.009, -0.0016));
    expect(beyond.map((r) => [r.gate, r.passed])).toEqual([
      ['min_roc_auc', true],
      ['min_f1', true],
      ['max_auc_drop', true],
      ['auc_noise', false]
    ]);
    expect(beyond[3].text).toBe(
      'change -0.0053 (95% interval -0.0090 to -0.0016): worse beyond the noise of these rows (the whole interval is below 0)'
    );
    const within = checkGates(metrics('v003', 0.8194, 0.5), metrics('v002', 0.8247, 0.55), gates, interval(-0.0053, -0.014, 0.004));
    expect(within[3]).toMatchObject({ passed: true, value: 0.004 });
    expect(within[3].text).toMatch(/: the drop is within the noise of these rows \(the interval reaches 0\)$/);
    // A wide interval never lets through a drop beyond the tolerance.
    const wide = checkGates(metrics('v003', 0.8, 0.5), metrics('v002', 0.82, 0.55), gates, interval(-0.02, -0.06, 0.02));
    expect(wide.map((r) => r.passed)).toEqual([true, true, false, true]);
    expect(() => checkGates(metrics('v003', 0.8, 0.5), metrics('v002', 0.82, 0.55), gates)).toThrow(/needs its bootstrap/);
  });
});

describe('promotedRegistry', () => {
  // A real judgement on a small labelled set: the candidate ranks better than the champion.
  const labels = Uint8Array.from({ length: 40 }, (_, i) => (i % 4 === 0 ? 1 : 0));
  const candidateScores = Float64Array.from(labels, (label, i) => (label ? 0.6 : 0.4) + ((i * 37) % 11) / 50);
  const championScores = Float64Array.from(labels, (label, i) => (label ? 0.55 : 0.45) + ((i * 53) % 13) / 30);
  const judged = (withChampion: boolean) =>
    judgeCandidate({
      holdout: 'h.csv',
      labels,
      candidate: { version: 'v002', scores: candidateScores, threshold: 0.5 },
      baseline: withChampion ? { version: 'v001', scores: championScores, threshold: 0.5 } : undefined,
      gates: { ...DEFAULT_GATES, min_f1: 0 }
    });
  const promotion = (previous: Promotion['previous'], withChampion = true): Promotion => ({ ...judged(withChampion), dir: 'd', previous });
  const now = new Date('2025-01-02T03:04:05Z');

  it('records the previously served version as initial in a first registry, and the interval of the change', () => {
    const first = promotion({ version: 'v001', recorded: false });
    expect(first.passed).toBe(true);
    const registry = promotedRegistry(undefined, first, 'why', now);
    expect(registry.champion).toBe('v002');
    expect(registry.gates).toEqual(DEFAULT_GATES);
    expect(registry.history.map((e) => [e.version, e.action, e.date, e.reason])).toEqual([
      ['v001', 'initial', '2025-01-02T03:04:05.000Z', 'served before the first promotion: v001 (the newest version; no registry.json yet)'],
      ['v002', 'promoted', '2025-01-02T03:04:05.000Z', 'why']
    ]);
    expect(registry.history[1]).toMatchObject({
      metrics: { roc_auc: first.candidate.roc_auc, f1: first.candidate.f1, holdout: 'h.csv' },
      comparison: {
        against: 'v001',
        roc_auc_difference: first.comparison!.difference,
        interval: [first.comparison!.low, first.comparison!.high],
        confidence: 0.95,
        resamples: 2000,
        seed: 1
      }
    });
    expect(registry.history[0].comparison).toBeUndefined();
  });

  it('records the newest version it already served as one promoted entry, with nothing to compare', () => {
    const registry = promotedRegistry(undefined, promotion({ version: 'v002', recorded: false }, false), 'why', now);
    expect(registry.history.map((e) => [e.version, e.action, e.comparison])).toEqual([['v002', 'promoted', undefined]]);
  });

  it('appends to an existing history and keeps the stored gates', () => {
    const previous = { champion: 'v001', gates: { min_roc_auc: 0.6, min_f1: 0.2, max_auc_drop: 0.05 }, history: [] };
    const registry = promotedRegistry(previous, promotion({ version: 'v001', recorded: true }), 'r', now);
    expect(registry.gates).toEqual(previous.gates);
    expect(registry.history.map((e) => e.action)).toEqual(['promoted']);
    expect(() => promotedRegistry(previous, { ...promotion({ version: 'v001', recorded: true }), passed: false }, 'r', now)).toThrow(
      /blocked/
    );
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
    expect(currentChampion(dir)).toEqual({ version: 'v007', recorded: true });
    expect(readdirSync(dir)).toEqual(['registry.json']);
  });

  it('reads files written before history entries had a comparison (the shipped registries)', () => {
    for (const name of ['firmware', 'jit', 'rollback']) {
      const registry = readRegistry(path.resolve('models', name));
      expect(registry?.champion).toBe('v001');
      expect(registry?.history.every((entry) => entry.comparison === undefined)).toBe(true);
    }
    const dir = mkdtempSync(path.join(tmpdir(), 'prg-registry-old-'));
    const old = {
      champion: 'v002',
      gates: { min_roc_auc: 0.7, min_f1: 0.3, max_auc_drop: 0.01 },
      history: [
        { version: 'v001', date: '2024-01-01T00:00:00.000Z', metrics: { roc_auc: 0.8 }, reason: 'old', action: 'initial' },
        { version: 'v002', date: '2024-01-02T00:00:00.000Z', metrics: { roc_auc: 0.81, holdout: 'h.csv' }, reason: 'x', action: 'promoted' }
      ]
    };
    writeFileSync(path.join(dir, 'registry.json'), JSON.stringify(old));
    expect(readRegistry(dir)).toEqual(old);
    writeFileSync(
      path.join(dir, 'registry.json'),
      JSON.stringify({ ...old, history: [{ ...old.history[1], comparison: { against: 'v001', interval: [0.1] } }] })
    );
    expect(() => readRegistry(dir)).toThrow(/not a valid registry: history\.0\.comparison\./);
  });
});

// Promotion scores with onnxruntime, which refuses typed arrays from jest's VM realm (see
// onnx.test.ts), so these run the built CLI (npm test builds lib/ first) as users do.
const BIN = path.resolve('lib/cli/bin.js');
function run(args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The patches with a share of their labels flipped (seeded): a model trained on them ranks worse, but not uselessly. */
function noisyLabels(patches: FirmwarePatch[], share: number, seed: number): FirmwarePatch[] {
  let state = seed;
  return patches.map((patch) => {
    state = (state * 16807) % 2147483647;
    return state / 2147483647 < share ? { ...patch, high_risk_flag: (1 - patch.high_risk_flag) as 0 | 1 } : patch;
  });
}

/** The model_version column of `score`'s CSV: the version scoring actually served. */
function servedVersion(dir: string, patches: string): string {
  const { code, stdout } = run(['score', patches, '--model', dir]);
  expect(code).toBe(0);
  const rows = Papa.parse<Record<string, string>>(stdout, { header: true, skipEmptyLines: true }).data;
  return [...new Set(rows.map((row) => row.model_version))].join(',');
}

describe('the champion before any registry.json is the newest version, everywhere', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'prg-first-'));
  const dir = path.join(root, 'fw');
  const holdout = path.join(root, 'holdout.csv');

  beforeAll(async () => {
    writeFileSync(holdout, Papa.unparse(generateFirmwarePatches(1500, 4242)));
    await addVersion(dir, 'v001', generateFirmwarePatches(3000, 77), 1);
    await addVersion(dir, 'v002', generateFirmwarePatches(3000, 78), 2);
  });

  it('models list, scoring and a blocked promote all name v002', () => {
    expect(currentChampion(dir)).toEqual({ version: 'v002', recorded: false });
    expect(resolveModel(dir, tmpdir()).version).toBe('v002');
    expect(servedVersion(dir, holdout)).toBe('v002');
    const list = run(['models', 'list', '--dir', dir]).stdout;
    expect(list).toMatch(/\n {2}champion: v002 \(the newest version; no registry.json yet\)\n/);
    expect(list).toMatch(/\n {2}v002 .* \* champion\n/);
    const blocked = run(['promote', dir, 'v001', '--holdout', holdout, '--min-auc', '0.99']);
    expect(blocked.code).toBe(1);
    expect(blocked.stdout).toMatch(/candidate v001 +champion v002\n/);
    expect(blocked.stdout).toMatch(
      /\nblocked v001: failed min_roc_auc, max_auc_drop; the champion stays v002 \(the newest version; no registry.json yet\), nothing was changed\n$/
    );
    expect(readRegistry(dir)).toBeUndefined();
  });

  it('promoting v002 records the version already served, without comparing it with v001', () => {
    const { code, stdout } = run(['promote', dir, 'v002', '--holdout', holdout]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/candidate v002 +champion \(none\)\n/);
    expect(stdout).toMatch(
      /\nchampion before: v002 \(the newest version; no registry.json yet\), the candidate itself: nothing to compare with\n/
    );
    expect(stdout).not.toMatch(/v001/);
    expect(stdout).toMatch(/\naccepted: no champion to compare with; ROC-AUC 0\.\d{4} >= 0\.7 and F1 0\.\d{4} >= 0\.3\n/);
    expect(stdout).toMatch(/\npromoted v002: .* already served it as its newest version; registry.json now records it as the champion\n$/);
    const registry = readRegistry(dir);
    expect(registry?.champion).toBe('v002');
    expect(registry?.history.map((e) => [e.version, e.action, e.reason])).toEqual([
      [
        'v002',
        'promoted',
        `gates passed on ${holdout}: already served as the newest version (no registry.json before), nothing to compare with`
      ]
    ]);
    expect(resolveModel(dir, tmpdir()).version).toBe('v002');
    expect(servedVersion(dir, holdout)).toBe('v002');
    // From now on the recorded champion is the one to beat.
    const next = run(['promote', dir, 'v001', '--holdout', holdout, '--min-auc', '0.99']);
    expect(next.stdout).toMatch(/candidate v001 +champion v002\n/);
    expect(next.stdout).toMatch(/the champion stays v002, nothing was changed\n$/);
  });
});

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
    expect(run(['models', 'list', '--dir', dir]).stdout).toMatch(/champion: v003 \(the newest version; no registry.json yet\)/);
  });

  it('promotes a version against the newest one (the one served) and records both, with the interval, in a first registry', () => {
    const { code, stdout } = run(['promote', dir, 'v001', '--holdout', holdout]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/candidate v001 +champion v003/);
    expect(stdout).toMatch(/PASS {2}min_roc_auc {3}ROC-AUC 0\.\d{4}, needs >= 0\.7/);
    expect(stdout).toMatch(
      /\nROC-AUC change \+0\.\d{4}, 95% interval \+0\.\d{4} to \+0\.\d{4} \(paired bootstrap: 2000 resamples of these rows, seed 1\)\n/
    );
    expect(stdout).toMatch(/ {2}PASS {2}auc_noise {5}change \+0\.\d{4} \(95% interval .*\): better beyond the noise of these rows/);
    expect(stdout).toMatch(
      /\naccepted: ROC-AUC 0\.\d{4} vs 0\.\d{4} for champion v003: better beyond the noise of these rows \(change \+0\.\d{4}, 95% interval/
    );
    expect(stdout).toMatch(/promoted v001: it is now the champion of /);
    const registry = readRegistry(dir);
    expect(registry?.champion).toBe('v001');
    expect(registry?.gates).toEqual(DEFAULT_GATES);
    expect(registry?.history.map((e) => [e.version, e.action, e.metrics.holdout, e.reason])).toEqual([
      ['v003', 'initial', holdout, 'served before the first promotion: v003 (the newest version; no registry.json yet)'],
      ['v001', 'promoted', holdout, `gates passed on ${holdout}: ROC-AUC better than champion v003 beyond the noise of the holdout`]
    ]);
    const promoted = registry!.history[1];
    expect(Number(promoted.metrics.roc_auc)).toBeGreaterThan(0.75);
    expect(promoted.comparison).toMatchObject({ against: 'v003', confidence: 0.95, resamples: 2000, seed: 1 });
    const [low, high] = promoted.comparison!.interval;
    expect(low).toBeGreaterThan(0);
    expect(low).toBeLessThan(promoted.comparison!.roc_auc_difference);
    expect(high).toBeGreaterThan(promoted.comparison!.roc_auc_difference);
    expect(resolveModel(dir, tmpdir()).version).toBe('v001');
    const list = run(['models', 'list', '--dir', root]).stdout;
    expect(list).toMatch(/v001 .* \* champion\n {2}v002 /);
    expect(list).toMatch(
      /\n {4}\d{4}-\d\d-\d\d promoted v001: gates passed on .*: ROC-AUC better than champion v003 beyond the noise of the holdout \(ROC-AUC vs v003 \+0\.\d{4}, 95% interval \+0\.\d{4} to \+0\.\d{4}\)\n/
    );
  });

  it('blocks a candidate trained on shuffled labels (exit 1) and leaves the champion and registry.json byte-identical', () => {
    const before = { registry: read('registry.json'), onnx: read('v001.onnx'), card: read('v001.card.json'), files: readdirSync(dir) };
    const { code, stdout } = run(['promote', dir, 'v003', '--holdout', holdout]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/FAIL {2}min_roc_auc/);
    expect(stdout).toMatch(/FAIL {2}max_auc_drop/);
    expect(stdout).toMatch(/FAIL {2}auc_noise/);
    expect(stdout).toMatch(/\nrefused: min_roc_auc: ROC-AUC 0\.\d{4}, needs >= 0\.7; .*beyond the noise of these rows/);
    expect(stdout).toMatch(
      /blocked v003: failed min_roc_auc, (min_f1, )?max_auc_drop, auc_noise; the champion stays v001, nothing was changed\n$/
    );
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
    expect(registry?.history.at(-1)?.comparison?.against).toBe('v001');
  });

  it('no tolerance lets through a candidate worse beyond the noise of the holdout', async () => {
    await addVersion(dir, 'v004', noisyLabels(generateFirmwarePatches(3000, 78), 0.1, 11), 4);
    const before = read('registry.json');
    const { code, stdout } = run(['promote', dir, 'v004', '--holdout', holdout, '--max-auc-drop', '0.2']);
    expect(stdout).toMatch(/ {2}PASS {2}min_roc_auc /);
    expect(stdout).toMatch(/ {2}PASS {2}max_auc_drop {2}ROC-AUC change vs champion v002 -0\.\d{4}, drop allowed <= 0\.2\n/);
    expect(stdout).toMatch(/ {2}FAIL {2}auc_noise {5}change -0\.\d{4} \(95% interval -0\.\d{4} to -0\.\d{4}\): worse beyond the noise/);
    expect(stdout).toMatch(
      /\nrefused: ROC-AUC 0\.\d{4} is 0\.\d{4} below champion v002's 0\.\d{4}, beyond the noise of these rows \(95% interval -0\.\d{4} to -0\.\d{4} of the change is below 0\)\n/
    );
    expect(stdout).toMatch(/\nblocked v004: failed auc_noise; the champion stays v002, nothing was changed\n$/);
    expect(code).toBe(1);
    expect(read('registry.json').equals(before)).toBe(true);
  });

  it('exits 2 with one line for unknown versions, the current champion, one-class holdouts and bad flags', () => {
    const unknown = run(['promote', dir, 'v009', '--holdout', holdout]);
    expect([unknown.code, unknown.stderr]).toEqual([2, `error: ${dir}: version v009 does not exist (have: v001, v002, v003, v004)\n`]);
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

  it('documents the gates, the noise rule and the champion rule in --help', () => {
    const help = run(['promote', '--help']).stdout;
    expect(help).toMatch(/auc_noise {5}a candidate with a lower ROC-AUC than the champion passes only\n/);
    expect(help).toMatch(/2000 resamples of the holdout rows, the same rows for both/);
    expect(help).toMatch(/a folder without registry.json\nserves its newest version, so that is the champion/);
    expect(run(['retrain', '--help']).stdout).toContain(help.slice(help.indexOf('Gates (every one must pass')));
  });
});
