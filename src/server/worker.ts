/**
 * A scoring worker thread of `patch-risk serve` (see pool.ts): loads the
 * served models itself (verifying each against the sha256 the HTTP thread
 * loaded), then answers one job at a time. Parsing, scoring, explaining and
 * serialising all happen here, off the thread that answers /healthz.
 */
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { loadModel, type LoadedModel } from '../index.js';
import { failureResult, scoreJob, type RequestBudget, type ScoreJob } from './score-job.js';

export interface WorkerSetup {
  models: { key: string; onnxPath: string; sha256: string }[];
  budget: RequestBudget;
  driftWindow: number;
}

export type WorkerRequest = { id: number; model: string; job: ScoreJob; what: string };

export type WorkerMessage =
  { type: 'ready' } | { type: 'failed'; message: string } | { type: 'answer'; id: number; result: import('./score-job.js').ScoreResult };

const port = parentPort;
if (!port) throw new Error('server/worker.js runs as a worker thread of patch-risk serve');
const setup = workerData as WorkerSetup;

/** Niceness of the scoring threads: when the CPUs are busy, the HTTP thread (health checks, admission) goes first. */
const WORKER_NICENESS = 10;
try {
  // On Linux the nice value belongs to the thread: this lowers this worker only.
  setPriority(WORKER_NICENESS);
} catch {
  // Not permitted here: scoring keeps the process's priority.
}

const models = new Map<string, LoadedModel>();
try {
  for (const served of setup.models) {
    const model = await loadModel(served.onnxPath);
    if (model.card.sha256 !== served.sha256)
      throw new Error(`${served.onnxPath} changed after the server loaded it (sha256 ${model.card.sha256}, was ${served.sha256})`);
    models.set(served.key, model);
  }
  port.postMessage({ type: 'ready' } satisfies WorkerMessage);
} catch (error) {
  port.postMessage({ type: 'failed', message: error instanceof Error ? error.message : String(error) } satisfies WorkerMessage);
}

port.on('message', (request: WorkerRequest) => {
  void answer(request).then(({ message, transfer }) => port.postMessage(message, transfer));
});

async function answer(request: WorkerRequest): Promise<{ message: WorkerMessage; transfer: ArrayBuffer[] }> {
  const model = models.get(request.model);
  try {
    if (!model) throw new Error(`no model ${request.model} in this worker`);
    const result = await scoreJob(request.job, model, setup.budget, setup.driftWindow);
    const transfer = result.ok ? [result.json.buffer as ArrayBuffer, result.driftFeatures.buffer as ArrayBuffer] : [];
    return { message: { type: 'answer', id: request.id, result }, transfer };
  } catch (error) {
    return { message: { type: 'answer', id: request.id, result: failureResult(error, request.what) }, transfer: [] };
  }
}
