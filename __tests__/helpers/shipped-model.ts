/**
 * The shipped models for in-process tests: the champion's card and trees,
 * read from models/ and verified against the card's sha256, scored by the
 * library's own tree evaluator (onnxruntime's native binding cannot be loaded
 * inside jest's module sandbox). Scores are rounded to float32 as
 * onnxruntime returns them; reasons and what-if advice come from the same
 * trees as in production. The CLI tests check the real onnxruntime output.
 */
import { readFileSync } from 'node:fs';
import {
  BUILTIN_MODELS_DIR,
  cardPathFor,
  onnxToEnsemble,
  predictProbabilities,
  readModelCard,
  resolveModel,
  type LoadedModel
} from '../../src/index.js';
import { sha256Hex } from '../../src/model/onnx/hash.js';

export async function shippedModel(name: 'firmware' | 'jit' | 'rollback'): Promise<LoadedModel> {
  const resolved = resolveModel(name, BUILTIN_MODELS_DIR);
  const bytes = readFileSync(resolved.onnxPath);
  const card = await readModelCard(cardPathFor(resolved.onnxPath));
  if (sha256Hex(bytes) !== card.sha256) throw new Error(`${resolved.onnxPath} does not match its card`);
  const { ensemble } = onnxToEnsemble(bytes);
  const scorer = {
    card,
    onnxPath: resolved.onnxPath,
    source: resolved.onnxPath,
    score: async (features: Float32Array, nRows: number) => Float64Array.from(predictProbabilities(ensemble, features, nRows), Math.fround)
  };
  return scorer as unknown as LoadedModel;
}
