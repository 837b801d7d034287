/**
 * The model a promoted repository recipe ships: the validated recipe (same
 * parameters, same pooling ratio) trained again on every commit of the
 * training period. The validation commits are the newest ones, the most like
 * the commits the model will score, so leaving them out of the shipped model
 * would throw away what matters most under drift; the card's metrics and
 * comparison stay those of the held-out validation (a model trained without
 * those commits), which is what the gate judged.
 */
import type { ModelCard } from '../../core/card.js';
import { sha256Hex } from '../onnx/hash.js';
import { ensembleToOnnx } from '../onnx/export.js';
import { trainGbdt, type Dataset, type GbdtParams } from '../gbdt/boost.js';
import { INPUT_NAME, OUTPUT_NAME, type TrainedModel } from '../gbdt/train.js';
import { featureBaseline } from '../lifecycle/baseline.js';

function column(data: Dataset, feature: number): Float64Array {
  const values = new Float64Array(data.nRows);
  for (let i = 0; i < data.nRows; i++) values[i] = data.X[i * data.nFeatures + feature];
  return values;
}

/** Train `validated`'s recipe on `rows` (every commit of the period, pooled rows first) and swap it into the card. */
export function refitOnPeriod(validated: TrainedModel, rows: Dataset, params: Partial<GbdtParams>): TrainedModel {
  const started = performance.now();
  const { ensemble } = trainGbdt(rows, params);
  const seconds = (performance.now() - started) / 1000;
  const card = validated.card;
  const onnx = ensembleToOnnx(ensemble, {
    inputName: INPUT_NAME,
    outputName: OUTPUT_NAME,
    producer: 'patch-risk-gate',
    docString: `${card.name} ${card.version}: gradient-boosted trees, probability of a regression`
  });
  const refitCard: ModelCard = {
    ...card,
    sha256: sha256Hex(onnx),
    training: {
      ...card.training,
      rows: rows.nRows,
      positives: rows.y.reduce((sum, label) => sum + label, 0),
      trees: ensemble.trees.length,
      params: { ...card.training.params, refit: 'the validated recipe trained again on every commit of the period' },
      seconds: Math.round((card.training.seconds ?? 0) * 1000 + seconds * 1000) / 1000
    },
    baseline: {
      ...card.baseline,
      features: Object.fromEntries(card.features.map((feature, f) => [feature.name, featureBaseline(column(rows, f))]))
    }
  };
  return { card: refitCard, onnx, ensemble, validationRows: validated.validationRows };
}
