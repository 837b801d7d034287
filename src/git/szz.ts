/**
 * SZZ, commit level: the commits that introduced the lines a fix commit deleted or modified.
 * One `git diff` per fix and one `git blame` per touched file, through szz-git.ts so that
 * nothing in the work tree or the user's config can change them.
 */
import { createHash } from 'node:crypto';
import { GitError } from './run.js';
import { openSzzRepo, szzGit, type SzzRepo } from './szz-git.js';
import { commentRulesFingerprint, lineRanges, parseDeletedLines, type DeletedLines } from './szz-lines.js';

export { isTrivialLine, lineRanges, parseDeletedLines, type DeletedLines } from './szz-lines.js';
export { openSzzRepo, szzGit, streamSzzGit, withCommitGraph, type SzzRepo } from './szz-git.js';

export interface FixCommit {
  commit: string;
  /** Author time of the fix, unix seconds: introducers must be strictly older. */
  date: number;
  /** Only blame these paths (the miner's `files`, i.e. ignored paths already left out); all when undefined. */
  files?: ReadonlySet<string>;
}

/** Options of the one diff per fix: -U0 gives the parent's line numbers of every deleted or modified line. */
export const DIFF_OPTIONS: readonly string[] = [
  '-U0',
  '-M',
  '--inter-hunk-context=0',
  '--diff-algorithm=myers',
  '--indent-heuristic',
  '--no-relative',
  '--no-color',
  '--no-ext-diff',
  '--no-textconv',
  '--src-prefix=a/',
  '--dst-prefix=b/'
];

/** Options of each blame: -w looks through whitespace-only changes. */
export const BLAME_OPTIONS: readonly string[] = ['--porcelain', '-w', '--no-textconv'];

/** The parent-side lines a (non-merge) fix deleted or modified, per file. */
export async function fixDiff(repo: SzzRepo, parent: string, fix: string): Promise<DeletedLines[]> {
  return parseDeletedLines(await szzGit(repo, ['diff', ...DIFF_OPTIONS, parent, fix, '--']));
}

/** A commit blamed for a line, with its author and committer time (unix seconds). */
export interface BlamedCommit {
  hash: string;
  authorTime: number;
  committerTime: number;
}

/** Parse `git blame --porcelain`: every commit blamed for a line, once. */
export function parseBlame(porcelain: string): BlamedCommit[] {
  const byHash = new Map<string, BlamedCommit>();
  let current: BlamedCommit | undefined;
  for (const line of porcelain.split('\n')) {
    if (line.startsWith('\t')) {
      current = undefined;
      continue;
    }
    if (current === undefined) {
      const m = /^([0-9a-f]{40}(?:[0-9a-f]{24})?) \d+ \d+/.exec(line);
      if (m) {
        const hash = m[1]!;
        current = byHash.get(hash);
        if (!current) {
          current = { hash, authorTime: NaN, committerTime: NaN };
          byHash.set(hash, current);
        }
      }
      continue;
    }
    if (line.startsWith('author-time ')) current.authorTime = Number(line.slice(12));
    else if (line.startsWith('committer-time ')) current.committerTime = Number(line.slice(15));
  }
  return [...byHash.values()];
}

const ZERO = /^0+$/;

/** Blame line ranges (1-based, inclusive) of one file at the fix's parent. */
export async function blameLines(
  repo: SzzRepo,
  parent: string,
  oldPath: string,
  ranges: readonly (readonly [number, number])[],
  ignoreRevsFile?: string
): Promise<BlamedCommit[]> {
  const args = ['blame', ...BLAME_OPTIONS];
  if (ignoreRevsFile) args.push('--ignore-revs-file', ignoreRevsFile);
  for (const [a, b] of ranges) args.push('-L', `${a},${b}`);
  args.push(parent, '--', oldPath);
  return parseBlame(await szzGit(repo, args)).filter((c) => !ZERO.test(c.hash));
}

const FULL_HASH = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/**
 * The `.git-blame-ignore-revs` committed at `rev` (never the work tree's copy), reduced to
 * full hashes, or undefined when there is none. Lines git would reject (abbreviated hashes,
 * branch names) are dropped, so one bad line cannot stop every blame.
 */
export async function readIgnoreRevs(repo: SzzRepo, rev: string): Promise<string | undefined> {
  let text: string;
  try {
    text = await szzGit(repo, ['cat-file', 'blob', `${rev}:.git-blame-ignore-revs`]);
  } catch (err) {
    if (err instanceof GitError) return undefined; // no such file at that commit
    throw err;
  }
  const hashes = text
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim().toLowerCase())
    .filter((line) => FULL_HASH.test(line));
  return hashes.length === 0 ? undefined : hashes.join('\n') + '\n';
}

/**
 * What the result of one fix depends on besides the commits themselves: the git options, the
 * blank/comment line rules and the ignored revisions. Cache entries live under this key.
 */
export function szzSettingsKey(ignoreRevs: string | undefined): string {
  const settings = { diff: DIFF_OPTIONS, blame: BLAME_OPTIONS, lines: commentRulesFingerprint(), ignoreRevs: ignoreRevs ?? '' };
  return createHash('sha256').update(JSON.stringify(settings)).digest('hex').slice(0, 16);
}

/**
 * Commits that introduced lines the fix deleted or modified, dated strictly before the fix.
 * A root commit (no parent) has nothing to blame.
 */
export async function findIntroducers(repo: string, fix: FixCommit, ignoreRevsFile?: string): Promise<Set<string>> {
  const opened = await openSzzRepo(repo);
  const parents = (await szzGit(opened, ['rev-list', '--parents', '-n', '1', '--end-of-options', fix.commit, '--'])).trim().split(' ');
  const parent = parents[1];
  const found = new Set<string>();
  if (parent === undefined) return found;
  for (const file of await fixDiff(opened, parent, fix.commit)) {
    if (fix.files && !fix.files.has(file.newPath) && !fix.files.has(file.oldPath)) continue;
    for (const c of await blameLines(opened, parent, file.oldPath, lineRanges(file.lines), ignoreRevsFile)) {
      if (c.authorTime < fix.date) found.add(c.hash);
    }
  }
  return found;
}
