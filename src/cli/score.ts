/** `patch-risk score FILE --format csv|json|markdown` / `score --commits BASE..HEAD`: print the scored plan or commit table. */
import { Command, Option } from 'commander';
import {
  commitTextReport,
  compareChallenger,
  renderChallengerMarkdown,
  renderChallengerText,
  renderReport,
  scoreFile,
  scoredCsv,
  scoredJsonRows,
  thresholdsJson,
  type ScoredPatches
} from '../index.js';
import { CliExit, EXIT_USAGE } from './common.js';
import {
  addCommitOptions,
  addScoringOptions,
  inputFromFlags,
  loadModelFlag,
  reviewersOf,
  runWithFlags,
  type CommitFlags,
  type ScoringFlags
} from './options.js';

interface ScoreFlags extends ScoringFlags, CommitFlags {
  format?: 'csv' | 'json' | 'markdown' | 'text';
  challenger?: string;
}

export function scoreCommand(): Command {
  return addCommitOptions(
    addScoringOptions(
      new Command('score')
        .description(
          'Score a patch file (or the commits of a range, --commits BASE..HEAD) and print every row with its risk, bucket and reasons; patch files also get QA rank, hours and monitoring tier.'
        )
        .argument('[file]', 'CSV or JSON patch feature file (or --commits BASE..HEAD)')
        .addOption(
          new Option('-f, --format <format>', 'output format (default: csv for a file, text for --commits)').choices([
            'csv',
            'json',
            'markdown',
            'text'
          ])
        )
        .option('--challenger <model>', 'shadow model scored beside the champion and compared (never changes the decision)')
    )
  ).action(async (file: string | undefined, flags: ScoreFlags) => {
    const input = await inputFromFlags('score', file, flags);
    if (input.kind !== 'file') {
      if (flags.challenger !== undefined)
        throw new CliExit(EXIT_USAGE, 'error: --challenger compares models on a patch file, not on --commits');
      const model = await loadModelFlag(flags.model, input);
      const run = await runWithFlags(input, model, flags);
      const result = run.scored as ScoredPatches;
      const range = flags.commits?.text ?? run.source;
      const reviewers = reviewersOf(run.commits?.mined ?? []);
      const format = flags.format ?? 'text';
      if (format === 'csv') process.stdout.write(scoredCsv(result));
      else if (format === 'json') process.stdout.write(`${JSON.stringify(jsonReport(range, result, 'commits'), null, 2)}\n`);
      else if (format === 'markdown')
        process.stdout.write(renderReport(result, { patchesFile: range, commits: { reviewers }, decision: run.decision }));
      else process.stdout.write(commitTextReport(result, { range, reviewers }));
      return;
    }
    if (flags.format === 'text')
      throw new CliExit(EXIT_USAGE, 'error: --format text is the commit table of --commits; for a patch file use csv, json or markdown');
    const model = await loadModelFlag(flags.model, input);
    const run = await runWithFlags(input, model, flags);
    const result = run.scored as ScoredPatches;
    // The challenger uses its own card's threshold; only the champion's result is printed as the decision.
    const challenger = flags.challenger
      ? compareChallenger(
          result,
          await scoreFile(input.file, await loadModelFlag(flags.challenger, input), {
            idColumn: flags.idColumn,
            qaCapacityHours: flags.qaCapacityHours
          })
        )
      : undefined;
    const format = flags.format ?? 'csv';
    if (format === 'csv') {
      process.stdout.write(scoredCsv(result));
      if (challenger) process.stderr.write(renderChallengerText(challenger));
    } else if (format === 'json') {
      process.stdout.write(
        `${JSON.stringify({ ...jsonReport(input.file, result, 'patches'), ...(challenger ? { challenger } : {}) }, null, 2)}\n`
      );
    } else
      process.stdout.write(
        renderReport(result, { patchesFile: input.file, decision: run.decision }) +
          (challenger ? `\n${renderChallengerMarkdown(challenger)}` : '')
      );
  });
}

/** The JSON form: the input, the model, the thresholds in use (and where they came from), totals and every row. */
function jsonReport(input: string, result: ScoredPatches, rows: 'patches' | 'commits'): Record<string, unknown> {
  return {
    input_file: input,
    model: result.model,
    thresholds: thresholdsJson(result),
    totals: result.plan.totals,
    [rows]: scoredJsonRows(result)
  };
}
