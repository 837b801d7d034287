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
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import {
  decodeText,
  gateVerdict,
  InputError,
  parseDecimal,
  runGate,
  scoredJsonRows,
  type ExplainMode,
  type LoadedModel,
  type PatchFormat,
  type ScoredPatches
} from '../index.js';
import { DriftWindow } from './drift-window.js';
import { HttpError, settleUnreadBody, mediaType, readBody, sendJson, sendText } from './http.js';
import { createServiceMetrics, type ServedModel } from './metrics.js';

export interface ScoringServerOptions {
  /** Loaded models; the first is the default for /v1/score. */
  models: LoadedModel[];
  /** Largest accepted request body; larger ones get 413. */
  bodyLimitBytes: number;
  /** Rows per model kept for the live PSI gauge. */
  driftWindow: number;
  /** Where one-line error reports go (default: stderr). */
  log?: (line: string) => void;
}

/** Content types /v1/score accepts, and the patch format each means. */
const FORMATS: Record<string, PatchFormat> = { 'text/csv': 'csv', 'application/json': 'json' };
const SCORE_PARAMETERS = new Set(['model', 'threshold', 'explain']);
const EXPLAIN_MODES: readonly ExplainMode[] = ['auto', 'all', 'risky', 'none'];
/** The file name in messages about the request body (the CLI names the file there). */
const BODY = 'body';
/** Body bytes still dropped after an early error answer (e.g. 415) before reading stops, and how long the client then has to read the answer. */
const UNREAD_BODY_CAP = 64 * 1024;
const CUT_LINGER_MS = 2000;

type Handler = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void> | void;

interface Route {
  methods: string[];
  handler: Handler;
}

export function createScoringServer(options: ScoringServerOptions): Server {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const served = serveModels(options.models, options.driftWindow);
  const metrics = createServiceMetrics(served);
  const byName = modelIndex(served);
  const server = createServer();

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
    const bytes = await readBody(req, options.bodyLimitBytes);
    const { model, drift } = entry;
    // Reasons as `patch-risk score --explain` adds them, so the rows have the scored file's columns.
    const run = await runGate({ kind: 'text', text: decodeText(bytes, BODY), format, name: BODY }, { model, threshold, explain });
    const result = run.scored as ScoredPatches;
    const { totals, decision } = run;
    drift.add(result.table.features, totals.patches);
    metrics.scored(model, totals.patches, totals.high, decision.outcome);
    const { input_file: _body, ...verdict } = gateVerdict(run);
    reply(res, 200, { decision: decision.outcome, ...verdict, model_sha256: run.model.sha256, rows: scoredJsonRows(result) });
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

  // Malformed HTTP never reaches 'request'; answer 400 where the socket still can.
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
  });
  return server;
}

/** One log line per failure (onnxruntime messages span lines). */
function errorLine(what: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return `${new Date().toISOString()} error ${what}: ${message.replace(/\s*\n\s*/g, ' | ')}`;
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
