/**
 * Every action input, validated in one schema with its default. action.yml
 * documents the same defaults; the runner passes '' for an input a workflow
 * leaves out, so '' means "use the default" here.
 */
import path from 'node:path';
import { z } from 'zod';
import { modelReference, workspacePath } from './paths.js';
import { DEFAULT_IGNORE, parseDecimal } from '../index.js';

const blankToUndefined = (value: unknown): unknown => (typeof value === 'string' && value.trim() === '' ? undefined : value);
const text = (fallback: string) => z.preprocess(blankToUndefined, z.string().trim().default(fallback));
/** A number input, read by the same parser as the CLI's flags and the service's query (no hex, Infinity or NaN). */
const number = (name: string, min: number, max?: number) =>
  z.preprocess(
    blankToUndefined,
    z
      .string()
      .refine((text) => parseDecimal(text) !== undefined, `${name} must be a number`)
      .transform((text) => parseDecimal(text) as number)
      .pipe(
        max === undefined
          ? z.number().min(min, `${name} must be >= ${min}`)
          : z.number().min(min, `${name} must be between ${min} and ${max}`).max(max, `${name} must be between ${min} and ${max}`)
      )
      .optional()
  );

/** A percentage strictly between 0 and 100 ('' = not given). */
const percent = (name: string) =>
  z.preprocess(
    blankToUndefined,
    z
      .string()
      .trim()
      .regex(/^[+-]?(?:\d+\.?\d*|\.\d+)$/, `${name} must be a number`)
      .transform(Number)
      .pipe(z.number().gt(0, `${name} must be a percentage between 0 and 100`).lt(100, `${name} must be a percentage between 0 and 100`))
      .optional()
  );
const flag = (name: string, fallback: 'true' | 'false') =>
  z.preprocess(
    blankToUndefined,
    z
      .string()
      .trim()
      .toLowerCase()
      .pipe(z.enum(['true', 'false'], { error: `${name} must be true or false` }))
      .default(fallback)
      .transform((value) => value === 'true')
  );

export const inputSchema = z.object({
  // Empty: commit mode (the PR's commits are mined from the checkout).
  patches: z.preprocess(blankToUndefined, z.string().trim().optional()),
  model: text('auto'),
  // A shadow model scored beside the champion; it never changes the decision.
  'challenger-model': z.preprocess(blankToUndefined, z.string().trim().optional()),
  threshold: number('threshold', 0, 1),
  'fail-on': z.preprocess(
    blankToUndefined,
    z.enum(['high', 'medium', 'never'], { error: 'fail-on must be high, medium or never' }).default('high')
  ),
  comment: z.preprocess(
    blankToUndefined,
    z.enum(['always', 'on-risk', 'never'], { error: 'comment must be always, on-risk or never' }).default('always')
  ),
  // Part of an HTML comment marker, so a plain word.
  'comment-key': text('default').pipe(
    z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'comment-key must be 1-64 letters, digits, ".", "_" or "-"')
  ),
  'qa-capacity-hours': number('qa-capacity-hours', 0).transform((value) => value ?? 40),
  'id-column': text('patch_id'),
  'scored-file': z.preprocess(blankToUndefined, z.string().trim().optional()),
  // '' keeps the default; a workflow that wants no override sets a label nobody uses.
  'override-label': text('risk-accepted'),
  'github-token': z.preprocess(blankToUndefined, z.string().optional()),
  'ignore-paths': z.preprocess(blankToUndefined, z.string().optional()).transform(ignorePatterns),
  'mention-reviewers': flag('mention-reviewers', 'false'),
  // High = the riskiest alert-budget % of a reference: commit mode's last 2,000 commits (default 5), or `reference`.
  'alert-budget': percent('alert-budget'),
  'medium-budget': percent('medium-budget'),
  // File mode: a file of past patches the alert budget is set on.
  reference: z.preprocess(blankToUndefined, z.string().trim().optional()),
  // Keep one "risk: high|medium|low" label on the pull request in sync with the verdict.
  'risk-label': flag('risk-label', 'true'),
  // Commit mode, model auto: a model trained on this repository (train-repo), used when its card says it beat the default.
  'repo-model': text('.patch-risk/model')
});

/**
 * `ignore-paths`: globs separated by newlines or commas. Blank = the miner's
 * defaults; the entry `defaults` stands for them (so `defaults, docs/` adds
 * to them); `none` alone ignores nothing. Any other list replaces them.
 */
export function ignorePatterns(value: string | undefined): string[] {
  if (value === undefined) return [...DEFAULT_IGNORE];
  const entries = value
    .split(/[\n,]/)
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  if (entries.length === 1 && entries[0] === 'none') return [];
  return [...new Set(entries.flatMap((entry) => (entry === 'defaults' ? DEFAULT_IGNORE : [entry])))];
}

export const INPUT_NAMES = Object.keys(inputSchema.shape) as (keyof typeof inputSchema.shape)[];

export interface ActionInputs {
  /** Undefined in commit mode. */
  patches?: string;
  model: string;
  /** Shadow model compared in the job summary. */
  challengerModel?: string;
  threshold?: number;
  failOn: 'high' | 'medium' | 'never';
  comment: 'always' | 'on-risk' | 'never';
  commentKey: string;
  qaCapacityHours: number;
  idColumn: string;
  scoredFile: string;
  reportFile: string;
  /**
   * The folder the outputs are confined to (the workspace for a scored-file
   * the workflow names, else RUNNER_TEMP): no folder below it on the way to
   * an output may be a symlink.
   */
  outputRoot: string;
  overrideLabel: string;
  token?: string;
  /** Commit mode: globs left out of every metric. */
  ignorePaths: string[];
  /** Commit mode: @-mention the suggested reviewers (else plain names). */
  mentionReviewers: boolean;
  /** Percent of the reference flagged High (commit mode: 5 when not given; file mode: only with `reference`). */
  alertBudget?: number;
  /** Percent flagged Medium or High (cumulative). */
  mediumBudget?: number;
  /** File mode: past patches the alert budget is set on (relative to the workspace). */
  reference?: string;
  /** Keep one `risk: high|medium|low` label on the pull request in sync with the verdict. */
  riskLabel: boolean;
  /** Commit mode with model auto: the repository model folder, relative to the workspace. */
  repoModel: string;
}

/** Thrown for inputs the workflow must fix; names every bad input. */
export class ActionInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ActionInputError';
  }
}

/**
 * Parse the raw inputs (as `core.getInput` returns them). Relative paths are
 * taken from the workspace and every path the workflow names must stay inside
 * it (see paths.ts); `patches` and a model path come back relative to the
 * workspace. The scored file defaults to
 * `$RUNNER_TEMP/patch-risk-gate/<comment-key>.scored.csv` (else the workspace)
 * and the JSON report sits beside it.
 */
export function parseInputs(raw: Record<string, string>, dirs: { workspace: string; runnerTemp?: string }): ActionInputs {
  const result = inputSchema.safeParse(raw);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => issue.message);
    throw new ActionInputError(`invalid input: ${problems.join('; ')}`);
  }
  const input = result.data;
  const key = input['comment-key'];
  const tempDir = dirs.runnerTemp ? path.join(dirs.runnerTemp, 'patch-risk-gate') : path.join(dirs.workspace, '.patch-risk-gate');
  const patches = input.patches === undefined ? undefined : workspacePath('patches', input.patches, dirs.workspace);
  const model = modelReference(input.model, dirs.workspace);
  const challenger =
    input['challenger-model'] === undefined ? undefined : modelReference(input['challenger-model'], dirs.workspace, 'challenger-model');
  const scored = input['scored-file'] === undefined ? undefined : workspacePath('scored-file', input['scored-file'], dirs.workspace);
  const reference = input.reference === undefined ? undefined : workspacePath('reference', input.reference, dirs.workspace);
  const repoModel = workspacePath('repo-model', input['repo-model'], dirs.workspace);
  const problems = [patches, model, challenger, scored, reference, repoModel].flatMap((checked) =>
    checked && 'problem' in checked ? [checked.problem] : []
  );
  problems.push(...budgetProblems(input));
  if (problems.length > 0) throw new ActionInputError(`invalid input: ${problems.join('; ')}`);
  const scoredFile = path.resolve(dirs.workspace, scored && 'path' in scored ? scored.path : path.join(tempDir, `${key}.scored.csv`));
  const outputRoot = scored !== undefined || !dirs.runnerTemp ? dirs.workspace : dirs.runnerTemp;
  return {
    patches: patches && 'path' in patches ? patches.path : undefined,
    model: 'ref' in model ? model.ref : input.model,
    ...(challenger && 'ref' in challenger ? { challengerModel: challenger.ref } : {}),
    threshold: input.threshold,
    failOn: input['fail-on'],
    comment: input.comment,
    commentKey: key,
    qaCapacityHours: input['qa-capacity-hours'],
    idColumn: input['id-column'],
    scoredFile,
    reportFile: scoredFile.replace(/(\.scored)?\.csv$/i, '') + '.report.json',
    outputRoot,
    overrideLabel: input['override-label'],
    token: input['github-token'],
    ignorePaths: input['ignore-paths'],
    mentionReviewers: input['mention-reviewers'],
    ...(input['alert-budget'] === undefined ? {} : { alertBudget: input['alert-budget'] }),
    ...(input['medium-budget'] === undefined ? {} : { mediumBudget: input['medium-budget'] }),
    ...(reference && 'path' in reference ? { reference: reference.path } : {}),
    riskLabel: input['risk-label'],
    repoModel: 'path' in repoModel ? repoModel.path : input['repo-model']
  };
}

/** The budget inputs that do not fit the mode: a file's budget needs a reference; commits are their own reference. */
function budgetProblems(input: z.infer<typeof inputSchema>): string[] {
  const problems: string[] = [];
  const commitMode = input.patches === undefined;
  if (commitMode && input.reference !== undefined) {
    problems.push("reference is for a patches file; in commit mode the alert budget is set on the repository's last 2,000 commits");
  }
  if (!commitMode && input['alert-budget'] !== undefined && input.reference === undefined) {
    problems.push('alert-budget on a patches file needs reference: a file of past patches to set the thresholds on');
  }
  if (input['medium-budget'] !== undefined && input['alert-budget'] !== undefined && input['medium-budget'] < input['alert-budget']) {
    problems.push('medium-budget must be at least alert-budget: it counts Medium and High together');
  }
  if (!commitMode && input['medium-budget'] !== undefined && input['alert-budget'] === undefined) {
    problems.push('medium-budget on a patches file needs alert-budget (and reference)');
  }
  return problems;
}
