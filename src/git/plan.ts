/**
 * The replay plan: which commits the miner replays, in which order (see mine.ts for the
 * definition and why it makes a resumable cache exact).
 *
 * One `git rev-list --date-order --parents HEAD ^EXCLUDED...` pass, children first. The chain
 * is HEAD's first-parent line: HEAD, its first parent, and so on until a commit that is
 * excluded. Every other commit belongs to the group of the OLDEST chain commit it is an
 * ancestor of, i.e. the chain commit whose replay brings it in (a merge, for a side branch).
 * Walking children first, a commit's group is known once all its children were seen: the
 * frontier map holds, for commits not reached yet, the oldest group among their children;
 * its size is the width of the history, not its length. The result is a packed list of
 * object ids (20 or 32 bytes per commit) in replay order: chain groups from the oldest,
 * each group in git's date order with parents first, its chain commit last.
 */
import type { TrustedGit } from './trusted.js';

export interface ReplayPlan {
  /** Number of commits to replay. */
  readonly count: number;
  /** Commits in replay order, as hex ids. */
  hashes(): Generator<string>;
  /** Is the commit at position i (replay order) a merge? */
  isMerge(i: number): boolean;
  /** The oldest chain commit of the plan and its first parent (undefined for a root or a commit just past the exclusion). */
  readonly chainStart?: { commit: string; firstParent?: string };
  /** Committer time of the head (unix seconds), when the plan is not empty. */
  readonly headTime?: number;
}

class Growable {
  bytes: Buffer;
  length = 0;
  constructor(initial: number) {
    this.bytes = Buffer.alloc(initial);
  }
  ensure(extra: number): void {
    if (this.length + extra <= this.bytes.length) return;
    const next = Buffer.alloc(Math.max(this.bytes.length * 2, this.length + extra));
    this.bytes.copy(next, 0, 0, this.length);
    this.bytes = next;
  }
}

function growInt32(a: Int32Array<ArrayBuffer>, need: number): Int32Array<ArrayBuffer> {
  if (need <= a.length) return a;
  const next = new Int32Array(Math.max(a.length * 2, need));
  next.set(a);
  return next;
}

/**
 * Plan the replay of `head` minus everything reachable from `exclude` (full object ids).
 * `head` must be a full commit id.
 */
export async function planReplay(git: TrustedGit, head: string, exclude: readonly string[]): Promise<ReplayPlan> {
  const idBytes = git.hashLength / 2;
  const ids = new Growable(1024 * idBytes);
  let groupOf = new Int32Array(1024);
  let merges = new Uint8Array(1024);
  let n = 0;
  // Chain positions count from HEAD = 0 towards the root; a larger group number is older.
  let chainNext: string | undefined = head;
  let chainLength = 0;
  let chainStart: ReplayPlan['chainStart'];
  const frontier = new Map<string, number>();
  let rest = '';

  let headTime: number | undefined;
  // "<committer time> <commit> <parents...>"
  const take = (line: string): void => {
    const parts = line.split(' ');
    const time = Number(parts.shift());
    const hash = parts[0]!;
    if (n === 0) headTime = time;
    let group: number;
    if (hash === chainNext) {
      group = chainLength++;
      chainNext = parts[1];
      chainStart = { commit: hash, firstParent: parts[1] };
    } else {
      const g = frontier.get(hash);
      if (g === undefined) throw new Error(`replay plan: ${hash} has no child on the way from ${head}`);
      group = g;
    }
    frontier.delete(hash);
    for (let i = 1; i < parts.length; i++) {
      const p = parts[i]!;
      const seen = frontier.get(p);
      if (seen === undefined || seen < group) frontier.set(p, group);
    }
    ids.ensure(idBytes);
    ids.bytes.write(hash, ids.length, 'hex');
    ids.length += idBytes;
    groupOf = growInt32(groupOf, n + 1);
    if (merges.length < n + 1) {
      const next = new Uint8Array(merges.length * 2);
      next.set(merges);
      merges = next;
    }
    groupOf[n] = group;
    merges[n] = parts.length > 2 ? 1 : 0;
    n++;
  };

  const args = ['rev-list', '--date-order', '--parents', '--timestamp', '--end-of-options', head, ...exclude.map((e) => `^${e}`), '--'];
  for await (const chunk of git.stream(args)) {
    const text = rest + chunk;
    let start = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      take(text.slice(start, nl));
      start = nl + 1;
    }
    rest = text.slice(start);
  }
  if (rest !== '') take(rest);

  // Counting sort by group, oldest group first; within a group, reverse stream order (parents first).
  const counts = new Int32Array(chainLength + 1);
  for (let i = 0; i < n; i++) counts[chainLength - 1 - groupOf[i]!]! += 1;
  const offsets = new Int32Array(chainLength + 1);
  for (let g = 1; g <= chainLength; g++) offsets[g] = offsets[g - 1]! + counts[g - 1]!;
  const order = new Int32Array(n);
  for (let i = n - 1; i >= 0; i--) order[offsets[chainLength - 1 - groupOf[i]!]!++] = i;

  return {
    count: n,
    chainStart,
    headTime,
    *hashes() {
      for (let k = 0; k < n; k++) {
        const at = order[k]! * idBytes;
        yield ids.bytes.toString('hex', at, at + idBytes);
      }
    },
    isMerge: (k: number) => merges[order[k]!] === 1
  };
}
