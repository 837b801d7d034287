/** How well a loaded model does on a labelled table: metrics, curves and importance from its own trees. */
import { readFile } from 'node:fs/promises';
import { ModelError } from '../../core/errors.js';
import type { PatchTable } from '../../core/read.js';
import { coverFromData, onnxToEnsemble } from '../onnx/import.js';
import type { LoadedModel } from '../onnx/session.js';
import { evaluateTable, type Evaluation } from './evaluate.js';

export interface ModelEvaluation {
  evaluation: Evaluation;
  /** Where the node cover behind the importance came from, and the units of the contributions. */
  coverNote: string;
}

/** Score `table` (labelled) with the model and evaluate it at `threshold` (default: the card's High threshold). */
export async function evaluateModel(
  model: LoadedModel,
  table: PatchTable,
  threshold = model.card.thresholds.high
): Promise<ModelEvaluation> {
  const card = model.card;
  const n = table.ids.length;
  const scores = await model.score(table.features, n);
  const onnx = onnxToEnsemble(await readFile(model.onnxPath));
  if (onnx.ensemble.nFeatures !== card.features.length) {
    throw new ModelError(`${model.onnxPath}: the trees use ${onnx.ensemble.nFeatures} features but the card lists ${card.features.length}`);
  }
  // A model without stored cover (a user's ONNX file) is explained with cover counted on the evaluated rows.
  const ensemble = onnx.coverSource === 'none' ? coverFromData(onnx.ensemble, table.features, n) : onnx.ensemble;
  const units = onnx.postTransform === 'NONE' ? 'probability' : 'log-odds';
  const coverNote =
    (onnx.coverSource === 'none'
      ? 'The model file stores no node cover, so it was counted on the evaluated patches.'
      : 'Node cover from training.') + ` Contributions are in ${units} units.`;
  return { evaluation: evaluateTable(ensemble, table, scores, threshold), coverNote };
}
