/**
 * Reasons (TreeSHAP) for scored rows and, for High patches, what would lower
 * the risk (re-scoring splits and reductions). The tree ensemble is read from
 * the model's own .onnx file, so any TreeEnsemble ONNX model with cover
 * (nodes_hitrates) can be explained; other models get no reasons.
 */
import { readFileSync } from 'node:fs';
import { ModelError } from '../../core/errors.js';
import { sha256Hex } from '../onnx/hash.js';
import { explainTable, type RowExplainer } from '../../core/stream.js';
import type { ScoredPatches } from '../../core/pipeline.js';
import { selectRows } from '../../core/read.js';
import type { RiskBucket } from '../../core/plan.js';
import type { LoadedModel } from '../onnx/session.js';
import type { TreeEnsemble } from '../gbdt/ensemble.js';
import { onnxToEnsemble } from '../onnx/import.js';
import { explanationReasons, shapValues } from './shap.js';
import { whatIfRows } from './whatif.js';

/**
 * Which rows get reasons: `all`; `risky` (Medium and High); `none`; `auto`
 * = every row of files up to AUTO_EXPLAIN_ALL_ROWS rows, none beyond (SHAP
 * costs about 40 µs a row on the firmware model; ask for `all` or `risky`).
 */
export type ExplainMode = 'auto' | 'all' | 'risky' | 'none';
export const AUTO_EXPLAIN_ALL_ROWS = 20000;

const ensembles = new WeakMap<LoadedModel, TreeEnsemble | undefined>();

/**
 * The model's tree ensemble when it can be explained (tree model with stored
 * cover), else undefined. Read once per loaded model, from the same verified
 * bytes onnxruntime runs (the file is checked against the card's sha256 again).
 */
export function explainableEnsemble(model: LoadedModel): TreeEnsemble | undefined {
  if (ensembles.has(model)) return ensembles.get(model);
  const bytes = readFileSync(model.onnxPath);
  if (sha256Hex(bytes) !== model.card.sha256)
    throw new ModelError(`${model.onnxPath}: the model file changed after it was loaded (sha256 differs from its card)`);
  const parsed = onnxToEnsemble(bytes);
  const ensemble = parsed.coverSource === 'hitrates' && parsed.postTransform === 'LOGISTIC' ? parsed.ensemble : undefined;
  ensembles.set(model, ensemble);
  return ensemble;
}

function wantedBuckets(mode: ExplainMode, rows: number): readonly RiskBucket[] {
  if (mode === 'all' || (mode === 'auto' && rows <= AUTO_EXPLAIN_ALL_ROWS)) return ['Low', 'Medium', 'High'];
  return mode === 'risky' ? ['Medium', 'High'] : [];
}

/**
 * For a file of `rows` rows, a RowExplainer for the model — or undefined when
 * the mode asks for nothing there or the model cannot be explained.
 */
export function explainerFactory(model: LoadedModel, mode: ExplainMode): (rows: number) => RowExplainer | undefined {
  return (rows) => {
    const buckets = wantedBuckets(mode, rows);
    const ensemble = buckets.length === 0 ? undefined : explainableEnsemble(model);
    return ensemble && explainerFor(ensemble, model, buckets);
  };
}

function explainerFor(ensemble: TreeEnsemble, model: LoadedModel, buckets: readonly RiskBucket[]): RowExplainer {
  const features = model.card.features;
  return {
    wants: (bucket) => buckets.includes(bucket),
    explain: (X, nRows) => {
      const { values } = shapValues(ensemble, X, nRows);
      return Array.from({ length: nRows }, (_, r) => explanationReasons(values, r, features, X));
    }
  };
}

export interface ExplainScoredOptions {
  /** Suggest what would lower the risk of High rows (default true). */
  whatIf?: boolean;
}

/** Add reasons and, for High patches, what-if suggestions to an in-memory result. */
export async function explainScored(
  result: ScoredPatches,
  model: LoadedModel,
  mode: ExplainMode = 'auto',
  options: ExplainScoredOptions = {}
): Promise<ScoredPatches> {
  const ensemble = mode === 'none' ? undefined : explainableEnsemble(model);
  if (!ensemble) return result;
  const buckets = wantedBuckets(mode, result.table.ids.length);
  const explainer = buckets.length === 0 ? undefined : explainerFor(ensemble, model, buckets);
  const { table, plan } = result;
  const reasons = explainer
    ? explainTable(
        explainer,
        table,
        plan.patches.map((patch) => patch.risk_bucket)
      )
    : undefined;
  if (options.whatIf === false) return { ...result, ...(reasons ? { reasons } : {}) };
  const high = plan.patches.filter((patch) => patch.high_risk === 1).map((patch) => patch.index);
  const counterfactuals = whatIfRows(
    ensemble,
    selectRows(table, high),
    high.map((row) => result.scores[row]),
    {
      features: model.card.features,
      controllable: model.card.controllable,
      highThreshold: plan.thresholds.high,
      mediumThreshold: plan.thresholds.medium
    }
  );
  const whatIf: (string | undefined)[] = table.ids.map(() => undefined);
  high.forEach((row, k) => (whatIf[row] = counterfactuals[k]?.text));
  return { ...result, ...(reasons ? { reasons } : {}), whatIf };
}
