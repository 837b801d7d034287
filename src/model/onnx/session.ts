/**
 * Inference with onnxruntime-node: the Scorer core uses. A model is an .onnx
 * file plus its card (`<name>.card.json` beside it). Loading verifies the
 * card, the file's sha256 and that the model's input/output match the card;
 * scoring runs one onnxruntime call per batch of rows and refuses outputs
 * that are not probabilities. onnxruntime (a native binding) is imported on
 * the first load, so importing the library costs nothing until a model is used.
 */
import { readFile } from 'node:fs/promises';
import type { InferenceSession } from 'onnxruntime-node';
import type { ModelCard } from '../../core/card.js';
import { ModelError } from '../../core/errors.js';
import { visibleLine } from '../../core/text.js';
import type { Scorer } from '../../core/scorer.js';
import { cardPathFor, checkModelFileWithin, readModelCard } from './card-file.js';
import { sha256Hex } from './hash.js';

/** Rows per onnxruntime call: large enough to amortise the call, small enough to bound memory. */
export const SCORE_BATCH_ROWS = 65536;

type Onnxruntime = typeof import('onnxruntime-node');
let runtime: Promise<Onnxruntime> | undefined;

/**
 * onnxruntime's own log: fatal messages only, for the process-wide logger
 * and every session. Its warnings and errors quote names from the model file
 * verbatim, line breaks included (an unused initializer named
 * `x\n::warning::…` is "removed" with a warning on stderr), and in CI a line
 * starting with `::` is a workflow command. Everything an error would say
 * reaches us anyway as the exception of the failed call, which is reported
 * as one line (ModelError).
 */
const ORT_LOG_LEVEL = 'fatal';
const ORT_LOG_SEVERITY = 4;

/** onnxruntime, loaded once per process (per thread: each worker loads its own), its log quieted before any session exists. */
function onnxruntime(): Promise<Onnxruntime> {
  runtime ??= import('onnxruntime-node').then((ort) => {
    ort.env.logLevel = ORT_LOG_LEVEL;
    return ort;
  });
  return runtime;
}

/** A verified model with its onnxruntime session. */
export class LoadedModel implements Scorer {
  constructor(
    readonly card: ModelCard,
    readonly onnxPath: string,
    readonly cardPath: string,
    private readonly session: InferenceSession,
    private readonly ort: Onnxruntime
  ) {}

  get source(): string {
    return this.onnxPath;
  }

  async score(features: Float32Array, nRows: number): Promise<Float64Array> {
    const width = this.card.features.length;
    const scores = new Float64Array(nRows);
    for (let start = 0; start < nRows; start += SCORE_BATCH_ROWS) {
      const count = Math.min(SCORE_BATCH_ROWS, nRows - start);
      const batch = features.subarray(start * width, (start + count) * width);
      const input = new this.ort.Tensor('float32', batch, [count, width]);
      let result: InferenceSession.OnnxValueMapType;
      try {
        result = await this.session.run({ [this.card.input_name]: input }, [this.card.output_name]);
      } catch (error) {
        throw new ModelError(
          `${this.onnxPath}: onnxruntime failed to score (${firstLine(error instanceof Error ? error.message : String(error))})`
        );
      }
      const output = result[this.card.output_name];
      const data = output.data as Float32Array;
      if (data.length !== count) {
        throw new ModelError(`${this.onnxPath}: expected one probability per row, got ${data.length} values for ${count} rows`);
      }
      for (let i = 0; i < count; i++) {
        const p = data[i];
        if (!(p >= 0 && p <= 1)) {
          throw new ModelError(`${this.onnxPath}: the model returned ${p} for row ${start + i + 1}, not a probability; refusing to score`);
        }
        scores[start + i] = p;
      }
      output.dispose?.();
    }
    return scores;
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}

export interface LoadModelOptions {
  /**
   * A folder every model file must stay inside, symlinks followed (the
   * action passes the workspace for a model from the repository).
   */
  within?: string;
}

/** Load and verify a model from its .onnx path. */
export async function loadModel(onnxPath: string, options: LoadModelOptions = {}): Promise<LoadedModel> {
  const cardPath = cardPathFor(onnxPath);
  const card = await readModelCard(cardPath, options.within);
  checkModelFileWithin(onnxPath, 'the model file', options.within);
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
  const ort = await onnxruntime();
  let session: InferenceSession;
  try {
    session = await ort.InferenceSession.create(bytes, {
      graphOptimizationLevel: 'all',
      executionMode: 'sequential',
      intraOpNumThreads: 1,
      interOpNumThreads: 1,
      logSeverityLevel: ORT_LOG_SEVERITY
    });
  } catch (error) {
    throw new ModelError(`${onnxPath}: onnxruntime cannot load the model (${firstLine((error as Error).message)})`);
  }
  checkSignature(session, card, onnxPath);
  return new LoadedModel(card, onnxPath, cardPath, session, ort);
}

/** The first line of an onnxruntime message, control and invisible characters made plain (it may quote the model's names). */
function firstLine(text: string): string {
  return visibleLine(text.split(/\r\n|\r|\n/)[0] ?? '');
}

function checkSignature(session: InferenceSession, card: ModelCard, onnxPath: string): void {
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
