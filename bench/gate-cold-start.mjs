// Cold start: the whole `patch-risk gate` process on the 16-row example, and the
// action bundle (dist/index.js) on the same file against the fake GitHub API,
// each next to a bare `node -e 0`.
//   npm run build && npm run bundle && node bench/gate-cold-start.mjs [--repeats 9]
//
// Every run is a fresh process timed with GNU time (wall and CPU seconds); the
// kinds of run are interleaved, so load from elsewhere on the machine hits them
// alike, and each is reported as median (min–max) with its ratio to `node -e 0`.
// The action runs the way the runner runs it (as __tests__/helpers/action-harness.ts
// does: INPUT_* variables, a pull_request event, output and summary files)
// against __tests__/helpers/fake-github.ts on 127.0.0.1 (transpiled here with TypeScript).
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, copyFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';
import { argValue, ensureGnuTime, interleavedAsync, median, printTable, spread, timedAsync } from './measure.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'lib/cli/bin.js');
const dist = path.join(root, 'dist/index.js');
const example = path.join(root, 'examples/patches.csv');
const REPEATS = argValue('--repeats', 9);
ensureGnuTime();
if (!existsSync(dist)) throw new Error('dist/index.js is missing: run `npm run bundle` first');

const dir = mkdtempSync(path.join(tmpdir(), 'prg-bench-cold-'));
// The fake GitHub API of the action tests, as a module this script can import.
const fakeSource = readFileSync(path.join(root, '__tests__/helpers/fake-github.ts'), 'utf8');
const fakeModule = path.join(dir, 'fake-github.mjs');
writeFileSync(
  fakeModule,
  ts.transpileModule(fakeSource, { compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022 } }).outputText
);
const { FakeGitHub } = await import(pathToFileURL(fakeModule).href);
const github = new FakeGitHub();
const apiUrl = await github.start();

const workspace = path.join(dir, 'workspace');
mkdirSync(workspace);
copyFileSync(example, path.join(workspace, 'patches.csv'));
let runCount = 0;

/** The environment the runner gives the action (see __tests__/helpers/action-harness.ts). */
function actionEnv() {
  const run = path.join(dir, `run-${++runCount}`);
  mkdirSync(run);
  const files = { output: path.join(run, 'output'), summary: path.join(run, 'summary'), event: path.join(run, 'event.json') };
  writeFileSync(files.output, '');
  writeFileSync(files.summary, '');
  writeFileSync(
    files.event,
    JSON.stringify({ action: 'synchronize', number: 7, pull_request: { number: 7, labels: [] }, sender: { login: 'dev' } })
  );
  return {
    PATH: process.env.PATH ?? '',
    NO_PROXY: '*',
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: 'pull_request',
    GITHUB_EVENT_PATH: files.event,
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_API_URL: apiUrl,
    GITHUB_SERVER_URL: 'https://github.example',
    GITHUB_REPOSITORY: 'acme/firmware',
    GITHUB_RUN_ID: '4242',
    RUNNER_TEMP: path.join(run, 'temp'),
    GITHUB_WORKSPACE: workspace,
    INPUT_PATCHES: 'patches.csv',
    'INPUT_GITHUB-TOKEN': 'fake-token'
  };
}

const scored = path.join(dir, 'patches.scored.csv');
const runs = await interleavedAsync(
  {
    node: () => timedAsync(process.execPath, ['-e', '0']),
    gate: () => timedAsync(process.execPath, [bin, 'gate', example, '--out', scored], { ok: [0, 1] }),
    gateNone: () => timedAsync(process.execPath, [bin, 'gate', example, '--out', scored, '--explain', 'none'], { ok: [0, 1] }),
    action: () => timedAsync(process.execPath, [dist], { ok: [0, 1], env: actionEnv(), cwd: workspace })
  },
  REPEATS
);
await github.stop();

const base = { wall: median(runs.node.map((r) => r.wall)), cpu: median(runs.node.map((r) => r.cpu)) };
const row = (label, name) => {
  const wall = runs[name].map((r) => r.wall);
  const cpu = runs[name].map((r) => r.cpu);
  return [
    label,
    spread(wall),
    `${(median(wall) / base.wall).toFixed(2)}x`,
    spread(cpu),
    `${(median(cpu) / base.cpu).toFixed(2)}x`,
    median(runs[name].map((r) => r.rssMb)).toFixed(1)
  ];
};
console.log(`cold start, ${REPEATS} interleaved runs each (median (min–max)); ratios to node -e 0:\n`);
printTable([
  ['process', 'wall s', 'x node (wall)', 'CPU s', 'x node (CPU)', 'peak RSS MB'],
  row('node -e 0', 'node'),
  row('patch-risk gate examples/patches.csv (16 rows)', 'gate'),
  row('patch-risk gate … --explain none', 'gateNone'),
  row('action dist/index.js, same file, fake GitHub API', 'action')
]);
rmSync(dir, { recursive: true, force: true });
