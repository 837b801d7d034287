/**
 * `patch-risk train-repo --metrics FILE` as users run it: the built bin, the
 * shipped `jit` model as the default to beat (onnxruntime cannot run inside
 * jest's VM sandbox, so the CLI runs in its own process).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readRegistry, type ModelCard } from '../../src/index.js';
import { HOUR, historyCsv, historyRows } from '../helpers/repo-history.js';

const BIN = path.resolve('lib/cli/bin.js');

function run(args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function card(file: string): ModelCard {
  return JSON.parse(readFileSync(file, 'utf8')) as ModelCard;
}

describe('patch-risk train-repo --metrics', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'train-repo-cli-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('promotes a model that beats the shipped jit model on the newest commits, and its card says so (exit 0)', () => {
    const data = path.join(dir, 'age.csv');
    writeFileSync(data, historyCsv(historyRows({ rows: 1500, seed: 21, cause: 'age' })));
    const out = path.join(dir, 'promoted');
    const result = run(['train-repo', '--metrics', data, '--out', out, '--label-delay', '0', '--pool', 'never']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('training period: 1,500 labelled commits');
    expect(result.stdout).toContain('candidate v001');
    expect(result.stdout).toContain('default jit v001');
    expect(result.stdout).toMatch(/beats the default beyond the noise \(the whole interval above 0\): yes/);
    expect(result.stdout).toMatch(/\npromoted: ROC-AUC /);
    expect(result.stdout).toContain(`${out}: v001 is the champion (registry.json)`);
    expect(readRegistry(out)?.champion).toBe('v001');
    const written = card(path.join(out, 'v001.card.json'));
    expect(written.repository?.source).toBe('metrics');
    expect(written.repository?.name).toBe(data);
    expect(written.repository?.comparison.default_model).toBe('jit v001');
    expect(written.repository?.beat_default).toBe(true);
    expect(written.training.provenance).toBe(`patch-risk train-repo --metrics ${data} --out ${out} --label-delay 0 --pool never`);
  });

  it('refuses a candidate that cannot beat the default: exit 1, the version is written, no champion', () => {
    const data = path.join(dir, 'noise.csv');
    writeFileSync(data, historyCsv(historyRows({ rows: 1500, seed: 22, cause: 'noise' })));
    const out = path.join(dir, 'refused');
    const result = run(['train-repo', '--metrics', data, '--out', out, '--label-delay', '0', '--pool', 'never']);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/\nrefused: .*the default jit v001 stays in use\n/);
    expect(result.stdout).toContain('the champion is unchanged; commit mode with model: auto keeps the default');
    expect(readdirSync(out).sort()).toEqual(['v001.card.json', 'v001.onnx']);
    expect(card(path.join(out, 'v001.card.json')).repository?.beat_default).toBe(false);
  });

  it('refuses a history too small to learn from, naming the counts (exit 1, nothing written)', () => {
    const data = path.join(dir, 'small.csv');
    writeFileSync(data, historyCsv(historyRows({ rows: 1100, seed: 23, cause: 'age' })));
    const out = path.join(dir, 'small');
    // 1,100 commits an hour apart: a 10-day label delay leaves 860.
    const result = run(['train-repo', '--metrics', data, '--out', out, '--label-delay', '10']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      `train-repo: refused: ${data} is too small to learn from: 860 labelled commits (needs at least 1,000); the default model stays in use\n`
    );
  });

  it('--until ignores every later commit: adding commits after the date gives a byte-identical model', () => {
    const rows = historyRows({ rows: 1400, seed: 24, cause: 'age' });
    const until = Number(rows[1199][1]);
    const later = historyRows({ rows: 400, seed: 25, cause: 'noise', start: until + HOUR });
    const before = path.join(dir, 'until-a.csv');
    const after = path.join(dir, 'until-b.csv');
    writeFileSync(before, historyCsv(rows.slice(0, 1200)));
    writeFileSync(after, historyCsv([...rows, ...later]));
    // A small public project to pool with (its rows are dated around the repository's, some after --until).
    const publicDir = path.join(dir, 'public');
    mkdirSync(publicDir);
    writeFileSync(path.join(publicDir, 'p1.csv'), historyCsv(historyRows({ rows: 1200, seed: 26, cause: 'age', step: 2 * HOUR })));
    const pool = ['--pool-data', publicDir, '--pool-projects', 'p1'];
    // The model is named after its folder: the same folder name in two places, so the bytes can match.
    const a = run([
      'train-repo',
      '--metrics',
      before,
      '--out',
      path.join(dir, 'a', 'model'),
      '--until',
      `@${until}`,
      '--label-delay',
      '5',
      ...pool
    ]);
    const b = run([
      'train-repo',
      '--metrics',
      after,
      '--out',
      path.join(dir, 'b', 'model'),
      '--until',
      `@${until}`,
      '--label-delay',
      '5',
      ...pool
    ]);
    expect([a.code, b.code]).toEqual([0, 0]);
    const onnxA = readFileSync(path.join(dir, 'a', 'model', 'v001.onnx'));
    const onnxB = readFileSync(path.join(dir, 'b', 'model', 'v001.onnx'));
    expect(onnxA.equals(onnxB)).toBe(true);
    const cardA = card(path.join(dir, 'a', 'model', 'v001.card.json'));
    const cardB = card(path.join(dir, 'b', 'model', 'v001.card.json'));
    expect(cardB.repository?.after_until).toBe(200 + 400);
    expect(cardA.repository?.after_until).toBe(0);
    expect(cardB.repository?.too_young).toBe(5 * 24);
    expect(cardB.repository?.until).toBe(new Date(until * 1000).toISOString());
    expect({ ...cardB.repository, name: '', after_until: 0 }).toEqual({ ...cardA.repository, name: '', after_until: 0 });
    expect(cardB.metrics).toEqual(cardA.metrics);
  });

  it('exit 2 with one line for a bad date or an unreadable file', () => {
    const bad = run(['train-repo', '--metrics', 'x.csv', '--out', path.join(dir, 'x'), '--until', 'last tuesday']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--until "last tuesday" is not a date: use YYYY-MM-DD');
    const missing = run(['train-repo', '--metrics', path.join(dir, 'nope.csv'), '--out', path.join(dir, 'x')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
  });
});
