/**
 * `patch-risk train-repo`: a model trained on this repository's own history,
 * promoted only when it beats the default `jit` model on the repository's
 * newest commits. Exit 0: promoted; 1: refused (not better than the default
 * beyond the noise, or too small to learn from), the default stays in use;
 * 2: usage, input or git errors.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { loadModelByName, trainRepoFromMetrics, renderRepoTraining, type TrainRepoOptions, type TrainRepoRun } from '../index.js';
import { CliExit, EXIT_FAIL, parseNumberOption } from './common.js';
import { BUILTIN_JIT_DATA_DIR, parseProjects } from './evaluate-jit.js';

interface TrainRepoFlags {
  metrics?: string;
  out: string;
  until?: number;
  labelDelay: number;
  default: string;
  pool: 'auto' | 'never';
  poolData?: string;
  poolProjects?: string[];
  minRocAuc?: number;
}

const DAY_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** `YYYY-MM-DD` (the whole UTC day), an ISO 8601 time with its zone, or `@UNIX_SECONDS`. */
export function parseUntil(raw: string): number {
  const text = raw.trim();
  const day = DAY_RE.exec(text);
  if (day) {
    const ms = Date.UTC(Number(day[1]), Number(day[2]) - 1, Number(day[3]));
    if (new Date(ms).toISOString().slice(0, 10) === text) return ms / 1000 + 86_399;
  } else if (/^@\d+$/.test(text)) {
    return Number(text.slice(1));
  } else if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/i.test(text)) {
    const ms = Date.parse(text.replace(' ', 'T').replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
    if (Number.isFinite(ms)) return Math.floor(ms / 1000);
  }
  throw new InvalidArgumentError(
    '--until must be YYYY-MM-DD (a UTC day, kept whole), an ISO 8601 time with its zone (2018-12-31T18:00:00Z) or @UNIX_SECONDS.'
  );
}

function commandLine(flags: TrainRepoFlags, rawUntil: string | undefined): string {
  return [
    'patch-risk train-repo',
    ...(flags.metrics ? ['--metrics', flags.metrics] : []),
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
        'score the default jit model on the same validation commits, and make the new version champion of --out only when it beats the default beyond the noise (exit 1 otherwise).'
    )
    .requiredOption('--metrics <file>', 'labelled metrics CSV/JSON (commit, date in unix seconds, bug 0/1, the 14 change metrics)')
    .requiredOption('-o, --out <dir>', 'model folder (e.g. .patch-risk/model); the new version is added, none is overwritten')
    .addOption(
      new Option(
        '--until <date>',
        'the history ends here: later commits are not used at all (YYYY-MM-DD, ISO time with zone, @unix)'
      ).argParser((raw: string) => {
        rawUntil = raw;
        return parseUntil(raw);
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
      const defaultModel = await loadModelByName(flags.default);
      const options: TrainRepoOptions = {
        out: flags.out,
        until: flags.until,
        labelDelayDays: flags.labelDelay,
        defaultModel,
        pool: { mode: flags.pool, dataDir: flags.poolData ?? BUILTIN_JIT_DATA_DIR, projects: flags.poolProjects },
        gates: { min_roc_auc: flags.minRocAuc },
        command: commandLine(flags, rawUntil)
      };
      try {
        reportTrainRepo(await trainRepoFromMetrics(flags.metrics as string, options), flags.out);
      } finally {
        await defaultModel.release();
      }
    });
}
