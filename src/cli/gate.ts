/** `patch-risk gate FILE`: score, write the auditable scored file, print the verdict, exit 1 on high risk. */
import path from 'node:path';
import { Command } from 'commander';
import { defaultScoredPath, explainerFactory, gateFile } from '../index.js';
import { EXIT_FAIL, CliExit } from './common.js';
import { addScoringOptions, loadModelFlag, type ScoringFlags } from './options.js';

interface GateFlags extends ScoringFlags {
  out?: string;
}

export function gateCommand(): Command {
  return addScoringOptions(
    new Command('gate')
      .description('Score a patch file and fail (exit 1) when any patch is high risk. Writes the scored file beside the input.')
      .argument('<file>', 'CSV or JSON patch feature file')
      .option('-o, --out <scored.csv>', 'where to write the scored CSV (default: <name>.scored.csv beside the input)')
  ).action(async (file: string, flags: GateFlags) => {
    const model = await loadModelFlag(flags.model);
    const out = flags.out ?? defaultScoredPath(file);
    // Streams the file twice (validate + score, then write): memory stays bounded for large files.
    const result = await gateFile(file, model, {
      out,
      threshold: flags.threshold,
      idColumn: flags.idColumn,
      qaCapacityHours: flags.qaCapacityHours,
      explainer: explainerFactory(model, flags.explain)
    });
    const totals = result.totals;
    const verdict = {
      input_file: file,
      n_high_risk: totals.high,
      n_patches: totals.patches,
      n_medium_risk: totals.medium,
      max_risk: Number(totals.max_risk.toFixed(6)),
      threshold: result.model.threshold,
      model: result.model.name,
      model_version: result.model.version,
      scored_file: path.normalize(out)
    };
    process.stdout.write(`${JSON.stringify(verdict, null, 2)}\n`);
    if (totals.high > 0) {
      process.stdout.write(`🚨 FAIL: ${totals.high} high-risk patch(es) detected. CI BLOCKED.\n`);
      throw new CliExit(EXIT_FAIL);
    }
    process.stdout.write('✅ PASS: No high-risk patches detected. CI continues.\n');
  });
}
