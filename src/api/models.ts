/** Finding and loading models: built-in names, model folders and .onnx files. */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveModel } from '../model/lifecycle/registry.js';
import { loadModel, type LoadedModel, type LoadModelOptions } from '../model/onnx/session.js';

/**
 * The package's models/ folder: the nearest folder above this module that
 * has one (src/api → the package root; lib/api when installed; dist/ in the
 * bundled action, whose models/ sits beside dist/).
 */
function findModelsDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let up = 0; up < 4; up++) {
    const candidate = path.join(dir, 'models');
    if (existsSync(candidate) && statSync(candidate).isDirectory()) return candidate;
    dir = path.dirname(dir);
  }
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'models');
}

/** models/ shipped with the package. */
export const BUILTIN_MODELS_DIR = findModelsDir();

/** What is scored: a patch feature file or commits mined from git; each has its default model. */
export type ScoringMode = 'patches' | 'commits';

/** `auto` is the built-in model of the mode: `firmware` for a patch file, `jit` for commits. */
export function modelRefFor(ref: string, mode: ScoringMode): string {
  if (ref !== 'auto') return ref;
  return mode === 'commits' ? 'jit' : 'firmware';
}

/**
 * Load a model by reference — a built-in name (`firmware`, `jit@v002`), a
 * model folder (its champion), or an .onnx path with its card beside it —
 * verifying its card and sha256. `options.within` confines every file read
 * (registry, card, .onnx) to a folder, symlinks followed.
 */
export async function loadModelByName(ref: string, modelsDir = BUILTIN_MODELS_DIR, options: LoadModelOptions = {}): Promise<LoadedModel> {
  return loadModel(resolveModel(ref, modelsDir, options.within).onnxPath, options);
}
