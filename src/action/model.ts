/** The one place the `model` input becomes a loaded, verified model. */
import type { LoadedModel } from '../index.js';

type Library = typeof import('../index.js');

/** What the action scores: a patch feature file, or the commits mined from the checkout. */
export type ActionMode = 'patches' | 'commits';

/** `auto` (the default) is the built-in model of the mode: `firmware` for a patch file, `jit` for commits. */
export function modelRef(ref: string, mode: ActionMode): string {
  if (ref !== 'auto') return ref;
  return mode === 'commits' ? 'jit' : 'firmware';
}

/** A built-in name (`firmware`, `jit@v002`), `auto`, a model folder, or an .onnx path with its card beside it. */
export async function loadActionModel(ref: string, mode: ActionMode, lib: Library): Promise<LoadedModel> {
  return lib.loadModelByName(modelRef(ref, mode), lib.BUILTIN_MODELS_DIR);
}
