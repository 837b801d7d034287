/** Options shared by the scoring commands (gate, score). */
import { Command, Option } from 'commander';
// The gate's modules directly, not the index barrel (which loads every module): a gate starts fast.
import { runGate, type GateInput, type GateRun } from '../api/gate.js';
import { loadModelByName } from '../api/models.js';
import type { FailOn } from '../core/decide.js';
import type { ExplainMode } from '../model/explain/explain.js';
import type { LoadedModel } from '../model/onnx/session.js';
import { parseNumberOption } from './common.js';

export interface ScoringFlags {
  model: string;
  threshold?: number;
  idColumn?: string;
  qaCapacityHours: number;
  explain: ExplainMode;
}

export function addScoringOptions(command: Command): Command {
  return command
    .addOption(
      new Option(
        '-m, --model <model>',
        'built-in model name (e.g. firmware), model folder, or path to an .onnx with its .card.json'
      ).default('firmware')
    )
    .addOption(
      new Option('-t, --threshold <p>', "high-risk threshold (overrides the model card's)").argParser(
        parseNumberOption('--threshold', 0, 1)
      )
    )
    .addOption(new Option('--id-column <name>', "patch id column (default: the model card's, patch_id for firmware)"))
    .addOption(
      new Option('--qa-capacity-hours <hours>', 'QA hours to allocate across the patches')
        .default(40)
        .argParser(parseNumberOption('--qa-capacity-hours', 0))
    )
    .addOption(
      new Option('--explain <rows>', 'which patches get their top reasons (TreeSHAP): auto = all up to 20,000 rows, Medium/High beyond')
        .choices(['auto', 'all', 'risky', 'none'])
        .default('auto')
    );
}

/** A model named by a flag: a built-in name, a model folder or an .onnx path. */
export function loadModelFlag(ref: string): Promise<LoadedModel> {
  return loadModelByName(ref);
}

/** Score, plan, explain and decide as the flags say. */
export function runWithFlags(input: GateInput, model: LoadedModel, flags: ScoringFlags, failOn: FailOn = 'high'): Promise<GateRun> {
  return runGate(input, {
    model,
    threshold: flags.threshold,
    idColumn: flags.idColumn,
    qaCapacityHours: flags.qaCapacityHours,
    explain: flags.explain,
    failOn
  });
}
