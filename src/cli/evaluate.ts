/** `patch-risk evaluate DATA --model M --report DIR`: how well a model does on labelled patches, with pictures. */
import { Command, Option } from 'commander';
import { evaluateModel, loadModelByName, readPatchFile, renderEvaluationReport, writeEvaluationReport, type Evaluation } from '../index.js';
import { parseNumberOption } from './common.js';

interface EvaluateFlags {
  model: string;
  report?: string;
  threshold?: number;
}

function summary(e: Evaluation): string {
  const c = e.confusion;
  return [
    `  ROC-AUC ${e.rocAuc.toFixed(3)}   PR-AUC ${e.prAuc.toFixed(3)}   Brier ${e.brier.toFixed(4)}   ECE ${e.ece.toFixed(3)}`,
    `  at ${e.threshold.toFixed(3)}: F1 ${c.f1.toFixed(3)}, precision ${c.precision.toFixed(3)}, recall ${c.recall.toFixed(3)} (TP ${c.tp}, FP ${c.fp}, FN ${c.fn}, TN ${c.tn})`,
    `  most important: ${e.importance
      .slice(0, 3)
      .map((i) => `${i.feature} (${i.meanAbsShap.toFixed(2)})`)
      .join(', ')}`
  ].join('\n');
}

export function evaluateCommand(): Command {
  return new Command('evaluate')
    .description(
      'Score a labelled patch file and report ROC/PR AUC, calibration, the confusion matrix and feature importance; --report also writes an HTML page with charts.'
    )
    .argument('<data>', "CSV or JSON patch file with the model card's label column")
    .addOption(
      new Option(
        '-m, --model <model>',
        'built-in model name (e.g. firmware), model folder, or path to an .onnx with its .card.json'
      ).default('firmware')
    )
    .addOption(new Option('-r, --report <dir>', 'write index.html and one SVG per chart into this folder'))
    .addOption(
      new Option('-t, --threshold <p>', "High threshold for the confusion matrix (default: the model card's)").argParser(
        parseNumberOption('--threshold', 0, 1)
      )
    )
    .action(async (data: string, flags: EvaluateFlags) => {
      const model = await loadModelByName(flags.model);
      const card = model.card;
      const table = await readPatchFile(data, { features: card.features, idColumn: card.id_column, label: card.label, requireLabel: true });
      const n = table.ids.length;
      const { evaluation, coverNote } = await evaluateModel(model, table, flags.threshold);
      process.stdout.write(
        `evaluated ${n.toLocaleString('en-US')} patches of ${data} with ${card.name} ${card.version}\n${summary(evaluation)}\n`
      );
      if (flags.report) {
        const report = await renderEvaluationReport(evaluation, { card, dataFile: data, createdAt: new Date().toISOString(), coverNote });
        const page = await writeEvaluationReport(flags.report, report);
        process.stdout.write(`report: ${page}\n`);
      }
    });
}
