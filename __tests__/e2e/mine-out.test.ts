/**
 * Outputs are never half-written and never written through a symbolic link (issue 13 §6,
 * issue 17 item 1): the atomic writer, and `patch-risk mine --out` failing or interrupted.
 */
import { spawn, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path, { join } from 'node:path';
import { mineCommand } from '../../src/cli/mine.js';
import { ALICE, TestRepo } from '../helpers/git-helpers.js';

const BIN = path.resolve('lib/cli/bin.js');

describe('patch-risk mine --out', () => {
  const repo = new TestRepo();
  const dir = mkdtempSync(join(tmpdir(), 'patch-risk-mine-out-'));
  beforeAll(() => {
    repo.write('a.txt', 'a\n');
    repo.commit(ALICE, 0, 'one');
  });
  afterAll(() => {
    repo.remove();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a failed run leaves no file, and an existing file untouched', async () => {
    const file = join(dir, 'fail.csv');
    const run = (range: string) =>
      mineCommand().parseAsync(['--repo', repo.dir, '--range', range, '--out', file, '--no-progress'], { from: 'user' });
    await expect(run('no-such-rev..HEAD')).rejects.toThrow(/no-such-rev/);
    expect(readdirSync(dir)).toEqual([]);
    writeFileSync(file, 'previous\n');
    await expect(run('HEAD..no-such-rev')).rejects.toThrow(/no-such-rev/);
    expect(readFileSync(file, 'utf8')).toBe('previous\n');
    expect(readdirSync(dir)).toEqual(['fail.csv']);
  });

  it('refuses an output path that is a symbolic link', async () => {
    const victim = join(dir, 'victim');
    writeFileSync(victim, 'keep\n');
    symlinkSync(victim, join(dir, 'link.csv'));
    await expect(mineCommand().parseAsync(['--repo', repo.dir, '--out', join(dir, 'link.csv')], { from: 'user' })).rejects.toThrow(
      /symbolic link/
    );
    expect(readFileSync(victim, 'utf8')).toBe('keep\n');
  });

  it('an interrupted run (SIGINT, SIGTERM) leaves no partial file', async () => {
    // Enough history that mining takes a while: 2,000 commits through fast-import.
    const big = mkdtempSync(join(tmpdir(), 'patch-risk-mine-big-'));
    try {
      execFileSync('git', ['init', '-q', '-b', 'main', big]);
      let stream = '';
      for (let i = 1; i <= 2000; i++) {
        const body = `line ${i}\n`.repeat(1 + (i % 7));
        stream += `commit refs/heads/main\ncommitter Dev <dev@example.com> ${1_600_000_000 + i * 60} +0000\ndata 4\nc${String(i % 1000).padStart(3, '0')}\n`;
        stream += `M 100644 inline f${i % 50}.txt\ndata ${Buffer.byteLength(body)}\n${body}\n`;
      }
      execFileSync('git', ['-C', big, 'fast-import', '--quiet'], { input: stream });
      for (const signal of ['SIGINT', 'SIGTERM'] as const) {
        const out = join(dir, `interrupted-${signal}`);
        mkdirSync(out);
        const child = spawn(process.execPath, [BIN, 'mine', '--repo', big, '--out', join(out, 'rows.csv'), '--no-progress'], {
          stdio: 'ignore'
        });
        const exited = new Promise<[number | null, string | null]>((resolve) => child.on('exit', (code, sig) => resolve([code, sig])));
        // Wait until the temporary output exists, then interrupt.
        for (let i = 0; i < 600 && readdirSync(out).length === 0; i++) await new Promise((r) => setTimeout(r, 25));
        expect(readdirSync(out)[0]).toMatch(/^\.rows\.csv\.[0-9a-f]+\.tmp$/);
        child.kill(signal);
        const [code, sig] = await exited;
        // The CLI removes pending outputs and exits with the shell's code for the signal (128 + its number).
        expect([code, sig]).toEqual([signal === 'SIGINT' ? 130 : 143, null]);
        expect(readdirSync(out)).toEqual([]);
      }
    } finally {
      rmSync(big, { recursive: true, force: true });
    }
  });
});
