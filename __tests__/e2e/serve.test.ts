import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { request, type IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Papa from 'papaparse';
import { BUILTIN_MODELS_DIR, generateFirmwarePatches, readModelCard, resolveModel, type ModelCard } from '../../src/index.js';
import { type FirmwarePatch } from '../../src/model/data/generate.js';
import { ensembleToOnnx } from '../../src/model/onnx/export.js';
import { csvRowsAtLeast } from '../../src/server/score-job.js';

// The service runs from the built lib/ in its own process (npm test builds first): the CLI itself,
// or serve-fixture.mjs for createScoringServer options the CLI does not offer.
const BIN = path.resolve('lib/cli/bin.js');
const FIXTURE = path.resolve('__tests__/helpers/serve-fixture.mjs');
const HEADER = 'patch_id,code_churn_score,patch_size_mb,lines_changed,files_changed,avg_device_age_days,is_hotfix,patch_security';
const RISKY = 'RISKY-1,0.95,40,60000,45,2600,1,1';
const CALM = 'CALM-1,0.05,0.2,12,1,60,0,0';
const BODY_LIMIT = 64 * 1024;
const dir = mkdtempSync(path.join(tmpdir(), 'prg-serve-'));

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  json: () => any;
}

function answerOf(res: import('node:http').IncomingMessage): Promise<Answer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    res.on('data', (chunk: Buffer) => chunks.push(chunk));
    res.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) });
    });
  });
}

/** One request over a fresh connection (no keep-alive, so stopping a server never waits on the client). */
function call(base: string, method: string, route: string, body?: string | Buffer, contentType?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { Connection: 'close' };
    if (contentType) headers['Content-Type'] = contentType;
    if (body !== undefined) headers['Content-Length'] = Buffer.byteLength(body);
    const req = request(`${base}${route}`, { method, headers }, (res) => resolve(answerOf(res)));
    req.on('error', reject);
    req.end(body);
  });
}

interface Running {
  child: ChildProcessWithoutNullStreams;
  url: string;
  stderr: () => string;
  /** Resolves with the first match of `pattern` in the output (stdout or stderr, as chosen). */
  waitFor: (stream: 'stdout' | 'stderr', pattern: RegExp) => Promise<RegExpMatchArray>;
  exited: Promise<number | null>;
  stop: () => Promise<number | null>;
}

async function start(args: string[]): Promise<Running> {
  const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  const output = { stdout: '', stderr: '' };
  child.stdout.on('data', (data: Buffer) => (output.stdout += data.toString()));
  child.stderr.on('data', (data: Buffer) => (output.stderr += data.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const waitFor = (stream: 'stdout' | 'stderr', pattern: RegExp): Promise<RegExpMatchArray> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        const match = output[stream].match(pattern);
        if (match) resolve(match);
      };
      child[stream].on('data', check);
      void exited.then(() => reject(new Error(`the server exited: ${output.stdout}${output.stderr}`)));
      check();
    });
  const [, url] = await waitFor('stdout', /listening on (http:\/\/127\.0\.0\.1:\d+)/);
  return {
    child,
    url,
    stderr: () => output.stderr,
    waitFor,
    exited,
    stop: () => {
      child.kill('SIGTERM');
      return exited;
    }
  };
}

function startFixture(options: {
  models?: string[];
  bodyLimitBytes?: number;
  driftWindow?: number;
  workers?: number;
  queue?: number;
  workerMemoryMb?: number;
  budget?: { maxRows: number; maxExplainRows: number };
}): Promise<Running> {
  return start([FIXTURE, JSON.stringify({ models: ['firmware'], bodyLimitBytes: BODY_LIMIT, driftWindow: 100, ...options })]);
}

function csvOf(patches: FirmwarePatch[]): string {
  return Papa.unparse(patches, { newline: '\n' }) + '\n';
}

/** `patch-risk score FILE --format json` on the same text saved as a file. */
function cliScore(
  text: string,
  name: string,
  extra: string[] = []
): { code: number | null; patches?: Record<string, unknown>[]; stderr: string; file: string } {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  const run = spawnSync(process.execPath, [BIN, 'score', file, '--format', 'json', ...extra], { encoding: 'utf8' });
  return { code: run.status, patches: run.status === 0 ? JSON.parse(run.stdout).patches : undefined, stderr: run.stderr, file };
}

/** Prometheus sample value by its exact series text, e.g. `name{a="b"}`. */
function sample(metrics: string, series: string): number | undefined {
  const line = metrics.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

/** Reference PSI, written independently of src/: bins with inner edges quantiles[1..9], v > edge goes right. */
function referencePsi(values: number[], quantiles: number[], expected: number[]): number {
  const edges = quantiles.slice(1, -1);
  const counts = new Array(edges.length + 1).fill(0);
  for (const v of values) counts[edges.filter((edge) => v > edge).length]++;
  return expected.reduce((sum, e, i) => {
    const a = Math.max(counts[i] / values.length, 1e-4);
    const b = Math.max(e, 1e-4);
    return sum + (a - b) * Math.log(a / b);
  }, 0);
}

const firmware = resolveModel('firmware', BUILTIN_MODELS_DIR);
let card: ModelCard;
let server: Running;
let base: string;

beforeAll(async () => {
  card = await readModelCard(firmware.onnxPath.replace(/\.onnx$/, '.card.json'));
  // Room for the 12 requests at once of 'concurrent requests' (admission control has its own test).
  server = await startFixture({ queue: 16 });
  base = server.url;
});

afterAll(async () => {
  expect(await server.stop()).toBe(0);
});

describe('GET /healthz and /readyz', () => {
  it('answers liveness', async () => {
    const answer = await call(base, 'GET', '/healthz');
    expect(answer.status).toBe(200);
    expect(answer.json()).toEqual({ status: 'ok' });
  });

  it('reports each loaded model with the sha256 of its file', async () => {
    const answer = await call(base, 'GET', '/readyz');
    expect(answer.status).toBe(200);
    const digest = createHash('sha256').update(readFileSync(firmware.onnxPath)).digest('hex');
    expect(answer.json()).toEqual({
      status: 'ready',
      models: [{ name: 'firmware', version: card.version, sha256: digest, sha256_verified: true, features: card.features.length }]
    });
  });

  it('is not ready without models', async () => {
    const empty = await startFixture({ models: [] });
    try {
      const answer = await call(empty.url, 'GET', '/readyz');
      expect(answer.status).toBe(503);
      expect(answer.json()).toEqual({ status: 'no models loaded', models: [] });
      expect((await call(empty.url, 'POST', '/v1/score', `${HEADER}\n${CALM}\n`, 'text/csv')).status).toBe(404);
    } finally {
      await empty.stop();
    }
  });
});

describe('POST /v1/score', () => {
  it('scores a CSV body like `patch-risk score`: every row with its plan, the model and the verdict', async () => {
    const text = `${HEADER},owner\n${RISKY},alice\n${CALM},bob\n`;
    const answer = await call(base, 'POST', '/v1/score', text, 'text/csv; charset=utf-8');
    expect(answer.status).toBe(200);
    const body = answer.json();
    expect(body).toMatchObject({
      decision: 'fail',
      n_high_risk: 1,
      n_patches: 2,
      model: 'firmware',
      model_version: card.version,
      model_sha256: card.sha256,
      threshold: card.thresholds.high
    });
    expect(body.rows).toEqual(cliScore(text, 'same.csv').patches);
    expect(body.rows.map((row: Record<string, unknown>) => [row.patch_id, row.owner, row.risk_bucket, row.high_risk])).toEqual([
      ['RISKY-1', 'alice', 'High', 1],
      ['CALM-1', 'bob', 'Low', 0]
    ]);
  });

  it('scores a JSON body like the same patches in a JSON file', async () => {
    const text = JSON.stringify(generateFirmwarePatches(20, 7));
    const answer = await call(base, 'POST', '/v1/score', text, 'application/json');
    expect(answer.status).toBe(200);
    expect(answer.json().rows).toEqual(cliScore(text, 'same.json').patches);
  });

  it('passes when nothing is high risk, and ?threshold= moves the High edge', async () => {
    const calm = `${HEADER}\n${CALM}\n`;
    const pass = (await call(base, 'POST', '/v1/score', calm, 'text/csv')).json();
    expect([pass.decision, pass.n_high_risk]).toEqual(['pass', 0]);
    const strict = (await call(base, 'POST', '/v1/score?threshold=0', calm, 'text/csv')).json();
    expect([strict.decision, strict.n_high_risk, strict.threshold]).toEqual(['fail', 1, 0]);
    expect(strict.rows).toEqual(cliScore(calm, 'strict.csv', ['--threshold', '0']).patches);
  });

  it('?explain= chooses which rows get reasons, as --explain does', async () => {
    const text = `${HEADER}\n${RISKY}\n${CALM}\n`;
    for (const mode of ['none', 'risky']) {
      const rows = (await call(base, 'POST', `/v1/score?explain=${mode}`, text, 'text/csv')).json().rows;
      expect(rows).toEqual(cliScore(text, `explain-${mode}.csv`, ['--explain', mode]).patches);
    }
    const risky = (await call(base, 'POST', '/v1/score?explain=risky', text, 'text/csv')).json().rows;
    expect([risky[0].reason_1 !== '', risky[1].reason_1]).toEqual([true, '']);
  });

  it('?model= picks a loaded model by name or name@version; an unknown one is 404', async () => {
    const calm = `${HEADER}\n${CALM}\n`;
    expect((await call(base, 'POST', '/v1/score?model=firmware', calm, 'text/csv')).status).toBe(200);
    expect((await call(base, 'POST', `/v1/score?model=firmware@${card.version}`, calm, 'text/csv')).status).toBe(200);
    const unknown = await call(base, 'POST', '/v1/score?model=router', calm, 'text/csv');
    expect(unknown.status).toBe(404);
    expect(unknown.json()).toEqual({ error: `unknown model "router": this server has firmware@${card.version}, firmware`, status: 404 });
  });

  it('answers bad input with 400 and the message the CLI prints, the file named "body"', async () => {
    const text = `${HEADER}\n${CALM}\nBAD-2,0.5,1,many,1,60,0,0\n`;
    const cli = cliScore(text, 'bad.csv');
    expect(cli.code).toBe(2);
    expect(cli.stderr).toBe(`error: ${cli.file}, row 2, column "lines_changed": expected a whole number >= 0, found "many" (line 3)\n`);
    const answer = await call(base, 'POST', '/v1/score', text, 'text/csv');
    expect(answer.status).toBe(400);
    expect(answer.json()).toEqual({ error: cli.stderr.replace('error: ', '').replace(cli.file, 'body').trim(), status: 400 });
  });

  it.each([
    ['missing columns', `patch_id,code_churn_score\nA,0.1\n`, 'text/csv', /^body: missing required columns: patch_size_mb, /],
    ['an empty body', '', 'text/csv', /^body: the file is empty/],
    ['invalid JSON', '[{"patch_id": ', 'application/json', /^body: not valid JSON/],
    [
      'a JSON object instead of an array',
      '{"patch_id": "A"}',
      'application/json',
      /^body: expected a JSON array of patch objects, found an object$/
    ],
    ['non-UTF-8 bytes', Buffer.from([0x70, 0xff, 0xfe, 0x0a]), 'text/csv', /^body: the file is not valid UTF-8/]
  ])('400 for %s', async (_what, body, type, message) => {
    const answer = await call(base, 'POST', '/v1/score', body, type);
    expect(answer.status).toBe(400);
    expect(answer.json().error).toMatch(message);
  });

  it.each([
    ['/v1/score?threshold=2', /^query: threshold must be a number between 0 and 1, found "2"$/],
    ['/v1/score?threshold=abc', /found "abc"$/],
    ['/v1/score?treshold=0.5', /^query: unknown parameter "treshold"/],
    ['/v1/score?model=firmware&model=firmware', /^query: parameter "model" is given more than once$/],
    ['/v1/score?explain=some', /^query: explain must be one of auto, all, risky, none, found "some"$/]
  ])('400 for the query %s', async (route, message) => {
    const answer = await call(base, 'POST', route, `${HEADER}\n${CALM}\n`, 'text/csv');
    expect(answer.status).toBe(400);
    expect(answer.json().error).toMatch(message);
  });

  it('415 for an unsupported or missing content type', async () => {
    const plain = await call(base, 'POST', '/v1/score', `${HEADER}\n${CALM}\n`, 'text/plain');
    expect(plain.status).toBe(415);
    expect(plain.json().error).toBe('body: unsupported Content-Type "text/plain": send text/csv or application/json');
    expect((await call(base, 'POST', '/v1/score', `${HEADER}\n${CALM}\n`)).status).toBe(415);
  });

  it('413 for a body over the limit announced by Content-Length', async () => {
    const big = `${HEADER}\n${`${CALM}\n`.repeat(Math.ceil(BODY_LIMIT / CALM.length) + 10)}`;
    const answer = await call(base, 'POST', '/v1/score', big, 'text/csv');
    expect(answer.status).toBe(413);
    expect(answer.json().error).toBe(`body: larger than the limit of ${BODY_LIMIT} bytes`);
  });

  /**
   * Streams a large body over a raw socket (so the answer is seen while still writing) and keeps writing
   * after the answer, until the server cuts the connection or the whole body is sent.
   */
  function rawUpload(
    headers: string,
    frame: Buffer,
    frames: number,
    end: string
  ): Promise<{ head: string; sentAtAnswer: number; sent: number; cut: boolean }> {
    return new Promise((resolve) => {
      const socket = connect(Number(new URL(base).port), '127.0.0.1');
      let sent = 0;
      let sentAtAnswer = -1;
      let received = '';
      const done = (cut: boolean): void => {
        socket.destroy();
        resolve({ head: received.split('\r\n')[0], sentAtAnswer, sent, cut });
      };
      socket.on('data', (data: Buffer) => {
        received += data.toString();
        if (sentAtAnswer < 0 && received.includes('\r\n\r\n')) sentAtAnswer = sent;
      });
      socket.on('error', () => done(true));
      socket.on('close', () => done(true));
      const pump = (): void => {
        while (sent < frames * frame.length) {
          sent += frame.length;
          if (!socket.write(frame)) {
            socket.once('drain', pump);
            return;
          }
        }
        socket.end(end, () => done(false));
      };
      socket.write(`POST /v1/score HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/csv\r\n${headers}\r\n`);
      pump();
    });
  }

  it('413 for a chunked body over the limit: answered early, then the server stops reading and cuts the upload', async () => {
    const chunk = `${CALM}\n`.repeat(500);
    const frame = Buffer.from(`${chunk.length.toString(16)}\r\n${chunk}\r\n`);
    const frames = 15000; // ~200 MB: a server that read it all would take it in well under its 2 s linger
    const upload = await rawUpload('Transfer-Encoding: chunked\r\n', frame, frames, '0\r\n\r\n');
    expect(upload.head).toBe('HTTP/1.1 413 Payload Too Large');
    expect(upload.sentAtAnswer).toBeGreaterThan(0);
    expect(upload.cut).toBe(true);
    expect(upload.sent).toBeLessThan(frames * frame.length);
  });

  it('413 for a declared Content-Length over the limit, without reading the body', async () => {
    const frame = Buffer.alloc(64 * 1024, 'a');
    const frames = 3200;
    const upload = await rawUpload(`Content-Length: ${frames * frame.length}\r\n`, frame, frames, '');
    expect(upload.head).toBe('HTTP/1.1 413 Payload Too Large');
    expect(upload.cut).toBe(true);
    expect(upload.sent).toBeLessThan(frames * frame.length);
  });
});

describe('routes and methods', () => {
  it.each([
    ['GET', '/v1/score', 'POST'],
    ['PUT', '/v1/score', 'POST'],
    ['POST', '/healthz', 'GET, HEAD'],
    ['DELETE', '/metrics', 'GET, HEAD']
  ])('405 for %s %s, with Allow', async (method, route, allow) => {
    const answer = await call(base, method, route);
    expect(answer.status).toBe(405);
    expect(answer.headers.allow).toBe(allow);
    expect(answer.json().error).toMatch(new RegExp(`^${method} is not allowed on ${route}`));
  });

  it.each([
    ['GET //[ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', 'HTTP/1.1 404 Not Found'],
    ['GET http://[ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', 'HTTP/1.1 404 Not Found'],
    ['GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n', 'HTTP/1.1 400 Bad Request'],
    ['HELLO\r\n\r\n', 'HTTP/1.1 400 Bad Request']
  ])('a malformed request (%j) gets an error answer and the server goes on', async (raw, statusLine) => {
    const head = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(new URL(base).port), '127.0.0.1');
      let received = '';
      socket.on('data', (data: Buffer) => (received += data.toString()));
      socket.on('end', () => resolve(received.split('\r\n')[0]));
      socket.on('error', reject);
      socket.end(raw);
    });
    expect(head).toBe(statusLine);
    expect((await call(base, 'GET', '/healthz')).status).toBe(200);
  });

  it('404 for an unknown route', async () => {
    const answer = await call(base, 'GET', '/v2/score');
    expect(answer.status).toBe(404);
    expect(answer.json().error).toMatch(/^no such route \/v2\/score/);
  });
});

describe('failures inside a handler', () => {
  it('become a 500 JSON answer and one log line, and the server goes on serving', async () => {
    // A model that loads but whose trees output NaN: every scoring call fails inside the worker.
    const folder = path.join(dir, 'nan-model');
    mkdirSync(folder, { recursive: true });
    const onnx = ensembleToOnnx(
      {
        nFeatures: 7,
        baseScore: 0,
        trees: [
          {
            feature: Int32Array.from([0, -1, -1]),
            threshold: Float32Array.from([0.5, 0, 0]),
            left: Int32Array.from([1, -1, -1]),
            right: Int32Array.from([2, -1, -1]),
            value: Float64Array.from([0, Number.NaN, Number.NaN]),
            cover: Float64Array.from([2, 1, 1])
          }
        ]
      },
      { inputName: 'features', outputName: 'probability', producer: 'serve-test' }
    );
    writeFileSync(path.join(folder, 'v001.onnx'), onnx);
    writeFileSync(
      path.join(folder, 'v001.card.json'),
      JSON.stringify({
        ...card,
        input_name: 'features',
        output_name: 'probability',
        sha256: createHash('sha256').update(onnx).digest('hex')
      })
    );
    const broken = await startFixture({ models: [folder] });
    try {
      const answer = await call(broken.url, 'POST', '/v1/score', `${HEADER}\n${CALM}\n`, 'text/csv');
      expect(answer.status).toBe(500);
      expect(answer.json()).toEqual({ error: 'internal error while handling the request (logged on the server)', status: 500 });
      expect(broken.stderr().split('\n').filter(Boolean)).toEqual([
        expect.stringMatching(/^\S+ error POST \/v1\/score: .*returned NaN for row 1, not a probability/)
      ]);
      expect((await call(broken.url, 'GET', '/healthz')).status).toBe(200);
      expect((await call(broken.url, 'POST', '/v1/score', `${HEADER}\n${CALM}\n`, 'text/csv')).status).toBe(500);
    } finally {
      expect(await broken.stop()).toBe(0);
    }
  });
});

describe('concurrent requests', () => {
  it('each answer is the one the same request gets alone', async () => {
    const batches = Array.from({ length: 12 }, (_, i) => csvOf(generateFirmwarePatches(30 + i * 7, 100 + i)));
    const together = await Promise.all(batches.map((text) => call(base, 'POST', '/v1/score', text, 'text/csv')));
    for (let i = 0; i < batches.length; i++) {
      const alone = await call(base, 'POST', '/v1/score', batches[i], 'text/csv');
      expect(together[i].status).toBe(200);
      expect(together[i].json()).toEqual(alone.json());
      expect(together[i].json().rows.map((row: { patch_id: string }) => row.patch_id)).toEqual(
        Papa.parse<string[]>(batches[i].trim())
          .data.slice(1)
          .map((r) => r[0])
      );
    }
  });
});

describe('GET /metrics', () => {
  const WINDOW = 40;
  let metricsServer: Running;

  beforeAll(async () => {
    metricsServer = await startFixture({ driftWindow: WINDOW });
  });

  afterAll(async () => {
    await metricsServer.stop();
  });

  it('has no PSI before any row is scored', async () => {
    const text = (await call(metricsServer.url, 'GET', '/metrics')).text;
    expect(text).toContain('# TYPE patch_risk_feature_psi gauge');
    expect(text).not.toMatch(/^patch_risk_feature_psi\{/m);
    expect(sample(text, `patch_risk_drift_window_rows{model="firmware",version="${card.version}"}`)).toBe(0);
  });

  it('counts requests, rows, high-risk rows and decisions, and gives the PSI of the last N rows', async () => {
    const url = metricsServer.url;
    const first = generateFirmwarePatches(30, 11);
    // A shifted batch: every patch a hotfix, far from the training baseline.
    const second = generateFirmwarePatches(30, 12).map((patch) => ({
      ...patch,
      patch_size_mb: patch.patch_size_mb * 8 + 20,
      is_hotfix: 1 as const
    }));
    const a = (await call(url, 'POST', '/v1/score', csvOf(first), 'text/csv')).json();
    const b = (await call(url, 'POST', '/v1/score', JSON.stringify(second), 'application/json')).json();
    expect((await call(url, 'POST', '/v1/score', 'junk', 'text/csv')).status).toBe(400);
    await call(url, 'GET', '/nowhere');

    const answer = await call(url, 'GET', '/metrics');
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = answer.text;
    const labels = `model="firmware",version="${card.version}"`;
    expect(sample(text, `patch_risk_rows_scored_total{${labels}}`)).toBe(60);
    expect(sample(text, `patch_risk_high_risk_rows_total{${labels}}`)).toBe(a.n_high_risk + b.n_high_risk);
    const fails = [a, b].filter((r) => r.decision === 'fail').length;
    expect(sample(text, `patch_risk_decisions_total{${labels},decision="fail"}`) ?? 0).toBe(fails);
    expect(sample(text, `patch_risk_decisions_total{${labels},decision="pass"}`) ?? 0).toBe(2 - fails);
    expect(sample(text, 'patch_risk_http_requests_total{route="/v1/score",method="POST",status="200"}')).toBe(2);
    expect(sample(text, 'patch_risk_http_requests_total{route="/v1/score",method="POST",status="400"}')).toBe(1);
    expect(sample(text, 'patch_risk_http_requests_total{route="unmatched",method="GET",status="404"}')).toBe(1);
    expect(sample(text, 'patch_risk_http_request_duration_seconds_count{route="/v1/score",method="POST",status="200"}')).toBe(2);
    expect(sample(text, `patch_risk_model_info{name="firmware",version="${card.version}",sha256="${card.sha256}"}`)).toBe(1);
    expect(sample(text, `patch_risk_drift_window_rows{${labels}}`)).toBe(WINDOW);

    // The window holds the last 40 rows: the last 10 of the first batch and all of the second.
    const windowRows = [...first.slice(-10), ...second];
    for (const feature of card.features) {
      const baseline = card.baseline.features[feature.name];
      const values = windowRows.map((patch) => Math.fround(Number(patch[feature.name as keyof FirmwarePatch])));
      const got = sample(text, `patch_risk_feature_psi{${labels},feature="${feature.name}"}`);
      expect(got).toBeCloseTo(referencePsi(values, baseline.quantiles, baseline.decile_shares), 9);
    }
    expect(sample(text, `patch_risk_feature_psi{${labels},feature="is_hotfix"}`)).toBeGreaterThan(0.25);
  });
});

describe('patch-risk serve (the built CLI)', () => {
  it('refuses bad options and unknown models with exit 2 and one line', () => {
    const size = spawnSync(process.execPath, [BIN, 'serve', '--body-limit', 'lots'], { encoding: 'utf8' });
    expect(size.status).toBe(2);
    expect(size.stderr).toContain('--body-limit must be a size such as 10mb');
    const unknown = spawnSync(process.execPath, [BIN, 'serve', '--port', '0', '--model', 'router'], { encoding: 'utf8' });
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/^error: unknown model "router"/);
  });

  it('on SIGTERM stops accepting, finishes the in-flight request, then exits 0', async () => {
    const cli = await start([BIN, 'serve', '--port', '0', '--host', '127.0.0.1', '--model', 'firmware']);
    const { url } = cli;

    // The slow request: headers first; `Expect: 100-continue` tells us the server has the request in hand.
    const body = `${HEADER}\n${RISKY}\n${CALM}\n`;
    const req = request(`${url}/v1/score`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/csv', 'Content-Length': Buffer.byteLength(body), Expect: '100-continue' }
    });
    const response = new Promise<Answer>((resolve, reject) => {
      req.on('response', (res) => resolve(answerOf(res)));
      req.on('error', reject);
    });
    await new Promise<void>((resolve) => req.once('continue', () => resolve()));
    req.write(body.slice(0, 20));

    cli.child.kill('SIGTERM');
    await cli.waitFor('stderr', /SIGTERM: no longer accepting connections/);
    await expect(call(url, 'GET', '/healthz')).rejects.toMatchObject({ code: 'ECONNREFUSED' });

    req.end(body.slice(20));
    const answer = await response;
    expect(answer.status).toBe(200);
    expect(answer.json()).toMatchObject({ decision: 'fail', n_high_risk: 1, n_patches: 2 });
    expect(answer.headers.connection).toBe('close');
    expect(await cli.exited).toBe(0);
    expect(cli.stderr()).toContain('patch-risk serve: stopped');
  });
});

describe('one client cannot stall the service', () => {
  /** A big CSV body: seconds of parsing, scoring and serialising. */
  const BIG_ROWS = 100_000;
  let bigBody: string;

  beforeAll(() => {
    bigBody = csvOf(generateFirmwarePatches(BIG_ROWS, 31));
  });

  /** POST with `Expect: 100-continue`: resolves `admitted` once the server has taken the request in hand, then sends the body. */
  function postBig(url: string, route: string, body: string): { admitted: Promise<void>; answer: Promise<Answer> } {
    const req = request(`${url}${route}`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/csv', 'Content-Length': Buffer.byteLength(body), Expect: '100-continue', Connection: 'close' }
    });
    const admitted = new Promise<void>((resolve) => req.once('continue', () => req.end(body, () => resolve())));
    const answer = new Promise<Answer>((resolve, reject) => {
      req.on('response', (res) => resolve(answerOf(res)));
      req.on('error', reject);
    });
    req.flushHeaders();
    return { admitted, answer };
  }

  it('scores off the HTTP thread: /healthz and /metrics answer while a big request is scored', async () => {
    const server = await startFixture({ bodyLimitBytes: 16 * 1024 * 1024, workers: 1, budget: { maxRows: 200_000, maxExplainRows: 1 } });
    try {
      let bigDone = false;
      const big = postBig(server.url, '/v1/score?explain=none', bigBody);
      void big.answer.then(() => (bigDone = true));
      await big.admitted;
      const health = [];
      for (let i = 0; i < 3; i++) health.push(await call(server.url, 'GET', '/healthz'));
      const metrics = await call(server.url, 'GET', '/metrics');
      // Answered while the big request was still being scored (one event loop would have answered them after it).
      expect(bigDone).toBe(false);
      expect(health.map((answer) => answer.status)).toEqual([200, 200, 200]);
      expect(metrics.status).toBe(200);
      const answer = await big.answer;
      expect(answer.status).toBe(200);
      expect(answer.json().n_patches).toBe(BIG_ROWS);
    } finally {
      await server.stop();
    }
  });

  it('admits at most workers + queue scoring requests: the next gets 503 with Retry-After at once, and is served later', async () => {
    const server = await startFixture({
      bodyLimitBytes: 16 * 1024 * 1024,
      workers: 1,
      queue: 0,
      budget: { maxRows: 200_000, maxExplainRows: 1 }
    });
    try {
      const big = postBig(server.url, '/v1/score?explain=none', bigBody);
      await big.admitted;
      const refused = await call(server.url, 'POST', '/v1/score', `${HEADER}\n${CALM}\n`, 'text/csv');
      expect(refused.status).toBe(503);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(refused.json().error).toMatch(
        /^busy: 1 requests are being read or scored, the most this server takes at once \(serve --workers, --queue\); retry later$/
      );
      expect((await call(server.url, 'GET', '/healthz')).status).toBe(200);
      expect((await big.answer).status).toBe(200);
      expect((await call(server.url, 'POST', '/v1/score', `${HEADER}\n${CALM}\n`, 'text/csv')).status).toBe(200);
    } finally {
      await server.stop();
    }
  });

  it('a scoring worker that runs out of memory fails its request with 500 and is replaced', async () => {
    const server = await startFixture({
      bodyLimitBytes: 16 * 1024 * 1024,
      workers: 1,
      workerMemoryMb: 64,
      budget: { maxRows: 200_000, maxExplainRows: 1 }
    });
    try {
      const big = await call(server.url, 'POST', '/v1/score?explain=none', bigBody, 'text/csv');
      expect(big.status).toBe(500);
      expect(big.json().error).toMatch(
        /^internal error: the scoring worker stopped while scoring this request \(out of memory\? see serve --worker-memory\)/
      );
      expect((await call(server.url, 'GET', '/healthz')).status).toBe(200);
      expect((await call(server.url, 'POST', '/v1/score', `${HEADER}\n${CALM}\n`, 'text/csv')).status).toBe(200);
    } finally {
      await server.stop();
    }
  });

  it('holds each request to its row budget (413) and its explanation budget (422; explain=auto explains none and says so)', async () => {
    const server = await startFixture({ budget: { maxRows: 5, maxExplainRows: 3 } });
    try {
      const six = csvOf(generateFirmwarePatches(6, 41));
      const tooMany = await call(server.url, 'POST', '/v1/score?explain=none', six, 'text/csv');
      expect(tooMany.status).toBe(413);
      expect(tooMany.json().error).toBe(
        "body: 6 rows, more than this server's limit of 5 rows per request (serve --max-rows); send them in smaller requests"
      );

      const five = csvOf(generateFirmwarePatches(5, 42));
      const all = await call(server.url, 'POST', '/v1/score?explain=all', five, 'text/csv');
      expect(all.status).toBe(422);
      expect(all.json().error).toMatch(
        /^query: explain=all on 5 rows \(\d+ High\) asks for \d+ row explanations \(reasons, plus what-if suggestions for High rows\), more than this server's limit of 3 per request \(serve --max-explain-rows\); use explain=auto or explain=none, or send fewer rows$/
      );
      const auto = await call(server.url, 'POST', '/v1/score', five, 'text/csv');
      expect(auto.status).toBe(200);
      expect(auto.json().explain_limited).toMatch(/^explain=auto on 5 rows .* \(serve --max-explain-rows\): no rows were explained$/);
      expect(auto.json().rows).toEqual((await call(server.url, 'POST', '/v1/score?explain=none', five, 'text/csv')).json().rows);
      expect(auto.json().rows.some((row: { reason_1?: string }) => row.reason_1)).toBe(false);
    } finally {
      await server.stop();
    }
  });

  /** A raw connection sending `text` one character every `everyMs` (nothing when empty); resolves what the server sent before closing it. */
  function trickle(url: string, text: string, everyMs: number): Promise<string> {
    return new Promise((resolve) => {
      const socket = connect(Number(new URL(url).port), '127.0.0.1');
      let received = '';
      let sent = 0;
      const timer = setInterval(() => {
        if (sent < text.length && socket.writable) socket.write(text[sent++]);
      }, everyMs);
      socket.on('data', (data: Buffer) => (received += data.toString()));
      socket.on('error', () => undefined);
      socket.on('close', () => {
        clearInterval(timer);
        resolve(received);
      });
    });
  }

  it('closes connections that send nothing, headers too slowly, or a body too slowly (serve --headers-timeout, --request-timeout)', async () => {
    const cli = await start([BIN, 'serve', '--port', '0', '--host', '127.0.0.1', '--headers-timeout', '1', '--request-timeout', '2']);
    try {
      const silent = trickle(cli.url, '', 100);
      const slowHeaders = trickle(cli.url, `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Padding: ${'a'.repeat(200)}\r\n\r\n`, 100);
      const slowBody = trickle(
        cli.url,
        `POST /v1/score HTTP/1.1\r\nHost: x\r\nContent-Type: text/csv\r\nContent-Length: 10000\r\n\r\n${HEADER}\n${CALM}\n`.padEnd(
          400,
          ' '
        ),
        5
      );
      // Each is answered 408 and cut by the server (this test would time out otherwise).
      expect(await silent).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
      expect(await slowHeaders).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
      expect(await slowBody).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
      expect((await call(cli.url, 'GET', '/healthz')).status).toBe(200);
    } finally {
      await cli.stop();
    }
  }, 60000);

  it('refuses bad limits and timeouts with exit 2', () => {
    for (const [flag, value, message] of [
      ['--workers', '0', '--workers must be >= 1.'],
      ['--max-rows', 'many', '--max-rows must be a number.'],
      ['--headers-timeout', '0', '--headers-timeout must be a number of seconds > 0.'],
      ['--idle-timeout', '0x10', '--idle-timeout must be a number.']
    ]) {
      const run = spawnSync(process.execPath, [BIN, 'serve', '--port', '0', flag, value], { encoding: 'utf8' });
      expect(run.status).toBe(2);
      expect(run.stderr).toContain(message);
    }
  });
});

describe('csvRowsAtLeast (the row budget before parsing)', () => {
  const rows = (text: string): number => csvRowsAtLeast(Buffer.from(text));

  it('counts the records after the header, whatever the line ends, skipping empty lines and line breaks inside quotes', () => {
    expect(rows('')).toBe(0);
    expect(rows(`${HEADER}\n`)).toBe(0);
    expect(rows(`${HEADER}\n${CALM}\n${RISKY}`)).toBe(2);
    expect(rows(`${HEADER}\r\n${CALM}\r\n\r\n\r\n${RISKY}\r\n`)).toBe(2);
    expect(rows(`${HEADER}\r${CALM}\r${RISKY}\r`)).toBe(2);
    expect(rows(`${HEADER},note\n${CALM},"two\nlines"\n${RISKY},"x\r\n""y"""\n`)).toBe(2);
    // Lines of blanks and commas are not counted: a lower bound, never above what the reader finds.
    expect(rows(`${HEADER}\n${CALM}\n ,, \n`)).toBe(1);
  });

  it('finds every row of generated bodies', () => {
    expect(rows(csvOf(generateFirmwarePatches(500, 51)))).toBe(500);
  });
});
