/** `patch-risk promote DIR vNNN --holdout FILE`: make a version the champion when every gate passes. */
import { Command, Option } from 'commander';
import { listVersions, promoteVersion, readRawTable, renderPromotion, type Promotion, type PromotionGates } from '../index.js';
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

/** The table, then one line saying what happened; throws CliExit(1) when blocked. */
export function reportPromotion(promotion: Promotion): void {
  process.stdout.write(renderPromotion(promotion));
  const version = promotion.candidate.version;
  if (promotion.promoted) {
    process.stdout.write(`promoted ${version}: it is now the champion of ${promotion.dir} (registry.json updated)\n`);
    return;
  }
  const failed = promotion.results.filter((result) => !result.passed).map((result) => result.gate);
  const stays = promotion.champion ? `the champion stays ${promotion.champion.version}` : 'no champion was recorded';
  process.stdout.write(`blocked ${version}: failed ${failed.join(', ')}; ${stays}, nothing was changed\n`);
  if (!promotion.hadRegistry) {
    const newest = listVersions(promotion.dir).at(-1);
    process.stdout.write(
      `note: ${promotion.dir} has no registry.json yet, so it resolves to its newest version (${newest}) until a promotion records a champion` +
        (promotion.champion ? ` (e.g. promote ${promotion.champion.version})` : '') +
        '\n'
    );
  }
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
      .option('--reason <text>', 'reason stored in the registry history (default: the gates passed)')
  ).action(async (dir: string, version: string, flags: PromoteFlags) => {
    const holdout = { raw: await readRawTable(flags.holdout), name: flags.holdout };
    reportPromotion(await promoteVersion(dir, version, holdout, { gates: gateOverrides(flags), reason: flags.reason }));
  });
}
