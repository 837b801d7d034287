import { ModelError } from '../src/core/errors.js';
import type { PatchTable } from '../src/core/read.js';
import { FIRMWARE_SCHEMA, type FeatureSpec } from '../src/core/schema.js';
import { predictProbabilities, type Tree, type TreeEnsemble } from '../src/model/gbdt/ensemble.js';
import { trainGbdt } from '../src/model/gbdt/boost.js';
import { generateFirmwarePatches } from '../src/model/data/generate.js';
import { whatIf, whatIfRows, type WhatIfOptions } from '../src/model/explain/whatif.js';

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

describe('whatIf', () => {
  it('finds the smallest split that brings a High patch below the High edge', () => {
    // 48,000 lines: margin +3 (p 0.95, High); halves of 24,000 are still High; thirds of 16,000 score 0.5 (Medium).
    const result = whatIf(ensemble, Float32Array.from([0, 48000, 7]), 0, options);
    expect(result?.split).toMatchObject({ kind: 'split', parts: 3, bucket: 'Medium' });
    expect(result?.split?.score).toBeCloseTo(0.5, 12);
    expect(result?.split?.changes).toEqual([
      { feature: 'lines_changed', from: 48000, to: 16000 },
      { feature: 'files_changed', from: 7, to: 3 }
    ]);
    expect(result?.text).toBe('split into 3 patches of ≤ 16,000 lines → Medium');
  });

  it('finds the smallest size reduction, scanning 5% steps', () => {
    // Keeping 40% (19,200 lines) is the largest share at or below 20,000 lines.
    const result = whatIf(ensemble, Float32Array.from([0, 48000, 7]), 0, options);
    expect(result?.reduce).toMatchObject({ kind: 'reduce', parts: 1, factor: 0.4, bucket: 'Medium' });
    expect(result?.reduce?.changes[0].to).toBe(19200);
    expect(result?.reduce?.text).toBe('reduce to ≤ 19,200 lines (-60%) → Medium');
  });

  it('reports Low when a split lands below the Medium edge, and the re-scored value is the model’s', () => {
    const result = whatIf(ensemble, Float32Array.from([0, 48000, 7]), 0, { ...options, maxParts: 10, mediumThreshold: 0.6 });
    expect(result?.split?.bucket).toBe('Low');
    const part = Float32Array.from([0, 16000, 4]);
    expect(result?.split?.score).toBe(predictProbabilities(ensemble, part, 1)[0]);
  });

  it('says so when no split or reduction helps (the risk comes from an uncontrollable feature)', () => {
    const result = whatIf(ensemble, Float32Array.from([1, 48000, 7]), 0, options);
    expect(result?.split).toBeUndefined();
    expect(result?.reduce).toBeUndefined();
    expect(result?.text).toBe('no split into ≤ 10 patches or smaller lines_changed, files_changed brings it below High');
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
    expect(rows[0]?.split?.parts).toBe(3);
    expect(rows[1]).toBeUndefined();
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

  it('every suggested split re-scores below High, and one part fewer does not', () => {
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
      expect(predictProbabilities(model, part, 1)[0]).toBeLessThan(high);
      expect(split.text).toMatch(/^split into \d+ patches of ≤ [\d,]+ lines → (Medium|Low)$/);
      if (split.parts > 2) {
        const fewer = X.slice(r * nf, r * nf + nf);
        for (const name of firmware.controllable) {
          const f = names.indexOf(name);
          fewer[f] =
            FIRMWARE_SCHEMA.features[f].type === 'integer' ? Math.ceil(fewer[f] / (split.parts - 1)) : fewer[f] / (split.parts - 1);
        }
        expect(predictProbabilities(model, fewer, 1)[0]).toBeGreaterThanOrEqual(high);
      }
    }
    expect(checked).toBeGreaterThan(20);
  });
});
