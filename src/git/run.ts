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

/** How to spawn one git process: full argument list, working directory, environment, optional stdin text. */
export interface GitInvocation {
  /** Arguments after `git`, all of them (global options included). */
  argv: string[];
  /** The arguments named in errors (the subcommand and its options). */
  shown: string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Written to git's stdin, then stdin is closed (e.g. revisions for `--stdin`). */
  stdin?: Iterable<string>;
}

/**
 * Run git once and stream its stdout as raw chunks. Throws GitError after the stream if
 * git exits non-zero; stopping early (break/return) kills git.
 */
export async function* spawnGitBytes(call: GitInvocation): AsyncGenerator<Buffer> {
  // Never prompt for credentials: a prompt would hang a CI job.
  const env = { ...(call.env ?? process.env), GIT_TERMINAL_PROMPT: '0' };
  const child = spawn('git', call.argv, { cwd: call.cwd, env, stdio: [call.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (s: string) => {
    if (stderr.length < STDERR_LIMIT) stderr += s;
  });
  const exited = new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve(code));
  });
  // Surface spawn errors (git missing) instead of an unhandled rejection.
  exited.catch(() => undefined);
  if (call.stdin && child.stdin) feed(child.stdin, call.stdin);
  try {
    for await (const chunk of child.stdout! as AsyncIterable<Buffer>) yield chunk;
    let code: number | null;
    try {
      code = await exited;
    } catch (err) {
      throw new GitError(call.shown, null, (err as Error).message);
    }
    if (code !== 0) throw new GitError(call.shown, code, stderr);
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill();
  }
}

/** Write lines to a child's stdin with back-pressure; a child that exits early (EPIPE) is reported by its exit code. */
function feed(stdin: NodeJS.WritableStream, lines: Iterable<string>): void {
  stdin.on('error', () => undefined);
  const it = lines[Symbol.iterator]();
  const pump = (): void => {
    for (;;) {
      const next = it.next();
      if (next.done) {
        stdin.end();
        return;
      }
      if (!stdin.write(next.value)) {
        stdin.once('drain', pump);
        return;
      }
    }
  };
  pump();
}

/** Decode a byte stream as UTF-8 text chunks (safe across chunk boundaries). */
export async function* decodeUtf8(chunks: AsyncIterable<Buffer>): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  for await (const chunk of chunks) {
    const text = decoder.write(chunk);
    if (text) yield text;
  }
  const tail = decoder.end();
  if (tail) yield tail;
}

/**
 * Run git once in `repo` and stream its stdout as decoded text chunks (UTF-8 safe across chunk
 * boundaries). Throws GitError after the stream if git exits non-zero.
 */
export function streamGit(repo: string, args: string[]): AsyncGenerator<string> {
  return decodeUtf8(spawnGitBytes({ argv: gitArgs(repo, args), shown: args }));
}

/** Run git to completion and return stdout. */
export async function runGit(repo: string, args: string[]): Promise<string> {
  let out = '';
  for await (const text of streamGit(repo, args)) out += text;
  return out;
}
