// What the process benchmarks share: timing a whole child process with GNU time
// (wall seconds, CPU seconds, peak RSS), medians with their spread, and tables.
// The machine is shared: runs of the things compared are interleaved, so a
// burst of load from elsewhere hits all of them, and the spread is printed.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const TIME = '/usr/bin/time';

/** GNU time (Debian package `time`), installed with apt-get when missing. */
export function ensureGnuTime() {
  if (!existsSync(TIME)) execFileSync('apt-get', ['install', '-y', '-qq', 'time'], { stdio: 'inherit' });
}

/**
 * Run a command to its end; returns wall and CPU (user + system) seconds, peak
 * RSS in MB, the exit status and stdout. `ok` lists the exit codes that are not failures.
 */
export function timed(command, args, { ok = [0], env, cwd, input } = {}) {
  const result = spawnSync(TIME, ['-f', '@@time %e %U %S %M', command, ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
    env: env ?? process.env,
    cwd,
    input
  });
  const lines = result.stderr.trimEnd().split('\n');
  const last = lines.pop() ?? '';
  if (!last.startsWith('@@time ')) throw new Error(`${command} ${args.join(' ')}: no timing (${result.stderr})`);
  const [wall, user, system, kb] = last.slice(7).split(' ').map(Number);
  if (!ok.includes(result.status)) throw new Error(`${command} ${args.join(' ')} exited ${result.status}: ${lines.join('\n')}`);
  return { wall, cpu: user + system, rssMb: kb / 1024, status: result.status, stdout: result.stdout, stderr: lines.join('\n') };
}

/** `timed` without blocking this process (for a child that talks to a server running here). */
export function timedAsync(command, args, { ok = [0], env, cwd } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(TIME, ['-f', '@@time %e %U %S %M', command, ...args], { env: env ?? process.env, cwd });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (status) => {
      const lines = stderr.trimEnd().split('\n');
      const last = lines.pop() ?? '';
      if (!last.startsWith('@@time ')) return reject(new Error(`${command} ${args.join(' ')}: no timing (${stderr})`));
      if (!ok.includes(status)) return reject(new Error(`${command} ${args.join(' ')} exited ${status}: ${lines.join('\n')}`));
      const [wall, user, system, kb] = last.slice(7).split(' ').map(Number);
      resolve({ wall, cpu: user + system, rssMb: kb / 1024, status, stdout, stderr: lines.join('\n') });
    });
  });
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** "median (min–max)" with `digits` decimals. */
export function spread(values, digits = 3) {
  return `${median(values).toFixed(digits)} (${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)})`;
}

/**
 * Run each named job `repeats` times, interleaved (a, b, c, a, b, c, …), after
 * one unrecorded warm-up run of each (page cache, lazy installs). Returns
 * name → list of `timed` results.
 */
export function interleaved(jobs, repeats) {
  const runs = Object.fromEntries(Object.keys(jobs).map((name) => [name, []]));
  for (const job of Object.values(jobs)) job();
  for (let i = 0; i < repeats; i++) for (const [name, job] of Object.entries(jobs)) runs[name].push(job());
  return runs;
}

/** `interleaved` for jobs that return promises. */
export async function interleavedAsync(jobs, repeats) {
  const runs = Object.fromEntries(Object.keys(jobs).map((name) => [name, []]));
  for (const job of Object.values(jobs)) await job();
  for (let i = 0; i < repeats; i++) for (const [name, job] of Object.entries(jobs)) runs[name].push(await job());
  return runs;
}

/** Print rows (arrays of strings) as an aligned table, the first row a header. */
export function printTable(rows) {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => String(row[c]).length)));
  for (const [i, row] of rows.entries()) {
    console.log(
      row
        .map((cell, c) => String(cell).padEnd(widths[c]))
        .join('  ')
        .trimEnd()
    );
    if (i === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  }
}

export function argValue(name, fallback) {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}
