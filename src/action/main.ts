/**
 * The action: score the patch file (or, when `patches` is empty, the commits
 * of the pull request or push, mined from the checkout: commits.ts), write the scored CSV and JSON report,
 * set outputs, annotate, write the job summary, upsert the PR comment and
 * fail the step when the gate fails. Any input or model error fails the step
 * (fail closed); a failed comment is only a warning.
 */
import path from 'node:path';
import * as core from '@actions/core';
import type { LoadedModel, ScoredPatches } from '../index.js';
import { commitAnnotations, patchAnnotations, plainText, type PatchAnnotation } from './annotations.js';
import { commentFailureMessage, createOctokit, upsertComment } from './comment.js';
import { apiLimitsFrom } from './github-client.js';
import { scoreCommits, type ScoredCommits } from './commits.js';
import { readRunContext, type RunContext } from './event.js';
import { INPUT_NAMES, parseInputs, type ActionInputs } from './inputs.js';
import { loadActionModel } from './model.js';
import { suggestedReviewers } from './reviewers.js';
import { reportJson, setStepOutputs, SUMMARY_MAX_CHARS, writeJobSummary, writeTextFile } from './outputs.js';
import { unsupportedPlatform } from './platform.js';

type Library = typeof import('../index.js');

/** High-risk patches named in the failure message (the rest are counted). */
const NAMED_IN_FAILURE = 10;

export async function run(): Promise<void> {
  try {
    // Masked before anything is logged: the runner prints *** for it from here on.
    const token = core.getInput('github-token');
    if (token) core.setSecret(token);
    const context = readRunContext(process.env);
    // Relative paths (patches, model) are the workspace's, whatever directory the step started in.
    process.chdir(context.workspace);
    const raw = Object.fromEntries(INPUT_NAMES.map((name) => [name, core.getInput(name)]));
    const inputs = parseInputs(raw, { workspace: context.workspace, runnerTemp: context.runnerTemp });
    const platformProblem = unsupportedPlatform(process.platform, process.arch);
    if (platformProblem) throw new Error(platformProblem);
    // Loaded only now: importing the library loads onnxruntime's native binding.
    const lib = await import('../index.js');
    await gate(inputs, context, lib);
  } catch (error) {
    core.setFailed(error instanceof Error ? error.message : String(error));
  }
}

/** What was scored: a patch file, or the event's commits (commit mode). */
interface ScoredInput {
  scored: ScoredPatches;
  /** The patch file, or the range ("commits 1a2b3c4..5d6e7f8"). */
  source: string;
  commits?: ScoredCommits;
}

async function scoreInput(inputs: ActionInputs, context: RunContext, model: LoadedModel, lib: Library): Promise<ScoredInput> {
  if (inputs.patches === undefined) {
    const options = { ignore: inputs.ignorePaths, threshold: inputs.threshold, qaCapacityHours: inputs.qaCapacityHours };
    const commits = await scoreCommits(context, model, options, lib, (line) => core.info(`patch-risk-gate: ${plainText(line, 1000)}`));
    return { scored: commits.scored, source: commits.source, commits };
  }
  const scored = await lib.scoreFile(inputs.patches, model, {
    threshold: inputs.threshold,
    idColumn: inputs.idColumn,
    qaCapacityHours: inputs.qaCapacityHours
  });
  return { scored, source: inputs.patches };
}

async function gate(inputs: ActionInputs, context: RunContext, lib: Library): Promise<void> {
  const model = await loadActionModel(inputs.model, inputs.patches === undefined ? 'commits' : 'patches', lib);
  const input = await scoreInput(inputs, context, model, lib);
  const result = await lib.explainScored(input.scored, model, 'auto');
  const unit = input.commits ? 'commit' : 'patch';
  const totals = result.plan.totals;
  const labelled = context.pullRequest?.labels.includes(inputs.overrideLabel) ?? false;
  const decision = lib.gateOutcome(totals, inputs.failOn, labelled);
  const blocking = lib.blockingPatches(result, inputs.failOn);
  const override = labelled
    ? { label: inputs.overrideLabel, by: context.addedLabel === inputs.overrideLabel ? context.sender : undefined }
    : undefined;

  await writeTextFile(inputs.scoredFile, lib.scoredCsv(result));
  const reportInfo = {
    patchesFile: input.source,
    ...(input.commits ? { commits: { range: input.commits.range, ignorePaths: inputs.ignorePaths } } : {}),
    decision,
    failOn: inputs.failOn,
    overrideLabel: inputs.overrideLabel,
    overrideApplied: decision === 'overridden',
    letThrough: decision === 'overridden' ? blocking.map((patch) => patch.id) : [],
    runUrl: context.runUrl,
    scoredFile: inputs.scoredFile
  };
  await writeTextFile(inputs.reportFile, reportJson(result, reportInfo, lib));
  setStepOutputs({
    decision,
    highRiskCount: totals.high,
    maxRisk: totals.max_risk,
    report: inputs.reportFile,
    scoredFile: inputs.scoredFile
  });

  const drift = lib.driftReport(model.card, result.table, result.scores);
  if (drift.level !== 'ok')
    core.warning(`drift against ${plainText(model.card.name)} ${model.card.version}: ${plainText(drift.verdict, 500)}`);
  const driftSections = drift.level === 'ok' ? [] : [lib.renderDriftMarkdown(drift)];
  const challengerSections = await challengerSection(inputs, input, result, lib);

  annotate(
    input.commits
      ? commitAnnotations(result, new Map(input.commits.mined.map((row) => [row.commit, row.files])))
      : patchAnnotations(result, workspaceRelative(input.source, context))
  );
  const reviewers = input.commits ? await suggestedReviewers(result, input.commits.mined, inputs, context) : undefined;
  const renderContext = {
    patchesFile: input.commits ? input.commits.rangeLabel : input.source,
    ...(input.commits ? { commits: { repoUrl: `${context.serverUrl}/${context.owner}/${context.repo}`, reviewers } } : {}),
    failOn: inputs.failOn,
    override,
    runUrl: context.runUrl,
    idColumn: inputs.idColumn,
    fullReport: 'the job summary of the workflow run and its scored-file and report outputs'
  };
  await writeJobSummary(
    lib.renderReport(result, { ...renderContext, maxChars: SUMMARY_MAX_CHARS, sections: [...driftSections, ...challengerSections] })
  );
  await comment(
    lib.renderReport(result, { ...renderContext, commentKey: inputs.commentKey, sections: driftSections }),
    totals.high + totals.medium > 0,
    inputs,
    context,
    lib
  );

  core.info(
    `patch-risk-gate: ${decision.toUpperCase()}: ${totals.high} High, ${totals.medium} Medium, ${totals.low} Low of ${totals.patches} ${unit === 'commit' ? 'commits' : 'patches'}; ` +
      `max risk ${totals.max_risk.toFixed(3)} (model ${plainText(model.card.name)} ${model.card.version}, fail-on ${inputs.failOn}).`
  );
  if (decision === 'fail' && inputs.failOn !== 'never')
    core.setFailed(
      failureMessage(
        blocking.map((patch) => (unit === 'commit' ? patch.id.slice(0, 7) : patch.id)),
        unit,
        inputs
      )
    );
  if (decision === 'overridden')
    core.warning(`the gate failed but the PR carries the label "${inputs.overrideLabel}": passing, and recording the override.`);
}

/**
 * The shadow model's comparison for the job summary: it scores the same
 * patches with its own card's threshold and never changes the decision, so
 * any problem with it is only a warning.
 */
async function challengerSection(inputs: ActionInputs, input: ScoredInput, result: ScoredPatches, lib: Library): Promise<string[]> {
  if (inputs.challengerModel === undefined) return [];
  try {
    const mode = inputs.patches === undefined ? 'commits' : 'patches';
    const challenger = await loadActionModel(inputs.challengerModel, mode, lib);
    const options = { idColumn: inputs.idColumn, qaCapacityHours: inputs.qaCapacityHours };
    const shadow = input.commits
      ? await lib.scoreTable(
          lib.commitsToTable(input.commits.mined, { features: challenger.card.features, source: input.source }),
          challenger,
          options
        )
      : await lib.scoreFile(input.source, challenger, options);
    return [lib.renderChallengerMarkdown(lib.compareChallenger(result, shadow))];
  } catch (error) {
    core.warning(`challenger-model: ${plainText(error instanceof Error ? error.message : String(error), 500)} (the gate is unaffected)`);
    return [];
  }
}

function failureMessage(ids: string[], unit: 'patch' | 'commit', inputs: ActionInputs): string {
  const level = inputs.failOn === 'medium' ? 'Medium or High' : 'High';
  // One line whatever the ids hold: JSON.stringify leaves U+2028/U+2029 as they are.
  const named = ids.slice(0, NAMED_IN_FAILURE).map((id) => JSON.stringify(plainText(id)));
  const more = ids.length > NAMED_IN_FAILURE ? ` and ${ids.length - NAMED_IN_FAILURE} more` : '';
  return (
    `${ids.length} ${unit === 'commit' ? 'commit(s)' : 'patch(es)'} are ${level} risk: ${named.join(', ')}${more}. ` +
    `Lower the risk, or add the "${inputs.overrideLabel}" label to the PR to accept it.`
  );
}

/** The patch file relative to the workspace, as annotations expect. */
function workspaceRelative(file: string, context: RunContext): string {
  return path.relative(context.workspace, path.resolve(file)).split(path.sep).join('/');
}

function annotate(notes: PatchAnnotation[]): void {
  for (const note of notes) {
    const properties = { title: note.title, file: note.file, startLine: note.line };
    if (note.level === 'error') core.error(note.message, properties);
    else core.warning(note.message, properties);
  }
}

async function comment(body: string, atRisk: boolean, inputs: ActionInputs, context: RunContext, lib: Library): Promise<void> {
  if (!context.pullRequest || inputs.comment === 'never') return;
  if (!inputs.token) {
    core.warning('no github-token: skipping the PR comment. The gate is unaffected.');
    return;
  }
  try {
    const octokit = createOctokit(inputs.token, context.apiUrl, apiLimitsFrom(process.env));
    const target = { owner: context.owner, repo: context.repo, issueNumber: context.pullRequest.number };
    const outcome = await upsertComment(octokit, target, lib.commentMarker(inputs.commentKey), body, inputs.comment === 'always' || atRisk);
    if (outcome.action === 'skipped') core.info('comment: on-risk and nothing at risk, no comment to update.');
    else core.info(`comment ${outcome.action}: ${plainText(outcome.url, 200)}`);
  } catch (error) {
    core.warning(commentFailureMessage(error));
  }
}
