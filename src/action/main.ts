/**
 * The action: score the patch file (or, when `patches` is empty, the commits
 * of the pull request or push, mined from the checkout), write the scored CSV
 * and JSON report, set outputs, annotate, write the job summary, upsert the
 * PR comment and fail the step when the gate fails. Any input or model error
 * fails the step (fail closed); a failed comment is only a warning.
 */
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as core from '@actions/core';
import {
  blockingPatches,
  compareChallenger,
  commentMarker,
  commitsToTable,
  driftReport,
  loadModelByName,
  modelRefFor,
  parseTrackRecord,
  plainText,
  renderChallengerMarkdown,
  renderDriftMarkdown,
  renderReport,
  runGate,
  scoredCsv,
  scoreFile,
  scoreTable,
  resolveRepoModel,
  trackRecordLine,
  type GateInput,
  type GateRun,
  type LoadedModel,
  type RenderContext,
  type ScoredPatches,
  type ScoringMode
} from '../index.js';
import { commitAnnotations, patchAnnotations, type PatchAnnotation } from './annotations.js';
import { commentFailureMessage, upsertComment } from './comment.js';
import { readRunContext, type RunContext } from './event.js';
import { apiLimitsFrom, runApiClient, type Octokit } from './github-client.js';
import { INPUT_NAMES, parseInputs, type ActionInputs } from './inputs.js';
import {
  actionsCache,
  cacheLog,
  reportOutcome,
  restoreHistoryState,
  saveHistory,
  type CacheService,
  type RestoredHistory
} from './history-cache.js';
import { isModelPath } from './paths.js';
import { labelFailureMessage, riskLabelFor, syncRiskLabel } from './labels.js';
import { reportJson, setStepOutputs, SUMMARY_MAX_CHARS, writeJobSummary, writeOutputFiles } from './outputs.js';
import { unsupportedPlatform } from './platform.js';
import { suggestedReviewers } from './reviewers.js';

/** High-risk patches named in the failure message (the rest are counted). */
const NAMED_IN_FAILURE = 10;
/** An error message longer than this is cut (it may quote text from the PR). */
const FAILURE_MAX_CHARS = 4000;

/** `cache`: where commit mode keeps the miner's history state between runs (the Actions cache). */
export async function run(cache: CacheService = actionsCache()): Promise<void> {
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
    await gate(inputs, context, cache);
  } catch (error) {
    core.setFailed(plainText(error instanceof Error ? error.message : String(error), FAILURE_MAX_CHARS));
  }
}

function modeOf(inputs: ActionInputs): ScoringMode {
  return inputs.patches === undefined ? 'commits' : 'patches';
}

/** The patch file, or the event's commits (commit mode), resuming from a restored history state when there is one. */
function gateInput(inputs: ActionInputs, context: RunContext, history: RestoredHistory | undefined): GateInput {
  if (inputs.patches !== undefined) return { kind: 'file', file: inputs.patches };
  if ('problem' in context.commits)
    throw new Error(`the patches input is empty, so the action scores commits, but ${context.commits.problem}`);
  return {
    kind: 'commits',
    repo: context.workspace,
    range: context.commits.range,
    ignore: inputs.ignorePaths,
    place: 'the workspace',
    log: (line) => core.info(`patch-risk-gate: ${plainText(line, 1000)}`),
    ...(history ? { cache: history.keys.dir, onCache: (outcome) => reportOutcome(history, outcome, cacheLog) } : {})
  };
}

/**
 * The model a `model`/`challenger-model` input names: a built-in one from the
 * action's models/, or one from the repository, every file of which (registry,
 * card, .onnx) must stay inside the workspace, symlinks followed.
 */
function loadInputModel(ref: string, inputs: ActionInputs, context: RunContext): Promise<LoadedModel> {
  const resolved = modelRefFor(ref, modeOf(inputs));
  return loadModelByName(resolved, undefined, isModelPath(resolved) ? { within: context.workspace } : {});
}

/**
 * `model: auto` in commit mode: the repository model in `repo-model` when its champion card says it beat the
 * default here (read from the base commit when committed), else the default jit. Says which and why.
 */
async function commitModeModel(
  inputs: ActionInputs,
  context: RunContext
): Promise<{ model: LoadedModel; trackRecordSection?: string } | undefined> {
  if (inputs.model !== 'auto' || modeOf(inputs) !== 'commits' || 'problem' in context.commits) return undefined;
  const { base, head } = context.commits.range;
  // RUNNER_TEMP may not exist yet (a runner creates it lazily; a self-hosted one may have cleaned it).
  const temp = context.runnerTemp ?? tmpdir();
  mkdirSync(temp, { recursive: true });
  const scratchDir = mkdtempSync(path.join(temp, 'patch-risk-repo-model-'));
  const choice = await resolveRepoModel({ workspace: context.workspace, dir: inputs.repoModel, base, head, scratchDir });
  if (!choice.use) {
    core.info(`patch-risk-gate: model auto: the default jit model (${plainText(choice.reason, 500)})`);
    return undefined;
  }
  const within = choice.readDir as string;
  const model = await loadModelByName(choice.onnxPath, undefined, { within });
  core.info(
    `patch-risk-gate: model auto: the repository model ${plainText(model.card.name)} ${model.card.version} from ${plainText(
      inputs.repoModel
    )} (${choice.from}); it beat the default on this repository`
  );
  return { model, trackRecordSection: trackRecordSection(path.join(within, 'track-record.json')) };
}

/** The one-line track record for the job summary, when the model folder has a saved one. */
function trackRecordSection(file: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const line = trackRecordLine(parseTrackRecord(JSON.parse(text), 'track-record.json'));
    return line === undefined ? undefined : `**Track record:** ${plainText(line, 500)}`;
  } catch (error) {
    core.warning(`track-record.json beside the repository model is not used: ${plainText((error as Error).message, 300)}`);
    return undefined;
  }
}

async function gate(inputs: ActionInputs, context: RunContext, cache: CacheService): Promise<void> {
  // One API client for the run, made on first use: every call shares its time budget.
  const api = runApiClient(inputs.token, context.apiUrl, apiLimitsFrom(process.env));
  const repoModel = await commitModeModel(inputs, context);
  const model = repoModel?.model ?? (await loadInputModel(inputs.model, inputs, context));
  const overridden = context.pullRequest?.labels.includes(inputs.overrideLabel) ?? false;
  const history = await restoreHistoryState(inputs, context, cache);
  const run = await runGate(gateInput(inputs, context, history), {
    model,
    threshold: inputs.threshold,
    idColumn: inputs.idColumn,
    qaCapacityHours: inputs.qaCapacityHours,
    failOn: inputs.failOn,
    overridden,
    explain: 'auto',
    alertBudget: inputs.alertBudget,
    mediumBudget: inputs.mediumBudget,
    reference: inputs.reference
  });
  if (history) await saveHistory(cache, history, cacheLog);
  const result = run.scored as ScoredPatches;
  const { decision, totals } = run;
  const blocking = blockingPatches(result.plan.patches, result.plan.byRank, decision);

  const letThrough = blocking.map((patch) => patch.id);
  writeOutputFiles(
    [
      { file: inputs.scoredFile, text: scoredCsv(result), what: 'the scored file (input scored-file)' },
      {
        file: inputs.reportFile,
        text: reportJson(result, reportInfo(inputs, context, run, letThrough)),
        what: 'the JSON report (beside scored-file)'
      }
    ],
    inputs.outputRoot
  );
  setStepOutputs({
    decision: decision.outcome,
    highRiskCount: totals.high,
    maxRisk: totals.max_risk,
    report: inputs.reportFile,
    scoredFile: inputs.scoredFile
  });

  const drift = driftReport(model.card, result.table, result.scores);
  if (drift.level !== 'ok')
    core.warning(`drift against ${plainText(model.card.name)} ${model.card.version}: ${plainText(drift.verdict, 500)}`);
  const driftSections = drift.level === 'ok' ? [] : [renderDriftMarkdown(drift)];
  const challengerSections = await challengerSection(inputs, context, run);

  annotate(
    run.commits
      ? commitAnnotations(result, new Map(run.commits.mined.map((row) => [row.commit, row.files])))
      : patchAnnotations(result, workspaceRelative(run.source, context))
  );
  const renderContext = await reportContext(inputs, context, run, overridden, api);
  await writeJobSummary(
    renderReport(result, {
      ...renderContext,
      maxChars: SUMMARY_MAX_CHARS,
      sections: [...(repoModel?.trackRecordSection ? [repoModel.trackRecordSection] : []), ...driftSections, ...challengerSections]
    })
  );
  await comment(
    renderReport(result, { ...renderContext, commentKey: inputs.commentKey, sections: driftSections }),
    totals.high + totals.medium > 0,
    inputs,
    context,
    api
  );
  await riskLabel(totals, inputs, context, api);

  const rows = run.commits ? 'commits' : 'patches';
  core.info(
    `patch-risk-gate: ${decision.outcome.toUpperCase()}: ${totals.high} High, ${totals.medium} Medium, ${totals.low} Low of ${totals.patches} ${rows}; ` +
      `max risk ${totals.max_risk.toFixed(3)} (model ${plainText(model.card.name)} ${model.card.version}, fail-on ${inputs.failOn}).`
  );
  if (decision.failsCheck) {
    const ids = blocking.map((patch) => (run.commits ? patch.id.slice(0, 7) : patch.id));
    core.setFailed(plainText(failureMessage(ids, run.commits ? 'commit' : 'patch', inputs), FAILURE_MAX_CHARS));
  }
  if (decision.outcome === 'overridden') {
    core.warning(`the gate failed but the PR carries the label "${plainText(inputs.overrideLabel)}": passing, and recording the override.`);
  }
}

function reportInfo(inputs: ActionInputs, context: RunContext, run: GateRun, letThrough: string[]) {
  return {
    patchesFile: run.source,
    ...(run.commits ? { commits: { range: run.commits.range, ignorePaths: inputs.ignorePaths } } : {}),
    decision: run.decision.outcome,
    failOn: inputs.failOn,
    overrideLabel: inputs.overrideLabel,
    overrideApplied: run.decision.outcome === 'overridden',
    letThrough: run.decision.outcome === 'overridden' ? letThrough : [],
    runUrl: context.runUrl,
    scoredFile: inputs.scoredFile
  };
}

/** What the comment and the summary share. */
async function reportContext(
  inputs: ActionInputs,
  context: RunContext,
  run: GateRun,
  overridden: boolean,
  api: (() => Promise<Octokit>) | undefined
): Promise<RenderContext> {
  const result = run.scored as ScoredPatches;
  const reviewers = run.commits ? await suggestedReviewers(result, run.commits.mined, inputs, context, api) : undefined;
  return {
    patchesFile: run.commits ? run.commits.rangeLabel : run.source,
    ...(run.commits ? { commits: { repoUrl: `${context.serverUrl}/${context.owner}/${context.repo}`, reviewers } } : {}),
    decision: run.decision,
    ...(overridden
      ? { override: { label: inputs.overrideLabel, by: context.addedLabel === inputs.overrideLabel ? context.sender : undefined } }
      : {}),
    runUrl: context.runUrl,
    idColumn: inputs.idColumn,
    fullReport: 'the job summary of the workflow run and its scored-file and report outputs'
  };
}

/**
 * The shadow model's comparison for the job summary: it scores the same
 * patches with its own card's threshold and never changes the decision, so
 * any problem with it is only a warning.
 */
async function challengerSection(inputs: ActionInputs, context: RunContext, run: GateRun): Promise<string[]> {
  if (inputs.challengerModel === undefined) return [];
  const result = run.scored as ScoredPatches;
  try {
    const challenger: LoadedModel = await loadInputModel(inputs.challengerModel, inputs, context);
    const options = { idColumn: inputs.idColumn, qaCapacityHours: inputs.qaCapacityHours };
    const shadow = run.commits
      ? await scoreTable(commitsToTable(run.commits.mined, { features: challenger.card.features, source: run.source }), challenger, options)
      : await scoreFile(run.source, challenger, options);
    return [renderChallengerMarkdown(compareChallenger(result, shadow))];
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

async function comment(
  body: string,
  atRisk: boolean,
  inputs: ActionInputs,
  context: RunContext,
  api: (() => Promise<Octokit>) | undefined
): Promise<void> {
  if (!context.pullRequest || inputs.comment === 'never') return;
  if (!api) {
    core.warning('no github-token: skipping the PR comment. The gate is unaffected.');
    return;
  }
  try {
    const octokit = await api();
    const target = { owner: context.owner, repo: context.repo, issueNumber: context.pullRequest.number };
    const outcome = await upsertComment(octokit, target, commentMarker(inputs.commentKey), body, inputs.comment === 'always' || atRisk);
    if (outcome.action === 'skipped') core.info('comment: on-risk and nothing at risk, no comment to update.');
    else core.info(`comment ${outcome.action}: ${plainText(outcome.url, 200)}`);
  } catch (error) {
    core.warning(plainText(commentFailureMessage(error), 2000));
  }
}

/** Keep the PR's one `risk: …` label in sync with the verdict; a failure is a warning only. */
async function riskLabel(
  totals: GateRun['totals'],
  inputs: ActionInputs,
  context: RunContext,
  api: (() => Promise<Octokit>) | undefined
): Promise<void> {
  if (!context.pullRequest || !inputs.riskLabel) return;
  const wanted = riskLabelFor(totals);
  if (!api) {
    core.warning(`no github-token: skipping the "${wanted.name}" label. The gate is unaffected.`);
    return;
  }
  try {
    const octokit = await api();
    const target = { owner: context.owner, repo: context.repo, issueNumber: context.pullRequest.number };
    const sync = await syncRiskLabel(octokit, target, wanted);
    const removed = sync.removed.length > 0 ? ` (removed ${sync.removed.map((name) => `"${plainText(name, 50)}"`).join(', ')})` : '';
    core.info(
      `label: "${sync.label}" ${sync.added ? `added${sync.created ? ', created in the repository' : ''}` : 'already set'}${removed}.`
    );
  } catch (error) {
    core.warning(plainText(labelFailureMessage(error, wanted.name), 2000));
  }
}
