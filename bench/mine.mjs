// Miner speed and memory against plain `git log --numstat` over the same history.
//   npx tsc -p tsconfig.build.json && node bench/mine.mjs [--repo DIR] [--commits 20000] [--runs 3]
// Without --repo, a repository of --commits generated commits (60 authors, ~3,000 files in
// 24 top-level directories, renames, deletions, binary files, fix messages) is built once
// with `git fast-import` and cached under /tmp/patch-risk-bench-<commits>.
// Times (median of --runs, alternating): plain `git log --numstat` (the baseline), the main
// git command the miner runs (raw + numstat diffs of the planned commits) with output
// discarded, and the miner (plan + parse + metrics + CSV formatting). Peak memory (maxRSS of
// the node process, git not included) is measured in child processes that mine the first half
// of the history and all of it, and the live heap after a forced GC at each quarter of the
// history: with a bounded set of files and authors neither should grow with commits.
import { spawn } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { commitCsvRows } from '../lib/git/csv.js';
import { mineCommits } from '../lib/git/mine.js';
import { LOG_ARGS } from '../lib/git/replay.js';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const SELF = fileURLToPath(import.meta.url);

// Child mode: mine HEAD (or a range), print rows and peak RSS as JSON.
if (process.argv.includes('--child')) {
  const repo = arg('--repo');
  const range = arg('--range');
  const every = Number(arg('--heap-every', '0'));
  let rows = 0;
  const heap = [];
  let batch = [];
  // Live heap after a full GC every `every` commits: the miner's state, not garbage waiting to be collected.
  const onProgress = ({ replayed }) => {
    if (every > 0 && replayed % every === 0) {
      globalThis.gc();
      heap.push([replayed, process.memoryUsage().heapUsed / 2 ** 20]);
    }
  };
  for await (const row of mineCommits({ repo, range, onProgress })) {
    batch.push(row);
    rows++;
    if (batch.length === 256) {
      commitCsvRows(batch);
      batch = [];
    }
  }
  process.stdout.write(JSON.stringify({ rows, maxRssMb: process.resourceUsage().maxRSS / 1024, heap }));
  process.exit(0);
}

const COMMITS = Number(arg('--commits', '20000'));
const RUNS = Number(arg('--runs', '3'));

function git(repo, args) {
  return execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 }).trim();
}

/** Deterministic LCG so the cached repository is the same every time. */
function rng(seed) {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

async function generateRepo(dir, commits) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  execFileSync('git', ['init', '-q', '-b', 'main', dir]);
  const child = spawn('git', ['-C', dir, 'fast-import', '--quiet'], { stdio: ['pipe', 'inherit', 'inherit'] });
  const done = new Promise((resolve, reject) =>
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`fast-import exited ${code}`))))
  );
  const rand = rng(42);
  const pick = (n) => Math.floor(rand() * n);
  const dirs = Array.from({ length: 24 }, (_, i) => `mod${i}`);
  const files = new Map(); // path -> lines[]
  let nextFile = 0;
  const newPath = () => `${dirs[pick(dirs.length)]}/sub${pick(6)}/f${nextFile++}.${rand() < 0.03 ? 'bin' : 'c'}`;
  const words = ['fix crash in', 'add', 'refactor', 'update', 'bug in', 'improve', 'clean up', 'debug output of', 'prefix'];
  let buffered = [];
  let size = 0;
  const write = async (s) => {
    buffered.push(s);
    size += s.length;
    if (size > 1 << 20) await flush();
  };
  const flush = async () => {
    if (buffered.length === 0) return;
    const ok = child.stdin.write(buffered.join(''));
    buffered = [];
    size = 0;
    if (!ok) await new Promise((r) => child.stdin.once('drain', r));
  };
  const blob = (path, lines) => {
    const body = path.endsWith('.bin') ? `\0${lines.length}\0binary\n` : lines.join('\n') + '\n';
    return `M 100644 inline ${path}\ndata ${Buffer.byteLength(body)}\n${body}\n`;
  };
  let t = 1_500_000_000;
  for (let c = 1; c <= commits; c++) {
    t += 60 + pick(7200);
    const author = pick(60);
    const msg = `${words[pick(words.length)]} module ${pick(100)}`;
    let ops = '';
    const paths = [...files.keys()];
    const nOps = 1 + pick(4);
    for (let k = 0; k < nOps; k++) {
      const r = rand();
      if (paths.length < 3000 && (r < 0.15 || paths.length < 50)) {
        const path = newPath();
        const lines = Array.from({ length: 20 + pick(80) }, (_, i) => `line ${i} of ${path} ${pick(1e6)}`);
        files.set(path, lines);
        ops += blob(path, lines);
      } else if (r < 0.17 && paths.length > 100) {
        const path = paths[pick(paths.length)];
        if (!files.has(path)) continue;
        files.delete(path);
        ops += `D ${path}\n`;
      } else if (r < 0.19 && paths.length > 100) {
        const from = paths[pick(paths.length)];
        if (!files.has(from)) continue;
        const to = newPath();
        files.set(to, files.get(from));
        files.delete(from);
        ops += `R ${from} ${to}\n`;
      } else {
        const path = paths[pick(paths.length)];
        const lines = files.get(path);
        if (!lines) continue;
        const edits = 1 + pick(8);
        for (let e = 0; e < edits; e++) {
          const at = pick(lines.length + 1);
          const kind = rand();
          if (kind < 0.4) lines.splice(at, 0, `added ${c}.${e} ${pick(1e6)}`);
          else if (kind < 0.7 && lines.length > 5) lines.splice(Math.min(at, lines.length - 1), 1);
          else if (lines.length > 0) lines[Math.min(at, lines.length - 1)] = `changed ${c}.${e}`;
        }
        ops += blob(path, lines);
      }
    }
    await write(
      `commit refs/heads/main\nauthor Dev ${author} <dev${author}@example.com> ${t} +0000\n` +
        `committer Dev ${author} <dev${author}@example.com> ${t} +0000\ndata ${Buffer.byteLength(msg)}\n${msg}\n${ops}\n`
    );
  }
  await flush();
  child.stdin.end();
  await done;
  git(dir, ['reset', '-q', '--hard']);
}

/** Run git, discard stdout; resolves with wall seconds and bytes read. */
function timeGit(repo, args, stdin) {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn('git', ['-C', repo, ...args], { stdio: [stdin ? 'pipe' : 'ignore', 'pipe', 'ignore'] });
    if (stdin) child.stdin.end(stdin);
    let bytes = 0;
    child.stdout.on('data', (b) => (bytes += b.length));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`git ${args.join(' ')} exited ${code}`));
      else resolve({ seconds: Number(process.hrtime.bigint() - start) / 1e9, bytes });
    });
  });
}

async function timeMiner(repo) {
  const start = process.hrtime.bigint();
  let rows = 0;
  let batch = [];
  let csvBytes = 0;
  for await (const row of mineCommits({ repo })) {
    batch.push(row);
    rows++;
    if (batch.length === 256) {
      csvBytes += commitCsvRows(batch).length;
      batch = [];
    }
  }
  csvBytes += commitCsvRows(batch).length;
  return { seconds: Number(process.hrtime.bigint() - start) / 1e9, rows, csvBytes };
}

function childMine(repo, range, heapEvery = 0) {
  const args = ['--expose-gc', SELF, '--child', '--repo', repo, '--heap-every', String(heapEvery), ...(range ? ['--range', range] : [])];
  return JSON.parse(execFileSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 24 }));
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

let repo = arg('--repo');
if (!repo) {
  repo = `/tmp/patch-risk-bench-${COMMITS}`;
  const ok =
    existsSync(repo) &&
    (() => {
      try {
        return git(repo, ['rev-list', '--count', 'HEAD']) === String(COMMITS);
      } catch {
        return false;
      }
    })();
  if (!ok) {
    const start = Date.now();
    process.stderr.write(`generating ${COMMITS} commits in ${repo} with git fast-import...\n`);
    await generateRepo(repo, COMMITS);
    process.stderr.write(`  done in ${((Date.now() - start) / 1000).toFixed(1)} s\n`);
  }
}

const total = Number(git(repo, ['rev-list', '--count', 'HEAD']));
// The commits the miner's main git log is fed (date order here; the miner's plan is the same set).
const revisions = git(repo, ['rev-list', '--reverse', '--date-order', 'HEAD']) + '\n';
const plain = [];
const same = [];
const miner = [];
let rows = 0;
// Warm the object cache once so the first timed run is not penalised.
await timeGit(repo, ['log', '--numstat', '--format=%H']);
for (let r = 0; r < RUNS; r++) {
  plain.push((await timeGit(repo, ['log', '--numstat'])).seconds);
  same.push((await timeGit(repo, ['-c', 'core.quotepath=off', ...LOG_ARGS], revisions)).seconds);
  const m = await timeMiner(repo);
  miner.push(m.seconds);
  rows = m.rows;
}
const tPlain = median(plain);
const tSame = median(same);
const tMiner = median(miner);

const halfRoot = git(repo, ['rev-list', '--max-parents=0', 'HEAD']).split('\n')[0];
const half = `${halfRoot}..HEAD~${Math.floor(total / 2)}`;
const memHalf = childMine(repo, half);
const memFull = childMine(repo, undefined, Math.max(1, Math.floor(total / 4)));

const fmt = (x, d = 2) => x.toFixed(d);
console.log(`repository: ${repo} (${total} commits, ${rows} rows mined)`);
console.log('');
console.log('| run | seconds (median of ' + RUNS + ') | commits/s | vs git log --numstat |');
console.log('|---|---|---|---|');
console.log(`| git log --numstat (baseline) | ${fmt(tPlain)} | ${fmt(total / tPlain, 0)} | 1.00x |`);
console.log(
  `| git log as the miner runs it (--stdin --no-walk -z -M --raw --numstat), output discarded | ${fmt(tSame)} | ${fmt(total / tSame, 0)} | ${fmt(tSame / tPlain)}x |`
);
console.log(`| patch-risk miner (rows + CSV text) | ${fmt(tMiner)} | ${fmt(total / tMiner, 0)} | ${fmt(tMiner / tPlain)}x |`);
console.log('');
console.log('| history mined (separate processes) | rows | peak RSS (MB) |');
console.log('|---|---|---|');
console.log(`| first half (up to HEAD~${Math.floor(total / 2)}) | ${memHalf.rows} | ${fmt(memHalf.maxRssMb, 1)} |`);
console.log(`| all | ${memFull.rows} | ${fmt(memFull.maxRssMb, 1)} |`);
console.log('');
console.log('| commits replayed | live heap after GC (MB) |');
console.log('|---|---|');
for (const [n, mb] of memFull.heap) console.log(`| ${n} | ${fmt(mb, 1)} |`);
console.log('');
console.log(`target: miner <= 1.3x git log --numstat -> ${tMiner / tPlain <= 1.3 ? 'met' : 'NOT met'} (${fmt(tMiner / tPlain)}x)`);
