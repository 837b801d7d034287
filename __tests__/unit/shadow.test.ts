import {
  DEFAULT_PLAN_OPTIONS,
  compareChallenger,
  planPatches,
  renderChallengerMarkdown,
  renderChallengerText,
  type PatchTable,
  type ScoredPatches
} from '../../src/index.js';
import { averageRanks, spearman } from '../../src/model/lifecycle/shadow.js';

function scored(version: string, scores: number[], threshold: number): ScoredPatches {
  const ids = scores.map((_, i) => `P${i + 1}`);
  const values = Float64Array.from(scores);
  const plan = planPatches(
    { ids, scores: values },
    { ...DEFAULT_PLAN_OPTIONS, highThreshold: threshold, mediumThreshold: threshold / 2, baseRate: 0.2 }
  );
  const model = {
    name: 'fw',
    version,
    sha256: '0'.repeat(64),
    threshold,
    medium_threshold: threshold / 2,
    trained_rows: 1,
    roc_auc: 0.8,
    f1: 0.5,
    created_at: ''
  };
  // compareChallenger reads only the plan, the scores and the model summary.
  return { table: { ids } as unknown as PatchTable, scores: values, plan, model };
}

describe('Spearman rank correlation', () => {
  it('matches hand-computed values, with average ranks for ties', () => {
    expect(Array.from(averageRanks([10, 30, 20, 30]))).toEqual([1, 3.5, 2, 3.5]);
    // d = (0, 1, 1, 0): 1 − 6·2 / (4·15) = 0.8
    expect(spearman([1, 2, 3, 4], [1, 3, 2, 4])).toBeCloseTo(0.8, 12);
    // ranks (1.5, 1.5, 3) vs (1, 2, 3): cov 1.5, var 1.5 and 2 → 1.5 / √3
    expect(spearman([1, 1, 2], [1, 2, 3])).toBeCloseTo(1.5 / Math.sqrt(3), 12);
    expect(spearman([1, 2, 3], [3, 2, 1])).toBeCloseTo(-1, 12);
    expect(spearman([1], [1])).toBeNull();
    expect(spearman([1, 1, 1], [1, 2, 3])).toBeNull();
  });
});

describe('compareChallenger', () => {
  const champion = scored('v002', [0.9, 0.1, 0.6, 0.2, 0.4], 0.5);
  const challenger = scored('v003', [0.8, 0.7, 0.3, 0.1, 0.45], 0.4);

  it('reports agreement, rank correlation and the patches decided differently', () => {
    const comparison = compareChallenger(champion, challenger);
    // high_risk: champion 1,0,1,0,0; challenger (threshold 0.4) 1,1,0,0,1 → P2, P3, P5 differ.
    expect(comparison.agreement).toBeCloseTo(2 / 5, 12);
    expect(comparison.differing.map((d) => [d.id, d.champion_high_risk, d.challenger_high_risk])).toEqual([
      ['P2', 0, 1],
      ['P3', 1, 0],
      ['P5', 0, 1]
    ]);
    // ranks (5,1,4,2,3) vs (5,4,2,1,3): Σd² = 0+9+4+1+0 = 14 → 1 − 6·14/120 = 0.3
    expect(comparison.spearman).toBeCloseTo(0.3, 12);
    expect(comparison.champion).toEqual({ name: 'fw', version: 'v002', threshold: 0.5 });
    expect(comparison.challenger.version).toBe('v003');
  });

  it('never changes the champion result', () => {
    const before = JSON.stringify(champion.plan);
    compareChallenger(champion, challenger);
    expect(JSON.stringify(champion.plan)).toBe(before);
  });

  it('renders text and markdown, and refuses different patch counts', () => {
    const comparison = compareChallenger(champion, challenger);
    expect(renderChallengerText(comparison)).toBe(
      [
        "challenger fw v003 (shadow; the decision is fw v002's):",
        '  decision agreement 40.0% of 5 patches, Spearman rank correlation 0.3000',
        '  3 patch(es) decided differently (id: champion score/high → challenger score/high):',
        '    P2: 0.1000/0 → 0.7000/1',
        '    P3: 0.6000/1 → 0.3000/0',
        '    P5: 0.4000/0 → 0.4500/1',
        ''
      ].join('\n')
    );
    expect(renderChallengerText(comparison, 1)).toMatch(/P2: .*\n {4}… and 2 more\n$/);
    expect(renderChallengerMarkdown(comparison)).toMatch(/\| P3 \| 0\.6000 \| 1 \| 0\.3000 \| 0 \|/);
    expect(renderChallengerMarkdown(compareChallenger(champion, champion))).toMatch(/No patch has a different decision\./);
    expect(() => compareChallenger(champion, scored('v003', [0.1], 0.5))).toThrow(/champion scored 5 patches but the challenger 1/);
  });
});
