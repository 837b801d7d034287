/**
 * Training a repository's own model and judging it against the default.
 *
 * The training period (history.ts) is split in time: the older 80% trains,
 * the newest 20% validates. On the validation commits the default model is
 * scored too, and the promotion gate (lifecycle/gate.ts) compares the two on
 * the same rows with a paired bootstrap of the ROC-AUC difference. The
 * candidate beats the default only when every gate passes and the whole
 * interval of the difference is above 0; otherwise the default stays in use.
 *
 * Pooling with public data is chosen before that, on the training part alone
 * (its newest 20% scores each variant), so the validation commits judge one
 * model, never pick among several.
 */
import type { ModelCard, RepositoryModelInfo } from '../../core/card.js';
import { InputError } from '../../core/errors.js';
import { tableFromRaw, type PatchTable } from '../../core/read.js';
import { JIT_SCHEMA, type FeatureSpec, type Schema } from '../../core/schema.js';
import type { Scorer } from '../../core/scorer.js';
import type { BootstrapOptions } from '../evaluate/metrics.js';
import { pairedAucBootstrap, prAuc, rocAuc } from '../evaluate/metrics.js';
import { trainGbdt, type GbdtParams } from '../gbdt/boost.js';
import { predictProbabilities } from '../gbdt/ensemble.js';
import { trainModel, type TrainedModel } from '../gbdt/train.js';
import { JIT_GBDT_PARAMS } from '../jit/eval.js';
import { judgeCandidate, type CandidateJudgement } from '../lifecycle/gate.js';
import type { PromotionGates } from '../lifecycle/registry.js';
import { HISTORY_ID, HISTORY_LABEL, type TrainingPeriod } from './history.js';
import { drawPublicRows, POOL_RATIOS, type PublicRows } from './pool.js';
import { refitOnPeriod } from './refit.js';

/** Share of the training period's newest commits that validate (and judge against the default). */
export const REPO_VALIDATION_FRACTION = 0.2;

/**
 * Gates of a repository model folder without its own registry.json: a
 * useful ranking (ROC-AUC >= 0.6), and no ROC-AUC drop at all against the
 * default. F1 is not gated: at a low bug rate even a good ranking has a low F1.
 */
export const REPO_MODEL_GATES: Readonly<PromotionGates> = Object.freeze({ min_roc_auc: 0.6, min_f1: 0, max_auc_drop: 0 });

/** Where the history came from, for the card. */
export interface RepositorySource {
  source: 'git' | 'metrics';
  name: string;
  head?: string;
  labeller?: Record<string, unknown>;
}

export interface RepoTrainOptions {
  period: TrainingPeriod;
  source: RepositorySource;
  /** The model to beat: scored on the same validation commits. */
  defaultModel: Scorer;
  /** Public rows to try pooling with; undefined = the repository's own rows only. */
  pool?: PublicRows;
  /** Features to learn from (default: Kamei's 14, as the default model). */
  features?: FeatureSpec[];
  gates: PromotionGates;
  name: string;
  version: string;
  /** The command that made the model, as a user would rerun it. */
  command: string;
  params?: Partial<GbdtParams>;
  bootstrap?: Partial<BootstrapOptions>;
  /**
   * Ship the validated recipe trained again on every commit of the period
   * (default true; false ships the very model the validation scored).
   */
  refit?: boolean;
  now?: Date;
}

/** One way of training tried on the training part: own rows only (ratio 0) or pooled. */
export interface VariantScore {
  ratio: number;
  publicRows: number;
  /** ROC-AUC on the newest 20% of the training part (NaN when that slice has one class). */
  rocAuc: number;
  /** Pooled variants: the paired-bootstrap interval of its ROC-AUC minus own-only's on that slice. */
  vsOwn?: [number, number];
}

export interface RepoTraining {
  /** The trained candidate; its card carries the `repository` section. */
  model: TrainedModel;
  judgement: CandidateJudgement;
  /** The candidate beat the default: every gate passed and the ROC-AUC gain is beyond the noise. */
  beatDefault: boolean;
  /** One sentence: why it was promoted or refused. */
  decision: string;
  variants: VariantScore[];
  /** The variant trained (one of `variants`). */
  chosen: VariantScore;
  trainRows: number;
  validationRows: number;
}

function datasetOf(features: Float32Array, labels: Uint8Array, nFeatures: number) {
  return { X: features, y: labels, nRows: labels.length, nFeatures };
}

function slice(table: PatchTable, start: number, end: number) {
  const width = table.featureNames.length;
  return datasetOf(table.features.slice(start * width, end * width), (table.labels as Uint8Array).slice(start, end), width);
}

/** Own rows [0, ownEnd) with `publicIndex` public rows before them. */
function pooledRows(table: PatchTable, ownEnd: number, pool: PublicRows | undefined, publicIndex: number[]) {
  const width = table.featureNames.length;
  const n = publicIndex.length + ownEnd;
  const features = new Float32Array(n * width);
  const labels = new Uint8Array(n);
  publicIndex.forEach((row, i) => {
    features.set((pool as PublicRows).features.subarray(row * width, (row + 1) * width), i * width);
    labels[i] = (pool as PublicRows).labels[row];
  });
  features.set(table.features.subarray(0, ownEnd * width), publicIndex.length * width);
  labels.set((table.labels as Uint8Array).subarray(0, ownEnd), publicIndex.length);
  return { features, labels };
}

/** Every own commit of the period, with public rows at `ratio` per own commit dated no later than its newest commit. */
function periodRows(table: PatchTable, pool: PublicRows | undefined, ratio: number, newest: number, seed: number) {
  const n = table.ids.length;
  const drawn = ratio === 0 || !pool ? [] : drawPublicRows(pool, newest, ratio * n, seed + 1);
  const rows = pooledRows(table, n, pool, drawn);
  return datasetOf(rows.features, rows.labels, table.featureNames.length);
}

function hasBothClasses(labels: Uint8Array): boolean {
  const positives = labels.reduce((sum, label) => sum + label, 0);
  return positives > 0 && positives < labels.length;
}

/**
 * Score own-only and each pooling ratio on the training part: fit on its
 * older 80%, score its newest 20%. Public rows must be no newer than the
 * newest fitting row. A pooled variant is chosen only when it beats own-only
 * beyond the noise of that slice (paired bootstrap, the whole interval above
 * 0), as the repository model must beat the default: pooling earns its place.
 */
export function chooseVariant(
  table: PatchTable,
  dates: Float64Array,
  trainRows: number,
  pool: PublicRows | undefined,
  params: Partial<GbdtParams>,
  bootstrap: Partial<BootstrapOptions> = {}
): { chosen: VariantScore; variants: VariantScore[] } {
  const own: VariantScore = { ratio: 0, publicRows: 0, rocAuc: NaN };
  if (!pool) return { chosen: own, variants: [own] };
  const fitEnd = trainRows - Math.max(1, Math.round(trainRows * REPO_VALIDATION_FRACTION));
  const select = slice(table, fitEnd, trainRows);
  if (fitEnd < 1 || !hasBothClasses(select.y)) return { chosen: own, variants: [own] };
  const scored = [0, ...POOL_RATIOS].map((ratio) => {
    const drawn = ratio === 0 ? [] : drawPublicRows(pool, dates[fitEnd - 1], ratio * fitEnd, (params.seed ?? 42) + 1);
    const rows = pooledRows(table, fitEnd, pool, drawn);
    const { ensemble } = trainGbdt(datasetOf(rows.features, rows.labels, table.featureNames.length), params);
    const scores = predictProbabilities(ensemble, select.X, select.nRows);
    return { ratio, publicRows: drawn.length, rocAuc: rocAuc(scores, select.y), scores };
  });
  const ownScores = scored[0].scores;
  const variants = scored.map(({ scores, ...variant }): VariantScore => {
    if (variant.ratio === 0) return variant;
    const vs = pairedAucBootstrap(scores, ownScores, select.y, bootstrap);
    return { ...variant, vsOwn: [vs.low, vs.high] };
  });
  const chosen = variants.reduce((best, v) => (v.vsOwn !== undefined && v.vsOwn[0] > 0 && v.rocAuc > best.rocAuc ? v : best), variants[0]);
  return { chosen, variants };
}

function isoDate(seconds: number): string {
  return new Date(seconds * 1000).toISOString();
}

function schemaFor(features: FeatureSpec[]): Schema {
  const jit = features.every((f, i) => JIT_SCHEMA.features[i]?.name === f.name) && features.length === JIT_SCHEMA.features.length;
  return { features, label: HISTORY_LABEL, idColumn: HISTORY_ID, controllable: jit ? JIT_SCHEMA.controllable : [] };
}

/** Train the candidate on the period's older part, judge it against the default on the newest part; writes nothing. */
export async function trainRepoModel(options: RepoTrainOptions): Promise<RepoTraining> {
  const { period, defaultModel } = options;
  const features = options.features ?? JIT_SCHEMA.features;
  const schema = schemaFor(features);
  const params = { ...JIT_GBDT_PARAMS, ...options.params };
  const seed = params.seed ?? 42;
  const history = period.history;
  const table = tableFromRaw(history.name, history.raw, { features, idColumn: HISTORY_ID, label: HISTORY_LABEL, requireLabel: true });
  const n = table.ids.length;
  const validationRows = Math.max(1, Math.round(n * REPO_VALIDATION_FRACTION));
  const trainRows = n - validationRows;
  const validationLabels = (table.labels as Uint8Array).slice(trainRows);
  if (!hasBothClasses(validationLabels) || !hasBothClasses((table.labels as Uint8Array).slice(0, trainRows))) {
    throw new InputError(history.name, 'the training or the validation commits are all of one class; the repository cannot be judged');
  }

  const pool = options.pool && options.pool.featureNames.join(',') === table.featureNames.join(',') ? options.pool : undefined;
  const { chosen, variants } = chooseVariant(table, history.dates, trainRows, pool, params, options.bootstrap);
  const drawn =
    chosen.ratio === 0 ? [] : drawPublicRows(pool as PublicRows, history.dates[trainRows - 1], chosen.ratio * trainRows, seed + 1);
  const rows = pooledRows(table, n, pool, drawn);
  const pooledTable: PatchTable = {
    ...table,
    file: history.name,
    ids: [...Array.from(drawn, (i) => `public:${i}`), ...table.ids],
    rows: [],
    lines: new Int32Array(0),
    features: rows.features,
    labels: rows.labels
  };
  const description =
    `Just-in-time defect risk of a commit of ${options.source.name}, trained on that repository's own ` +
    `${options.source.source === 'git' ? 'SZZ-labelled history' : 'labelled commits'} (${trainRows.toLocaleString('en-US')} commits` +
    `${drawn.length > 0 ? ` pooled with ${drawn.length.toLocaleString('en-US')} public commits` : ''}; validated on its newest ` +
    `${validationRows.toLocaleString('en-US')} commits against the default model ${defaultModel.card.name} ${defaultModel.card.version}).`;
  const model = trainModel(
    pooledTable,
    schema,
    {
      name: options.name,
      description,
      validationFraction: validationRows / rows.labels.length,
      split: 'time',
      seed,
      params,
      data: `${options.source.name}: commits ${table.ids[0]} .. ${table.ids[n - 1]}`,
      provenance: options.command,
      controllable: schema.controllable
    },
    options.version,
    options.now
  );

  const validation = slice(table, trainRows, n);
  const candidateScores = predictProbabilities(model.ensemble, validation.X, validation.nRows);
  const validationHistory = {
    columns: history.raw.columns,
    rows: history.raw.rows.slice(trainRows),
    lines: history.raw.lines.slice(trainRows)
  };
  const defaultTable = tableFromRaw(`${history.name} (validation commits)`, validationHistory, {
    features: defaultModel.card.features,
    idColumn: HISTORY_ID
  });
  const defaultScores = await defaultModel.score(defaultTable.features, validationRows);
  const defaultName = `${defaultModel.card.name} ${defaultModel.card.version}`;
  const holdout = `the newest ${validationRows.toLocaleString('en-US')} commits of the training period (${isoDate(history.dates[trainRows]).slice(0, 10)} to ${isoDate(history.dates[n - 1]).slice(0, 10)})`;
  const judgement = judgeCandidate({
    holdout,
    labels: validationLabels,
    candidate: { version: model.card.version, scores: candidateScores, threshold: model.card.thresholds.high },
    baseline: { version: defaultName, scores: defaultScores, threshold: defaultModel.card.thresholds.high },
    gates: options.gates,
    baselineRole: 'default',
    bootstrap: options.bootstrap
  });
  const comparison = judgement.comparison as NonNullable<CandidateJudgement['comparison']>;
  const beatDefault = judgement.passed && comparison.low > 0;
  const decision = beatDefault
    ? `promoted: ${judgement.why}`
    : judgement.passed
      ? `refused: ${judgement.why}, but not better beyond the noise of these commits (the interval reaches 0); the default ${defaultName} stays in use`
      : `refused: ${judgement.why}; the default ${defaultName} stays in use`;

  const repository: RepositoryModelInfo = {
    source: options.source.source,
    name: options.source.name,
    ...(options.source.head !== undefined ? { head: options.source.head } : {}),
    first_commit: table.ids[0],
    last_commit: table.ids[n - 1],
    until: period.until === undefined ? null : isoDate(period.until),
    end: isoDate(period.end),
    labelled_before: isoDate(period.labelledBefore),
    label_delay_days: period.labelDelayDays,
    commits: period.commits,
    bug_introducing: period.bugs,
    after_until: period.afterUntil,
    too_young: period.tooYoung,
    ...(options.source.labeller ? { labeller: options.source.labeller } : {}),
    pool: drawn.length > 0 && pool ? { projects: pool.projects, ratio: chosen.ratio, rows: drawn.length } : null,
    comparison: {
      default_model: defaultName,
      rows: validationRows,
      positives: validationLabels.reduce((sum, label) => sum + label, 0),
      first_date: isoDate(history.dates[trainRows]),
      last_date: isoDate(history.dates[n - 1]),
      candidate: { roc_auc: rocAuc(candidateScores, validationLabels), pr_auc: prAuc(candidateScores, validationLabels) },
      default: { roc_auc: rocAuc(defaultScores, validationLabels), pr_auc: prAuc(defaultScores, validationLabels) },
      roc_auc_difference: comparison.difference,
      interval: [comparison.low, comparison.high],
      confidence: comparison.confidence,
      resamples: comparison.resamples,
      seed: comparison.seed
    },
    beat_default: beatDefault,
    decision
  };
  const shipped =
    options.refit === false ? model : refitOnPeriod(model, periodRows(table, pool, chosen.ratio, history.dates[n - 1], seed), params);
  const card: ModelCard = { ...shipped.card, repository };
  return { model: { ...shipped, card }, judgement, beatDefault, decision, variants, chosen, trainRows, validationRows };
}
