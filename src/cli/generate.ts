/** `patch-risk generate`: a synthetic, labelled firmware patch history. */
import { Command, Option } from 'commander';
import Papa from 'papaparse';
import { generateDeployments, generateFirmwarePatches, writeFileAtomic } from '../index.js';
import { parseIntegerOption } from './common.js';

interface GenerateFlags {
  kind: 'firmware' | 'deployment';
  rows: number;
  seed: number;
  out?: string;
}

export function generateCommand(): Command {
  return new Command('generate')
    .description(
      'Write a synthetic labelled history (docs/models.md describes the generating process): firmware patches with high_risk_flag, or deployments with rollback.'
    )
    .addOption(new Option('-k, --kind <kind>', 'what to generate').choices(['firmware', 'deployment']).default('firmware'))
    .addOption(new Option('-n, --rows <n>', 'number of patches').default(1000).argParser(parseIntegerOption('--rows', 1)))
    .addOption(new Option('-s, --seed <seed>', 'random seed (same seed, same file)').default(42).argParser(parseIntegerOption('--seed', 0)))
    .option('-o, --out <file.csv>', 'output CSV (default: stdout)')
    .action(async (flags: GenerateFlags) => {
      const rows: object[] =
        flags.kind === 'deployment' ? generateDeployments(flags.rows, flags.seed) : generateFirmwarePatches(flags.rows, flags.seed);
      const csv = Papa.unparse(rows, { newline: '\n' }) + '\n';
      if (flags.out) writeFileAtomic(flags.out, csv, 'the generated file');
      else process.stdout.write(csv);
    });
}
