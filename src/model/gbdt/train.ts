/**
 * Training a model version: table → train/validation split → GBDT → ONNX +
 * model card (thresholds, validation metrics, drift baseline, sha256).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { ModelCard } from '../../core/card.js';
import { InputError } from '../../core/errors.js';
import { OutputError, writeFileAtomic } from '../../core/files.js';
import type { PatchTable, RawTable } from '../../core/read.js';
import { DECIMAL_TEXT, KNOWN_SCHEMAS, type FeatureSpec, type Schema } from '../../core/schema.js';
import { sha256Hex } from '../onnx/hash.js';
import { predictProbabilities, type TreeEnsemble } from './ensemble.js';
import { DEFAULT_GBDT_PARAMS, trainGbdt, type Dataset, type GbdtParams } from './boost.js';
import { bestF1Threshold, brier, confusionAt, prAuc, rocAuc } from '../evaluate/metrics.js';
import { ensembleToOnnx } from '../onnx/export.js';
import { splitRows, subset } from '../data/split.js';
import { BASELINE_PROBABILITIES, featureBaseline, quantile } from '../lifecycle/baseline.js';

export const INPUT_NAME = 'features';
export const OUTPUT_NAME = 'probability';

export interface TrainOptions {
  name: string;
  description?: string;
  /** Share of rows held out for early stopping, thresholds and metrics. */
  validationFraction: number;
  /** Split: 'random' (seeded, stratified by label) or 'time' (the newest rows validate, in file order). */
  split: 'random' | 'time';
  seed: number;
  params?: Partial<GbdtParams>;
  /** Where the data came from and how the model was made (stored in the card). */
  data: string;
  provenance: string;
  controllable?: string[];
}

export interface TrainedModel {
  card: ModelCard;
  onnx: Uint8Array;
  ensemble: TreeEnsemble;
  /** Row indices of the validation split (thresholds and card metrics come from these rows). */
  validationRows: number[];
}

/**
 * The features to train on: a built-in schema (firmware, jit, deployment)
 * when the data has all its columns and its label (and no explicit list), else the named columns or every
 * numeric column but the id and the label, with types inferred from the data
 * (all 0/1 → boolean, all whole → integer, all ≥ 0 → min 0).
 */
export function chooseSchema(raw: RawTable, file: string, label: string, idColumn: string, names?: string[]): Schema {
  const known = KNOWN_SCHEMAS.find(
    (schema) => schema.label === label && schema.features.every((feature) => raw.columns.includes(feature.name))
  );
  if (!names && known) return { ...known, idColumn };
  if (!raw.columns.includes(label)) throw new InputError(file, `missing the label column "${label}" (choose it with --label)`);
  const candidates =
    names ?? raw.columns.filter((name) => name !== label && name !== idColumn && name !== '' && isNumericColumn(raw, name));
  const missing = candidates.filter((name) => !raw.columns.includes(name));
  if (missing.length > 0) throw new InputError(file, `missing feature column${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}`);
  if (candidates.length === 0) throw new InputError(file, 'no numeric feature columns to train on (name them with --features)');
  return { features: candidates.map((name) => inferSpec(raw, name)), label, idColumn };
}

function isNumericColumn(raw: RawTable, name: string): boolean {
  const column = raw.columns.indexOf(name);
  return raw.rows.every((row) => DECIMAL_TEXT.test(row[column].trim()));
}

function inferSpec(raw: RawTable, name: string): FeatureSpec {
  const column = raw.columns.indexOf(name);
  const values = raw.rows.map((row) => Number(row[column]));
  const boolean = values.every((value) => value === 0 || value === 1);
  if (boolean) return { name, type: 'boolean' };
  const integer = values.every(Number.isInteger);
  const nonNegative = values.every((value) => value >= 0);
  return { name, type: integer ? 'integer' : 'number', ...(nonNegative ? { min: 0 } : {}) };
}

function columnOf(data: Dataset, feature: number): Float64Array {
  const values = new Float64Array(data.nRows);
  for (let i = 0; i < data.nRows; i++) values[i] = data.X[i * data.nFeatures + feature];
  return values;
}

/** Round a threshold down to 4 decimals so the row that set it still reaches it. */
function readableThreshold(value: number): number {
  return Math.floor(value * 10000) / 10000;
}

export function trainModel(table: PatchTable, schema: Schema, options: TrainOptions, version: string, now = new Date()): TrainedModel {
  if (!table.labels) throw new InputError(table.file, `missing the label column "${schema.label}"`);
  const positives = table.labels.reduce((sum, label) => sum + label, 0);
  if (positives === 0 || positives === table.labels.length) {
    throw new InputError(table.file, `the label column "${schema.label}" has only one class; training needs both 0 and 1 rows`);
  }
  const { train, validation } = splitRows(table.labels, options.validationFraction, options.split, options.seed);
  const trainSet = subset(table, train);
  const validationSet = subset(table, validation);
  const params = { ...DEFAULT_GBDT_PARAMS, seed: options.seed, ...options.params };
  const started = performance.now();
  const { ensemble } = trainGbdt(trainSet, params, validationSet);
  const seconds = (performance.now() - started) / 1000;

  const scores = predictProbabilities(ensemble, validationSet.X, validationSet.nRows);
  const baseRate = validationSet.y.reduce((sum, label) => sum + label, 0) / validationSet.nRows;
  if (baseRate === 0 || baseRate === 1) {
    throw new InputError(table.file, `the validation split has only one class of "${schema.label}"; use more data or a random split`);
  }
  const high = readableThreshold(bestF1Threshold(scores, validationSet.y).threshold);
  const medium = Math.min(readableThreshold(baseRate), high);
  const atHigh = confusionAt(scores, validationSet.y, high);
  const onnx = ensembleToOnnx(ensemble, {
    inputName: INPUT_NAME,
    outputName: OUTPUT_NAME,
    producer: 'patch-risk-gate',
    docString: `${options.name} ${version}: gradient-boosted trees, probability of a regression`
  });
  const sortedScores = Float64Array.from(scores).sort();
  const features = schema.features;
  const card: ModelCard = {
    card_version: 1,
    name: options.name,
    version,
    description: options.description ?? `Regression-risk model "${options.name}" trained by patch-risk-gate.`,
    created_at: now.toISOString(),
    onnx_file: `${version}.onnx`,
    sha256: sha256Hex(onnx),
    input_name: INPUT_NAME,
    output_name: OUTPUT_NAME,
    id_column: schema.idColumn,
    label: schema.label,
    features,
    controllable: options.controllable ?? schema.controllable ?? [],
    thresholds: {
      high,
      medium,
      rule: 'high = the score that maximises F1 on the validation split (rounded down to 4 decimals); medium = the validation base rate (a patch riskier than the average one), capped at high.'
    },
    metrics: {
      roc_auc: rocAuc(scores, validationSet.y),
      pr_auc: prAuc(scores, validationSet.y),
      f1: atHigh.f1,
      precision: atHigh.precision,
      recall: atHigh.recall,
      brier: brier(scores, validationSet.y),
      base_rate: baseRate,
      rows: validationSet.nRows
    },
    training: {
      rows: trainSet.nRows,
      positives: trainSet.y.reduce((sum, label) => sum + label, 0),
      validation_rows: validationSet.nRows,
      trees: ensemble.trees.length,
      params: { ...params, split: options.split, validation_fraction: options.validationFraction },
      data: options.data,
      provenance: options.provenance,
      seconds: Math.round(seconds * 1000) / 1000
    },
    baseline: {
      features: Object.fromEntries(features.map((feature, f) => [feature.name, featureBaseline(columnOf(trainSet, f))])),
      high_share: scores.filter((score) => score >= high).length / scores.length,
      score_quantiles: BASELINE_PROBABILITIES.map((p) => quantile(sortedScores, p))
    }
  };
  return { card, onnx, ensemble, validationRows: validation };
}

/** Write vNNN.onnx and vNNN.card.json into the folder (next free version; never overwrites). */
export async function writeModelVersion(dir: string, model: TrainedModel): Promise<{ onnxPath: string; cardPath: string }> {
  const onnxPath = path.join(dir, model.card.onnx_file);
  const cardPath = path.join(dir, `${model.card.version}.card.json`);
  for (const file of [onnxPath, cardPath]) {
    if (existsSync(file)) throw new OutputError('the model version', file, 'it exists already; versions are never overwritten');
  }
  // The card goes last: a version without its card is never loaded, so a failed write leaves no usable half.
  writeFileAtomic(onnxPath, model.onnx, 'the model file');
  writeFileAtomic(cardPath, `${JSON.stringify(model.card, null, 2)}\n`, 'the model card');
  return { onnxPath, cardPath };
}
