/**
 * SZZ: the commits that introduced the lines a fix commit deleted or modified.
 * Spawns git per fix (one diff) and per touched file (one blame), unlike the miner.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { unquotePath } from './log-parser.js';
import { runGit } from './run.js';

export interface FixCommit {
  commit: string;
  /** Author time of the fix, unix seconds: introducers must be strictly older. */
  date: number;
  /** Only blame these paths (the miner's `files`, i.e. ignored paths already left out); all when undefined. */
  files?: ReadonlySet<string>;
}

export interface DeletedLines {
  /** Path in the fix's parent. */
  oldPath: string;
  /** Path after the fix. */
  newPath: string;
  /** 1-based line numbers in the parent, ascending. */
  lines: number[];
}

// Line-comment and block-comment markers by file extension; unknown extensions only skip blank lines.
const C_LIKE = ['//', '/*', '*', '*/'];
const HASH = ['#'];
const COMMENT_PREFIXES: Record<string, readonly string[]> = {};
for (const ext of [
  'c',
  'h',
  'cc',
  'cpp',
  'cxx',
  'hpp',
  'hh',
  'm',
  'mm',
  'java',
  'js',
  'jsx',
  'mjs',
  'cjs',
  'ts',
  'tsx',
  'mts',
  'cts',
  'go',
  'rs',
  'cs',
  'kt',
  'kts',
  'swift',
  'scala',
  'dart',
  'php',
  'groovy',
  'gradle',
  'proto',
  'css',
  'scss',
  'less',
  'zig'
]) {
  COMMENT_PREFIXES[ext] = C_LIKE;
}
for (const ext of [
  'py',
  'sh',
  'bash',
  'zsh',
  'rb',
  'pl',
  'pm',
  'r',
  'yaml',
  'yml',
  'toml',
  'cmake',
  'mk',
  'ps1',
  'tf',
  'nix',
  'conf',
  'cfg',
  'ini'
]) {
  COMMENT_PREFIXES[ext] = HASH;
}
for (const ext of ['sql', 'lua', 'hs', 'elm', 'ada', 'adb', 'ads']) COMMENT_PREFIXES[ext] = ['--'];
for (const ext of ['lisp', 'el', 'clj', 'cljs', 'scm', 'asm', 's']) COMMENT_PREFIXES[ext] = [';'];
for (const ext of ['html', 'htm', 'xml', 'svg', 'vue']) COMMENT_PREFIXES[ext] = ['<!--'];
const BASENAME_PREFIXES: Record<string, readonly string[]> = { makefile: HASH, dockerfile: HASH, 'cmakelists.txt': HASH };

function commentPrefixes(path: string): readonly string[] {
  const base = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
  const byName = BASENAME_PREFIXES[base];
  if (byName) return byName;
  const dot = base.lastIndexOf('.');
  return dot < 0 ? [] : (COMMENT_PREFIXES[base.slice(dot + 1)] ?? []);
}

/** Whitespace-only lines and lines that are only a comment (by the file's extension) carry no behaviour. */
export function isTrivialLine(path: string, content: string): boolean {
  const t = content.trim();
  if (t === '') return true;
  return commentPrefixes(path).some((p) => t.startsWith(p));
}

const HUNK = /^@@ -(\d+)(?:,(\d+))? \+\d+(?:,\d+)? @@/;

function diffPath(raw: string, prefix: string): string | undefined {
  const p = unquotePath(raw.replace(/\t$/, ''));
  if (p === '/dev/null') return undefined;
  return p.startsWith(prefix) ? p.slice(prefix.length) : p;
}

/** Parse `git diff -U0` output into the parent-side lines each file lost (trivial lines dropped). */
export function parseDeletedLines(patch: string): DeletedLines[] {
  const result: DeletedLines[] = [];
  let current: DeletedLines | undefined;
  let oldPath: string | undefined;
  let oldLine = 0;
  for (const line of patch.split('\n')) {
    if (line.startsWith('diff --git ')) {
      current = undefined;
      oldPath = undefined;
    } else if (line.startsWith('--- ') && current === undefined) {
      oldPath = diffPath(line.slice(4), 'a/');
    } else if (line.startsWith('+++ ') && current === undefined) {
      const newPath = diffPath(line.slice(4), 'b/') ?? oldPath;
      if (oldPath !== undefined && newPath !== undefined) {
        current = { oldPath, newPath, lines: [] };
        result.push(current);
      }
    } else if (line.startsWith('@@')) {
      const m = HUNK.exec(line);
      if (m) oldLine = Number(m[1]);
    } else if (current && line.startsWith('-')) {
      if (!isTrivialLine(current.oldPath, line.slice(1))) current.lines.push(oldLine);
      oldLine += 1;
    }
  }
  return result.filter((f) => f.lines.length > 0);
}

/** Collapse ascending line numbers into `-L a,b` ranges. */
export function lineRanges(lines: readonly number[]): [number, number][] {
  const ranges: [number, number][] = [];
  for (const n of lines) {
    const last = ranges[ranges.length - 1];
    if (last && n === last[1] + 1) last[1] = n;
    else ranges.push([n, n]);
  }
  return ranges;
}

/** Parse `git blame --porcelain`: the commit and its author time for every blamed line. */
export function parseBlame(porcelain: string): Map<string, number> {
  const times = new Map<string, number>();
  const lines = porcelain.split('\n');
  let hash: string | undefined;
  for (const line of lines) {
    if (line.startsWith('\t')) {
      hash = undefined;
      continue;
    }
    if (hash === undefined) {
      const m = /^([0-9a-f]{40,64}) \d+ \d+/.exec(line);
      if (m) {
        hash = m[1]!;
        if (!times.has(hash)) times.set(hash, NaN);
      }
      continue;
    }
    if (line.startsWith('author-time ')) times.set(hash, Number(line.slice(12)));
  }
  return times;
}

/** The repository's .git-blame-ignore-revs (at the top of the work tree), if any. */
export async function findIgnoreRevsFile(repo: string): Promise<string | undefined> {
  let top: string;
  try {
    top = (await runGit(repo, ['rev-parse', '--show-toplevel'])).trim();
  } catch {
    return undefined; // bare repository: no work tree, no file
  }
  const file = join(top, '.git-blame-ignore-revs');
  return existsSync(file) ? file : undefined;
}

const ZERO = /^0+$/;

/**
 * Commits that introduced lines the fix deleted or modified, dated strictly before the fix.
 * A root commit (no parent) has nothing to blame.
 */
export async function findIntroducers(repo: string, fix: FixCommit, ignoreRevsFile?: string): Promise<Set<string>> {
  const parents = (await runGit(repo, ['rev-list', '--parents', '-n', '1', '--end-of-options', fix.commit, '--'])).trim().split(' ');
  const parent = parents[1];
  const found = new Set<string>();
  if (parent === undefined) return found;
  const patch = await runGit(repo, [
    'diff',
    '-U0',
    '-M',
    '--no-color',
    '--no-ext-diff',
    '--no-textconv',
    '--src-prefix=a/',
    '--dst-prefix=b/',
    parent,
    fix.commit,
    '--'
  ]);
  for (const file of parseDeletedLines(patch)) {
    if (fix.files && !fix.files.has(file.newPath) && !fix.files.has(file.oldPath)) continue;
    const args = ['blame', '--porcelain', '-w'];
    if (ignoreRevsFile) args.push('--ignore-revs-file', ignoreRevsFile);
    for (const [a, b] of lineRanges(file.lines)) args.push('-L', `${a},${b}`);
    args.push(parent, '--', file.oldPath);
    for (const [hash, time] of parseBlame(await runGit(repo, args))) {
      if (!ZERO.test(hash) && time < fix.date) found.add(hash);
    }
  }
  return found;
}

export interface SzzOptions {
  repo: string;
  /** Fix commits processed at once (each is a few short git processes). */
  concurrency?: number;
  onProgress?: (done: number, total: number) => void;
}

/** Map each introducing commit to the fixes that changed its lines. */
export async function szz(fixes: readonly FixCommit[], opts: SzzOptions): Promise<Map<string, string[]>> {
  const ignoreRevsFile = await findIgnoreRevsFile(opts.repo);
  const fixedBy = new Map<string, string[]>();
  const perFix: Set<string>[] = new Array(fixes.length);
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (next < fixes.length) {
      const i = next++;
      perFix[i] = await findIntroducers(opts.repo, fixes[i]!, ignoreRevsFile);
      done += 1;
      opts.onProgress?.(done, fixes.length);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.concurrency ?? 4) }, worker));
  // Fill in input order so fixed_by lists are deterministic.
  fixes.forEach((fix, i) => {
    for (const hash of perFix[i]!) {
      const list = fixedBy.get(hash);
      if (list) list.push(fix.commit);
      else fixedBy.set(hash, [fix.commit]);
    }
  });
  return fixedBy;
}
