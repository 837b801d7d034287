/** `patch-risk mine`: change metrics of every non-merge commit, as CSV. */
import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { once } from 'node:events';
import { Command } from 'commander';
import { InputError } from '../core/errors.js';
import { runGit } from '../git/run.js';
import {
  commitCsvHeader,
  commitCsvRows,
  DEFAULT_IGNORE,
  GitError,
  isShallow,
  mineCommits,
  parseRange,
  type CommitMetrics
} from '../git/index.js';

interface MineFlags {
  repo: string;
  range?: string;
  out?: string;
  ignore?: string[];
  defaultIgnore: boolean;
}

const BATCH = 256;
const PROGRESS_EVERY = 5000;

/** Write with back-pressure; resolves once the chunk is accepted. */
export async function writeChunk(stream: Writable, text: string): Promise<void> {
  if (text !== '' && !stream.write(text)) await once(stream, 'drain');
}

export async function closeStream(stream: Writable): Promise<void> {
  if (stream === process.stdout) return;
  stream.end();
  await once(stream, 'finish');
}

export function mineCommand(): Command {
  return new Command('mine')
    .description('Mine the change metrics (Kamei et al.) of every non-merge commit from git history and write them as CSV.')
    .option('--repo <dir>', 'git repository', '.')
    .option('--range <BASE..HEAD>', 'replay all history but write only the commits in this range')
    .option('-o, --out <file>', 'CSV file to write (default: stdout)')
    .option(
      '--ignore <glob...>',
      `more paths to leave out of every metric (gitignore-like; added to the defaults: ${DEFAULT_IGNORE.join(' ')})`
    )
    .option('--no-default-ignore', 'do not apply the default ignore list')
    .action(async (flags: MineFlags) => {
      const ignore = [...(flags.defaultIgnore ? DEFAULT_IGNORE : []), ...(flags.ignore ?? [])];
      if (flags.range !== undefined) parseRange(flags.range);
      let shallow: boolean;
      try {
        shallow = await isShallow(flags.repo);
      } catch (err) {
        if (err instanceof GitError) throw new InputError(flags.repo, `not a git repository (${err.message})`);
        throw err;
      }
      if (flags.range === undefined && (await runGit(flags.repo, ['rev-list', '-n', '1', '--all'])).trim() === '') {
        throw new InputError(flags.repo, 'the repository has no commits yet');
      }
      if (shallow) {
        process.stderr.write(
          'warning: shallow clone: history metrics (ndev, age, nuc, exp, rexp, sexp, lt) only see the fetched history; run `git fetch --unshallow` for exact values\n'
        );
      }
      const out: Writable = flags.out ? createWriteStream(flags.out) : process.stdout;
      const outError = new Promise<never>((_, reject) => out.once('error', reject));
      outError.catch(() => undefined);
      const tty = process.stderr.isTTY === true;
      let written = 0;
      const work = async (): Promise<void> => {
        // The header goes out with the first rows, so a bad revision fails before anything is written.
        let header = commitCsvHeader();
        let batch: CommitMetrics[] = [];
        const onProgress = tty
          ? (n: number) => {
              if (n % PROGRESS_EVERY === 0) process.stderr.write(`\rmine: ${n} commits replayed, ${written} written`);
            }
          : undefined;
        for await (const row of mineCommits({ repo: flags.repo, range: flags.range, ignore, onProgress })) {
          batch.push(row);
          if (batch.length === BATCH) {
            written += batch.length;
            await writeChunk(out, header + commitCsvRows(batch));
            header = '';
            batch = [];
          }
        }
        written += batch.length;
        await writeChunk(out, header + commitCsvRows(batch));
        await closeStream(out);
      };
      await Promise.race([work(), outError]);
      if (tty) process.stderr.write('\r\x1b[K');
      if (flags.out) process.stderr.write(`mine: wrote ${written} commits to ${flags.out}\n`);
    });
}
