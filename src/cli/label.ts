/** `patch-risk label commits.csv --repo DIR`: SZZ bug labels for mined commits. */
import { readFile } from 'node:fs/promises';
import { Command, Option } from 'commander';
import Papa from 'papaparse';
import { InputError } from '../core/errors.js';
import { writeFileAtomic } from '../core/files.js';
import {
  compileFixRule,
  DEFAULT_FIX_PATTERN,
  DEFAULT_MAX_FIX_FILES,
  FILES_SEPARATOR,
  FIX_RULE_TERMS,
  GitError,
  labelHistory,
  unescapeFormula,
  type FixRule,
  type LabelHistoryResult,
  type LabelProgress
} from '../git/index.js';
import { CliExit, EXIT_USAGE, parseIntegerOption } from './common.js';
import { parseDateOption, parseFixRuleOption } from './history-options.js';

interface LabelFlags {
  repo: string;
  out?: string;
  jobs?: number;
  fixPattern: FixRule;
  since?: number;
  until?: number;
  cache?: string;
  maxFixFiles: number;
}

export interface LabelInput {
  fields: string[];
  rows: Record<string, string>[];
  /** Rows with fix = 1 in the CSV (the miner's rule). */
  csvFixes: Set<string>;
  /** Per commit, the `files` column (paths the miner kept), when the CSV has one. */
  files: Map<string, Set<string>>;
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
  const csvFixes = new Set<string>();
  const files = new Map<string, Set<string>>();
  parsed.data.forEach((row, i) => {
    const where = (column: string) => ({ row: i + 1, column });
    const commit = (row.commit ?? '').trim().toLowerCase();
    if (!HASH.test(commit)) throw new InputError(file, `"${row.commit}" is not a full commit hash`, where('commit'));
    const date = Number(row.date);
    if (!Number.isInteger(date)) throw new InputError(file, `"${row.date}" is not unix seconds`, where('date'));
    const fix = (row.fix ?? '').trim();
    if (fix !== '0' && fix !== '1') throw new InputError(file, `"${row.fix}" is not 0 or 1`, where('fix'));
    if (fix === '1') csvFixes.add(commit);
    if (row.files !== undefined) {
      files.set(
        commit,
        new Set(
          unescapeFormula(row.files)
            .split(FILES_SEPARATOR)
            .filter((p) => p !== '')
        )
      );
    }
  });
  return { fields, rows: parsed.data, csvFixes, files };
}

/** The input rows with `bug` (0/1) and `fixed_by` (';'-joined fix hashes) set from SZZ results. */
export function labelledCsv(
  input: LabelInput,
  fixedBy: ReadonlyMap<string, readonly string[]>,
  keep: (commit: string) => boolean = () => true
): string {
  const fields = [...input.fields.filter((f) => f !== 'bug' && f !== 'fixed_by'), 'bug', 'fixed_by'];
  const data: string[][] = [];
  for (const row of input.rows) {
    const commit = (row.commit ?? '').trim().toLowerCase();
    if (!keep(commit)) continue;
    const fixes = fixedBy.get(commit) ?? [];
    data.push(fields.map((f) => (f === 'bug' ? (fixes.length > 0 ? '1' : '0') : f === 'fixed_by' ? fixes.join(';') : (row[f] ?? ''))));
  }
  // Cells come back already guarded by `mine`; numbers are written as read.
  return Papa.unparse({ fields, data }, { newline: '\n' }) + '\n';
}

function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 120 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

/** One progress line: where the run is, how fast it goes, and when it should end. */
export function progressLine(p: LabelProgress): string {
  const rate = p.elapsedMs > 0 ? p.blamed / (p.elapsedMs / 1000) : 0;
  const left = p.total - p.done;
  const eta = p.done === p.total ? '' : rate > 0 ? `, about ${formatDuration((left / rate) * 1000)} left` : '';
  return (
    `label: ${p.done.toLocaleString('en-US')}/${p.total.toLocaleString('en-US')} fix commits ` +
    `(${p.fromCache.toLocaleString('en-US')} from the cache, ${p.blamed.toLocaleString('en-US')} blamed, ${rate.toFixed(1)}/s), ` +
    `${formatDuration(p.elapsedMs)}${eta}`
  );
}

function fixPatternHelp(): string {
  const terms = Object.entries(FIX_RULE_TERMS)
    .map(([name, t]) => `${name} = ${t.description}`)
    .join('; ');
  return `which commits are fixes: terms joined by + (all) and | (any), or /regex/flags over the whole message. Terms: ${terms}`;
}

function summary(result: LabelHistoryResult, rows: number, kept: number): string {
  const c = result.counts;
  return (
    `label: ${c.bugs.toLocaleString('en-US')} of ${c.commits.toLocaleString('en-US')} commits in the history are bug-introducing ` +
    `(${kept.toLocaleString('en-US')} of ${rows.toLocaleString('en-US')} CSV rows written); fix rule "${result.settings.fixRule}": ` +
    `${c.fixes.toLocaleString('en-US')} fix commits, ${c.fixesInWindow.toLocaleString('en-US')} in the window ` +
    `(${c.fromCache.toLocaleString('en-US')} from the cache, ${c.blamed.toLocaleString('en-US')} blamed` +
    (c.massChanges > 0
      ? `, ${c.massChanges.toLocaleString('en-US')} left out as mass changes of more than ${result.settings.maxFixFiles} files`
      : '') +
    ')\n'
  );
}

export function labelCommand(): Command {
  return new Command('label')
    .description(
      'Label mined commits with SZZ: bug=1 when a later fix commit changed or deleted lines the commit introduced. ' +
        'Fix commits are found in the repository history (full messages) with the fix rule; only those in --since/--until are blamed.'
    )
    .argument('<commits>', 'CSV written by patch-risk mine')
    .option('--repo <dir>', 'git repository the CSV was mined from', '.')
    .option('-o, --out <file>', 'labelled CSV to write (default: stdout); written to a temporary file and renamed into place')
    .addOption(
      new Option('--fix-pattern <pattern>', fixPatternHelp()).argParser(parseFixRuleOption).default(compileFixRule(), DEFAULT_FIX_PATTERN)
    )
    .option(
      '--since <date>',
      'blame only fix commits committed on or after this date (YYYY-MM-DD = a UTC day, ISO 8601 with zone, or @unix)',
      parseDateOption('start')
    )
    .option(
      '--until <date>',
      'label the repository as it was at this date: later commits are neither fixes, nor introducers, nor rows (their rows are left out)',
      parseDateOption('end')
    )
    .option(
      '--max-fix-files <n>',
      'a fix commit that lost lines in more files than this is a mass change (reformat, rename, regenerated data) and is not blamed; 0 = no limit',
      parseIntegerOption('--max-fix-files', 0),
      DEFAULT_MAX_FIX_FILES
    )
    .option('--cache <dir>', 'keep per-fix SZZ results here; a later run blames only fix commits it has not seen')
    .option('--jobs <n>', 'git processes at once (default: the CPU count)', parseIntegerOption('--jobs', 1))
    .action(async (file: string, flags: LabelFlags) => {
      if (flags.since !== undefined && flags.until !== undefined && flags.since > flags.until) {
        throw new CliExit(EXIT_USAGE, 'error: --since is after --until: no fix commit could be blamed');
      }
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (err) {
        throw new InputError(file, `cannot read: ${(err as Error).message}`);
      }
      const input = parseCommitsCsv(file, text);
      const tty = process.stderr.isTTY === true;
      let lastReport = 0;
      const onProgress = (p: LabelProgress) => {
        if (p.done !== p.total && p.elapsedMs - lastReport < (tty ? 250 : 5000)) return;
        lastReport = p.elapsedMs;
        process.stderr.write(tty ? `\r\x1b[K${progressLine(p)}` : `${progressLine(p)}\n`);
      };
      let result: LabelHistoryResult;
      try {
        result = await labelHistory({
          repo: flags.repo,
          since: flags.since,
          until: flags.until,
          fixRule: flags.fixPattern,
          cacheDir: flags.cache,
          maxFixFiles: flags.maxFixFiles === 0 ? Infinity : flags.maxFixFiles,
          jobs: flags.jobs,
          paths: (commit) => input.files.get(commit),
          onProgress
        });
      } catch (err) {
        if (err instanceof GitError && /not a git repository|rev-parse/.test(err.message)) {
          throw new InputError(flags.repo, `not a git repository with commits (${err.message})`);
        }
        throw err;
      }
      if (tty && result.counts.fixesInWindow > 0) process.stderr.write('\n');

      const inHistory = (commit: string) => result.labels.has(commit);
      const keep = flags.until === undefined ? () => true : inHistory;
      const kept = input.rows.filter((r) => keep((r.commit ?? '').trim().toLowerCase())).length;
      const unknown = input.rows.filter((r) => !inHistory((r.commit ?? '').trim().toLowerCase())).length;
      if (flags.until !== undefined && unknown > 0) {
        process.stderr.write(`label: ${unknown} rows left out: committed after --until or not in the history of HEAD\n`);
      } else if (unknown > 0) {
        process.stderr.write(`warning: ${unknown} rows are not in the history of HEAD; they are labelled bug=0\n`);
      }
      let disagree = 0;
      for (const r of input.rows) {
        const commit = (r.commit ?? '').trim().toLowerCase();
        if (inHistory(commit) && input.csvFixes.has(commit) !== result.fixCommits.has(commit)) disagree += 1;
      }
      if (disagree > 0) {
        process.stderr.write(
          `warning: the CSV's fix column and the fix rule "${result.settings.fixRule}" disagree on ${disagree} commits: ` +
            'mine and label were run with different fix rules, so the fix feature and the labels follow different definitions\n'
        );
      }
      const csv = labelledCsv(input, result.fixedBy, keep);
      if (flags.out) writeFileAtomic(flags.out, csv, 'the labelled file');
      else process.stdout.write(csv);
      process.stderr.write(summary(result, input.rows.length, kept));
    });
}
