/** The alert budget's pure core: thresholds from reference scores, percentiles, and where thresholds come from. */
import {
  alertBudget,
  budgetEdge,
  budgetThresholds,
  calibrate,
  describeBudget,
  MIN_REFERENCE,
  percentileIn,
  sortedScores,
  withPercentiles
} from '../../src/index.js';
import { roundedEdge } from '../../src/core/budget.js';

/** 1,000 distinct scores 0.001, 0.002, …, 1.000, shuffled. */
const THOUSAND = sortedScores(Array.from({ length: 1000 }, (_, i) => ((i * 7919) % 1000) / 1000 + 0.001));
const CARD = { high: 0.3, medium: 0.2 };

describe('budgetEdge', () => {
  it('flags exactly the budget share of distinct scores, with the shortest threshold that does', () => {
    const high = budgetEdge(THOUSAND, 0.05);
    expect(THOUSAND.filter((score) => score >= high)).toHaveLength(50);
    expect(high).toBe(0.951);
    expect(THOUSAND.filter((score) => score >= budgetEdge(THOUSAND, 0.2))).toHaveLength(200);
  });

  it('reads like a person would write it', () => {
    expect(roundedEdge(0.4123789029121399, 0.4119)).toBe(0.412);
    expect(roundedEdge(0.5, 0.1)).toBe(0.5);
    expect(roundedEdge(0.30000001, 0.3)).toBeGreaterThan(0.3);
  });

  it('keeps tied scores together and takes the share nearest the budget', () => {
    // 100 scores: the top 20 are tied at 0.9. Flagging 0 is nearer 5% than flagging 20%.
    const tied = sortedScores([...Array.from({ length: 80 }, (_, i) => i / 100), ...Array(20).fill(0.9)]);
    const edge = budgetEdge(tied, 0.05);
    expect(edge).toBeGreaterThan(0.9);
    expect(edge).toBeLessThanOrEqual(1);
    // At 15% the tie (20%) is nearer than nothing.
    expect(tied.filter((score) => score >= budgetEdge(tied, 0.15))).toHaveLength(20);
  });

  it('never puts Medium above High', () => {
    const { high, medium } = budgetThresholds(THOUSAND, { alert: 5, medium: 20 });
    expect(medium).toBeLessThan(high);
    expect(THOUSAND.filter((score) => score >= medium)).toHaveLength(200);
    const same = budgetThresholds(THOUSAND, { alert: 10, medium: 10 });
    expect(same.medium).toBe(same.high);
  });
});

describe('percentileIn', () => {
  it('is the share of the reference strictly below, rounded down to 0.1', () => {
    expect(percentileIn(THOUSAND, 0.9705)).toBe(97);
    expect(percentileIn(THOUSAND, 0.0005)).toBe(0);
    expect(percentileIn(THOUSAND, 2)).toBe(100);
    expect(percentileIn(THOUSAND, 0.001)).toBe(0);
    expect(percentileIn(sortedScores([0.1, 0.2, 0.3]), 0.25)).toBe(66.6);
  });
});

describe('alertBudget', () => {
  it('checks the percentages and defaults Medium to 20% (or the alert share when larger)', () => {
    expect(alertBudget(5)).toEqual({ alert: 5, medium: 20 });
    expect(alertBudget(30)).toEqual({ alert: 30, medium: 30 });
    expect(alertBudget(2.5, 10)).toEqual({ alert: 2.5, medium: 10 });
    expect(() => alertBudget(0)).toThrow('alert-budget must be a percentage between 0 and 100 (exclusive), e.g. 5');
    expect(() => alertBudget(100)).toThrow(RangeError);
    expect(() => alertBudget(5, 100)).toThrow('medium-budget must be a percentage between 0 and 100');
    expect(() => alertBudget(10, 5)).toThrow('medium-budget (5) must be at least alert-budget (10): it counts Medium and High together');
  });
});

describe('calibrate', () => {
  const reference = { sorted: THOUSAND, label: 'the last 1,000 commits here', noun: 'commits' };

  it('sets the thresholds from the budget when the reference is large enough', () => {
    const calibration = calibrate({ card: CARD, budget: { alert: 5, medium: 20 }, reference });
    expect(calibration).toEqual({
      origin: 'budget',
      high: 0.951,
      medium: 0.801,
      budget: { alert: 5, medium: 20 },
      reference: { size: 1000, label: 'the last 1,000 commits here' }
    });
    expect(describeBudget(calibration)).toBe(
      'High = the riskiest 5% of the last 1,000 commits here (risk ≥ 0.951), Medium = the next 15% (risk ≥ 0.801)'
    );
  });

  it(`keeps the card's thresholds with fewer than ${MIN_REFERENCE} reference rows, and says why`, () => {
    const few = { sorted: THOUSAND.subarray(0, 199), label: 'the last 199 commits here', noun: 'commits' };
    expect(calibrate({ card: CARD, budget: { alert: 5, medium: 20 }, reference: few })).toMatchObject({
      origin: 'card',
      high: 0.3,
      medium: 0.2,
      note: "only 199 past commits to set the alert budget on (it needs at least 200): the model card's thresholds are used"
    });
    expect(calibrate({ card: CARD, budget: { alert: 5, medium: 20 } }).note).toMatch(/^only 0 past reference rows/);
  });

  it('lets an explicit threshold win, with the card’s Medium capped at it', () => {
    expect(calibrate({ card: CARD, threshold: 0.15, budget: { alert: 5, medium: 20 }, reference })).toMatchObject({
      origin: 'threshold',
      high: 0.15,
      medium: 0.15,
      note: 'the explicit threshold overrides the alert budget'
    });
    expect(calibrate({ card: CARD })).toEqual({ origin: 'card', high: 0.3, medium: 0.2 });
  });

  it('adds percentiles only against a large enough reference', () => {
    const calibration = calibrate({ card: CARD, budget: { alert: 5, medium: 20 }, reference });
    expect(Array.from(withPercentiles(calibration, THOUSAND, [0.9705, 0.0005]).percentiles ?? [])).toEqual([97, 0]);
    expect(withPercentiles(calibration, THOUSAND.subarray(0, 10), [0.5]).percentiles).toBeUndefined();
  });
});
