/**
 * Promotion: score a candidate version and the folder's champion (the one
 * currentChampion names) on the same labelled holdout and make the candidate
 * the champion only when the gate (gate.ts) passes. Evaluating never writes;
 * recordPromotion is the only write, and a blocked promotion never reaches it.
 */
import path from 'node:path';
import { ModelError } from '../../core/errors.js';
import { tableFromRaw, type RawTable } from '../../core/read.js';
import { loadModel, type LoadedModel } from '../onnx/session.js';
import { judgeCandidate, renderJudgement, type CandidateJudgement, type HoldoutMetrics, type ScoredModel } from './gate.js';
import {
  DEFAULT_GATES,
  comparisonEntry,
  currentChampion,
  describeChampion,
  listVersions,
  readRegistry,
  writeRegistry,
  type Champion,
  type PromotionGates,
  type Registry,
  type RegistryEntry
} from './registry.js';

/** Labelled rows to judge versions on, with the name shown in outputs and the registry. */
export interface Holdout {
  raw: RawTable;
  name: string;
}

/** A candidate judged against the folder's champion (`baseline`, absent when there is nothing to compare with). */
export interface Promotion extends CandidateJudgement {
  dir: string;
  /**
   * The folder's champion before this promotion, as currentChampion names it
   * (undefined in a folder with no version yet). When it is the candidate
   * itself (served as the newest version, no registry.json yet), promoting
   * records it without a comparison.
   */
  previous?: Champion;
}

/** One loaded version's scores and labels on the holdout (read against its own card's features and label). */
export async function scoreOnHoldout(model: LoadedModel, holdout: Holdout): Promise<ScoredModel & { labels: Uint8Array; label: string }> {
  const card = model.card;
  const table = tableFromRaw(holdout.name, holdout.raw, {
    features: card.features,
    idColumn: card.id_column,
    label: card.label,
    requireLabel: true
  });
  const scores = await model.score(table.features, table.ids.length);
  return { version: card.version, scores, threshold: card.thresholds.high, labels: table.labels as Uint8Array, label: card.label };
}

function sameLabels(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((label, i) => label === b[i]);
}

/** Judge a loaded candidate against the folder's champion; writes nothing. */
export async function evaluatePromotion(
  dir: string,
  candidate: LoadedModel,
  holdout: Holdout,
  overrides: Partial<PromotionGates> = {}
): Promise<Promotion> {
  const registry = readRegistry(dir);
  const previous = currentChampion(dir, registry);
  const version = candidate.card.version;
  if (previous?.recorded && previous.version === version) throw new ModelError(`${dir}: ${version} is already the champion`);
  const gates = { ...(registry?.gates ?? DEFAULT_GATES), ...definedOnly(overrides) };
  const scored = await scoreOnHoldout(candidate, holdout);
  const compareWith = previous && previous.version !== version ? previous.version : undefined;
  const champion =
    compareWith === undefined ? undefined : await scoreOnHoldout(await loadModel(path.join(dir, `${compareWith}.onnx`)), holdout);
  if (champion && !sameLabels(scored.labels, champion.labels)) {
    throw new ModelError(
      `${holdout.name}: ${version} (label "${scored.label}") and champion ${champion.version} (label "${champion.label}") read different labels from the holdout; they cannot be compared on the same rows`
    );
  }
  const judgement = judgeCandidate({ holdout: holdout.name, labels: scored.labels, candidate: scored, baseline: champion, gates });
  return { ...judgement, dir, previous };
}

function definedOnly(gates: Partial<PromotionGates>): Partial<PromotionGates> {
  return Object.fromEntries(Object.entries(gates).filter(([, value]) => value !== undefined));
}

function entryMetrics(metrics: HoldoutMetrics, holdout: string): RegistryEntry['metrics'] {
  return {
    roc_auc: metrics.roc_auc,
    f1: metrics.f1,
    precision: metrics.precision,
    recall: metrics.recall,
    threshold: metrics.threshold,
    rows: metrics.rows,
    holdout
  };
}

/** Whether the promotion records the version the folder already served as its newest (no registry.json yet). */
export function recordsServedVersion(promotion: Promotion): boolean {
  return promotion.previous !== undefined && !promotion.previous.recorded && promotion.previous.version === promotion.candidate.version;
}

/**
 * Default history reason: on which rows the gates passed and the outcome in
 * words (the numbers are in the entry's metrics and comparison).
 */
export function promotionReason(promotion: Promotion): string {
  const { baseline, candidate, comparison } = promotion;
  const outcome = recordsServedVersion(promotion)
    ? 'already served as the newest version (no registry.json before), nothing to compare with'
    : !baseline || !comparison
      ? 'no champion to compare with'
      : comparison.low > 0
        ? `ROC-AUC better than champion ${baseline.version} beyond the noise of the holdout`
        : candidate.roc_auc >= baseline.roc_auc
          ? `ROC-AUC not worse than champion ${baseline.version}`
          : `ROC-AUC below champion ${baseline.version} but within the noise of the holdout`;
  return `gates passed on ${promotion.holdout}: ${outcome}`;
}

/**
 * The registry after a passed promotion (pure): the candidate becomes the
 * champion, with the AUC difference and its interval when it was compared. A
 * folder's first registry also records the version it served before (its
 * newest, see currentChampion) as the 'initial' entry, unless that version is
 * the candidate. The folder's stored gates are kept (flags only override them
 * for one run).
 */
export function promotedRegistry(previous: Registry | undefined, promotion: Promotion, reason: string, now: Date): Registry {
  if (!promotion.passed) throw new Error('promotedRegistry: the promotion was blocked');
  const date = now.toISOString();
  const history: RegistryEntry[] = previous ? [...previous.history] : [];
  if (!previous && promotion.baseline && promotion.previous) {
    history.push({
      version: promotion.baseline.version,
      date,
      metrics: entryMetrics(promotion.baseline, promotion.holdout),
      reason: `served before the first promotion: ${describeChampion(promotion.previous)}`,
      action: 'initial'
    });
  }
  const { comparison, baseline } = promotion;
  history.push({
    version: promotion.candidate.version,
    date,
    metrics: entryMetrics(promotion.candidate, promotion.holdout),
    reason,
    action: 'promoted',
    ...comparisonEntry(comparison, baseline)
  });
  return { champion: promotion.candidate.version, gates: previous?.gates ?? { ...DEFAULT_GATES }, history };
}

/** Write the new registry for a passed promotion (atomically). */
export function recordPromotion(promotion: Promotion, reason: string = promotionReason(promotion), now = new Date()): Registry {
  const registry = promotedRegistry(readRegistry(promotion.dir), promotion, reason, now);
  writeRegistry(promotion.dir, registry);
  return registry;
}

/** `promote DIR vNNN`: evaluate the version against the champion and record it when every gate passes. */
export async function promoteVersion(
  dir: string,
  version: string,
  holdout: Holdout,
  options: { gates?: Partial<PromotionGates>; reason?: string; now?: Date } = {}
): Promise<Promotion> {
  const versions = listVersions(dir);
  if (!versions.includes(version)) {
    throw new ModelError(`${dir}: version ${version} does not exist (have: ${versions.join(', ') || 'none'})`);
  }
  const candidate = await loadModel(path.join(dir, `${version}.onnx`));
  const promotion = await evaluatePromotion(dir, candidate, holdout, options.gates);
  if (promotion.passed) recordPromotion(promotion, options.reason ?? promotionReason(promotion), options.now);
  return promotion;
}

/** The gate's table (candidate, champion, the AUC change with its interval, each gate). */
export function renderPromotion(promotion: Promotion): string {
  const served = recordsServedVersion(promotion) && promotion.previous;
  return renderJudgement(
    promotion,
    served ? [`champion before: ${describeChampion(served)}, the candidate itself: nothing to compare with`] : []
  );
}
