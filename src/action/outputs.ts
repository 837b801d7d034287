/** The files and outputs a run leaves behind: scored CSV, JSON report, step outputs, job summary. */
import * as core from '@actions/core';
import { AtomicFile, scoredJsonRows, thresholdsJson, type GateOutcome, type ScoredPatches } from '../index.js';

export interface ReportInfo {
  patchesFile: string;
  decision: GateOutcome;
  failOn: string;
  overrideLabel: string;
  overrideApplied: boolean;
  letThrough: string[];
  runUrl?: string;
  scoredFile: string;
  /** Commit mode: the mined range and the paths left out of the metrics. */
  commits?: { range: { base: string; head: string }; ignorePaths: string[] };
}

/**
 * The JSON report: every scored row (with its shown reasons: phrase, strength, feature, value and SHAP value), the
 * thresholds in use and where they came from, the plan totals and the model card summary.
 */
export function reportJson(result: ScoredPatches, info: ReportInfo): string {
  const report = {
    input_file: info.patchesFile,
    decision: info.decision,
    fail_on: info.failOn,
    override: { label: info.overrideLabel, applied: info.overrideApplied, let_through: info.letThrough },
    ...(info.commits ? { commit_range: info.commits.range, ignore_paths: info.commits.ignorePaths } : {}),
    run_url: info.runUrl ?? null,
    scored_file: info.scoredFile,
    model: result.model,
    thresholds: thresholdsJson(result),
    totals: result.plan.totals,
    patches: scoredJsonRows(result)
  };
  return `${JSON.stringify(report, null, 2)}\n`;
}

export interface OutputFile {
  file: string;
  text: string;
  /** Names the output in errors, e.g. "the scored file (scored-file)". */
  what: string;
}

/**
 * The run's output files, never written through a symlink (see core/files.ts):
 * every destination is checked (and its folders below `root` created) before
 * any is written, so a refused report does not leave a scored file behind.
 */
export function writeOutputFiles(files: OutputFile[], root: string): void {
  const opened: AtomicFile[] = [];
  try {
    for (const output of files) opened.push(AtomicFile.open(output.file, output.what, { root }));
    files.forEach((output, i) => opened[i].write(output.text));
    for (const atomic of opened) atomic.commit();
  } catch (error) {
    for (const atomic of opened) atomic.abort();
    throw error;
  }
}

export interface StepOutputs {
  decision: GateOutcome;
  highRiskCount: number;
  maxRisk: number;
  report: string;
  scoredFile: string;
}

export function setStepOutputs(outputs: StepOutputs): void {
  core.setOutput('decision', outputs.decision);
  core.setOutput('high-risk-count', String(outputs.highRiskCount));
  core.setOutput('max-risk', outputs.maxRisk.toFixed(6));
  core.setOutput('report', outputs.report);
  core.setOutput('scored-file', outputs.scoredFile);
}

/** GitHub caps a step's summary at 1 MiB; characters * 4 bytes stays under it. */
export const SUMMARY_MAX_CHARS = 256 * 1024;

export async function writeJobSummary(markdown: string): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return;
  await core.summary.addRaw(markdown).write();
}
