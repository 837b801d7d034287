/**
 * A commit split by directory, as the miner sees it: the commit's counted files grouped by
 * subsystem (top-level directory) — or, when they all sit in one subsystem, by second-level
 * directory — and each group's metrics computed as if it had been a commit of its own made at
 * the same point of the history (same author, time and message, same state before it). The
 * gate scores these parts to tell whether splitting a High commit would lower its risk.
 */
import type { ChangedFile, CommitInfo, CommitPart, HistoryState } from './history.js';
import { subsystemOf } from './history.js';

/** The first two directory levels of a path: "src/core" for "src/core/x/y.ts", "src" for "src/a.ts", "" at the root. */
export function secondLevelOf(path: string): string {
  const parts = path.split('/');
  parts.pop();
  return parts.slice(0, 2).join('/');
}

/**
 * The commit's changes grouped by directory, in order of first appearance; undefined when its counted files fall into
 * a single directory at both levels. Ignored files go with the directory of their path (they change no metric but
 * `ignoredLines`), and a group with no counted file is left out: it would be an empty commit.
 */
export function splitByDirectory(
  changes: readonly ChangedFile[],
  counts: (path: string) => boolean
): Map<string, ChangedFile[]> | undefined {
  for (const keyOf of [subsystemOf, secondLevelOf]) {
    const groups = new Map<string, ChangedFile[]>();
    const counted = new Set<string>();
    for (const fc of changes) {
      const key = keyOf(fc.path);
      const group = groups.get(key);
      if (group) group.push(fc);
      else groups.set(key, [fc]);
      if (counts(fc.path)) counted.add(key);
    }
    if (counted.size < 2) continue;
    for (const key of groups.keys()) if (!counted.has(key)) groups.delete(key);
    return groups;
  }
  return undefined;
}

/**
 * The parts of a commit (two or more directories), each with the metrics the state would give it as a commit of its
 * own, computed before the commit is applied and without changing the state; undefined for a single-directory commit.
 */
export function commitParts(history: HistoryState, commit: CommitInfo, changes: readonly ChangedFile[]): CommitPart[] | undefined {
  const groups = splitByDirectory(changes, (path) => history.counts(path));
  if (!groups) return undefined;
  return [...groups].map(([directory, files]) => ({ directory, metrics: history.preview(commit, files) }));
}
