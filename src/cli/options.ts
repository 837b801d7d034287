/** Options shared by the scoring commands (gate, score): model, thresholds, alert budget, and the commit-range input. */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
// The gate's modules directly, not the index barrel (which loads every module): a gate starts fast. The git miner is
// loaded only for --commits (or to say how to use the command when it has no input).
import type { CommitsInput } from '../api/commits.js';
import { runGate, type GateInput, type GateRun } from '../api/gate.js';
import { loadModelByName, modelRefFor } from '../api/models.js';
import type { FailOn } from '../core/decide.js';
import { InputError } from '../core/errors.js';
import type { SuggestedReviewer } from '../core/render-commits.js';
import type { CommitMetrics } from '../git/history.js';
import { parseRange } from '../git/range.js';
import type { ExplainMode } from '../model/explain/explain.js';
import type { LoadedModel } from '../model/onnx/session.js';
import { CliExit, EXIT_USAGE, parseNumberOption } from './common.js';

export interface ScoringFlags {
  model: string;
  threshold?: number;
  idColumn?: string;
  qaCapacityHours: number;
  explain: ExplainMode;
  alertBudget?: number;
  mediumBudget?: number;
  reference?: string;
}

/** The commit-range input's flags (gate and score). */
export interface CommitFlags {
  commits?: { base: string; head: string; text: string };
  repo?: string;
  cache?: string;
}

/** Where `gate --commits` writes its scored file when --out is not given: the current directory. */
export const DEFAULT_COMMITS_SCORED_FILE = 'patch-risk-commits.scored.csv';

/** A percentage strictly between 0 and 100. */
export function percentage(name: string): (raw: string) => number {
  return (raw) => {
    const value = parseNumberOption(name)(raw);
    if (!(value > 0 && value < 100)) throw new InvalidArgumentError(`${name} must be a percentage between 0 and 100 (exclusive), e.g. 5.`);
    return value;
  };
}

export function addScoringOptions(command: Command): Command {
  return command
    .addOption(
      new Option(
        '-m, --model <model>',
        'built-in model name (e.g. firmware), model folder, or path to an .onnx with its .card.json; auto = firmware for a patch file, jit with --commits'
      ).default('auto')
    )
    .addOption(
      new Option('-t, --threshold <p>', "high-risk threshold (overrides the model card's and the alert budget)").argParser(
        parseNumberOption('--threshold', 0, 1)
      )
    )
    .addOption(new Option('--id-column <name>', "patch id column (default: the model card's, patch_id for firmware)"))
    .addOption(
      new Option('--qa-capacity-hours <hours>', 'QA hours to allocate across the patches')
        .default(40)
        .argParser(parseNumberOption('--qa-capacity-hours', 0))
    )
    .addOption(
      new Option('--explain <rows>', 'which patches get their top reasons (TreeSHAP): auto = all up to 20,000 rows, Medium/High beyond')
        .choices(['auto', 'all', 'risky', 'none'])
        .default('auto')
    )
    .addOption(
      new Option(
        '--alert-budget <percent>',
        'High = the riskiest P% of a reference: with --commits the last 2,000 commits before the range (default 5), for a file the rows of --reference'
      ).argParser(percentage('--alert-budget'))
    )
    .addOption(
      new Option('--medium-budget <percent>', 'Medium or High = the riskiest P% of the reference (cumulative, default 20)').argParser(
        percentage('--medium-budget')
      )
    )
    .addOption(
      new Option(
        '--reference <file>',
        'patch file mode: a CSV/JSON file of past patches; sets the --alert-budget thresholds and each patch’s percentile'
      )
    );
}

function rangeOption(raw: string): CommitFlags['commits'] {
  try {
    return { ...parseRange(raw), text: raw };
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message.replace(/^--range /, '--commits '));
  }
}

export function addCommitOptions(command: Command): Command {
  return command
    .addOption(
      new Option('--commits <BASE..HEAD>', 'score the non-merge commits of this range, mined from git, instead of a file').argParser(
        rangeOption
      )
    )
    .option('--repo <dir>', 'with --commits: the git repository (default: the current directory)')
    .option(
      '--cache <dir>',
      "with --commits: the miner's history state cache; a later run resumes from the state saved there instead of replaying the whole history"
    );
}

/** Is `dir` inside a git repository? */
async function isGitRepository(dir: string): Promise<boolean> {
  // isShallow asks git about the repository: it fails outside of one.
  const { isShallow } = await import('../git/mine.js');
  return isShallow(dir).then(
    () => true,
    () => false
  );
}

/** Does `rev` name a commit in the repository at `dir`? */
function isCommit(dir: string, rev: string): Promise<boolean> {
  return new Promise((resolve) =>
    execFile('git', ['-C', dir, 'rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`], (error) => resolve(!error))
  );
}

/**
 * The input the flags name: a patch file, or with --commits a range of the
 * repository. The one place the commit flags (--repo, --cache) reach the
 * miner's API. Neither, or both, is a usage error that says how to use either.
 */
export async function inputFromFlags(command: string, file: string | undefined, flags: ScoringFlags & CommitFlags): Promise<GateInput> {
  if (file !== undefined && flags.commits !== undefined) {
    throw new CliExit(EXIT_USAGE, `error: give a patch file or --commits, not both (got ${file} and --commits ${flags.commits.text})`);
  }
  if (flags.commits === undefined) {
    if (flags.repo !== undefined || flags.cache !== undefined)
      throw new CliExit(EXIT_USAGE, 'error: --repo and --cache go with --commits BASE..HEAD');
    if (file !== undefined) return { kind: 'file', file };
    const usage = (await isGitRepository('.'))
      ? `error: no patch file and no --commits. To check this branch's commits: patch-risk ${command} --commits origin/main..HEAD ` +
        `(any BASE..HEAD); to score a patch feature file: patch-risk ${command} FILE (CSV or JSON).`
      : `error: no patch file and no --commits. To score a patch feature file: patch-risk ${command} FILE (CSV or JSON); ` +
        `to check the commits of a git repository: patch-risk ${command} --commits BASE..HEAD --repo DIR.`;
    throw new CliExit(EXIT_USAGE, usage);
  }
  if (flags.reference !== undefined) {
    throw new CliExit(
      EXIT_USAGE,
      "error: --reference is for patch files; with --commits the alert budget is set on the repository's last 2,000 commits before the range"
    );
  }
  const repo = flags.repo ?? '.';
  if (!(await isGitRepository(repo)))
    throw new InputError(repo, 'not a git repository (--repo names the repository whose commits --commits ranges over)');
  for (const rev of [flags.commits.base, flags.commits.head]) {
    if (!(await isCommit(repo, rev))) {
      throw new CliExit(EXIT_USAGE, `error: --commits ${flags.commits.text}: "${rev}" is not a commit of ${repo} (a branch, tag or hash)`);
    }
  }
  const input: CommitsInput = {
    kind: 'commits',
    repo,
    range: { base: flags.commits.base, head: flags.commits.head },
    place: path.resolve(repo) === path.resolve('.') ? 'the current directory' : 'the --repo directory',
    log: (line) => process.stderr.write(`patch-risk: ${line}\n`),
    ...(flags.cache === undefined ? {} : { cache: flags.cache })
  };
  return input;
}

/** A model named by a flag: a built-in name, a model folder or an .onnx path; `auto` is the input's default model. */
export function loadModelFlag(ref: string, input?: GateInput): Promise<LoadedModel> {
  return loadModelByName(modelRefFor(ref, input?.kind === 'commits' ? 'commits' : 'patches'));
}

/** Score, plan, explain and decide as the flags say. */
export function runWithFlags(input: GateInput, model: LoadedModel, flags: ScoringFlags, failOn: FailOn = 'high'): Promise<GateRun> {
  return runGate(input, {
    model,
    threshold: flags.threshold,
    idColumn: flags.idColumn,
    qaCapacityHours: flags.qaCapacityHours,
    explain: flags.explain,
    alertBudget: flags.alertBudget,
    mediumBudget: flags.mediumBudget,
    reference: flags.reference,
    failOn
  });
}

/** Suggested reviewers by commit hash, as plain names (the terminal notifies nobody). */
export function reviewersOf(mined: readonly CommitMetrics[]): Record<string, SuggestedReviewer[]> {
  return Object.fromEntries(mined.map((row) => [row.commit, row.reviewers.map((reviewer) => ({ name: reviewer.name }))]));
}
