/**
 * `track-record` as a library call: how right the check has been on a
 * repository. The history is mined (each commit's metrics from the history as
 * it stood at that commit: no look-ahead) and SZZ-labelled as it is now; each
 * commit is scored by the model and put in the bucket commit mode would have
 * used then (the alert budget on the commits before it, as the action sets
 * it); the record counts, per bucket, the commits of the window that later
 * needed a fix.
 */
import { MIN_REFERENCE, REFERENCE_WINDOW, type AlertBudget } from '../core/budget.js';
import type { Scorer } from '../core/scorer.js';
import { plainText } from '../core/text.js';
import { commitsToTable } from '../git/table.js';
import { DEFAULT_LABEL_DELAY_DAYS } from '../model/repo/history.js';
import { thresholdsAtEachCommit, trackRecord, type ScoredCommit, type TrackRecord } from '../model/repo/track-record.js';
import { repoHistory, type RepoHistory, type RepoHistoryOptions } from './repo-history.js';

const DAY = 86_400;
/** The window when no --since is given: the six months before the label cut. */
export const DEFAULT_TRACK_WINDOW_DAYS = 183;

export interface RepoTrackRecordOptions extends Omit<RepoHistoryOptions, 'until'> {
  model: Scorer;
  /** Unix seconds: commits from here on (default: DEFAULT_TRACK_WINDOW_DAYS before the label cut). */
  since?: number;
  /** Commits younger than this before the newest commit are left out: their fixes may not have landed yet. */
  labelDelayDays?: number;
  /** The alert budget commit mode sets its buckets with; undefined: the model card's thresholds. */
  budget?: AlertBudget;
  now?: Date;
}

export interface RepoTrackRecord {
  record: TrackRecord;
  mined: RepoHistory;
}

function day(seconds: number): string {
  return new Date(seconds * 1000).toISOString().slice(0, 10);
}

/** The thresholds in words, as the record states them. */
function thresholdsText(card: { high: number; medium: number }, budget: AlertBudget | undefined): string {
  const cardText = `High >= ${card.high.toFixed(3)}, Medium >= ${card.medium.toFixed(3)}`;
  if (!budget) return `the model card's: ${cardText}`;
  return (
    `as commit mode sets them: High = the riskiest ${budget.alert}%, Medium the next ${budget.medium - budget.alert}% of the up to ` +
    `${REFERENCE_WINDOW.toLocaleString('en-US')} commits before each one (the model card's ${cardText} while fewer than ${MIN_REFERENCE} came before)`
  );
}

/** The window: [since, end − label delay]; a since after the label cut leaves nothing to judge. */
export function trackWindow(
  end: number,
  labelDelayDays: number,
  since: number | undefined
): { since: number; labelledBefore: number; labelDelayDays: number } {
  const labelledBefore = end - labelDelayDays * DAY;
  const from = since ?? labelledBefore - DEFAULT_TRACK_WINDOW_DAYS * DAY;
  if (from > labelledBefore) {
    throw new RangeError(
      `no commit from ${day(from)} on is old enough to have been labelled: the newest commit's date minus the label delay of ` +
        `${labelDelayDays} days is ${day(labelledBefore)} (give an earlier --since or a shorter --label-delay; ` +
        'a repository model is judged only on commits after those it was trained on)'
    );
  }
  return { since: from, labelledBefore, labelDelayDays };
}

/**
 * A repository model has seen the labels of the commits it was trained on: judging it on them would be
 * look-ahead. The window starts after its training period (the card's label cut) whatever --since says.
 */
function sinceAfterTraining(model: Scorer, since: number | undefined, log?: (line: string) => void): number | undefined {
  const trainedOn = model.card.repository;
  if (!trainedOn) return since;
  const after = Math.floor(Date.parse(trainedOn.labelled_before) / 1000) + 1;
  if (since !== undefined && since >= after) return since;
  log?.(
    `the window starts at ${trainedOn.labelled_before}, after the commits ${model.card.name} ${model.card.version} was trained on ` +
      '(judging a model on its own training commits would be look-ahead)'
  );
  return after;
}

/** Mine, label, score and count. */
export async function repoTrackRecord(options: RepoTrackRecordOptions): Promise<RepoTrackRecord> {
  const { model, budget } = options;
  const labelDelayDays = options.labelDelayDays ?? DEFAULT_LABEL_DELAY_DAYS;
  const mined = await repoHistory(options);
  const window = trackWindow(mined.end, labelDelayDays, sinceAfterTraining(model, options.since, options.log));

  // Every non-merge commit in replay order: the commits commit mode scores and sets its alert budget on.
  const rows = mined.mined.filter((m) => !m.merge);
  const table = commitsToTable(rows, { features: model.card.features, source: `the history of ${mined.source.name}` });
  const scores = rows.length === 0 ? new Float64Array(0) : await model.score(table.features, rows.length);
  const thresholds = thresholdsAtEachCommit(scores, model.card.thresholds, budget);

  const labelled: ScoredCommit[] = [];
  const indexOf: number[] = [];
  rows.forEach((m, i) => {
    const bug = mined.label.labels.get(m.commit);
    if (bug === undefined) return;
    labelled.push({ commit: m.commit, date: m.date, score: scores[i], bug });
    indexOf.push(i);
  });
  const record = trackRecord(labelled, window, (j) => thresholds(indexOf[j]), {
    repository: mined.source.name,
    model: `${plainText(model.card.name, 100)} ${model.card.version}`,
    thresholds: thresholdsText(model.card.thresholds, budget),
    now: options.now
  });
  return { record, mined };
}
