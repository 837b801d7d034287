/**
 * Writing outputs safely: never through a symlink, never half-written.
 *
 * Every output (scored CSV, JSON report, mined CSV, model files, caches) is
 * written to a new temporary file in the destination's directory — created
 * exclusively, so an existing file or symlink there is never opened — and
 * renamed over the destination at the end. rename() replaces the directory
 * entry itself, so even a symlink that appears at the destination meanwhile
 * is replaced, not followed. A symlink already at the destination is refused
 * with an error naming the output. A failed or interrupted write leaves the
 * destination as it was and removes its temporary file (front ends call
 * `removePendingOutputs` when a signal ends the process).
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, lstatSync, mkdirSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';

/** An output that cannot be written; the message names which output, where, and why. */
export class OutputError extends Error {
  constructor(
    readonly what: string,
    readonly file: string,
    reason: string
  ) {
    super(`cannot write ${what} ${file}: ${reason}`);
    this.name = 'OutputError';
  }
}

/** Temporary files being written, removed by removePendingOutputs. */
const pending = new Set<string>();

function reasonOf(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOENT':
      return 'its folder does not exist';
    case 'ENOTDIR':
      return 'a part of its folder path is a file, not a folder';
    case 'EISDIR':
      return 'it is a folder';
    case 'EROFS':
      return 'the file system is read-only';
    case 'ENOSPC':
      return 'no space left on the device';
    default:
      return error instanceof Error ? error.message : String(error);
  }
}

/** Refuse a destination that is a symlink (or anything but a regular file, when it exists). */
function checkDestination(file: string, what: string): void {
  let stat;
  try {
    stat = lstatSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw new OutputError(what, file, reasonOf(error));
  }
  if (stat.isSymbolicLink()) throw new OutputError(what, file, 'it is a symbolic link; refusing to write through it');
  if (!stat.isFile()) throw new OutputError(what, file, 'it exists and is not a regular file');
}

/** A file being written: chunks go to a temporary file that `commit` renames into place. */
export class AtomicFile {
  private fd: number | undefined;
  private readonly temp: string;

  private constructor(
    readonly file: string,
    readonly what: string
  ) {
    const dir = path.dirname(path.resolve(file));
    this.temp = path.join(dir, `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  }

  /** Start writing `file` (`what` names it in errors, e.g. "the scored file"); creates missing folders. */
  static open(file: string, what = 'the output'): AtomicFile {
    const atomic = new AtomicFile(file, what);
    checkDestination(file, what);
    try {
      mkdirSync(path.dirname(atomic.temp), { recursive: true });
      // 'wx': created exclusively (O_CREAT | O_EXCL), which never follows a symlink.
      atomic.fd = openSync(atomic.temp, 'wx', 0o644);
    } catch (error) {
      throw new OutputError(what, file, reasonOf(error));
    }
    pending.add(atomic.temp);
    return atomic;
  }

  write(chunk: string | Uint8Array): void {
    if (this.fd === undefined) throw new Error(`${this.file}: write after commit or abort`);
    try {
      if (typeof chunk === 'string') writeSync(this.fd, chunk);
      else for (let at = 0; at < chunk.length;) at += writeSync(this.fd, chunk, at, chunk.length - at);
    } catch (error) {
      this.abort();
      throw new OutputError(this.what, this.file, reasonOf(error));
    }
  }

  /** Flush, close and rename into place; the destination is checked again just before. */
  commit(): void {
    if (this.fd === undefined) throw new Error(`${this.file}: commit after commit or abort`);
    try {
      fsyncSync(this.fd);
      closeSync(this.fd);
      this.fd = undefined;
      checkDestination(this.file, this.what);
      renameSync(this.temp, this.file);
      pending.delete(this.temp);
    } catch (error) {
      this.abort();
      throw error instanceof OutputError ? error : new OutputError(this.what, this.file, reasonOf(error));
    }
  }

  /** Drop the temporary file; the destination stays as it was. */
  abort(): void {
    if (this.fd !== undefined) {
      try {
        closeSync(this.fd);
      } catch {
        // Already closed or unusable: the file is removed below either way.
      }
      this.fd = undefined;
    }
    removeQuietly(this.temp);
    pending.delete(this.temp);
  }
}

/** Write a whole output at once (see AtomicFile). */
export function writeFileAtomic(file: string, data: string | Uint8Array, what = 'the output'): void {
  const atomic = AtomicFile.open(file, what);
  atomic.write(data);
  atomic.commit();
}

/** Remove the temporary files of writes still in progress (for a front end ending on a signal). */
export function removePendingOutputs(): void {
  for (const temp of pending) removeQuietly(temp);
  pending.clear();
}

function removeQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // Gone already.
  }
}
