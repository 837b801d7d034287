/**
 * Every action input, validated in one schema with its default. action.yml
 * documents the same defaults; the runner passes '' for an input a workflow
 * leaves out, so '' means "use the default" here.
 */
import path from 'node:path';
import { z } from 'zod';

const blankToUndefined = (value: unknown): unknown => (typeof value === 'string' && value.trim() === '' ? undefined : value);
const text = (fallback: string) => z.preprocess(blankToUndefined, z.string().trim().default(fallback));
const number = (name: string, min: number, max?: number) =>
  z.preprocess(
    blankToUndefined,
    z
      .string()
      .trim()
      .regex(/^[+-]?(?:\d+\.?\d*|\.\d+)$/, `${name} must be a number`)
      .transform(Number)
      .pipe(max === undefined ? z.number().min(min, `${name} must be >= ${min}`) : z.number().min(min, `${name} must be between ${min} and ${max}`).max(max, `${name} must be between ${min} and ${max}`))
      .optional()
  );

export const inputSchema = z.object({
  patches: z.preprocess(blankToUndefined, z.string({ error: 'patches is required: the path of a CSV or JSON patch feature file' }).trim()),
  model: text('firmware'),
  threshold: number('threshold', 0, 1),
  'fail-on': z.preprocess(blankToUndefined, z.enum(['high', 'medium', 'never'], { error: 'fail-on must be high, medium or never' }).default('high')),
  comment: z.preprocess(blankToUndefined, z.enum(['always', 'on-risk', 'never'], { error: 'comment must be always, on-risk or never' }).default('always')),
  // Part of an HTML comment marker, so a plain word.
  'comment-key': text('default').pipe(z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'comment-key must be 1-64 letters, digits, ".", "_" or "-"')),
  'qa-capacity-hours': number('qa-capacity-hours', 0).transform((value) => value ?? 40),
  'id-column': text('patch_id'),
  'scored-file': z.preprocess(blankToUndefined, z.string().trim().optional()),
  // '' keeps the default; a workflow that wants no override sets a label nobody uses.
  'override-label': text('risk-accepted'),
  'github-token': z.preprocess(blankToUndefined, z.string().optional())
});

export const INPUT_NAMES = Object.keys(inputSchema.shape) as (keyof typeof inputSchema.shape)[];

export interface ActionInputs {
  patches: string;
  model: string;
  threshold?: number;
  failOn: 'high' | 'medium' | 'never';
  comment: 'always' | 'on-risk' | 'never';
  commentKey: string;
  qaCapacityHours: number;
  idColumn: string;
  scoredFile: string;
  reportFile: string;
  overrideLabel: string;
  token?: string;
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
 * taken from the workspace; the scored file defaults to
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
  const scoredFile = path.resolve(dirs.workspace, input['scored-file'] ?? path.join(tempDir, `${key}.scored.csv`));
  return {
    patches: input.patches,
    model: input.model,
    threshold: input.threshold,
    failOn: input['fail-on'],
    comment: input.comment,
    commentKey: key,
    qaCapacityHours: input['qa-capacity-hours'],
    idColumn: input['id-column'],
    scoredFile,
    reportFile: scoredFile.replace(/(\.scored)?\.csv$/i, '') + '.report.json',
    overrideLabel: input['override-label'],
    token: input['github-token']
  };
}
