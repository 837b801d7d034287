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
import { readFile, lstat, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { z } from 'zod';
import { UnsafeOutputError, writeFileAtomic } from './atomic-write.js';
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
  /** The last non-merge rows before `commit` (inclusive), oldest first. */
  recent: CommitMetrics[];
}

const count = z.number().int().nonnegative();
const time = z.number().finite();

const reviewer = z.object({ name: z.string(), email: z.string(), lastChange: time, files: count });
const row = z.object({
  commit: z.string(),
  author: z.string(),
  email: z.string(),
  date: time,
  subject: z.string(),
  ns: count,
  nd: count,
  nf: count,
  entropy: z.number().nonnegative(),
  la: count,
  ld: count,
  lt: count,
  fix: z.union([z.literal(0), z.literal(1)]),
  ndev: count,
  age: z.number().nonnegative(),
  nuc: count,
  exp: count,
  rexp: z.number().nonnegative(),
  sexp: count,
  files: z.array(z.string()),
  reviewers: z.array(reviewer),
  merge: z.union([z.literal(0), z.literal(1)]),
  ignoredLines: count
});

const document = z.object({
  format: z.literal(CACHE_FORMAT),
  version: z.literal(CACHE_VERSION),
  commit: z.string().regex(/^[0-9a-f]{40,64}$/),
  commitTime: time,
  objectFormat: z.string(),
  settings: z.object({ ignore: z.array(z.string()), fixRule: z.string() }),
  replayed: count,
  history: z.object({
    authors: z.array(
      z.tuple([
        z.string(),
        z.string(),
        z.string(),
        count,
        z.object({ buckets: z.array(z.tuple([time, z.number().positive()])), limit: count }),
        z.array(z.tuple([z.string(), count]))
      ])
    ),
    files: z.array(z.tuple([z.string(), count, time, z.union([z.literal(0), z.literal(1)]), z.array(z.tuple([count, time]))]))
  }),
  blobs: z.array(z.tuple([z.string(), z.string().regex(/^[0-9a-f]{40,64}$/), z.number().int().min(-1)])),
  recent: z.array(row)
});

/** Why a cache could not be used (a missing file included); the run falls back to a full replay. */
export class CacheMiss extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'CacheMiss';
  }
}

/** Refuse a cache directory that is a symbolic link (it could point anywhere); create it when missing. */
export async function prepareCacheDir(dir: string): Promise<void> {
  try {
    if ((await lstat(dir)).isSymbolicLink())
      throw new UnsafeOutputError(dir, 'the cache directory is a symbolic link; refusing to write through it');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  await mkdir(dir, { recursive: true });
}

export async function saveHistoryCache(dir: string, state: CachedState): Promise<string> {
  await prepareCacheDir(dir);
  const path = join(dir, CACHE_FILE);
  const json = JSON.stringify({ format: CACHE_FORMAT, version: CACHE_VERSION, ...state });
  await writeFileAtomic(path, gzipSync(json, { level: 6 }));
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
  const head = z.object({ format: z.string(), version: z.number() }).safeParse(data);
  if (!head.success || head.data.format !== CACHE_FORMAT) throw new CacheMiss(`${path} is not a patch-risk history cache`);
  if (head.data.version !== CACHE_VERSION) {
    throw new CacheMiss(`${path} has cache format version ${head.data.version}, this miner writes version ${CACHE_VERSION}`);
  }
  const parsed = document.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CacheMiss(`${path} is damaged (${issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid'})`);
  }
  const { format: _format, version: _version, ...state } = parsed.data;
  return state as CachedState;
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
