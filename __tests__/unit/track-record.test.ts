import {
  alertBudget,
  calibrate,
  createRandom,
  sortedScores,
  thresholdsAtEachCommit,
  parseTrackRecord,
  renderTrackRecord,
  trackRecord,
  trackRecordLine,
  windowLength,
  type ScoredCommit,
  type TrackRecord
} from '../../src/index.js';

const DAY = 86_400;
const T = 1_700_000_000;

/** 10 commits a day apart: scores 0.05, 0.15, …, 0.95; bugs where the label list says. */
function commits(bugs: number[]): ScoredCommit[] {
  return bugs.map((bug, i) => ({ commit: `c${i}`, date: T + i * DAY, score: 0.05 + i / 10, bug: bug as 0 | 1 }));
}

const META = {
  repository: 'acme/app',
  model: 'jit v001',
  thresholds: 'the model card: High >= 0.7, Medium >= 0.4',
  now: new Date('2024-01-01T00:00:00Z')
};

describe('trackRecord', () => {
  const all = commits([0, 0, 1, 0, 0, 1, 0, 1, 1, 0]);
  const window = { since: T + 1 * DAY, labelledBefore: T + 8 * DAY, labelDelayDays: 180 };

  it('counts each bucket inside the window and derives precision, recall, base rate and ROC-AUC', () => {
    const record = trackRecord(all, window, () => ({ high: 0.7, medium: 0.4 }), META);
    // In the window: c1..c8 (scores 0.15..0.85); High = c7, c8 (0.75, 0.85); Medium = c4..c6; Low = c1..c3.
    expect(record.commits).toBe(8);
    expect(record.bugs).toBe(4);
    expect(record.base_rate).toBe(0.5);
    expect(record.buckets).toEqual([
      { bucket: 'High', commits: 2, bugs: 2, share: 1 },
      { bucket: 'Medium', commits: 3, bugs: 1, share: 1 / 3 },
      { bucket: 'Low', commits: 3, bugs: 1, share: 1 / 3 }
    ]);
    expect(record.precision_high).toBe(1);
    expect(record.precision_medium).toBeCloseTo(1 / 3, 12);
    expect(record.recall_high).toBe(0.5);
    // Positives c2,c5,c7,c8 vs negatives c1,c3,c4,c6: 12 of 16 pairs ranked right.
    expect(record.roc_auc).toBeCloseTo(12 / 16, 12);
    expect(record.since).toBe(new Date((T + DAY) * 1000).toISOString());
    expect(record.generated_at).toBe('2024-01-01T00:00:00.000Z');
  });

  it('uses the thresholds in use at each commit (by its index in the history)', () => {
    const record = trackRecord(all, window, (i) => (i < 5 ? { high: 0.1, medium: 0.1 } : { high: 2, medium: 2 }), META);
    expect(record.buckets.map((b) => b.commits)).toEqual([4, 0, 4]);
  });

  it('a window of one class has no ROC-AUC, and an empty High bucket no precision', () => {
    const record = trackRecord(
      commits([0, 0, 0, 0]),
      { since: T, labelledBefore: T + 10 * DAY, labelDelayDays: 0 },
      () => ({ high: 2, medium: 2 }),
      META
    );
    expect(record.roc_auc).toBeNull();
    expect(record.precision_high).toBeNull();
    expect(record.recall_high).toBeNull();
    expect(trackRecordLine(record)).toBe('Over the 10 days to 2023-11-24, no commit here was High; 0% of all commits later needed a fix.');
  });
});

describe('rendering a track record', () => {
  const record: TrackRecord = trackRecord(
    commits([0, 0, 1, 0, 0, 1, 0, 1, 1, 0]),
    { since: T - 200 * DAY, labelledBefore: T + 9 * DAY, labelDelayDays: 180 },
    () => ({ high: 0.7, medium: 0.4 }),
    META
  );

  it('one line for the job summary', () => {
    expect(windowLength(record)).toBe('7 months');
    expect(trackRecordLine(record)).toBe(
      'Over the 7 months to 2023-11-23, 67% of High commits here later needed a fix, against 40% of all commits.'
    );
  });

  it('text: the bucket table, the summary figures and the line', () => {
    const text = renderTrackRecord(record, 'text');
    expect(text).toContain('Track record of jit v001 on acme/app\n');
    expect(text).toMatch(
      /\nbucket +commits +later needed a fix +share\nHigh +3 +2 +66\.7%\nMedium +3 +1 +33\.3%\nLow +4 +1 +25\.0%\nall +10 +4 +40\.0% \(base rate\)\n/
    );
    expect(text).toContain('precision of High 66.7%, of Medium 33.3%; recall of High 50.0%; base rate 40.0%; ROC-AUC ');
    expect(text.trimEnd().split('\n').at(-1)).toBe(trackRecordLine(record));
  });

  it('markdown escapes what came from the repository', () => {
    const md = renderTrackRecord({ ...record, repository: '<img src=x>|@team' }, 'markdown');
    expect(md).toContain('| High | 3 | 2 | 66.7% |');
    expect(md).not.toContain('<img');
    expect(md).toContain('&lt;img src=x&gt;\\|@\u200dteam');
  });

  it('json round-trips through the parser, which names bad fields', () => {
    const json = JSON.parse(renderTrackRecord(record, 'json')) as unknown;
    expect(parseTrackRecord(json, 'track-record.json')).toEqual(record);
    expect(() => parseTrackRecord({ ...record, commits: -1, buckets: 'x' }, 'track-record.json')).toThrow(
      /^track-record\.json: not a track record: commits: .*; buckets: /
    );
  });
});

describe('the thresholds commit mode used at each commit', () => {
  it('the alert budget on the up to 2,000 reference commits before each one, the card below 200 (brute force agrees)', () => {
    const rng = createRandom(4);
    const scores = Array.from({ length: 2600 }, () => Math.round(rng.next() * 1000) / 1000);
    const merge = (i: number): boolean => i % 7 === 3;
    const card = { high: 0.9, medium: 0.5 };
    const budget = alertBudget(5, 20);
    const at = thresholdsAtEachCommit(scores, card, budget, (i) => !merge(i));
    for (const i of [0, 150, 230, 231, 1000, 2399, 2599]) {
      const before = scores
        .slice(0, i)
        .filter((_, k) => !merge(k))
        .slice(-2000);
      const expected = calibrate({ card, budget, reference: { sorted: sortedScores(before), label: 'x', noun: 'commits' } });
      expect(at(i)).toEqual({ high: expected.high, medium: expected.medium });
    }
    expect(at(10)).toEqual(card);
    expect(at(2599)).not.toEqual(card);
  });

  it('without a budget, the card at every commit', () => {
    const at = thresholdsAtEachCommit([0.1, 0.2], { high: 0.3, medium: 0.2 }, undefined);
    expect(at(1)).toEqual({ high: 0.3, medium: 0.2 });
  });
});
