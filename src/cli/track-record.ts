/**
 * `patch-risk track-record`: how right the check has been on this repository.
 * Every commit of the window that is old enough to have been labelled, scored
 * from the history as it stood at that commit and bucketed as commit mode
 * would have bucketed it then, against what SZZ says now. Exit 0: printed
 * (and written with --out); 2: usage, input, model or git errors.
 */
import path from 'node:path';
import { Command, Option } from 'commander';
import {
  alertBudget,
  chooseRepoModel,
  DEFAULT_ALERT_BUDGET,
  DEFAULT_FIX_PATTERN,
  DEFAULT_LABEL_DELAY_DAYS,
  DEFAULT_REPO_MODEL_DIR,
  DEFAULT_TRACK_WINDOW_DAYS,
  loadModelByName,
  plainText,
  renderTrackRecord,
  repoTrackRecord,
  writeFileAtomic,
  type LoadedModel,
  type TrackRecordFormat
} from '../index.js';
import { parseIntegerOption, parseNumberOption } from './common.js';
import { percentage } from './options.js';
import { parseDateOption, parseFixRuleOption, progressPrinter } from './history-options.js';

interface TrackRecordFlags {
  repo: string;
  model: string;
  repoModel: string;
  since?: number;
  labelDelay: number;
  alertBudget?: number;
  mediumBudget?: number;
  cardThresholds?: boolean;
  format: TrackRecordFormat;
  cache?: string;
  fixPattern?: string;
  jobs?: number;
  out?: string;
  progress: boolean;
}

/**
 * `--model auto`: the repository model in --repo-model (resolved inside --repo) when its champion card says it beat the
 * default on this repository, else the built-in jit. Says which on stderr.
 */
async function modelFor(flags: TrackRecordFlags, say: (line: string) => void): Promise<LoadedModel> {
  if (flags.model !== 'auto') return loadModelByName(flags.model);
  const dir = path.resolve(flags.repo, flags.repoModel);
  const choice = await chooseRepoModel(dir);
  if (!choice.use) {
    say(`model auto: the default jit model (${plainText(choice.reason, 500)})`);
    return loadModelByName('jit');
  }
  say(`model auto: the repository model ${plainText(choice.card.name)} ${choice.version} from ${dir}; it beat the default here`);
  return loadModelByName(choice.onnxPath);
}

export function trackRecordCommand(): Command {
  return new Command('track-record')
    .description(
      'How right the check has been on this repository: every commit since --since that is old enough to have been labelled ' +
        '(--label-delay days before the newest commit), scored from the history as it stood at that commit and bucketed as commit mode ' +
        'would have bucketed it then, against the SZZ labels now. Prints per bucket the commits and how many later needed a fix, ' +
        'the precision of High and Medium, the recall of High, the base rate and ROC-AUC.'
    )
    .option('--repo <dir>', 'the git repository', '.')
    .option(
      '-m, --model <model>',
      'auto: the repository model in --repo-model when its champion beat the default here, else jit; or a built-in name, model folder or .onnx path',
      'auto'
    )
    .option('--repo-model <dir>', 'with --model auto: the repository model folder, inside --repo', DEFAULT_REPO_MODEL_DIR)
    .addOption(
      new Option(
        '--since <date>',
        `the first day of the window (YYYY-MM-DD, ISO time with zone, @unix; default: ${DEFAULT_TRACK_WINDOW_DAYS} days before the label cut)`
      ).argParser(parseDateOption('start'))
    )
    .addOption(
      new Option(
        '--label-delay <days>',
        'commits younger than this before the newest commit are left out: their fixes may not have landed yet'
      )
        .default(DEFAULT_LABEL_DELAY_DAYS)
        .argParser(parseNumberOption('--label-delay', 0))
    )
    .addOption(
      new Option(
        '--alert-budget <percent>',
        `High = the riskiest P% of the up to 2,000 commits before each commit, as commit mode sets it (default ${DEFAULT_ALERT_BUDGET})`
      ).argParser(percentage('--alert-budget'))
    )
    .addOption(
      new Option('--medium-budget <percent>', 'Medium or High = the riskiest P% of those commits (cumulative, default 20)').argParser(
        percentage('--medium-budget')
      )
    )
    .option('--card-thresholds', "bucket with the model card's thresholds instead of the alert budget")
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'markdown', 'json']).default('text'))
    .option(
      '--cache <dir>',
      "cache folder: the miner's history state (shared with commit mode and train-repo) and SZZ results per fix commit"
    )
    .addOption(
      new Option(
        '--fix-pattern <rule>',
        `which commits are fixes for SZZ (as for patch-risk label; default ${DEFAULT_FIX_PATTERN})`
      ).argParser((raw: string) => parseFixRuleOption(raw).source)
    )
    .addOption(new Option('--jobs <n>', 'git blame processes at once (default: the CPU count)').argParser(parseIntegerOption('--jobs', 1)))
    .option(
      '-o, --out <file>',
      'also write the record as JSON here (track-record.json beside the repository model: the action shows its line)'
    )
    .option('--no-progress', 'no mining/labelling progress lines on stderr')
    .action(async (flags: TrackRecordFlags) => {
      if (flags.cardThresholds && (flags.alertBudget !== undefined || flags.mediumBudget !== undefined))
        throw new RangeError('--card-thresholds buckets with the model card; leave out --alert-budget and --medium-budget');
      const budget = flags.cardThresholds ? undefined : alertBudget(flags.alertBudget ?? DEFAULT_ALERT_BUDGET, flags.mediumBudget);
      const say = (line: string): void => void process.stderr.write(`track-record: ${line}\n`);
      const progress = progressPrinter('track-record', flags.progress);
      const model = await modelFor(flags, say);
      try {
        const { record } = await repoTrackRecord({
          repo: flags.repo,
          model,
          labelDelayDays: flags.labelDelay,
          budget,
          ...(flags.since !== undefined ? { since: flags.since } : {}),
          ...(flags.cache !== undefined ? { cacheDir: flags.cache } : {}),
          ...(flags.fixPattern !== undefined ? { fixRule: flags.fixPattern } : {}),
          ...(flags.jobs !== undefined ? { jobs: flags.jobs } : {}),
          log: say,
          onMineProgress: (p) =>
            progress(`mine: ${p.replayed.toLocaleString('en-US')}/${p.total.toLocaleString('en-US')} commits replayed`),
          onLabelProgress: (p) =>
            progress(
              `label: ${p.done.toLocaleString('en-US')}/${p.total.toLocaleString('en-US')} fix commits (${p.fromCache} from the cache)`
            )
        });
        if (flags.out !== undefined) {
          writeFileAtomic(flags.out, renderTrackRecord(record, 'json'), 'the track record');
          say(`wrote ${flags.out}`);
        }
        process.stdout.write(renderTrackRecord(record, flags.format));
      } finally {
        await model.release();
      }
    });
}
