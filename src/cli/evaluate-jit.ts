/** `patch-risk evaluate-jit`: the JIT training setup on real projects, beside the published ROC-AUC (and calibration with --calibration). */
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

/** data/jit/ of this package (two levels above lib/cli/ or src/cli/). */
export const BUILTIN_JIT_DATA_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'data', 'jit');

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
      new Option('--data <dir>', 'folder with one <project>.csv per project (default: the data/jit/ shipped with patch-risk-gate)')
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
      const dir = flags.data ?? BUILTIN_JIT_DATA_DIR;
      const projects = await readJitProjects(dir, flags.projects);
      const report: JitReport = {
        data: flags.data ?? 'data/jit (shipped)',
        params: JIT_GBDT_PARAMS,
        evaluation: projects.map(({ name, table }) => evaluateTimeSplit(name, table)),
        ...(flags.calibration ? { calibration: leaveOneProjectOut(projects) } : {})
      };
      process.stdout.write(renderJitReport(report, flags.format));
    });
}
