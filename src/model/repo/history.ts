/**
 * A repository's labelled commit history as training data: one row per
 * commit (id `commit`, author time `date` in unix seconds, label `bug`, the
 * change metrics), oldest first, and the training period cut from it.
 *
 * Two sources give the same rows: a labelled metrics CSV (`train-repo
 * --metrics FILE`, e.g. the published data in data/jit/, whose `_id` and
 * `entrophy` are read as `commit` and `entropy`) and the miner's rows joined
 * with SZZ labels (`train-repo --repo DIR`).
 */
import { InputError } from '../../core/errors.js';
import { readRawTable, type RawTable } from '../../core/read.js';
import { DECIMAL_TEXT } from '../../core/schema.js';
import { sortByTime } from '../data/split.js';
import { canonicalJitColumns } from '../jit/data.js';

export const HISTORY_ID = 'commit';
export const HISTORY_DATE = 'date';
export const HISTORY_LABEL = 'bug';

/** Rows younger than this before the end of the history are not trained on (their fixes may not have landed yet). */
export const DEFAULT_LABEL_DELAY_DAYS = 180;

const DAY = 86_400;

export interface LabelledHistory {
  /** How outputs and errors name it: the file, or the repository. */
  name: string;
  /** Every labelled commit, oldest first by `date` (stable on ties). */
  raw: RawTable;
  /** Author time of each row (unix seconds), aligned with raw.rows. */
  dates: Float64Array;
  /** Label of each row, aligned with raw.rows. */
  labels: Uint8Array;
}

/** Check the id, date and label columns, put the rows in time order and keep their dates and labels. */
export function labelledHistory(name: string, raw: RawTable): LabelledHistory {
  const named = canonicalJitColumns(raw);
  for (const column of [HISTORY_ID, HISTORY_DATE, HISTORY_LABEL]) {
    if (!named.columns.includes(column)) {
      throw new InputError(
        name,
        `missing the column "${column}" (a labelled history needs ${HISTORY_ID}, ${HISTORY_DATE} in unix seconds, ${HISTORY_LABEL} 0/1 and the change metrics)`
      );
    }
  }
  const dateAt = named.columns.indexOf(HISTORY_DATE);
  named.rows.forEach((row, r) => {
    if (!DECIMAL_TEXT.test(row[dateAt].trim()))
      throw new InputError(name, `expected unix seconds, found ${JSON.stringify(row[dateAt])} (line ${named.lines[r]})`, {
        row: r + 1,
        column: HISTORY_DATE
      });
  });
  const ordered = sortByTime(named, HISTORY_DATE, name);
  const labelAt = ordered.columns.indexOf(HISTORY_LABEL);
  const labels = new Uint8Array(ordered.rows.length);
  ordered.rows.forEach((row, r) => {
    const cell = row[labelAt].trim();
    if (cell !== '0' && cell !== '1')
      throw new InputError(name, `expected a label of 0 or 1, found ${JSON.stringify(cell)} (line ${ordered.lines[r]})`, {
        row: r + 1,
        column: HISTORY_LABEL
      });
    labels[r] = cell === '1' ? 1 : 0;
  });
  return { name, raw: ordered, dates: Float64Array.from(ordered.rows, (row) => Number(row[dateAt])), labels };
}

/** A labelled metrics CSV or JSON file (`train-repo --metrics FILE`). */
export async function readLabelledHistory(file: string): Promise<LabelledHistory> {
  return labelledHistory(file, await readRawTable(file));
}

export interface PeriodOptions {
  /** Unix seconds: the history ends here; later rows are not used at all. */
  until?: number;
  /** Rows younger than this many days before the end are not trained on. */
  labelDelayDays: number;
  /** Unix seconds: the end of the history when `until` is not given (default: the newest row's date). */
  end?: number;
}

/** The rows a model may learn from, and what was left out. */
export interface TrainingPeriod {
  history: LabelledHistory;
  /** Unix seconds: `until`, else the end given, else the newest row's date. */
  end: number;
  /** Unix seconds: rows dated after this are too young to be trained on (end − label delay). */
  labelledBefore: number;
  labelDelayDays: number;
  until?: number;
  /** Rows dated after `until` (never used). */
  afterUntil: number;
  /** Rows dated after `labelledBefore` (too young to trust their label). */
  tooYoung: number;
  /** Rows of the period: the usable commits and how many of them introduced a bug. */
  commits: number;
  bugs: number;
}

function take(history: LabelledHistory, count: number): LabelledHistory {
  return {
    name: history.name,
    raw: { columns: history.raw.columns, rows: history.raw.rows.slice(0, count), lines: history.raw.lines.slice(0, count) },
    dates: history.dates.slice(0, count),
    labels: history.labels.slice(0, count)
  };
}

/** Cut the training period: nothing after `until`, nothing younger than the label delay before the end. */
export function trainingPeriod(history: LabelledHistory, options: PeriodOptions): TrainingPeriod {
  if (!(options.labelDelayDays >= 0)) throw new RangeError(`the label delay must be 0 or more days, got ${options.labelDelayDays}`);
  const n = history.dates.length;
  const newest = n === 0 ? -Infinity : history.dates[n - 1];
  const end = options.until ?? options.end ?? newest;
  const labelledBefore = end - options.labelDelayDays * DAY;
  // Rows are in date order: everything up to the first row past a limit is inside it.
  const countUpTo = (limit: number): number => {
    let k = 0;
    while (k < n && history.dates[k] <= limit) k++;
    return k;
  };
  const inUntil = options.until === undefined ? n : countUpTo(options.until);
  const usable = Math.min(inUntil, countUpTo(labelledBefore));
  const period = take(history, usable);
  return {
    history: period,
    end,
    labelledBefore,
    labelDelayDays: options.labelDelayDays,
    ...(options.until !== undefined ? { until: options.until } : {}),
    afterUntil: n - inUntil,
    tooYoung: inUntil - usable,
    commits: usable,
    bugs: period.labels.reduce((sum, label) => sum + label, 0)
  };
}

/** The least a repository must give to learn from. */
export const MIN_TRAINING_COMMITS = 1000;
export const MIN_TRAINING_BUGS = 100;

/** Why a repository is too small to learn from, or undefined when it is large enough. */
export function tooSmall(period: Pick<TrainingPeriod, 'commits' | 'bugs'>): string | undefined {
  const problems: string[] = [];
  if (period.commits < MIN_TRAINING_COMMITS)
    problems.push(
      `${period.commits.toLocaleString('en-US')} labelled commits (needs at least ${MIN_TRAINING_COMMITS.toLocaleString('en-US')})`
    );
  if (period.bugs < MIN_TRAINING_BUGS)
    problems.push(`${period.bugs.toLocaleString('en-US')} bug-introducing commits (needs at least ${MIN_TRAINING_BUGS})`);
  return problems.length === 0 ? undefined : problems.join(' and ');
}
