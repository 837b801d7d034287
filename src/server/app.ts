/**
 * The scoring service behind `patch-risk serve`: plain node:http, models
 * loaded (and sha256-verified) by the caller, no process.env or argv here.
 *
 *   POST /v1/score   CSV or JSON patches → scored rows, plan and gate verdict
 *   GET  /healthz    liveness
 *   GET  /readyz     models loaded and verified
 *   GET  /metrics    Prometheus text format
 *
 * Every error becomes a JSON answer `{ "error": "..." }`; nothing a request
 * sends can throw past the handler.
 *
 * No client can stall it: scoring runs in worker threads (pool.ts), so this
 * thread only reads bodies and writes answers; at most `workers + queue`
 * scoring requests are admitted at once (503 with Retry-After beyond); each
 * request has a row and explanation budget (score-job.ts); and slow or idle
 * connections are cut by the header, request, keep-alive and idle timeouts.
 */
import { availableParallelism } from 'node:os';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { InputError, parseDecimal, type ExplainMode, type LoadedModel, type PatchFormat } from '../index.js';
import { DriftWindow } from './drift-window.js';
import { HttpError, settleUnreadBody, mediaType, readBody, sendBytes, sendJson, sendText } from './http.js';
import { createServiceMetrics, type ServedModel } from './metrics.js';
import { ScoringPool } from './pool.js';
import { BODY, errorLine, type RequestBudget } from './score-job.js';

/** Time limits on connections, in milliseconds. */
export interface ConnectionTimeouts {
  /** From a connection's first byte (or a request's start) until its headers are in; else 408 and closed. */
  headersMs: number;
  /** Until the whole request (headers and body) is in; else 408 and closed. Scoring time does not count. */
  requestMs: number;
  /** An idle kept-alive connection between requests is closed after this. */
  keepAliveMs: number;
  /** A connection with no bytes moving either way (a client that stops reading the answer) is closed after this. */
  idleMs: number;
}

export interface ScoringServerOptions {
  /** Loaded models; the first is the default for /v1/score. */
  models: LoadedModel[];
  /** Largest accepted request body; larger ones get 413. */
  bodyLimitBytes: number;
  /** Rows per model kept for the live PSI gauge. */
  driftWindow: number;
  /** Rows and row explanations per request. */
  budget?: RequestBudget;
  /** Scoring worker threads (each scores one request at a time). */
  workers?: number;
  /** Admitted requests that may wait for a free worker; beyond workers + queue, 503. */
  queue?: number;
  /** Heap limit of each worker, MB. */
  workerMemoryMb?: number;
  timeouts?: Partial<ConnectionTimeouts>;
  /** Where one-line error reports go (default: stderr). */
  log?: (line: string) => void;
}

/** What `patch-risk serve` uses unless told otherwise (its flags document each). */
export const SERVE_DEFAULTS = {
  budget: { maxRows: 100_000, maxExplainRows: 20_000 } satisfies RequestBudget,
  workers: Math.max(1, Math.min(4, availableParallelism())),
  /** Per worker. */
  queuePerWorker: 1,
  workerMemoryMb: 2048,
  timeouts: { headersMs: 10_000, requestMs: 30_000, keepAliveMs: 5_000, idleMs: 30_000 } satisfies ConnectionTimeouts
} as const;

/** How often node:http checks the header and request timeouts (its default, 30 s, would let them overrun by that much). */
const TIMEOUT_CHECK_MS = 1000;

/** Content types /v1/score accepts, and the patch format each means. */
const FORMATS: Record<string, PatchFormat> = { 'text/csv': 'csv', 'application/json': 'json' };
const SCORE_PARAMETERS = new Set(['model', 'threshold', 'explain']);
const EXPLAIN_MODES: readonly ExplainMode[] = ['auto', 'all', 'risky', 'none'];
/** Body bytes still dropped after an early error answer (e.g. 415) before reading stops, and how long the client then has to read the answer. */
const UNREAD_BODY_CAP = 64 * 1024;
const CUT_LINGER_MS = 2000;

type Handler = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void> | void;

interface Route {
  methods: string[];
  handler: Handler;
}

/**
 * The server, not yet listening, once every scoring worker has loaded and
 * verified the models (rejects with the first load error).
 */
export async function createScoringServer(options: ScoringServerOptions): Promise<Server> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const served = serveModels(options.models, options.driftWindow);
  const metrics = createServiceMetrics(served);
  const byName = modelIndex(served);
  const timeouts = { ...SERVE_DEFAULTS.timeouts, ...options.timeouts };
  const workers = options.workers ?? SERVE_DEFAULTS.workers;
  const pool =
    served.length === 0
      ? undefined
      : await ScoringPool.start({
          models: served.map(({ key, model }) => ({ key, onnxPath: model.onnxPath, sha256: model.card.sha256 })),
          budget: options.budget ?? SERVE_DEFAULTS.budget,
          driftWindow: options.driftWindow,
          workers,
          queue: options.queue ?? workers * SERVE_DEFAULTS.queuePerWorker,
          workerMemoryMb: options.workerMemoryMb ?? SERVE_DEFAULTS.workerMemoryMb,
          log
        });
  const server = createServer({
    headersTimeout: timeouts.headersMs,
    requestTimeout: timeouts.requestMs,
    keepAliveTimeout: timeouts.keepAliveMs,
    connectionsCheckingInterval: TIMEOUT_CHECK_MS
  });
  server.setTimeout(timeouts.idleMs);
  server.once('close', () => void pool?.close());

  /** Once the server stops listening, answers close their connection so shutdown does not wait on keep-alive. */
  const closing = (): Record<string, string> => (server.listening ? {} : { Connection: 'close' });
  const reply = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void =>
    sendJson(res, status, body, { ...closing(), ...headers });

  const routes = new Map<string, Route>([
    ['/v1/score', { methods: ['POST'], handler: (req, res, url) => score(req, res, url) }],
    ['/healthz', { methods: ['GET', 'HEAD'], handler: (_req, res) => reply(res, 200, { status: 'ok' }) }],
    ['/readyz', { methods: ['GET', 'HEAD'], handler: (_req, res) => readiness(res) }],
    ['/metrics', { methods: ['GET', 'HEAD'], handler: (_req, res) => scrape(res) }]
  ]);

  async function score(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const { entry, threshold, explain } = scoreQuery(url, byName, served[0]);
    const format = FORMATS[mediaType(req.headers['content-type'])];
    if (format === undefined) {
      const sent = req.headers['content-type'] ?? 'none';
      throw new HttpError(415, `${BODY}: unsupported Content-Type "${sent}": send text/csv or application/json`);
    }
    // Admitted before the body is read, so that the bodies held in memory are bounded too.
    const admission = pool?.admit();
    if (!pool || !admission) {
      const busy = pool
        ? `${pool.load} requests are being read or scored, the most this server takes at once (serve --workers, --queue)`
        : '';
      throw new HttpError(503, `busy: ${busy}; retry later`, { 'Retry-After': String(pool?.retryAfterSeconds() ?? 5) });
    }
    const cancel = (): void => admission.cancel();
    res.once('close', cancel);
    try {
      const bytes = await readBody(req, options.bodyLimitBytes);
      // Scoring time is not idle time: the idle timeout applies again once the answer is written.
      req.socket.setTimeout(0);
      // The body's memory (its own, see readBody) moves to the worker instead of being copied.
      const body = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const result = await admission.run(entry.key, { body, format, threshold, explain }, `POST ${url.pathname}`);
      req.socket.setTimeout(timeouts.idleMs);
      if (!result.ok) {
        if (result.log !== undefined) log(result.log);
        throw new HttpError(result.status, result.message, result.headers);
      }
      entry.drift.add(result.driftFeatures, result.driftRows);
      metrics.scored(entry.model, result.rows, result.high, result.outcome);
      sendBytes(res, 200, result.json, 'application/json; charset=utf-8', closing());
    } finally {
      res.off('close', cancel);
      admission.release();
    }
  }

  function readiness(res: ServerResponse): void {
    const models = served.map(({ model }) => ({
      name: model.card.name,
      version: model.card.version,
      sha256: model.card.sha256,
      // loadModel refuses a file whose sha256 differs from its card, so every loaded model is verified.
      sha256_verified: true,
      features: model.card.features.length
    }));
    reply(res, models.length > 0 ? 200 : 503, { status: models.length > 0 ? 'ready' : 'no models loaded', models });
  }

  async function scrape(res: ServerResponse): Promise<void> {
    const text = await metrics.registry.metrics();
    res.setHeader('Cache-Control', 'no-store');
    for (const [name, value] of Object.entries(closing())) res.setHeader(name, value);
    sendText(res, 200, text, metrics.registry.contentType);
  }

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const started = process.hrtime.bigint();
    const url = requestUrl(req.url);
    const route = url && routes.get(url.pathname);
    const method = req.method ?? 'GET';
    // Unknown paths share one label so scanners cannot blow up the metric's cardinality.
    const routeLabel = route && url ? url.pathname : 'unmatched';
    const methodLabel = ['GET', 'HEAD', 'POST'].includes(method) ? method : 'other';
    res.once('close', () => {
      const labels = { route: routeLabel, method: methodLabel, status: String(res.statusCode) };
      metrics.requests.inc(labels);
      metrics.latency.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
    });
    // A failed upload is answered by readBody; this keeps a late socket error from being unhandled.
    req.on('error', () => undefined);
    handle(req, res, url, route, method).catch((error: unknown) => {
      // Only reached if answering the error itself failed: drop the connection, keep the process.
      log(errorLine(`${method} ${url?.pathname}`, error));
      res.destroy();
    });
  });

  async function handle(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL | undefined,
    route: Route | undefined,
    method: string
  ): Promise<void> {
    const where = `${method} ${url?.pathname ?? req.url}`;
    try {
      if (!url) throw new HttpError(400, `the request target ${JSON.stringify(req.url)} is not a path`);
      if (!route) throw new HttpError(404, `no such route ${url.pathname}: use POST /v1/score, GET /healthz, GET /readyz or GET /metrics`);
      if (!route.methods.includes(method)) {
        throw new HttpError(405, `${method} is not allowed on ${url.pathname}: use ${route.methods.join(' or ')}`, {
          Allow: route.methods.join(', ')
        });
      }
      await route.handler(req, res, url);
    } catch (error) {
      fail(res, where, error);
      // A body over the limit is not read any further; other early answers drop a small rest.
      settleUnreadBody(req, error instanceof HttpError && error.status === 413 ? 0 : UNREAD_BODY_CAP, CUT_LINGER_MS);
    }
  }

  function fail(res: ServerResponse, what: string, error: unknown): void {
    if (error instanceof HttpError) return answerError(res, error.status, error.message, error.headers);
    if (error instanceof InputError) return answerError(res, 400, error.message);
    log(errorLine(what, error));
    answerError(res, 500, 'internal error while handling the request (logged on the server)');
  }

  function answerError(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    reply(res, status, { error: message, status }, headers);
  }

  // Malformed HTTP never reaches 'request'; answer 400 where the socket still can, 408 when the headers or body came too slowly.
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const status = error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? '408 Request Timeout' : '400 Bad Request';
    socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  });
  return server;
}

/** The request's path and query; undefined when the target cannot be read as one. */
function requestUrl(target: string | undefined): URL | undefined {
  try {
    // Always relative to this server: `//host/x` or `http://host/x` are paths here, not other hosts.
    return new URL(`http://localhost${target?.startsWith('/') ? target : `/${target ?? ''}`}`);
  } catch {
    return undefined;
  }
}

function serveModels(models: LoadedModel[], driftWindow: number): ServedModel[] {
  const seen = new Set<string>();
  return models.map((model) => {
    const key = `${model.card.name}@${model.card.version}`;
    if (seen.has(key)) throw new RangeError(`model ${key} is loaded twice; pass each model once`);
    seen.add(key);
    return { key, model, drift: new DriftWindow(model.card, driftWindow) };
  });
}

/** `name@version` for each model, and `name` for the first model of each name. */
function modelIndex(served: ServedModel[]): Map<string, ServedModel> {
  const index = new Map<string, ServedModel>();
  for (const entry of served) {
    index.set(entry.key, entry);
    if (!index.has(entry.model.card.name)) index.set(entry.model.card.name, entry);
  }
  return index;
}

interface ScoreQuery {
  entry: ServedModel;
  threshold?: number;
  explain: ExplainMode;
}

function scoreQuery(url: URL, byName: Map<string, ServedModel>, fallback: ServedModel | undefined): ScoreQuery {
  for (const name of new Set(url.searchParams.keys())) {
    if (!SCORE_PARAMETERS.has(name))
      throw new HttpError(400, `query: unknown parameter "${name}": use ${[...SCORE_PARAMETERS].join(', ')}`);
    if (url.searchParams.getAll(name).length > 1) throw new HttpError(400, `query: parameter "${name}" is given more than once`);
  }
  const name = url.searchParams.get('model');
  const entry = name === null ? fallback : byName.get(name);
  if (entry === undefined) {
    const loaded = [...byName.keys()].join(', ') || 'none';
    throw new HttpError(404, `unknown model "${name ?? ''}": this server has ${loaded}`);
  }
  const explain = (url.searchParams.get('explain') ?? 'auto') as ExplainMode;
  if (!EXPLAIN_MODES.includes(explain))
    throw new HttpError(400, `query: explain must be one of ${EXPLAIN_MODES.join(', ')}, found ${JSON.stringify(explain)}`);
  const raw = url.searchParams.get('threshold');
  if (raw === null) return { entry, explain };
  const threshold = parseDecimal(raw);
  if (threshold === undefined || threshold < 0 || threshold > 1) {
    throw new HttpError(400, `query: threshold must be a number between 0 and 1, found ${JSON.stringify(raw)}`);
  }
  return { entry, threshold, explain };
}

/**
 * Stop accepting connections, let in-flight requests finish, then resolve
 * true; after `graceMs`, cut the remaining connections and resolve false.
 */
export function closeGracefully(server: Server, graceMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    let forced = false;
    const timer = setTimeout(() => {
      forced = true;
      server.closeAllConnections();
    }, graceMs);
    timer.unref();
    server.close(() => {
      clearTimeout(timer);
      resolve(!forced);
    });
    server.closeIdleConnections();
  });
}
