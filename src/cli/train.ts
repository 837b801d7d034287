/** `patch-risk train DATA --out models/NAME/`: train the next model version. */
import path from 'node:path';
import { Command, Option } from 'commander';
import {
  chooseSchema,
  DEFAULT_ID_COLUMN,
  evaluateTable,
  nextVersion,
  predictProbabilities,
  readRawTable,
  renderEvaluationReport,
  selectRows,
  tableFromRaw,
  trainModel,
  writeEvaluationReport,
  writeModelVersion
} from '../index.js';
import { parseIntegerOption, parseNumberOption } from './common.js';

interface TrainFlags {
  out: string;
  name?: string;
  label: string;
  features?: string;
  idColumn: string;
  validation: number;
  split: 'random' | 'time';
  seed: number;
  trees?: number;
  depth?: number;
  learningRate?: number;
  description?: string;
  report?: string;
}

export function trainCommand(): Command {
  return new Command('train')
    .description(
      'Train a gradient-boosted tree model on a labelled CSV and write the next version (vNNN.onnx + vNNN.card.json) into a model folder.'
    )
    .argument('<data>', 'labelled CSV or JSON training data')
    .requiredOption('-o, --out <dir>', 'model folder (e.g. models/firmware/); a new version is added, none is overwritten')
    .option('--name <name>', 'model name in the card (default: the folder name)')
    .option('--label <column>', 'label column (0/1)', 'high_risk_flag')
    .option(
      '--features <a,b,c>',
      'feature columns in model input order (default: every numeric column but the id and the label; the firmware schema when it fits)'
    )
    .option('--id-column <column>', 'id column, excluded from the features', DEFAULT_ID_COLUMN)
    .addOption(
      new Option('--validation <fraction>', 'share of rows held out for early stopping, thresholds and metrics')
        .default(0.2)
        .argParser(parseNumberOption('--validation', 0.05, 0.5))
    )
    .addOption(
      new Option('--split <kind>', 'random (stratified) or time (the last rows validate)').choices(['random', 'time']).default('random')
    )
    .addOption(new Option('--seed <seed>', 'random seed').default(42).argParser(parseIntegerOption('--seed', 0)))
    .addOption(new Option('--trees <n>', 'maximum number of trees').argParser(parseIntegerOption('--trees', 1)))
    .addOption(new Option('--depth <n>', 'maximum tree depth').argParser(parseIntegerOption('--depth', 1)))
    .addOption(new Option('--learning-rate <r>', 'shrinkage per tree').argParser(parseNumberOption('--learning-rate', 0.001, 1)))
    .option('--description <text>', 'description stored in the model card')
    .option('--report <dir>', 'also write the evaluation report (HTML + SVG charts) of the new version on its validation split')
    .action(async (data: string, flags: TrainFlags) => {
      const raw = await readRawTable(data);
      const names = flags.features
        ?.split(',')
        .map((name) => name.trim())
        .filter(Boolean);
      const schema = chooseSchema(raw, data, flags.label, flags.idColumn, names);
      const table = tableFromRaw(data, raw, {
        features: schema.features,
        idColumn: schema.idColumn,
        label: schema.label,
        requireLabel: true
      });
      const name = flags.name ?? path.basename(path.resolve(flags.out));
      const version = nextVersion(flags.out);
      const params = {
        ...(flags.trees === undefined ? {} : { nTrees: flags.trees }),
        ...(flags.depth === undefined ? {} : { maxDepth: flags.depth }),
        ...(flags.learningRate === undefined ? {} : { learningRate: flags.learningRate })
      };
      const model = trainModel(
        table,
        schema,
        {
          name,
          description: flags.description,
          validationFraction: flags.validation,
          split: flags.split,
          seed: flags.seed,
          params,
          data: path.basename(data),
          provenance: `patch-risk train ${path.basename(data)} --out ${flags.out} (seed ${flags.seed}, ${flags.split} split, validation ${flags.validation})`
        },
        version
      );
      const written = await writeModelVersion(flags.out, model);
      const m = model.card.metrics;
      process.stdout.write(
        [
          `trained ${name} ${version}: ${model.card.training.trees} trees on ${model.card.training.rows} rows in ${model.card.training.seconds}s`,
          `validation (${m.rows} rows): ROC-AUC ${m.roc_auc.toFixed(4)}, PR-AUC ${m.pr_auc.toFixed(4)}, F1 ${m.f1.toFixed(4)} at threshold ${model.card.thresholds.high}, Brier ${m.brier.toFixed(4)}`,
          `wrote ${written.onnxPath} and ${written.cardPath}`
        ].join('\n') + '\n'
      );
      if (flags.report) {
        const validation = selectRows(table, model.validationRows);
        const scores = predictProbabilities(model.ensemble, validation.features, validation.ids.length);
        const evaluation = evaluateTable(model.ensemble, validation, scores, model.card.thresholds.high);
        // The chart renderer (vega) is large: the library loads it only here.
        const report = await renderEvaluationReport(evaluation, {
          card: model.card,
          dataFile: `${data} (validation split, ${validation.ids.length} rows)`,
          createdAt: model.card.created_at,
          coverNote: 'Node cover from training.'
        });
        process.stdout.write(`report: ${await writeEvaluationReport(flags.report, report)}\n`);
      }
    });
}
