/**
 * Retraining: order the data in time, train the next version on the older
 * part, judge it against the champion on the newest part, and add it to the
 * folder only when the promotion gates pass (a blocked candidate is never
 * written into the folder).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { InputError } from '../../core/errors.js';
import { tableFromRaw, type RawTable } from '../../core/read.js';
import { sortByTime, splitNewest } from '../data/split.js';
import { readModelCard } from '../onnx/card-file.js';
import { loadModel } from '../onnx/session.js';
import type { Schema } from '../../core/schema.js';
import { evaluatePromotion, promotionReason, recordPromotion, type Promotion } from './promote.js';
import { championVersion, nextVersion, type PromotionGates } from './registry.js';
import { chooseSchema, trainModel, writeModelVersion, type TrainedModel } from '../gbdt/train.js';

/** A numeric time column (e.g. epoch seconds of mined commits) orders the rows; it is never a feature. */
function withoutColumn(schema: Schema, column: string | undefined): Schema {
  return column === undefined ? schema : { ...schema, features: schema.features.filter((feature) => feature.name !== column) };
}

export interface RetrainOptions {
  /** Share of the newest rows held out to judge candidate and champion. */
  holdoutFraction: number;
  timeColumn?: string;
  seed: number;
  /** Label column when the folder has no champion yet (else the champion's). */
  label: string;
  idColumn: string;
  gates?: Partial<PromotionGates>;
  now?: Date;
}

export interface RetrainResult {
  candidate: TrainedModel;
  trainRows: number;
  holdoutRows: number;
  promotion: Promotion;
}

/** Retrain the folder's model on `raw` (from `file`) and promote the candidate through the gates. */
export async function retrainModel(dir: string, raw: RawTable, file: string, options: RetrainOptions): Promise<RetrainResult> {
  const ordered = options.timeColumn ? sortByTime(raw, options.timeColumn, file) : raw;
  const { older, newest } = splitNewest(ordered, options.holdoutFraction);
  if (older.rows.length < 20)
    throw new InputError(
      file,
      `only ${older.rows.length} rows to train on after holding out the newest ${newest.rows.length}; retraining needs more data`
    );
  const championName = championVersion(dir);
  const championCard = championName === undefined ? undefined : await readModelCard(path.join(dir, `${championName}.card.json`));
  const schema: Schema = championCard
    ? {
        features: championCard.features,
        label: championCard.label,
        idColumn: championCard.id_column,
        controllable: championCard.controllable
      }
    : withoutColumn(chooseSchema(older, file, options.label, options.idColumn), options.timeColumn);
  const table = tableFromRaw(file, older, {
    features: schema.features,
    idColumn: schema.idColumn,
    label: schema.label,
    requireLabel: true
  });
  const version = nextVersion(dir);
  const name = championCard?.name ?? path.basename(path.resolve(dir));
  const dataName = path.basename(file);
  const candidate = trainModel(
    table,
    schema,
    {
      name,
      description: championCard?.description,
      validationFraction: 0.2,
      split: 'time',
      seed: options.seed,
      data: dataName,
      provenance: `patch-risk retrain ${dataName} --dir ${dir}: trained on the ${older.rows.length} oldest rows${
        options.timeColumn ? ` by ${options.timeColumn}` : ' in file order'
      }, judged on the newest ${newest.rows.length} (seed ${options.seed})`,
      controllable: schema.controllable
    },
    version,
    options.now
  );

  // The candidate is judged from a scratch folder, so a blocked one never enters the model folder.
  const scratch = await mkdtemp(path.join(tmpdir(), 'patch-risk-retrain-'));
  try {
    const written = await writeModelVersion(scratch, candidate);
    const promotion = await evaluatePromotion(
      dir,
      await loadModel(written.onnxPath),
      { raw: newest, name: `${dataName} (newest ${newest.rows.length} rows)` },
      options.gates
    );
    if (promotion.passed) {
      await writeModelVersion(dir, candidate);
      recordPromotion(
        promotion,
        `retrained on the ${older.rows.length} oldest rows of ${dataName}; ${promotionReason(promotion)}`,
        options.now
      );
    }
    return { candidate, trainRows: older.rows.length, holdoutRows: newest.rows.length, promotion };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
