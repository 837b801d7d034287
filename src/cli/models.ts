/** `patch-risk models list [--dir D]`: every model folder's versions, metrics and champion. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import {
  BUILTIN_MODELS_DIR,
  DEFAULT_GATES,
  alignColumns,
  builtInModelNames,
  currentChampion,
  describeChampion,
  listVersions,
  readModelCard,
  readRegistry,
  InputError,
  type RegistryEntry
} from '../index.js';

/** D itself when it holds versions, else its sub-folders that do. */
function modelFolders(dir: string): string[] {
  if (!existsSync(dir)) throw new InputError(dir, 'no such folder');
  if (listVersions(dir).length > 0) return [dir];
  return builtInModelNames(dir).map((name) => path.join(dir, name));
}

/** " (ROC-AUC vs v002 -0.0053, 95% interval -0.0150 to +0.0040)" for entries that recorded a comparison. */
function comparisonText(entry: RegistryEntry): string {
  const comparison = entry.comparison;
  if (!comparison) return '';
  const signed = (value: number) => `${value < 0 ? '-' : '+'}${Math.abs(value).toFixed(4)}`;
  const [low, high] = comparison.interval;
  return ` (ROC-AUC vs ${comparison.against} ${signed(comparison.roc_auc_difference)}, ${Math.round(comparison.confidence * 100)}% interval ${signed(low)} to ${signed(high)})`;
}

async function describeFolder(dir: string): Promise<string> {
  const registry = readRegistry(dir);
  const champion = currentChampion(dir, registry);
  const gates = registry?.gates ?? DEFAULT_GATES;
  const rows = [['version', 'created', 'trained rows', 'ROC-AUC', 'F1', 'threshold', '']];
  for (const version of listVersions(dir)) {
    const card = await readModelCard(path.join(dir, `${version}.card.json`));
    rows.push([
      version,
      card.created_at.slice(0, 10),
      String(card.training.rows),
      card.metrics.roc_auc.toFixed(4),
      card.metrics.f1.toFixed(4),
      String(card.thresholds.high),
      version === champion?.version ? '* champion' : ''
    ]);
  }
  const lines = [
    `${path.basename(path.resolve(dir))} (${dir})`,
    `  champion: ${champion ? describeChampion(champion) : 'none'}`,
    `  gates${registry ? '' : ' (defaults)'}: ROC-AUC >= ${gates.min_roc_auc}, F1 >= ${gates.min_f1}, AUC drop <= ${gates.max_auc_drop}`,
    '  metrics: validation metrics from each model card',
    ...alignColumns(rows).map((line) => `  ${line}`)
  ];
  if (registry && registry.history.length > 0) {
    lines.push('  history:');
    for (const entry of registry.history)
      lines.push(`    ${entry.date.slice(0, 10)} ${entry.action} ${entry.version}: ${entry.reason}${comparisonText(entry)}`);
  }
  return lines.join('\n');
}

export function modelsCommand(): Command {
  const command = new Command('models').description('Inspect model folders.');
  command.addCommand(
    new Command('list')
      .description('List every model folder with its versions, their metrics and the champion.')
      .option('--dir <dir>', 'a model folder, or a folder of model folders (default: the built-in models)')
      .action(async (flags: { dir?: string }) => {
        const dir = flags.dir ?? BUILTIN_MODELS_DIR;
        const folders = modelFolders(dir);
        if (folders.length === 0) throw new InputError(dir, 'no model folders (vNNN.onnx with its .card.json) here');
        const blocks = [];
        for (const folder of folders) blocks.push(await describeFolder(folder));
        process.stdout.write(blocks.join('\n\n') + '\n');
      })
      .exitOverride()
  );
  return command;
}
