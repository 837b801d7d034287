/**
 * `patch-risk train-repo`: a model trained on this repository's own history,
 * promoted only when it beats the default `jit` model on the repository's
 * newest commits. Exit 0: promoted; 1: refused (not better than the default
 * beyond the noise, or too small to learn from), the default stays in use;
 * 2: usage, input or git errors.
 */
import { Command, Option } from 'commander';
import {
  DEFAULT_FIX_PATTERN,
  loadModelByName,
  renderRepoTraining,
  trainRepoFromMetrics,
  trainRepoFromRepository,
  type TrainRepoOptions,
  type TrainRepoRun
} from '../index.js';
import { CliExit, EXIT_FAIL, EXIT_USAGE, parseIntegerOption, parseNumberOption } from './common.js';
import { BUILTIN_JIT_DATA_DIR, parseProjects } from './evaluate-jit.js';
import { parseDateOption, parseFixRuleOption, progressPrinter } from './history-options.js';

interface TrainRepoFlags {
  metrics?: string;
  repo?: string;
  cache?: string;
  fixPattern?: string;
  jobs?: number;
  progress: boolean;
  out: string;
  until?: number;
  labelDelay: number;
  default: string;
  pool: 'auto' | 'never';
  poolData?: string;
  poolProjects?: string[];
  minRocAuc?: number;
}

function commandLine(flags: TrainRepoFlags, rawUntil: string | undefined): string {
  return [
    'patch-risk train-repo',
    ...(flags.metrics ? ['--metrics', flags.metrics] : ['--repo', flags.repo ?? '.']),
    ...(flags.cache ? ['--cache', flags.cache] : []),
    ...(flags.fixPattern ? ['--fix-pattern', flags.fixPattern] : []),
    '--out',
    flags.out,
    ...(rawUntil ? ['--until', rawUntil] : []),
    '--label-delay',
    String(flags.labelDelay),
    ...(flags.default !== 'jit' ? ['--default', flags.default] : []),
    ...(flags.pool !== 'auto' ? ['--pool', flags.pool] : []),
    ...(flags.poolData ? ['--pool-data', flags.poolData] : []),
    ...(flags.poolProjects ? ['--pool-projects', flags.poolProjects.join(',')] : []),
    ...(flags.minRocAuc !== undefined ? ['--min-roc-auc', String(flags.minRocAuc)] : [])
  ].join(' ');
}

/** Print the run and end with the exit code of its outcome. */
export function reportTrainRepo(run: TrainRepoRun, out: string): void {
  if (run.status === 'too-small') {
    throw new CliExit(EXIT_FAIL, `train-repo: refused: ${run.reason}; the default model stays in use`);
  }
  const lines = [renderRepoTraining(run.period, run.training)];
  if (run.poolNote) lines.push(`(${run.poolNote})`);
  const card = run.training.model.card;
  lines.push(
    `wrote ${run.written.onnxPath} and ${run.written.cardPath}`,
    run.written.registry
      ? `${out}: ${card.version} is the champion (registry.json); commit mode with model: auto uses it`
      : `${out}: the champion is unchanged; commit mode with model: auto keeps the default`
  );
  process.stdout.write(lines.join('\n') + '\n');
  if (!run.training.beatDefault) throw new CliExit(EXIT_FAIL);
}

export function trainRepoCommand(): Command {
  let rawUntil: string | undefined;
  return new Command('train-repo')
    .description(
      "Train a model on this repository's own labelled history (older 80% of the training period trains, newest 20% validates), " +
        'score the default jit model on the same validation commits, and make the new version champion of --out only when it beats the default beyond the noise (exit 1 otherwise). ' +
        'With --repo (the default) the history is mined and SZZ-labelled first, as if the repository ended at --until.'
    )
    .option('--repo <dir>', 'the git repository to mine, SZZ-label and learn from (default: the current directory)')
    .option(
      '--metrics <file>',
      'instead of --repo: a labelled metrics CSV/JSON (commit, date in unix seconds, bug 0/1, the 14 change metrics)'
    )
    .option(
      '--cache <dir>',
      "cache folder: the miner's history state (shared with commit mode) and SZZ results per fix commit, so a later run blames only new fix commits"
    )
    .addOption(
      new Option(
        '--fix-pattern <rule>',
        `which commits are fixes for SZZ (as for patch-risk label; default ${DEFAULT_FIX_PATTERN})`
      ).argParser((raw: string) => parseFixRuleOption(raw).source)
    )
    .addOption(new Option('--jobs <n>', 'git blame processes at once (default: the CPU count)').argParser(parseIntegerOption('--jobs', 1)))
    .option('--no-progress', 'no mining/labelling progress lines on stderr')
    .requiredOption('-o, --out <dir>', 'model folder (e.g. .patch-risk/model); the new version is added, none is overwritten')
    .addOption(
      new Option(
        '--until <date>',
        'the history ends here: later commits are not used at all (YYYY-MM-DD, ISO time with zone, @unix)'
      ).argParser((raw: string) => {
        rawUntil = raw;
        return parseDateOption('end')(raw);
      })
    )
    .addOption(
      new Option(
        '--label-delay <days>',
        'commits younger than this before the end are not trained on (their fixes may not have landed yet)'
      )
        .default(180)
        .argParser(parseNumberOption('--label-delay', 0))
    )
    .option('--default <model>', 'the model to beat: a built-in name, model folder or .onnx path', 'jit')
    .addOption(
      new Option(
        '--pool <mode>',
        'auto: also try the public data pooled with the own commits, keep it when it scores better on the training part'
      )
        .choices(['auto', 'never'])
        .default('auto')
    )
    .option('--pool-data <dir>', 'folder of public <project>.csv files (default: the data/jit/ shipped with patch-risk-gate)')
    .addOption(new Option('--pool-projects <a,b>', 'public projects to pool (default: all in --pool-data)').argParser(parseProjects))
    .addOption(
      new Option('--min-roc-auc <auc>', "the candidate's own ROC-AUC floor (default: the folder's registry.json, else 0.6)").argParser(
        parseNumberOption('--min-roc-auc', 0, 1)
      )
    )
    .action(async (flags: TrainRepoFlags) => {
      if (flags.metrics !== undefined && (flags.repo !== undefined || flags.cache !== undefined || flags.fixPattern !== undefined)) {
        throw new CliExit(
          EXIT_USAGE,
          'train-repo: --metrics reads a labelled file; --repo, --cache and --fix-pattern are for a git repository'
        );
      }
      const defaultModel = await loadModelByName(flags.default);
      const options: TrainRepoOptions = {
        out: flags.out,
        until: flags.until,
        labelDelayDays: flags.labelDelay,
        defaultModel,
        pool: { mode: flags.pool, dataDir: flags.poolData ?? BUILTIN_JIT_DATA_DIR, projects: flags.poolProjects },
        gates: { min_roc_auc: flags.minRocAuc },
        command: commandLine(flags, rawUntil),
        log: (line) => process.stderr.write(`train-repo: ${line}\n`)
      };
      try {
        if (flags.metrics !== undefined) {
          reportTrainRepo(await trainRepoFromMetrics(flags.metrics, options), flags.out);
          return;
        }
        const progress = progressPrinter('train-repo', flags.progress);
        const { run, mined } = await trainRepoFromRepository(
          {
            repo: flags.repo ?? '.',
            ...(flags.cache !== undefined ? { cacheDir: flags.cache } : {}),
            ...(flags.fixPattern !== undefined ? { fixRule: flags.fixPattern } : {}),
            ...(flags.jobs !== undefined ? { jobs: flags.jobs } : {}),
            onMineProgress: (p) =>
              progress(`mine: ${p.replayed.toLocaleString('en-US')}/${p.total.toLocaleString('en-US')} commits replayed`),
            onLabelProgress: (p) =>
              progress(
                `label: ${p.done.toLocaleString('en-US')}/${p.total.toLocaleString('en-US')} fix commits (${p.fromCache.toLocaleString('en-US')} from the cache, ${p.blamed.toLocaleString('en-US')} blamed)`
              )
          },
          options
        );
        process.stdout.write(
          `mined and labelled ${mined.source.name} up to ${mined.tip.slice(0, 12)}: mining ${mined.mineSeconds.toFixed(1)} s, labelling ${mined.labelSeconds.toFixed(1)} s\n`
        );
        reportTrainRepo(run, flags.out);
      } finally {
        await defaultModel.release();
      }
    });
}
