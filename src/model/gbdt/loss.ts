/**
 * Logistic loss for the booster (gbdt.ts): per-row gradients and hessians at
 * the current margins, and the mean logloss for the training history and for
 * early stopping on a validation set.
 */

/** Mean logloss at the margins: log(1 + e^m) - y*m, computed stably with a log1p per row (validation: early stopping compares it). */
export function meanLogLoss(margins: Float64Array, y: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < margins.length; i++) {
    const m = margins[i];
    sum += Math.log1p(Math.exp(-Math.abs(m))) + Math.max(m, 0) - y[i] * m;
  }
  return sum / margins.length;
}

/** Mean logloss at the margins summed as gradientsAndLoss does (so the training history is of one kind). */
export function meanTrainLoss(margins: Float64Array, y: Uint8Array): number {
  let sum = 0;
  let product = 1;
  for (let i = 0; i < margins.length; i++) {
    const m = margins[i];
    sum += Math.max(m, 0) - y[i] * m;
    product *= 1 + Math.exp(-Math.abs(m));
    if ((i & 31) === 31) {
      sum += Math.log(product);
      product = 1;
    }
  }
  return (sum + Math.log(product)) / margins.length;
}

/**
 * Logistic-loss gradients and hessians at the margins; returns the mean logloss there (one exp per row).
 * The loss terms log(1 + e) are summed as the log of products over blocks of 32 rows (each factor is in
 * (1, 2], so a block's product stays below 2^32): one Math.log per block instead of a log1p per row,
 * which was a third of this loop. The training history differs from per-row log1p only in the last
 * bits; gradients, hessians and so the trees do not depend on it.
 */
export function gradientsAndLoss(margins: Float64Array, y: Uint8Array, gradHess: Float64Array): number {
  let sum = 0;
  let product = 1;
  for (let i = 0; i < margins.length; i++) {
    const m = margins[i];
    const e = Math.exp(-Math.abs(m));
    const prob = m >= 0 ? 1 / (1 + e) : e / (1 + e);
    gradHess[2 * i] = prob - y[i];
    gradHess[2 * i + 1] = Math.max(prob * (1 - prob), 1e-16);
    sum += Math.max(m, 0) - y[i] * m;
    product *= 1 + e;
    if ((i & 31) === 31) {
      sum += Math.log(product);
      product = 1;
    }
  }
  return (sum + Math.log(product)) / margins.length;
}
