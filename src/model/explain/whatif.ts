/**
 * "What would lower the risk" for a High patch: the smallest split into k
 * equal patches, and the smallest size reduction, of the features an author
 * controls (the model card's `controllable`), found by re-scoring the changed
 * patch with the tree ensemble. Splitting scales every controllable size
 * feature by 1/k (whole numbers round up: a part has at most that many);
 * features the author cannot change keep their values.
 */
import { ModelError } from '../../core/errors.js';
import type { PatchTable } from '../../core/read.js';
import type { FeatureSpec } from '../../core/schema.js';
import { predictProbabilities, type TreeEnsemble } from '../gbdt/ensemble.js';
import { formatFeatureValue } from './shap.js';

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
  kind: 'split' | 'reduce';
  /** Patches after the change (1 for a reduction). */
  parts: number;
  /** Share of each controllable feature a resulting patch keeps. */
  factor: number;
  changes: { feature: string; from: number; to: number }[];
  /** Re-scored risk of a resulting patch. */
  score: number;
  bucket: 'Medium' | 'Low';
  text: string;
}

export interface WhatIf {
  split?: Counterfactual;
  reduce?: Counterfactual;
  /** One line for people: the split when one works, else the reduction, else that neither does. */
  text: string;
}

export const DEFAULT_MAX_PARTS = 10;
/** Reductions tried, smallest first: keep 95%, 90%, …, 5% of the controllable sizes. */
const KEEP_SHARES = Array.from({ length: 19 }, (_, i) => (95 - 5 * i) / 100);

/** How a size reads after "≤ 16,000": the feature's unit from the card, else its name. */
function sizeText(value: number, spec: FeatureSpec): string {
  return `≤ ${formatFeatureValue(Math.fround(value))} ${spec.unit ?? spec.name}`;
}

function scaled(value: number, spec: FeatureSpec, parts: number, keep: number): number {
  if (spec.type === 'integer') return parts > 1 ? Math.ceil(value / parts) : Math.ceil(value * keep);
  return parts > 1 ? value / parts : value * keep;
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
  const maxParts = options.maxParts ?? DEFAULT_MAX_PARTS;
  const candidates: { parts: number; keep: number }[] = [];
  for (let parts = 2; parts <= maxParts; parts++) candidates.push({ parts, keep: 1 / parts });
  for (const keep of KEEP_SHARES) candidates.push({ parts: 1, keep });

  const rows = new Float32Array(candidates.length * nf);
  candidates.forEach(({ parts, keep }, c) => {
    rows.set(x, c * nf);
    for (const { spec, index } of sizes) rows[c * nf + index] = scaled(x[index], spec, parts, keep);
  });
  const scores = predictProbabilities(ensemble, rows, candidates.length);

  const found = (c: number): Counterfactual => {
    const { parts, keep } = candidates[c];
    const changes = sizes.map(({ spec, index }) => ({ feature: spec.name, from: x[index], to: rows[c * nf + index] }));
    const bucket = scores[c] >= options.mediumThreshold ? 'Medium' : 'Low';
    const main = sizes[0];
    const size = sizeText(rows[c * nf + main.index], main.spec);
    const text =
      parts > 1
        ? `split into ${parts} patches of ${size} → ${bucket}`
        : `reduce to ${size} (-${Math.round((1 - keep) * 100)}%) → ${bucket}`;
    return { kind: parts > 1 ? 'split' : 'reduce', parts, factor: keep, changes, score: scores[c], bucket, text };
  };
  let split: Counterfactual | undefined;
  let reduce: Counterfactual | undefined;
  for (let c = 0; c < candidates.length; c++) {
    if (scores[c] >= options.highThreshold) continue;
    if (candidates[c].parts > 1) split ??= found(c);
    else reduce ??= found(c);
  }
  const names = sizes.map(({ spec }) => spec.name).join(', ');
  const text = split?.text ?? reduce?.text ?? `no split into ≤ ${maxParts} patches or smaller ${names} brings it below High`;
  return { ...(split ? { split } : {}), ...(reduce ? { reduce } : {}), text };
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
