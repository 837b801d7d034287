/**
 * The shipped `jit` model: the project's own trainer on the four published
 * projects pooled, with the setup `evaluate-jit` measures (JIT_GBDT_PARAMS).
 * Training rows are the older 80% of every project; validation (thresholds,
 * card metrics, drift baseline of scores) is the newest 20% of every project.
 */
import { JIT_SCHEMA } from '../../core/schema.js';
import { pooledJitTable, type JitProject } from './data.js';
import { JIT_GBDT_PARAMS } from './eval.js';
import { trainModel, type TrainedModel } from '../gbdt/train.js';

/** Where data/jit/ comes from (recorded in the card). */
export const JIT_DATA_SOURCE =
  'Zeng, Zhang, Zhang, Zhang, "Deep Just-in-Time Defect Prediction: How Far Are We?" (ISSTA 2021), ' +
  'replication package github.com/ZZR0/ISSTA21-JIT-DP at commit 5fbf45bb, ' +
  'Data_Extraction/git_base/datasets/<project>/<project>_k_feature.csv, MIT license; copied unchanged into data/jit/';

export interface JitTrainOptions {
  name: string;
  version: string;
  /** The command that made the model, as a user would rerun it. */
  command: string;
  now?: Date;
}

export function trainJitModel(projects: readonly JitProject[], options: JitTrainOptions): TrainedModel {
  const { table, validationFraction } = pooledJitTable(projects);
  const names = projects.map((p) => p.name).join(', ');
  const rows = projects.map((p) => `${p.name} ${p.table.ids.length}`).join(', ');
  return trainModel(
    table,
    JIT_SCHEMA,
    {
      name: options.name,
      description:
        `Just-in-time defect risk of a commit from its 14 change metrics (Kamei et al., TSE 2013): the probability that the commit ` +
        `later needs a bug fix (SZZ labels). Gradient-boosted trees trained by patch-risk-gate on real commits of ${names} (${rows} commits) ` +
        `from ${JIT_DATA_SOURCE}. Pooled: the older 80% of every project trains, the newest 20% of every project validates. ` +
        `On a repository it has not seen, use the score as a ranking: as a probability it leans toward the training bug rate ` +
        `(measured by patch-risk evaluate-jit --calibration; README, "Default JIT model").`,
      validationFraction,
      split: 'time',
      seed: JIT_GBDT_PARAMS.seed ?? 42,
      params: JIT_GBDT_PARAMS,
      data: `data/jit/{${projects.map((p) => p.name).join(',')}}.csv — ${JIT_DATA_SOURCE}`,
      provenance: `${options.command} (pooled projects, time split: the newest 20% of each project validates; entrophy read as entropy, _id as commit)`,
      controllable: JIT_SCHEMA.controllable
    },
    options.version,
    options.now
  );
}
