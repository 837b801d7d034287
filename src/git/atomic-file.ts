/**
 * Files written whole or not at all, and never through a symbolic link: the data goes to a new
 * temporary file in the same directory (created exclusively, so a planted link is not
 * followed), which is then renamed over the target.
 */
import { randomBytes } from 'node:crypto';
import { lstat, mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join, relative, sep } from 'node:path';

/** A path that must not be written: a symbolic link, or not a regular file / directory as expected. */
export class UnsafePathError extends Error {
  constructor(
    readonly path: string,
    problem: string
  ) {
    super(`${path}: ${problem}`);
    this.name = 'UnsafePathError';
  }
}

async function lstatOrUndefined(path: string) {
  try {
    return await lstat(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** Write `data` to `path` atomically. Refuses when `path` is a symbolic link or a directory. */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const existing = await lstatOrUndefined(path);
  if (existing?.isSymbolicLink()) throw new UnsafePathError(path, 'is a symbolic link; refusing to write through it');
  if (existing && !existing.isFile()) throw new UnsafePathError(path, 'exists and is not a regular file');
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temp, 'wx', 0o644);
  try {
    try {
      await handle.writeFile(data);
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}

/**
 * `mkdir -p base/sub/dirs`, refusing when `base` or any level below it is a symbolic link
 * (a link planted in a restored cache could otherwise send writes elsewhere). Each level is
 * checked before anything is created inside it.
 */
export async function makeDirNoLinks(base: string, sub: string): Promise<string> {
  if ((await lstatOrUndefined(base)) === undefined) await mkdir(base, { recursive: true });
  let path = base;
  const levels = ['', ...relative(base, join(base, sub)).split(sep)].filter((p, i) => i === 0 || (p !== '' && p !== '.'));
  for (const level of levels) {
    if (level !== '') {
      path = join(path, level);
      try {
        await mkdir(path);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
    }
    const st = await lstat(path);
    if (st.isSymbolicLink()) throw new UnsafePathError(path, 'is a symbolic link; refusing to write through it');
    if (!st.isDirectory()) throw new UnsafePathError(path, 'is not a directory');
  }
  return path;
}
