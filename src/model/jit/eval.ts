/**
 * Evaluating the JIT training setup on real projects:
 * - per project, the published protocol: train on the older 80% of commits,
 *   test on the newest 20% (ROC-AUC beside the published figures);
 * - calibration on an unseen repository: train on all the other projects,
 *   test on every commit of the held-out one (ROC-AUC, Brier, ECE, mean
 *   predicted risk against the observed bug rate).
 */
import type { PatchTable } from '../../core/read.js';
import { predictProbabilities } from '../gbdt/ensemble.js';
import { calibration } from '../evaluate/evaluate.js';
import { trainGbdt, type Dataset, type GbdtParams } from '../gbdt/boost.js';
import { timeSplit, type JitProject } from './data.js';
import { brier, rocAuc } from '../evaluate/metrics.js';
import { subset } from '../data/split.js';

/**
 * The setup the shipped `jit` model is trained with. Shallow trees, a low
 * learning rate, strong L2 on leaf values and row subsampling; a fixed number
 * of rounds, because early stopping on the newest slice of the training part
 * stopped too early on openstack, whose bug rate drifts over time.
 */
export const JIT_GBDT_PARAMS: Readonly<Partial<GbdtParams>> = Object.freeze({
  nTrees: 200,
  learningRate: 0.05,
  maxDepth: 3,
  lambda: 10,
  minChildWeight: 1,
  subsample: 0.8,
  colsampleByTree: 1,
  earlyStoppingRounds: 0,
  seed: 42
});

export const PUBLISHED_METHODS = ['LApredict', 'LR', 'DeepJIT', 'CC2Vec'] as const;
export type PublishedMethod = (typeof PUBLISHED_METHODS)[number];

/** ROC-AUC on each project's newest 20%, from Zeng et al. (ISSTA 2021), as in data/jit/README.md. */
export const PUBLISHED_JIT_AUC: Readonly<Record<string, Record<PublishedMethod, number>>> = Object.freeze({
  qt: { LApredict: 0.7438, LR: 0.6651, DeepJIT: 0.6927, CC2Vec: 0.6936 },
  openstack: { LApredict: 0.7491, LR: 0.7248, DeepJIT: 0.7132, CC2Vec: 0.7227 },
  jdt: { LApredict: 0.6757, LR: 0.6736, DeepJIT: 0.6701, CC2Vec: 0.6653 },
  platform: { LApredict: 0.7461, LR: 0.6403, DeepJIT: 0.7712, CC2Vec: 0.7613 }
});

export interface ProjectEvaluation {
  project: string;
  trainRows: number;
  testRows: number;
  testBugRate: number;
  trees: number;
  rocAuc: number;
  /** Published figures for this project (absent for other data). */
  published?: Record<PublishedMethod, number>;
  /** Best published ROC-AUC and ours minus it. */
  bestPublished?: number;
  margin?: number;
}

export interface CalibrationRow {
  /** The project held out (tested on all its rows). */
  project: string;
  trainRows: number;
  testRows: number;
  /** Bug rate of the training projects pooled. */
  trainBugRate: number;
  observedBugRate: number;
  meanPredicted: number;
  rocAuc: number;
  brier: number;
  /** Expected calibration error, 10 equal-width bins. */
  ece: number;
}

function meanOf(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  return values.length === 0 ? NaN : sum / values.length;
}

function allRows(table: PatchTable): number[] {
  return Array.from({ length: table.ids.length }, (_, i) => i);
}

/** Train on the older 80% of a project's rows, test on the newest 20%. */
export function evaluateTimeSplit(project: string, table: PatchTable, params: Partial<GbdtParams> = JIT_GBDT_PARAMS): ProjectEvaluation {
  const { train, test } = timeSplit(table.ids.length);
  const trainSet = subset(table, train);
  const testSet = subset(table, test);
  const { ensemble } = trainGbdt(trainSet, params);
  const auc = rocAuc(predictProbabilities(ensemble, testSet.X, testSet.nRows), testSet.y);
  const published = PUBLISHED_JIT_AUC[project];
  const bestPublished = published ? Math.max(...Object.values(published)) : undefined;
  return {
    project,
    trainRows: trainSet.nRows,
    testRows: testSet.nRows,
    testBugRate: meanOf(testSet.y),
    trees: ensemble.trees.length,
    rocAuc: auc,
    ...(published && bestPublished !== undefined ? { published, bestPublished, margin: auc - bestPublished } : {})
  };
}

function concatDatasets(sets: Dataset[]): Dataset {
  const nFeatures = sets[0].nFeatures;
  const nRows = sets.reduce((sum, d) => sum + d.nRows, 0);
  const X = new Float32Array(nRows * nFeatures);
  const y = new Uint8Array(nRows);
  let at = 0;
  for (const d of sets) {
    X.set(d.X, at * nFeatures);
    y.set(d.y, at);
    at += d.nRows;
  }
  return { X, y, nRows, nFeatures };
}

/** Leave one project out: train on all rows of the others, test on all rows of the held-out one. */
export function leaveOneProjectOut(projects: readonly JitProject[], params: Partial<GbdtParams> = JIT_GBDT_PARAMS): CalibrationRow[] {
  if (projects.length < 2) throw new RangeError('leave-one-project-out needs at least two projects');
  const full = projects.map(({ table }) => subset(table, allRows(table)));
  return projects.map(({ name }, held) => {
    const trainSet = concatDatasets(full.filter((_, i) => i !== held));
    const testSet = full[held];
    const { ensemble } = trainGbdt(trainSet, params);
    const p = predictProbabilities(ensemble, testSet.X, testSet.nRows);
    return {
      project: name,
      trainRows: trainSet.nRows,
      testRows: testSet.nRows,
      trainBugRate: meanOf(trainSet.y),
      observedBugRate: meanOf(testSet.y),
      meanPredicted: meanOf(p),
      rocAuc: rocAuc(p, testSet.y),
      brier: brier(p, testSet.y),
      ece: calibration(p, testSet.y, 10).ece
    };
  });
}
