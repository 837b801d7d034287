/** The one place the `model` input becomes a loaded, verified model. */
import type { LoadedModel } from '../index.js';

type Library = typeof import('../index.js');

/** A built-in name (`firmware`, `firmware@v002`), a model folder, or an .onnx path with its card beside it. */
export async function loadActionModel(ref: string, lib: Library): Promise<LoadedModel> {
  return lib.loadModelByName(ref, lib.BUILTIN_MODELS_DIR);
}
