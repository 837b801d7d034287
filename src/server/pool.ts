/**
 * The scoring workers of `patch-risk serve` and the admission rule in front
 * of them. Each worker thread scores one request at a time; at most
 * `workers + queue` requests are admitted at once (being read, waiting for a
 * worker, or being scored), and a request beyond that is refused at once
 * with 503 and a Retry-After, before its body is read. The HTTP thread only
 * reads bodies and writes answers, so /healthz stays fast however heavy the
 * requests. A worker that dies (e.g. out of memory) fails its request with
 * 500 and is replaced.
 */
import { Worker } from 'node:worker_threads';
import type { ScoreJob, ScoreResult } from './score-job.js';
import type { WorkerMessage, WorkerRequest, WorkerSetup } from './worker.js';

export interface PoolOptions extends WorkerSetup {
  /** Worker threads, each scoring one request at a time. */
  workers: number;
  /** Admitted requests that may wait for a free worker. */
  queue: number;
  /** V8 heap limit of each worker, in MB. */
  workerMemoryMb: number;
  /** Where a worker's death is reported. */
  log: (line: string) => void;
}

interface Pending {
  id: number;
  request: WorkerRequest;
  resolve: (result: ScoreResult) => void;
}

interface Slot {
  worker: Worker;
  /** The job being scored, and when it was handed over. */
  busy?: Pending;
  startedAt: number;
}

/** An admitted request: run its job once (or not at all), then release it. */
export interface Admission {
  run(model: string, job: ScoreJob, what: string): Promise<ScoreResult>;
  /** The client is gone: drop the job if it still waits for a worker (a job being scored finishes). */
  cancel(): void;
  /** Give the place back, once the job (if any) has finished. */
  release(): void;
}

const WORKER_URL = new URL('./worker.js', import.meta.url);
/** Weight of the newest duration in the running average behind Retry-After. */
const AVERAGE_WEIGHT = 0.2;

export class ScoringPool {
  private readonly slots: Slot[] = [];
  private readonly waiting: Pending[] = [];
  private admitted = 0;
  private nextId = 1;
  private averageMs = 1000;
  private closed = false;
  /** Workers being started again after one died. */
  private starting = 0;

  private constructor(private readonly options: PoolOptions) {}

  /** Start the workers and wait until each has loaded and verified every model; rejects with the first load error. */
  static async start(options: PoolOptions): Promise<ScoringPool> {
    const pool = new ScoringPool(options);
    try {
      await Promise.all(Array.from({ length: options.workers }, () => pool.spawn()));
    } catch (error) {
      await pool.close();
      throw error;
    }
    return pool;
  }

  /** Requests admitted now (being read, queued or scored). */
  get load(): number {
    return this.admitted;
  }

  get capacity(): number {
    return this.options.workers + this.options.queue;
  }

  /** A place for one request, or undefined when `workers + queue` are taken (answer 503). */
  admit(): Admission | undefined {
    if (this.closed || this.admitted >= this.capacity) return undefined;
    this.admitted++;
    let released = false;
    let pending: Pending | undefined;
    return {
      run: (model, job, what) =>
        new Promise<ScoreResult>((resolve) => {
          const id = this.nextId++;
          pending = { id, request: { id, model, job, what }, resolve };
          if (this.slots.length === 0 && this.starting === 0) return resolve(noWorker());
          this.waiting.push(pending);
          this.dispatch();
        }),
      cancel: () => {
        const index = pending ? this.waiting.indexOf(pending) : -1;
        if (index < 0) return;
        this.waiting.splice(index, 1);
        pending?.resolve({ ok: false, status: 499, message: 'the client closed the connection' });
      },
      release: () => {
        if (released) return;
        released = true;
        this.admitted--;
      }
    };
  }

  /** Seconds a refused client should wait: the average scoring time times the requests ahead per worker, 1 to 60. */
  retryAfterSeconds(): number {
    const ahead = Math.max(1, this.admitted / this.options.workers);
    return Math.min(60, Math.max(1, Math.ceil((this.averageMs * ahead) / 1000)));
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const pending of this.waiting.splice(0)) pending.resolve(unavailable());
    await Promise.all(this.slots.map((slot) => slot.worker.terminate()));
  }

  private spawn(): Promise<void> {
    const { models, budget, driftWindow } = this.options;
    const worker = new Worker(WORKER_URL, {
      workerData: { models, budget, driftWindow } satisfies WorkerSetup,
      resourceLimits: { maxOldGenerationSizeMb: this.options.workerMemoryMb }
    });
    const slot: Slot = { worker, startedAt: 0 };
    return new Promise((resolve, reject) => {
      let ready = false;
      worker.on('message', (message: WorkerMessage) => {
        if (message.type === 'ready') {
          ready = true;
          this.slots.push(slot);
          resolve();
          this.dispatch();
        } else if (message.type === 'failed') {
          reject(new Error(message.message));
          void worker.terminate();
        } else if (slot.busy && slot.busy.id === message.id) {
          const pending = slot.busy;
          slot.busy = undefined;
          this.averageMs += AVERAGE_WEIGHT * (performance.now() - slot.startedAt - this.averageMs);
          pending.resolve(message.result);
          this.dispatch();
        }
      });
      worker.on('error', (error) => {
        if (!ready) reject(error);
        else this.options.log(`${new Date().toISOString()} error scoring worker: ${error.message.replace(/\s*\n\s*/g, ' | ')}`);
      });
      worker.on('exit', () => {
        const index = this.slots.indexOf(slot);
        if (index >= 0) this.slots.splice(index, 1);
        if (slot.busy) {
          slot.busy.resolve({
            ok: false,
            status: 500,
            message:
              'internal error: the scoring worker stopped while scoring this request (out of memory? see serve --worker-memory); ' +
              'send fewer rows'
          });
          slot.busy = undefined;
        }
        if (!ready) reject(new Error('a scoring worker stopped while loading the models'));
        else if (!this.closed) this.restart();
      });
    });
  }

  /** Replace a worker that died; while none is left and none is starting, waiting requests get 503 rather than wait forever. */
  private restart(): void {
    this.starting++;
    void this.spawn()
      .catch((error: Error) => this.options.log(`${new Date().toISOString()} error cannot restart a scoring worker: ${error.message}`))
      .finally(() => {
        this.starting--;
        if (this.slots.length > 0 || this.starting > 0) return;
        for (const pending of this.waiting.splice(0))
          pending.resolve({
            ok: false,
            status: 503,
            message: 'no scoring worker is running (see the server log)',
            headers: { 'Retry-After': '30' }
          });
      });
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (slot.busy) continue;
      const pending = this.waiting.shift();
      if (!pending) return;
      slot.busy = pending;
      slot.startedAt = performance.now();
      const { job } = pending.request;
      // The body's bytes move to the worker instead of being copied.
      slot.worker.postMessage(pending.request, [job.body.buffer as ArrayBuffer]);
    }
  }
}

function noWorker(): ScoreResult {
  return { ok: false, status: 503, message: 'no scoring worker is running (see the server log)', headers: { 'Retry-After': '30' } };
}

function unavailable(): ScoreResult {
  return { ok: false, status: 503, message: 'the server is shutting down', headers: { 'Retry-After': '5' } };
}
