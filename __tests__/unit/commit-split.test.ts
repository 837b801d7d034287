import { MAX_NAMED_PARTS, splitAdvice } from '../../src/model/explain/commit-split.js';

const thresholds = { high: 0.3, medium: 0.2 };

describe('splitAdvice', () => {
  it('names the split, each part with its risk and bucket riskiest first, and the totals before and after', () => {
    const advice = splitAdvice(
      0.47,
      [
        { directory: 'docs', score: 0.03 },
        { directory: 'src/core', score: 0.12 }
      ],
      { high: 0.3, medium: 0.1 }
    );
    expect(advice?.text).toBe('split by directory: src/core (0.12, Medium) + docs (0.03, Low) → expected regressions 0.47 → 0.15');
    expect(advice?.parts.map((part) => [part.directory, part.bucket])).toEqual([
      ['src/core', 'Medium'],
      ['docs', 'Low']
    ]);
    expect(advice?.before).toBe(0.47);
    expect(advice?.after).toBeCloseTo(0.15, 12);
  });

  it('says nothing when the parts together are expected to cause as many regressions or more', () => {
    expect(
      splitAdvice(
        0.35,
        [
          { directory: 'a', score: 0.2 },
          { directory: 'b', score: 0.15 }
        ],
        thresholds
      )
    ).toBeUndefined();
    expect(
      splitAdvice(
        0.335,
        [
          { directory: 'a', score: 0.28 },
          { directory: 'b', score: 0.28 }
        ],
        thresholds
      )
    ).toBeUndefined();
  });

  it('says nothing when a part stays High, even if the total falls', () => {
    const parts = [
      { directory: 'a', score: 0.3 },
      { directory: 'b', score: 0.01 }
    ];
    expect(splitAdvice(0.9, parts, thresholds)).toBeUndefined();
    expect(splitAdvice(0.9, [{ ...parts[0], score: 0.2999 }, parts[1]], thresholds)?.text).toContain('a (0.30, Medium)');
  });

  it('needs two parts or more, and a part score that is not a number is never advice', () => {
    expect(splitAdvice(0.9, [{ directory: 'a', score: 0.1 }], thresholds)).toBeUndefined();
    expect(
      splitAdvice(
        0.9,
        [
          { directory: 'a', score: Number.NaN },
          { directory: 'b', score: 0.1 }
        ],
        thresholds
      )
    ).toBeUndefined();
  });

  it('prints three decimals when two would show the same totals', () => {
    const advice = splitAdvice(
      0.4,
      [
        { directory: 'a', score: 0.199 },
        { directory: 'b', score: 0.198 }
      ],
      thresholds
    );
    expect(advice?.text).toMatch(/expected regressions 0\.400 → 0\.397$/);
  });

  it('names root files, shortens long directory names from the front, and sums up the parts beyond the first few', () => {
    const many = [
      { directory: '', score: 0.05 },
      { directory: `deep/${'x'.repeat(60)}/leaf`, score: 0.21 },
      { directory: 'b', score: 0.02 },
      { directory: 'c', score: 0.03 },
      { directory: 'd', score: 0.01 }
    ];
    const advice = splitAdvice(0.5, many, thresholds)!;
    expect(advice.parts).toHaveLength(5);
    expect(advice.text.startsWith('split by directory: …')).toBe(true);
    expect(advice.text).toContain(
      '/leaf (0.21, Medium) + (root files) (0.05, Low) + c (0.03, Low) + 2 more directories (each ≤ 0.02, Low)'
    );
    expect(advice.text).toMatch(/→ expected regressions 0\.50 → 0\.32$/);
    // Up to MAX_NAMED_PARTS parts are all named.
    const four = many.slice(0, MAX_NAMED_PARTS);
    expect(splitAdvice(0.5, four, thresholds)!.text).not.toContain('more directories');
  });
});
