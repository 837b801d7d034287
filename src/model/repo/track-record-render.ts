/** A track record as plain text, Markdown or JSON, and the one line the job summary shows. */
import { escapeMarkdown } from '../../core/markdown.js';
import { alignColumns, plainText } from '../../core/text.js';
import type { TrackRecord } from './track-record.js';

export type TrackRecordFormat = 'text' | 'markdown' | 'json';

const DAY_MS = 86_400_000;

function pct(value: number | null, digits = 1): string {
  return value === null ? '-' : `${(100 * value).toFixed(digits)}%`;
}

function day(iso: string): string {
  return iso.slice(0, 10);
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}

/** "6 months", "3 weeks", "12 days": the window's length in the largest unit that fits. */
export function windowLength(record: Pick<TrackRecord, 'since' | 'labelled_before'>): string {
  const days = Math.max(0, (Date.parse(record.labelled_before) - Date.parse(record.since)) / DAY_MS);
  const months = Math.round(days / 30.44);
  if (months >= 2) return `${months} months`;
  const weeks = Math.round(days / 7);
  if (weeks >= 2) return `${weeks} weeks`;
  const whole = Math.max(1, Math.round(days));
  return `${whole} day${whole === 1 ? '' : 's'}`;
}

/**
 * The one-line version ("Over the 6 months to 2024-03-01, 41% of High commits
 * here later needed a fix, against 12% of all commits."); undefined when the
 * window has no commit.
 */
export function trackRecordLine(record: TrackRecord): string | undefined {
  if (record.commits === 0) return undefined;
  const high = record.buckets.find((b) => b.bucket === 'High');
  const over = `Over the ${windowLength(record)} to ${day(record.labelled_before)}`;
  const all = `${pct(record.base_rate, 0)} of all commits`;
  if (!high || high.commits === 0) return `${over}, no commit here was High; ${all} later needed a fix.`;
  return `${over}, ${pct(high.share, 0)} of High commits here later needed a fix, against ${all}.`;
}

function header(record: TrackRecord): string[] {
  return [
    `Track record of ${record.model} on ${record.repository}`,
    `${count(record.commits)} commits from ${day(record.since)} to ${day(record.labelled_before)} (old enough to be labelled: ${record.label_delay_days} days before the newest commit), each scored from the history as it stood then, against SZZ labels now`,
    `buckets: ${record.thresholds}`
  ];
}

function bucketRows(record: TrackRecord): string[][] {
  return [
    ['bucket', 'commits', 'later needed a fix', 'share'],
    ...record.buckets.map((b) => [b.bucket, count(b.commits), count(b.bugs), pct(b.share)]),
    ['all', count(record.commits), count(record.bugs), `${pct(record.base_rate)} (base rate)`]
  ];
}

function summary(record: TrackRecord): string {
  return (
    `precision of High ${pct(record.precision_high)}, of Medium ${pct(record.precision_medium)}; recall of High ${pct(record.recall_high)}; ` +
    `base rate ${pct(record.base_rate)}; ROC-AUC ${record.roc_auc === null ? '- (one class only)' : record.roc_auc.toFixed(3)}`
  );
}

export function renderTrackRecordText(record: TrackRecord): string {
  const line = trackRecordLine(record);
  return (
    [
      ...header(record).map((l) => plainText(l, 400)),
      '',
      ...alignColumns(bucketRows(record)),
      '',
      summary(record),
      ...(line ? ['', line] : [])
    ].join('\n') + '\n'
  );
}

export function renderTrackRecordMarkdown(record: TrackRecord): string {
  const [title, ...rest] = header(record);
  const rows = bucketRows(record);
  const line = trackRecordLine(record);
  return (
    [
      `### ${escapeMarkdown(title, 200)}`,
      '',
      ...rest.map((l) => escapeMarkdown(l, 400)),
      '',
      `| ${rows[0].join(' | ')} |`,
      '|---|---:|---:|---:|',
      ...rows.slice(1).map((row) => `| ${row.join(' | ')} |`),
      '',
      escapeMarkdown(summary(record), 400),
      ...(line ? ['', `**${escapeMarkdown(line, 400)}**`] : [])
    ].join('\n') + '\n'
  );
}

export function renderTrackRecord(record: TrackRecord, format: TrackRecordFormat): string {
  if (format === 'json') return `${JSON.stringify(record, null, 2)}\n`;
  return format === 'markdown' ? renderTrackRecordMarkdown(record) : renderTrackRecordText(record);
}
