/**
 * The evaluation report (HTML with vega charts), loaded only when asked for:
 * vega is large, and nothing else in the library needs it.
 */
import type { Evaluation } from '../model/evaluate/evaluate.js';
import type { EvaluationReport, ReportContext } from '../model/evaluate/report.js';

export type { EvaluationReport, ReportContext };

/** Render the report's charts (SVG) and page for an evaluation. */
export async function renderEvaluationReport(evaluation: Evaluation, context: ReportContext): Promise<EvaluationReport> {
  return (await import('../model/evaluate/report.js')).renderEvaluationReport(evaluation, context);
}

/** Write index.html and one SVG per chart into `dir`; returns the page's path. */
export async function writeEvaluationReport(dir: string, report: EvaluationReport): Promise<string> {
  return (await import('../model/evaluate/report.js')).writeEvaluationReport(dir, report);
}
