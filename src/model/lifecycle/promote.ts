/**
 * Promotion: score a candidate version and the folder's champion on the same
 * labelled holdout and make the candidate the champion only when every gate
 * passes. Evaluating never writes; recordPromotion is the only write, and a
 * blocked promotion never reaches it.
 */
import path from 'node:path';
import { InputError, ModelError } from '../../core/errors.js';
import { tableFromRaw, type RawTable } from '../../core/read.js';
import { loadModel, type LoadedModel } from '../onnx/session.js';
import { alignColumns } from '../../core/text.js';
import { confusionAt, rocAuc } from '../evaluate/metrics.js';
import {
  DEFAULT_GATES,
  listVersions,
  readRegistry,
  writeRegistry,
  type PromotionGates,
  type Registry,
  type RegistryEntry
} from './registry.js';

export interface HoldoutMetrics {
  version: string;
  roc_auc: number;
  /** F1, precision and recall when flagging score >= the version's own high threshold. */
  f1: number;
  precision: number;
  recall: number;
  threshold: number;
  rows: number;
  positives: number;
}

export type GateName = keyof PromotionGates;

export interface GateResult {
  gate: GateName;
  limit: number;
  /** The value the gate judged (AUC, F1, or the AUC drop); null when there is no champion to compare with. */
  value: number | null;
  passed: boolean;
  text: string;
}

/** Labelled rows to judge versions on, with the name shown in outputs and the registry. */
export interface Holdout {
  raw: RawTable;
  name: string;
}

export interface Promotion {
  dir: string;
  holdout: string;
  gates: PromotionGates;
  candidate: HoldoutMetrics;
  /** The champion the candidate is judged against (none in a folder with no other version). */
  champion?: HoldoutMetrics;
  /** Whether the folder had a registry.json before (without one it serves its newest version). */
  hadRegistry: boolean;
  results: GateResult[];
  promoted: boolean;
}

/** Holdout metrics of one version from its scores; the holdout must hold both classes. */
export function holdoutMetrics(
  version: string,
  scores: ArrayLike<number>,
  labels: Uint8Array,
  threshold: number,
  holdout: string
): HoldoutMetrics {
  const positives = labels.reduce((sum, label) => sum + label, 0);
  if (positives === 0 || positives === labels.length) {
    throw new InputError(holdout, 'the holdout has only one class; judging a model needs rows labelled 0 and 1');
  }
  const confusion = confusionAt(scores, labels, threshold);
  return {
    version,
    roc_auc: rocAuc(scores, labels),
    f1: confusion.f1,
    precision: confusion.precision,
    recall: confusion.recall,
    threshold,
    rows: labels.length,
    positives
  };
}

/** Every gate's verdict for a candidate against the champion (pure). */
export function checkGates(candidate: HoldoutMetrics, champion: HoldoutMetrics | undefined, gates: PromotionGates): GateResult[] {
  const results: GateResult[] = [
    {
      gate: 'min_roc_auc',
      limit: gates.min_roc_auc,
      value: candidate.roc_auc,
      passed: candidate.roc_auc >= gates.min_roc_auc,
      text: `ROC-AUC ${fmt(candidate.roc_auc)}, needs >= ${gates.min_roc_auc}`
    },
    {
      gate: 'min_f1',
      limit: gates.min_f1,
      value: candidate.f1,
      passed: candidate.f1 >= gates.min_f1,
      text: `F1 ${fmt(candidate.f1)} at threshold ${candidate.threshold}, needs >= ${gates.min_f1}`
    }
  ];
  if (champion === undefined) {
    results.push({ gate: 'max_auc_drop', limit: gates.max_auc_drop, value: null, passed: true, text: 'no champion to compare with' });
  } else {
    const drop = champion.roc_auc - candidate.roc_auc;
    results.push({
      gate: 'max_auc_drop',
      limit: gates.max_auc_drop,
      value: drop,
      // A rounding hair above the tolerance is not a drop.
      passed: drop <= gates.max_auc_drop + 1e-12,
      text: `ROC-AUC change vs champion ${champion.version} ${drop > 0 ? '-' : '+'}${fmt(Math.abs(drop))}, drop allowed <= ${gates.max_auc_drop}`
    });
  }
  return results;
}

function fmt(value: number): string {
  return value.toFixed(4);
}

/** Score one loaded version on the holdout (read against its own card's features). */
export async function evaluateOnHoldout(model: LoadedModel, holdout: Holdout): Promise<HoldoutMetrics> {
  const card = model.card;
  const table = tableFromRaw(holdout.name, holdout.raw, {
    features: card.features,
    idColumn: card.id_column,
    label: card.label,
    requireLabel: true
  });
  const scores = await model.score(table.features, table.ids.length);
  return holdoutMetrics(card.version, scores, table.labels as Uint8Array, card.thresholds.high, holdout.name);
}

/**
 * The version the candidate must beat: the registry's champion, or (a folder
 * with no registry.json yet) the newest version other than the candidate.
 */
export function championFor(dir: string, candidateVersion: string, registry: Registry | undefined): string | undefined {
  if (registry) return registry.champion;
  const others = listVersions(dir).filter((version) => version !== candidateVersion);
  return others[others.length - 1];
}

/** Judge a loaded candidate against the folder's champion; writes nothing. */
export async function evaluatePromotion(
  dir: string,
  candidate: LoadedModel,
  holdout: Holdout,
  overrides: Partial<PromotionGates> = {}
): Promise<Promotion> {
  const registry = readRegistry(dir);
  const version = candidate.card.version;
  const championVersion = championFor(dir, version, registry);
  if (championVersion === version) throw new ModelError(`${dir}: ${version} is already the champion`);
  const gates = { ...(registry?.gates ?? DEFAULT_GATES), ...definedOnly(overrides) };
  const candidateMetrics = await evaluateOnHoldout(candidate, holdout);
  const champion =
    championVersion === undefined
      ? undefined
      : await evaluateOnHoldout(await loadModel(path.join(dir, `${championVersion}.onnx`)), holdout);
  const results = checkGates(candidateMetrics, champion, gates);
  return {
    dir,
    holdout: holdout.name,
    gates,
    candidate: candidateMetrics,
    champion,
    hadRegistry: registry !== undefined,
    results,
    promoted: results.every((result) => result.passed)
  };
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

/** Default history reason: what the gates saw. */
export function promotionReason(promotion: Promotion): string {
  return `gates passed on ${promotion.holdout}: ${promotion.results.map((result) => result.text).join('; ')}`;
}

/**
 * The registry after a passed promotion (pure): the candidate becomes the
 * champion; a folder's first registry also records the version it served
 * before as the 'initial' entry. The folder's stored gates are kept (flags
 * only override them for one run).
 */
export function promotedRegistry(previous: Registry | undefined, promotion: Promotion, reason: string, now: Date): Registry {
  if (!promotion.promoted) throw new Error('promotedRegistry: the promotion was blocked');
  const date = now.toISOString();
  const history: RegistryEntry[] = previous ? [...previous.history] : [];
  if (!previous && promotion.champion) {
    history.push({
      version: promotion.champion.version,
      date,
      metrics: entryMetrics(promotion.champion, promotion.holdout),
      reason: 'served before the first promotion (the newest version then)',
      action: 'initial'
    });
  }
  history.push({
    version: promotion.candidate.version,
    date,
    metrics: entryMetrics(promotion.candidate, promotion.holdout),
    reason,
    action: 'promoted'
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
  if (promotion.promoted) recordPromotion(promotion, options.reason ?? promotionReason(promotion), options.now);
  return promotion;
}

/** A plain-text table of both versions' holdout metrics and each gate's result. */
export function renderPromotion(promotion: Promotion): string {
  const rows: string[][] = [
    ['', 'candidate ' + promotion.candidate.version, promotion.champion ? 'champion ' + promotion.champion.version : 'champion (none)']
  ];
  const metric = (label: string, pick: (m: HoldoutMetrics) => number, digits = 4): void => {
    rows.push([label, pick(promotion.candidate).toFixed(digits), promotion.champion ? pick(promotion.champion).toFixed(digits) : '-']);
  };
  metric('ROC-AUC', (m) => m.roc_auc);
  metric('F1', (m) => m.f1);
  metric('precision', (m) => m.precision);
  metric('recall', (m) => m.recall);
  metric('threshold', (m) => m.threshold);
  metric('rows', (m) => m.rows, 0);
  const lines = [`holdout: ${promotion.holdout}`, ...alignColumns(rows), '', 'gates:'];
  for (const result of promotion.results) lines.push(`  ${result.passed ? 'PASS' : 'FAIL'}  ${result.gate.padEnd(13)} ${result.text}`);
  return lines.join('\n') + '\n';
}
