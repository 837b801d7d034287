import {
  FIRMWARE_SCHEMA,
  binShares,
  driftReport,
  generateFirmwarePatches,
  predictProbabilities,
  psi,
  renderDriftMarkdown,
  renderDriftText,
  tableFromRaw,
  trainModel,
  type PatchTable,
  type RawTable
} from '../../src/index.js';
import { DEFAULT_DRIFT_THRESHOLDS, PSI_EPSILON, ksAgainstQuantiles, quantileCdf } from '../../src/model/lifecycle/drift.js';
import { type FirmwarePatch } from '../../src/model/data/generate.js';

function rawOf(patches: FirmwarePatch[]): RawTable {
  const columns = Object.keys(patches[0]);
  const rows = patches.map((patch) => columns.map((name) => String(patch[name as keyof FirmwarePatch])));
  return { columns, rows, lines: Int32Array.from(rows, (_, i) => i + 2) };
}

function tableOf(patches: FirmwarePatch[], name: string): PatchTable {
  return tableFromRaw(name, rawOf(patches), { features: FIRMWARE_SCHEMA.features, idColumn: 'patch_id', label: 'high_risk_flag' });
}

/** lines_changed x5 and devices 700 days older; labels stay those of the original patches. */
function drifted(patches: FirmwarePatch[]): FirmwarePatch[] {
  return patches.map((patch) => ({
    ...patch,
    lines_changed: patch.lines_changed * 5,
    avg_device_age_days: patch.avg_device_age_days + 700
  }));
}

describe('PSI', () => {
  const deciles = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  const uniform = new Array(10).fill(0.1);

  it('bins new values on the baseline quantiles and matches the hand-computed value, empty bins counting as epsilon', () => {
    const shares = binShares([0.5, 1.5, 1.7, 2.5, 9.5], deciles);
    expect(shares).toEqual([0.2, 0.4, 0.2, 0, 0, 0, 0, 0, 0, 0.2]);
    // 3 bins at 0.2 (e = 0.1), one at 0.4, six empty (a = 1e-4).
    const expected = 3 * (0.2 - 0.1) * Math.log(2) + (0.4 - 0.1) * Math.log(4) + 6 * (1e-4 - 0.1) * Math.log(1e-4 / 0.1);
    expect(PSI_EPSILON).toBe(1e-4);
    expect(psi(uniform, shares)).toBeCloseTo(expected, 12);
    expect(psi(uniform, shares)).toBeCloseTo(4.764341, 5);
  });

  it('is 0 for identical shares and refuses mismatched bins', () => {
    expect(psi(uniform, uniform)).toBe(0);
    expect(psi([0.5, 0.5], [0.25, 0.75])).toBeCloseTo(0.25 * Math.log(0.5) * -1 + 0.25 * Math.log(1.5), 12);
    expect(() => psi(uniform, [1])).toThrow(RangeError);
  });
});

describe('KS against the piecewise-linear quantile CDF', () => {
  it('matches hand-computed values for a uniform baseline', () => {
    const deciles = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(quantileCdf(deciles, 2.5)).toBeCloseTo(0.25, 12);
    expect(quantileCdf(deciles, -1)).toBe(0);
    expect(quantileCdf(deciles, 11)).toBe(1);
    // ECDF 0.25, 0.75, 1 at 0.5, 2.5, 9 against F = x/10: the largest gap is 0.75 − 0.25 at 2.5.
    expect(ksAgainstQuantiles([0.5, 2.5, 2.5, 9], deciles)).toBeCloseTo(0.5, 12);
    // Left limits count: ECDF jumps from 0 to 1 at 6, where F = 0.6 → gap 0.6 just below 6.
    expect(ksAgainstQuantiles([6, 6, 6], deciles)).toBeCloseTo(0.6, 12);
  });

  it('treats tied quantiles as a jump (0/1 feature)', () => {
    // 80% zeros at training: F(0) = 0.8, then linear to 0.9 just below 1, F(1) = 1.
    const quantiles = [0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1];
    expect(quantileCdf(quantiles, 0)).toBeCloseTo(0.8, 12);
    expect(quantileCdf(quantiles, 0, true)).toBe(0);
    expect(quantileCdf(quantiles, 1, true)).toBeCloseTo(0.9, 12);
    // Half zeros now: |0.5 − 0.8| at 0, |0.5 − 0.9| just below 1.
    expect(ksAgainstQuantiles([0, 0, 1, 1], quantiles)).toBeCloseTo(0.4, 12);
  });
});

describe('driftReport on generated data', () => {
  const training = generateFirmwarePatches(3000, 101);
  const model = trainModel(
    tableOf(training, 'train.csv'),
    FIRMWARE_SCHEMA,
    {
      name: 'drift-test',
      validationFraction: 0.2,
      split: 'random',
      seed: 1,
      params: { nTrees: 60 },
      data: 'generated',
      provenance: 'test'
    },
    'v001'
  );
  const report = (patches: FirmwarePatch[]) => {
    const table = tableOf(patches, 'new.csv');
    return driftReport(model.card, table, predictProbabilities(model.ensemble, table.features, table.ids.length));
  };

  it('does not flag an undrifted set from the same generator (another seed)', () => {
    const result = report(generateFirmwarePatches(2000, 202));
    expect(result.level).toBe('ok');
    expect(result.retrain_recommended).toBe(false);
    expect(result.verdict).toBe('no drift beyond warn: retraining not needed');
    for (const feature of result.features) expect(feature.psi).toBeLessThan(DEFAULT_DRIFT_THRESHOLDS.psi.warn);
    expect(result.performance?.roc_auc.level).toBe('ok');
  });

  it('flags lines_changed x5 and older devices, and recommends retraining', () => {
    const result = report(drifted(generateFirmwarePatches(2000, 202)));
    expect(result.level).toBe('alert');
    expect(result.retrain_recommended).toBe(true);
    const byName = Object.fromEntries(result.features.map((f) => [f.feature, f]));
    expect(byName.lines_changed.psi_level).toBe('alert');
    expect(byName.avg_device_age_days.psi_level).toBe('alert');
    expect(byName.lines_changed.ks_level).toBe('alert');
    expect(byName.code_churn_score.psi_level).toBe('ok');
    expect(byName.is_hotfix.psi_level).toBe('ok');
    expect(result.high_share.now).toBeGreaterThan(result.high_share.baseline);
    expect(result.verdict).toMatch(/^retrain recommended: alert on .*lines_changed.*avg_device_age_days/);
    expect(renderDriftText(result)).toMatch(/lines_changed\s+\d+\.\d{4}\s+alert/);
    expect(renderDriftMarkdown(result)).toMatch(/\| lines_changed \| \d+\.\d{4} \| 🚨 alert \|/);
  });

  it('names each check in the verdict under its own level, not under the overall one', () => {
    const result = report(drifted(generateFirmwarePatches(2000, 202)));
    const byName = Object.fromEntries(result.features.map((f) => [f.feature, f]));
    expect([byName.lines_changed.psi_level, byName.avg_device_age_days.psi_level, result.high_share.level]).toEqual([
      'alert',
      'alert',
      'alert'
    ]);
    expect([result.performance?.roc_auc.level, result.performance?.f1.level]).toEqual(['warn', 'alert']);
    expect(result.verdict).toBe('retrain recommended: alert on lines_changed, avg_device_age_days, high-risk share, F1; warn on ROC-AUC');

    // Milder drift: only the features reach alert; the verdict no longer calls everything an alert.
    const milder = report(
      generateFirmwarePatches(2000, 202).map((patch) => ({
        ...patch,
        lines_changed: patch.lines_changed * 3,
        avg_device_age_days: patch.avg_device_age_days + 300
      }))
    );
    expect([milder.level, milder.high_share.level, milder.performance?.roc_auc.level, milder.performance?.f1.level]).toEqual([
      'alert',
      'warn',
      'warn',
      'warn'
    ]);
    expect(milder.verdict).toBe('retrain recommended: alert on lines_changed, avg_device_age_days; warn on high-risk share, ROC-AUC, F1');
    expect(renderDriftText(milder)).toMatch(
      /\noverall: alert — retrain recommended: alert on lines_changed, avg_device_age_days; warn on high-risk share/
    );
    expect(renderDriftMarkdown(milder)).toMatch(
      /\*\*🚨 alert\*\* — retrain recommended: alert on .*; warn on high-risk share, ROC-AUC, F1 \(2000 rows\)/
    );
  });

  it('judges nothing below minRows, and skips performance without labels', () => {
    const few = report(drifted(generateFirmwarePatches(10, 5)));
    expect(few.features.every((f) => f.psi_level === 'n/a' && f.ks_level === 'n/a')).toBe(true);
    expect(few.level).toBe('ok');
    expect(few.verdict).toBe('too few rows to judge drift (10 < 30): no retraining signal');
    const unlabelled = tableFromRaw('u.csv', rawOf(generateFirmwarePatches(200, 9)), {
      features: FIRMWARE_SCHEMA.features,
      idColumn: 'patch_id'
    });
    const result = driftReport(model.card, unlabelled, predictProbabilities(model.ensemble, unlabelled.features, 200));
    expect(result.performance).toBeUndefined();
  });

  it('reports a performance drop when labels no longer follow the scores', () => {
    const patches = generateFirmwarePatches(2000, 303).map((patch) => ({ ...patch, high_risk_flag: (1 - patch.high_risk_flag) as 0 | 1 }));
    const result = report(patches);
    expect(result.performance?.roc_auc.level).toBe('alert');
    expect(result.performance?.roc_auc.now).toBeLessThan(0.5);
    expect(result.retrain_recommended).toBe(true);
  });
});
