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
import type { RiskBucket } from '../../core/plan.js';
import type { LoadedModel } from '../onnx/session.js';
import type { TreeEnsemble } from '../gbdt/ensemble.js';

/** The ONNX reader and TreeSHAP, loaded when the first row is explained (a run that explains nothing never loads them). */
type ExplainModules = [typeof import('../onnx/import.js'), typeof import('./shap.js')];
let modules: Promise<ExplainModules> | undefined;
function explainModules(): Promise<ExplainModules> {
  modules ??= Promise.all([import('../onnx/import.js'), import('./shap.js')]);
  return modules;
}

/**
 * Which rows get reasons: `all`; `risky` (Medium and High); `none`; `auto`
 * = every row of files up to AUTO_EXPLAIN_ALL_ROWS rows, the Medium and High
 * rows beyond (those a reviewer looks at; explaining every row of a large
 * file would cost more than scoring it).
 */
export type ExplainMode = 'auto' | 'all' | 'risky' | 'none';
export const AUTO_EXPLAIN_ALL_ROWS = 20000;

const ensembles = new WeakMap<LoadedModel, Promise<TreeEnsemble | undefined>>();

/**
 * The model's tree ensemble when it can be explained (tree model with stored
 * cover), else undefined. Read once per loaded model, from the same verified
 * bytes onnxruntime runs (the file is checked against the card's sha256 again).
 */
export function explainableEnsemble(model: LoadedModel): Promise<TreeEnsemble | undefined> {
  let ensemble = ensembles.get(model);
  if (!ensemble) {
    ensemble = readEnsemble(model);
    ensembles.set(model, ensemble);
  }
  return ensemble;
}

async function readEnsemble(model: LoadedModel): Promise<TreeEnsemble | undefined> {
  const bytes = readFileSync(model.onnxPath);
  if (sha256Hex(bytes) !== model.card.sha256)
    throw new ModelError(`${model.onnxPath}: the model file changed after it was loaded (sha256 differs from its card)`);
  const [{ onnxToEnsemble }] = await explainModules();
  const parsed = onnxToEnsemble(bytes);
  return parsed.coverSource === 'hitrates' && parsed.postTransform === 'LOGISTIC' ? parsed.ensemble : undefined;
}

function wantedBuckets(mode: ExplainMode, rows: number): readonly RiskBucket[] {
  if (mode === 'all' || (mode === 'auto' && rows <= AUTO_EXPLAIN_ALL_ROWS)) return ['Low', 'Medium', 'High'];
  return mode === 'risky' || mode === 'auto' ? ['Medium', 'High'] : [];
}

/**
 * For a file of `rows` rows, a RowExplainer for the model — or undefined when
 * the mode asks for nothing there or the model cannot be explained.
 */
export function explainerFactory(model: LoadedModel, mode: ExplainMode): (rows: number) => Promise<RowExplainer | undefined> {
  return async (rows) => {
    const buckets = wantedBuckets(mode, rows);
    const ensemble = buckets.length === 0 ? undefined : await explainableEnsemble(model);
    return ensemble && explainerFor(ensemble, model, buckets, (await explainModules())[1]);
  };
}

/**
 * Below this many rows a call explains with Algorithm 2 alone: building leaf
 * tables (what shapValues' auto picks for some small trees) costs more than it
 * saves on a handful of rows in a fresh process (measured: the 16-row example
 * explained in a new process, 'recursive' ~35 ms faster than 'auto').
 */
const FEW_ROWS = 64;

function explainerFor(ensemble: TreeEnsemble, model: LoadedModel, buckets: readonly RiskBucket[], shap: ExplainModules[1]): RowExplainer {
  const features = model.card.features;
  return {
    wants: (bucket) => buckets.includes(bucket),
    explain: (X, nRows) => {
      const { values } = shap.shapValues(ensemble, X, nRows, nRows < FEW_ROWS ? 'recursive' : 'auto');
      return Array.from({ length: nRows }, (_, r) => shap.explanationReasons(values, r, features, X));
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
  const ensemble = mode === 'none' ? undefined : await explainableEnsemble(model);
  if (!ensemble) return result;
  const [[, shap], { whatIfRows }, { selectRows }] = await Promise.all([
    explainModules(),
    import('./whatif.js'),
    import('../../core/read.js')
  ]);
  const buckets = wantedBuckets(mode, result.table.ids.length);
  const explainer = buckets.length === 0 ? undefined : explainerFor(ensemble, model, buckets, shap);
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
