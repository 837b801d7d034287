/** Build real git repositories in temp dirs with explicit authors and dates. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export const T0 = 1_700_000_000;
export const DAY = 86_400;

export interface Person {
  name: string;
  email: string;
}

export const ALICE: Person = { name: 'Alice', email: 'alice@example.com' };
export const BOB: Person = { name: 'Bob', email: 'bob@example.com' };
export const CAROL: Person = { name: 'Carol', email: 'carol@example.com' };

export class TestRepo {
  readonly dir: string;

  constructor() {
    this.dir = mkdtempSync(join(tmpdir(), 'patch-risk-git-'));
    this.git(['init', '-q', '-b', 'main']);
  }

  git(args: string[], env: Record<string, string> = {}): string {
    return execFileSync('git', args, {
      cwd: this.dir,
      encoding: 'utf8',
      // git's chatter ("Automatic merge went well") stays out of the test output; it is in the error when git fails.
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        GIT_CONFIG_GLOBAL: '/dev/null',
        GIT_CONFIG_NOSYSTEM: '1',
        GIT_AUTHOR_NAME: 'Nobody',
        GIT_AUTHOR_EMAIL: 'nobody@example.com',
        GIT_COMMITTER_NAME: 'Nobody',
        GIT_COMMITTER_EMAIL: 'nobody@example.com',
        ...env
      }
    });
  }

  write(path: string, content: string | Buffer): void {
    const full = join(this.dir, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, content);
  }

  /** Lines "prefix1".."prefixN", newline-terminated. */
  static lines(prefix: string, n: number): string {
    return Array.from({ length: n }, (_, i) => `${prefix}${i + 1}\n`).join('');
  }

  /** Stage everything and commit as `who` at T0 + days; returns the hash. */
  commit(who: Person, days: number, message: string, committerDays = days): string {
    this.git(['add', '-A']);
    this.git(['commit', '-q', '--allow-empty', '-m', message], dateEnv(who, days, committerDays));
    return this.head();
  }

  head(): string {
    return this.git(['rev-parse', 'HEAD']).trim();
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export function dateEnv(who: Person, days: number, committerDays = days): Record<string, string> {
  return {
    GIT_AUTHOR_NAME: who.name,
    GIT_AUTHOR_EMAIL: who.email,
    GIT_AUTHOR_DATE: `@${T0 + Math.round(days * DAY)} +0000`,
    GIT_COMMITTER_NAME: who.name,
    GIT_COMMITTER_EMAIL: who.email,
    GIT_COMMITTER_DATE: `@${T0 + Math.round(committerDays * DAY)} +0000`
  };
}

/** Merge `branch` into the checked-out branch as `who` at T0 + days (no fast-forward); `edit` runs before the merge is committed. */
export function mergeBranch(repo: TestRepo, who: Person, days: number, branch: string, message: string, edit?: () => void): string {
  const env = dateEnv(who, days);
  try {
    repo.git(['merge', '-q', '--no-ff', '--no-commit', branch], env);
  } catch {
    // A conflict: `edit` resolves it.
  }
  edit?.();
  repo.git(['add', '-A']);
  repo.git(['commit', '-q', '--allow-empty', '-m', message], env);
  return repo.head();
}

/**
 * lt ground truth from git itself: for each file the commit changes against its first parent
 * (old path for a rename), the lines of that file in the first parent, numstat-style (a last
 * line without a newline counts; binary = 0). `only`: count just these new paths.
 */
export function parentLines(repo: TestRepo, commit: string, only?: readonly string[]): number {
  const parents = repo.git(['rev-list', '--parents', '-n', '1', commit]).trim().split(' ');
  if (parents.length < 2) return 0;
  const raw = repo.git(['diff-tree', '-r', '-M', '-z', '--no-commit-id', '--raw', '--no-abbrev', parents[1], commit]).split('\0');
  let total = 0;
  for (let i = 0; i < raw.length - 1;) {
    const status = raw[i].split(' ')[4] ?? '';
    const pair = status.startsWith('R') || status.startsWith('C');
    const oldPath = raw[i + 1];
    const newPath = pair ? raw[i + 2] : oldPath;
    i += pair ? 3 : 2;
    if (status.startsWith('A') || (only && !only.includes(newPath))) continue;
    const body = execFileSync('git', ['cat-file', 'blob', `${parents[1]}:${oldPath}`], { cwd: repo.dir });
    if (body.subarray(0, 8000).includes(0)) continue;
    let n = 0;
    for (let at = body.indexOf(10); at >= 0; at = body.indexOf(10, at + 1)) n++;
    total += n + (body.length > 0 && body[body.length - 1] !== 10 ? 1 : 0);
  }
  return total;
}

/** Lines "prefix<from>".."prefix<to>", newline-terminated. */
export function linesFrom(prefix: string, from: number, to: number): string {
  return Array.from({ length: to - from + 1 }, (_, i) => `${prefix}${from + i}\n`).join('');
}

/**
 * Build, in `repo`, the shape of eclipse.jdt.core's BETA_JAVA8 branch: a side branch whose commits are dated
 * between the mainline's, changing the same files, merged twice; a rename on the mainline the
 * side branch's change follows; a deletion; an "evil" merge; a merge with a resolved conflict.
 *
 * d0  M0 main   src/F.java 100, res/msg.properties 50, util/G.java 30, old/Dead.java 10
 * d1  S1 side   F +40 at the end
 * d2  M1 main   F: 5 lines inserted at the top, line 1 changed
 * d2.5 M2 main  util/G.java -> core/G.java; old/Dead.java deleted
 * d3  S2 side   msg +30 at the end; util/G.java +10 at the end
 * d4  M3 main   msg: 4 lines deleted at the top, 2 added
 * d5  S3 side   F: last 3 lines replaced
 * d6  M4 main   F: line 50 changed
 * d7  X1 main   merge side (clean: F, msg and G merge; G's result is a blob no commit had)
 * d8  M5 main   F +1 at the top, core/G.java +1, msg +1 at the top
 * d8.5 S4 side  F +2 at the end
 * d9  X2 main   merge side, evil: adds evil/E.java (7 lines) and 3 lines to msg on its own
 * d10 M6 main   F, msg and core/G.java changed
 * d11 T1 topic  F line 10 -> "topic"
 * d11.5 M7 main F line 10 -> "main"
 * d12 X3 main   merge topic, conflict on line 10 resolved as "resolved"
 */
export function buildSideBranchHistory(repo: TestRepo): Record<string, string> {
  const F = linesFrom;
  const h: Record<string, string> = {};
  repo.write('src/F.java', F('f', 1, 100));
  repo.write('res/msg.properties', F('m', 1, 50));
  repo.write('util/G.java', F('g', 1, 30));
  repo.write('old/Dead.java', F('d', 1, 10));
  h.M0 = repo.commit(ALICE, 0, 'initial');

  repo.git(['checkout', '-q', '-b', 'side']);
  repo.write('src/F.java', F('f', 1, 100) + F('s', 1, 40));
  h.S1 = repo.commit(BOB, 1, 'side: grow F');

  repo.git(['checkout', '-q', 'main']);
  repo.write('src/F.java', F('top', 1, 5) + 'F1\n' + F('f', 2, 100));
  h.M1 = repo.commit(ALICE, 2, 'main: top of F');
  repo.write('core/G.java', F('g', 1, 30));
  rmSync(join(repo.dir, 'util'), { recursive: true });
  rmSync(join(repo.dir, 'old'), { recursive: true });
  h.M2 = repo.commit(ALICE, 2.5, 'move G, drop Dead');

  repo.git(['checkout', '-q', 'side']);
  repo.write('res/msg.properties', F('m', 1, 50) + F('sm', 1, 30));
  repo.write('util/G.java', F('g', 1, 30) + F('sg', 1, 10));
  h.S2 = repo.commit(BOB, 3, 'side: messages and G');

  repo.git(['checkout', '-q', 'main']);
  repo.write('res/msg.properties', 'M1\nM2\n' + F('m', 5, 50));
  h.M3 = repo.commit(CAROL, 4, 'main: messages');

  repo.git(['checkout', '-q', 'side']);
  repo.write('src/F.java', F('f', 1, 100) + F('s', 1, 37) + F('S', 38, 40));
  h.S3 = repo.commit(BOB, 5, 'side: end of F');

  repo.git(['checkout', '-q', 'main']);
  repo.write('src/F.java', F('top', 1, 5) + 'F1\n' + F('f', 2, 49) + 'F50\n' + F('f', 51, 100));
  h.M4 = repo.commit(ALICE, 6, 'main: middle of F');

  h.X1 = mergeBranch(repo, ALICE, 7, 'side', 'Merge side');

  repo.write('src/F.java', 'new-top\n' + repo.git(['show', 'HEAD:src/F.java']));
  repo.write('core/G.java', repo.git(['show', 'HEAD:core/G.java']) + 'g-after-merge\n');
  repo.write('res/msg.properties', 'M0\n' + repo.git(['show', 'HEAD:res/msg.properties']));
  h.M5 = repo.commit(CAROL, 8, 'main after merge');

  repo.git(['checkout', '-q', 'side']);
  repo.write('src/F.java', repo.git(['show', 'HEAD:src/F.java']) + 's-late-1\ns-late-2\n');
  h.S4 = repo.commit(BOB, 8.5, 'side: late change');

  repo.git(['checkout', '-q', 'main']);
  h.X2 = mergeBranch(repo, ALICE, 9, 'side', 'Merge side again', () => {
    repo.write('evil/E.java', F('e', 1, 7));
    repo.write('res/msg.properties', repo.git(['show', 'HEAD:res/msg.properties']) + 'x1\nx2\nx3\n');
  });

  repo.write('src/F.java', repo.git(['show', 'HEAD:src/F.java']).replace('f60\n', 'F60\n'));
  repo.write('res/msg.properties', repo.git(['show', 'HEAD:res/msg.properties']).replace('m20\n', ''));
  repo.write('core/G.java', repo.git(['show', 'HEAD:core/G.java']).replace('g3\n', 'G3\n'));
  h.M6 = repo.commit(CAROL, 10, 'main: three files');

  repo.git(['checkout', '-q', '-b', 'topic']);
  repo.write('src/F.java', repo.git(['show', 'HEAD:src/F.java']).replace('f10\n', 'topic\n'));
  h.T1 = repo.commit(BOB, 11, 'topic: line 10');
  repo.git(['checkout', '-q', 'main']);
  repo.write('src/F.java', repo.git(['show', 'HEAD:src/F.java']).replace('f10\n', 'main\n'));
  h.M7 = repo.commit(ALICE, 11.5, 'main: line 10');
  h.X3 = mergeBranch(repo, ALICE, 12, 'topic', 'Merge topic', () => {
    repo.write('src/F.java', repo.git(['show', 'HEAD:src/F.java']).replace('main\n', 'resolved\n'));
  });

  return h;
}
