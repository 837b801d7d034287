import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseModelCard } from '../../src/core/card.js';
import type { PatchTable } from '../../src/core/read.js';
import { FIRMWARE_SCHEMA } from '../../src/core/schema.js';
import { predictProbabilities } from '../../src/model/gbdt/ensemble.js';
import {
  calibration,
  evaluateScores,
  evaluateTable,
  prCurve,
  rocCurve,
  scoreHistogram,
  thinPoints
} from '../../src/model/evaluate/evaluate.js';
import { trainGbdt } from '../../src/model/gbdt/boost.js';
import { generateFirmwarePatches } from '../../src/model/data/generate.js';
import { CHART_NAMES, renderEvaluationReport, renderSvg, writeEvaluationReport } from '../../src/model/evaluate/report.js';

const CHECK = path.resolve('scripts/check-report.mjs');
const BIN = path.resolve('lib/cli/bin.js');
const tmp = mkdtempSync(path.join(tmpdir(), 'prg-report-'));

function node(args: string[]) {
  const result = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: 300000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('evaluation computations', () => {
  const scores = [0.9, 0.8, 0.8, 0.3, 0.1];
  const labels = [1, 0, 1, 0, 0];

  it('ROC curve: from (0,0) to (1,1), one point per distinct score', () => {
    expect(rocCurve(scores, labels).map(({ fpr, tpr }) => [fpr, tpr])).toEqual([
      [0, 0],
      [0, 0.5],
      [1 / 3, 1],
      [2 / 3, 1],
      [1, 1]
    ]);
  });

  it('precision-recall curve and calibration error', () => {
    expect(prCurve(scores, labels).map(({ recall, precision }) => [recall, precision])).toEqual([
      [0.5, 1],
      [1, 2 / 3],
      [1, 0.5],
      [1, 0.4]
    ]);
    const { bins, ece } = calibration([0.05, 0.15, 0.95, 0.95], [0, 1, 1, 0], 10);
    expect(bins.map((b) => [b.lower, b.count, b.observed])).toEqual([
      [0, 1, 0],
      [0.1, 1, 1],
      [0.9, 2, 0.5]
    ]);
    // (1/4)|0.05 - 0| + (1/4)|0.15 - 1| + (2/4)|0.95 - 0.5|
    expect(ece).toBeCloseTo(0.0125 + 0.2125 + 0.225, 12);
  });

  it('histograms count each class, curves are thinned keeping both ends', () => {
    const bins = scoreHistogram([0, 0.04, 0.5, 1], [0, 1, 1, 0], 20);
    expect(bins[0]).toMatchObject({ negatives: 1, positives: 1 });
    expect(bins[10]).toMatchObject({ negatives: 0, positives: 1 });
    expect(bins[19]).toMatchObject({ negatives: 1, positives: 0 });
    const thinned = thinPoints(
      Array.from({ length: 1000 }, (_, i) => i),
      50
    );
    expect(thinned).toHaveLength(50);
    expect([thinned[0], thinned[49]]).toEqual([0, 999]);
  });

  it('the confusion matrix and summary metrics use the threshold', () => {
    const e = evaluateScores(scores, labels, 0.8, []);
    expect(e.confusion).toMatchObject({ tp: 2, fp: 1, fn: 0, tn: 2 });
    expect(e.rocAuc).toBeCloseTo(5.5 / 6, 12);
    expect(e.baseRate).toBeCloseTo(0.4, 12);
  });
});

describe('evaluation report', () => {
  const names = FIRMWARE_SCHEMA.features.map((f) => f.name);
  const nf = names.length;
  const patches = generateFirmwarePatches(3000, 21);
  const X = new Float32Array(patches.length * nf);
  patches.forEach((p, r) => names.forEach((name, f) => (X[r * nf + f] = p[name as keyof typeof p] as number)));
  const y = Uint8Array.from(patches, (p) => p.high_risk_flag);
  const { ensemble } = trainGbdt({ X, y, nRows: patches.length, nFeatures: nf }, { nTrees: 40, maxDepth: 4, earlyStoppingRounds: 0 });
  const table = { file: 'patches.csv', ids: patches.map((p) => p.patch_id), featureNames: names, features: X, labels: y } as PatchTable;
  const scores = predictProbabilities(ensemble, X, patches.length);
  const card = parseModelCard(
    {
      card_version: 1,
      name: 'firmware',
      version: 'v001',
      description: 'test model',
      created_at: '2026-01-01T00:00:00Z',
      onnx_file: 'v001.onnx',
      sha256: '0'.repeat(64),
      input_name: 'features',
      output_name: 'probability',
      id_column: 'patch_id',
      label: 'high_risk_flag',
      features: FIRMWARE_SCHEMA.features,
      controllable: FIRMWARE_SCHEMA.controllable,
      thresholds: { high: 0.4, medium: 0.2, rule: 'test <script>' },
      metrics: { roc_auc: 0.8, pr_auc: 0.5, f1: 0.5, precision: 0.5, recall: 0.5, brier: 0.1, base_rate: 0.2, rows: 1000 },
      training: {
        rows: 2000,
        positives: 400,
        validation_rows: 500,
        trees: 40,
        params: { maxDepth: 4 },
        data: 'generated',
        provenance: 'test'
      },
      baseline: { features: {}, high_share: 0.1, score_quantiles: [] }
    },
    'test card'
  );
  const evaluation = evaluateTable(ensemble, table, scores, 0.4);

  it('ranks features by mean |SHAP| computed from the ensemble', () => {
    expect(evaluation.importance).toHaveLength(nf);
    expect(evaluation.importance[0].meanAbsShap).toBeGreaterThan(evaluation.importance[nf - 1].meanAbsShap);
    expect(evaluation.importance.slice(0, 3).map((i) => i.feature)).toContain('lines_changed');
  });

  it('writes a page and six SVG charts that pass the check (files always, Chromium when installed)', async () => {
    const report = await renderEvaluationReport(evaluation, {
      card,
      dataFile: 'patches.csv',
      createdAt: '2026-01-02T00:00:00Z',
      coverNote: 'Node cover from training.'
    });
    const dir = path.join(tmp, 'good');
    const page = await writeEvaluationReport(dir, report);
    const html = readFileSync(page, 'utf8');
    expect(html).toContain('test &lt;script&gt;');
    expect(html).not.toContain('<script');
    expect(html).toContain(`AUC ${evaluation.rocAuc.toFixed(3)}`);
    expect(html).toContain(`ECE ${evaluation.ece.toFixed(3)}`);
    for (const name of CHART_NAMES) expect(readFileSync(path.join(dir, `${name}.svg`), 'utf8')).toMatch(/^<svg/);
    const check = node([CHECK, dir]);
    expect(check.stderr).toBe('');
    expect(check.code).toBe(0);
    expect(check.stdout).toContain('files: 6 charts with data, each shown on index.html');
    expect(check.stdout).toMatch(/browser: (Chromium shows all 6 charts; screenshot .*screenshot\.png|skipped, chromium is not installed)/);
  });

  it('the check fails when a chart is empty or missing from the page', async () => {
    const report = await renderEvaluationReport(evaluation, {
      card,
      dataFile: 'patches.csv',
      createdAt: '2026-01-02T00:00:00Z',
      coverNote: ''
    });
    const dir = path.join(tmp, 'bad');
    const page = await writeEvaluationReport(dir, report);
    // An ROC chart drawn from no points, and a page without the histogram figure.
    const empty = await renderSvg({
      data: { values: [] },
      name: 'data',
      mark: 'line',
      encoding: { x: { field: 'fpr', type: 'quantitative' }, y: { field: 'tpr', type: 'quantitative' } }
    });
    writeFileSync(path.join(dir, 'roc.svg'), empty);
    writeFileSync(page, readFileSync(page, 'utf8').replace(/<figure id="chart-histogram"[\s\S]*?<\/figure>/, ''));
    const check = node([CHECK, dir]);
    expect(check.code).toBe(1);
    expect(check.stderr).toContain('roc: roc.svg draws no data');
    expect(check.stderr).toContain('histogram: index.html does not show the chart');
  });
});

describe('patch-risk evaluate (built CLI, shipped firmware model)', () => {
  it('prints the metrics and writes a report that passes the check', () => {
    const data = path.join(tmp, 'labelled.csv');
    expect(node([BIN, 'generate', '--rows', '2000', '--seed', '3', '--out', data]).code).toBe(0);
    const dir = path.join(tmp, 'cli-report');
    const run = node([BIN, 'evaluate', data, '--model', 'firmware', '--report', dir]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^evaluated 2,000 patches of .*labelled\.csv with firmware v\d{3}\n {2}ROC-AUC 0\.\d{3}/);
    expect(run.stdout).toContain(`report: ${path.join(dir, 'index.html')}`);
    expect(node([CHECK, dir]).code).toBe(0);
  });

  it('refuses data without the label column (exit 2, one line naming the column)', () => {
    const data = path.join(tmp, 'unlabelled.csv');
    writeFileSync(data, `${['patch_id', ...FIRMWARE_SCHEMA.features.map((f) => f.name)].join(',')}\nP1,0.5,1,100,2,300,0,0\n`);
    const run = node([BIN, 'evaluate', data, '--model', 'firmware']);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`error: ${data}: missing required column: high_risk_flag\n`);
  });
});
