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
