/**
 * `train-repo` as a library call: a repository's labelled history (a metrics
 * file, or mined and SZZ-labelled from git) → the training period → a
 * candidate trained on the repository's own commits and judged against the
 * default model → the next version of the output folder, champion only when
 * it beat the default.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Scorer } from '../core/scorer.js';
import { readJitProjects, JIT_PROJECTS } from '../model/jit/data.js';
import { nextVersion, readRegistry, type PromotionGates } from '../model/lifecycle/registry.js';
import {
  DEFAULT_LABEL_DELAY_DAYS,
  readLabelledHistory,
  tooSmall,
  trainingPeriod,
  type LabelledHistory,
  type TrainingPeriod
} from '../model/repo/history.js';
import { writeRepoModel, type WrittenRepoModel } from '../model/repo/folder.js';
import { publicRows, type PublicRows } from '../model/repo/pool.js';
import { repoHistory, type RepoHistory, type RepoHistoryOptions } from './repo-history.js';
import { REPO_MODEL_GATES, trainRepoModel, type RepositorySource, type RepoTraining } from '../model/repo/train.js';

export interface PoolOptions {
  /** auto: pool with the public projects when that scores better on the training part; never: own commits only. */
  mode: 'auto' | 'never';
  /** Folder with one <project>.csv per public project (data/jit/). */
  dataDir: string;
  /** Projects to pool (default: every one of data/jit/ that is there). */
  projects?: readonly string[];
}

export interface TrainRepoOptions {
  /** The model folder: the candidate is written as its next version. */
  out: string;
  /** Unix seconds: the history ends here. */
  until?: number;
  labelDelayDays?: number;
  /** The model to beat (the built-in `jit` in the CLI). */
  defaultModel: Scorer;
  pool: PoolOptions;
  /** Gate overrides for this run (else the folder's registry.json gates, else REPO_MODEL_GATES). */
  gates?: Partial<PromotionGates>;
  /** The command as a user would rerun it (recorded in the card). */
  command: string;
  /** Ship the validated recipe retrained on the whole period (default true). */
  refit?: boolean;
  now?: Date;
  log?: (line: string) => void;
}

export type TrainRepoRun =
  | { status: 'too-small'; period: TrainingPeriod; reason: string }
  | {
      status: 'trained';
      period: TrainingPeriod;
      training: RepoTraining;
      written: WrittenRepoModel;
      gates: PromotionGates;
      /** Why pooling was not tried, when it was not. */
      poolNote?: string;
    };

/** The gates a run judges with: the folder's stored ones (or the repository defaults), then this run's overrides. */
export function gatesFor(out: string, overrides: Partial<PromotionGates> = {}): PromotionGates {
  const stored = existsSync(out) ? readRegistry(out)?.gates : undefined;
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined));
  return { ...(stored ?? REPO_MODEL_GATES), ...defined };
}

async function loadPool(options: PoolOptions): Promise<{ pool?: PublicRows; note?: string }> {
  if (options.mode === 'never') return { note: 'pooling off (--pool never)' };
  const projects = options.projects ?? JIT_PROJECTS.filter((name) => existsSync(path.join(options.dataDir, `${name}.csv`)));
  if (projects.length === 0) return { note: `no public data in ${options.dataDir}: own commits only` };
  const read = await readJitProjects(options.dataDir, projects);
  return { pool: publicRows(read, read[0].table.featureNames) };
}

/** Train, judge and write from a labelled history. */
export async function trainRepoFromHistory(
  history: LabelledHistory,
  source: RepositorySource,
  options: TrainRepoOptions & { end?: number }
): Promise<TrainRepoRun> {
  const period = trainingPeriod(history, {
    until: options.until,
    end: options.end,
    labelDelayDays: options.labelDelayDays ?? DEFAULT_LABEL_DELAY_DAYS
  });
  const small = tooSmall(period);
  if (small) return { status: 'too-small', period, reason: `${history.name} is too small to learn from: ${small}` };
  const gates = gatesFor(options.out, options.gates);
  const { pool, note } = await loadPool(options.pool);
  const training = await trainRepoModel({
    period,
    source,
    defaultModel: options.defaultModel,
    pool,
    gates,
    name: path.basename(path.resolve(options.out)),
    version: nextVersion(options.out),
    command: options.command,
    refit: options.refit,
    now: options.now
  });
  const written = await writeRepoModel(options.out, training, gates, options.now);
  return { status: 'trained', period, training, written, gates, ...(note ? { poolNote: note } : {}) };
}

/** `train-repo --metrics FILE`: a labelled metrics file (commit, date, bug and the change metrics) instead of a repository. */
export async function trainRepoFromMetrics(file: string, options: TrainRepoOptions): Promise<TrainRepoRun> {
  const history = await readLabelledHistory(file);
  return trainRepoFromHistory(history, { source: 'metrics', name: file }, options);
}

/**
 * `train-repo --repo DIR`: mine (history state cache), SZZ-label (per-fix cache) and train, all as if the
 * repository ended at `options.until`. The mined history comes back beside the run for reporting.
 */
export async function trainRepoFromRepository(
  repo: Omit<RepoHistoryOptions, 'until' | 'log'>,
  options: TrainRepoOptions
): Promise<{ run: TrainRepoRun; mined: RepoHistory }> {
  const mined = await repoHistory({ ...repo, until: options.until, log: options.log });
  const run = await trainRepoFromHistory(mined.history, mined.source, { ...options, end: mined.end });
  return { run, mined };
}
