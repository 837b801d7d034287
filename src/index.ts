/**
 * patch-risk-gate's public API: what the CLI, the action, the service and
 * other programs use. Importing it loads no native code; onnxruntime is
 * loaded when the first model is.
 *
 *   import { loadModelByName, runGate } from 'patch-risk-gate';
 *   const model = await loadModelByName('firmware');
 *   const run = await runGate({ kind: 'file', file: 'patches.csv' }, { model });
 *   console.log(run.decision.outcome, run.totals.high);
 *
 * docs/library.md describes each group below.
 */
import { runGate, type GateOptions } from './api/gate.js';
import { loadModelByName } from './api/models.js';
import type { ScoredPatches } from './core/pipeline.js';
import type { LoadedModel } from './model/onnx/session.js';

// Scoring and gating: the one path every front end takes.
export { runGate, type GateInput, type FileInput, type TextInput, type GateOptions, type GateRun } from './api/gate.js';
export { mineRange, shortRev, type CommitsInput, type MinedRange } from './api/commits.js';
export { BUILTIN_MODELS_DIR, loadModelByName, modelRefFor, type ScoringMode } from './api/models.js';
export { loadModel, LoadedModel, type LoadModelOptions } from './model/onnx/session.js';
export type { Scorer } from './core/scorer.js';
export { decide, blockingLevel, blockingPatches, type Decision, type FailOn, type GateOutcome } from './core/decide.js';
export {
  scoreFile,
  scoreTable,
  modelSummary,
  type ModelSummary,
  type Reason,
  type ScoredPatches,
  type ScoreOptions
} from './core/pipeline.js';
export { streamScoreFile, type RowExplainer, type StreamScoreOptions, type StreamScoreResult } from './core/stream.js';

// Patch files: schemas, reading and validation.
export {
  FIRMWARE_SCHEMA,
  JIT_SCHEMA,
  DEPLOYMENT_SCHEMA,
  KNOWN_SCHEMAS,
  DEFAULT_ID_COLUMN,
  FLEET_AGE_COLUMN,
  parseDecimal,
  featureDisplay,
  formatFeatureValue,
  type FeatureDisplay,
  type RowValues,
  type FeatureSpec,
  type FeatureType,
  type Schema
} from './core/schema.js';
export { parseModelCard, type ModelCard, type FeatureBaseline, type RepositoryModelInfo } from './core/card.js';
export {
  readPatchFile,
  parsePatchText,
  readRawTable,
  tableFromRaw,
  selectRows,
  type PatchTable,
  type PatchFormat,
  type RawTable,
  type ReadOptions
} from './core/read.js';
export { decodeText } from './core/csv.js';
export { InputError, ModelError } from './core/errors.js';
export { AtomicFile, atomicWriteStream, writeFileAtomic, removePendingOutputs, OutputError, type OutputOptions } from './core/files.js';

// The plan: buckets, QA hours, monitoring tiers.
export {
  planPatches,
  planColumns,
  monitoringPriority,
  DEFAULT_PLAN_OPTIONS,
  type Plan,
  type PlanOptions,
  type PlannedPatch,
  type PlanTotals,
  type RiskBucket,
  type MonitoringTier
} from './core/plan.js';

// Outputs: the scored CSV, JSON rows, the verdict and the Markdown report.
export {
  scoredCsv,
  scoredRows,
  scoredJsonRows,
  thresholdsJson,
  toJsonRows,
  gateVerdict,
  defaultScoredPath,
  PLAN_COLUMNS,
  REASON_COLUMNS,
  MODEL_COLUMNS,
  CALIBRATION_COLUMNS,
  type GateVerdict
} from './core/output.js';
export {
  alertBudget,
  budgetThresholds,
  budgetEdge,
  calibrate,
  describeBudget,
  percentileIn,
  sortedScores,
  withPercentiles,
  DEFAULT_ALERT_BUDGET,
  DEFAULT_MEDIUM_BUDGET,
  MIN_REFERENCE,
  REFERENCE_WINDOW,
  type AlertBudget,
  type Calibration,
  type CalibrationRequest,
  type ThresholdOrigin
} from './core/budget.js';
export {
  shownReasons,
  reasonsOfRow,
  reasonsText,
  reasonsSentence,
  strengthArrows,
  STRENGTH_LEGEND,
  MAX_SHOWN_REASONS,
  type ShownReason
} from './core/reasons.js';
export { commitTextReport, thresholdsLine, type CommitTextOptions } from './core/render-text.js';
export { renderReport, commentMarker, GITHUB_COMMENT_LIMIT, type RenderContext, type OverrideInfo } from './core/render.js';
export { reviewerList, reviewFirstSection, type CommitRenderInfo, type SuggestedReviewer } from './core/render-commits.js';
export { escapeMarkdown } from './core/markdown.js';
export { plainText, visibleLine, alignColumns } from './core/text.js';

// Explanations.
export {
  explainScored,
  explainerFactory,
  AUTO_EXPLAIN_ALL_ROWS,
  type ExplainMode,
  type ExplainScoredOptions
} from './model/explain/explain.js';
export { shapValues, topReasons, explanationReasons, type ShapResult } from './model/explain/shap.js';
export { whatIf, type WhatIf, type Counterfactual } from './model/explain/whatif.js';

// Training, ONNX and evaluation.
export { trainModel, writeModelVersion, chooseSchema, type TrainOptions, type TrainedModel } from './model/gbdt/train.js';
export { trainGbdt, DEFAULT_GBDT_PARAMS, type Dataset, type GbdtParams } from './model/gbdt/boost.js';
export { predictProbabilities, type TreeEnsemble, type Tree } from './model/gbdt/ensemble.js';
export { ensembleToOnnx } from './model/onnx/export.js';
export { onnxToEnsemble, coverFromData, type OnnxTreeModel } from './model/onnx/import.js';
export { readModelCard, cardPathFor } from './model/onnx/card-file.js';
export {
  rocAuc,
  prAuc,
  confusionAt,
  brier,
  pairedAucBootstrap,
  DEFAULT_BOOTSTRAP,
  type PairedAucDifference,
  type BootstrapOptions
} from './model/evaluate/metrics.js';
export { evaluateTable, type Evaluation } from './model/evaluate/evaluate.js';
export { evaluateModel, type ModelEvaluation } from './model/evaluate/evaluate-model.js';
export { renderEvaluationReport, writeEvaluationReport, type EvaluationReport, type ReportContext } from './api/reports.js';
export { sortByTime, splitNewest, splitRows } from './model/data/split.js';
export { generateFirmwarePatches, generateDeployments } from './model/data/generate.js';
export { createRandom, type Random } from './model/gbdt/random.js';

// Model lifecycle: versions, promotion, retraining, drift, challengers.
export {
  resolveModel,
  listVersions,
  nextVersion,
  readRegistry,
  championVersion,
  currentChampion,
  describeChampion,
  builtInModelNames,
  DEFAULT_GATES,
  type Champion,
  type Registry,
  type RegistryEntry,
  type PromotionGates,
  type ResolvedModel
} from './model/lifecycle/registry.js';
export {
  judgeCandidate,
  renderJudgement,
  type CandidateJudgement,
  type JudgeInput,
  type ScoredModel,
  type HoldoutMetrics,
  type GateName,
  type GateResult
} from './model/lifecycle/gate.js';
export {
  promoteVersion,
  evaluatePromotion,
  recordPromotion,
  renderPromotion,
  recordsServedVersion,
  type Promotion,
  type Holdout
} from './model/lifecycle/promote.js';
export { retrainModel, type RetrainOptions, type RetrainResult } from './model/lifecycle/retrain.js';
export { driftReport, psi, type DriftReport, type DriftLevel } from './model/lifecycle/drift.js';
export { binShares } from './model/lifecycle/baseline.js';
export { renderDriftText, renderDriftMarkdown } from './model/lifecycle/drift-render.js';
export { compareChallenger, renderChallengerText, renderChallengerMarkdown, type ChallengerComparison } from './model/lifecycle/shadow.js';

// The shipped JIT model's data, training and evaluation.
export { JIT_PROJECTS, readJitProjects, type JitProject } from './model/jit/data.js';
export { evaluateTimeSplit, leaveOneProjectOut, JIT_GBDT_PARAMS } from './model/jit/eval.js';
export { renderJitReport, type JitReport, type JitReportFormat } from './model/jit/report.js';
export { trainJitModel } from './model/jit/train.js';

// Repository models: trained on a repository's own labelled history, promoted only when they beat the default.
export {
  labelledHistory,
  readLabelledHistory,
  trainingPeriod,
  tooSmall,
  DEFAULT_LABEL_DELAY_DAYS,
  MIN_TRAINING_COMMITS,
  MIN_TRAINING_BUGS,
  type LabelledHistory,
  type TrainingPeriod,
  type PeriodOptions
} from './model/repo/history.js';
export { publicRows, drawPublicRows, POOL_RATIOS, type PublicRows } from './model/repo/pool.js';
export {
  trainRepoModel,
  chooseVariant,
  REPO_MODEL_GATES,
  REPO_VALIDATION_FRACTION,
  type RepoTraining,
  type RepoTrainOptions,
  type RepositorySource,
  type VariantScore
} from './model/repo/train.js';
export {
  writeRepoModel,
  chooseRepoModel,
  repoModelLine,
  DEFAULT_REPO_MODEL_DIR,
  type RepoModelChoice,
  type WrittenRepoModel
} from './model/repo/folder.js';
export { renderRepoTraining, periodLines } from './model/repo/render.js';
export {
  trackRecord,
  thresholdsAtEachCommit,
  parseTrackRecord,
  bucketOf,
  TRACK_BUCKETS,
  type TrackRecord,
  type TrackBucket,
  type BucketRecord,
  type ScoredCommit,
  type Thresholds,
  type ThresholdsAt,
  type TrackWindow
} from './model/repo/track-record.js';
export {
  renderTrackRecord,
  renderTrackRecordText,
  renderTrackRecordMarkdown,
  trackRecordLine,
  windowLength,
  type TrackRecordFormat
} from './model/repo/track-record-render.js';
export {
  trainRepoFromMetrics,
  trainRepoFromHistory,
  trainRepoFromRepository,
  gatesFor,
  type TrainRepoOptions,
  type TrainRepoRun,
  type PoolOptions
} from './api/train-repo.js';
export { resolveRepoModel, type RepoModelLookup, type RepoModelResolution } from './api/repo-model.js';
export { repoHistory, type RepoHistory, type RepoHistoryOptions } from './api/repo-history.js';
export {
  repoTrackRecord,
  trackWindow,
  DEFAULT_TRACK_WINDOW_DAYS,
  type RepoTrackRecord,
  type RepoTrackRecordOptions
} from './api/track-record.js';

// Commit mode: mining and labelling git history.
export {
  mineCommits,
  mineAll,
  isShallow,
  parseRange,
  commitsToTable,
  szz,
  labelHistory,
  compileFixRule,
  parseHistoryDate,
  FixPatternError,
  DEFAULT_FIX_PATTERN,
  DEFAULT_IGNORE,
  GitError,
  CACHE_VERSION,
  cachedCommit,
  type CacheOutcome,
  type CommitMetrics,
  type MineOptions,
  type FixCommit,
  type FixRule,
  type LabelHistoryOptions,
  type LabelHistoryResult
} from './git/index.js';

/** Options of scorePatches: the gate's options with the model given by name. */
export interface ScorePatchesOptions extends Omit<GateOptions, 'model'> {
  /** Built-in model name, model folder, .onnx path, or an already loaded model. Default: firmware. */
  model?: string | LoadedModel;
  /** Where built-in names are looked up (default: the package's models/). */
  modelsDir?: string;
}

/** Read, validate, score, plan and explain a CSV/JSON patch file: what `patch-risk score` does. */
export async function scorePatches(file: string, options: ScorePatchesOptions = {}): Promise<ScoredPatches> {
  const { model: ref, modelsDir, ...rest } = options;
  const model = typeof ref === 'object' ? ref : await loadModelByName(ref ?? 'firmware', modelsDir);
  const run = await runGate({ kind: 'file', file }, { ...rest, model });
  return run.scored as ScoredPatches;
}
