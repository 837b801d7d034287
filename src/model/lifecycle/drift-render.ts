/** Drift reports as a plain-text table (CLI default) and as Markdown (PR comments, job summaries). */
import type { DriftLevel, DriftReport, ValueCheck } from './drift.js';
import { alignColumns } from '../../core/text.js';

const MARK: Record<DriftLevel, string> = { ok: 'ok', warn: '⚠️ warn', alert: '🚨 alert', 'n/a': 'n/a' };

function f4(value: number): string {
  return Number.isFinite(value) ? value.toFixed(4) : String(value);
}

function signed(value: number): string {
  return `${value >= 0 ? '+' : ''}${f4(value)}`;
}

function checkRows(report: DriftReport): { name: string; check: ValueCheck }[] {
  return [
    { name: 'high-risk share', check: report.high_share },
    ...(report.performance
      ? [
          { name: 'ROC-AUC (labels)', check: report.performance.roc_auc },
          { name: 'F1 (labels)', check: report.performance.f1 }
        ]
      : [])
  ];
}

export function renderDriftText(report: DriftReport): string {
  const featureRows = [
    ['feature', 'PSI', 'level', 'KS', 'level', 'mean (baseline)', 'mean (now)'],
    ...report.features.map((f) => [f.feature, f4(f.psi), f.psi_level, f4(f.ks), f.ks_level, f4(f.baseline_mean), f4(f.mean)])
  ];
  const otherRows = [
    ['check', 'baseline', 'now', 'change', 'level'],
    ...checkRows(report).map(({ name, check }) => [name, f4(check.baseline), f4(check.now), signed(check.change), check.level])
  ];
  return (
    [
      `drift of ${report.rows} rows against ${report.model.name} ${report.model.version}`,
      '',
      ...alignColumns(featureRows),
      '',
      ...alignColumns(otherRows),
      '',
      `overall: ${report.level} — ${report.verdict}`
    ].join('\n') + '\n'
  );
}

export function renderDriftMarkdown(report: DriftReport): string {
  const lines = [
    `### Drift against ${report.model.name} ${report.model.version}`,
    '',
    `**${MARK[report.level]}** — ${report.verdict} (${report.rows} rows)`,
    '',
    '| feature | PSI | | KS | | mean (baseline) | mean (now) |',
    '|---|---:|---|---:|---|---:|---:|',
    ...report.features.map(
      (f) =>
        `| ${f.feature} | ${f4(f.psi)} | ${MARK[f.psi_level]} | ${f4(f.ks)} | ${MARK[f.ks_level]} | ${f4(f.baseline_mean)} | ${f4(f.mean)} |`
    ),
    '',
    '| check | baseline | now | change | |',
    '|---|---:|---:|---:|---|',
    ...checkRows(report).map(
      ({ name, check }) => `| ${name} | ${f4(check.baseline)} | ${f4(check.now)} | ${signed(check.change)} | ${MARK[check.level]} |`
    )
  ];
  return lines.join('\n') + '\n';
}
