/** `patch-risk drift FILE --model M`: compare new patches with the model card's training baseline. */
import { Command, Option } from 'commander';
import { driftReport, readRawTable, renderDriftMarkdown, renderDriftText, sortByTime, splitNewest, tableFromRaw } from '../index.js';
import { CliExit, EXIT_FAIL, parseIntegerOption } from './common.js';
import { loadModelFlag } from './options.js';

interface DriftFlags {
  model: string;
  format: 'text' | 'json' | 'markdown';
  failOn?: 'warn' | 'alert';
  idColumn?: string;
  newest?: number;
  timeColumn?: string;
}

export function driftCommand(): Command {
  return new Command('drift')
    .description(
      "Compare a patch file with the model card's training baseline: PSI and KS per feature, the high-risk share, and ROC-AUC/F1 when the file has labels; prints a verdict (retrain recommended or not)."
    )
    .argument('<file>', 'CSV or JSON patch feature file (with the label column, performance is checked too)')
    .addOption(new Option('-m, --model <model>', 'built-in model name, model folder, or .onnx path').default('firmware'))
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json', 'markdown']).default('text'))
    .addOption(
      new Option('--fail-on <level>', 'exit 1 when the overall level reaches this (default: never fail)').choices(['warn', 'alert'])
    )
    .option('--id-column <name>', "patch id column (default: the model card's)")
    .addOption(new Option('--newest <n>', 'check only the newest n rows (default: every row)').argParser(parseIntegerOption('--newest', 1)))
    .option('--time-column <column>', 'with --newest: order rows by this column (dates or numbers); default: file order is time order')
    .action(async (file: string, flags: DriftFlags) => {
      const model = await loadModelFlag(flags.model);
      const card = model.card;
      let raw = await readRawTable(file);
      if (flags.timeColumn) raw = sortByTime(raw, flags.timeColumn, file);
      if (flags.newest !== undefined && flags.newest < raw.rows.length) raw = splitNewest(raw, flags.newest / raw.rows.length).newest;
      const table = tableFromRaw(file, raw, { features: card.features, idColumn: flags.idColumn ?? card.id_column, label: card.label });
      const scores = await model.score(table.features, table.ids.length);
      const report = driftReport(card, table, scores);
      if (flags.format === 'json') process.stdout.write(`${JSON.stringify({ input_file: file, ...report }, null, 2)}\n`);
      else if (flags.format === 'markdown') process.stdout.write(renderDriftMarkdown(report));
      else process.stdout.write(renderDriftText(report));
      const reached = flags.failOn === 'warn' ? report.level !== 'ok' : flags.failOn === 'alert' && report.level === 'alert';
      if (reached) throw new CliExit(EXIT_FAIL, `drift: ${report.level} reached --fail-on ${flags.failOn}`);
    });
}
