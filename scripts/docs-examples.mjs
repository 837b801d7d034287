// `npm run docs:examples`: regenerate every command output shown in README.md and docs/*.md from the built CLI
// (`npm run build` first) and the shipped models, so the docs cannot drift from the code.
//
//   node scripts/docs-examples.mjs           rewrite the blocks in place
//   node scripts/docs-examples.mjs --check   change nothing; exit 1 naming every stale block (for CI)
//   node scripts/docs-examples.mjs --list    print the example names
//
// A generated block sits between two marker comments; everything between them is replaced:
//
//   <!-- example: gate-patches -->
//   ```console
//   $ npx patch-risk gate examples/patches.csv
//   …
//   ```
//   <!-- /example -->
//
// The commands run in a temporary copy of examples/ (so paths in the output are the relative ones a reader types, and
// nothing is written into the repository), with TZ=UTC, no colour and commander's 80-column help. Data files the
// examples need are generated with fixed seeds; nothing that varies between runs (dates, temp paths, timings) is
// shown. Exit codes: 0 up to date / rewritten, 1 stale (--check), 2 an example failed or a marker is unknown.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(root, 'lib', 'cli', 'bin.js');
const MARKER = /^<!-- example: ([a-z0-9-]+) -->$/;
const END_MARKER = '<!-- /example -->';
const RUN_TIMEOUT_MS = 300_000;

class ExampleError extends Error {}

const env = { ...process.env, TZ: 'UTC', NO_COLOR: '1', FORCE_COLOR: '0', LC_ALL: 'C.UTF-8' };
delete env.NODE_OPTIONS;

/** The temporary workspace: a copy of examples/, plus whatever data the scenarios generate into it. */
let workspace;
function work() {
  if (!workspace) {
    workspace = mkdtempSync(path.join(os.tmpdir(), 'patch-risk-docs-'));
    cpSync(path.join(root, 'examples'), path.join(workspace, 'examples'), { recursive: true });
  }
  return workspace;
}

/** Run `patch-risk ARGS` in the workspace; the exit code must be one of `expect`. */
function cli(args, { expect = [0], cwd = work() } = {}) {
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd, env, encoding: 'utf8', timeout: RUN_TIMEOUT_MS });
  if (result.error) throw new ExampleError(`patch-risk ${args.join(' ')}: ${result.error.message}`);
  if (!expect.includes(result.status)) {
    throw new ExampleError(`patch-risk ${args.join(' ')} exited ${result.status}, expected ${expect.join(' or ')}\n${result.stderr}`);
  }
  return result;
}

function shellWord(word) {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

function prompt(args, suffix = '') {
  return `$ npx patch-risk ${args.map(shellWord).join(' ')}${suffix}`;
}

function trimEnd(text) {
  return text.replace(/\s+$/, '');
}

function fence(lines, lang = 'console') {
  return ['```' + lang, ...lines, '```'];
}

/** `$ command`, its stdout and stderr as a terminal shows them, and `$ echo $?` when it is not 0. */
function transcript(args, { expect = [0], showExit = false, cwd = work() } = {}) {
  const result = cli(args, { expect, cwd });
  const lines = [prompt(args)];
  for (const stream of [result.stdout, result.stderr]) if (trimEnd(stream) !== '') lines.push(...trimEnd(stream).split('\n'));
  if (showExit || result.status !== 0) lines.push('$ echo $?', String(result.status));
  return lines;
}

// ---- data the lifecycle examples share (fixed seeds; built once per run) ----

let lifecycleReady = false;
/**
 * Generated files: history.csv (4,000 rows), holdout.csv (2,000), recent-history.csv (10,000) and mislabelled.csv
 * (10,000 rows with every third label flipped), from different seeds; base/firmware: the shipped v001 without its
 * registry.json plus v002 trained on history.csv, so v002, the newest, is the champion until something is promoted.
 */
function lifecycle() {
  if (lifecycleReady) return;
  cli(['generate', '--rows', '4000', '--seed', '5', '--out', 'history.csv']);
  cli(['generate', '--rows', '2000', '--seed', '6', '--out', 'holdout.csv']);
  cli(['generate', '--rows', '10000', '--seed', '8', '--out', 'recent-history.csv']);
  cli(['generate', '--rows', '10000', '--seed', '9', '--out', 'mislabelled.csv']);
  flipLabels(path.join(work(), 'mislabelled.csv'), 3);
  const base = path.join(work(), 'base', 'firmware');
  mkdirSync(base, { recursive: true });
  for (const file of ['v001.onnx', 'v001.card.json']) copyFileSync(path.join(root, 'models', 'firmware', file), path.join(base, file));
  cli(['train', 'history.csv', '--out', 'base/firmware']);
  lifecycleReady = true;
}

/**
 * A scenario's own directory (the cwd of its commands) with the generated files and a fresh my-models/firmware copied
 * from base/firmware, so each example's output does not depend on which ran before it.
 */
function scenario(name) {
  lifecycle();
  const dir = path.join(work(), 'scenarios', name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const file of ['history.csv', 'holdout.csv', 'recent-history.csv', 'mislabelled.csv']) {
    copyFileSync(path.join(work(), file), path.join(dir, file));
  }
  cpSync(path.join(work(), 'base'), path.join(dir, 'my-models'), { recursive: true });
  return dir;
}

/** Flip the high_risk_flag of every `every`-th row: a history with mislabelled triage. */
function flipLabels(file, every) {
  const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
  const label = lines[0].split(',').indexOf('high_risk_flag');
  if (label < 0) throw new ExampleError(`${file}: no high_risk_flag column`);
  const out = lines.map((line, i) => {
    if (i === 0 || i % every !== 0) return line;
    const cells = line.split(',');
    cells[label] = cells[label] === '1' ? '0' : '1';
    return cells.join(',');
  });
  writeFileSync(file, out.join('\n') + '\n');
}

/**
 * drifted.csv: 3,000 generated patches (labelled, seed 21) whose lines_changed are five times larger and whose fleets
 * are 700 days older than the training data's: the drift report must find both.
 */
function drifted() {
  const file = path.join(work(), 'drifted.csv');
  if (existsSync(file)) return;
  cli(['generate', '--rows', '3000', '--seed', '21', '--out', 'drifted.csv']);
  const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
  const header = lines[0].split(',');
  const linesCol = header.indexOf('lines_changed');
  const ageCol = header.indexOf('avg_device_age_days');
  const out = lines.map((line, i) => {
    if (i === 0) return line;
    const cells = line.split(',');
    cells[linesCol] = String(Number(cells[linesCol]) * 5);
    cells[ageCol] = String(Math.round((Number(cells[ageCol]) + 700) * 10) / 10);
    return cells.join(',');
  });
  writeFileSync(file, out.join('\n') + '\n');
}

// ---- the commit-mode examples: a generated git repository ----

const PEOPLE = [
  ['Alice', 'alice@example.com'],
  ['Bob', 'bob@example.com'],
  ['Carol', 'carol@example.com'],
  ['Dave', 'dave@example.com'],
  ['Erin', 'erin@example.com']
];
const DIRS = ['src/sched', 'src/cache', 'src/net', 'src/ui', 'lib', 'docs', 'test'];
const HISTORY_COMMITS = 260;

let repoDir;
/**
 * repo/: a history of 260 commits on origin/main (5 authors, 7 directories, seeded sizes, fixed dates), built with
 * git fast-import, and a branch `feature` (checked out as HEAD) with three commits: a large rewrite, a medium change
 * and a one-line docs fix. Enough history (>= 200 commits) for the alert budget.
 */
function commitRepo() {
  if (repoDir) return repoDir;
  const dir = path.join(work(), 'repo');
  mkdirSync(dir);
  const git = (args, input) => {
    const result = spawnSync('git', args, { cwd: dir, input, encoding: 'utf8', env: { ...env, GIT_CONFIG_NOSYSTEM: '1', HOME: work() } });
    if (result.status !== 0) throw new ExampleError(`git ${args.join(' ')}: ${result.stderr}`);
    return result.stdout;
  };
  git(['init', '-q', '-b', 'main']);
  let seed = 2026;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const files = new Map(); // path -> lines
  const out = [];
  let time = 1_700_000_000;
  let mark = 0;
  const commit = (ref, [name, email], message, changes) => {
    time += 5 * 3600 + Math.floor(random() * 3600);
    mark++;
    out.push(`commit ${ref}`, `mark :${mark}`, `author ${name} <${email}> ${time} +0000`, `committer ${name} <${email}> ${time} +0000`);
    const msg = Buffer.from(message + '\n');
    out.push(`data ${msg.length}`, message);
    if (mark > 1) out.push(`from :${mark - 1}`);
    for (const [file, add, remove] of changes) {
      const lines = files.get(file) ?? [];
      lines.splice(0, Math.min(remove, lines.length));
      for (let i = 0; i < add; i++) lines.push(`${file} line ${mark}.${i}`);
      files.set(file, lines);
      const data = Buffer.from(lines.join('\n') + '\n');
      out.push(`M 100644 inline ${file}`, `data ${data.length}`, lines.join('\n'));
    }
    out.push('');
  };
  for (let i = 0; i < HISTORY_COMMITS; i++) {
    const author = PEOPLE[Math.floor(random() * 3) + (i % 2)];
    const count = 1 + Math.floor(random() * 3);
    const changes = [];
    for (let f = 0; f < count; f++) {
      const dirName = DIRS[Math.floor(random() * DIRS.length)];
      const file = `${dirName}/file${Math.floor(random() * 6)}.c`;
      if (changes.some(([name]) => name === file)) continue;
      changes.push([file, 1 + Math.floor(Math.exp(random() * 5)), Math.floor(random() * 10)]);
    }
    const subject = random() < 0.2 ? `Fix ${changes[0][0]} edge case` : `Update ${changes[0][0]}`;
    commit('refs/remotes/origin/main', author, subject, changes);
  }
  commit('refs/heads/feature', PEOPLE[3], 'Rewrite the scheduler', [
    ['src/sched/file0.c', 900, 200],
    ['src/sched/file1.c', 400, 80],
    ['src/net/file2.c', 225, 30]
  ]);
  commit('refs/heads/feature', PEOPLE[4], 'Tune the cache size', [['src/cache/file3.c', 120, 35]]);
  commit('refs/heads/feature', PEOPLE[0], 'Fix typo in docs', [['docs/file1.c', 1, 1]]);
  git(['fast-import', '--quiet'], out.join('\n') + '\n');
  git(['branch', '-f', 'main', 'refs/remotes/origin/main']);
  git(['symbolic-ref', 'HEAD', 'refs/heads/feature']);
  repoDir = dir;
  return dir;
}

/** `$ command` and its stdout (the miner's progress lines on stderr are left out). */
function commitTranscript(args, expect) {
  const cwd = commitRepo();
  const result = cli(args, { cwd, expect });
  const lines = [prompt(args), ...trimEnd(result.stdout).split('\n')];
  if (result.status !== 0) lines.push('$ echo $?', String(result.status));
  return lines;
}

// ---- the service example: a real server on a free port ----

async function serveExample() {
  const csv = readFileSync(path.join(work(), 'examples', 'patches.csv'), 'utf8')
    .trimEnd()
    .split('\n');
  const body = csv.slice(0, 2).join('\n') + '\n'; // the header and the first patch
  writeFileSync(path.join(work(), 'one-patch.csv'), body);
  const server = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--workers', '1'], {
    cwd: work(),
    env,
    stdio: ['ignore', 'pipe', 'pipe']
  });
  let stderr = '';
  server.stderr.on('data', (chunk) => (stderr += chunk));
  try {
    const url = await new Promise((resolve, reject) => {
      let stdout = '';
      const timer = setTimeout(() => reject(new ExampleError(`serve did not start in 60 s\n${stderr}`)), 60_000);
      server.stdout.on('data', (chunk) => {
        stdout += chunk;
        const match = /listening on (http:\/\/\S+?) /.exec(stdout);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      });
      server.on('exit', (code) => reject(new ExampleError(`serve exited ${code}\n${stderr}`)));
    });
    const response = await fetch(`${url}/v1/score?model=firmware`, { method: 'POST', headers: { 'content-type': 'text/csv' }, body });
    if (response.status !== 200) throw new ExampleError(`POST /v1/score answered ${response.status}: ${await response.text()}`);
    const answer = JSON.stringify(await response.json(), null, 2).split('\n');
    const command =
      "$ curl -s -X POST -H 'Content-Type: text/csv' --data-binary @one-patch.csv 'http://127.0.0.1:8080/v1/score?model=firmware' | jq .";
    return fence([command, ...answer]);
  } finally {
    server.kill('SIGTERM');
    await new Promise((resolve) => (server.exitCode !== null ? resolve() : server.on('exit', resolve)));
  }
}

// ---- the examples, by marker name ----

const HELP_COMMANDS = [
  'gate',
  'score',
  'generate',
  'train',
  'evaluate',
  'evaluate-jit',
  'train-jit',
  'models list',
  'promote',
  'drift',
  'retrain',
  'mine',
  'label',
  'train-repo',
  'track-record',
  'serve'
];

let jitTables;
/** The two Markdown tables of `evaluate-jit --calibration --format markdown`: the time split, then leave-one-project-out. */
function jitTable(index) {
  if (!jitTables) {
    const { stdout } = cli(['evaluate-jit', '--calibration', '--format', 'markdown', '--data', path.join(root, 'data', 'jit')]);
    jitTables = trimEnd(stdout)
      .split(/\n\s*\n/)
      .map((block) => block.split('\n'))
      .filter((lines) => lines.every((line) => line.startsWith('|')));
    if (jitTables.length !== 2) throw new ExampleError(`evaluate-jit printed ${jitTables.length} tables, expected 2`);
  }
  return jitTables[index];
}

/** @type {Record<string, () => string[] | Promise<string[]>>} */
const EXAMPLES = {
  'gate-patches': () => fence(transcript(['gate', 'examples/patches.csv'], { expect: [1] })),
  'gate-deployments': () => fence(transcript(['gate', 'examples/deployments.csv', '--model', 'rollback'], { expect: [1] })),
  // The PR comment's report as GitHub shows it (the action adds the workflow-run link under it).
  'comment-patches': () => {
    const { stdout } = cli(['score', 'examples/patches.csv', '--format', 'markdown']);
    return trimEnd(stdout)
      .split('\n')
      .map((line) => (line === '' ? '>' : `> ${line}`));
  },
  // A copy of the shipped models/, so the folders print as the relative path a reader in a clone sees.
  'models-list': () => {
    if (!existsSync(path.join(work(), 'models'))) cpSync(path.join(root, 'models'), path.join(work(), 'models'), { recursive: true });
    return fence(transcript(['models', 'list', '--dir', 'models']));
  },
  'promote-accepted': () => {
    const cwd = scenario('promote-accepted');
    return fence(transcript(['promote', 'my-models/firmware', 'v001', '--holdout', 'holdout.csv'], { cwd }));
  },
  // v001 promoted over v002, then a candidate trained on mislabelled.csv (v003) is judged against it.
  'promote-blocked': () => {
    const cwd = scenario('promote-blocked');
    cli(['promote', 'my-models/firmware', 'v001', '--holdout', 'holdout.csv'], { cwd });
    cli(['train', 'mislabelled.csv', '--out', 'my-models/firmware'], { cwd });
    return fence(transcript(['promote', 'my-models/firmware', 'v003', '--holdout', 'holdout.csv'], { cwd, expect: [1] }));
  },
  // v001 promoted over v002, then retrained on recent-history.csv.
  retrain: () => {
    const cwd = scenario('retrain');
    cli(['promote', 'my-models/firmware', 'v001', '--holdout', 'holdout.csv'], { cwd });
    return fence(transcript(['retrain', 'recent-history.csv', '--dir', 'my-models/firmware'], { cwd, expect: [0, 1] }));
  },
  // The folder's champion v002 (trained on history.csv) with the shipped firmware model as the challenger.
  shadow: () => {
    const cwd = scenario('shadow');
    const args = ['score', 'holdout.csv', '--model', 'my-models/firmware', '--challenger', 'firmware'];
    const { stderr } = cli(args, { cwd });
    const lines = trimEnd(stderr).split('\n');
    const shown = lines.length > 8 ? [...lines.slice(0, 7), `    … (${lines.length - 7} more lines)`] : lines;
    return fence([prompt(args, ' > scored.csv'), ...shown]);
  },
  'drift-alert': () => {
    drifted();
    return fence(transcript(['drift', 'drifted.csv', '--model', 'firmware', '--fail-on', 'alert'], { expect: [1] }));
  },
  'serve-score': serveExample,
  'jit-evaluate': () => jitTable(0),
  'jit-calibration': () => jitTable(1),
  // The action's annotations for the same range: its own runGate call and commitAnnotations, run in this process.
  'annotation-commits': async () => {
    const cwd = commitRepo();
    const rev = (name) => spawnSync('git', ['rev-parse', name], { cwd, encoding: 'utf8' }).stdout.trim();
    const api = await import(pathToFileURL(path.join(root, 'lib', 'index.js')).href);
    const { commitAnnotations } = await import(pathToFileURL(path.join(root, 'lib', 'action', 'annotations.js')).href);
    const model = await api.loadModelByName('jit');
    const run = await api.runGate(
      { kind: 'commits', repo: cwd, range: { base: rev('origin/main'), head: rev('HEAD') } },
      { model, explain: 'auto' }
    );
    const notes = commitAnnotations(run.scored, new Map(run.commits.mined.map((row) => [row.commit, row.files])));
    if (notes.length === 0) throw new ExampleError('the generated range has no Medium/High commit to annotate');
    return fence(
      notes.flatMap((note) => [
        `${note.level} on ${note.file ?? '(no file)'}${note.line ? `, line ${note.line}` : ''}: ${note.title}`,
        note.message
      ]),
      'text'
    );
  },
  'gate-commits': () => fence(commitTranscript(['gate', '--commits', 'origin/main..HEAD'], [0, 1])),
  // The PR comment's report for the same range (the action adds links to the commits and the workflow run).
  'comment-commits': () => {
    const { stdout } = cli(['score', '--commits', 'origin/main..HEAD', '--format', 'markdown'], { cwd: commitRepo() });
    return fence(trimEnd(stdout).split('\n'), 'markdown');
  },
  ...Object.fromEntries(
    HELP_COMMANDS.map((command) => [
      `help-${command.replace(' ', '-')}`,
      () => {
        const args = [...command.split(' '), '--help'];
        return fence([prompt(args), ...trimEnd(cli(args).stdout).split('\n')]);
      }
    ])
  )
};

// ---- reading and rewriting the pages ----

function pages() {
  const files = [path.join(root, 'README.md')];
  for (const entry of readdirSync(path.join(root, 'docs'), { withFileTypes: true })) {
    if (entry.isFile() && entry.name.endsWith('.md')) files.push(path.join(root, 'docs', entry.name));
  }
  return files.sort();
}

/** The page with every block regenerated, and the names of the blocks whose text changed. */
async function regenerate(file, cache) {
  const lines = readFileSync(file, 'utf8').split('\n');
  const out = [];
  const stale = [];
  for (let i = 0; i < lines.length; i++) {
    const open = MARKER.exec(lines[i]);
    out.push(lines[i]);
    if (!open) continue;
    const name = open[1];
    const end = lines.indexOf(END_MARKER, i + 1);
    if (end < 0) throw new ExampleError(`${path.relative(root, file)}:${i + 1}: <!-- example: ${name} --> has no ${END_MARKER}`);
    const make = EXAMPLES[name];
    if (!make)
      throw new ExampleError(
        `${path.relative(root, file)}:${i + 1}: unknown example "${name}" (known: ${Object.keys(EXAMPLES).join(', ')})`
      );
    if (!cache.has(name)) {
      process.stderr.write(`docs:examples: ${name}\n`);
      cache.set(name, await make());
    }
    const generated = cache.get(name);
    const current = lines.slice(i + 1, end);
    if (current.join('\n') !== generated.join('\n')) stale.push(`${path.relative(root, file)}:${i + 1} ${name}`);
    out.push(...generated, END_MARKER);
    i = end;
  }
  return { text: out.join('\n'), stale };
}

async function main() {
  const args = process.argv.slice(2);
  if (args.includes('--list')) {
    console.log(Object.keys(EXAMPLES).join('\n'));
    return 0;
  }
  const unknown = args.filter((arg) => arg !== '--check');
  if (unknown.length > 0) throw new ExampleError(`unknown argument ${unknown[0]} (usage: docs-examples.mjs [--check | --list])`);
  const check = args.includes('--check');
  if (!existsSync(BIN)) throw new ExampleError(`${path.relative(root, BIN)} is missing: run \`npm run build\` first`);
  const cache = new Map();
  const stale = [];
  for (const file of pages()) {
    const result = await regenerate(file, cache);
    stale.push(...result.stale);
    if (!check && result.stale.length > 0) writeFileSync(file, result.text);
  }
  if (cache.size === 0) throw new ExampleError('no <!-- example: NAME --> marker in README.md or docs/*.md');
  if (check) {
    if (stale.length > 0) {
      console.error(
        `docs:examples: ${stale.length} stale block(s); run \`npm run build && npm run docs:examples\`:\n  ${stale.join('\n  ')}`
      );
      return 1;
    }
    console.log(`docs:examples: ${cache.size} example(s) up to date`);
  } else {
    console.log(
      `docs:examples: ${cache.size} example(s), ${stale.length} block(s) rewritten${stale.length ? ':\n  ' + stale.join('\n  ') : ''}`
    );
  }
  return 0;
}

try {
  process.exitCode = await main();
} catch (error) {
  if (!(error instanceof ExampleError)) throw error;
  console.error(`docs:examples: ${error.message}`);
  process.exitCode = 2;
} finally {
  if (workspace) rmSync(workspace, { recursive: true, force: true });
}
