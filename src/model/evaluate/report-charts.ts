/**
 * The evaluation report's charts as vega-lite specs. Each chart's main data
 * layer is named "data" (its SVG group gets the class data_marks), so a check
 * can tell drawn data from axes and reference lines.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { Evaluation } from './evaluate.js';

export const CHART_NAMES = ['roc', 'pr', 'calibration', 'confusion', 'histogram', 'importance'] as const;
export type ChartName = (typeof CHART_NAMES)[number];

const WIDTH = 340;
const HEIGHT = 280;
const MAIN = '#1f5fa8';
const REFERENCE = '#9a9a9a';
const OPERATING = '#d9480f';

const unit = { type: 'quantitative' as const, scale: { domain: [0, 1] } };

function base(title: string): Partial<TopLevelSpec> {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: title, anchor: 'start', fontSize: 14 },
    width: WIDTH,
    height: HEIGHT,
    background: 'white',
    config: { font: 'sans-serif', axis: { labelFontSize: 11, titleFontSize: 12 }, legend: { labelFontSize: 11, titleFontSize: 12 } }
  };
}

function diagonal(): object {
  return {
    data: {
      values: [
        { x: 0, y: 0 },
        { x: 1, y: 1 }
      ]
    },
    mark: { type: 'line', strokeDash: [4, 4], color: REFERENCE },
    encoding: { x: { field: 'x', ...unit }, y: { field: 'y', ...unit } }
  };
}

function roc(e: Evaluation): TopLevelSpec {
  const c = e.confusion;
  const operating = { fpr: c.fp + c.tn > 0 ? c.fp / (c.fp + c.tn) : 0, tpr: c.recall };
  return {
    ...base(`ROC curve — AUC ${e.rocAuc.toFixed(3)}`),
    layer: [
      diagonal(),
      {
        name: 'data',
        data: { values: e.roc.map((p, i) => ({ ...p, i })) },
        mark: { type: 'line', color: MAIN, strokeWidth: 2 },
        encoding: {
          x: { field: 'fpr', ...unit, title: 'False positive rate' },
          y: { field: 'tpr', ...unit, title: 'True positive rate (recall)' },
          order: { field: 'i' }
        }
      },
      {
        data: { values: [operating] },
        mark: { type: 'point', filled: true, size: 80, color: OPERATING },
        encoding: { x: { field: 'fpr', ...unit }, y: { field: 'tpr', ...unit } }
      }
    ]
  } as TopLevelSpec;
}

function pr(e: Evaluation): TopLevelSpec {
  return {
    ...base(`Precision-recall — average precision ${e.prAuc.toFixed(3)}`),
    layer: [
      {
        data: { values: [{ base: e.baseRate }] },
        mark: { type: 'rule', strokeDash: [4, 4], color: REFERENCE },
        encoding: { y: { field: 'base', ...unit } }
      },
      {
        name: 'data',
        data: { values: e.pr.map((p, i) => ({ ...p, i })) },
        mark: { type: 'line', color: MAIN, strokeWidth: 2 },
        encoding: {
          x: { field: 'recall', ...unit, title: 'Recall' },
          y: { field: 'precision', ...unit, title: 'Precision' },
          order: { field: 'i' }
        }
      },
      {
        data: { values: [{ recall: e.confusion.recall, precision: e.confusion.precision }] },
        mark: { type: 'point', filled: true, size: 80, color: OPERATING },
        encoding: { x: { field: 'recall', ...unit }, y: { field: 'precision', ...unit } }
      }
    ]
  };
}

function calibration(e: Evaluation): TopLevelSpec {
  const encoding = {
    x: { field: 'predicted', ...unit, title: 'Mean predicted risk' },
    y: { field: 'observed', ...unit, title: 'Observed regression rate' }
  };
  return {
    ...base(`Calibration — ECE ${e.ece.toFixed(3)}`),
    layer: [
      diagonal(),
      { data: { values: e.calibration }, mark: { type: 'line', color: MAIN }, encoding },
      {
        name: 'data',
        data: { values: e.calibration },
        mark: { type: 'point', filled: true, color: MAIN },
        encoding: {
          ...encoding,
          size: { field: 'count', type: 'quantitative', title: 'Rows', scale: { type: 'sqrt', range: [20, 400], zero: false } }
        }
      }
    ]
  } as TopLevelSpec;
}

function confusion(e: Evaluation): TopLevelSpec {
  const c = e.confusion;
  const cells = [
    { actual: 'regression', predicted: 'High', count: c.tp },
    { actual: 'regression', predicted: 'not High', count: c.fn },
    { actual: 'no regression', predicted: 'High', count: c.fp },
    { actual: 'no regression', predicted: 'not High', count: c.tn }
  ];
  const axes = {
    x: { field: 'predicted', type: 'nominal', sort: ['High', 'not High'], title: 'Predicted', axis: { labelAngle: 0 } },
    y: { field: 'actual', type: 'nominal', sort: ['regression', 'no regression'], title: 'Actual' }
  };
  return {
    ...base(`Confusion matrix at threshold ${c.threshold.toFixed(3)}`),
    data: { values: cells },
    width: 260,
    height: 200,
    layer: [
      {
        name: 'data',
        mark: { type: 'rect', stroke: 'white' },
        encoding: { ...axes, color: { field: 'count', type: 'quantitative', scale: { scheme: 'blues' }, title: 'Patches' } }
      },
      {
        mark: { type: 'text', fontSize: 16, fontWeight: 'bold' },
        encoding: {
          ...axes,
          text: { field: 'count', type: 'quantitative', format: ',' },
          color: { condition: { test: `datum.count > ${Math.max(c.tp, c.fn, c.fp, c.tn) / 2}`, value: 'white' }, value: 'black' }
        }
      }
    ]
  } as TopLevelSpec;
}

function histogram(e: Evaluation): TopLevelSpec {
  const negatives = e.rows - e.positives;
  const values = e.histogram.flatMap((b) => [
    { lower: b.lower, upper: b.upper, class: 'no regression', share: negatives > 0 ? b.negatives / negatives : 0 },
    { lower: b.lower, upper: b.upper, class: 'regression', share: e.positives > 0 ? b.positives / e.positives : 0 }
  ]);
  return {
    ...base('Score histograms per class'),
    layer: [
      {
        name: 'data',
        data: { values },
        mark: { type: 'bar', opacity: 0.55, binSpacing: 0 },
        encoding: {
          x: { field: 'lower', ...unit, title: 'Risk score' },
          x2: { field: 'upper' },
          y: { field: 'share', type: 'quantitative', stack: null, title: 'Share of the class', axis: { format: '%' } },
          y2: { datum: 0 },
          color: {
            field: 'class',
            type: 'nominal',
            scale: { domain: ['no regression', 'regression'], range: [MAIN, OPERATING] },
            title: 'Actual'
          }
        }
      },
      {
        data: { values: [{ threshold: e.threshold }] },
        mark: { type: 'rule', strokeDash: [4, 4], color: '#333' },
        encoding: { x: { field: 'threshold', ...unit } }
      }
    ]
  };
}

function importance(e: Evaluation): TopLevelSpec {
  return {
    ...base('Global feature importance — mean |SHAP|'),
    height: { step: 24 },
    data: { values: e.importance },
    name: 'data',
    mark: { type: 'bar', color: MAIN },
    encoding: {
      y: { field: 'feature', type: 'nominal', sort: '-x', title: null },
      x: { field: 'meanAbsShap', type: 'quantitative', title: 'Mean |SHAP value| (log-odds)' }
    }
  };
}

export function chartSpecs(e: Evaluation): Record<ChartName, TopLevelSpec> {
  return {
    roc: roc(e),
    pr: pr(e),
    calibration: calibration(e),
    confusion: confusion(e),
    histogram: histogram(e),
    importance: importance(e)
  };
}
