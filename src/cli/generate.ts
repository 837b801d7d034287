/** `patch-risk generate`: a synthetic, labelled firmware patch history. */
import { writeFile } from 'node:fs/promises';
import { Command, Option } from 'commander';
import Papa from 'papaparse';
import { generateFirmwarePatches } from '../index.js';
import { parseIntegerOption } from './common.js';

interface GenerateFlags {
  rows: number;
  seed: number;
  out?: string;
}

export function generateCommand(): Command {
  return new Command('generate')
    .description('Write a synthetic firmware patch history with the high_risk_flag label (see README for the generating process).')
    .addOption(new Option('-n, --rows <n>', 'number of patches').default(1000).argParser(parseIntegerOption('--rows', 1)))
    .addOption(new Option('-s, --seed <seed>', 'random seed (same seed, same file)').default(42).argParser(parseIntegerOption('--seed', 0)))
    .option('-o, --out <file.csv>', 'output CSV (default: stdout)')
    .action(async (flags: GenerateFlags) => {
      const csv = Papa.unparse(generateFirmwarePatches(flags.rows, flags.seed), { newline: '\n' }) + '\n';
      if (flags.out) await writeFile(flags.out, csv);
      else process.stdout.write(csv);
    });
}
