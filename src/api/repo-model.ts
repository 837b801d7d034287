/**
 * Commit mode's `model: auto`: the repository model folder (input
 * `repo-model`, default `.patch-risk/model/`) when its champion card says it
 * beat the default on this repository, else the default `jit`.
 *
 * A pull request's author controls its work tree, so a folder committed in
 * the repository is read from the base commit of the range (a pull request
 * cannot change the model it is checked with), copied file by file out of
 * git into `scratchDir`. A folder the pull request adds (in the head commit,
 * not in the base) is ignored. A folder in no commit at all (restored from a
 * cache by the workflow) is read from the work tree.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { openTrustedGit, type TrustedGit } from '../git/trusted.js';
import { chooseRepoModel, type RepoModelChoice } from '../model/repo/folder.js';

/** The files of a model folder commit mode reads (top level only). */
const MODEL_FILE = /^(registry\.json|track-record\.json|v\d{3,}\.card\.json|v\d{3,}\.onnx)$/;

export interface RepoModelLookup {
  /** The work tree. */
  workspace: string;
  /** The folder, inside the workspace. */
  dir: string;
  /** The range being checked: the model is read from `base` when committed there. */
  base: string;
  head: string;
  /** An empty folder the committed model is copied into. */
  scratchDir: string;
}

export type RepoModelResolution = RepoModelChoice & {
  /** Where the folder was read: the base commit, or the work tree (uncommitted, e.g. restored from a cache). */
  from?: 'base commit' | 'work tree';
  /** The folder actually read (the copy of the base commit's, or `dir`). */
  readDir?: string;
};

async function filesAt(git: TrustedGit, rev: string, rel: string): Promise<string[]> {
  const out = await git.run(['ls-tree', '-z', '--name-only', '--end-of-options', rev, '--', `${rel}/`]);
  return out
    .split('\0')
    .filter((file) => file !== '')
    .map((file) => file.slice(rel.length + 1))
    .filter((name) => MODEL_FILE.test(name));
}

async function copyBlob(git: TrustedGit, rev: string, from: string, to: string): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of git.bytes(['cat-file', 'blob', `${rev}:${from}`])) chunks.push(chunk);
  writeFileSync(to, Buffer.concat(chunks), { flag: 'wx' });
}

/** Which repository model commit mode uses, and from where; `use: false` says why the default is kept. */
export async function resolveRepoModel(lookup: RepoModelLookup): Promise<RepoModelResolution> {
  const rel = path.relative(lookup.workspace, path.resolve(lookup.workspace, lookup.dir)).split(path.sep).join('/');
  if (rel === '' || rel.startsWith('..'))
    return { use: false, dir: lookup.dir, reason: `${lookup.dir} is not a folder inside the workspace` };
  const git = await openTrustedGit(lookup.workspace);
  const inBase = await filesAt(git, lookup.base, rel);
  if (inBase.length > 0) {
    mkdirSync(lookup.scratchDir, { recursive: true });
    for (const name of inBase) await copyBlob(git, lookup.base, `${rel}/${name}`, path.join(lookup.scratchDir, name));
    const choice = await chooseRepoModel(lookup.scratchDir);
    const named = choice.use ? choice : { ...choice, reason: choice.reason.split(lookup.scratchDir).join(`${rel} (base commit)`) };
    return { ...named, dir: lookup.dir, from: 'base commit', readDir: lookup.scratchDir };
  }
  if ((await filesAt(git, lookup.head, rel)).length > 0) {
    return {
      use: false,
      dir: lookup.dir,
      reason: `${rel} is added by the commits being checked (not in the base commit ${lookup.base.slice(0, 12)}), so it is not used to check them`
    };
  }
  const choice = await chooseRepoModel(path.resolve(lookup.workspace, rel));
  return { ...choice, dir: lookup.dir, from: 'work tree', readDir: path.resolve(lookup.workspace, rel) };
}
