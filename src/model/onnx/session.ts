/**
 * Scoring with onnxruntime-node. A model is an .onnx file plus its card
 * (`<name>.card.json` beside it). Loading verifies the card, the file's
 * sha256 and that the model's input/output match the card; scoring runs one
 * onnxruntime call per batch of rows and refuses non-finite outputs.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import * as ort from 'onnxruntime-node';
import { parseModelCard, type ModelCard } from '../../core/card.js';
import { ModelError } from '../../core/errors.js';

export interface LoadedModel {
  card: ModelCard;
  onnxPath: string;
  cardPath: string;
  session: ort.InferenceSession;
}

/** Rows per onnxruntime call: large enough to amortise the call, small enough to bound memory. */
export const SCORE_BATCH_ROWS = 65536;

export function cardPathFor(onnxPath: string): string {
  return onnxPath.replace(/\.onnx$/i, '') + '.card.json';
}

export async function readModelCard(cardPath: string): Promise<ModelCard> {
  let text: string;
  try {
    text = await readFile(cardPath, 'utf8');
  } catch {
    throw new ModelError(`${cardPath}: the model card is missing (every .onnx needs its <name>.card.json beside it)`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ModelError(`${cardPath}: the model card is not valid JSON (${(error as Error).message})`);
  }
  try {
    return parseModelCard(json, cardPath);
  } catch (error) {
    throw new ModelError((error as Error).message);
  }
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Load and verify a model from its .onnx path. */
export async function loadModel(onnxPath: string): Promise<LoadedModel> {
  const cardPath = cardPathFor(onnxPath);
  const card = await readModelCard(cardPath);
  let bytes: Buffer;
  try {
    bytes = await readFile(onnxPath);
  } catch {
    throw new ModelError(`${onnxPath}: cannot read the model file`);
  }
  const digest = sha256Hex(bytes);
  if (digest !== card.sha256) {
    throw new ModelError(`${onnxPath}: sha256 ${digest} does not match the card's ${card.sha256}; the model file was changed or corrupted`);
  }
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(bytes, {
      graphOptimizationLevel: 'all',
      executionMode: 'sequential',
      intraOpNumThreads: 1,
      interOpNumThreads: 1
    });
  } catch (error) {
    throw new ModelError(`${onnxPath}: onnxruntime cannot load the model (${firstLine((error as Error).message)})`);
  }
  checkSignature(session, card, onnxPath);
  return { card, onnxPath, cardPath, session };
}

function firstLine(text: string): string {
  return text.split('\n')[0];
}

function checkSignature(session: ort.InferenceSession, card: ModelCard, onnxPath: string): void {
  if (session.inputNames.length !== 1 || session.inputNames[0] !== card.input_name) {
    throw new ModelError(
      `${onnxPath}: the model's inputs (${session.inputNames.join(', ')}) do not match the card's input "${card.input_name}"`
    );
  }
  if (!session.outputNames.includes(card.output_name)) {
    throw new ModelError(
      `${onnxPath}: the model has no output "${card.output_name}" named by its card (outputs: ${session.outputNames.join(', ')})`
    );
  }
  const input = session.inputMetadata[0];
  if (input.isTensor) {
    const width = input.shape[1];
    if (input.type !== 'float32' || (typeof width === 'number' && width !== card.features.length)) {
      throw new ModelError(
        `${onnxPath}: the model expects ${input.type}[${input.shape.join(', ')}] but its card lists ${card.features.length} float features`
      );
    }
  }
}

/**
 * Probability of the positive class for each row of `features`
 * (row-major, card.features.length columns).
 */
export async function scoreFeatures(model: LoadedModel, features: Float32Array, nRows: number): Promise<Float64Array> {
  const width = model.card.features.length;
  const scores = new Float64Array(nRows);
  for (let start = 0; start < nRows; start += SCORE_BATCH_ROWS) {
    const count = Math.min(SCORE_BATCH_ROWS, nRows - start);
    const batch = features.subarray(start * width, (start + count) * width);
    const input = new ort.Tensor('float32', batch, [count, width]);
    const result = await model.session.run({ [model.card.input_name]: input }, [model.card.output_name]);
    const output = result[model.card.output_name];
    const data = output.data as Float32Array;
    if (data.length !== count) {
      throw new ModelError(`${model.onnxPath}: expected one probability per row, got ${data.length} values for ${count} rows`);
    }
    for (let i = 0; i < count; i++) {
      const p = data[i];
      if (!(p >= 0 && p <= 1)) {
        throw new ModelError(`${model.onnxPath}: the model returned ${p} for row ${start + i + 1}, not a probability; refusing to score`);
      }
      scores[start + i] = p;
    }
    output.dispose?.();
  }
  return scores;
}
