/**
 * The alert budget: the High and Medium thresholds set from the scores of a
 * reference — a repository's own recent commits, or a file of past patches —
 * so that High is the riskiest `alert` percent of it and Medium the next ones
 * up to `medium` percent (cumulative). A team then decides how strict the
 * check is in one number, whatever the repository's bug rate or commit style.
 *
 * Pure: where the reference scores come from (the miner's replay, a cache, a
 * file) is the caller's business. Also the percentile of a score in the
 * reference ("riskier than 97% of the last 2,000 commits here").
 */

/** Default share of the reference flagged High, in percent. */
export const DEFAULT_ALERT_BUDGET = 5;
/** Default share flagged Medium or High (cumulative), in percent. */
export const DEFAULT_MEDIUM_BUDGET = 20;
/** Past commits a repository's budget is set on: the last ones before the range. */
export const REFERENCE_WINDOW = 2000;
/** Fewer reference rows than this set no thresholds (too few to place a 5% edge) and no percentiles. */
export const MIN_REFERENCE = 200;

/** Where the thresholds in use came from: the alert budget, the model card, or an explicit threshold (with the card's Medium). */
export type ThresholdOrigin = 'budget' | 'card' | 'threshold';

/** Shares of the reference, in percent: High = the riskiest `alert`, Medium or High = the riskiest `medium`. */
export interface AlertBudget {
  alert: number;
  medium: number;
}

export interface Calibration {
  origin: ThresholdOrigin;
  high: number;
  medium: number;
  /** The budget that was asked for (applied only when origin is `budget`). */
  budget?: AlertBudget;
  /** The reference the scores are compared with, e.g. { size: 2000, label: "the last 2,000 commits here" }. */
  reference?: { size: number; label: string };
  /** Why the budget asked for is not in use (too few reference rows, an explicit threshold). */
  note?: string;
  /**
   * Per scored row (input order): the share of the reference, in percent
   * (rounded down to 0.1), that scored strictly lower. Undefined when the
   * reference has fewer than MIN_REFERENCE rows.
   */
  percentiles?: Float64Array;
}

/**
 * A budget from percentages as a user gives them: 0 < alert < 100, and the
 * cumulative medium share at least the alert share (default 20%, or the alert
 * share when that is larger: no Medium band then). Throws a RangeError naming
 * the option.
 */
export function alertBudget(alert: number, medium?: number, names = { alert: 'alert-budget', medium: 'medium-budget' }): AlertBudget {
  const inRange = (value: number): boolean => Number.isFinite(value) && value > 0 && value < 100;
  if (!inRange(alert)) throw new RangeError(`${names.alert} must be a percentage between 0 and 100 (exclusive), e.g. 5`);
  if (medium === undefined) return { alert, medium: Math.max(alert, DEFAULT_MEDIUM_BUDGET) };
  if (!inRange(medium)) throw new RangeError(`${names.medium} must be a percentage between 0 and 100 (exclusive), e.g. 20`);
  if (medium < alert) {
    throw new RangeError(`${names.medium} (${medium}) must be at least ${names.alert} (${alert}): it counts Medium and High together`);
  }
  return { alert, medium };
}

/** The scores sorted ascending (a copy), as the functions below expect them. */
export function sortedScores(scores: ArrayLike<number>): Float64Array {
  return Float64Array.from(scores).sort();
}

/** Index of the first element >= value in an ascending array. */
function lowerBound(sorted: Float64Array, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The shortest decimal t with below < t <= at (so a threshold reads 0.412, not 0.41237890291213989). */
export function roundedEdge(at: number, below: number): number {
  for (let digits = 1; digits <= 17; digits++) {
    const scale = 10 ** digits;
    const t = Math.floor(at * scale) / scale;
    if (t > below && t <= at) return t;
  }
  return at;
}

/** The shortest decimal above every score (nothing flagged), at most 1. */
function aboveAll(max: number): number {
  for (let digits = 1; digits <= 17; digits++) {
    const scale = 10 ** digits;
    const t = Math.ceil(max * scale) / scale;
    if (t > max && t <= 1) return t;
  }
  return 1;
}

/**
 * The threshold that flags (score >= threshold) the share of the reference
 * closest to `share` (0-1). Equal scores are flagged together, so with ties
 * the nearest achievable share is taken (the smaller one when two are as near).
 */
export function budgetEdge(sorted: Float64Array, share: number): number {
  const n = sorted.length;
  if (n === 0) throw new RangeError('an alert budget needs reference scores');
  const target = share * n;
  let bestCount = 0;
  let bestFirst = n;
  for (let end = n; end > 0;) {
    let first = end - 1;
    while (first > 0 && sorted[first - 1] === sorted[end - 1]) first--;
    const flagged = n - first;
    if (Math.abs(flagged - target) < Math.abs(bestCount - target)) {
      bestCount = flagged;
      bestFirst = first;
    }
    if (flagged >= target) break;
    end = first;
  }
  if (bestFirst === n) return aboveAll(sorted[n - 1]);
  return roundedEdge(sorted[bestFirst], bestFirst > 0 ? sorted[bestFirst - 1] : -Infinity);
}

/** High and Medium thresholds of a budget on a sorted reference (Medium never above High). */
export function budgetThresholds(sorted: Float64Array, budget: AlertBudget): { high: number; medium: number } {
  const high = budgetEdge(sorted, budget.alert / 100);
  const medium = Math.min(high, budgetEdge(sorted, budget.medium / 100));
  return { high, medium };
}

/** Share of the sorted reference (percent, rounded down to 0.1) that scored strictly lower than `score`. */
export function percentileIn(sorted: Float64Array, score: number): number {
  return Math.floor((lowerBound(sorted, score) / sorted.length) * 1000) / 10;
}

export interface CalibrationRequest {
  /** The model card's thresholds. */
  card: { high: number; medium: number };
  /** An explicit High threshold: wins over the budget. */
  threshold?: number;
  /** The alert budget asked for. */
  budget?: AlertBudget;
  /** Scores of the reference, sorted ascending (sortedScores), and how it is named. */
  reference?: { sorted: Float64Array; label: string; noun: string };
}

/** The thresholds to use and where they come from (percentiles are added once the rows are scored: withPercentiles). */
export function calibrate(request: CalibrationRequest): Calibration {
  const { card, threshold, budget, reference } = request;
  const size = reference?.sorted.length ?? 0;
  const common = {
    ...(budget ? { budget } : {}),
    ...(reference ? { reference: { size, label: reference.label } } : {})
  };
  if (threshold !== undefined) {
    return {
      origin: 'threshold',
      high: threshold,
      medium: Math.min(card.medium, threshold),
      ...common,
      ...(budget ? { note: 'the explicit threshold overrides the alert budget' } : {})
    };
  }
  const fromCard: Calibration = { origin: 'card', high: card.high, medium: Math.min(card.medium, card.high), ...common };
  if (!budget) return fromCard;
  if (!reference || size < MIN_REFERENCE) {
    const noun = reference?.noun ?? 'reference rows';
    return {
      ...fromCard,
      note: `only ${size.toLocaleString('en-US')} past ${noun} to set the alert budget on (it needs at least ${MIN_REFERENCE}): the model card's thresholds are used`
    };
  }
  return { origin: 'budget', ...budgetThresholds(reference.sorted, budget), ...common };
}

/** The calibration with each scored row's percentile in the reference (when the reference is large enough). */
export function withPercentiles(calibration: Calibration, sorted: Float64Array | undefined, scores: ArrayLike<number>): Calibration {
  if (!sorted || sorted.length < MIN_REFERENCE) return calibration;
  return { ...calibration, percentiles: Float64Array.from(scores, (score) => percentileIn(sorted, score)) };
}

/**
 * How a budget in use reads: "High = the riskiest 5% of the last 2,000 commits here (risk ≥ 0.412), Medium = the
 * next 15% (risk ≥ 0.231)"; undefined when the thresholds did not come from a budget.
 */
export function describeBudget(calibration: Calibration): string | undefined {
  if (calibration.origin !== 'budget' || !calibration.budget || !calibration.reference) return undefined;
  const { alert, medium } = calibration.budget;
  const high = `High = the riskiest ${formatPercent(alert)} of ${calibration.reference.label} (risk ≥ ${calibration.high})`;
  return calibration.medium < calibration.high
    ? `${high}, Medium = the next ${formatPercent(medium - alert)} (risk ≥ ${calibration.medium})`
    : high;
}

export function formatPercent(value: number): string {
  return `${Math.round(value * 100) / 100}%`;
}
