/** `patch-risk score FILE --format csv|json|markdown`: print the scored plan. */
import { Command, Option } from 'commander';
import { renderReport, scoreFile, scoredCsv, scoredRows, toJsonRows } from '../index.js';
import { addScoringOptions, loadModelFlag, scoreOptions, type ScoringFlags } from './options.js';

interface ScoreFlags extends ScoringFlags {
  format: 'csv' | 'json' | 'markdown';
}

export function scoreCommand(): Command {
  return addScoringOptions(
    new Command('score')
      .description('Score a patch file and print every patch with its risk, bucket, QA rank and hours, and monitoring tier.')
      .argument('<file>', 'CSV or JSON patch feature file')
      .addOption(new Option('-f, --format <format>', 'output format').choices(['csv', 'json', 'markdown']).default('csv'))
  ).action(async (file: string, flags: ScoreFlags) => {
    const model = await loadModelFlag(flags.model);
    const result = await scoreFile(file, model, scoreOptions(flags));
    if (flags.format === 'csv') process.stdout.write(scoredCsv(result));
    else if (flags.format === 'json') {
      const report = { input_file: file, model: result.model, totals: result.plan.totals, patches: toJsonRows(scoredRows(result)) };
      process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    } else process.stdout.write(renderReport(result, { patchesFile: file }));
  });
}
