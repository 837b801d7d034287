import { readFileSync } from 'node:fs';
import { ModelError } from '../../src/core/errors.js';
import { onnxToEnsemble } from '../../src/model/onnx/import.js';
import type { PatchTable } from '../../src/core/read.js';
import { FIRMWARE_SCHEMA, type FeatureSpec } from '../../src/core/schema.js';
import { predictProbabilities, type Tree, type TreeEnsemble } from '../../src/model/gbdt/ensemble.js';
import { trainGbdt } from '../../src/model/gbdt/boost.js';
import { generateFirmwarePatches } from '../../src/model/data/generate.js';
import { whatIf, whatIfRows, type WhatIfOptions } from '../../src/model/explain/whatif.js';

const features: FeatureSpec[] = [
  { name: 'is_hotfix', type: 'boolean' },
  { name: 'lines_changed', type: 'integer', min: 0, unit: 'lines' },
  { name: 'files_changed', type: 'integer', min: 0 }
];

/** margin: lines <= 10,000 → -3; <= 20,000 → 0; more → +3; a hotfix adds +4 whatever its size. */
function stepTree(): Tree {
  return {
    feature: Int32Array.from([1, 1, -1, -1, -1]),
    threshold: Float32Array.from([20000, 10000, 0, 0, 0]),
    left: Int32Array.from([1, 2, -1, -1, -1]),
    right: Int32Array.from([4, 3, -1, -1, -1]),
    value: Float64Array.from([0, 0, -3, 0, 3]),
    cover: Float64Array.from([10, 6, 3, 3, 4])
  };
}
function hotfixTree(): Tree {
  return {
    feature: Int32Array.from([0, -1, -1]),
    threshold: Float32Array.from([0.5, 0, 0]),
    left: Int32Array.from([1, -1, -1]),
    right: Int32Array.from([2, -1, -1]),
    value: Float64Array.from([0, 0, 4]),
    cover: Float64Array.from([10, 9, 1])
  };
}
const ensemble: TreeEnsemble = { nFeatures: 3, baseScore: 0, trees: [stepTree(), hotfixTree()] };
const options: WhatIfOptions = { features, controllable: ['lines_changed', 'files_changed'], highThreshold: 0.7, mediumThreshold: 0.3 };

/** margin: lines <= 10,000 → -3; <= 20,000 → -1; more → +3 (a gentler middle step: two-part splits can help). */
function gentleTree(): Tree {
  return { ...stepTree(), value: Float64Array.from([0, 0, -3, -1, 3]) };
}
const gentle: TreeEnsemble = { nFeatures: 3, baseScore: 0, trees: [gentleTree(), hotfixTree()] };
const sigmoid = (margin: number): number => 1 / (1 + Math.exp(-margin));

describe('whatIf', () => {
  it('advises the smallest split whose parts are all below High AND lower the total expected regressions', () => {
    // 48,000 lines: margin +3 (0.953). Thirds (16,000) are below High at 0.5 each, but 1.5 in total: worse.
    // Quarters (12,000) too (2.0). Fifths (9,600) score 0.047 each: 0.24 in total.
    const result = whatIf(ensemble, Float32Array.from([0, 48000, 7]), 0, options);
    expect(result?.split).toMatchObject({ kind: 'split', parts: 5, bucket: 'Low' });
    expect(result?.split?.score).toBeCloseTo(sigmoid(-3), 12);
    expect(result?.split?.total).toBeCloseTo(5 * sigmoid(-3), 12);
    expect(result?.split?.partScores).toHaveLength(5);
    expect(result?.split?.changes).toEqual([
      { feature: 'lines_changed', from: 48000, to: 9600 },
      { feature: 'files_changed', from: 7, to: 2 }
    ]);
    expect(result?.text).toBe('split into 5 patches of ≤ 9,600 lines → Low each (expected regressions 0.95 → 0.24)');
  });

  it('gives no advice when every split that gets below High raises the total (issue 15: 0.335 → 2 x 0.280)', () => {
    // 40,000 lines (0.953): halves of 20,000 score 0.5 each — below High (0.7) but 1.0 in total. Any unequal pair
    // leaves one part above 20,000 (High). Parts of ≤ 10,000 would need 4 patches: with maxParts 2, no advice.
    const result = whatIf(ensemble, Float32Array.from([0, 40000, 4]), 0, { ...options, maxParts: 2 });
    expect(result).toEqual({});
    expect(result?.text).toBeUndefined();
  });

  it('a part shipped first and the rest later counts both parts', () => {
    // 30,000 lines (0.953). Halves of 15,000 score 0.269 each (0.54): the split. Shipping 65% (19,500 lines) first
    // leaves 10,500 for later: 0.269 + 0.269, both below High, total below 0.953.
    const result = whatIf(gentle, Float32Array.from([0, 30000, 6]), 0, options);
    expect(result?.split).toMatchObject({ parts: 2, bucket: 'Low' });
    expect(result?.reduce).toMatchObject({ kind: 'reduce', parts: 2, factor: 0.65, bucket: 'Low' });
    expect(result?.reduce?.partScores.map((score) => Number(score.toFixed(3)))).toEqual([0.269, 0.269]);
    expect(result?.reduce?.changes[0].to).toBe(19500);
    expect(result?.reduce?.text).toBe(
      'ship ≤ 19,500 lines (65%) first and the rest separately → Low + Low (expected regressions 0.95 → 0.54)'
    );
    expect(result?.text).toBe(result?.split?.text);
  });

  it('reports Medium when the parts land above the Medium edge, and the re-scored value is the model’s', () => {
    const result = whatIf(gentle, Float32Array.from([0, 30000, 6]), 0, { ...options, mediumThreshold: 0.2 });
    expect(result?.split?.bucket).toBe('Medium');
    expect(result?.split?.text).toMatch(/→ Medium each/);
    const part = Float32Array.from([0, 15000, 3]);
    expect(result?.split?.score).toBe(predictProbabilities(gentle, part, 1)[0]);
  });

  it('says nothing when no split or two-part change helps (the risk comes from an uncontrollable feature)', () => {
    const result = whatIf(ensemble, Float32Array.from([1, 48000, 7]), 0, options);
    expect(result?.split).toBeUndefined();
    expect(result?.reduce).toBeUndefined();
    expect(result?.text).toBeUndefined();
  });

  it('needs a controllable size feature and a matching model', () => {
    expect(whatIf(ensemble, Float32Array.from([0, 48000, 7]), 0, { ...options, controllable: ['is_hotfix'] })).toBeUndefined();
    expect(() => whatIf({ ...ensemble, nFeatures: 4 }, Float32Array.from([0, 48000, 7, 0]), 0, options)).toThrow(ModelError);
  });

  it('only explains High rows of a table', () => {
    const table = {
      ids: ['a', 'b'],
      featureNames: features.map((f) => f.name),
      features: Float32Array.from([0, 48000, 7, 0, 500, 1])
    } as PatchTable;
    const scores = predictProbabilities(ensemble, table.features, 2);
    const rows = whatIfRows(ensemble, table, scores, options);
    expect(rows[0]?.split?.parts).toBe(5);
    expect(rows[1]).toBeUndefined();
  });
});

describe('whatIf on the shipped firmware model', () => {
  const bytes = readFileSync('models/firmware/v001.onnx');
  const card = JSON.parse(readFileSync('models/firmware/v001.card.json', 'utf8'));
  const shipped = onnxToEnsemble(bytes).ensemble;
  const shippedOptions: WhatIfOptions = {
    features: card.features,
    controllable: card.controllable,
    highThreshold: card.thresholds.high,
    mediumThreshold: card.thresholds.medium
  };

  it('does not advise splitting FW-2043 (0.335 → two parts at 0.280 each, 0.56 in total)', () => {
    // examples/patches.csv: FW-2043,power-mgmt,0.565,5.89,1894,7,126,0,0
    const x = Float32Array.from([0.565, 5.89, 1894, 7, 126, 0, 0]);
    const risk = predictProbabilities(shipped, x, 1)[0];
    expect(risk).toBeCloseTo(0.335, 3);
    const half = Float32Array.from([0.565, 5.89 / 2, 947, 4, 126, 0, 0]);
    const part = predictProbabilities(shipped, half, 1)[0];
    expect(part).toBeLessThan(card.thresholds.high);
    expect(2 * part).toBeGreaterThan(risk);
    const result = whatIf(shipped, x, 0, shippedOptions);
    expect(result?.text).toBeUndefined();
  });
});

describe('whatIf on a trained firmware model', () => {
  const names = FIRMWARE_SCHEMA.features.map((f) => f.name);
  const patches = generateFirmwarePatches(4000, 9);
  const nf = names.length;
  const X = new Float32Array(patches.length * nf);
  patches.forEach((p, r) => names.forEach((name, f) => (X[r * nf + f] = p[name as keyof typeof p] as number)));
  const y = Uint8Array.from(patches, (p) => p.high_risk_flag);
  const model = trainGbdt({ X, y, nRows: patches.length, nFeatures: nf }, { nTrees: 80, maxDepth: 5, earlyStoppingRounds: 0 }).ensemble;
  const scores = predictProbabilities(model, X, patches.length);
  const sorted = Float64Array.from(scores).sort();
  const high = sorted[Math.floor(0.9 * sorted.length)];
  const firmware: WhatIfOptions = {
    features: FIRMWARE_SCHEMA.features,
    controllable: FIRMWARE_SCHEMA.controllable ?? [],
    highThreshold: high,
    mediumThreshold: high / 2
  };

  it('every suggested split re-scores below High and lowers the total, and one part fewer does not do both', () => {
    let checked = 0;
    for (let r = 0; r < patches.length; r++) {
      if (scores[r] < high) continue;
      const result = whatIf(model, X, r, firmware);
      expect(result).toBeDefined();
      const split = result?.split;
      if (!split) continue;
      checked++;
      const part = X.slice(r * nf, r * nf + nf);
      for (const change of split.changes) part[names.indexOf(change.feature)] = change.to;
      const partScore = predictProbabilities(model, part, 1)[0];
      expect(partScore).toBeLessThan(high);
      expect(split.parts * partScore).toBeLessThan(predictProbabilities(model, X.slice(r * nf, r * nf + nf), 1)[0]);
      expect(split.text).toMatch(/^split into \d+ patches of ≤ [\d,]+ lines → (Medium|Low) each \(expected regressions [\d.]+ → [\d.]+\)$/);
      if (split.parts > 2) {
        const fewer = X.slice(r * nf, r * nf + nf);
        for (const name of firmware.controllable) {
          const f = names.indexOf(name);
          const share = 1 / (split.parts - 1);
          fewer[f] = FIRMWARE_SCHEMA.features[f].type === 'integer' ? Math.ceil(fewer[f] * share) : fewer[f] * share;
        }
        const fewerScore = predictProbabilities(model, fewer, 1)[0];
        const whole = predictProbabilities(model, X.slice(r * nf, r * nf + nf), 1)[0];
        expect(fewerScore >= high || (split.parts - 1) * fewerScore >= whole).toBe(true);
      }
    }
    expect(checked).toBeGreaterThan(20);
  });
});
