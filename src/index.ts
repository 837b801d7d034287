/**
 * patch-risk-gate's public API: the only entry the CLI and the action use.
 *
 *   import { scorePatches } from 'patch-risk-gate';
 *   const result = await scorePatches('patches.csv', { model: 'firmware' });
 *   console.log(result.plan.totals.high, result.plan.patches[0].risk_bucket);
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { scoreFile, type ScoreOptions, type ScoredPatches } from './core/pipeline.js';
import { loadModel, type LoadedModel } from './model/onnx/session.js';
import { resolveModel } from './model/lifecycle/registry.js';

export * from './core/schema.js';
export * from './core/errors.js';
export * from './core/card.js';
export * from './core/read.js';
export * from './core/csv.js';
export * from './model/onnx/session.js';
export * from './core/plan.js';
export * from './core/pipeline.js';
export * from './core/output.js';
export * from './core/stream.js';
export * from './core/render.js';
export * from './model/gbdt/ensemble.js';
export * from './model/lifecycle/registry.js';
export * from './model/data/generate.js';
export * from './model/gbdt/random.js';

/** models/ shipped with the package (one level above lib/, dist/ or src/). */
export const BUILTIN_MODELS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'models');

export interface ScorePatchesOptions extends ScoreOptions {
  /** Built-in model name, model folder, .onnx path, or an already loaded model. Default: firmware. */
  model?: string | LoadedModel;
  /** Where built-in names are looked up (default: the package's models/). */
  modelsDir?: string;
}

/** Load a model by name or path (verifying its card and sha256). */
export async function loadModelByName(ref: string, modelsDir = BUILTIN_MODELS_DIR): Promise<LoadedModel> {
  return loadModel(resolveModel(ref, modelsDir).onnxPath);
}

/** Read, validate, score and plan a CSV/JSON patch file: what `patch-risk score` does. */
export async function scorePatches(file: string, options: ScorePatchesOptions = {}): Promise<ScoredPatches> {
  const model = typeof options.model === 'object' ? options.model : await loadModelByName(options.model ?? 'firmware', options.modelsDir);
  return scoreFile(file, model, options);
}

/** `<dir>/<name>.scored.csv` beside the input file. */
export function defaultScoredPath(file: string): string {
  const parsed = path.parse(file);
  return path.join(parsed.dir, `${parsed.name}.scored.csv`);
}
export * from './model/gbdt/train.js';
export * from './git/index.js';
export * from './model/lifecycle/promote.js';
export * from './model/lifecycle/drift.js';
export * from './model/lifecycle/drift-render.js';
export * from './model/lifecycle/retrain.js';
export * from './model/lifecycle/shadow.js';
export * from './model/explain/shap.js';
export * from './model/explain/whatif.js';
export * from './model/explain/explain.js';
export { onnxToEnsemble, coverFromData, ensembleToOnnx, type OnnxTreeModel } from './model/onnx/export.js';
export * from './model/gbdt/boost.js';
export * from './model/evaluate/metrics.js';
export * from './model/evaluate/evaluate.js';
