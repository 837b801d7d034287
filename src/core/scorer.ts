/**
 * What core needs of a model: its card and a way to score feature rows.
 * The onnxruntime implementation lives in src/model/onnx/session.ts; core
 * never loads native code, so it can be used (and tested) without it.
 */
import type { ModelCard } from './card.js';

export interface Scorer {
  /** The model card: features in input order, thresholds, metrics. */
  readonly card: ModelCard;
  /** Where the model came from (its .onnx path), for messages. */
  readonly source: string;
  /**
   * Probability of the positive class for each of `nRows` rows of `features`
   * (row-major, card.features.length columns, the card's order).
   */
  score(features: Float32Array, nRows: number): Promise<Float64Array>;
  /** Free what the model holds (an onnxruntime session); the scorer is unusable afterwards. */
  release(): Promise<void>;
}
