/**
 * Adds reasons (TreeSHAP) and, for High patches, what would lower the risk
 * (re-scoring splits and reductions) to a scored result. The tree ensemble is
 * read from the model's own .onnx file, so any TreeEnsemble ONNX model with
 * cover (nodes_hitrates) can be explained.
 */
import { readFile } from 'node:fs/promises';
import type { Reason, ScoredPatches } from '../core/pipeline.js';
import type { LoadedModel } from '../core/score.js';
import { onnxToEnsemble } from './onnx-import.js';
import { explainRows } from './shap.js';
import { whatIfRows } from './whatif.js';

/**
 * Which rows get reasons: `all`; `risky` (Medium and High); `none`; `auto`
 * = all rows up to AUTO_EXPLAIN_ALL_ROWS rows, Medium/High beyond (SHAP
 * costs about 40 µs a row on the firmware model).
 */
export type ExplainMode = 'auto' | 'all' | 'risky' | 'none';
export const AUTO_EXPLAIN_ALL_ROWS = 20000;

/** Whether a model file can be explained: a tree ensemble with stored cover. */
async function explainableEnsemble(model: LoadedModel) {
  const parsed = onnxToEnsemble(await readFile(model.onnxPath));
  return parsed.coverSource === 'hitrates' && parsed.postTransform === 'LOGISTIC' ? parsed.ensemble : undefined;
}

export async function explainScored(result: ScoredPatches, model: LoadedModel, mode: ExplainMode = 'auto'): Promise<ScoredPatches> {
  if (mode === 'none') return result;
  const ensemble = await explainableEnsemble(model);
  if (!ensemble) return result;
  const { table, plan } = result;
  const explainAll = mode === 'all' || (mode === 'auto' && table.ids.length <= AUTO_EXPLAIN_ALL_ROWS);
  const rows = explainAll ? plan.patches.map((patch) => patch.index) : plan.patches.filter((patch) => patch.risk_bucket !== 'Low').map((patch) => patch.index);
  const subset = selectRows(table, rows);
  const explained = explainRows(ensemble, subset, { features: model.card.features });
  const reasons: Reason[][] = table.ids.map(() => []);
  rows.forEach((row, k) => (reasons[row] = explained[k]));

  const high = plan.patches.filter((patch) => patch.high_risk === 1).map((patch) => patch.index);
  const highTable = selectRows(table, high);
  const counterfactuals = whatIfRows(ensemble, highTable, high.map((row) => result.scores[row]), {
    features: model.card.features,
    controllable: model.card.controllable,
    highThreshold: plan.thresholds.high,
    mediumThreshold: plan.thresholds.medium
  });
  const whatIf: (string | undefined)[] = table.ids.map(() => undefined);
  high.forEach((row, k) => (whatIf[row] = counterfactuals[k]?.text));
  return { ...result, reasons, whatIf };
}

/** A table view holding only the given rows (features copied; ids and lines kept aligned). */
function selectRows(table: ScoredPatches['table'], rows: number[]): ScoredPatches['table'] {
  const width = table.featureNames.length;
  const features = new Float32Array(rows.length * width);
  rows.forEach((row, k) => features.set(table.features.subarray(row * width, (row + 1) * width), k * width));
  return {
    ...table,
    rows: rows.map((row) => table.rows[row]),
    ids: rows.map((row) => table.ids[row]),
    lines: Int32Array.from(rows, (row) => table.lines[row]),
    features,
    labels: undefined
  };
}
