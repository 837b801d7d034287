// A pull request's whole gate run, cold against warm (issue 13 §4): `patch-risk gate --commits
// BASE..HEAD --cache DIR` as the action runs it in commit mode (mine, score with jit, set the
// alert budget on the last 2,000 commits, explain, render, write the scored CSV), one process each.
//   npm run build && nice node bench/mine-cache-pr.mjs --repo DIR [--head REV] [--range-size 20] [--runs 3]
// DIR is a git repository (a bare mirror is cloned to a temporary one first, so nothing is written
// to it). BASE = HEAD~<range-size> (first parents). "Cold": an empty cache directory, so the whole
// history is replayed (and the state saved at BASE, as the action does after a cache miss). "Warm":
// a state saved at BASE~1 (the newest state of the base branch when the last PR merged), copied
// afresh for each run, so BASE and the range are replayed.
// Checks: the scored CSV of every warm run equals the cold one byte for byte (metrics, scores,
// percentiles, reasons), and the state each warm run saves at BASE equals the cold run's.
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
const source = arg('--repo');
if (!source) {
  console.error('usage: node bench/mine-cache-pr.mjs --repo DIR [--head REV] [--range-size 20] [--runs 3]');
  process.exit(2);
}
const SIZE = Number(arg('--range-size', '20'));
const RUNS = Number(arg('--runs', '3'));
const BIN = resolve(fileURLToPath(import.meta.url), '../../lib/cli/bin.js');
const CACHE_FILE = 'history-state.json.gz';
const work = mkdtempSync(join(tmpdir(), 'patch-risk-bench-pr-'));

const gitIn = (dir, args) => execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8' }).trim();
// A local clone shares the objects by hard links: seconds, and the source is only read.
const repo = join(work, 'repo');
execFileSync('git', ['clone', '-q', '--no-checkout', resolve(source), repo]);
const git = (args) => gitIn(repo, args);
const head = git(['rev-parse', `${arg('--head', 'HEAD')}^{commit}`]);
const base = git(['rev-parse', `${head}~${SIZE}`]);
const parent = git(['rev-parse', `${base}~1`]);
const inRange = Number(git(['rev-list', '--count', `${base}..${head}`]));
const total = Number(git(['rev-list', '--count', head]));

/** One whole CLI process; wall seconds. Exit 0 (pass) and 1 (fail) are both verdicts. */
function cli(args, what) {
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd: work, maxBuffer: 64 * 2 ** 20 });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (r.status !== 0 && r.status !== 1) throw new Error(`${what} exited ${r.status}: ${r.stderr}`);
  return { seconds, stdout: r.stdout, stderr: r.stderr };
}
const gate = (cacheDir, out) =>
  cli(['gate', '--commits', `${base}..${head}`, '--repo', repo, '--cache', cacheDir, '--out', out, '--format', 'json'], 'gate');
const state = (dir) => gunzipSync(readFileSync(join(dir, CACHE_FILE))).toString('utf8');
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

try {
  process.stderr.write(`preparing a cached state at BASE~1 ${parent.slice(0, 12)} (a full replay)...\n`);
  const prepared = join(work, 'prepared');
  cli(
    ['mine', '--repo', repo, '--range', `${parent}..${parent}`, '--cache', prepared, '--out', join(work, 'prepared.csv'), '--no-progress'],
    'mine'
  );

  process.stderr.write('cold run...\n');
  const coldCache = join(work, 'cold-cache');
  const cold = gate(coldCache, join(work, 'cold.scored.csv'));
  const coldCsv = readFileSync(join(work, 'cold.scored.csv'), 'utf8');

  const warm = [];
  let identicalRows = true;
  let identicalState = true;
  let note = '';
  for (let r = 0; r < RUNS; r++) {
    process.stderr.write(`warm run ${r + 1}/${RUNS}...\n`);
    const cacheDir = join(work, `warm-${r}`);
    cpSync(prepared, cacheDir, { recursive: true });
    const run = gate(cacheDir, join(work, 'warm.scored.csv'));
    warm.push(run.seconds);
    note = `${run.stdout}\n${run.stderr}`.split('\n').find((l) => l.includes('history cache')) ?? '';
    identicalRows &&= readFileSync(join(work, 'warm.scored.csv'), 'utf8') === coldCsv;
    identicalState &&= state(cacheDir) === state(coldCache);
  }
  const tWarm = median(warm);
  const ratio = cold.seconds / tWarm;
  console.log(`repository: ${source} (${total} commits reachable from ${head.slice(0, 12)})`);
  console.log(
    `range: ${base.slice(0, 12)}..${head.slice(0, 12)} (${inRange} commits; BASE = HEAD~${SIZE}), cached state at BASE~1 ${parent.slice(0, 12)}`
  );
  console.log(`warm run said: ${note.trim()}`);
  console.log(`cache file: ${(statSync(join(coldCache, CACHE_FILE)).size / 2 ** 20).toFixed(1)} MB gzip`);
  console.log('');
  console.log('| run (whole `patch-risk gate --commits BASE..HEAD --cache DIR` process) | seconds | vs warm |');
  console.log('|---|---|---|');
  console.log(
    `| cold: empty cache (replays all ${total} commits, saves the state at BASE) | ${cold.seconds.toFixed(2)} | ${ratio.toFixed(1)}x |`
  );
  console.log(`| warm: state at BASE~1 (median of ${RUNS}: ${warm.map((s) => s.toFixed(2)).join(', ')}) | ${tWarm.toFixed(2)} | 1.0x |`);
  console.log('');
  console.log(`scored CSV identical (every warm run = cold, byte for byte): ${identicalRows ? 'yes' : 'NO'}`);
  console.log(`saved state at BASE identical (warm = cold, decompressed, byte for byte): ${identicalState ? 'yes' : 'NO'}`);
  console.log(`target: warm >= 20x faster than cold -> ${ratio >= 20 ? 'met' : 'NOT met'} (${ratio.toFixed(1)}x)`);
  if (!identicalRows || !identicalState) process.exitCode = 1;
} finally {
  rmSync(work, { recursive: true, force: true });
}
