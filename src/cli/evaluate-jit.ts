/** `patch-risk evaluate-jit`: the JIT training setup on real projects, beside the published ROC-AUC (and calibration with --calibration). */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, InvalidArgumentError, Option } from 'commander';
import {
  evaluateTimeSplit,
  JIT_GBDT_PARAMS,
  JIT_PROJECTS,
  leaveOneProjectOut,
  readJitProjects,
  renderJitReport,
  type JitReport,
  type JitReportFormat
} from '../index.js';
import { CliExit, EXIT_USAGE } from './common.js';

/** data/jit/ of a repository checkout (two levels above lib/cli/ or src/cli/); the npm package does not ship it. */
export const BUILTIN_JIT_DATA_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'data', 'jit');

/** The folder given with --data, else the checkout's data/jit/; when neither exists, say where the data comes from. */
export function jitDataDir(data: string | undefined): string {
  if (data !== undefined) return data;
  if (existsSync(BUILTIN_JIT_DATA_DIR)) return BUILTIN_JIT_DATA_DIR;
  throw new CliExit(
    EXIT_USAGE,
    `error: no JIT training data: ${BUILTIN_JIT_DATA_DIR} does not exist (the npm package does not ship data/jit/). ` +
      'Pass --data <dir> with one <project>.csv per project: the data/jit/ folder of a patch-risk-gate repository checkout, ' +
      'or the <project>_k_feature.csv files of github.com/ZZR0/ISSTA21-JIT-DP (Data_Extraction/git_base/datasets/<project>/) saved as <project>.csv.'
  );
}

export function parseProjects(raw: string): string[] {
  const names = raw.split(',').map((name) => name.trim());
  if (names.some((name) => !/^[\w.-]+$/.test(name)))
    throw new InvalidArgumentError('--projects must be comma-separated project names (e.g. qt,jdt).');
  return names;
}

/** --data and --projects, shared with train-jit. */
export function addJitDataOptions(command: Command): Command {
  return command
    .addOption(
      new Option(
        '--data <dir>',
        'folder with one <project>.csv per project (default: data/jit/ of a patch-risk-gate repository checkout; not in the npm package)'
      )
    )
    .addOption(
      new Option('--projects <a,b>', 'projects to use, in this order')
        .default([...JIT_PROJECTS], JIT_PROJECTS.join(','))
        .argParser(parseProjects)
    );
}

interface EvaluateJitFlags {
  data?: string;
  projects: string[];
  format: JitReportFormat;
  calibration?: boolean;
}

export function evaluateJitCommand(): Command {
  return addJitDataOptions(
    new Command('evaluate-jit').description(
      'Per project: train the JIT setup on the older 80% of commits, test on the newest 20%, and print ROC-AUC beside the published figures; --calibration adds leave-one-project-out calibration.'
    )
  )
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'markdown']).default('text'))
    .option(
      '--calibration',
      'also train on all but one project and test on the held-out one (ROC-AUC, Brier, ECE, mean predicted vs observed bug rate)'
    )
    .action(async (flags: EvaluateJitFlags) => {
      const projects = await readJitProjects(jitDataDir(flags.data), flags.projects);
      const report: JitReport = {
        data: flags.data ?? 'data/jit (shipped)',
        params: JIT_GBDT_PARAMS,
        evaluation: projects.map(({ name, table }) => evaluateTimeSplit(name, table)),
        ...(flags.calibration ? { calibration: leaveOneProjectOut(projects) } : {})
      };
      process.stdout.write(renderJitReport(report, flags.format));
    });
}
