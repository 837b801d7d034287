/**
 * "What would lower the risk" for a High patch: the smallest split into k
 * equal patches, or into a part that ships now and the rest later, of the
 * features an author controls (the model card's `controllable`), found by
 * re-scoring the resulting patches with the tree ensemble. Splitting scales
 * every controllable size feature (whole numbers round up: a part has at most
 * that many); features the author cannot change keep their values.
 *
 * A suggestion is made only when it helps: every resulting patch is below
 * High AND together they are expected to cause fewer regressions than the
 * patch as it is (the sum of their risks is below its risk). Splitting one
 * patch at 0.335 into two at 0.280 each (0.56 in total) is not advice.
 */
import { ModelError } from '../../core/errors.js';
import type { PatchTable } from '../../core/read.js';
import { featureDisplay, formatFeatureValue, type FeatureSpec } from '../../core/schema.js';
import { predictProbabilities, type TreeEnsemble } from '../gbdt/ensemble.js';

export interface WhatIfOptions {
  /** The model's features in input order (the card's). */
  features: readonly FeatureSpec[];
  /** Names of the features a patch author can change. */
  controllable: readonly string[];
  /** Scores at or above this are High. */
  highThreshold: number;
  /** Scores at or above this (and below High) are Medium. */
  mediumThreshold: number;
  /** Largest split tried (default 10). */
  maxParts?: number;
}

export interface Counterfactual {
  /** split: k equal patches; reduce: a smaller patch now (`factor` of the sizes) and the rest in a second one. */
  kind: 'split' | 'reduce';
  /** Patches after the change. */
  parts: number;
  /** Share of each controllable feature the first resulting patch keeps. */
  factor: number;
  /** The first resulting patch's controllable features. */
  changes: { feature: string; from: number; to: number }[];
  /** Re-scored risk of the first resulting patch. */
  score: number;
  bucket: 'Medium' | 'Low';
  /** Re-scored risk of every resulting patch. */
  partScores: number[];
  /** Expected regressions after the change (the sum of partScores), below the patch's own risk. */
  total: number;
  text: string;
}

export interface WhatIf {
  split?: Counterfactual;
  reduce?: Counterfactual;
  /** One line for people: the split when one helps, else the two-part reduction; undefined when neither helps. */
  text?: string;
}

export const DEFAULT_MAX_PARTS = 10;
/** Shares tried for the patch that ships first, largest first: keep 95%, 90%, …, 5% of the controllable sizes. */
const KEEP_SHARES = Array.from({ length: 19 }, (_, i) => (95 - 5 * i) / 100);

/** How a size reads after "≤ 16,000": the feature's unit (the schema's, else the card's), else its name. */
function sizeText(value: number, spec: FeatureSpec): string {
  return `≤ ${formatFeatureValue(Math.fround(value))} ${featureDisplay(spec).unit || spec.name}`;
}

function scaled(value: number, spec: FeatureSpec, share: number): number {
  return spec.type === 'integer' ? Math.ceil(value * share) : value * share;
}

interface Candidate {
  kind: 'split' | 'reduce';
  parts: number;
  /** The share of the sizes each resulting patch keeps (one per distinct patch: equal parts are scored once). */
  shares: number[];
}

/**
 * Counterfactuals for one patch (row of X at offset row * features.length);
 * undefined when the model has no controllable size feature.
 */
export function whatIf(ensemble: TreeEnsemble, X: Float32Array, row: number, options: WhatIfOptions): WhatIf | undefined {
  const nf = options.features.length;
  if (ensemble.nFeatures !== nf) throw new ModelError(`the tree model has ${ensemble.nFeatures} features but ${nf} were given`);
  // In the card's order of controllable features: the first one names the size in the text.
  const sizes = options.controllable
    .map((name) => ({
      spec: options.features.find((spec) => spec.name === name),
      index: options.features.findIndex((spec) => spec.name === name)
    }))
    .filter((size): size is { spec: FeatureSpec; index: number } => size.spec !== undefined && size.spec.type !== 'boolean');
  if (sizes.length === 0) return undefined;
  const x = X.subarray(row * nf, row * nf + nf);
  const before = predictProbabilities(ensemble, x, 1)[0];
  const maxParts = options.maxParts ?? DEFAULT_MAX_PARTS;
  const candidates: Candidate[] = [];
  for (let parts = 2; parts <= maxParts; parts++) candidates.push({ kind: 'split', parts, shares: [1 / parts] });
  for (const keep of KEEP_SHARES) candidates.push({ kind: 'reduce', parts: 2, shares: [keep, Math.round((1 - keep) * 100) / 100] });

  const variants = candidates.flatMap((candidate) => candidate.shares);
  const rows = new Float32Array(variants.length * nf);
  variants.forEach((share, v) => {
    rows.set(x, v * nf);
    for (const { spec, index } of sizes) rows[v * nf + index] = scaled(x[index], spec, share);
  });
  const scores = predictProbabilities(ensemble, rows, variants.length);

  const bucketOf = (score: number): 'Medium' | 'Low' => (score >= options.mediumThreshold ? 'Medium' : 'Low');
  let split: Counterfactual | undefined;
  let reduce: Counterfactual | undefined;
  let v = 0;
  for (const candidate of candidates) {
    const first = v;
    v += candidate.shares.length;
    const partScores =
      candidate.kind === 'split' ? Array.from({ length: candidate.parts }, () => scores[first]) : [scores[first], scores[first + 1]];
    const total = partScores.reduce((sum, score) => sum + score, 0);
    if (partScores.some((score) => score >= options.highThreshold) || !(total < before)) continue;
    if ((candidate.kind === 'split' && split) || (candidate.kind === 'reduce' && reduce)) continue;
    const main = sizes[0];
    const size = sizeText(rows[first * nf + main.index], main.spec);
    const totals = `expected regressions ${before.toFixed(2)} → ${total.toFixed(2)}`;
    const text =
      candidate.kind === 'split'
        ? `split into ${candidate.parts} patches of ${size} → ${bucketOf(partScores[0])} each (${totals})`
        : `ship ${size} (${Math.round(candidate.shares[0] * 100)}%) first and the rest separately → ` +
          `${bucketOf(partScores[0])} + ${bucketOf(partScores[1])} (${totals})`;
    const found: Counterfactual = {
      kind: candidate.kind,
      parts: candidate.parts,
      factor: candidate.shares[0],
      changes: sizes.map(({ spec, index }) => ({ feature: spec.name, from: x[index], to: rows[first * nf + index] })),
      score: partScores[0],
      bucket: bucketOf(partScores[0]),
      partScores,
      total,
      text
    };
    if (candidate.kind === 'split') split = found;
    else reduce = found;
  }
  const text = split?.text ?? reduce?.text;
  return { ...(split ? { split } : {}), ...(reduce ? { reduce } : {}), ...(text ? { text } : {}) };
}

/** Counterfactuals for the High rows of a scored table (undefined for the others). */
export function whatIfRows(
  ensemble: TreeEnsemble,
  table: PatchTable,
  scores: ArrayLike<number>,
  options: WhatIfOptions
): (WhatIf | undefined)[] {
  return table.ids.map((_, row) => (scores[row] >= options.highThreshold ? whatIf(ensemble, table.features, row, options) : undefined));
}
