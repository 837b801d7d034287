/**
 * Live drift: the feature values of the last N scored rows of one model,
 * binned like the card's baseline (inner edges quantiles[1..9]) and compared
 * with the training shares by the PSI of src/model/drift.ts.
 */
import { binShares, psi, type FeatureBaseline, type ModelCard } from '../index.js';

export interface FeaturePsi {
  feature: string;
  psi: number;
}

interface TrackedFeature {
  /** Column in the model's row-major feature matrix. */
  column: number;
  name: string;
  baseline: FeatureBaseline;
}

/** Ring buffer of the last `capacity` rows' features (model input order). */
export class DriftWindow {
  private readonly values: Float64Array;
  private readonly width: number;
  private readonly tracked: TrackedFeature[];
  private next = 0;
  private filled = 0;

  constructor(
    card: ModelCard,
    readonly capacity: number
  ) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError(`drift window must be a whole number of rows >= 1, got ${capacity}`);
    this.width = card.features.length;
    this.values = new Float64Array(capacity * this.width);
    // Features without a baseline (older cards) are not tracked.
    this.tracked = card.features.flatMap((feature, column) => {
      const baseline = card.baseline.features[feature.name];
      return baseline ? [{ column, name: feature.name, baseline }] : [];
    });
  }

  /** Rows currently in the window (at most capacity). */
  get rows(): number {
    return this.filled;
  }

  /** Append `nRows` rows of a row-major matrix with the card's feature width; the oldest rows drop out. */
  add(features: Float32Array, nRows: number): void {
    const start = Math.max(0, nRows - this.capacity);
    for (let r = start; r < nRows; r++) {
      this.values.set(features.subarray(r * this.width, (r + 1) * this.width), this.next * this.width);
      this.next = (this.next + 1) % this.capacity;
    }
    this.filled = Math.min(this.capacity, this.filled + nRows - start);
  }

  /** PSI per tracked feature over the rows in the window; empty when no row was scored yet. */
  psiByFeature(): FeaturePsi[] {
    if (this.filled === 0) return [];
    const column = new Float64Array(this.filled);
    return this.tracked.map(({ column: c, name, baseline }) => {
      for (let r = 0; r < this.filled; r++) column[r] = this.values[r * this.width + c];
      return { feature: name, psi: psi(baseline.decile_shares, binShares(column, baseline.quantiles)) };
    });
  }
}
