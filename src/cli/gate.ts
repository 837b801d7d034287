/**
 * `patch-risk gate FILE` / `patch-risk gate --commits BASE..HEAD`: score,
 * write the auditable scored file, print the verdict (JSON, then PASS/FAIL),
 * exit 1 on high risk. With --commits the commit table is printed first.
 */
import path from 'node:path';
import { Command, Option } from 'commander';
// The gate's modules directly, not the index barrel (which loads every module): a gate starts fast.
import type { GateRun } from '../api/gate.js';
import { writeFileAtomic } from '../core/files.js';
import { defaultScoredPath, gateVerdict, scoredCsv, scoredJsonRows, thresholdsJson } from '../core/output.js';
import type { ScoredPatches } from '../core/pipeline.js';
import { CliExit, EXIT_FAIL, EXIT_USAGE } from './common.js';
import {
  addCommitOptions,
  addScoringOptions,
  DEFAULT_COMMITS_SCORED_FILE,
  inputFromFlags,
  loadModelFlag,
  reviewersOf,
  runWithFlags,
  type CommitFlags,
  type ScoringFlags
} from './options.js';

type TableFormat = 'text' | 'markdown' | 'json';

interface GateFlags extends ScoringFlags, CommitFlags {
  out?: string;
  format?: TableFormat;
}

export function gateCommand(): Command {
  return addCommitOptions(
    addScoringOptions(
      new Command('gate')
        .description(
          'Score a patch file, or the commits of a range (--commits BASE..HEAD), and fail (exit 1) when any is high risk. Writes the scored file.'
        )
        .argument('[file]', 'CSV or JSON patch feature file (or --commits BASE..HEAD)')
        .option(
          '-o, --out <scored.csv>',
          `where to write the scored CSV (default: <name>.scored.csv beside the input; with --commits ${DEFAULT_COMMITS_SCORED_FILE} in the current directory)`
        )
        .addOption(
          new Option('-f, --format <format>', 'with --commits: how the commit table before the verdict is printed (default text)').choices([
            'text',
            'markdown',
            'json'
          ])
        )
    )
  ).action(async (file: string | undefined, flags: GateFlags) => {
    const input = await inputFromFlags('gate', file, flags);
    if (input.kind !== 'commits' && flags.format !== undefined) throw new CliExit(EXIT_USAGE, 'error: --format goes with --commits');
    const model = await loadModelFlag(flags.model, input);
    if (input.kind === 'file') {
      const out = flags.out ?? defaultScoredPath(input.file);
      // Streams the file (validate + score, then write): memory stays bounded for large files.
      const run = await runWithFlags({ ...input, streamTo: out }, model, flags);
      printVerdict(run, input.file, path.normalize(out), 'patch(es)', 'patches');
      return;
    }
    const run = await runWithFlags(input, model, flags);
    const result = run.scored as ScoredPatches;
    const out = flags.out ?? DEFAULT_COMMITS_SCORED_FILE;
    writeFileAtomic(out, scoredCsv(result), 'the scored file');
    const range = flags.commits?.text ?? run.source;
    const reviewers = reviewersOf(run.commits?.mined ?? []);
    const format = flags.format ?? 'text';
    if (format === 'json') {
      const verdict = gateVerdict({ ...run, source: range }, path.normalize(out));
      const report = { ...verdict, thresholds: thresholdsJson(result), commits: scoredJsonRows(result) };
      process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      finishLine(run, 'commit(s)', 'commits');
      return;
    }
    // The renderers are loaded only for commit tables.
    const report =
      format === 'markdown'
        ? (await import('../core/render.js')).renderReport(result, { patchesFile: range, commits: { reviewers }, decision: run.decision })
        : (await import('../core/render-text.js')).commitTextReport(result, { range, reviewers });
    process.stdout.write(`${report}\n`);
    printVerdict(run, range, path.normalize(out), 'commit(s)', 'commits');
  });
}

/** The reference gate's contract: the verdict as JSON, then one PASS/FAIL line; exit 1 on a failing gate. */
function printVerdict(run: GateRun, source: string, out: string, some: string, none: string): void {
  process.stdout.write(`${JSON.stringify(gateVerdict({ ...run, source }, out), null, 2)}\n`);
  finishLine(run, some, none);
}

function finishLine(run: GateRun, some: string, none: string): void {
  if (run.decision.failsCheck) {
    process.stdout.write(`🚨 FAIL: ${run.totals.high} high-risk ${some} detected. CI BLOCKED.\n`);
    throw new CliExit(EXIT_FAIL);
  }
  process.stdout.write(`✅ PASS: No high-risk ${none} detected. CI continues.\n`);
}
