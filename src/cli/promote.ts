/** `patch-risk promote DIR vNNN --holdout FILE`: make a version the champion when every gate passes. */
import { Command, Option } from 'commander';
import {
  DEFAULT_BOOTSTRAP,
  DEFAULT_GATES,
  describeChampion,
  promoteVersion,
  readRawTable,
  recordsServedVersion,
  renderPromotion,
  type Promotion,
  type PromotionGates
} from '../index.js';
import { CliExit, EXIT_FAIL, parseNumberOption } from './common.js';

export interface GateFlags {
  minAuc?: number;
  minF1?: number;
  maxAucDrop?: number;
}

/** --min-auc, --min-f1, --max-auc-drop: override the folder's stored gates for one run. */
export function addGateOptions(command: Command): Command {
  return command
    .addOption(
      new Option('--min-auc <auc>', "minimum ROC-AUC on the holdout (default: the folder's registry.json gates, else 0.7)").argParser(
        parseNumberOption('--min-auc', 0, 1)
      )
    )
    .addOption(
      new Option('--min-f1 <f1>', "minimum F1 at the card's high threshold (default: registry gates, else 0.3)").argParser(
        parseNumberOption('--min-f1', 0, 1)
      )
    )
    .addOption(
      new Option(
        '--max-auc-drop <drop>',
        'largest ROC-AUC drop allowed against the champion (default: registry gates, else 0.01)'
      ).argParser(parseNumberOption('--max-auc-drop', 0, 1))
    );
}

export function gateOverrides(flags: GateFlags): Partial<PromotionGates> {
  return { min_roc_auc: flags.minAuc, min_f1: flags.minF1, max_auc_drop: flags.maxAucDrop };
}

/** The promotion rule, for `promote --help` and `retrain --help`. */
export const GATE_HELP = `
Gates (every one must pass; registry.json stores the folder's limits, the flags
override them for one run; defaults: ROC-AUC >= ${DEFAULT_GATES.min_roc_auc}, F1 >= ${DEFAULT_GATES.min_f1}, drop <= ${DEFAULT_GATES.max_auc_drop}):
  min_roc_auc   the candidate's ROC-AUC on the holdout >= --min-auc
  min_f1        the candidate's F1 at its card's high threshold >= --min-f1
  max_auc_drop  champion ROC-AUC - candidate ROC-AUC <= --max-auc-drop
  auc_noise     a candidate with a lower ROC-AUC than the champion passes only
                when the drop is within the noise of the holdout: the ${Math.round(DEFAULT_BOOTSTRAP.confidence * 100)}%
                interval of a paired bootstrap of the ROC-AUC difference
                (${DEFAULT_BOOTSTRAP.resamples} resamples of the holdout rows, the same rows for both
                models, positives and negatives drawn separately, seed ${DEFAULT_BOOTSTRAP.seed})
                must reach 0; a candidate that is not worse passes

The champion is the version registry.json names; a folder without registry.json
serves its newest version, so that is the champion (promoting that version itself
records it, judged on its own gates). The output shows both versions' holdout
metrics, the ROC-AUC change with its interval, every gate, and why the candidate
was accepted or blocked; the registry history keeps the interval.
Exit codes: 0 promoted, 1 blocked (nothing changed), 2 unusable input.
`;

/** The table, why the gate decided as it did, then what happened; throws CliExit(1) when blocked. */
export function reportPromotion(promotion: Promotion): void {
  process.stdout.write(renderPromotion(promotion));
  const version = promotion.candidate.version;
  if (promotion.passed) {
    process.stdout.write(`accepted: ${promotion.why}\n`);
    process.stdout.write(
      recordsServedVersion(promotion)
        ? `promoted ${version}: ${promotion.dir} already served it as its newest version; registry.json now records it as the champion\n`
        : `promoted ${version}: it is now the champion of ${promotion.dir} (registry.json updated)\n`
    );
    return;
  }
  const failed = promotion.results.filter((result) => !result.passed).map((result) => result.gate);
  const stays = promotion.previous ? `the champion stays ${describeChampion(promotion.previous)}` : 'the folder has no champion yet';
  process.stdout.write(`refused: ${promotion.why}\n`);
  process.stdout.write(`blocked ${version}: failed ${failed.join(', ')}; ${stays}, nothing was changed\n`);
  throw new CliExit(EXIT_FAIL);
}

interface PromoteFlags extends GateFlags {
  holdout: string;
  reason?: string;
}

export function promoteCommand(): Command {
  return addGateOptions(
    new Command('promote')
      .description(
        'Score a version and the current champion on the same labelled holdout; make the version the champion only when every gate passes (exit 1 when blocked, nothing changed).'
      )
      .argument('<dir>', 'model folder (e.g. models/firmware)')
      .argument('<version>', 'version to promote (e.g. v002)')
      .requiredOption('--holdout <file>', 'labelled CSV or JSON the versions are judged on (rows not used for training)')
      .option('--reason <text>', 'reason stored in the registry history (default: why the gates passed)')
      .addHelpText('after', GATE_HELP)
  ).action(async (dir: string, version: string, flags: PromoteFlags) => {
    const holdout = { raw: await readRawTable(flags.holdout), name: flags.holdout };
    reportPromotion(await promoteVersion(dir, version, holdout, { gates: gateOverrides(flags), reason: flags.reason }));
  });
}
