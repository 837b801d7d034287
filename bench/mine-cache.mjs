// History state cache: a PR-sized range mined cold (no cached state) against warm (a cached
// state at the base's parent), whole `patch-risk mine` processes, and the outputs compared.
//   npx tsc -p tsconfig.build.json && node bench/mine-cache.mjs --repo DIR [--head REV] [--range-size 20] [--runs 3]
// The range is BASE..HEAD with BASE = HEAD~<range-size> (first parents). "Cold" mines it with an
// empty --cache directory: the whole history is replayed (and the state saved at BASE, as the
// action does on a cache miss). "Warm" starts from a state saved at BASE~1, copied afresh for
// each run, so it replays BASE and the range (and saves the state at BASE again).
// Checks: the warm CSV equals the cold CSV byte for byte, and the state the warm run saves at
// BASE equals the one the cold run saved, byte for byte (decompressed).
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const repo = arg('--repo');
if (!repo) {
  console.error('usage: node bench/mine-cache.mjs --repo DIR [--head REV] [--range-size 20] [--runs 3]');
  process.exit(2);
}
const SIZE = Number(arg('--range-size', '20'));
const RUNS = Number(arg('--runs', '3'));
const BIN = resolve(fileURLToPath(import.meta.url), '../../lib/cli/bin.js');
const CACHE_FILE = 'history-state.json.gz';

const git = (args) => execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8' }).trim();
const head = git(['rev-parse', `${arg('--head', 'HEAD')}^{commit}`]);
const base = git(['rev-parse', `${head}~${SIZE}`]);
const parent = git(['rev-parse', `${base}~1`]);
const inRange = Number(git(['rev-list', '--count', `${base}..${head}`]));
const total = Number(git(['rev-list', '--count', head]));
const work = mkdtempSync(join(tmpdir(), 'patch-risk-bench-cache-'));

/** Run `patch-risk mine`; wall seconds of the whole process. */
function mine(range, cacheDir, out) {
  const started = process.hrtime.bigint();
  const r = spawnSync(
    process.execPath,
    [BIN, 'mine', '--repo', repo, '--range', range, '--cache', cacheDir, '--out', out, '--no-progress'],
    {
      encoding: 'utf8'
    }
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (r.status !== 0) throw new Error(`mine ${range} failed: ${r.stderr}`);
  return { seconds, stderr: r.stderr.trim() };
}
const state = (dir) => gunzipSync(readFileSync(join(dir, CACHE_FILE))).toString('utf8');
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

try {
  process.stderr.write(`preparing a cached state at ${parent.slice(0, 12)} (a full replay)...\n`);
  const prepared = join(work, 'prepared');
  mine(`${parent}..${parent}`, prepared, join(work, 'prepared.csv'));

  process.stderr.write('cold run...\n');
  const coldCache = join(work, 'cold-cache');
  const cold = mine(`${base}..${head}`, coldCache, join(work, 'cold.csv'));
  const coldCsv = readFileSync(join(work, 'cold.csv'), 'utf8');

  const warm = [];
  const warmCpu = [];
  let identicalRows = true;
  let identicalState = true;
  let note = '';
  for (let r = 0; r < RUNS; r++) {
    process.stderr.write(`warm run ${r + 1}/${RUNS}...\n`);
    const cacheDir = join(work, `warm-${r}`);
    cpSync(prepared, cacheDir, { recursive: true });
    const run = mine(`${base}..${head}`, cacheDir, join(work, 'warm.csv'));
    warm.push(run.seconds);
    warmCpu.push(run.cpu);
    note = run.stderr.split('\n').find((l) => l.includes('cache:')) ?? '';
    identicalRows &&= readFileSync(join(work, 'warm.csv'), 'utf8') === coldCsv;
    identicalState &&= state(cacheDir) === state(coldCache);
  }
  const tWarm = median(warm);
  const cWarm = median(warmCpu);
  console.log(`repository: ${repo} (${total} commits reachable from HEAD ${head.slice(0, 12)})`);
  console.log(
    `range: ${base.slice(0, 12)}..${head.slice(0, 12)} (${inRange} commits; BASE = HEAD~${SIZE}), cached state at BASE~1 ${parent.slice(0, 12)}`
  );
  console.log(`warm run said: ${note}`);
  console.log(`cache file: ${(statSync(join(coldCache, CACHE_FILE)).size / 2 ** 20).toFixed(1)} MB gzip`);
  console.log('');
  console.log(`| run (whole patch-risk mine process) | seconds | CPU seconds | vs warm |`);
  console.log('|---|---|---|---|');
  console.log(
    `| cold: no cached state (replays all ${total} commits, saves the state at BASE) | ${cold.seconds.toFixed(2)} | ${cold.cpu.toFixed(2)} | ${(cold.seconds / tWarm).toFixed(1)}x |`
  );
  console.log(
    `| warm: cached state at BASE~1 (median of ${RUNS}: ${warm.map((s) => s.toFixed(2)).join(', ')}) | ${tWarm.toFixed(2)} | ${cWarm.toFixed(2)} | 1.0x |`
  );
  console.log('');
  console.log(`rows identical (warm CSV = cold CSV, byte for byte): ${identicalRows ? 'yes' : 'NO'}`);
  console.log(`saved state identical (warm = cold, decompressed, byte for byte): ${identicalState ? 'yes' : 'NO'}`);
  console.log(
    `target: warm >= 20x faster than cold -> ${cold.seconds / tWarm >= 20 ? 'met' : 'NOT met'} (${(cold.seconds / tWarm).toFixed(1)}x)`
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
