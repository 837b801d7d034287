/**
 * SZZ, line level: which lines of a fix's parent the fix deleted or modified, and which of
 * those carry behaviour (blank and comment-only lines do not). Pure functions over git's text.
 */
import { unquotePath } from './log-parser.js';

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

/**
 * The blank/comment rules as text: part of the SZZ cache key, so editing the tables (or
 * PARSER_VERSION, for a change in how diffs are read) invalidates cached results.
 */
const PARSER_VERSION = 1;
export function commentRulesFingerprint(): string {
  return JSON.stringify({ PARSER_VERSION, COMMENT_PREFIXES, BASENAME_PREFIXES });
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
    } else if (current && line.startsWith(' ')) {
      oldLine += 1; // a context line (only with inter-hunk context; -U0 alone has none)
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
