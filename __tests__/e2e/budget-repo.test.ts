/**
 * The alert budget on a real repository: 2,600 commits written with git
 * fast-import in a temp dir, mined by the real miner and scored by the shipped
 * jit model. Thresholds set on the 2,000 commits before a range flag about the
 * budget's share of the range's own 400 commits, which were not used to set
 * them; each commit gets its percentile among those 2,000.
 */
import Papa from 'papaparse';
import { MIN_REFERENCE, runGate, scoredCsv, type GateRun, type LoadedModel, type ScoredPatches } from '../../src/index.js';
import { buildHistoryRepo, type HistoryRepo } from '../helpers/history-repo.js';
import { shippedModel } from '../helpers/shipped-model.js';

let repo: HistoryRepo;
let model: LoadedModel;

beforeAll(async () => {
  repo = buildHistoryRepo(2600, 3);
  model = await shippedModel('jit');
}, 120000);

afterAll(() => repo.remove());

/** The commits after commits[base] up to commits[head]. */
function range(base: number, head: number) {
  return { kind: 'commits' as const, repo: repo.dir, range: { base: repo.commits[base], head: repo.commits[head] } };
}

const shares = (run: GateRun) => {
  const { high, medium, patches } = run.totals;
  return { high: high / patches, mediumOrHigh: (high + medium) / patches };
};

describe('alert budget on real history', () => {
  let defaults: GateRun;
  beforeAll(async () => {
    defaults = await runGate(range(2199, 2599), { model });
  }, 120000);

  it('by default flags about 5% of new commits High and 20% Medium or High, set on the last 2,000 commits', () => {
    expect(defaults.calibration).toMatchObject({
      origin: 'budget',
      budget: { alert: 5, medium: 20 },
      reference: { size: 2000, label: 'the last 2,000 commits here' }
    });
    expect(defaults.totals.patches).toBe(400);
    const { high, mediumOrHigh } = shares(defaults);
    expect(high).toBeGreaterThanOrEqual(0.02);
    expect(high).toBeLessThanOrEqual(0.08);
    expect(mediumOrHigh).toBeGreaterThanOrEqual(0.14);
    expect(mediumOrHigh).toBeLessThanOrEqual(0.26);
    // The card's thresholds (best F1 on the training projects) would flag far more of this repository's commits.
    const card = model.card.thresholds.high;
    const result = defaults.scored as ScoredPatches;
    expect(result.scores.filter((score) => score >= card).length / 400).toBeGreaterThan(0.3);
  });

  it('follows the budget the team sets', async () => {
    for (const [alert, low, highest] of [
      [10, 0.065, 0.135],
      [20, 0.15, 0.25]
    ]) {
      const run = await runGate(range(2199, 2599), { model, alertBudget: alert, mediumBudget: Math.min(99, alert * 2) });
      expect(run.calibration.origin).toBe('budget');
      expect(shares(run).high).toBeGreaterThanOrEqual(low);
      expect(shares(run).high).toBeLessThanOrEqual(highest);
    }
  }, 120000);

  it('gives each commit its percentile among the last 2,000, consistent with its bucket', () => {
    const result = defaults.scored as ScoredPatches;
    const percentiles = result.calibration?.percentiles as Float64Array;
    expect(percentiles).toHaveLength(400);
    result.plan.patches.forEach((patch, i) => {
      if (patch.risk_bucket === 'High') expect(percentiles[i]).toBeGreaterThanOrEqual(94);
      if (patch.risk_bucket === 'Low') expect(percentiles[i]).toBeLessThan(81);
    });
    const csv = Papa.parse<Record<string, string>>(scoredCsv(result), { header: true, skipEmptyLines: true });
    expect(csv.meta.fields).toEqual(expect.arrayContaining(['percentile', 'high_threshold', 'medium_threshold', 'threshold_origin']));
    expect(csv.data.map((row) => Number(row.percentile))).toEqual(Array.from(percentiles));
    expect(new Set(csv.data.map((row) => `${row.high_threshold} ${row.medium_threshold} ${row.threshold_origin}`))).toEqual(
      new Set([`${defaults.thresholds.high} ${defaults.thresholds.medium} budget`])
    );
  });

  it(`falls back to the card's thresholds with fewer than ${MIN_REFERENCE} past commits, and says so`, async () => {
    const run = await runGate(range(150, 300), { model });
    expect(run.calibration).toMatchObject({ origin: 'card', high: model.card.thresholds.high, reference: { size: 151 } });
    expect(run.calibration.note).toBe(
      "only 151 past commits to set the alert budget on (it needs at least 200): the model card's thresholds are used"
    );
    expect(run.thresholds.high).toBe(model.card.thresholds.high);
    expect((run.scored as ScoredPatches).calibration?.percentiles).toBeUndefined();
  }, 120000);

  it('an explicit threshold wins over the budget; percentiles are still given', async () => {
    const run = await runGate(range(2499, 2599), { model, threshold: 0.5, alertBudget: 5 });
    expect(run.calibration).toMatchObject({ origin: 'threshold', high: 0.5, note: 'the explicit threshold overrides the alert budget' });
    expect(run.thresholds).toEqual({ high: 0.5, medium: Math.min(0.5, model.card.thresholds.medium) });
    expect((run.scored as ScoredPatches).calibration?.percentiles).toHaveLength(100);
  }, 120000);
});
