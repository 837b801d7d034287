/** `evaluate-jit` results as a plain-text table, Markdown or JSON. */
import type { GbdtParams } from '../gbdt/boost.js';
import { PUBLISHED_METHODS, type CalibrationRow, type ProjectEvaluation } from './eval.js';
import { alignColumns } from '../../core/text.js';

export interface JitReport {
  data: string;
  params: Partial<GbdtParams>;
  evaluation: ProjectEvaluation[];
  calibration?: CalibrationRow[];
}

export type JitReportFormat = 'text' | 'json' | 'markdown';

function f4(value: number | undefined): string {
  return value === undefined ? '—' : Number.isFinite(value) ? value.toFixed(4) : String(value);
}

function signed(value: number | undefined): string {
  return value === undefined ? '—' : `${value >= 0 ? '+' : ''}${value.toFixed(4)}`;
}

function pct(value: number): string {
  return `${(100 * value).toFixed(1)}%`;
}

function evaluationRows(report: JitReport): string[][] {
  return [
    ['project', 'train', 'test', 'test bug rate', 'ours', ...PUBLISHED_METHODS, 'best published', 'ours - best'],
    ...report.evaluation.map((e) => [
      e.project,
      String(e.trainRows),
      String(e.testRows),
      pct(e.testBugRate),
      f4(e.rocAuc),
      ...PUBLISHED_METHODS.map((m) => f4(e.published?.[m])),
      f4(e.bestPublished),
      signed(e.margin)
    ])
  ];
}

function calibrationRows(rows: CalibrationRow[]): string[][] {
  return [
    ['held-out project', 'train rows', 'test rows', 'train bug rate', 'observed bug rate', 'mean predicted', 'ROC-AUC', 'Brier', 'ECE'],
    ...rows.map((c) => [
      c.project,
      String(c.trainRows),
      String(c.testRows),
      pct(c.trainBugRate),
      pct(c.observedBugRate),
      pct(c.meanPredicted),
      f4(c.rocAuc),
      f4(c.brier),
      f4(c.ece)
    ])
  ];
}

function paramsLine(params: Partial<GbdtParams>): string {
  return Object.entries(params)
    .map(([key, value]) => `${key} ${value}`)
    .join(', ');
}

function verdict(report: JitReport): string {
  const compared = report.evaluation.filter((e) => e.margin !== undefined);
  if (compared.length === 0) return 'no published figures for these projects';
  const below = compared.filter((e) => (e.margin as number) < 0).map((e) => e.project);
  return below.length === 0
    ? `at or above the best published ROC-AUC on ${compared.length === 1 ? 'the one project' : `all ${compared.length} projects`}`
    : `below the best published ROC-AUC on: ${below.join(', ')}`;
}

const PROTOCOL = 'ROC-AUC on the newest 20% of each project, trained on the older 80% (rows in time order).';
const CALIBRATION_NOTE =
  'Leave one project out: trained on all rows of the other projects, tested on every row of the held-out one. ECE: 10 equal-width bins.';

export function renderJitText(report: JitReport): string {
  const lines = [
    `JIT evaluation on ${report.data}`,
    PROTOCOL,
    `params: ${paramsLine(report.params)}`,
    '',
    ...alignColumns(evaluationRows(report)),
    '',
    verdict(report)
  ];
  if (report.calibration)
    lines.push('', 'Calibration on an unseen repository', CALIBRATION_NOTE, '', ...alignColumns(calibrationRows(report.calibration)));
  return lines.join('\n') + '\n';
}

function markdownTable(rows: string[][], numericFrom: number): string[] {
  const [head, ...body] = rows;
  return [
    `| ${head.join(' | ')} |`,
    `|${head.map((_, i) => (i >= numericFrom ? '---:' : '---')).join('|')}|`,
    ...body.map((row) => `| ${row.join(' | ')} |`)
  ];
}

export function renderJitMarkdown(report: JitReport): string {
  const lines = [
    `${PROTOCOL} Parameters: ${paramsLine(report.params)}.`,
    '',
    ...markdownTable(evaluationRows(report), 1),
    '',
    `Result: ${verdict(report)}.`
  ];
  if (report.calibration) lines.push('', CALIBRATION_NOTE, '', ...markdownTable(calibrationRows(report.calibration), 1));
  return lines.join('\n') + '\n';
}

export function renderJitReport(report: JitReport, format: JitReportFormat): string {
  if (format === 'json') return `${JSON.stringify(report, null, 2)}\n`;
  return format === 'markdown' ? renderJitMarkdown(report) : renderJitText(report);
}
