/**
 * Writing outputs safely: never through a symlink, never half-written.
 *
 * Every output (scored CSV, JSON report, mined CSV, model files, caches) is
 * written to a new temporary file in the destination's directory — created
 * exclusively, so an existing file or symlink there is never opened — and
 * renamed over the destination at the end. rename() replaces the directory
 * entry itself, so even a symlink that appears at the destination meanwhile
 * is replaced, not followed. A symlink already at the destination is refused
 * with an error naming the output, and so is a symlink among the folders
 * between a trusted root and the file (a committed `reports -> ../.git` must
 * not move the output elsewhere): by default the root is the current
 * directory for files inside it, else the file's own folder; the action
 * names the workspace or RUNNER_TEMP. Missing folders are created one at a
 * time below the root, so none is created through a symlink either.
 *
 * The checks run when the file is opened and again just before the rename;
 * they guard against files that exist before the write (what a pull request
 * can commit), not against another process swapping folders meanwhile.
 *
 * A failed or interrupted write leaves the destination as it was and removes
 * its temporary file (front ends call `removePendingOutputs` when a signal
 * ends the process).
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, lstatSync, mkdirSync, openSync, realpathSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';

export interface OutputOptions {
  /**
   * A folder trusted as it is (the workspace, RUNNER_TEMP); the output must be
   * inside it and no folder between it and the file may be a symlink.
   * Default: the current directory when the file is inside it, else the
   * file's own folder (then only the file itself is checked).
   */
  root?: string;
}

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

function isWithin(file: string, root: string): boolean {
  const relative = path.relative(root, file);
  return relative === '' || (!relative.startsWith(`..${path.sep}`) && relative !== '..' && !path.isAbsolute(relative));
}

/** The trusted root of `file` (absolute): the one given, else the current directory when `file` is inside it, else its folder. */
function rootOf(file: string, options: OutputOptions): string {
  if (options.root !== undefined) return path.resolve(options.root);
  const cwd = path.resolve('.');
  return isWithin(file, cwd) ? cwd : path.dirname(file);
}

/**
 * Make sure every folder from `root` (exclusive) down to the file's folder is
 * a real folder, creating missing ones one at a time; refuse a symlink or a
 * file among them. `create` false only checks (before the rename).
 */
function checkFolders(file: string, what: string, root: string, create: boolean): void {
  const absolute = path.resolve(file);
  if (!isWithin(absolute, root) || absolute === root) throw new OutputError(what, file, `it is not inside ${root}`);
  if (create) {
    try {
      mkdirSync(root, { recursive: true });
    } catch (error) {
      throw new OutputError(what, file, reasonOf(error));
    }
  }
  const parts = path.relative(root, path.dirname(absolute)).split(path.sep).filter(Boolean);
  let folder = root;
  for (const part of parts) {
    folder = path.join(folder, part);
    let stat;
    try {
      stat = lstatSync(folder);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || !create) throw new OutputError(what, file, reasonOf(error));
      try {
        // Not recursive: creates this one folder, and fails rather than follow a symlink that appeared meanwhile.
        mkdirSync(folder);
        stat = lstatSync(folder);
      } catch (mkdirError) {
        throw new OutputError(what, file, reasonOf(mkdirError));
      }
    }
    if (stat.isSymbolicLink())
      throw new OutputError(
        what,
        file,
        `its folder ${folder} is a symbolic link; refusing to write through it (name the real folder if you mean it)`
      );
    if (!stat.isDirectory()) throw new OutputError(what, file, `${folder} is a file, not a folder`);
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

  private readonly root: string;

  private constructor(
    readonly file: string,
    readonly what: string,
    options: OutputOptions
  ) {
    const absolute = path.resolve(file);
    this.root = rootOf(absolute, options);
    this.temp = path.join(path.dirname(absolute), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  }

  /**
   * Start writing `file` (`what` names it in errors, e.g. "the scored file");
   * creates missing folders below the root (see OutputOptions).
   */
  static open(file: string, what = 'the output', options: OutputOptions = {}): AtomicFile {
    const atomic = new AtomicFile(file, what, options);
    checkFolders(file, what, atomic.root, true);
    checkDestination(file, what);
    try {
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
      checkFolders(this.file, this.what, this.root, false);
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
export function writeFileAtomic(file: string, data: string | Uint8Array, what = 'the output', options: OutputOptions = {}): void {
  const atomic = AtomicFile.open(file, what, options);
  atomic.write(data);
  atomic.commit();
}

/**
 * Make sure `folder` is a real folder (created with its parents when missing) and not a
 * symbolic link: the base of a cache whose files are then written with `{ root: folder }`.
 * A restored or shared cache folder could otherwise send writes anywhere.
 */
export function ensureRealFolder(folder: string, what: string): void {
  try {
    mkdirSync(folder, { recursive: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw new OutputError(what, folder, reasonOf(error));
  }
  let stat;
  try {
    stat = lstatSync(folder);
  } catch (error) {
    throw new OutputError(what, folder, reasonOf(error));
  }
  if (stat.isSymbolicLink()) throw new OutputError(what, folder, 'it is a symbolic link; refusing to write through it');
  if (!stat.isDirectory()) throw new OutputError(what, folder, 'it exists and is not a folder');
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

/**
 * Where `file` really is when, symlinks followed, it lies outside `root`
 * (e.g. a model folder in the workspace whose `v001.card.json` links to
 * /etc/passwd); undefined when it is inside. A file that does not exist is
 * not outside: reading it then fails with the caller's usual message.
 * Readers confined to a folder refuse such a file before opening it.
 */
export function outsideRoot(file: string, root: string): string | undefined {
  let real: string;
  try {
    real = realpathSync(file);
  } catch {
    return undefined;
  }
  let realRoot: string;
  try {
    realRoot = realpathSync(root);
  } catch {
    realRoot = path.resolve(root);
  }
  return isWithin(real, realRoot) ? undefined : real;
}

/**
 * What is wrong with a JSON text, without quoting it: JSON.parse's messages
 * quote the text (`Unexpected token 'r', "root:x:0:0"… is not valid JSON`),
 * which would echo a file's content into logs. Keeps only the position.
 */
export function jsonSyntaxProblem(error: unknown): string {
  const message = error instanceof Error ? error.message : '';
  const position = /position (\d+)/.exec(message)?.[1];
  if (/end of (JSON )?(input|data)/i.test(message)) return 'not valid JSON (it ends too early)';
  return position === undefined ? 'not valid JSON' : `not valid JSON (at character ${Number(position) + 1})`;
}

/**
 * A Writable over an AtomicFile, for outputs written as a stream (e.g. a CSV
 * produced row by row): the file appears when the stream finishes, and a
 * stream destroyed with an error leaves the destination as it was.
 */
export function atomicWriteStream(file: string, what = 'the output', options: OutputOptions = {}): Writable {
  const atomic = AtomicFile.open(file, what, options);
  return new Writable({
    write(chunk: Buffer, _encoding, callback) {
      try {
        atomic.write(chunk);
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
    final(callback) {
      try {
        atomic.commit();
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
    destroy(error, callback) {
      // After a successful final() the file is in place and abort() only finds no temporary file left.
      if (error) atomic.abort();
      callback(error);
    }
  });
}
