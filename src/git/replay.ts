/**
 * The replay engine: feeds the commits of a ReplayPlan, in order, through the history state
 * and the blob line counts, and yields each commit's row (null for a merge with no changes
 * of its own). Two git processes stream in parallel: `git log` with every planned commit
 * (raw + numstat diffs against the only parent; merges print just their header), and
 * `git log --cc` with the planned merges (their own changes, see merge-diff.ts).
 */
import type { BlobLines } from './blob-lines.js';
import type { ChangedFile, CommitInfo, CommitMetrics, HistoryState } from './history.js';
import { GITLINK_MODE, LOG_FORMAT, LogParser, type RawCommit } from './log-parser.js';
import { MERGE_FORMAT, MergeDiffParser, type MergeChanges } from './merge-diff.js';
import type { ReplayPlan } from './plan.js';
import { commitParts } from './split.js';
import type { TrustedGit } from './trusted.js';

/** Options shared by both history streams: nothing from the work tree or the user's diff settings. */
const SAFE_DIFF = ['--no-mailmap', '--no-textconv', '--no-ext-diff', '--no-color', '-O/dev/null', '--ignore-submodules=none'];

/** The main stream: -M follows renames; --no-abbrev gives full blob ids; -z keeps paths raw. */
export const LOG_ARGS = [
  'log',
  '-z',
  '--no-walk=unsorted',
  '--stdin',
  '--raw',
  '--numstat',
  '--no-abbrev',
  '-M',
  ...SAFE_DIFF,
  `--format=${LOG_FORMAT}`
];

/** The merge stream: dense combined diffs with full blob ids, renames followed (a file one side moved and the other changed is no change of the merge's own). */
export const MERGE_ARGS = [
  'log',
  '--no-walk=unsorted',
  '--stdin',
  '--cc',
  '-p',
  '--full-index',
  '-M',
  ...SAFE_DIFF,
  `--format=${MERGE_FORMAT}`
];

const ZERO = /^0+$/;

/** The state a replay advances: history aggregates, blob line counts, and how many commits it holds. */
export interface ReplayState {
  history: HistoryState;
  blobs: BlobLines;
  /** Commits replayed into this state since the root. */
  replayed: number;
}

function lines(it: Iterable<string>): Iterable<string> {
  return (function* () {
    for (const s of it) yield `${s}\n`;
  })();
}

/** Pull-based reader of the merge stream: next(hash) returns that merge's own changes. */
class MergeFeed {
  private readonly parser = new MergeDiffParser();
  private readonly ready: MergeChanges[] = [];
  private readonly source: AsyncIterator<string>;
  private done = false;

  constructor(git: TrustedGit, merges: Iterable<string>) {
    this.source = git.stream(MERGE_ARGS, lines(merges))[Symbol.asyncIterator]();
  }

  async next(hash: string): Promise<MergeChanges> {
    while (this.ready.length === 0 && !this.done) {
      const chunk = await this.source.next();
      if (chunk.done) {
        this.done = true;
        this.parser.end(this.ready);
      } else this.parser.push(chunk.value, this.ready);
    }
    const merge = this.ready.shift();
    if (!merge || merge.hash !== hash)
      throw new Error(`git log --cc returned ${merge?.hash ?? 'nothing'} where merge ${hash} was expected`);
    return merge;
  }

  async close(): Promise<void> {
    await this.source.return?.();
  }
}

export interface ReplayOptions {
  /** Called after each replayed commit. */
  onCommit?: () => void;
  /** Give each commit spanning two or more directories its parts (split.ts): costs a little per commit, for ranges only. */
  parts?: boolean;
}

/** Replay `plan` on `state`, yielding one entry per commit in plan order. */
export async function* replay(
  git: TrustedGit,
  state: ReplayState,
  plan: ReplayPlan,
  options: ReplayOptions = {}
): AsyncGenerator<CommitMetrics | null> {
  const { onCommit, parts = false } = options;
  if (plan.count === 0) return;
  const merges = new MergeFeed(
    git,
    (function* () {
      let i = 0;
      for (const h of plan.hashes()) if (plan.isMerge(i++)) yield h;
    })()
  );
  const expected = plan.hashes();
  const parser = new LogParser();
  const batch: RawCommit[] = [];
  let seen = 0;
  const done = (row: CommitMetrics | null): CommitMetrics | null => {
    state.replayed++;
    onCommit?.();
    return row;
  };
  // Synchronous for most commits; a promise only when a merge's changes or a blob must be read.
  const step = (raw: RawCommit): CommitMetrics | null | Promise<CommitMetrics | null> => {
    const want = expected.next();
    if (want.done || want.value !== raw.hash) {
      throw new Error(`git log returned ${raw.hash} where ${want.done ? 'no more commits' : want.value} was expected`);
    }
    seen++;
    if (raw.parents.length > 1) return merges.next(raw.hash).then((own) => applyMerge(raw, own, state, parts).then(done));
    const olds = oldBlobs(raw);
    if (state.blobs.missing(olds)) return state.blobs.fetch(olds).then(() => done(applyCommit(raw, olds, state, parts)));
    return done(applyCommit(raw, olds, state, parts));
  };
  try {
    for await (const chunk of git.stream(LOG_ARGS, lines(plan.hashes()))) {
      parser.push(chunk, batch);
      for (const raw of batch) {
        const row = step(raw);
        yield row instanceof Promise ? await row : row;
      }
      batch.length = 0;
    }
    for (const raw of parser.end(batch)) {
      const row = step(raw);
      yield row instanceof Promise ? await row : row;
    }
    if (seen !== plan.count) throw new Error(`git log returned ${seen} of the ${plan.count} planned commits`);
  } finally {
    await merges.close();
  }
}

/** The first-parent blob of each changed file whose line count `lt` needs (none for added files and submodules). */
function oldBlobs(raw: RawCommit): ({ path: string; blob: string } | undefined)[] {
  return raw.files.map((f) =>
    f.status === 'A' || f.oldMode === GITLINK_MODE || ZERO.test(f.oldBlob) ? undefined : { path: f.oldPath ?? f.path, blob: f.oldBlob }
  );
}

/** Fold a non-merge commit in; every blob in `olds` must be known (fetched). */
function applyCommit(
  raw: RawCommit,
  olds: readonly ({ path: string; blob: string } | undefined)[],
  state: ReplayState,
  parts: boolean
): CommitMetrics {
  const changed: ChangedFile[] = raw.files.map((f, i) => {
    const old = olds[i];
    const oldLines = old ? state.blobs.known(old.path, old.blob)! : 0;
    return {
      path: f.path,
      oldPath: f.oldPath,
      added: f.added,
      deleted: f.deleted,
      created: f.status === 'A',
      removed: f.status === 'D',
      oldLines
    };
  });
  const row = applyChanges(state, { ...raw, merge: false }, changed, parts);
  raw.files.forEach((f, i) => {
    if (f.oldPath !== undefined) state.blobs.forget(f.oldPath);
    if (f.status === 'D') return state.blobs.forget(f.path);
    const c = changed[i]!;
    const lines = f.newMode === GITLINK_MODE ? 0 : f.added === null || f.deleted === null ? -1 : c.oldLines + f.added - f.deleted;
    state.blobs.record(f.path, f.newBlob, lines);
  });
  return row;
}

async function applyMerge(raw: RawCommit, own: MergeChanges, state: ReplayState, parts: boolean): Promise<CommitMetrics | null> {
  if (own.files.length === 0) return null;
  const olds = own.files.map((f) =>
    f.created || f.firstParentBlob === '' || ZERO.test(f.firstParentBlob) ? undefined : { path: f.path, blob: f.firstParentBlob }
  );
  // A submodule's "blob" is a commit of another repository: it has no lines.
  await state.blobs.fetch(olds, true);
  const changed: ChangedFile[] = own.files.map((f, i) => {
    const old = olds[i];
    return {
      path: f.path,
      added: f.binary ? null : f.added,
      deleted: f.binary ? null : f.deleted,
      created: f.created,
      removed: f.removed,
      oldLines: old ? state.blobs.known(old.path, old.blob)! : 0
    };
  });
  const row = applyChanges(state, { ...raw, merge: true }, changed, parts);
  for (const f of own.files) {
    if (f.removed) state.blobs.forget(f.path);
    else state.blobs.record(f.path, f.resultBlob, -1);
  }
  return row;
}

/** The commit's row from the state, its parts (when asked for) computed first, against the state before it. */
function applyChanges(state: ReplayState, commit: CommitInfo, changed: readonly ChangedFile[], parts: boolean): CommitMetrics {
  const split = parts ? commitParts(state.history, commit, changed) : undefined;
  const row = state.history.apply(commit, changed);
  return split ? { ...row, parts: split } : row;
}
