/**
 * The drift baseline a model card records (deciles and bin shares per
 * feature, score quantiles), and the binning drift checks use on new data.
 */
import type { FeatureBaseline } from '../../core/card.js';

/** Quantile of sorted values by linear interpolation. */
export function quantile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return NaN;
  const position = (sorted.length - 1) * p;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return sorted[low] + (sorted[high] - sorted[low]) * (position - low);
}

export const BASELINE_PROBABILITIES = Array.from({ length: 11 }, (_, i) => i / 10);

/**
 * Share of values in each of the 10 bins whose inner edges are the deciles
 * q10 … q90: bin k holds q(k) < v <= q(k+1), the first bin everything <= q10,
 * the last everything > q90. Drift checks bin new data the same way.
 */
export function binShares(values: ArrayLike<number>, quantiles: number[]): number[] {
  const edges = quantiles.slice(1, -1);
  const counts = new Array(edges.length + 1).fill(0);
  for (let i = 0; i < values.length; i++) {
    let k = 0;
    while (k < edges.length && values[i] > edges[k]) k++;
    counts[k]++;
  }
  return counts.map((count) => count / Math.max(1, values.length));
}

export function featureBaseline(values: Float64Array): FeatureBaseline {
  const sorted = Float64Array.from(values).sort();
  const quantiles = BASELINE_PROBABILITIES.map((p) => quantile(sorted, p));
  let mean = 0;
  for (const value of values) mean += value;
  mean /= Math.max(1, values.length);
  let variance = 0;
  for (const value of values) variance += (value - mean) ** 2;
  return { quantiles, mean, std: Math.sqrt(variance / Math.max(1, values.length)), decile_shares: binShares(values, quantiles) };
}
