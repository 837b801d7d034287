/**
 * From scores to decisions: risk buckets, QA ranking and hours, fleet
 * monitoring priority and tiers, and the gate verdict. Pure functions; every
 * formula is documented in the README ("How scores become a plan").
 */

export type RiskBucket = 'Low' | 'Medium' | 'High';
export type MonitoringTier = 'Immediate Monitoring' | 'Enhanced Monitoring' | 'Standard Monitoring';
export type FailOn = 'high' | 'medium' | 'never';

export interface PlanOptions {
  /** risk_score >= high → High (high_risk = 1). */
  highThreshold: number;
  /** risk_score >= medium → Medium (when below high). Clamped to at most highThreshold. */
  mediumThreshold: number;
  /** Base rate of the training data: regression_potential = risk / base rate. */
  baseRate: number;
  /** QA hours to allocate across all patches. */
  qaCapacityHours: number;
  /** Hours every High patch gets before the rest is shared (less when capacity cannot cover it). */
  minHighHours: number;
  /** monitoring_priority = riskWeight * risk + ageWeight * min(1, age / fleetAgeScaleDays). */
  riskWeight: number;
  ageWeight: number;
  fleetAgeScaleDays: number;
  /** Priority edges: >= immediate → Immediate, >= enhanced → Enhanced, else Standard. */
  immediateEdge: number;
  enhancedEdge: number;
}

export const DEFAULT_PLAN_OPTIONS = {
  qaCapacityHours: 40,
  minHighHours: 2,
  riskWeight: 0.7,
  ageWeight: 0.3,
  fleetAgeScaleDays: 1825,
  immediateEdge: 0.6,
  enhancedEdge: 0.3
} as const;

export interface PlannedPatch {
  /** Row index in the input (0-based). */
  index: number;
  id: string;
  risk_score: number;
  high_risk: 0 | 1;
  risk_bucket: RiskBucket;
  qa_rank: number;
  regression_potential: number;
  qa_hours: number;
  monitoring_priority: number;
  monitoring_tier: MonitoringTier;
}

export interface PlanTotals {
  patches: number;
  high: number;
  medium: number;
  low: number;
  max_risk: number;
  expected_regressions: number;
  qa_hours: number;
  qa_capacity_hours: number;
  immediate: number;
  enhanced: number;
  standard: number;
}

export interface Plan {
  /** In input order. */
  patches: PlannedPatch[];
  /** Row indices sorted by qa_rank (riskiest first). */
  byRank: number[];
  totals: PlanTotals;
  thresholds: { high: number; medium: number };
}

export interface PlanInput {
  ids: string[];
  scores: Float64Array;
  /** Fleet age in days per patch, when the data has it. */
  fleetAgeDays?: Float64Array;
}

export function bucketOf(score: number, high: number, medium: number): RiskBucket {
  if (score >= high) return 'High';
  if (score >= medium) return 'Medium';
  return 'Low';
}

export function monitoringPriority(risk: number, ageDays: number | undefined, options: PlanOptions): number {
  if (ageDays === undefined) return risk;
  const age = Math.min(1, Math.max(0, ageDays) / options.fleetAgeScaleDays);
  return options.riskWeight * risk + options.ageWeight * age;
}

export function tierOf(priority: number, options: PlanOptions): MonitoringTier {
  if (priority >= options.immediateEdge) return 'Immediate Monitoring';
  if (priority >= options.enhancedEdge) return 'Enhanced Monitoring';
  return 'Standard Monitoring';
}

export function planPatches(input: PlanInput, options: PlanOptions): Plan {
  validateOptions(options);
  const n = input.scores.length;
  const high = options.highThreshold;
  const medium = Math.min(options.mediumThreshold, high);
  const baseRate = options.baseRate > 0 ? options.baseRate : 1;
  const patches: PlannedPatch[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const risk = input.scores[i];
    const priority = monitoringPriority(risk, input.fleetAgeDays?.[i], options);
    patches[i] = {
      index: i,
      id: input.ids[i],
      risk_score: risk,
      high_risk: risk >= high ? 1 : 0,
      risk_bucket: bucketOf(risk, high, medium),
      qa_rank: 0,
      regression_potential: risk / baseRate,
      qa_hours: 0,
      monitoring_priority: priority,
      monitoring_tier: tierOf(priority, options)
    };
  }
  const byRank = rankOrder(patches);
  byRank.forEach((index, rank) => (patches[index].qa_rank = rank + 1));
  allocateQaHours(patches, options);
  return { patches, byRank, totals: totalsOf(patches, options), thresholds: { high, medium } };
}

function validateOptions(options: PlanOptions): void {
  const checks: [boolean, string][] = [
    [options.highThreshold >= 0 && options.highThreshold <= 1, 'the high-risk threshold must be between 0 and 1'],
    [options.qaCapacityHours >= 0 && Number.isFinite(options.qaCapacityHours), 'the QA capacity must be a number of hours >= 0'],
    [options.riskWeight >= 0 && options.ageWeight >= 0, 'monitoring weights must be >= 0'],
    [options.fleetAgeScaleDays > 0, 'the fleet age scale must be > 0 days']
  ];
  for (const [ok, message] of checks) if (!ok) throw new RangeError(message);
}

/** Riskiest first; ties by monitoring priority, then input order — deterministic. */
function rankOrder(patches: PlannedPatch[]): number[] {
  return patches
    .map((patch) => patch.index)
    .sort(
      (a, b) =>
        patches[b].risk_score - patches[a].risk_score ||
        patches[b].monitoring_priority - patches[a].monitoring_priority ||
        a - b
    );
}

/**
 * Every High patch first gets min(minHighHours, capacity / #High); what is
 * left is shared by all patches in proportion to regression potential.
 * Hours are rounded to 0.1 h with the largest-remainder method so that they
 * add up to the capacity exactly.
 */
function allocateQaHours(patches: PlannedPatch[], options: PlanOptions): void {
  const capacity = options.qaCapacityHours;
  if (patches.length === 0 || capacity === 0) return;
  const highCount = patches.filter((patch) => patch.high_risk === 1).length;
  const floor = highCount === 0 ? 0 : Math.min(options.minHighHours, capacity / highCount);
  const rest = capacity - floor * highCount;
  const weight = patches.reduce((sum, patch) => sum + patch.regression_potential, 0);
  const raw = patches.map(
    (patch) => (patch.high_risk ? floor : 0) + (weight > 0 ? (rest * patch.regression_potential) / weight : rest / patches.length)
  );
  const tenths = largestRemainder(raw.map((hours) => hours * 10), Math.round(capacity * 10));
  patches.forEach((patch, i) => (patch.qa_hours = tenths[i] / 10));
}

/** Integers proportional to `values` that add up to `total` (ties go to the earlier index). */
function largestRemainder(values: number[], total: number): number[] {
  const floors = values.map(Math.floor);
  let left = total - floors.reduce((sum, value) => sum + value, 0);
  const order = values.map((_, i) => i).sort((a, b) => values[b] - floors[b] - (values[a] - floors[a]) || a - b);
  for (let k = 0; left > 0 && k < order.length; k++, left--) floors[order[k]] += 1;
  return floors;
}

function totalsOf(patches: PlannedPatch[], options: PlanOptions): PlanTotals {
  const totals: PlanTotals = {
    patches: patches.length,
    high: 0,
    medium: 0,
    low: 0,
    max_risk: 0,
    expected_regressions: 0,
    qa_hours: 0,
    qa_capacity_hours: options.qaCapacityHours,
    immediate: 0,
    enhanced: 0,
    standard: 0
  };
  for (const patch of patches) {
    if (patch.risk_bucket === 'High') totals.high++;
    else if (patch.risk_bucket === 'Medium') totals.medium++;
    else totals.low++;
    if (patch.monitoring_tier === 'Immediate Monitoring') totals.immediate++;
    else if (patch.monitoring_tier === 'Enhanced Monitoring') totals.enhanced++;
    else totals.standard++;
    totals.max_risk = Math.max(totals.max_risk, patch.risk_score);
    totals.expected_regressions += patch.risk_score;
    totals.qa_hours += patch.qa_hours;
  }
  totals.qa_hours = Math.round(totals.qa_hours * 10) / 10;
  return totals;
}

export type Decision = 'pass' | 'fail';

/**
 * The gate: fail when any patch reaches the fail-on level. For
 * `never`, the verdict is computed at the High level but the caller keeps
 * the check green.
 */
export function gateDecision(totals: PlanTotals, failOn: FailOn): Decision {
  const reached = failOn === 'medium' ? totals.high + totals.medium : totals.high;
  return reached > 0 ? 'fail' : 'pass';
}
