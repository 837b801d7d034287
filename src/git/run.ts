/** Spawning git: one streaming process for the miner, small buffered calls for the rest. */
import { spawn } from 'node:child_process';
import { StringDecoder } from 'node:string_decoder';

/** git failed or is missing: says which command and what git printed. */
export class GitError extends Error {
  constructor(
    readonly args: string[],
    readonly code: number | null,
    stderr: string
  ) {
    const detail = stderr.trim().split('\n').slice(-3).join(' / ');
    super(`git ${args.join(' ')} failed${code === null ? '' : ` (exit ${code})`}${detail ? `: ${detail}` : ''}`);
    this.name = 'GitError';
  }
}

// Options that keep output machine-readable whatever the user's config says.
const BASE_CONFIG = ['-c', 'core.quotepath=off', '-c', 'log.showSignature=false', '-c', 'color.ui=false'];
const STDERR_LIMIT = 16_384;

function gitArgs(repo: string, args: string[]): string[] {
  return ['-C', repo, ...BASE_CONFIG, ...args];
}

/**
 * Run git once and stream its stdout as decoded text chunks (UTF-8 safe across chunk
 * boundaries). Throws GitError after the stream if git exits non-zero.
 */
export async function* streamGit(repo: string, args: string[]): AsyncGenerator<string> {
  // Never prompt for credentials: a prompt would hang a CI job.
  const child = spawn('git', gitArgs(repo, args), { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (s: string) => {
    if (stderr.length < STDERR_LIMIT) stderr += s;
  });
  const exited = new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve(code));
  });
  // Surface spawn errors (git missing) instead of an unhandled rejection.
  exited.catch(() => undefined);
  const decoder = new StringDecoder('utf8');
  try {
    for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
      const text = decoder.write(chunk);
      if (text) yield text;
    }
    const tail = decoder.end();
    if (tail) yield tail;
    let code: number | null;
    try {
      code = await exited;
    } catch (err) {
      throw new GitError(args, null, (err as Error).message);
    }
    if (code !== 0) throw new GitError(args, code, stderr);
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill();
  }
}

/** Run git to completion and return stdout. */
export async function runGit(repo: string, args: string[]): Promise<string> {
  let out = '';
  for await (const text of streamGit(repo, args)) out += text;
  return out;
}
