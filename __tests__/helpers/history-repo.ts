/**
 * A real git repository with a long, realistic-looking history, written in
 * one `git fast-import` run (hundreds of commits in about a second): a dozen
 * authors over several subsystems, files created, grown, trimmed, renamed
 * never; commit sizes from one-line fixes to large rewrites (log-normal), some
 * bug-fix messages, and commit times a few hours apart. Deterministic for a
 * seed. What it is for: a history on which the miner's metrics, the model's
 * scores and the alert budget behave as on a real project.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createRandom } from '../../src/index.js';

export const HISTORY_T0 = 1_600_000_000;

export interface HistoryRepo {
  dir: string;
  /** Commit hashes, oldest first. */
  commits: string[];
  remove(): void;
}

const AUTHORS = ['Ada', 'Brian', 'Chen', 'Dana', 'Emil', 'Fatima', 'Goran', 'Hana', 'Ivo', 'Jun', 'Kofi', 'Lea'];
const SUBSYSTEMS = ['core', 'net', 'ui', 'storage', 'build', 'docs'];
const FIX_SUBJECTS = ['Fix crash when', 'Fix bug in', 'Fix regression in', 'Fix race in'];
const OTHER_SUBJECTS = ['Add support for', 'Refactor', 'Improve', 'Update', 'Clean up', 'Speed up'];

const git = (dir: string, args: string[], input?: string): string =>
  execFileSync('git', args, {
    cwd: dir,
    input,
    encoding: 'utf8',
    maxBuffer: 1 << 28,
    env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' }
  });

/** Build `commits` commits on branch main of a new repository in a temp dir. */
export function buildHistoryRepo(commits: number, seed = 1): HistoryRepo {
  const dir = mkdtempSync(path.join(tmpdir(), 'patch-risk-history-'));
  git(dir, ['init', '-q', '-b', 'main']);
  const rng = createRandom(seed);
  const random = (): number => rng.next();
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const files = new Map<string, string[]>();
  let serial = 0;
  let time = HISTORY_T0;
  const chunks: string[] = [];
  for (let c = 0; c < commits; c++) {
    time += Math.floor(600 + random() * 6 * 3600);
    const author = pick(AUTHORS);
    const sub = pick(SUBSYSTEMS);
    // Commit size: log-normal lines changed; bigger commits touch more files.
    const size = Math.max(1, Math.round(Math.exp(random() * 7)));
    const touched = Math.max(1, Math.min(12, Math.round(Math.exp(random() * Math.log(1 + size / 8)))));
    const existing = [...files.keys()].filter((file) => file.startsWith(`${sub}/`));
    const changes: string[] = [];
    for (let t = 0; t < touched; t++) {
      const create = existing.length === 0 || random() < 0.15;
      const file = create ? `${sub}/${pick(['lib', 'api', 'impl', 'test'])}/f${serial++}.txt` : pick(existing);
      const lines = files.get(file) ?? [];
      const share = Math.max(1, Math.round(size / touched));
      const deleted = create ? 0 : Math.min(lines.length, Math.floor(share * random() * 0.6));
      for (let d = 0; d < deleted; d++) lines.splice(Math.floor(random() * lines.length), 1);
      for (let a = 0; a < share - deleted; a++) lines.splice(Math.floor(random() * (lines.length + 1)), 0, `c${c} ${file} ${a}`);
      files.set(file, lines);
      changes.push(file);
    }
    const subject = `${random() < 0.3 ? pick(FIX_SUBJECTS) : pick(OTHER_SUBJECTS)} ${sub} ${c}`;
    const who = `${author} <${author.toLowerCase()}@example.com> ${time} +0000`;
    chunks.push(
      `commit refs/heads/main\nmark :${c + 1}\nauthor ${who}\ncommitter ${who}\ndata ${Buffer.byteLength(subject)}\n${subject}\n`
    );
    if (c > 0) chunks.push(`from :${c}\n`);
    for (const file of new Set(changes)) {
      const content = (files.get(file) ?? []).join('\n') + '\n';
      chunks.push(`M 100644 inline ${file}\ndata ${Buffer.byteLength(content)}\n${content}\n`);
    }
  }
  git(dir, ['fast-import', '--quiet'], chunks.join(''));
  git(dir, ['reset', '-q', '--hard', 'main']);
  const hashes = git(dir, ['rev-list', '--reverse', 'main']).trim().split('\n');
  return { dir, commits: hashes, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
