/** `patch-risk retrain DATA --dir models/NAME`: train the next version on older rows, promote it through the gates on the newest. */
import { Command, Option } from 'commander';
import { DEFAULT_ID_COLUMN, readRawTable, retrainModel } from '../index.js';
import { parseIntegerOption, parseNumberOption } from './common.js';
import { GATE_HELP, addGateOptions, gateOverrides, reportPromotion, type GateFlags } from './promote.js';

interface RetrainFlags extends GateFlags {
  dir: string;
  timeColumn?: string;
  holdout: number;
  seed: number;
  label: string;
  idColumn: string;
}

export function retrainCommand(): Command {
  return addGateOptions(
    new Command('retrain')
      .description(
        'Train the next version on the older part of DATA, judge it against the champion on the newest part, and promote it when every gate passes (exit 1 when blocked; a blocked candidate is not kept).'
      )
      .argument('<data>', 'labelled CSV or JSON patch history')
      .requiredOption('-d, --dir <dir>', 'model folder (e.g. models/firmware)')
      .option('--time-column <column>', 'sort rows by this column (dates or numbers) first; default: file order is time order')
      .addOption(
        new Option('--holdout <fraction>', 'share of the newest rows used to judge the versions')
          .default(0.2)
          .argParser(parseNumberOption('--holdout', 0.05, 0.5))
      )
      .addOption(new Option('--seed <seed>', 'random seed for training').default(42).argParser(parseIntegerOption('--seed', 0)))
      .option('--label <column>', 'label column when the folder has no champion yet (else the champion card decides)', 'high_risk_flag')
      .option('--id-column <column>', 'id column when the folder has no champion yet', DEFAULT_ID_COLUMN)
      .addHelpText('after', GATE_HELP)
  ).action(async (data: string, flags: RetrainFlags) => {
    const raw = await readRawTable(data);
    const result = await retrainModel(flags.dir, raw, data, {
      holdoutFraction: flags.holdout,
      timeColumn: flags.timeColumn,
      seed: flags.seed,
      label: flags.label,
      idColumn: flags.idColumn,
      gates: gateOverrides(flags)
    });
    const card = result.candidate.card;
    process.stdout.write(
      `trained candidate ${card.name} ${card.version}: ${card.training.trees} trees on the ${result.trainRows} oldest rows${
        flags.timeColumn ? ` (by ${flags.timeColumn})` : ' (file order)'
      }; judging on the newest ${result.holdoutRows}\n`
    );
    reportPromotion(result.promotion);
  });
}
