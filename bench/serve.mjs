// `patch-risk serve` throughput and latency for 100-row requests, with autocannon on 127.0.0.1.
//   npm run build && node bench/serve.mjs [--duration 10] [--connections 10] [--rows 100]
//
// Starts the built CLI (`serve --port 0`, the shipped firmware model) as its own process and runs
// each scenario for --duration seconds with --connections keep-alive connections:
//   GET /healthz                      the HTTP floor: node:http + routing + metrics, no scoring
//   POST /v1/score?explain=none       100 CSV rows: parse, validate, score (onnxruntime), plan, JSON out
//   POST /v1/score                    the same with the default reasons (TreeSHAP for every row)
//   POST /v1/score (JSON body)        100 JSON rows, default reasons
// plus in-process baselines: the same 100 rows through the library (parse → score → plan →
// reasons when asked → JSON), one after another in this process, no HTTP, with explain=none and
// explain=auto. Prints requests/s, p50 and p99 latency, the ratio to /healthz and the ratio to the
// in-process run doing the same work (above 1: the server's concurrency beats one-at-a-time).
// Every scenario must answer 200 only; a non-2xx or socket error fails the run.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import Papa from 'papaparse';
import {
  explainScored,
  generateFirmwarePatches,
  loadModelByName,
  parsePatchText,
  scoreTable,
  scoredRows,
  toJsonRows
} from '../lib/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'lib/cli/bin.js');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const DURATION = arg('--duration', 10);
const CONNECTIONS = arg('--connections', 10);
const ROWS = arg('--rows', 100);

const patches = generateFirmwarePatches(ROWS, 2027);
const csv = Papa.unparse(patches, { newline: '\n' }) + '\n';
const json = JSON.stringify(patches);

function startServer() {
  const child = spawn(process.execPath, [bin, 'serve', '--port', '0', '--host', '127.0.0.1'], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (data) => {
      out += data;
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (match) resolve({ child, url: match[1] });
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code} before listening`)));
  });
}

async function load(name, url, options = {}) {
  const result = await autocannon({ url, connections: CONNECTIONS, duration: DURATION, ...options });
  if (result.non2xx > 0 || result.errors > 0 || result.timeouts > 0) {
    throw new Error(`${name}: ${result.non2xx} non-2xx answers, ${result.errors} errors, ${result.timeouts} timeouts`);
  }
  return { name, rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, total: result.requests.total };
}

/** The library doing one request's work (parse → score → plan → reasons → JSON), back to back, for DURATION seconds. */
async function inProcess(model, explain) {
  const card = model.card;
  const latencies = [];
  const end = performance.now() + DURATION * 1000;
  while (performance.now() < end) {
    const started = performance.now();
    const table = parsePatchText(csv, 'body', 'csv', { features: card.features, idColumn: card.id_column, label: card.label });
    const result = await explainScored(await scoreTable(table, model), model, explain);
    JSON.stringify(toJsonRows(scoredRows(result)));
    latencies.push(performance.now() - started);
  }
  latencies.sort((a, b) => a - b);
  const at = (p) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))];
  return {
    name: `in-process ${ROWS} CSV rows, explain=${explain}`,
    rps: latencies.length / DURATION,
    p50: at(0.5),
    p99: at(0.99),
    total: latencies.length
  };
}

const { child, url } = await startServer();
const http = [];
try {
  const csvHeaders = { 'content-type': 'text/csv' };
  http.push({ ...(await load('GET /healthz', `${url}/healthz`)), baseline: undefined });
  http.push({
    ...(await load(`POST /v1/score ${ROWS} CSV rows, explain=none`, `${url}/v1/score?explain=none`, {
      method: 'POST',
      headers: csvHeaders,
      body: csv
    })),
    baseline: 'none'
  });
  http.push({
    ...(await load(`POST /v1/score ${ROWS} CSV rows, explain=auto`, `${url}/v1/score`, { method: 'POST', headers: csvHeaders, body: csv })),
    baseline: 'auto'
  });
  http.push({
    ...(await load(`POST /v1/score ${ROWS} JSON rows, explain=auto`, `${url}/v1/score`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: json
    })),
    baseline: 'auto'
  });
} finally {
  child.kill('SIGTERM');
}
// The baselines run after the server has stopped, so they do not compete with it for the CPU.
const model = await loadModelByName('firmware');
const baselines = { none: await inProcess(model, 'none'), auto: await inProcess(model, 'auto') };
await model.release();

const health = http[0];
const pad = (text, width) => String(text).padEnd(width);
const num = (value, digits) => value.toFixed(digits).padStart(8);
console.log(
  `\npatch-risk serve, ${CONNECTIONS} connections, ${DURATION} s per scenario, node ${process.version} (autocannon latencies are whole ms)\n`
);
console.log(`${pad('scenario', 44)}    req/s   p50 ms   p99 ms   vs healthz   vs in-process (same work)`);
for (const r of [...http, baselines.none, baselines.auto]) {
  const base = r.baseline ? baselines[r.baseline] : undefined;
  const vsBase = base ? `${num(r.rps / base.rps, 2)}x` : '        -';
  console.log(`${pad(r.name, 44)} ${num(r.rps, 0)} ${num(r.p50, 2)} ${num(r.p99, 2)}   ${num(r.rps / health.rps, 4)}x   ${vsBase}`);
}
