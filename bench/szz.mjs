// SZZ labelling speed: the former `label` code path against labelHistory, cold and warm.
//   npx tsc -p tsconfig.build.json && node bench/szz.mjs [--repo DIR] [--commits 3000] [--rule PATTERN]
//        [--since DATE] [--until DATE] [--jobs N] [--sample N] [--no-baseline]
// Without --repo, a repository of --commits generated commits (40 files of 200 lines, one to
// three files edited per commit, a quarter of them fixes) is built once with `git fast-import`
// and cached under /tmp/patch-risk-szz-bench-<commits>.
// Runs, in this order and in this process:
//   baseline  the former `patch-risk label`: fix commits by the keyword rule (legacy), and per
//             fix `git rev-list` + `git diff` + one `git blame` per file, --jobs fixes at a time
//             (the former default was 4; the same count as the other rows keeps the comparison fair);
//   cold      labelHistory with --rule (default: the default fix rule) and an empty cache;
//   warm      the same again with the cache the cold run filled;
//   legacy    labelHistory with the legacy rule (the baseline's fix commits), empty cache.
// Each row gives the fix commits blamed, the wall time, the CPU time of the process and its git
// children (steadier than wall time on a shared machine) and the ratios to the first row.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileFixRule, labelHistory, parseHistoryDate } from '../lib/git/index.js';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const COMMITS = Number(arg('--commits', '3000'));
const RULE = arg('--rule', 'default');
const SINCE = arg('--since') === undefined ? undefined : parseHistoryDate(arg('--since'), 'start');
const UNTIL = arg('--until') === undefined ? undefined : parseHistoryDate(arg('--until'), 'end');
const JOBS = Number(arg('--jobs', String(availableParallelism())));
const BASELINE = !process.argv.includes('--no-baseline');
const SAMPLE = Number(arg('--sample', '1'));

/**
 * Every SAMPLE-th commit the rule calls a fix (in git log order, newest first), for a quick
 * estimate on a long history: times scale with the number of fixes blamed.
 */
function sampled(pattern) {
  const rule = compileFixRule(pattern);
  if (SAMPLE === 1) return rule;
  let n = 0;
  return { source: rule.source, test: (message) => rule.test(message) && ++n % SAMPLE === 0 };
}

function git(repo, args, input) {
  return execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8', maxBuffer: 1 << 30, input }).trim();
}

/** Deterministic LCG so the cached repository is the same every time. */
function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function buildRepo(commits) {
  const dir = `/tmp/patch-risk-szz-bench-${commits}`;
  if (existsSync(join(dir, '.done'))) return dir;
  rmSync(dir, { recursive: true, force: true });
  git('/tmp', ['init', '-q', '-b', 'main', dir]);
  const rand = rng(7);
  const files = Array.from({ length: 40 }, (_, f) => ({
    path: `src/m${f % 8}/file${f}.js`,
    lines: Array.from({ length: 200 }, (_, i) => `export const f${f}l${i} = ${i};`)
  }));
  let stream = '';
  let t = 1_500_000_000;
  for (let c = 1; c <= commits; c++) {
    t += 3600 + Math.floor(rand() * 7200);
    const touched = new Set(Array.from({ length: 1 + Math.floor(rand() * 3) }, () => Math.floor(rand() * files.length)));
    const fix = rand() < 0.25;
    const ops = [];
    for (const f of touched) {
      const file = files[f];
      for (let k = 0; k < 1 + Math.floor(rand() * 5); k++) {
        const i = Math.floor(rand() * file.lines.length);
        file.lines[i] = `export const f${f}l${i} = ${c}; // ${fix ? 'repaired' : 'changed'}`;
      }
      if (rand() < 0.3) file.lines.push(`export const f${f}x${c} = ${c};`);
      const data = file.lines.join('\n') + '\n';
      ops.push(`M 100644 inline ${file.path}\ndata ${Buffer.byteLength(data)}\n${data}`);
    }
    const who = `Dev${Math.floor(rand() * 12)} <dev${Math.floor(rand() * 12)}@example.com> ${t} +0000`;
    const message = fix ? `Fix wrong value in ${[...touched].join(', ')}` : `Bug ${c} - Change ${[...touched].join(', ')}`;
    stream += `commit refs/heads/main\nmark :${c}\nauthor ${who}\ncommitter ${who}\ndata ${Buffer.byteLength(message)}\n${message}\n`;
    if (c > 1) stream += `from :${c - 1}\n`;
    stream += ops.join('');
  }
  git(dir, ['fast-import', '--quiet'], stream);
  git(dir, ['checkout', '-q', '-f', 'main']);
  execFileSync('touch', [join(dir, '.done')]);
  return dir;
}

/** The former label code path (src/git/szz.ts before labelHistory), fix list from the keyword rule. */
async function baseline(repo) {
  const legacy = compileFixRule('legacy');
  const log = git(repo, ['log', '--no-merges', '-z', '--format=%H%x00%at%x00%ct%x00%B', 'HEAD']).split('\0');
  const fixes = [];
  for (let i = 0; i + 3 < log.length; i += 4) {
    const ct = Number(log[i + 2]);
    if (legacy.test(log[i + 3]) && (SINCE === undefined || ct >= SINCE) && (UNTIL === undefined || ct <= UNTIL))
      fixes.push(log[i].replace(/^\n/, ''));
  }
  const run = (args) =>
    new Promise((resolve, reject) => {
      const child = spawn('git', ['-C', repo, ...args], { stdio: ['ignore', 'pipe', 'ignore'] });
      let out = '';
      child.stdout.setEncoding('utf8').on('data', (s) => (out += s));
      child.on('error', reject).on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`git ${args[0]} exit ${code}`))));
    });
  const { parseDeletedLines, lineRanges } = await import('../lib/git/szz-lines.js');
  let next = 0;
  const worker = async () => {
    while (next < fixes.length) {
      const fix = fixes[next++];
      const parent = (await run(['rev-list', '--parents', '-n', '1', fix])).trim().split(' ')[1];
      if (!parent) continue;
      const patch = await run([
        'diff',
        '-U0',
        '-M',
        '--no-color',
        '--no-ext-diff',
        '--no-textconv',
        '--src-prefix=a/',
        '--dst-prefix=b/',
        parent,
        fix,
        '--'
      ]);
      for (const file of parseDeletedLines(patch)) {
        const args = ['blame', '--porcelain', '-w'];
        for (const [a, b] of lineRanges(file.lines)) args.push('-L', `${a},${b}`);
        await run([...args, parent, '--', file.oldPath]);
      }
    }
  };
  await Promise.all(Array.from({ length: JOBS }, worker));
  return fixes.length;
}

/** CPU seconds of this process and its finished children (Linux /proc; NaN elsewhere): steady when the machine is busy, unlike wall time. */
function cpuSeconds() {
  const own = process.cpuUsage();
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
    return (own.user + own.system) / 1e6 + (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    return NaN;
  }
}

async function timed(fn) {
  const t = process.hrtime.bigint();
  const cpu = cpuSeconds();
  const n = await fn();
  return { n, seconds: Number(process.hrtime.bigint() - t) / 1e9, cpu: cpuSeconds() - cpu };
}

const repo = arg('--repo') ?? buildRepo(COMMITS);
const cache = mkdtempSync(join(tmpdir(), 'patch-risk-szz-bench-cache-'));
const legacyCache = mkdtempSync(join(tmpdir(), 'patch-risk-szz-bench-cache-'));
const rows = [];
try {
  const label = (pattern, cacheDir) => async () =>
    (await labelHistory({ repo, fixRule: sampled(pattern), since: SINCE, until: UNTIL, cacheDir, jobs: JOBS })).counts.fixesInWindow;
  if (BASELINE) rows.push([`baseline: former label (legacy rule, ${JOBS} at a time)`, await timed(() => baseline(repo))]);
  rows.push([`cold: labelHistory "${compileFixRule(RULE).source}", ${JOBS} jobs`, await timed(label(RULE, cache))]);
  rows.push(['warm: the same, cache filled', await timed(label(RULE, cache))]);
  rows.push([`legacy rule: labelHistory "legacy", ${JOBS} jobs, empty cache`, await timed(label('legacy', legacyCache))]);
} finally {
  rmSync(cache, { recursive: true, force: true });
  rmSync(legacyCache, { recursive: true, force: true });
}

const base = rows[0][1].seconds;
console.log(
  `repository ${repo}; window ${arg('--since', 'start')} .. ${arg('--until', 'end')}; load average ${(await import('node:os'))
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')}`
);
console.log('| run | fix commits | seconds | fix commits/s | vs first row |');
console.log('|---|---|---|---|---|');
for (const [name, { n, seconds }] of rows) {
  console.log(
    `| ${name} | ${n.toLocaleString('en-US')} | ${seconds.toFixed(1)} | ${(n / seconds).toFixed(1)} | ${(seconds / base).toFixed(3)}x |`
  );
}
