/**
 * `patch-risk track-record` end to end on a small real git repository in a
 * temp dir: mine (each commit from the history as it stood then), SZZ-label,
 * score with the built-in jit model or a promoted repository model, count per
 * bucket. The built bin runs in its own process.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  REPO_MODEL_GATES,
  labelledHistory,
  parseTrackRecord,
  trackRecordLine,
  trainRepoModel,
  trainingPeriod,
  writeRepoModel,
  type TrackRecord
} from '../../src/index.js';
import { buildHistoryRepo, type HistoryRepo } from '../helpers/history-repo.js';
import { historyRaw, historyRows, standInDefault } from '../helpers/repo-history.js';

const BIN = path.resolve('lib/cli/bin.js');
const DAY = 86_400;

function run(args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Author time and parent count of every commit, from git itself. */
function commitsOf(dir: string): { date: number; merge: boolean }[] {
  return execFileSync('git', ['-C', dir, 'log', '--format=%at %P', 'HEAD'], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((line) => {
      const [date, ...parents] = line.split(' ');
      return { date: Number(date), merge: parents.length > 1 };
    });
}

function committerTime(dir: string): number {
  return Number(execFileSync('git', ['-C', dir, 'log', '-1', '--format=%ct', 'HEAD'], { encoding: 'utf8' }).trim());
}

describe('patch-risk track-record', () => {
  let work: string;
  let repo: HistoryRepo;
  let since: number;
  let json: { code: number | null; stdout: string; stderr: string };
  let record: TrackRecord;
  const out = (): string => path.join(work, 'track-record.json');

  beforeAll(() => {
    work = mkdtempSync(path.join(tmpdir(), 'track-record-cli-'));
    repo = buildHistoryRepo(450, 3);
    // From the 251st commit on: every commit of the window has more than the 200 commits before it the alert budget needs.
    since = commitsOf(repo.dir).reverse()[250].date;
    json = run([
      'track-record',
      '--repo',
      repo.dir,
      '--since',
      `@${since}`,
      '--label-delay',
      '7',
      '--format',
      'json',
      '--cache',
      path.join(work, 'cache'),
      '--out',
      out(),
      '--no-progress'
    ]);
    record = parseTrackRecord(JSON.parse(json.stdout), 'stdout');
  }, 120000);

  afterAll(() => {
    repo?.remove();
    rmSync(work, { recursive: true, force: true });
  });

  it('scores every labelled commit of the window with jit (model auto without a repository model) and counts per bucket', () => {
    expect(json.code).toBe(0);
    expect(json.stderr).toContain(`model auto: the default jit model (no repository model at ${path.join(repo.dir, '.patch-risk/model')})`);
    expect(record.model).toBe('jit v001');
    const labelledBefore = committerTime(repo.dir) - 7 * DAY;
    expect(record.since).toBe(new Date(since * 1000).toISOString());
    expect(record.labelled_before).toBe(new Date(labelledBefore * 1000).toISOString());
    expect(record.label_delay_days).toBe(7);
    // The window's commits, counted from git itself.
    const inWindow = commitsOf(repo.dir).filter((c) => !c.merge && c.date >= since && c.date <= labelledBefore);
    expect(inWindow.length).toBeGreaterThan(100);
    expect(inWindow.length).toBeLessThan(200);
    expect(record.commits).toBe(inWindow.length);
    expect(record.bugs).toBeGreaterThan(0);
    expect(record.bugs).toBeLessThan(record.commits);
    expect(record.buckets.map((b) => b.bucket)).toEqual(['High', 'Medium', 'Low']);
    expect(record.buckets.reduce((n, b) => n + b.commits, 0)).toBe(record.commits);
    expect(record.buckets.reduce((n, b) => n + b.bugs, 0)).toBe(record.bugs);
    const [high, medium] = record.buckets;
    // The alert budget (5% High, 20% Medium or High) on the commits before each one: a few High, more Medium.
    expect(high.commits).toBeGreaterThan(0);
    expect(medium.commits).toBeGreaterThan(high.commits);
    expect(record.precision_high).toBe(high.bugs / high.commits);
    expect(record.precision_medium).toBe(medium.bugs / medium.commits);
    expect(record.recall_high).toBe(high.bugs / record.bugs);
    expect(record.base_rate).toBe(record.bugs / record.commits);
    expect(record.roc_auc).toBeGreaterThan(0);
    expect(record.roc_auc).toBeLessThan(1);
    expect(record.thresholds).toMatch(/^as commit mode sets them: High = the riskiest 5%, Medium the next 15% /);
  });

  it('--out writes the JSON record the action reads, the same as printed', () => {
    expect(json.stderr).toContain(`wrote ${out()}`);
    expect(parseTrackRecord(JSON.parse(readFileSync(out(), 'utf8')), 'track-record.json')).toEqual(record);
  });

  it('text and markdown: the bucket table, precision, recall, base rate, ROC-AUC and the one line (from the cache)', () => {
    const args = ['track-record', '--repo', repo.dir, '--since', `@${since}`, '--label-delay', '7', '--cache', path.join(work, 'cache')];
    const text = run([...args, '--no-progress']);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`Track record of jit v001 on ${path.basename(repo.dir)}\n`);
    expect(text.stdout).toMatch(
      /\nbucket +commits +later needed a fix +share\nHigh +\d+ +\d+ +[\d.]+%\nMedium +\d+ +\d+ +[\d.]+%\nLow +\d+/
    );
    expect(text.stdout).toMatch(new RegExp(`\\nall +${record.commits} +${record.bugs} +[\\d.]+% \\(base rate\\)\\n`));
    expect(text.stdout).toMatch(
      /precision of High [\d.]+%, of Medium [\d.]+%; recall of High [\d.]+%; base rate [\d.]+%; ROC-AUC 0\.\d{3}/
    );
    expect(text.stdout.trimEnd().split('\n').at(-1)).toBe(trackRecordLine(record));
    // The labeller answered every fix commit from the cache the first run filled.
    const progress = run(args);
    expect(progress.stderr).toMatch(/ 0 blamed\)/);
    const md = run([...args, '--format', 'markdown', '--no-progress']);
    expect(md.code).toBe(0);
    expect(md.stdout).toMatch(/\| High \| \d+ \| \d+ \| [\d.]+% \|/);
  });

  it("--card-thresholds buckets with the model card's thresholds", () => {
    const card = run([
      'track-record',
      '--repo',
      repo.dir,
      '--since',
      `@${since}`,
      '--label-delay',
      '7',
      '--card-thresholds',
      '--format',
      'json',
      '--cache',
      path.join(work, 'cache'),
      '--no-progress'
    ]);
    expect(card.code).toBe(0);
    const byCard = parseTrackRecord(JSON.parse(card.stdout), 'stdout');
    expect(byCard.thresholds).toMatch(/^the model card's: High >= 0\.\d{3}, Medium >= 0\.\d{3}$/);
    // Same commits, labels and scores: only the buckets may differ.
    expect([byCard.commits, byCard.bugs, byCard.roc_auc]).toEqual([record.commits, record.bugs, record.roc_auc]);
  });

  it('model auto uses a promoted repository model in --repo-model', async () => {
    const dir = path.join(work, 'repo-model', 'model');
    const history = labelledHistory('h.csv', historyRaw(historyRows({ rows: 2500, seed: 5, cause: 'age' })));
    const training = await trainRepoModel({
      period: trainingPeriod(history, { labelDelayDays: 0 }),
      source: { source: 'metrics', name: 'h.csv' },
      defaultModel: standInDefault('size'),
      gates: { ...REPO_MODEL_GATES },
      name: 'model',
      version: 'v001',
      command: 'test',
      params: { nTrees: 30 },
      bootstrap: { resamples: 300 }
    });
    expect(training.beatDefault).toBe(true);
    await writeRepoModel(dir, training, REPO_MODEL_GATES);
    const result = run([
      'track-record',
      '--repo',
      repo.dir,
      '--repo-model',
      dir,
      '--since',
      `@${since}`,
      '--label-delay',
      '7',
      '--format',
      'json',
      '--cache',
      path.join(work, 'cache'),
      '--no-progress'
    ]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(`model auto: the repository model model v001 from ${dir}; it beat the default here`);
    const byRepoModel = parseTrackRecord(JSON.parse(result.stdout), 'stdout');
    expect(byRepoModel.model).toBe('model v001');
    expect([byRepoModel.commits, byRepoModel.bugs]).toEqual([record.commits, record.bugs]);

    // A model trained on commits of the window is judged only on the commits after its training period.
    const cardFile = path.join(dir, 'v001.card.json');
    const card = JSON.parse(readFileSync(cardFile, 'utf8')) as { repository: { labelled_before: string } };
    const trainedUntil = commitsOf(repo.dir).reverse()[330].date;
    card.repository.labelled_before = new Date(trainedUntil * 1000).toISOString();
    writeFileSync(cardFile, JSON.stringify(card, null, 2));
    const after = run([
      'track-record',
      '--repo',
      repo.dir,
      '--repo-model',
      dir,
      '--since',
      `@${since}`,
      '--label-delay',
      '7',
      '--format',
      'json',
      '--cache',
      path.join(work, 'cache'),
      '--no-progress'
    ]);
    expect(after.code).toBe(0);
    expect(after.stderr).toContain(
      `the window starts at ${card.repository.labelled_before}, after the commits model v001 was trained on (judging a model on its own training commits would be look-ahead)`
    );
    const afterTraining = parseTrackRecord(JSON.parse(after.stdout), 'stdout');
    expect(afterTraining.since).toBe(new Date((trainedUntil + 1) * 1000).toISOString());
    const labelledBefore = committerTime(repo.dir) - 7 * DAY;
    expect(afterTraining.commits).toBe(
      commitsOf(repo.dir).filter((c) => !c.merge && c.date > trainedUntil && c.date <= labelledBefore).length
    );
    expect(afterTraining.commits).toBeLessThan(record.commits);
  }, 60000);

  it('refuses a window with nothing old enough to be labelled, and contradictory options (exit 2)', () => {
    const late = run(['track-record', '--repo', repo.dir, '--since', '2099-01-01', '--cache', path.join(work, 'cache'), '--no-progress']);
    expect(late.code).toBe(2);
    expect(late.stderr).toMatch(
      /no commit from 2099-01-01 on is old enough to have been labelled: the newest commit's date minus the label delay of 180 days is \d{4}-\d\d-\d\d/
    );
    const both = run(['track-record', '--repo', repo.dir, '--card-thresholds', '--alert-budget', '3']);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--card-thresholds buckets with the model card');
    const format = run(['track-record', '--repo', repo.dir, '--format', 'html']);
    expect(format.code).toBe(2);
  });
});
