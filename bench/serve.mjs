// `patch-risk serve` throughput and latency for 100-row requests, with autocannon on 127.0.0.1.
//   npm run build && node bench/serve.mjs [--duration 10] [--connections 10] [--rows 100]
//
// Starts the built CLI (`serve --port 0`, the shipped firmware model) as its own process and runs
// each scenario for --duration seconds with --connections keep-alive connections:
//   GET /healthz                      the HTTP floor: node:http + routing + metrics, no scoring
//   POST /v1/score?explain=none       100 CSV rows: parse, validate, score (onnxruntime), plan, JSON out
//   POST /v1/score                    the same with the default reasons (TreeSHAP for every row)
//   POST /v1/score (JSON body)        100 JSON rows, default reasons
// plus an in-process baseline: the same 100 rows through the library (parse → score → plan →
// reasons → JSON) one after another in this process, no HTTP. Prints requests/s, p50 and p99
// latency, and ratios against /healthz and against the in-process baseline.
// Every scenario must answer 200 only; a non-2xx or socket error fails the run.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import Papa from 'papaparse';
import { explainScored, generateFirmwarePatches, loadModelByName, parsePatchText, scoreTable, scoredRows, toJsonRows } from '../lib/index.js';

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

/** The library doing one request's work, back to back, for DURATION seconds. */
async function inProcess() {
  const model = await loadModelByName('firmware');
  const card = model.card;
  const latencies = [];
  const end = performance.now() + DURATION * 1000;
  while (performance.now() < end) {
    const started = performance.now();
    const table = parsePatchText(csv, 'body', 'csv', { features: card.features, idColumn: card.id_column, label: card.label });
    const result = await explainScored(await scoreTable(table, model), model, 'auto');
    JSON.stringify(toJsonRows(scoredRows(result)));
    latencies.push(performance.now() - started);
  }
  latencies.sort((a, b) => a - b);
  const at = (p) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))];
  await model.session.release();
  return { name: `in-process, ${ROWS} rows + reasons (1 at a time)`, rps: latencies.length / DURATION, p50: at(0.5), p99: at(0.99), total: latencies.length };
}

const { child, url } = await startServer();
const results = [];
try {
  const csvHeaders = { 'content-type': 'text/csv' };
  results.push(await load('GET /healthz', `${url}/healthz`));
  results.push(await load(`POST /v1/score ${ROWS} CSV rows, explain=none`, `${url}/v1/score?explain=none`, { method: 'POST', headers: csvHeaders, body: csv }));
  results.push(await load(`POST /v1/score ${ROWS} CSV rows (+ reasons)`, `${url}/v1/score`, { method: 'POST', headers: csvHeaders, body: csv }));
  results.push(await load(`POST /v1/score ${ROWS} JSON rows (+ reasons)`, `${url}/v1/score`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: json }));
} finally {
  child.kill('SIGTERM');
}
const baseline = await inProcess();
results.push(baseline);

const health = results[0];
const pad = (text, width) => String(text).padEnd(width);
const num = (value, digits) => value.toFixed(digits).padStart(9);
console.log(`\npatch-risk serve, ${CONNECTIONS} connections, ${DURATION} s per scenario, node ${process.version}\n`);
console.log(`${pad('scenario', 46)}      req/s   p50 ms   p99 ms   vs healthz   vs in-process`);
for (const r of results) {
  console.log(
    `${pad(r.name, 46)} ${num(r.rps, 0)} ${num(r.p50, 2)} ${num(r.p99, 2)}   ${num(r.rps / health.rps, 3)}x   ${num(r.rps / baseline.rps, 2)}x`
  );
}
