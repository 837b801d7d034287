import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  InputError,
  REPO_MODEL_GATES,
  chooseRepoModel,
  drawPublicRows,
  labelledHistory,
  readRegistry,
  repoModelLine,
  tooSmall,
  trainRepoModel,
  trainingPeriod,
  writeRepoModel,
  type PublicRows,
  type RepoTrainOptions
} from '../../src/index.js';
import { HOUR, START, historyRaw, historyRows, standInDefault } from '../helpers/repo-history.js';

const DAY = 86_400;
const FAST = { nTrees: 30 };

function options(overrides: Partial<RepoTrainOptions> & Pick<RepoTrainOptions, 'period'>): RepoTrainOptions {
  return {
    source: { source: 'metrics', name: 'history.csv' },
    defaultModel: standInDefault('size'),
    gates: { ...REPO_MODEL_GATES },
    name: 'model',
    version: 'v001',
    command: 'test',
    params: FAST,
    bootstrap: { resamples: 300 },
    now: new Date('2024-01-01T00:00:00Z'),
    ...overrides
  };
}

describe('a labelled history', () => {
  it('puts rows in date order and reads the published spelling (_id, entrophy)', () => {
    const rows = historyRows({ rows: 5, seed: 1, cause: 'size' });
    const raw = historyRaw([rows[3], rows[0], rows[4], rows[1], rows[2]]);
    raw.columns = raw.columns.map((c) => (c === 'commit' ? '_id' : c === 'entropy' ? 'entrophy' : c));
    const history = labelledHistory('h.csv', raw);
    expect(history.raw.rows.map((row) => row[0])).toEqual(rows.map((row) => row[0]));
    expect(history.raw.columns).toContain('commit');
    expect(history.raw.columns).toContain('entropy');
    expect(Array.from(history.dates)).toEqual(rows.map((row) => Number(row[1])));
    expect(Array.from(history.labels)).toEqual(rows.map((row) => Number(row[2])));
  });

  it('names a missing column and a bad label or date with its row', () => {
    const rows = historyRows({ rows: 3, seed: 1, cause: 'size' });
    const noDate = historyRaw(rows.map((row) => [row[0], ...row.slice(2)]));
    noDate.columns = noDate.columns.filter((c) => c !== 'date');
    expect(() => labelledHistory('h.csv', noDate)).toThrow(/h\.csv: missing the column "date"/);
    const badLabel = historyRaw(rows.map((row, i) => (i === 1 ? [row[0], row[1], '2', ...row.slice(3)] : row)));
    expect(() => labelledHistory('h.csv', badLabel)).toThrow(/h\.csv, row 2, column "bug": expected a label of 0 or 1, found "2"/);
    const badDate = historyRaw(rows.map((row, i) => (i === 2 ? [row[0], 'yesterday', ...row.slice(2)] : row)));
    expect(() => labelledHistory('h.csv', badDate)).toThrow(InputError);
  });
});

describe('the training period', () => {
  const history = labelledHistory('h.csv', historyRaw(historyRows({ rows: 24 * 400, seed: 2, cause: 'size' })));
  const newest = history.dates[history.dates.length - 1];

  it('leaves out commits younger than the label delay before the newest commit', () => {
    const period = trainingPeriod(history, { labelDelayDays: 180 });
    expect(period.end).toBe(newest);
    expect(period.labelledBefore).toBe(newest - 180 * DAY);
    expect(period.tooYoung).toBe(180 * 24);
    expect(period.commits).toBe(24 * 400 - 180 * 24);
    expect(period.afterUntil).toBe(0);
    expect(Math.max(...period.history.dates)).toBeLessThanOrEqual(period.labelledBefore);
    expect(period.bugs).toBe(period.history.labels.reduce((a, b) => a + b, 0));
  });

  it('with --until, nothing after it is used and the delay counts back from it', () => {
    const until = START + 300 * DAY;
    const period = trainingPeriod(history, { until, labelDelayDays: 30 });
    expect(period.end).toBe(until);
    expect(period.afterUntil).toBe(history.dates.filter((d) => d > until).length);
    expect(period.tooYoung).toBe(history.dates.filter((d) => d > until - 30 * DAY && d <= until).length);
    expect(Math.max(...period.history.dates)).toBeLessThanOrEqual(until - 30 * DAY);
  });

  it('a delay of 0 keeps every commit', () => {
    expect(trainingPeriod(history, { labelDelayDays: 0 }).commits).toBe(24 * 400);
    expect(() => trainingPeriod(history, { labelDelayDays: -1 })).toThrow(RangeError);
  });

  it('names the counts of a repository too small to learn from', () => {
    expect(tooSmall({ commits: 999, bugs: 250 })).toBe('999 labelled commits (needs at least 1,000)');
    expect(tooSmall({ commits: 5000, bugs: 99 })).toBe('99 bug-introducing commits (needs at least 100)');
    expect(tooSmall({ commits: 12, bugs: 3 })).toBe(
      '12 labelled commits (needs at least 1,000) and 3 bug-introducing commits (needs at least 100)'
    );
    expect(tooSmall({ commits: 1000, bugs: 100 })).toBeUndefined();
  });
});

describe('trainRepoModel', () => {
  it('promotes a model of the repository that beats a default which learnt another cause, and records the comparison', async () => {
    const history = labelledHistory('h.csv', historyRaw(historyRows({ rows: 2500, seed: 5, cause: 'age' })));
    const period = trainingPeriod(history, { labelDelayDays: 0 });
    const training = await trainRepoModel(options({ period }));
    expect(training.beatDefault).toBe(true);
    expect(training.validationRows).toBe(500);
    expect(training.trainRows).toBe(2000);
    expect(training.decision).toMatch(/^promoted: ROC-AUC 0\.\d{4} vs 0\.\d{4} for default jit v001: better beyond the noise/);
    const info = training.model.card.repository!;
    expect(info.beat_default).toBe(true);
    expect(info.comparison.default_model).toBe('jit v001');
    expect(info.comparison.rows).toBe(500);
    expect(info.comparison.candidate.roc_auc).toBeCloseTo(training.judgement.candidate.roc_auc, 12);
    expect(info.comparison.default.roc_auc).toBeCloseTo(training.judgement.baseline!.roc_auc, 12);
    expect(info.comparison.roc_auc_difference).toBeCloseTo(info.comparison.candidate.roc_auc - info.comparison.default.roc_auc, 12);
    expect(info.comparison.interval[0]).toBeGreaterThan(0);
    expect(info.commits).toBe(2500);
    expect(info.first_commit).toBe('c5x0');
    expect(info.last_commit).toBe('c5x2499');
    expect(info.until).toBeNull();
    expect(info.label_delay_days).toBe(0);
    expect(info.pool).toBeNull();
    // The card's validation metrics are the held-out ones the gate judged; the shipped model is refit on the whole period.
    expect(training.model.card.metrics.roc_auc).toBeCloseTo(info.comparison.candidate.roc_auc, 12);
    expect(training.model.card.training.rows).toBe(2500);
  });

  it('refuses a candidate that learnt nothing, and the decision says the default stays in use', async () => {
    const history = labelledHistory('h.csv', historyRaw(historyRows({ rows: 1500, seed: 6, cause: 'noise' })));
    const training = await trainRepoModel(options({ period: trainingPeriod(history, { labelDelayDays: 0 }) }));
    expect(training.beatDefault).toBe(false);
    expect(training.model.card.repository!.beat_default).toBe(false);
    expect(training.decision).toMatch(/^refused: .*the default jit v001 stays in use$/);
  });

  it('refit: false ships the very model the validation scored', async () => {
    const history = labelledHistory('h.csv', historyRaw(historyRows({ rows: 1200, seed: 7, cause: 'age' })));
    const period = trainingPeriod(history, { labelDelayDays: 0 });
    const judged = await trainRepoModel(options({ period, refit: false }));
    const refit = await trainRepoModel(options({ period }));
    expect(judged.model.card.training.rows).toBe(960);
    expect(refit.model.card.training.rows).toBe(1200);
    expect(Buffer.from(judged.model.onnx).equals(Buffer.from(refit.model.onnx))).toBe(false);
    expect(refit.model.card.repository!.comparison).toEqual(judged.model.card.repository!.comparison);
  });

  it('is deterministic: the same history gives the same model bytes', async () => {
    const history = labelledHistory('h.csv', historyRaw(historyRows({ rows: 1200, seed: 8, cause: 'age' })));
    const period = trainingPeriod(history, { labelDelayDays: 0 });
    const a = await trainRepoModel(options({ period }));
    const b = await trainRepoModel(options({ period }));
    expect(Buffer.from(a.model.onnx).equals(Buffer.from(b.model.onnx))).toBe(true);
  });
});

describe('pooling with public data', () => {
  const pool: PublicRows = {
    projects: ['p'],
    featureNames: ['x'],
    features: new Float32Array(10),
    labels: new Uint8Array(10),
    dates: Float64Array.from({ length: 10 }, (_, i) => 100 + i)
  };

  it('never draws a public commit newer than the training part', () => {
    const drawn = drawPublicRows(pool, 104, 100, 1);
    expect(drawn).toEqual([0, 1, 2, 3, 4]);
    const some = drawPublicRows(pool, 109, 3, 1);
    expect(some).toHaveLength(3);
    expect(some).toEqual([...some].sort((a, b) => a - b));
    expect(drawPublicRows(pool, 109, 3, 1)).toEqual(some);
  });

  it('keeps own commits only unless pooling beats them beyond the noise', async () => {
    // The public data learnt "size"; this repository's bugs come from "age": pooling cannot help.
    const history = labelledHistory('h.csv', historyRaw(historyRows({ rows: 1500, seed: 9, cause: 'age' })));
    const publicHistory = labelledHistory(
      'public.csv',
      historyRaw(historyRows({ rows: 3000, seed: 10, cause: 'size', start: START - 4000 * HOUR }))
    );
    const { publicRows } = await import('../../src/model/repo/pool.js');
    const { tableFromRaw, JIT_SCHEMA } = await import('../../src/index.js');
    const table = tableFromRaw('public.csv', publicHistory.raw, {
      features: JIT_SCHEMA.features,
      idColumn: 'commit',
      label: 'bug',
      requireLabel: true
    });
    const rows = publicRows([{ name: 'public', table }], table.featureNames);
    const training = await trainRepoModel(options({ period: trainingPeriod(history, { labelDelayDays: 0 }), pool: rows }));
    expect(training.variants.map((v) => v.ratio)).toEqual([0, 0.5, 1]);
    expect(training.chosen.ratio).toBe(0);
    expect(training.model.card.repository!.pool).toBeNull();
    for (const variant of training.variants.slice(1)) expect(variant.vsOwn).toHaveLength(2);
  });
});

describe('the repository model folder', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'repo-model-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes every version, names a champion only when it beat the default, and model: auto follows the card', async () => {
    const out = path.join(dir, 'model');
    const refused = await trainRepoModel(
      options({
        period: trainingPeriod(labelledHistory('h.csv', historyRaw(historyRows({ rows: 1200, seed: 11, cause: 'noise' }))), {
          labelDelayDays: 0
        })
      })
    );
    const first = await writeRepoModel(out, refused, REPO_MODEL_GATES);
    expect(existsSync(first.onnxPath) && existsSync(first.cardPath)).toBe(true);
    expect(first.registry).toBeUndefined();
    expect(readRegistry(out)).toBeUndefined();
    const choice = await chooseRepoModel(out);
    expect(choice.use).toBe(false);
    if (!choice.use) expect(choice.reason).toMatch(/v001 in .* did not beat the default jit v001 on this repository \(refused: /);

    const promoted = await trainRepoModel(
      options({
        version: 'v002',
        period: trainingPeriod(labelledHistory('h.csv', historyRaw(historyRows({ rows: 2500, seed: 5, cause: 'age' }))), {
          labelDelayDays: 0
        })
      })
    );
    const second = await writeRepoModel(out, promoted, REPO_MODEL_GATES, new Date('2024-02-01T00:00:00Z'));
    const registry = readRegistry(out)!;
    expect(second.registry).toEqual(registry);
    expect(registry.champion).toBe('v002');
    expect(registry.gates).toEqual(REPO_MODEL_GATES);
    expect(registry.history).toHaveLength(1);
    expect(registry.history[0].comparison!.against).toBe('jit v001');
    expect(registry.history[0].comparison!.interval[0]).toBeGreaterThan(0);
    const chosen = await chooseRepoModel(out);
    expect(chosen.use).toBe(true);
    if (chosen.use) {
      expect(chosen.version).toBe('v002');
      expect(repoModelLine(chosen.card)).toMatch(
        /^Model: model v002, trained on this repository's history \(ROC-AUC 0\.\d{3} on its newest 500 labelled commits, where the default jit v001 scored 0\.\d{3}\)\.$/
      );
    }
    const card = JSON.parse(readFileSync(second.cardPath, 'utf8')) as { repository: { beat_default: boolean } };
    expect(card.repository.beat_default).toBe(true);
  });

  it('a model folder without a repository section, or no folder at all, keeps the default', async () => {
    expect(await chooseRepoModel(path.join(dir, 'missing'))).toEqual({
      use: false,
      dir: path.join(dir, 'missing'),
      reason: `no repository model at ${path.join(dir, 'missing')}`
    });
    const plain = path.join(dir, 'plain');
    const training = await trainRepoModel(
      options({
        period: trainingPeriod(labelledHistory('h.csv', historyRaw(historyRows({ rows: 1200, seed: 12, cause: 'age' }))), {
          labelDelayDays: 0
        })
      })
    );
    const { repository: _omit, ...card } = training.model.card;
    await writeRepoModel(plain, { ...training, beatDefault: false, model: { ...training.model, card } }, REPO_MODEL_GATES);
    const choice = await chooseRepoModel(plain);
    expect(choice.use).toBe(false);
    if (!choice.use) expect(choice.reason).toMatch(/was not trained by train-repo/);
    writeFileSync(path.join(plain, 'v001.card.json'), '{');
    await expect(chooseRepoModel(plain)).rejects.toThrow(/not valid JSON/);
  });
});
