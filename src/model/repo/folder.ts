/**
 * A repository model folder (default `.patch-risk/model/`): every trained
 * version is written (vNNN.onnx + card, the card recording the comparison
 * with the default), and registry.json names a version champion only when it
 * beat the default. Which model commit mode uses (`model: auto`) is decided
 * from the champion's card alone: a repository model only when its card says
 * it beat the default, else the default.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { ModelCard } from '../../core/card.js';
import { readModelCard } from '../onnx/card-file.js';
import { writeModelVersion } from '../gbdt/train.js';
import {
  comparisonEntry,
  currentChampion,
  readRegistry,
  writeRegistry,
  type PromotionGates,
  type Registry
} from '../lifecycle/registry.js';
import type { RepoTraining } from './train.js';

/** Where commit mode looks for a repository model (input `repo-model`). */
export const DEFAULT_REPO_MODEL_DIR = '.patch-risk/model';

export interface WrittenRepoModel {
  onnxPath: string;
  cardPath: string;
  /** The new registry when the candidate was promoted; undefined when the champion is unchanged. */
  registry?: Registry;
}

/**
 * Write the candidate as the folder's next version, and make it champion in
 * registry.json only when it beat the default. `gates` are the ones it was
 * judged with (stored when the folder gets its first registry.json).
 */
export async function writeRepoModel(
  dir: string,
  training: RepoTraining,
  gates: PromotionGates,
  now = new Date()
): Promise<WrittenRepoModel> {
  const written = await writeModelVersion(dir, training.model);
  if (!training.beatDefault) return written;
  const previous = readRegistry(dir);
  const { candidate, baseline, comparison, holdout } = training.judgement;
  const registry: Registry = {
    champion: candidate.version,
    gates: previous?.gates ?? { ...gates },
    history: [
      ...(previous?.history ?? []),
      {
        version: candidate.version,
        date: now.toISOString(),
        metrics: {
          roc_auc: candidate.roc_auc,
          f1: candidate.f1,
          precision: candidate.precision,
          recall: candidate.recall,
          threshold: candidate.threshold,
          rows: candidate.rows,
          holdout,
          default_roc_auc: baseline?.roc_auc ?? null
        },
        reason: `trained on the repository's own history; ${training.decision}`,
        action: 'promoted',
        ...comparisonEntry(comparison, baseline)
      }
    ]
  };
  writeRegistry(dir, registry);
  return { ...written, registry };
}

/** What commit mode should use from a repository model folder. */
export type RepoModelChoice =
  { use: true; dir: string; version: string; onnxPath: string; card: ModelCard } | { use: false; dir: string; reason: string };

/**
 * The folder's champion when its card says it beat the default on this
 * repository; otherwise why not (no folder, no versions, not a repository
 * model, or it did not beat the default). A card that cannot be read is an
 * error: a committed model folder that is broken should be fixed, not skipped.
 */
export async function chooseRepoModel(dir: string): Promise<RepoModelChoice> {
  if (!existsSync(dir)) return { use: false, dir, reason: `no repository model at ${dir}` };
  const champion = currentChampion(dir);
  if (!champion) return { use: false, dir, reason: `${dir} has no model versions` };
  const cardPath = path.join(dir, `${champion.version}.card.json`);
  const card = await readModelCard(cardPath);
  const info = card.repository;
  if (!info)
    return { use: false, dir, reason: `${champion.version} in ${dir} was not trained by train-repo (its card has no repository section)` };
  if (!info.beat_default || !(info.comparison.interval[0] > 0)) {
    return {
      use: false,
      dir,
      reason: `${champion.version} in ${dir} did not beat the default ${info.comparison.default_model} on this repository (${info.decision})`
    };
  }
  return { use: true, dir, version: champion.version, onnxPath: path.join(dir, `${champion.version}.onnx`), card };
}

/** The footer line naming a repository model in use: its validation ROC-AUC here and the default's on the same commits. */
export function repoModelLine(card: ModelCard): string | undefined {
  const info = card.repository;
  if (!info) return undefined;
  const c = info.comparison;
  return (
    `Model: ${card.name} ${card.version}, trained on this repository's history (ROC-AUC ${c.candidate.roc_auc.toFixed(3)} on its newest ` +
    `${c.rows.toLocaleString('en-US')} labelled commits, where the default ${c.default_model} scored ${c.default.roc_auc.toFixed(3)}).`
  );
}
