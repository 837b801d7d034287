import { createRandom, DEFAULT_PLAN_OPTIONS, decide, monitoringPriority, planPatches, type PlanOptions } from '../../src/index.js';

const options: PlanOptions = { ...DEFAULT_PLAN_OPTIONS, highThreshold: 0.5, mediumThreshold: 0.2, baseRate: 0.1 };

describe('planPatches', () => {
  const plan = planPatches(
    { ids: ['a', 'b', 'c', 'd'], scores: Float64Array.from([0.1, 0.9, 0.3, 0.9]), fleetAgeDays: Float64Array.from([100, 100, 2000, 3000]) },
    options
  );

  it('buckets at the thresholds; High is exactly high_risk', () => {
    expect(plan.patches.map((p) => p.risk_bucket)).toEqual(['Low', 'High', 'Medium', 'High']);
    expect(plan.patches.map((p) => p.high_risk)).toEqual([0, 1, 0, 1]);
  });

  it('ranks riskiest first with a deterministic tie-break (older fleet, then input order)', () => {
    expect(plan.byRank).toEqual([3, 1, 2, 0]);
    expect(plan.patches.map((p) => p.qa_rank)).toEqual([4, 2, 3, 1]);
  });

  it('regression potential is the lift over the base rate', () => {
    expect(plan.patches[1].regression_potential).toBeCloseTo(9);
  });

  it('allocates exactly the capacity, High patches at least the minimum', () => {
    const total = plan.patches.reduce((sum, p) => sum + p.qa_hours, 0);
    expect(total).toBeCloseTo(40, 6);
    // 2 h each for b and d; the other 36 h in proportion to potential 1:9:3:9 → 1.636, 16.727, 4.909, 16.727;
    // in tenths 16.36, 167.27, 49.09, 167.27 floor to 399: the one tenth left goes to the largest remainder (a).
    expect(plan.patches.map((p) => p.qa_hours)).toEqual([1.7, 16.7, 4.9, 16.7]);
  });

  it('rounds every share to within 0.1 h and adds up exactly, on many patches', () => {
    const random = createRandom(3);
    const scores = Float64Array.from({ length: 5000 }, () => random.next() ** 3);
    const big = planPatches({ ids: Array.from(scores, (_, i) => `p${i}`), scores }, { ...options, qaCapacityHours: 37.3 });
    const highCount = big.totals.high;
    const floor = Math.min(2, 37.3 / highCount);
    const weight = big.patches.reduce((sum, p) => sum + p.regression_potential, 0);
    const rest = 37.3 - floor * highCount;
    let tenths = 0;
    for (const p of big.patches) {
      const exact = (p.high_risk ? floor : 0) + (rest * p.regression_potential) / weight;
      expect(Math.abs(p.qa_hours - exact)).toBeLessThan(0.1 + 1e-9);
      tenths += Math.round(p.qa_hours * 10);
    }
    expect(tenths).toBe(373);
  });

  it('gives High patches the whole capacity when it cannot cover the minimum', () => {
    const tight = planPatches({ ids: ['a', 'b'], scores: Float64Array.from([0.9, 0.8]) }, { ...options, qaCapacityHours: 3 });
    expect(tight.patches.map((p) => p.qa_hours)).toEqual([1.5, 1.5]);
  });

  it('monitoring tier follows priority = 0.7 risk + 0.3 min(1, age / 1825)', () => {
    expect(plan.patches[3].monitoring_priority).toBeCloseTo(0.7 * 0.9 + 0.3);
    expect(plan.patches.map((p) => p.monitoring_tier)).toEqual([
      'Standard Monitoring',
      'Immediate Monitoring',
      'Enhanced Monitoring',
      'Immediate Monitoring'
    ]);
  });

  it('never gives a lower priority to a higher risk or an older fleet', () => {
    for (let risk = 0; risk <= 1; risk += 0.05) {
      for (let age = 0; age <= 4000; age += 250) {
        const here = monitoringPriority(risk, age, options);
        expect(monitoringPriority(risk + 0.05, age, options)).toBeGreaterThanOrEqual(here);
        expect(monitoringPriority(risk, age + 250, options)).toBeGreaterThanOrEqual(here);
      }
    }
  });

  it('moves the High edge with the threshold', () => {
    const lower = planPatches({ ids: ['a', 'b', 'c'], scores: Float64Array.from([0.1, 0.3, 0.9]) }, { ...options, highThreshold: 0.25 });
    expect(lower.patches.map((p) => p.risk_bucket)).toEqual(['Low', 'High', 'High']);
    expect(lower.thresholds.medium).toBe(0.2);
  });

  it('computes totals and the gate decision per fail-on level', () => {
    expect(plan.totals).toMatchObject({ patches: 4, high: 2, medium: 1, low: 1, max_risk: 0.9, qa_hours: 40 });
    expect(plan.totals.expected_regressions).toBeCloseTo(2.2);
    expect(decide(plan.totals, 'high').outcome).toBe('fail');
    const calm = planPatches({ ids: ['a'], scores: Float64Array.from([0.3]) }, options).totals;
    expect(decide(calm, 'high').outcome).toBe('pass');
    expect(decide(calm, 'medium').outcome).toBe('fail');
  });

  it('refuses an out-of-range threshold', () => {
    expect(() => planPatches({ ids: ['a'], scores: Float64Array.from([0.3]) }, { ...options, highThreshold: 2 })).toThrow(RangeError);
  });
});
