/**
 * git calls whose output a pull request cannot steer.
 *
 * A pull request's author controls its work tree and its commits, so nothing the miner reads
 * may depend on files in them: not `.gitattributes` (`* -diff` turns every file binary and
 * every line count to 0), not `.mailmap` (it merges identities), and not anything else git
 * would pick up from the checkout. Every miner call therefore runs with:
 *
 * - an empty directory as work tree and working directory and a missing index, so git finds
 *   no in-tree `.gitattributes` or `.mailmap` (git reads them relative to the work tree and
 *   falls back to the index); `GIT_ATTR_SOURCE` / `attr.tree` name the empty tree as the
 *   attribute source for git versions that know them (2.40+ / 2.42+; older versions ignore
 *   both, and the empty work tree already covers them); system and global attribute files
 *   are off. `$GIT_DIR/info/attributes` still applies: it is local configuration, not part of
 *   any commit.
 * - `-c` overrides for every setting that changes what log, cat-file or rev-list print
 *   (renames, diff algorithm, order file, mailmap, signatures, encodings, binary threshold...),
 *   so a user's or repository's configuration cannot change metrics either;
 * - `--no-replace-objects`: replacement refs do not rewrite history.
 * Command options add `--no-mailmap`, `--no-textconv`, `--no-ext-diff` and `-O/dev/null`.
 */
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeUtf8, runGit, spawnGitBytes } from './run.js';

const EMPTY_TREE = {
  sha1: '4b825dc642cb6eb9a060e54bf8d69288fbee4904',
  sha256: '6ef19b41225c5369f1c104d45d8d85efa9b057b53b14b4b9b939dd74decc5321'
};

export type ObjectFormat = keyof typeof EMPTY_TREE;

/** Settings pinned on every call: each one changes log/diff output when set otherwise. */
function pinnedConfig(isolated: string, emptyTree: string): string[] {
  const none = join(isolated, 'none');
  const settings: Record<string, string> = {
    'core.quotePath': 'off',
    'core.attributesFile': none,
    'core.bigFileThreshold': '512m',
    'attr.tree': emptyTree,
    'color.ui': 'false',
    'i18n.logOutputEncoding': 'UTF-8',
    'log.showSignature': 'false',
    'log.showRoot': 'true',
    'log.mailmap': 'false',
    'log.follow': 'false',
    'diff.renames': 'true',
    'diff.renameLimit': '1000',
    'diff.algorithm': 'myers',
    'diff.relative': 'false',
    'diff.ignoreSubmodules': 'none',
    'diff.submodule': 'short',
    'diff.context': '3',
    'diff.interHunkContext': '0',
    'diff.suppressBlankEmpty': 'false',
    'diff.noprefix': 'false',
    'diff.mnemonicPrefix': 'false',
    'core.precomposeUnicode': 'false'
  };
  return ['--no-replace-objects', '--no-optional-locks', ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`])];
}

let isolatedDir: string | undefined;

/** Is `dir` a real, empty directory only this user can write to? */
function safeEmptyDir(dir: string): boolean {
  try {
    const st = lstatSync(dir);
    const uid = process.getuid?.();
    return (
      st.isDirectory() &&
      !st.isSymbolicLink() &&
      (uid === undefined || st.uid === uid) &&
      (st.mode & 0o022) === 0 &&
      readdirSync(dir).length === 0
    );
  } catch {
    return false;
  }
}

/**
 * An empty directory (mode 0700) for the work tree: one per user, reused by every run, so
 * nothing is left behind; a fresh one (removed at exit) when that one is not safe to use.
 */
function isolated(): string {
  if (isolatedDir && safeEmptyDir(isolatedDir)) return isolatedDir;
  const shared = join(tmpdir(), `patch-risk-isolated-${process.getuid?.() ?? 'user'}`);
  try {
    mkdirSync(shared, { mode: 0o700 });
  } catch {
    // exists already: checked below
  }
  if (safeEmptyDir(shared)) {
    isolatedDir = shared;
  } else {
    const dir = mkdtempSync(join(tmpdir(), 'patch-risk-isolated-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    isolatedDir = dir;
  }
  return isolatedDir;
}

/** A repository opened for reading history with the protections above. */
export interface TrustedGit {
  /** As given by the caller. */
  readonly repo: string;
  /** Absolute git directory. */
  readonly gitDir: string;
  readonly objectFormat: ObjectFormat;
  /** Hex digits in an object id (40 or 64). */
  readonly hashLength: number;
  /** The full argument vector, environment and working directory for `args`. */
  invocation(args: string[]): { argv: string[]; env: NodeJS.ProcessEnv; cwd: string };
  /** Stream stdout as raw bytes. */
  bytes(args: string[], stdin?: Iterable<string>): AsyncGenerator<Buffer>;
  /** Stream stdout as text. */
  stream(args: string[], stdin?: Iterable<string>): AsyncGenerator<string>;
  /** Run to completion and return stdout. */
  run(args: string[], stdin?: Iterable<string>): Promise<string>;
}

// Inherited variables that would change what git prints.
const DROPPED_ENV = ['GIT_DIFF_OPTS', 'GIT_EXTERNAL_DIFF', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'GIT_NAMESPACE', 'GIT_GRAFT_FILE'];

/** Locate the repository (throws GitError when `repo` is not one) and prepare isolated invocations. */
export async function openTrustedGit(repo: string): Promise<TrustedGit> {
  // One call where git knows --show-object-format (2.29+); a sha1 repository otherwise.
  const [gitDir, format] = await runGit(repo, ['rev-parse', '--absolute-git-dir', '--show-object-format']).then(
    (out) => out.trim().split('\n') as [string, string?],
    async () => [(await runGit(repo, ['rev-parse', '--absolute-git-dir'])).trim(), 'sha1'] as [string, string]
  );
  const objectFormat: ObjectFormat = format === 'sha256' ? 'sha256' : 'sha1';
  const dir = isolated();
  const emptyTree = EMPTY_TREE[objectFormat];
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of DROPPED_ENV) delete env[name];
  Object.assign(env, {
    GIT_DIR: gitDir,
    GIT_WORK_TREE: dir,
    GIT_INDEX_FILE: join(dir, 'index'),
    GIT_ATTR_NOSYSTEM: '1',
    GIT_ATTR_SOURCE: emptyTree,
    GIT_NO_REPLACE_OBJECTS: '1',
    GIT_TERMINAL_PROMPT: '0'
  });
  const config = pinnedConfig(dir, emptyTree);
  const invocation = (args: string[]) => ({ argv: [...config, ...args], env, cwd: dir });
  const bytes = (args: string[], stdin?: Iterable<string>) => spawnGitBytes({ ...invocation(args), shown: args, stdin });
  const stream = (args: string[], stdin?: Iterable<string>) => decodeUtf8(bytes(args, stdin));
  return {
    repo,
    gitDir,
    objectFormat,
    hashLength: objectFormat === 'sha256' ? 64 : 40,
    invocation,
    bytes,
    stream,
    run: async (args, stdin) => {
      let out = '';
      for await (const text of stream(args, stdin)) out += text;
      return out;
    }
  };
}
