/**
 * `labelHistory`: SZZ bug labels for every non-merge commit of a repository's history, as if
 * the repository ended at `until`. One `git log` pass finds the fix commits (by the fix rule,
 * on full messages); only fix commits inside the date window are blamed, git processes run
 * in parallel, and results are cached per fix commit.
 */
import { compileFixRule, type FixRule } from './fix.js';
import { compileIgnore, DEFAULT_IGNORE } from './ignore.js';
import { SzzCache } from './szz-cache.js';
import { defaultJobs, runFixes, withIgnoreRevsFile, type FixJob, type SzzProgress } from './szz-run.js';
import { BLAME_OPTIONS, DIFF_OPTIONS, openSzzRepo, readIgnoreRevs, streamSzzGit, szzGit, szzSettingsKey, type SzzRepo } from './szz.js';

export interface HistoryCommit {
  hash: string;
  /** First parent; undefined for a root commit. */
  parent?: string;
  merge: boolean;
  /** Unix seconds. */
  authorTime: number;
  committerTime: number;
  /** The fix rule holds for the commit's message. */
  fix: boolean;
}

/**
 * Every commit reachable from `rev` whose committer time is at most `until`, newest first
 * (git log order). Messages are tested against the rule as they stream by and not kept.
 */
export async function readHistory(repo: SzzRepo, rev: string, rule: FixRule, until = Infinity): Promise<HistoryCommit[]> {
  const commits: HistoryCommit[] = [];
  let rest = '';
  let fields: string[] = [];
  const take = (field: string): void => {
    fields.push(field);
    if (fields.length < 5) return;
    const [hash, parents, at, ct, message] = fields as [string, string, string, string, string];
    fields = [];
    const committerTime = Number(ct);
    if (committerTime > until) return;
    const parentList = parents === '' ? [] : parents.split(' ');
    commits.push({
      hash,
      parent: parentList[0],
      merge: parentList.length > 1,
      authorTime: Number(at),
      committerTime,
      fix: parentList.length <= 1 && rule.test(message)
    });
  };
  const args = ['log', '-z', '--no-show-signature', '--format=%H%x00%P%x00%at%x00%ct%x00%B', '--end-of-options', rev, '--'];
  for await (const chunk of streamSzzGit(repo, args)) {
    const parts = (rest + chunk).split('\0');
    rest = parts.pop()!;
    for (const part of parts) take(part);
  }
  if (rest !== '' || fields.length > 0) take(rest);
  if (fields.length > 0) throw new Error(`git log output ended inside a commit (${fields.length} of 5 fields)`);
  return commits;
}

/** Where `head`'s first-parent line stood at `until`: the newest commit on it committed by then. */
async function tipAt(repo: SzzRepo, head: string, until: number): Promise<string | undefined> {
  if (until === Infinity) return head;
  const out = await szzGit(repo, [
    'rev-list',
    '-n',
    '1',
    '--first-parent',
    `--min-age=${Math.floor(until)}`,
    '--end-of-options',
    head,
    '--'
  ]);
  return out.trim() || undefined;
}

export interface LabelProgress extends SzzProgress {
  /** Milliseconds since labelHistory started. */
  elapsedMs: number;
}

export interface LabelHistoryOptions {
  /** Repository directory (work tree, subdirectory or bare repository). */
  repo: string;
  /** The history to label: commits reachable from this revision (default HEAD). */
  rev?: string;
  /** Unix seconds: only fix commits committed at or after this are blamed (introducers may be older). */
  since?: number;
  /**
   * Unix seconds: the repository as it was then. Commits committed later are not read at all:
   * not fixes, not introducers, not labelled; the `.git-blame-ignore-revs` is the one committed then.
   */
  until?: number;
  /** A compiled rule or a --fix-pattern string (default DEFAULT_FIX_PATTERN). */
  fixRule?: FixRule | string;
  /** Paths never blamed (gitignore-like, as for `mine`; default DEFAULT_IGNORE). */
  ignore?: readonly string[];
  /**
   * Per fix commit, the only paths (after the fix) that may be blamed, e.g. the `files` column
   * of a mined CSV; when it returns undefined, `ignore` decides.
   */
  paths?: (commit: string) => ReadonlySet<string> | undefined;
  /**
   * A fix commit that lost lines in more (blamed) files than this is a mass change — a
   * reformat, an API rename, regenerated test data — and is not blamed (default
   * DEFAULT_MAX_FIX_FILES; Infinity for no limit). The published JIT data set dropped such
   * commits the same way.
   */
  maxFixFiles?: number;
  /** Directory for per-fix results; later runs blame only fix commits not in it. */
  cacheDir?: string;
  /** Git processes at once (default: the CPU count). */
  jobs?: number;
  onProgress?: (p: LabelProgress) => void;
}

export interface LabelCounts {
  /** Non-merge commits in the history (the rows labelled). */
  commits: number;
  /** Of those, fix commits by the rule, and those inside the window (since .. until), which were blamed. */
  fixes: number;
  fixesInWindow: number;
  /** Fix commits in the window left unblamed as mass changes (more than maxFixFiles files). */
  massChanges: number;
  /** Commits labelled bug = 1. */
  bugs: number;
  /** Fix commits answered from the cache, and those that ran git. */
  fromCache: number;
  blamed: number;
}

export interface LabelSettings {
  /** The commit labelled up to (rev at `until`). */
  head: string;
  fixRule: string;
  since?: number;
  until?: number;
  ignore: readonly string[];
  /** null: no limit. */
  maxFixFiles: number | null;
  /** Hashes in the committed .git-blame-ignore-revs that were looked through, if any. */
  ignoreRevs: number;
  diffOptions: readonly string[];
  blameOptions: readonly string[];
  /** Names the cache folder; equal keys mean interchangeable per-fix results. */
  cacheKey: string;
}

export interface LabelHistoryResult {
  /** Every non-merge commit of the history: 1 when a later fix changed or deleted lines it introduced. */
  labels: Map<string, 0 | 1>;
  /** Every fix commit of the history by the rule (inside the window or not). */
  fixCommits: Set<string>;
  /** Introducing commit -> the fixes that changed its lines, oldest fix first. */
  fixedBy: Map<string, string[]>;
  counts: LabelCounts;
  settings: LabelSettings;
}

async function resolveRev(repo: SzzRepo, rev: string): Promise<string> {
  return (await szzGit(repo, ['rev-parse', '--verify', '--end-of-options', `${rev}^{commit}`])).trim();
}

function checkOptions(opts: LabelHistoryOptions): void {
  for (const name of ['since', 'until'] as const) {
    const v = opts[name];
    if (v !== undefined && !Number.isFinite(v)) throw new RangeError(`labelHistory: ${name} must be unix seconds, got ${v}`);
  }
  if (opts.since !== undefined && opts.until !== undefined && opts.since > opts.until) {
    throw new RangeError('labelHistory: since is after until, so no fix commit could be blamed');
  }
  if (opts.maxFixFiles !== undefined && !(opts.maxFixFiles >= 1)) {
    throw new RangeError(`labelHistory: maxFixFiles must be >= 1 (Infinity for no limit), got ${opts.maxFixFiles}`);
  }
  if (opts.jobs !== undefined && !(Number.isInteger(opts.jobs) && opts.jobs >= 1)) {
    throw new RangeError(`labelHistory: jobs must be a whole number >= 1, got ${opts.jobs}`);
  }
}

/** Fix commits losing lines in more files than this are not blamed by default. */
export const DEFAULT_MAX_FIX_FILES = 100;

export async function labelHistory(opts: LabelHistoryOptions): Promise<LabelHistoryResult> {
  const started = Date.now();
  checkOptions(opts);
  const rule = typeof opts.fixRule === 'object' ? opts.fixRule : compileFixRule(opts.fixRule);
  const until = opts.until ?? Infinity;
  const since = opts.since ?? -Infinity;
  const ignorePatterns = opts.ignore ?? DEFAULT_IGNORE;
  const maxFiles = opts.maxFixFiles ?? DEFAULT_MAX_FIX_FILES;
  const ignored = compileIgnore(ignorePatterns);
  const repo = await openSzzRepo(opts.repo);
  const head = await resolveRev(repo, opts.rev ?? 'HEAD');
  const commits = await readHistory(repo, head, rule, until);
  const byHash = new Map(commits.map((c) => [c.hash, c]));
  const tip = await tipAt(repo, head, until);
  const ignoreRevs = tip === undefined ? undefined : await readIgnoreRevs(repo, tip);
  const cacheKey = szzSettingsKey(ignoreRevs);
  const cache = opts.cacheDir === undefined ? undefined : await SzzCache.open(opts.cacheDir, cacheKey);

  // Oldest first, so fixed_by lists run forward in time.
  const fixes = commits.filter((c) => c.fix && !c.merge).reverse();
  const jobs: FixJob[] = [];
  for (const c of fixes) {
    if (c.parent === undefined || c.committerTime < since) continue;
    const only = opts.paths?.(c.hash);
    jobs.push({ commit: c.hash, parent: c.parent, include: only ? (o, n) => only.has(n) || only.has(o) : (_o, n) => !ignored(n) });
  }

  const run = await withIgnoreRevsFile(ignoreRevs, (ignoreRevsFile) =>
    runFixes(jobs, {
      repo,
      jobs: opts.jobs ?? defaultJobs(),
      cache,
      ignoreRevsFile,
      maxFiles,
      onProgress: (p) => opts.onProgress?.({ ...p, elapsedMs: Date.now() - started })
    })
  );

  const fixedBy = new Map<string, string[]>();
  for (const job of jobs) {
    const fix = byHash.get(job.commit)!;
    const seen = new Set<string>();
    for (const c of run.introducers.get(job.commit) ?? []) {
      const introducer = byHash.get(c.hash);
      // Only rows of this history, authored strictly before the fix (the fix's author time stands in for the bug report).
      if (!introducer || introducer.merge || c.authorTime >= fix.authorTime || seen.has(c.hash)) continue;
      seen.add(c.hash);
      const list = fixedBy.get(c.hash);
      if (list) list.push(job.commit);
      else fixedBy.set(c.hash, [job.commit]);
    }
  }

  const labels = new Map<string, 0 | 1>();
  for (let i = commits.length - 1; i >= 0; i--) {
    const c = commits[i]!;
    if (!c.merge) labels.set(c.hash, fixedBy.has(c.hash) ? 1 : 0);
  }
  return {
    labels,
    fixCommits: new Set(fixes.map((c) => c.hash)),
    fixedBy,
    counts: {
      commits: labels.size,
      fixes: fixes.length,
      fixesInWindow: jobs.length,
      massChanges: run.skipped,
      bugs: fixedBy.size,
      fromCache: run.fromCache,
      blamed: run.blamed
    },
    settings: {
      head: tip ?? head,
      fixRule: rule.source,
      ...(opts.since !== undefined ? { since: opts.since } : {}),
      ...(opts.until !== undefined ? { until: opts.until } : {}),
      ignore: ignorePatterns,
      maxFixFiles: Number.isFinite(maxFiles) ? maxFiles : null,
      ignoreRevs: ignoreRevs === undefined ? 0 : ignoreRevs.trim().split('\n').length,
      diffOptions: DIFF_OPTIONS,
      blameOptions: BLAME_OPTIONS,
      cacheKey
    }
  };
}
