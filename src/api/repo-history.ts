/**
 * A repository's labelled history from git, for `train-repo --repo DIR`: the
 * miner's rows (history state cache shared with commit mode) joined with the
 * SZZ labeller's labels (per-fix cache, parallel blame), both as if the
 * repository ended at `until`.
 *
 * No look-ahead: the history mined is that of the commit HEAD's first-parent
 * line stood at by `until` (committer time), and the labeller reads only the
 * ancestors of that commit committed by `until`, so no later commit is mined,
 * blamed from as a fix, or labelled.
 */
import path from 'node:path';
import { METRIC_COLUMNS } from '../git/csv.js';
import type { CommitMetrics } from '../git/history.js';
import { labelHistory, type LabelHistoryResult, type LabelProgress } from '../git/label-history.js';
import { mineRange as mineHistory, type CacheOutcome, type MineProgress } from '../git/mine.js';
import { openTrustedGit } from '../git/trusted.js';
import type { RawTable } from '../core/read.js';
import { HISTORY_DATE, HISTORY_ID, HISTORY_LABEL, labelledHistory, type LabelledHistory } from '../model/repo/history.js';
import type { RepositorySource } from '../model/repo/train.js';

export interface RepoHistoryOptions {
  /** Any directory of the repository (work tree or bare). */
  repo: string;
  /** Unix seconds: the repository as it was then. */
  until?: number;
  /** Cache folder: the miner's history state (shared with commit mode) and the labeller's per-fix results. */
  cacheDir?: string;
  /** --fix-pattern (default: the labeller's). */
  fixRule?: string;
  /** Git processes at once for blame (default: the CPU count). */
  jobs?: number;
  log?: (line: string) => void;
  onMineProgress?: (p: MineProgress) => void;
  onLabelProgress?: (p: LabelProgress) => void;
}

export interface RepoHistory {
  history: LabelledHistory;
  source: RepositorySource;
  /** Unix seconds: the end of the history (`until`, else the committer time of the newest commit). */
  end: number;
  /** The commit the history ends at. */
  tip: string;
  label: LabelHistoryResult;
  /** The miner's rows, in replay order: each commit's metrics from the history as it stood at that commit. */
  mined: CommitMetrics[];
  /** Rows mined but not labelled (merge commits' own changes; commits committed after `until` on a merged side line). */
  unlabelled: number;
  mineSeconds: number;
  labelSeconds: number;
}

/** Where HEAD's first-parent line stood at `until` (HEAD without one), and that commit's committer time. */
async function tipAt(repo: string, until: number | undefined): Promise<{ tip: string; time: number }> {
  const git = await openTrustedGit(repo);
  const args = ['log', '-1', '--first-parent', '--format=%H %ct', ...(until === undefined ? [] : [`--min-age=${Math.floor(until)}`])];
  const out = (await git.run([...args, '--end-of-options', 'HEAD', '--'])).trim();
  if (out === '') {
    const day = new Date((until as number) * 1000).toISOString();
    throw new Error(`${repo}: no commit of HEAD's first-parent line was committed by --until ${day}; nothing to learn from`);
  }
  const [tip, time] = out.split(' ');
  return { tip: tip, time: Number(time) };
}

function rowOf(m: CommitMetrics, bug: 0 | 1): string[] {
  return [m.commit, String(m.date), String(bug), ...METRIC_COLUMNS.map((name) => String(m[name]))];
}

/** Mine, label and join: one row per labelled non-merge commit, oldest first. */
export async function repoHistory(options: RepoHistoryOptions): Promise<RepoHistory> {
  const log = options.log ?? (() => undefined);
  const { tip, time } = await tipAt(options.repo, options.until);
  const name = path.basename(path.resolve(options.repo)) || options.repo;

  const mineStarted = Date.now();
  const mined = await mineHistory({
    repo: options.repo,
    rev: tip,
    ...(options.cacheDir !== undefined
      ? { cacheDir: options.cacheDir, onCache: (o: CacheOutcome) => log(`history cache ${options.cacheDir}: ${o.reason}`) }
      : {}),
    ...(options.onMineProgress ? { onProgress: options.onMineProgress } : {})
  });
  const mineSeconds = (Date.now() - mineStarted) / 1000;
  log(`mined ${mined.rows.length.toLocaleString('en-US')} commits up to ${tip.slice(0, 12)} in ${mineSeconds.toFixed(1)} s`);

  const labelStarted = Date.now();
  const label = await labelHistory({
    repo: options.repo,
    rev: tip,
    ...(options.until !== undefined ? { until: options.until } : {}),
    ...(options.fixRule !== undefined ? { fixRule: options.fixRule } : {}),
    ...(options.cacheDir !== undefined ? { cacheDir: options.cacheDir } : {}),
    ...(options.jobs !== undefined ? { jobs: options.jobs } : {}),
    ...(options.onLabelProgress ? { onProgress: options.onLabelProgress } : {})
  });
  const labelSeconds = (Date.now() - labelStarted) / 1000;
  const c = label.counts;
  log(
    `labelled ${c.commits.toLocaleString('en-US')} commits in ${labelSeconds.toFixed(1)} s: ${c.bugs.toLocaleString('en-US')} bug-introducing; ` +
      `${c.fixes.toLocaleString('en-US')} fix commits (${c.fromCache.toLocaleString('en-US')} from the cache, ${c.blamed.toLocaleString('en-US')} blamed)`
  );

  const rows: string[][] = [];
  let unlabelled = 0;
  for (const m of mined.rows) {
    const bug = m.merge ? undefined : label.labels.get(m.commit);
    if (bug === undefined) unlabelled++;
    else rows.push(rowOf(m, bug));
  }
  const raw: RawTable = {
    columns: [HISTORY_ID, HISTORY_DATE, HISTORY_LABEL, ...METRIC_COLUMNS],
    rows,
    lines: Int32Array.from(rows, (_, i) => i + 2)
  };
  const { settings } = label;
  const source: RepositorySource = {
    source: 'git',
    name,
    head: tip,
    labeller: {
      algorithm: 'SZZ (git blame of the lines each fix commit deleted or changed)',
      fix_rule: settings.fixRule,
      max_fix_files: settings.maxFixFiles,
      ignore: settings.ignore,
      ignore_revs: settings.ignoreRevs,
      diff_options: settings.diffOptions,
      blame_options: settings.blameOptions,
      until: settings.until === undefined ? null : new Date(settings.until * 1000).toISOString(),
      commits: c.commits,
      fix_commits: c.fixes,
      fix_commits_blamed: c.fixesInWindow - c.massChanges,
      mass_changes: c.massChanges,
      bug_introducing: c.bugs
    }
  };
  return {
    history: labelledHistory(name, raw),
    source,
    end: options.until ?? time,
    tip,
    label,
    mined: mined.rows,
    unlabelled,
    mineSeconds,
    labelSeconds
  };
}
