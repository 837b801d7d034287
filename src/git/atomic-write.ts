/**
 * Outputs that are never half-written and never written through a symbolic link.
 *
 * Data goes to a new temporary file in the destination's directory (created exclusively, so
 * nothing planted under that name is followed), is flushed to disk, and is renamed over the
 * destination only when complete. A symbolic link at the destination is refused: a pull
 * request may commit one pointing anywhere (.git/config, ~/.gitconfig). A failed write, an
 * abort, process.exit() or SIGINT/SIGTERM/SIGHUP removes the temporary file and leaves the
 * destination as it was.
 */
import { randomBytes } from 'node:crypto';
import { unlinkSync } from 'node:fs';
import { lstat, open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** The destination cannot be written safely (a symbolic link, a directory). */
export class UnsafeOutputError extends Error {
  constructor(
    readonly path: string,
    reason: string
  ) {
    super(`${path}: ${reason}`);
    this.name = 'UnsafeOutputError';
  }
}

/** Throws UnsafeOutputError when `path` is a symbolic link or a directory; a missing path is fine. */
export async function assertWritableTarget(path: string): Promise<void> {
  let stat;
  try {
    stat = await lstat(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  if (stat.isSymbolicLink())
    throw new UnsafeOutputError(path, 'refusing to write through a symbolic link; remove it or choose another output path');
  if (stat.isDirectory()) throw new UnsafeOutputError(path, 'is a directory, expected a file path');
}

// Temporary files of unfinished writes, removed synchronously if the process ends first.
const live = new Set<string>();
const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

function removeLive(): void {
  for (const path of live) {
    try {
      unlinkSync(path);
    } catch {
      // already gone
    }
  }
  live.clear();
}

function onSignal(signal: NodeJS.Signals): void {
  removeLive();
  uninstall();
  // Nobody else handles it: end the process the way the signal would have.
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

function install(): void {
  process.on('exit', removeLive);
  for (const s of SIGNALS) process.on(s, onSignal);
}

function uninstall(): void {
  process.off('exit', removeLive);
  for (const s of SIGNALS) process.off(s, onSignal);
}

function track(path: string): void {
  if (live.size === 0) install();
  live.add(path);
}

function untrack(path: string): void {
  live.delete(path);
  if (live.size === 0) uninstall();
}

/** An output being written: write() chunks, then commit() to put it in place, or abort(). */
export class AtomicFile {
  private closed = false;

  private constructor(
    readonly path: string,
    readonly tempPath: string,
    private readonly handle: FileHandle
  ) {}

  /** Start writing `path`: checks the destination, creates the temporary file beside it. */
  static async open(path: string): Promise<AtomicFile> {
    await assertWritableTarget(path);
    const tempPath = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
    const handle = await open(tempPath, 'wx', 0o644);
    track(tempPath);
    return new AtomicFile(path, tempPath, handle);
  }

  async write(chunk: string | Uint8Array): Promise<void> {
    if (this.closed) throw new Error(`${this.path}: write after the output was closed`);
    if (typeof chunk === 'string') await this.handle.writeFile(chunk, 'utf8');
    else await this.handle.writeFile(chunk);
  }

  /** Flush, then rename over the destination (checked again: refusing a symbolic link that appeared meanwhile). */
  async commit(): Promise<void> {
    if (this.closed) throw new Error(`${this.path}: the output was already closed`);
    try {
      await this.handle.sync();
      await this.handle.close();
      this.closed = true;
      await assertWritableTarget(this.path);
      await rename(this.tempPath, this.path);
      untrack(this.tempPath);
    } catch (err) {
      await this.abort();
      throw err;
    }
  }

  /** Drop the temporary file; the destination is untouched. Safe to call more than once. */
  async abort(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      await this.handle.close().catch(() => undefined);
    }
    if (live.has(this.tempPath)) {
      await unlink(this.tempPath).catch(() => undefined);
      untrack(this.tempPath);
    }
  }
}

export type AtomicData = string | Uint8Array | Iterable<string | Uint8Array> | AsyncIterable<string | Uint8Array>;

/** Write `data` (text, bytes, or chunks) to `path` atomically; see the module comment. */
export async function writeFileAtomic(path: string, data: AtomicData): Promise<void> {
  const file = await AtomicFile.open(path);
  try {
    if (typeof data === 'string' || data instanceof Uint8Array) await file.write(data);
    else for await (const chunk of data) await file.write(chunk);
  } catch (err) {
    await file.abort();
    throw err;
  }
  await file.commit();
}
