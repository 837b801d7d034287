/** Options shared by the scoring commands (gate, score). */
import { Command, Option } from 'commander';
import { BUILTIN_MODELS_DIR, loadModel, resolveModel, type LoadedModel, type ScoreOptions } from '../index.js';
import { parseNumberOption } from './common.js';

export interface ScoringFlags {
  model: string;
  threshold?: number;
  idColumn?: string;
  qaCapacityHours: number;
}

export function addScoringOptions(command: Command): Command {
  return command
    .addOption(new Option('-m, --model <model>', 'built-in model name (e.g. firmware), model folder, or path to an .onnx with its .card.json').default('firmware'))
    .addOption(new Option('-t, --threshold <p>', "high-risk threshold (overrides the model card's)").argParser(parseNumberOption('--threshold', 0, 1)))
    .addOption(new Option('--id-column <name>', "patch id column (default: the model card's, patch_id for firmware)"))
    .addOption(
      new Option('--qa-capacity-hours <hours>', 'QA hours to allocate across the patches').default(40).argParser(parseNumberOption('--qa-capacity-hours', 0))
    );
}

export async function loadModelFlag(ref: string): Promise<LoadedModel> {
  return loadModel(resolveModel(ref, BUILTIN_MODELS_DIR).onnxPath);
}

export function scoreOptions(flags: ScoringFlags): ScoreOptions {
  return { threshold: flags.threshold, idColumn: flags.idColumn, qaCapacityHours: flags.qaCapacityHours };
}
