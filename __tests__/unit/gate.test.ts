/**
 * The promotion gate in-process: the paired bootstrap of the AUC difference
 * checked against a resample-by-resample reference and against DeLong's
 * variance, and judgeCandidate on real trained models' scores.
 */
import {
  DEFAULT_GATES,
  FIRMWARE_SCHEMA,
  createRandom,
  generateFirmwarePatches,
  judgeCandidate,
  pairedAucBootstrap,
  predictProbabilities,
  renderJudgement,
  rocAuc,
  tableFromRaw,
  trainModel,
  type PatchTable,
  type RawTable,
  type Schema
} from '../../src/index.js';
import { type FirmwarePatch } from '../../src/model/data/generate.js';

function rawOf(patches: FirmwarePatch[]): RawTable {
  const columns = Object.keys(patches[0]);
  const rows = patches.map((patch) => columns.map((name) => String(patch[name as keyof FirmwarePatch])));
  return { columns, rows, lines: Int32Array.from(rows, (_, i) => i + 2) };
}

function tableOf(patches: FirmwarePatch[], schema: Schema): PatchTable {
  return tableFromRaw('rows.csv', rawOf(patches), { features: schema.features, idColumn: 'patch_id', label: 'high_risk_flag' });
}

/** A trained model's scores and threshold on the holdout rows. */
function scoredBy(schema: Schema, training: FirmwarePatch[], holdout: FirmwarePatch[], seed: number, version: string) {
  const model = trainModel(
    tableOf(training, schema),
    schema,
    { name: 'fw', validationFraction: 0.2, split: 'random', seed, params: { nTrees: 60 }, data: 'generated', provenance: 'test' },
    version
  );
  const table = tableOf(holdout, schema);
  return {
    version,
    scores: predictProbabilities(model.ensemble, table.features, table.ids.length),
    threshold: model.card.thresholds.high,
    labels: table.labels as Uint8Array
  };
}

const holdout = generateFirmwarePatches(3000, 4242);
const champion = scoredBy(FIRMWARE_SCHEMA, generateFirmwarePatches(4000, 77), holdout, 1, 'v001');
const other = scoredBy(FIRMWARE_SCHEMA, generateFirmwarePatches(4000, 78), holdout, 2, 'v002');
const labels = champion.labels;

/** The same draws as pairedAucBootstrap, but every resample built as arrays and judged with rocAuc. */
function referenceBootstrap(a: ArrayLike<number>, b: ArrayLike<number>, y: Uint8Array, resamples: number, seed: number): Float64Array {
  const positives = [...y.keys()].filter((i) => y[i] === 1);
  const negatives = [...y.keys()].filter((i) => y[i] === 0);
  const random = createRandom(seed);
  const differences = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    const rows = [
      ...positives.map(() => positives[Math.floor(random.next() * positives.length)]),
      ...negatives.map(() => negatives[Math.floor(random.next() * negatives.length)])
    ];
    const drawn = Uint8Array.from(rows, (i) => y[i]);
    differences[r] =
      rocAuc(
        Float64Array.from(rows, (i) => a[i]),
        drawn
      ) -
      rocAuc(
        Float64Array.from(rows, (i) => b[i]),
        drawn
      );
  }
  return differences.sort();
}

/** DeLong's variance of AUC(a) − AUC(b) on the same rows (structural components). */
function delongVariance(a: ArrayLike<number>, b: ArrayLike<number>, y: Uint8Array): number {
  const positives = [...y.keys()].filter((i) => y[i] === 1);
  const negatives = [...y.keys()].filter((i) => y[i] === 0);
  const psi = (s: ArrayLike<number>, p: number, n: number) => (s[p] > s[n] ? 1 : s[p] === s[n] ? 0.5 : 0);
  const components = (s: ArrayLike<number>) => ({
    v10: positives.map((p) => negatives.reduce((sum, n) => sum + psi(s, p, n), 0) / negatives.length),
    v01: negatives.map((n) => positives.reduce((sum, p) => sum + psi(s, p, n), 0) / positives.length)
  });
  const ca = components(a);
  const cb = components(b);
  const covariance = (x: number[], z: number[]) => {
    const mx = x.reduce((s, v) => s + v, 0) / x.length;
    const mz = z.reduce((s, v) => s + v, 0) / z.length;
    return x.reduce((s, v, i) => s + (v - mx) * (z[i] - mz), 0) / (x.length - 1);
  };
  const s10 = covariance(ca.v10, ca.v10) + covariance(cb.v10, cb.v10) - 2 * covariance(ca.v10, cb.v10);
  const s01 = covariance(ca.v01, ca.v01) + covariance(cb.v01, cb.v01) - 2 * covariance(ca.v01, cb.v01);
  return s10 / positives.length + s01 / negatives.length;
}

/** The holdout scores with a share of rows given random scores: a worse model that mostly agrees with the original. */
function degraded(scores: ArrayLike<number>, share: number, seed: number): Float64Array {
  const random = createRandom(seed);
  return Float64Array.from(scores, (score) => (random.next() < share ? random.next() : score));
}

describe('pairedAucBootstrap', () => {
  it('matches a bootstrap that builds every resample (same draws, same rows for both models)', () => {
    const result = pairedAucBootstrap(champion.scores, other.scores, labels, { resamples: 200, seed: 7, confidence: 0.9 });
    const reference = referenceBootstrap(champion.scores, other.scores, labels, 200, 7);
    const quantile = (p: number) => {
      const at = (reference.length - 1) * p;
      return reference[Math.floor(at)] + (reference[Math.ceil(at)] - reference[Math.floor(at)]) * (at - Math.floor(at));
    };
    expect(result.difference).toBeCloseTo(rocAuc(champion.scores, labels) - rocAuc(other.scores, labels), 12);
    expect(result.low).toBeCloseTo(quantile(0.05), 12);
    expect(result.high).toBeCloseTo(quantile(0.95), 12);
    expect(result).toMatchObject({ resamples: 200, seed: 7, confidence: 0.9 });
  });

  it("gives an interval as wide as DeLong's variance of the paired difference predicts", () => {
    const result = pairedAucBootstrap(champion.scores, other.scores, labels);
    const bootstrapSe = (result.high - result.low) / (2 * 1.959964);
    const delongSe = Math.sqrt(delongVariance(champion.scores, other.scores, labels));
    expect(bootstrapSe / delongSe).toBeGreaterThan(0.85);
    expect(bootstrapSe / delongSe).toBeLessThan(1.15);
    // Pairing matters: the difference is much less noisy than two independent AUCs would be.
    expect(result.high - result.low).toBeLessThan(0.05);
  });

  it('is seeded, is exactly 0 for identical scores, and refuses one class or mismatched lengths', () => {
    expect(pairedAucBootstrap(champion.scores, other.scores, labels)).toMatchObject({ resamples: 2000, seed: 1, confidence: 0.95 });
    const once = pairedAucBootstrap(champion.scores, other.scores, labels, { resamples: 300 });
    expect(pairedAucBootstrap(champion.scores, other.scores, labels, { resamples: 300 })).toEqual(once);
    expect(pairedAucBootstrap(champion.scores, other.scores, labels, { resamples: 300, seed: 2 }).low).not.toBe(once.low);
    expect(pairedAucBootstrap(champion.scores, champion.scores, labels, { resamples: 300 })).toMatchObject({
      difference: 0,
      low: 0,
      high: 0
    });
    expect(() => pairedAucBootstrap([0.1, 0.2], [0.3, 0.4], [1, 1])).toThrow(/both classes/);
    expect(() => pairedAucBootstrap([0.1, 0.2], [0.3], [0, 1])).toThrow(RangeError);
  });
});

describe('judgeCandidate', () => {
  const gates = { ...DEFAULT_GATES };
  const judge = (candidate: { version: string; scores: ArrayLike<number>; threshold: number }, baselineRole?: string) =>
    judgeCandidate({ holdout: 'holdout.csv', labels, candidate, baseline: champion, gates, baselineRole });

  it('refuses a candidate worse beyond the noise even when the drop is within the 0.01 tolerance', () => {
    const worse = { version: 'v003', scores: degraded(champion.scores, 0.02, 4), threshold: champion.threshold };
    const judgement = judge(worse);
    const drop = judgement.baseline!.roc_auc - judgement.candidate.roc_auc;
    expect(drop).toBeGreaterThan(0);
    expect(drop).toBeLessThan(gates.max_auc_drop);
    expect(judgement.comparison!.high).toBeLessThan(0);
    expect(judgement.results.map((r) => [r.gate, r.passed])).toEqual([
      ['min_roc_auc', true],
      ['min_f1', true],
      ['max_auc_drop', true],
      ['auc_noise', false]
    ]);
    expect(judgement.passed).toBe(false);
    expect(judgement.why).toMatch(
      /^ROC-AUC 0\.\d{4} is 0\.00\d\d below champion v001's 0\.\d{4}, beyond the noise of these rows \(95% interval -0\.\d{4} to -0\.\d{4} of the change is below 0\)$/
    );
  });

  it('accepts a drop within the noise and says so, with the interval', () => {
    const slightly = { version: 'v003', scores: degraded(champion.scores, 0.02, 5), threshold: champion.threshold };
    const judgement = judge(slightly);
    expect(judgement.candidate.roc_auc).toBeLessThan(judgement.baseline!.roc_auc);
    expect(judgement.comparison!.low).toBeLessThan(0);
    expect(judgement.comparison!.high).toBeGreaterThanOrEqual(0);
    expect(judgement.passed).toBe(true);
    expect(judgement.why).toMatch(
      /^ROC-AUC 0\.\d{4} is 0\.\d{4} below champion v001's 0\.\d{4}, but the drop is within the noise of these rows \(95% interval -0\.\d{4} to \+0\.\d{4} of the change reaches 0\) and within the allowed 0\.01$/
    );
  });

  it('compares with any baseline scored on the same rows, e.g. a default model reading other features', () => {
    const fewer: Schema = {
      ...FIRMWARE_SCHEMA,
      features: FIRMWARE_SCHEMA.features.filter((f) => f.name !== 'patch_security' && f.name !== 'is_hotfix')
    };
    const defaultModel = scoredBy(fewer, generateFirmwarePatches(4000, 79), holdout, 3, 'firmware-lite v001');
    const judgement = judgeCandidate({
      holdout: 'validation window',
      labels,
      candidate: champion,
      baseline: defaultModel,
      gates,
      baselineRole: 'default'
    });
    expect(judgement.comparison!.low).toBeGreaterThan(0);
    expect(judgement.passed).toBe(true);
    expect(judgement.why).toMatch(/^ROC-AUC 0\.\d{4} vs 0\.\d{4} for default firmware-lite v001: better beyond the noise of these rows/);
    const text = renderJudgement(judgement);
    expect(text).toMatch(/^holdout: validation window\n {11}candidate v001 {2}default firmware-lite v001\nROC-AUC /);
    expect(text).toMatch(
      /\nROC-AUC change \+0\.\d{4}, 95% interval \+0\.\d{4} to \+0\.\d{4} \(paired bootstrap: 2000 resamples of these rows, seed 1\)\n/
    );
    expect(text).toMatch(/ {2}PASS {2}auc_noise {5}change \+0\.\d{4} \(95% interval .*\): better beyond the noise/);
  });

  it("judges only the candidate's own gates without a baseline, and refuses scores that do not match the rows", () => {
    const alone = judgeCandidate({ holdout: 'h', labels, candidate: champion, gates });
    expect(alone.comparison).toBeUndefined();
    expect(alone.results.map((r) => [r.gate, r.passed, r.value])).toEqual([
      ['min_roc_auc', true, alone.candidate.roc_auc],
      ['min_f1', true, alone.candidate.f1],
      ['max_auc_drop', true, null],
      ['auc_noise', true, null]
    ]);
    expect(alone.why).toMatch(/^no champion to compare with; ROC-AUC 0\.\d{4} >= 0\.7 and F1 0\.\d{4} >= 0\.3$/);
    expect(() => judgeCandidate({ holdout: 'h', labels, candidate: { ...champion, scores: [0.5] }, gates })).toThrow(
      'judgeCandidate: v001 has 1 scores for 3000 rows'
    );
  });
});
