/**
 * Running the action the way the runner runs it: INPUT_* variables, an event
 * payload file, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files, a clean
 * environment. `runBuiltAction` runs the BUILT action (dist/index.js) as a
 * child process; `runActionInProcess` calls the sources' `run()` in the test's
 * own process with the same environment and files (fast: no bundle, no
 * process start), restoring the environment, working directory and exit code
 * afterwards.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve('.');
export const DIST = path.join(ROOT, 'dist/index.js');

/**
 * Make sure dist/ exists. It is committed and CI checks that it matches src/ (`npm run bundle`
 * after a change in src/), so it is never rebuilt here when present: `npm run bundle` rewrites
 * lib/ and dist/, and doing that while other jest workers run the CLI or the bundle breaks
 * them. When it is missing, one worker builds it under a lock while the others wait.
 */
export function ensureBundle(): void {
  if (existsSync(DIST)) return;
  const lock = path.join(ROOT, '.bundle-lock');
  try {
    mkdirSync(lock);
  } catch {
    // Another worker is building: wait for it (up to 5 minutes).
    const until = Date.now() + 300_000;
    while (existsSync(lock) && Date.now() < until) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    if (!existsSync(DIST)) throw new Error('dist/index.js is missing and the bundle was not built: run npm run bundle');
    return;
  }
  try {
    if (!existsSync(DIST)) execFileSync('npm', ['run', 'bundle', '--silent'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** Parse the GITHUB_OUTPUT file (name<<delimiter ... delimiter). */
export function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const pattern = /^([^\n<]+)<<(\S+)\n([\s\S]*?)\n\2$/gm;
  for (const match of text.matchAll(pattern)) outputs[match[1]] = match[3];
  return outputs;
}

export interface ActionRun {
  /** Directory for this run's output, summary, event and RUNNER_TEMP. */
  dir: string;
  workspace: string;
  apiUrl: string;
  repository: string;
  inputs: Record<string, string>;
  event: string;
  payload: object;
  cwd?: string;
  entry?: string;
  nodeArgs?: string[];
  /** Extra environment variables (e.g. PATCH_RISK_GATE_API_BUDGET_MS). */
  env?: Record<string, string>;
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
}

interface RunFiles {
  output: string;
  summary: string;
  event: string;
}

/** The run's files and its clean environment: nothing leaks in from a real runner. */
function prepareRun(run: ActionRun): { files: RunFiles; env: Record<string, string> } {
  mkdirSync(run.dir, { recursive: true });
  const files = { output: path.join(run.dir, 'output'), summary: path.join(run.dir, 'summary'), event: path.join(run.dir, 'event.json') };
  writeFileSync(files.output, '');
  writeFileSync(files.summary, '');
  writeFileSync(files.event, JSON.stringify(run.payload));
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    NO_PROXY: '*',
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: run.event,
    GITHUB_EVENT_PATH: files.event,
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_API_URL: run.apiUrl,
    GITHUB_SERVER_URL: 'https://github.example',
    GITHUB_REPOSITORY: run.repository,
    GITHUB_RUN_ID: '4242',
    RUNNER_TEMP: path.join(run.dir, 'temp'),
    GITHUB_WORKSPACE: run.workspace,
    ...run.env
  };
  for (const [name, value] of Object.entries(run.inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  return { files, env };
}

function resultOf(files: RunFiles, code: number | null, stdout: string, stderr: string): RunResult {
  return {
    code,
    stdout,
    stderr,
    outputs: parseOutputs(readFileSync(files.output, 'utf8')),
    summary: readFileSync(files.summary, 'utf8')
  };
}

/**
 * The action's `run()` from src/, in this process. Only for runs that need no
 * entry file or node flags of their own. Runs one at a time (it swaps the
 * process's environment and working directory while it runs).
 */
export async function runActionInProcess(run: ActionRun): Promise<RunResult> {
  if (run.entry !== undefined || run.nodeArgs !== undefined) throw new Error('runActionInProcess: entry and nodeArgs need runBuiltAction');
  const { files, env } = prepareRun(run);
  const saved = { env: { ...process.env }, cwd: process.cwd(), exitCode: process.exitCode };
  // Put back as they were (bound to their streams, as node's own are).
  const writes = { stdout: process.stdout.write.bind(process.stdout), stderr: process.stderr.write.bind(process.stderr) };
  let stdout = '';
  let stderr = '';
  const capture =
    (append: (text: string) => void) =>
    (chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
      append(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString());
      const callback = rest.find((arg) => typeof arg === 'function') as (() => void) | undefined;
      callback?.();
      return true;
    };
  for (const name of Object.keys(process.env)) delete process.env[name];
  Object.assign(process.env, env);
  process.exitCode = undefined;
  process.chdir(run.cwd ?? run.workspace);
  process.stdout.write = capture((text) => (stdout += text));
  process.stderr.write = capture((text) => (stderr += text));
  let code: number;
  try {
    // One after the other: jest's ESM loader fails on two concurrent imports that share modules.
    const core = await import('@actions/core');
    const { run: runAction } = await import('../../src/action/main.js');
    // The toolkit's job summary is a process-wide object that remembers the first run's file: start each run afresh.
    core.summary.emptyBuffer();
    (core.summary as unknown as { _filePath?: string })._filePath = undefined;
    await runAction();
    code = typeof process.exitCode === 'number' ? process.exitCode : 0;
  } finally {
    process.stdout.write = writes.stdout;
    process.stderr.write = writes.stderr;
    process.chdir(saved.cwd);
    for (const name of Object.keys(process.env)) delete process.env[name];
    Object.assign(process.env, saved.env);
    process.exitCode = saved.exitCode;
  }
  return resultOf(files, code, stdout, stderr);
}

export function runBuiltAction(run: ActionRun): Promise<RunResult> {
  const { files, env } = prepareRun(run);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(run.nodeArgs ?? []), run.entry ?? DIST], { cwd: run.cwd ?? run.workspace, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve(resultOf(files, code, stdout, stderr)));
  });
}
