/**
 * A track record: how right the check has been on this repository. For every
 * commit of a window old enough to have been labelled, the bucket the model
 * would have put it in at the time (its score from the history state at that
 * commit, the thresholds in use then) against what SZZ says now: per bucket,
 * how many commits and how many later needed a fix; precision of High and
 * Medium, recall of High, the base rate, ROC-AUC. Pure: mining, labelling
 * and scoring are the caller's.
 */
import { z } from 'zod';
import { calibrate, REFERENCE_WINDOW, type AlertBudget } from '../../core/budget.js';
import { rocAuc } from '../evaluate/metrics.js';

export type TrackBucket = 'High' | 'Medium' | 'Low';
export const TRACK_BUCKETS: readonly TrackBucket[] = ['High', 'Medium', 'Low'];

/** One commit as the model saw it then and as SZZ labels it now. */
export interface ScoredCommit {
  commit: string;
  /** Author time, unix seconds. */
  date: number;
  score: number;
  /** 1: a later fix changed lines it introduced. */
  bug: 0 | 1;
}

export interface Thresholds {
  high: number;
  medium: number;
}

/** The thresholds in use when commit `index` (in replay order) would have been checked. */
export type ThresholdsAt = (index: number) => Thresholds;

export interface BucketRecord {
  bucket: TrackBucket;
  commits: number;
  /** Commits of the bucket that later needed a fix. */
  bugs: number;
  /** bugs / commits (null for an empty bucket). */
  share: number | null;
}

export interface TrackRecord {
  repository: string;
  /** "jit v001" */
  model: string;
  /** How the buckets were set, in words. */
  thresholds: string;
  /** ISO dates: the window's first day and the label cut (the window's end). */
  since: string;
  labelled_before: string;
  label_delay_days: number;
  commits: number;
  bugs: number;
  base_rate: number | null;
  buckets: BucketRecord[];
  precision_high: number | null;
  precision_medium: number | null;
  recall_high: number | null;
  /** null when the window holds one class only. */
  roc_auc: number | null;
  generated_at: string;
}

export interface TrackWindow {
  /** Unix seconds: commits from here on. */
  since: number;
  /** Unix seconds: commits after this are too young to trust their label. */
  labelledBefore: number;
  labelDelayDays: number;
}

function ratio(a: number, b: number): number | null {
  return b === 0 ? null : a / b;
}

export function bucketOf(score: number, thresholds: Thresholds): TrackBucket {
  return score >= thresholds.high ? 'High' : score >= thresholds.medium ? 'Medium' : 'Low';
}

/**
 * The thresholds commit mode would have used at each commit: with an alert
 * budget, the budget on the scores of the up to 2,000 reference commits
 * before it (non-merge commits, in replay order), the card's thresholds while
 * fewer than 200 came before; without one, the card's. Precomputed for every
 * index; O(commits × 2,000).
 */
export function thresholdsAtEachCommit(
  scores: ArrayLike<number>,
  card: Thresholds,
  budget: AlertBudget | undefined,
  inReference: (index: number) => boolean = () => true
): ThresholdsAt {
  if (!budget) return () => card;
  const n = scores.length;
  const high = new Float64Array(n);
  const medium = new Float64Array(n);
  const window: number[] = [];
  const sorted = new Float64Array(REFERENCE_WINDOW);
  let size = 0;
  const insert = (value: number): void => {
    let at = size;
    while (at > 0 && sorted[at - 1] > value) {
      sorted[at] = sorted[at - 1];
      at--;
    }
    sorted[at] = value;
    size++;
  };
  const remove = (value: number): void => {
    let at = 0;
    while (sorted[at] !== value) at++;
    sorted.copyWithin(at, at + 1, size);
    size--;
  };
  for (let i = 0; i < n; i++) {
    const calibration = calibrate({
      card,
      budget,
      reference: { sorted: sorted.subarray(0, size), label: 'the commits before', noun: 'commits' }
    });
    high[i] = calibration.high;
    medium[i] = calibration.medium;
    if (!inReference(i)) continue;
    if (window.length === REFERENCE_WINDOW) remove(window.shift() as number);
    window.push(scores[i]);
    insert(scores[i]);
  }
  return (index) => ({ high: high[index], medium: medium[index] });
}

/** The record of `commits` (every scored commit, in replay order) inside the window. */
export function trackRecord(
  commits: readonly ScoredCommit[],
  window: TrackWindow,
  thresholdsAt: ThresholdsAt,
  meta: { repository: string; model: string; thresholds: string; now?: Date }
): TrackRecord {
  const counts = new Map<TrackBucket, { commits: number; bugs: number }>(TRACK_BUCKETS.map((b) => [b, { commits: 0, bugs: 0 }]));
  const scores: number[] = [];
  const labels: number[] = [];
  commits.forEach((c, i) => {
    if (c.date < window.since || c.date > window.labelledBefore) return;
    const bucket = counts.get(bucketOf(c.score, thresholdsAt(i)))!;
    bucket.commits += 1;
    bucket.bugs += c.bug;
    scores.push(c.score);
    labels.push(c.bug);
  });
  const total = scores.length;
  const bugs = labels.reduce((a, b) => a + b, 0);
  const high = counts.get('High')!;
  const medium = counts.get('Medium')!;
  return {
    repository: meta.repository,
    model: meta.model,
    thresholds: meta.thresholds,
    since: new Date(window.since * 1000).toISOString(),
    labelled_before: new Date(window.labelledBefore * 1000).toISOString(),
    label_delay_days: window.labelDelayDays,
    commits: total,
    bugs,
    base_rate: ratio(bugs, total),
    buckets: TRACK_BUCKETS.map((bucket) => {
      const c = counts.get(bucket)!;
      return { bucket, commits: c.commits, bugs: c.bugs, share: ratio(c.bugs, c.commits) };
    }),
    precision_high: ratio(high.bugs, high.commits),
    precision_medium: ratio(medium.bugs, medium.commits),
    recall_high: ratio(high.bugs, bugs),
    roc_auc: bugs === 0 || bugs === total ? null : rocAuc(scores, Uint8Array.from(labels)),
    generated_at: (meta.now ?? new Date()).toISOString()
  };
}

const share = z.number().min(0).max(1).nullable();

const trackRecordSchema = z.object({
  repository: z.string(),
  model: z.string(),
  thresholds: z.string(),
  since: z.string(),
  labelled_before: z.string(),
  label_delay_days: z.number().min(0),
  commits: z.number().int().min(0),
  bugs: z.number().int().min(0),
  base_rate: share,
  buckets: z.array(
    z.object({ bucket: z.enum(['High', 'Medium', 'Low']), commits: z.number().int().min(0), bugs: z.number().int().min(0), share })
  ),
  precision_high: share,
  precision_medium: share,
  recall_high: share,
  roc_auc: share,
  generated_at: z.string()
});

/** A saved track record (`track-record --save FILE`), checked field by field; the error names every bad one. */
export function parseTrackRecord(json: unknown, source: string): TrackRecord {
  const result = trackRecordSchema.safeParse(json);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.') || '(record)'}: ${issue.message}`);
    throw new Error(`${source}: not a track record: ${problems.join('; ')}`);
  }
  return result.data;
}
