/**
 * The history state cache: the replay state after a commit, saved to a directory so a later
 * run replays only the commits after it.
 *
 * One gzip-compressed JSON file, `DIR/history-state.json.gz`, written atomically (temporary
 * file + rename, never through a symbolic link). It holds a format version, the commit the
 * state stands at (and its committer time, for deepening a shallow clone), the settings that
 * change results (ignore patterns, the fix rule), the per-file and per-author aggregates, the
 * blob line counts by path, and the metric rows of the last 2,000 non-merge commits. A file
 * that does not match this shape, an older format or other settings is never used.
 */
import { readFile, lstat } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { ensureRealFolder, writeFileAtomic } from '../core/files.js';
import type { CommitMetrics, HistorySnapshot } from './history.js';

export const CACHE_FILE = 'history-state.json.gz';
export const CACHE_FORMAT = 'patch-risk-history-state';
/** Bump when the replay, a metric or the file layout changes meaning. */
export const CACHE_VERSION = 1;

/** What the state's numbers depend on besides the history itself. */
export interface CacheSettings {
  ignore: string[];
  /** Identifies the rule behind the `fix` column. */
  fixRule: string;
}

export interface CachedState {
  commit: string;
  /** Committer time of `commit`, unix seconds. */
  commitTime: number;
  objectFormat: string;
  settings: CacheSettings;
  /** Commits replayed into the state since the root. */
  replayed: number;
  history: HistorySnapshot;
  /** [path, blob, lines] */
  blobs: [string, string, number][];
  /** Metric rows of the last non-merge commits up to `commit`, oldest first (files and reviewers left out). */
  recent: CommitMetrics[];
}

/** Fields of a recent row, in the order the file stores them (one array per row). */
const RECENT_FIELDS = [
  'commit',
  'author',
  'email',
  'date',
  'subject',
  'ns',
  'nd',
  'nf',
  'entropy',
  'la',
  'ld',
  'lt',
  'fix',
  'ndev',
  'age',
  'nuc',
  'exp',
  'rexp',
  'sexp',
  'ignoredLines'
] as const;

// A small shape checker: the state has tens of thousands of entries, checked on every resume.
type Check = (value: unknown, at: string) => void;

class Damaged extends Error {}

function expect(ok: boolean, at: string, what: string): void {
  if (!ok) throw new Damaged(`${at}: expected ${what}`);
}
const str: Check = (v, at) => expect(typeof v === 'string', at, 'a string');
const num: Check = (v, at) => expect(typeof v === 'number' && Number.isFinite(v), at, 'a number');
const count: Check = (v, at) => expect(typeof v === 'number' && Number.isInteger(v) && v >= 0, at, 'a whole number >= 0');
const lines: Check = (v, at) => expect(typeof v === 'number' && Number.isInteger(v) && v >= -1, at, 'a line count or -1');
const bit: Check = (v, at) => expect(v === 0 || v === 1, at, '0 or 1');
const objectId: Check = (v, at) => expect(typeof v === 'string' && /^[0-9a-f]{40,64}$/.test(v), at, 'an object id');
const tuple =
  (...checks: Check[]): Check =>
  (v, at) => {
    expect(Array.isArray(v) && v.length === checks.length, at, `a list of ${checks.length}`);
    checks.forEach((c, i) => c((v as unknown[])[i], `${at}[${i}]`));
  };
const list =
  (check: Check): Check =>
  (v, at) => {
    expect(Array.isArray(v), at, 'a list');
    (v as unknown[]).forEach((x, i) => check(x, `${at}[${i}]`));
  };
const record =
  (fields: Record<string, Check>): Check =>
  (v, at) => {
    expect(typeof v === 'object' && v !== null && !Array.isArray(v), at, 'an object');
    for (const [k, c] of Object.entries(fields)) c((v as Record<string, unknown>)[k], `${at}.${k}`);
  };

const RECENT_CHECKS: Record<(typeof RECENT_FIELDS)[number], Check> = {
  commit: objectId,
  author: str,
  email: str,
  date: num,
  subject: str,
  ns: count,
  nd: count,
  nf: count,
  entropy: num,
  la: count,
  ld: count,
  lt: count,
  fix: bit,
  ndev: count,
  age: num,
  nuc: count,
  exp: count,
  rexp: num,
  sexp: count,
  ignoredLines: count
};

const DOCUMENT = record({
  commit: objectId,
  commitTime: num,
  objectFormat: str,
  settings: record({ ignore: list(str), fixRule: str }),
  replayed: count,
  history: record({
    authors: list(tuple(str, str, str, count, record({ buckets: list(tuple(num, num)), limit: count }), list(tuple(str, count)))),
    files: list(tuple(str, count, num, bit, list(tuple(count, num))))
  }),
  blobs: list(tuple(str, objectId, lines)),
  recent: list(tuple(...RECENT_FIELDS.map((f) => RECENT_CHECKS[f])))
});

/** A recent row as the cache keeps it: the metrics, without files and reviewers. */
export function metricRow(m: CommitMetrics): CommitMetrics {
  const { parts: _parts, ...metrics } = m;
  return { ...metrics, files: [], reviewers: [], merge: 0, ignoredLines: m.ignoredLines ?? 0 };
}

function packRow(m: CommitMetrics): unknown[] {
  return RECENT_FIELDS.map((f) => m[f] ?? 0);
}

function unpackRow(values: unknown[]): CommitMetrics {
  const row: Record<string, unknown> = { files: [], reviewers: [], merge: 0 };
  RECENT_FIELDS.forEach((f, i) => (row[f] = values[i]));
  return row as unknown as CommitMetrics;
}

/** Why a cache could not be used (a missing file included); the run falls back to a full replay. */
export class CacheMiss extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'CacheMiss';
  }
}

/** Refuse a cache directory that is a symbolic link (it could point anywhere); create it when missing. */
export function prepareCacheDir(dir: string): void {
  ensureRealFolder(dir, 'the history cache');
}

export async function saveHistoryCache(dir: string, state: CachedState): Promise<string> {
  prepareCacheDir(dir);
  const path = join(dir, CACHE_FILE);
  const json = JSON.stringify({ format: CACHE_FORMAT, version: CACHE_VERSION, ...state, recent: state.recent.map(packRow) });
  // Fast compression: the file is written on every run that replays something.
  writeFileAtomic(path, gzipSync(json, { level: 1 }), 'the history cache', { root: dir });
  return path;
}

/** Read and check a cache; throws CacheMiss with the reason when there is none or it cannot be used. */
export async function loadHistoryCache(dir: string): Promise<CachedState> {
  const path = join(dir, CACHE_FILE);
  let bytes: Buffer;
  try {
    if ((await lstat(path)).isSymbolicLink()) throw new CacheMiss(`${path} is a symbolic link; ignoring it`);
    bytes = await readFile(path);
  } catch (err) {
    if (err instanceof CacheMiss) throw err;
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new CacheMiss(`no cached state in ${dir} yet`);
    throw new CacheMiss(`cannot read ${path}: ${(err as Error).message}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(gunzipSync(bytes).toString('utf8'));
  } catch (err) {
    throw new CacheMiss(`${path} is not a gzip-compressed JSON file (${(err as Error).message})`);
  }
  const head = data as { format?: unknown; version?: unknown } | null;
  if (typeof head !== 'object' || head === null || head.format !== CACHE_FORMAT)
    throw new CacheMiss(`${path} is not a patch-risk history cache`);
  if (head.version !== CACHE_VERSION) {
    throw new CacheMiss(`${path} has cache format version ${String(head.version)}, this miner writes version ${CACHE_VERSION}`);
  }
  try {
    DOCUMENT(data, 'state');
  } catch (err) {
    if (err instanceof Damaged) throw new CacheMiss(`${path} is damaged (${err.message})`);
    throw err;
  }
  const doc = data as Omit<CachedState, 'recent'> & { recent: unknown[][] };
  return {
    commit: doc.commit,
    commitTime: doc.commitTime,
    objectFormat: doc.objectFormat,
    settings: doc.settings,
    replayed: doc.replayed,
    history: doc.history,
    blobs: doc.blobs,
    recent: doc.recent.map(unpackRow)
  };
}

/** The commit a cache stands at and its committer time (for deepenForCache), or undefined when there is no usable cache. */
export async function cachedCommit(dir: string): Promise<{ commit: string; time: number } | undefined> {
  try {
    const state = await loadHistoryCache(dir);
    return { commit: state.commit, time: state.commitTime };
  } catch (err) {
    if (err instanceof CacheMiss) return undefined;
    throw err;
  }
}

/** The first setting that differs, in words, or undefined when the cache was made with the same settings. */
export function settingsDiffer(cached: CacheSettings, wanted: CacheSettings): string | undefined {
  if (cached.fixRule !== wanted.fixRule) return 'the fix rule differs from the one the cache was made with';
  if (JSON.stringify(cached.ignore) !== JSON.stringify(wanted.ignore)) {
    return `the ignore patterns differ (cache: ${cached.ignore.join(' ') || 'none'}; now: ${wanted.ignore.join(' ') || 'none'})`;
  }
  return undefined;
}
