/**
 * SZZ results per fix commit on disk, so a later run blames only new fix commits.
 *
 * Layout: `<cache dir>/szz/v1-<settings key>/<first two hex digits>/<fix hash>.json`. The
 * settings key (szzSettingsKey) covers everything a fix's result depends on besides the
 * commits: git options, blank/comment rules, the ignored revisions. What is stored is
 * independent of the fix rule, the date window and the path filter: an entry keeps every
 * file the fix lost lines in, with its blamed commits once blamed and their dates, and those
 * filters are applied when the entry is read. A file a filter excluded is blamed (and the
 * entry extended) only when a later run needs it.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ensureRealFolder, writeFileAtomic } from '../core/files.js';
import type { BlamedCommit } from './szz.js';

const FORMAT = 1;

export interface CachedFile {
  oldPath: string;
  newPath: string;
  /** Parent-side line ranges the fix deleted or modified (blank and comment-only lines left out). */
  ranges: [number, number][];
  /** Set once the file has been blamed. */
  blamed?: BlamedCommit[];
}

export interface FixEntry {
  fix: string;
  parent: string;
  files: CachedFile[];
}

const HASH = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

type Json = unknown;
const isInt = (v: Json): v is number => Number.isSafeInteger(v);

function decodeFile(raw: Json): CachedFile | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const f = raw as Record<string, Json>;
  if (typeof f.old !== 'string' || typeof f.new !== 'string' || !Array.isArray(f.ranges)) return undefined;
  const ranges: [number, number][] = [];
  for (const r of f.ranges as Json[]) {
    if (!Array.isArray(r) || r.length !== 2 || !isInt(r[0]) || !isInt(r[1]) || r[0] < 1 || r[1] < r[0]) return undefined;
    ranges.push([r[0], r[1]]);
  }
  const file: CachedFile = { oldPath: f.old, newPath: f.new, ranges };
  if (f.blamed !== undefined) {
    if (!Array.isArray(f.blamed)) return undefined;
    file.blamed = [];
    for (const b of f.blamed as Json[]) {
      if (!Array.isArray(b) || b.length !== 3 || typeof b[0] !== 'string' || !HASH.test(b[0]) || !isInt(b[1]) || !isInt(b[2]))
        return undefined;
      file.blamed.push({ hash: b[0], authorTime: b[1], committerTime: b[2] });
    }
  }
  return file;
}

/** Parse and check an entry; undefined for anything that is not exactly what `encode` writes. */
export function decodeEntry(text: string, fix: string): FixEntry | undefined {
  let raw: Json;
  try {
    raw = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof raw !== 'object' || raw === null) return undefined;
  const e = raw as Record<string, Json>;
  if (e.format !== FORMAT || e.fix !== fix || typeof e.parent !== 'string' || !HASH.test(e.parent) || !Array.isArray(e.files))
    return undefined;
  const files: CachedFile[] = [];
  for (const f of e.files as Json[]) {
    const file = decodeFile(f);
    if (!file) return undefined;
    files.push(file);
  }
  return { fix, parent: e.parent, files };
}

export function encodeEntry(entry: FixEntry): string {
  return JSON.stringify({
    format: FORMAT,
    fix: entry.fix,
    parent: entry.parent,
    files: entry.files.map((f) => ({
      old: f.oldPath,
      new: f.newPath,
      ranges: f.ranges,
      ...(f.blamed ? { blamed: f.blamed.map((b) => [b.hash, b.authorTime, b.committerTime]) } : {})
    }))
  });
}

export class SzzCache {
  /** Entries that were present but unreadable or malformed (recomputed and overwritten). */
  rejected = 0;

  private constructor(
    readonly dir: string,
    private readonly root: string
  ) {}

  /** Open (creating) the cache for one settings key under `cacheDir`. Refuses symbolic links in the path it creates. */
  static async open(cacheDir: string, settingsKey: string): Promise<SzzCache> {
    ensureRealFolder(cacheDir, 'the SZZ label cache');
    // Its folders are created by put(), one at a time below cacheDir and never through a symbolic link.
    return new SzzCache(join(cacheDir, 'szz', `v${FORMAT}-${settingsKey}`), cacheDir);
  }

  private path(fix: string): string {
    return join(this.dir, fix.slice(0, 2), `${fix}.json`);
  }

  async get(fix: string): Promise<FixEntry | undefined> {
    if (!HASH.test(fix)) return undefined;
    let text: string;
    try {
      text = await readFile(this.path(fix), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      this.rejected += 1;
      return undefined;
    }
    const entry = decodeEntry(text, fix);
    if (!entry) this.rejected += 1;
    return entry;
  }

  async put(entry: FixEntry): Promise<void> {
    if (!HASH.test(entry.fix)) throw new Error(`not a commit hash: ${entry.fix}`);
    writeFileAtomic(this.path(entry.fix), encodeEntry(entry), 'the SZZ label cache', { root: this.root });
  }
}
