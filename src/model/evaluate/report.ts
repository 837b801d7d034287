/**
 * The evaluation report: one self-contained HTML page (charts inlined as SVG,
 * no scripts, no network) plus each chart as its own SVG file. Charts are
 * vega-lite specs (report-charts.ts) compiled and rendered to SVG by vega in
 * Node, with no browser or canvas.
 */
import path from 'node:path';
import * as vega from 'vega';
import { compile } from 'vega-lite';
import type { ModelCard } from '../../core/card.js';
import { writeFileAtomic } from '../../core/files.js';
import type { Evaluation } from './evaluate.js';
import { CHART_NAMES, chartSpecs, type ChartName } from './report-charts.js';

export { CHART_NAMES, type ChartName } from './report-charts.js';

export interface ReportContext {
  card: ModelCard;
  /** The evaluated file as the user named it. */
  dataFile: string;
  /** When the report was made (ISO text). */
  createdAt: string;
  /** Where TreeSHAP's node cover came from, for the importance chart's note. */
  coverNote: string;
}

export interface EvaluationReport {
  html: string;
  svgs: Record<ChartName, string>;
}

const CAPTIONS: Record<ChartName, string> = {
  roc: 'True positive rate against false positive rate over all thresholds; the dot is the High threshold.',
  pr: 'Precision against recall over all thresholds; the dashed line is the base rate, the dot the High threshold.',
  calibration:
    'Mean predicted risk against the observed regression rate in 10 equal-width score bins (dot size: rows). On the diagonal = calibrated.',
  confusion: 'Patches by actual outcome and by whether the model put them at or above the High threshold.',
  histogram:
    'Risk scores of patches that caused a regression and of those that did not, each as a share of its class; the dashed line is the High threshold.',
  importance: 'Mean absolute TreeSHAP contribution to the log-odds over the evaluated patches.'
};

export async function renderSvg(spec: Parameters<typeof compile>[0]): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Prefix the SVG's ids (gradients, clip paths) so several charts can share one page. */
function scopeIds(svg: string, prefix: string): string {
  return svg.replace(/id="([^"]+)"/g, `id="${prefix}-$1"`).replace(/url\(#([^)]+)\)/g, `url(#${prefix}-$1)`);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

const fixed = (value: number, digits = 3): string => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');
const count = (value: number): string => value.toLocaleString('en-US');

function rows(pairs: [string, string][]): string {
  return pairs.map(([key, value]) => `<tr><th>${escapeHtml(key)}</th><td>${escapeHtml(value)}</td></tr>`).join('\n');
}

function metricsTable(e: Evaluation, card: ModelCard): string {
  const m = card.metrics;
  const line = (name: string, here: string, validation: string): string =>
    `<tr><th>${name}</th><td>${here}</td><td>${validation}</td></tr>`;
  return `<table class="metrics">
<tr><th></th><th>This data</th><th>Card (validation)</th></tr>
${line('Rows', count(e.rows), count(m.rows))}
${line('Base rate', fixed(e.baseRate), fixed(m.base_rate))}
${line('ROC-AUC', fixed(e.rocAuc), fixed(m.roc_auc))}
${line('PR-AUC (average precision)', fixed(e.prAuc), fixed(m.pr_auc))}
${line(`F1 at ${fixed(e.threshold)}`, fixed(e.confusion.f1), fixed(m.f1))}
${line('Precision', fixed(e.confusion.precision), fixed(m.precision))}
${line('Recall', fixed(e.confusion.recall), fixed(m.recall))}
${line('Brier score', fixed(e.brier, 4), fixed(m.brier, 4))}
${line('Log loss', fixed(e.logLoss, 4), '')}
${line('Expected calibration error', fixed(e.ece), '')}
</table>`;
}

function cardFacts(card: ModelCard): string {
  const params = Object.entries(card.training.params)
    .map(([key, value]) => `${key}=${value}`)
    .join(', ');
  const features = card.features
    .map((f) => `${f.name} (${f.type}${card.controllable.includes(f.name) ? ', controllable' : ''})`)
    .join(', ');
  return `<table class="card">
${rows([
  ['Model', `${card.name} ${card.version}`],
  ['Description', card.description],
  ['Created', card.created_at],
  ['File', `${card.onnx_file} (sha256 ${card.sha256})`],
  ['Input / output', `${card.input_name} float32[N, ${card.features.length}] → ${card.output_name}`],
  ['Features', features],
  ['Label / id column', `${card.label} / ${card.id_column}`],
  ['High threshold', `${fixed(card.thresholds.high)} (${card.thresholds.rule})`],
  ['Medium threshold', fixed(card.thresholds.medium)],
  [
    'Training rows',
    `${count(card.training.rows)} (${count(card.training.positives)} positive), ${count(card.training.validation_rows)} validation rows`
  ],
  ['Trees', String(card.training.trees)],
  ['Parameters', params],
  ['Training data', card.training.data],
  ['Provenance', card.training.provenance]
])}
</table>`;
}

const STYLE = `body{font-family:system-ui,sans-serif;margin:24px auto;max-width:1180px;color:#222;padding:0 16px}
h1{font-size:22px;margin-bottom:4px}h2{font-size:17px;margin-top:28px}
.sub{color:#555;margin-top:0}
.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(520px,1fr));gap:18px}
figure{margin:0;border:1px solid #ddd;border-radius:6px;padding:10px;background:#fff}
figure svg{max-width:100%;height:auto}figcaption{font-size:13px;color:#444;margin-top:6px}
table{border-collapse:collapse;font-size:14px}th,td{border-bottom:1px solid #e5e5e5;padding:5px 10px;text-align:left;vertical-align:top}
table.card th{white-space:nowrap;color:#444}table.card td{word-break:break-word}`;

export function evaluationHtml(e: Evaluation, context: ReportContext, svgs: Record<ChartName, string>): string {
  const { card } = context;
  const figures = CHART_NAMES.map(
    (name) => `<figure id="chart-${name}" data-chart="${name}">
${scopeIds(svgs[name], name)}
<figcaption>${escapeHtml(name === 'importance' ? `${CAPTIONS[name]} ${context.coverNote}` : CAPTIONS[name])} <a href="${name}.svg">${name}.svg</a></figcaption>
</figure>`
  ).join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(`Evaluation: ${card.name} ${card.version}`)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>Evaluation of ${escapeHtml(`${card.name} ${card.version}`)}</h1>
<p class="sub">${escapeHtml(`${context.dataFile}: ${count(e.rows)} patches, ${count(e.positives)} caused a regression (${fixed(e.baseRate * 100, 1)}%). High threshold ${fixed(e.threshold)}. Made ${context.createdAt}.`)}</p>
<h2>Metrics</h2>
${metricsTable(e, card)}
<h2>Charts</h2>
<div class="charts">
${figures}
</div>
<h2>Model card</h2>
${cardFacts(card)}
</body>
</html>
`;
}

export async function renderEvaluationReport(e: Evaluation, context: ReportContext): Promise<EvaluationReport> {
  const specs = chartSpecs(e);
  const svgs = {} as Record<ChartName, string>;
  for (const name of CHART_NAMES) svgs[name] = await renderSvg(specs[name]);
  return { html: evaluationHtml(e, context, svgs), svgs };
}

/**
 * Write index.html and <chart>.svg into dir (created if needed); returns the page's path. Each file is written
 * atomically (a failed run leaves no half-written file) and never through a symlink.
 */
export async function writeEvaluationReport(dir: string, report: EvaluationReport): Promise<string> {
  for (const name of CHART_NAMES) writeFileAtomic(path.join(dir, `${name}.svg`), report.svgs[name], 'the report chart');
  const page = path.join(dir, 'index.html');
  writeFileAtomic(page, report.html, 'the report page');
  return page;
}
