/**
 * Reasons (TreeSHAP) for scored rows and, for High patches, what would lower
 * the risk (re-scoring splits and reductions). The tree ensemble is read from
 * the model's own .onnx file, so any TreeEnsemble ONNX model with cover
 * (nodes_hitrates) can be explained; other models get no reasons.
 */
import { readFile } from 'node:fs/promises';
import { explainTable, type RowExplainer } from '../core/gate.js';
import type { ScoredPatches } from '../core/pipeline.js';
import { selectRows } from '../core/read.js';
import type { RiskBucket } from '../core/plan.js';
import type { LoadedModel } from '../core/score.js';
import type { TreeEnsemble } from './ensemble.js';
import { onnxToEnsemble } from './onnx-import.js';
import { shapValues, topReasons } from './shap.js';
import { whatIfRows } from './whatif.js';

/**
 * Which rows get reasons: `all`; `risky` (Medium and High); `none`; `auto`
 * = every row of files up to AUTO_EXPLAIN_ALL_ROWS rows, none beyond (SHAP
 * costs about 40 µs a row on the firmware model; ask for `all` or `risky`).
 */
export type ExplainMode = 'auto' | 'all' | 'risky' | 'none';
export const AUTO_EXPLAIN_ALL_ROWS = 20000;

/** The model's tree ensemble when it can be explained (tree model with stored cover), else undefined. */
export async function explainableEnsemble(model: LoadedModel): Promise<TreeEnsemble | undefined> {
  const parsed = onnxToEnsemble(await readFile(model.onnxPath));
  return parsed.coverSource === 'hitrates' && parsed.postTransform === 'LOGISTIC' ? parsed.ensemble : undefined;
}

function wantedBuckets(mode: ExplainMode, rows: number): readonly RiskBucket[] {
  if (mode === 'all' || (mode === 'auto' && rows <= AUTO_EXPLAIN_ALL_ROWS)) return ['Low', 'Medium', 'High'];
  return mode === 'risky' ? ['Medium', 'High'] : [];
}

/**
 * For a file of `rows` rows, a RowExplainer for the model — or undefined when
 * the mode asks for nothing there or the model cannot be explained.
 */
export async function explainerFactory(model: LoadedModel, mode: ExplainMode): Promise<(rows: number) => RowExplainer | undefined> {
  const ensemble = mode === 'none' ? undefined : await explainableEnsemble(model);
  return (rows) => (ensemble ? explainerFor(ensemble, model, mode, rows) : undefined);
}

function explainerFor(ensemble: TreeEnsemble, model: LoadedModel, mode: ExplainMode, rows: number): RowExplainer | undefined {
  const buckets = wantedBuckets(mode, rows);
  if (buckets.length === 0) return undefined;
  const features = model.card.features;
  return {
    wants: (bucket) => buckets.includes(bucket),
    explain: (X, nRows) => {
      const { values } = shapValues(ensemble, X, nRows);
      return Array.from({ length: nRows }, (_, r) => topReasons(values, r, features, X, 3));
    }
  };
}

/** Add reasons and, for High patches, what-if suggestions to an in-memory result. */
export async function explainScored(result: ScoredPatches, model: LoadedModel, mode: ExplainMode = 'auto'): Promise<ScoredPatches> {
  const ensemble = mode === 'none' ? undefined : await explainableEnsemble(model);
  if (!ensemble) return result;
  const explainer = explainerFor(ensemble, model, mode, result.table.ids.length);
  const { table, plan } = result;
  const reasons = explainer ? explainTable(explainer, table, plan.patches.map((patch) => patch.risk_bucket)) : undefined;
  const high = plan.patches.filter((patch) => patch.high_risk === 1).map((patch) => patch.index);
  const counterfactuals = whatIfRows(ensemble, selectRows(table, high), high.map((row) => result.scores[row]), {
    features: model.card.features,
    controllable: model.card.controllable,
    highThreshold: plan.thresholds.high,
    mediumThreshold: plan.thresholds.medium
  });
  const whatIf: (string | undefined)[] = table.ids.map(() => undefined);
  high.forEach((row, k) => (whatIf[row] = counterfactuals[k]?.text));
  return { ...result, ...(reasons ? { reasons } : {}), whatIf };
}
