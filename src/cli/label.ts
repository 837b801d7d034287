/** `patch-risk label commits.csv --repo DIR`: SZZ bug labels for mined commits. */
import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { Command } from 'commander';
import Papa from 'papaparse';
import { InputError } from '../core/errors.js';
import { FILES_SEPARATOR, szz, unescapeFormula, type FixCommit } from '../git/index.js';
import { closeStream, writeChunk } from './mine.js';
import { parseIntegerOption } from './common.js';

interface LabelFlags {
  repo: string;
  out?: string;
  jobs: number;
}

export interface LabelInput {
  fields: string[];
  rows: Record<string, string>[];
  fixes: FixCommit[];
}

const HASH = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

/** Parse and check a `patch-risk mine` CSV: commit (full hash), date (unix seconds), fix (0/1), optional files. */
export function parseCommitsCsv(file: string, text: string): LabelInput {
  const parsed = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true });
  const fields = parsed.meta.fields ?? [];
  for (const column of ['commit', 'date', 'fix']) {
    if (!fields.includes(column)) throw new InputError(file, `missing column "${column}" (expected the output of patch-risk mine)`);
  }
  const bad = parsed.errors.find((e) => e.type !== 'Delimiter');
  if (bad) throw new InputError(file, bad.message, { row: (bad.row ?? 0) + 1 });
  const fixes: FixCommit[] = [];
  parsed.data.forEach((row, i) => {
    const where = (column: string) => ({ row: i + 1, column });
    const commit = (row.commit ?? '').trim().toLowerCase();
    if (!HASH.test(commit)) throw new InputError(file, `"${row.commit}" is not a full commit hash`, where('commit'));
    const date = Number(row.date);
    if (!Number.isInteger(date)) throw new InputError(file, `"${row.date}" is not unix seconds`, where('date'));
    const fix = (row.fix ?? '').trim();
    if (fix !== '0' && fix !== '1') throw new InputError(file, `"${row.fix}" is not 0 or 1`, where('fix'));
    if (fix === '1') {
      const files =
        row.files === undefined
          ? undefined
          : new Set(
              unescapeFormula(row.files)
                .split(FILES_SEPARATOR)
                .filter((p) => p !== '')
            );
      fixes.push({ commit, date, files });
    }
  });
  return { fields, rows: parsed.data, fixes };
}

/** The input rows with `bug` (0/1) and `fixed_by` (';'-joined fix hashes) set from SZZ results. */
export function labelledCsv(input: LabelInput, fixedBy: ReadonlyMap<string, readonly string[]>): string {
  const fields = [...input.fields.filter((f) => f !== 'bug' && f !== 'fixed_by'), 'bug', 'fixed_by'];
  const data = input.rows.map((row) => {
    const fixes = fixedBy.get((row.commit ?? '').trim().toLowerCase()) ?? [];
    return fields.map((f) => (f === 'bug' ? (fixes.length > 0 ? 1 : 0) : f === 'fixed_by' ? fixes.join(';') : (row[f] ?? '')));
  });
  // Cells come back already guarded by `mine`; numbers are written as read.
  return Papa.unparse({ fields, data }, { newline: '\n' }) + '\n';
}

export function labelCommand(): Command {
  return new Command('label')
    .description('Label mined commits with SZZ: bug=1 when a later fix commit changed or deleted lines the commit introduced.')
    .argument('<commits>', 'CSV written by patch-risk mine (the whole history, so later fixes are seen)')
    .option('--repo <dir>', 'git repository the CSV was mined from', '.')
    .option('-o, --out <file>', 'labelled CSV to write (default: stdout)')
    .option('--jobs <n>', 'fix commits blamed in parallel', parseIntegerOption('--jobs', 1), 4)
    .action(async (file: string, flags: LabelFlags) => {
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (err) {
        throw new InputError(file, `cannot read: ${(err as Error).message}`);
      }
      const input = parseCommitsCsv(file, text);
      const tty = process.stderr.isTTY === true;
      const started = Date.now();
      let lastReport = started;
      const onProgress = (done: number, total: number) => {
        const now = Date.now();
        if (done !== total && now - lastReport < (tty ? 200 : 5000)) return;
        lastReport = now;
        const line = `label: ${done}/${total} fix commits blamed (${((now - started) / 1000).toFixed(0)} s)`;
        process.stderr.write(tty ? `\r${line}` : `${line}\n`);
      };
      const fixedBy = await szz(input.fixes, { repo: flags.repo, concurrency: flags.jobs, onProgress });
      if (tty && input.fixes.length > 0) process.stderr.write('\n');
      const out: Writable = flags.out ? createWriteStream(flags.out) : process.stdout;
      await writeChunk(out, labelledCsv(input, fixedBy));
      await closeStream(out);
      const bugs = input.rows.filter((r) => fixedBy.has((r.commit ?? '').trim().toLowerCase())).length;
      process.stderr.write(`label: ${bugs} of ${input.rows.length} commits marked bug=1 by ${input.fixes.length} fix commits\n`);
    });
}
