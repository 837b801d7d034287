/**
 * `patch-risk train-repo --repo DIR` end to end on real git repositories in
 * temp dirs: mine (history state cache) → SZZ-label (per-fix cache) → train →
 * judge against the shipped jit model. The built bin runs in its own process
 * (onnxruntime cannot run inside jest's VM sandbox).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ModelCard } from '../../src/index.js';
import { buildHistoryRepo, type HistoryRepo } from '../helpers/history-repo.js';

const BIN = path.resolve('lib/cli/bin.js');

function run(args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function card(file: string): ModelCard {
  return JSON.parse(readFileSync(file, 'utf8')) as ModelCard;
}

function committerTime(dir: string, rev: string): number {
  return Number(execFileSync('git', ['-C', dir, 'log', '-1', '--format=%ct', rev], { encoding: 'utf8' }).trim());
}

describe('patch-risk train-repo --repo', () => {
  let work: string;
  let small: HistoryRepo;
  let older: HistoryRepo;
  let longer: HistoryRepo;
  beforeAll(() => {
    work = mkdtempSync(path.join(tmpdir(), 'train-repo-git-'));
    small = buildHistoryRepo(300, 7);
    older = buildHistoryRepo(1300, 5);
    // The same history with 300 more commits after it (the generator is sequential: a prefix is the shorter history).
    longer = buildHistoryRepo(1600, 5);
  });
  afterAll(() => {
    for (const repo of [small, older, longer]) repo?.remove();
    rmSync(work, { recursive: true, force: true });
  });

  it('refuses a repository too small to learn from, naming the counts (exit 1, nothing written)', () => {
    const out = path.join(work, 'small-model');
    const result = run(['train-repo', '--repo', small.dir, '--out', out, '--label-delay', '0', '--no-progress']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/refused: .* is too small to learn from: 300 labelled commits \(needs at least 1,000\)/);
    expect(result.stderr).toContain('the default model stays in use');
    expect(existsSync(path.join(out, 'v001.onnx'))).toBe(false);
  });

  it('mines, labels, trains and judges against the default; the card names the repository, range, counts and labeller', () => {
    expect(longer.commits.slice(0, older.commits.length)).toEqual(older.commits);
    const out = path.join(work, 'model');
    const cache = path.join(work, 'cache');
    const result = run(['train-repo', '--repo', longer.dir, '--out', out, '--label-delay', '10', '--cache', cache, '--pool', 'never']);
    expect([0, 1]).toContain(result.code);
    expect(result.stdout).toMatch(/training period: [\d,]+ labelled commits, [\d,]+ bug-introducing/);
    expect(result.stdout).toContain('default jit v001');
    expect(result.stdout).toMatch(result.code === 0 ? /\npromoted: / : /\nrefused: .*stays in use/);
    const written = card(path.join(out, 'v001.card.json'));
    const info = written.repository!;
    expect(info.source).toBe('git');
    expect(info.head).toBe(longer.commits[longer.commits.length - 1]);
    expect(info.first_commit).toBe(longer.commits[0]);
    expect(info.label_delay_days).toBe(10);
    expect(info.commits).toBeGreaterThanOrEqual(1000);
    expect(info.bug_introducing).toBeGreaterThanOrEqual(100);
    expect(info.too_young).toBeGreaterThan(0);
    expect(info.labeller).toMatchObject({ fix_rule: 'subject|revert|ref+message|ref+symptom', until: null });
    expect(Number.isFinite(info.comparison.candidate.roc_auc) && Number.isFinite(info.comparison.default.roc_auc)).toBe(true);
    expect(info.beat_default).toBe(result.code === 0);
    // The caches were filled: a second run blames nothing and resumes nothing new, and trains the same model.
    expect(existsSync(path.join(cache, 'history-state.json.gz'))).toBe(true);
    expect(readdirSync(path.join(cache, 'szz')).length).toBe(1);
    // (A folder of the same name: the .onnx names its model and version.)
    const outAgain = path.join(work, 'again', 'model');
    const again = run(['train-repo', '--repo', longer.dir, '--out', outAgain, '--label-delay', '10', '--cache', cache, '--pool', 'never']);
    expect(again.code).toBe(result.code);
    expect(again.stderr).toMatch(/ 0 blamed\)/);
    expect(readFileSync(path.join(outAgain, 'v001.onnx'))).toEqual(readFileSync(path.join(out, 'v001.onnx')));
  });

  it('--until ignores every later commit: the same model byte for byte with 300 more commits after the date', () => {
    const until = `@${committerTime(older.dir, 'HEAD')}`;
    // Folders of the same name: the .onnx names its model.
    const outOlder = path.join(work, 'until-older', 'model');
    const outLonger = path.join(work, 'until-longer', 'model');
    const args = ['--until', until, '--label-delay', '5', '--pool', 'never', '--no-progress'];
    const a = run(['train-repo', '--repo', older.dir, '--out', outOlder, ...args]);
    const b = run(['train-repo', '--repo', longer.dir, '--out', outLonger, ...args]);
    expect([0, 1]).toContain(a.code);
    expect(b.code).toBe(a.code);
    expect(readFileSync(path.join(outLonger, 'v001.onnx'))).toEqual(readFileSync(path.join(outOlder, 'v001.onnx')));
    const [ca, cb] = [card(path.join(outOlder, 'v001.card.json')), card(path.join(outLonger, 'v001.card.json'))];
    expect(cb.repository?.comparison).toEqual(ca.repository?.comparison);
    expect(cb.repository?.head).toBe(older.commits[older.commits.length - 1]);
    expect(cb.repository?.after_until).toBe(0);
    // Without --until the later commits (and their fixes) change the model: the comparison above can fail.
    const outAll = path.join(work, 'until-none', 'model');
    const c = run(['train-repo', '--repo', longer.dir, '--out', outAll, '--label-delay', '5', '--pool', 'never', '--no-progress']);
    expect([0, 1]).toContain(c.code);
    expect(readFileSync(path.join(outAll, 'v001.onnx'))).not.toEqual(readFileSync(path.join(outOlder, 'v001.onnx')));
  });

  it('rejects --metrics together with --repo (exit 2)', () => {
    const result = run(['train-repo', '--metrics', 'x.csv', '--repo', small.dir, '--out', path.join(work, 'x')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--metrics reads a labelled file');
  });
});
