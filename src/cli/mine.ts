/** `patch-risk mine`: change metrics of every commit, as CSV. */
import type { Writable } from 'node:stream';
import { once } from 'node:events';
import { Command } from 'commander';
import { InputError } from '../core/errors.js';
import { runGit } from '../git/run.js';
import { AtomicFile } from '../core/files.js';
import {
  commitCsvHeader,
  commitCsvRows,
  DEFAULT_IGNORE,
  GitError,
  isShallow,
  mineCommits,
  parseRange,
  type CacheOutcome,
  type CommitMetrics
} from '../git/index.js';
import { progressReporter } from './mine-progress.js';

interface MineFlags {
  repo: string;
  range?: string;
  out?: string;
  ignore?: string[];
  defaultIgnore: boolean;
  cache?: string;
  progress: boolean;
}

const BATCH = 256;

/** Write with back-pressure; resolves once the chunk is accepted. */
export async function writeChunk(stream: Writable, text: string): Promise<void> {
  if (text !== '' && !stream.write(text)) await once(stream, 'drain');
}

export async function closeStream(stream: Writable): Promise<void> {
  if (stream === process.stdout) return;
  stream.end();
  await once(stream, 'finish');
}

/** Where rows go: a file written atomically, or stdout. */
interface Sink {
  write(text: string): Promise<void>;
  commit(): Promise<void>;
  abort(): Promise<void>;
}

async function openSink(out: string | undefined): Promise<Sink> {
  if (out === undefined) {
    const stdout = process.stdout;
    return { write: (text) => writeChunk(stdout, text), commit: async () => undefined, abort: async () => undefined };
  }
  const file = AtomicFile.open(out, 'the mined file');
  return {
    write: async (text) => file.write(text),
    commit: async () => file.commit(),
    abort: async () => file.abort()
  };
}

function describeCache(outcome: CacheOutcome): string {
  const count = `${outcome.replayed} commit${outcome.replayed === 1 ? '' : 's'}`;
  return outcome.hit
    ? `mine: cache: ${outcome.reason}; replaying ${count} before the range\n`
    : `mine: cache: not used (${outcome.reason}); replaying all ${count} of the history\n`;
}

export function mineCommand(): Command {
  return new Command('mine')
    .description(
      'Mine the change metrics (Kamei et al.) of every commit from git history and write them as CSV. ' +
        'Merge commits have a row (merge = 1) only when they change lines on their own (lines in none of their parents).'
    )
    .option('--repo <dir>', 'git repository', '.')
    .option('--range <BASE..HEAD>', "write only the commits of HEAD not reachable from BASE, on top of BASE's replayed history")
    .option('-o, --out <file>', 'CSV file to write (default: stdout); written to a temporary file and renamed into place when complete')
    .option(
      '--ignore <glob...>',
      `more paths to leave out of every metric (gitignore-like; added to the defaults: ${DEFAULT_IGNORE.join(' ')})`
    )
    .option('--no-default-ignore', 'do not apply the default ignore list')
    .option(
      '--cache <dir>',
      "history state cache: with --range, resume from the state saved there when its commit is on BASE's first-parent chain, and save the state at BASE (without --range: save it at HEAD)"
    )
    .option('--no-progress', 'do not report progress on stderr (a bar on a terminal, otherwise a line every 5 seconds)')
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
          'warning: shallow clone: history metrics (ndev, age, nuc, exp, rexp, sexp) only see the fetched history; run `git fetch --unshallow` for exact values\n'
        );
      }
      const progress = flags.progress ? progressReporter({ stream: process.stderr, tty: process.stderr.isTTY === true }) : undefined;
      const sink = await openSink(flags.out);
      let written = 0;
      try {
        // The header goes out with the first rows, so a bad revision fails before anything is written.
        let header = commitCsvHeader();
        let batch: CommitMetrics[] = [];
        const rows = mineCommits({
          repo: flags.repo,
          range: flags.range,
          ignore,
          cacheDir: flags.cache,
          onProgress: progress ? (p) => progress.update(p) : undefined,
          onCache: (outcome) => {
            progress?.stop();
            process.stderr.write(describeCache(outcome));
          }
        });
        for await (const row of rows) {
          batch.push(row);
          if (batch.length === BATCH) {
            written += batch.length;
            await sink.write(header + commitCsvRows(batch));
            header = '';
            batch = [];
          }
        }
        written += batch.length;
        await sink.write(header + commitCsvRows(batch));
        progress?.stop();
        await sink.commit();
      } catch (err) {
        progress?.stop();
        await sink.abort();
        throw err;
      }
      if (flags.out) process.stderr.write(`mine: wrote ${written} commits to ${flags.out}\n`);
    });
}
