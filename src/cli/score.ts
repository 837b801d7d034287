/** `patch-risk score FILE --format csv|json|markdown`: print the scored plan. */
import { Command, Option } from 'commander';
import {
  compareChallenger,
  renderChallengerMarkdown,
  renderChallengerText,
  renderReport,
  scoreFile,
  scoredCsv,
  scoredRows,
  toJsonRows,
  type ScoredPatches
} from '../index.js';
import { addScoringOptions, loadModelFlag, runWithFlags, type ScoringFlags } from './options.js';

interface ScoreFlags extends ScoringFlags {
  format: 'csv' | 'json' | 'markdown';
  challenger?: string;
}

export function scoreCommand(): Command {
  return addScoringOptions(
    new Command('score')
      .description('Score a patch file and print every patch with its risk, bucket, QA rank and hours, and monitoring tier.')
      .argument('<file>', 'CSV or JSON patch feature file')
      .addOption(new Option('-f, --format <format>', 'output format').choices(['csv', 'json', 'markdown']).default('csv'))
      .option('--challenger <model>', 'shadow model scored beside the champion and compared (never changes the decision)')
  ).action(async (file: string, flags: ScoreFlags) => {
    const model = await loadModelFlag(flags.model);
    const run = await runWithFlags({ kind: 'file', file }, model, flags);
    const result = run.scored as ScoredPatches;
    // The challenger uses its own card's threshold; only the champion's result is printed as the decision.
    const challenger = flags.challenger
      ? compareChallenger(
          result,
          await scoreFile(file, await loadModelFlag(flags.challenger), { idColumn: flags.idColumn, qaCapacityHours: flags.qaCapacityHours })
        )
      : undefined;
    if (flags.format === 'csv') {
      process.stdout.write(scoredCsv(result));
      if (challenger) process.stderr.write(renderChallengerText(challenger));
    } else if (flags.format === 'json') {
      const report = {
        input_file: file,
        model: result.model,
        totals: result.plan.totals,
        patches: toJsonRows(scoredRows(result)),
        ...(challenger ? { challenger } : {})
      };
      process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    } else
      process.stdout.write(
        renderReport(result, { patchesFile: file, decision: run.decision }) +
          (challenger ? `\n${renderChallengerMarkdown(challenger)}` : '')
      );
  });
}
