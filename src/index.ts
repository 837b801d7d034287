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
import { loadModel, type LoadedModel } from './core/score.js';
import { resolveModel } from './model/registry.js';

export * from './core/schema.js';
export * from './core/errors.js';
export * from './core/card.js';
export * from './core/read.js';
export * from './core/csv.js';
export * from './core/score.js';
export * from './core/plan.js';
export * from './core/pipeline.js';
export * from './core/output.js';
export * from './core/gate.js';
export * from './core/render.js';
export * from './model/ensemble.js';
export * from './model/registry.js';
export * from './model/generate.js';
export * from './model/random.js';

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
export * from './model/train.js';
export * from './git/index.js';
export * from './model/promote.js';
export * from './model/drift.js';
export * from './model/drift-render.js';
export * from './model/retrain.js';
export * from './model/shadow.js';
export * from './model/shap.js';
export * from './model/whatif.js';
export * from './model/explain.js';
export { onnxToEnsemble, coverFromData, ensembleToOnnx, type OnnxTreeModel } from './model/onnx.js';
export * from './model/gbdt.js';
export * from './model/metrics.js';
export * from './model/evaluate.js';
