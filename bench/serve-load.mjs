// `patch-risk serve` under hostile load (issue 17 item 7): does one client stall the service?
//   npm run build && node bench/serve-load.mjs [--bin lib/cli/bin.js] [--scenarios big,auto,four,idle,slow]
//                                             [--rows 272000] [--idle 600] [--idle-wait 330] [-- <extra serve flags>]
//
// Starts `serve --port 0` (the built CLI, or another build given by --bin, e.g. an older one to compare)
// with the shipped firmware model, once per scenario, and while each runs polls GET /healthz every 50 ms
// over a fresh connection from a separate process (so the load this script makes does not delay the
// probe), samples the server's RSS (the process and its threads) every 50 ms, and at the end reads the
// server's own event-loop delay from /metrics (prom-client's nodejs_eventloop_lag_*, when it has them):
//   quiet   nothing but the probe for 10 s: the floor the machine gives (the baseline for the rows below)
//   big     one ~10 MB CSV (--rows rows) with ?explain=all
//   auto    the same body with the default explain (auto)
//   four    four such requests (?explain=all) at once
//   idle    --idle TCP connections that never send a byte: how long until the server closes them
//   slow    20 clients sending request headers one byte every 2 s (slowloris): how long until cut
// Prints, per scenario: the answers (status and seconds), /healthz latency (p50, p99, max), the server's
// event-loop delay (p99, max), the CPU time its main (HTTP) thread used (from /proc: the work that can
// delay /healthz, whatever else the machine runs), the peak RSS, and for idle/slow the seconds until the server closed the
// connections (median, max; "open" when still open after --idle-wait seconds).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Papa from 'papaparse';
import { generateFirmwarePatches } from '../lib/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const dashes = argv.indexOf('--');
const own = dashes < 0 ? argv : argv.slice(0, dashes);
const extra = dashes < 0 ? [] : argv.slice(dashes + 1);
const arg = (name, fallback) => {
  const i = own.indexOf(name);
  return i >= 0 ? own[i + 1] : fallback;
};
const BIN = path.resolve(arg('--bin', path.join(root, 'lib/cli/bin.js')));
const ROWS = Number(arg('--rows', 272000));
const IDLE = Number(arg('--idle', 600));
const IDLE_WAIT_S = Number(arg('--idle-wait', 330));
const SCENARIOS = arg('--scenarios', 'quiet,big,auto,four,idle,slow').split(',');

const body = Papa.unparse(generateFirmwarePatches(ROWS, 2027), { newline: '\n' }) + '\n';

function startServer() {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--host', '127.0.0.1', ...extra], {
    stdio: ['ignore', 'pipe', 'pipe']
  });
  child.stderr.on('data', () => undefined);
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (data) => {
      out += data;
      const match = /listening on (http:\/\/127\.0\.0\.1:(\d+))/.exec(out);
      if (match) resolve({ child, url: match[1], port: Number(match[2]) });
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code} before listening`)));
  });
}

/** CPU seconds (user + system) the process's main thread (the HTTP thread) has used, from /proc. */
function mainThreadCpu(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/task/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    // utime and stime are fields 14 and 15 of stat, in clock ticks (USER_HZ, 100 on Linux).
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

/** RSS of the process (all its threads) in MB, from /proc. */
function rssMb(pid) {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8')
      .split('\n')
      .find((l) => l.startsWith('VmRSS:'));
    return Number(line.split(/\s+/)[1]) / 1024;
  } catch {
    return 0;
  }
}

function post(url, route, text) {
  const started = performance.now();
  return new Promise((resolve) => {
    const req = request(`${url}${route}`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv', 'content-length': Buffer.byteLength(text), connection: 'close' }
    });
    req.on('response', (res) => {
      let size = 0;
      res.on('data', (chunk) => (size += chunk.length));
      res.on('end', () => resolve({ status: res.statusCode, seconds: (performance.now() - started) / 1000, bytes: size }));
    });
    req.on('error', (error) => resolve({ status: error.code, seconds: (performance.now() - started) / 1000, bytes: 0 }));
    req.end(text);
  });
}

/** The /healthz probe, in its own process: polls until its stdin closes, then prints the latencies (ms) as JSON. */
const PROBE = `
  const http = require('node:http');
  const latencies = [];
  let done = false;
  process.stdin.on('end', () => (done = true)).resume();
  const once = () => new Promise((resolve) => {
    const started = performance.now();
    const req = http.request(process.argv[1] + '/healthz', { headers: { connection: 'close' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(performance.now() - started));
    });
    req.on('error', () => resolve(Infinity));
    req.end();
  });
  (async () => {
    while (!done) {
      latencies.push(await once());
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    process.stdout.write(JSON.stringify(latencies));
  })();
`;

/** Metric values from /metrics, by name (first sample). */
async function scrape(url, names) {
  const text = await new Promise((resolve) => {
    const req = request(`${url}/metrics`, { headers: { connection: 'close' } }, (res) => {
      let body = '';
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve(body));
    });
    req.on('error', () => resolve(''));
    req.end();
  });
  return Object.fromEntries(names.map((name) => [name, Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text)?.[1])]));
}

/** Probe /healthz (from another process) and sample the RSS until `work` settles. */
async function underLoad(server, work) {
  const probe = spawn(process.execPath, ['-e', PROBE, server.url], { stdio: ['pipe', 'pipe', 'inherit'] });
  let probeOut = '';
  probe.stdout.on('data', (data) => (probeOut += data));
  const probed = new Promise((resolve) => probe.once('exit', resolve));
  let peak = rssMb(server.child.pid);
  const cpuBefore = mainThreadCpu(server.child.pid);
  const sampler = setInterval(() => (peak = Math.max(peak, rssMb(server.child.pid))), 50);
  const result = await work;
  const httpCpuMs = (mainThreadCpu(server.child.pid) - cpuBefore) * 1000;
  probe.stdin.end();
  await probed;
  clearInterval(sampler);
  const latencies = JSON.parse(probeOut || '[]').map((v) => (v === null ? Infinity : v));
  latencies.sort((a, b) => a - b);
  const at = (p) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))];
  const lag = await scrape(server.url, ['nodejs_eventloop_lag_p99_seconds', 'nodejs_eventloop_lag_max_seconds']);
  return {
    result,
    health: { n: latencies.length, p50: at(0.5), p99: at(0.99), max: latencies[latencies.length - 1] },
    lag: { p99: lag.nodejs_eventloop_lag_p99_seconds * 1000, max: lag.nodejs_eventloop_lag_max_seconds * 1000 },
    httpCpuMs,
    peak
  };
}

/** Open `n` connections that send `drip` (one byte every 2 s, or nothing); resolve the seconds until each is closed. */
function hold(port, n, drip, waitS) {
  return Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise((resolve) => {
          const started = performance.now();
          const socket = connect(port, '127.0.0.1');
          let timer;
          let sent = 0;
          const text = 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ' + 'a'.repeat(200);
          const finish = (value) => {
            clearInterval(timer);
            clearTimeout(limit);
            socket.destroy();
            resolve(value);
          };
          const limit = setTimeout(() => finish(Infinity), waitS * 1000);
          socket.on('close', () => finish((performance.now() - started) / 1000));
          socket.on('error', () => undefined);
          socket.on('data', () => undefined);
          if (drip) timer = setInterval(() => socket.writable && socket.write(text[sent++ % text.length]), 2000);
        })
    )
  );
}

const fmt = (ms) => (Number.isFinite(ms) ? ms.toFixed(1) : 'none');
const secs = (s) => (Number.isFinite(s) ? s.toFixed(1) : 'open');
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

for (const scenario of SCENARIOS) {
  const server = await startServer();
  try {
    let line;
    if (scenario === 'quiet') {
      const { health, lag, httpCpuMs, peak } = await underLoad(server, new Promise((resolve) => setTimeout(resolve, 10_000)));
      line = { scenario, answers: 'no requests for 10 s', health, lag, httpCpuMs, peak };
    } else if (scenario === 'big' || scenario === 'auto' || scenario === 'four') {
      const route = scenario === 'auto' ? '/v1/score' : '/v1/score?explain=all';
      const count = scenario === 'four' ? 4 : 1;
      const { result, health, lag, httpCpuMs, peak } = await underLoad(
        server,
        Promise.all(Array.from({ length: count }, () => post(server.url, route, body)))
      );
      const answers = result.map((r) => `${r.status} in ${r.seconds.toFixed(1)} s`).join(', ');
      line = { scenario, answers, health, lag, httpCpuMs, peak };
    } else if (scenario === 'idle' || scenario === 'slow') {
      const n = scenario === 'idle' ? IDLE : 20;
      const { result, health, lag, httpCpuMs, peak } = await underLoad(server, hold(server.port, n, scenario === 'slow', IDLE_WAIT_S));
      const open = result.filter((s) => !Number.isFinite(s)).length;
      const answers =
        `${n} connections: closed after median ${secs(median(result))} s, max ${secs(Math.max(...result))} s` +
        (open > 0 ? ` (${open} still open after ${IDLE_WAIT_S} s)` : '');
      line = { scenario, answers, health, lag, httpCpuMs, peak };
    } else throw new Error(`unknown scenario ${scenario}`);
    console.log(
      `${line.scenario.padEnd(6)} ${line.answers}\n       /healthz during it: ${line.health.n} polls, p50 ${fmt(line.health.p50)} ms, ` +
        `p99 ${fmt(line.health.p99)} ms, max ${fmt(line.health.max)} ms; server event-loop delay p99 ${fmt(line.lag.p99)} ms, ` +
        `max ${fmt(line.lag.max)} ms; HTTP thread CPU ${fmt(line.httpCpuMs)} ms; peak RSS ${line.peak.toFixed(0)} MB`
    );
  } finally {
    server.child.kill('SIGKILL');
  }
}
console.log(
  `\nserve: ${path.relative(root, BIN)} ${extra.join(' ')}; body ${(body.length / 1e6).toFixed(2)} MB, ${ROWS} rows; node ${process.version}`
);
