/** `patch-risk gate FILE`: score, write the auditable scored file, print the verdict, exit 1 on high risk. */
import path from 'node:path';
import { Command } from 'commander';
// The gate's modules directly, not the index barrel (which loads every module): a gate starts fast.
import { defaultScoredPath, gateVerdict } from '../core/output.js';
import { EXIT_FAIL, CliExit } from './common.js';
import { addScoringOptions, loadModelFlag, runWithFlags, type ScoringFlags } from './options.js';

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
    // Streams the file (validate + score, then write): memory stays bounded for large files.
    const run = await runWithFlags({ kind: 'file', file, streamTo: out }, model, flags);
    process.stdout.write(`${JSON.stringify(gateVerdict(run, path.normalize(out)), null, 2)}\n`);
    if (run.decision.failsCheck) {
      process.stdout.write(`🚨 FAIL: ${run.totals.high} high-risk patch(es) detected. CI BLOCKED.\n`);
      throw new CliExit(EXIT_FAIL);
    }
    process.stdout.write('✅ PASS: No high-risk patches detected. CI continues.\n');
  });
}
