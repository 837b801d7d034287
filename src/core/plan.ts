/**
 * From scores to a plan: risk buckets, QA ranking and hours, fleet
 * monitoring priority and tiers. Pure functions; every formula is documented
 * in docs/plan.md. The pass/fail rule is in decide.ts.
 */

export type RiskBucket = 'Low' | 'Medium' | 'High';
export type MonitoringTier = 'Immediate Monitoring' | 'Enhanced Monitoring' | 'Standard Monitoring';

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

export function monitoringPriority(risk: number, ageDays: number | undefined, options: PlanOptions): number {
  if (ageDays === undefined) return risk;
  const age = Math.min(1, Math.max(0, ageDays) / options.fleetAgeScaleDays);
  return options.riskWeight * risk + options.ageWeight * age;
}

const BUCKETS: readonly RiskBucket[] = ['Low', 'Medium', 'High'];
const TIERS: readonly MonitoringTier[] = ['Standard Monitoring', 'Enhanced Monitoring', 'Immediate Monitoring'];

/**
 * The plan as columns (one typed array per field): what the formulas
 * compute, without an object per patch, so that a million patches fit in a
 * few tens of MB. planPatches turns it into PlannedPatch objects.
 */
export interface PlanColumns {
  risk: Float64Array;
  /** 0 Low, 1 Medium, 2 High. */
  bucket: Uint8Array;
  /** qa_rank per row (1 = first). */
  rank: Uint32Array;
  potential: Float64Array;
  hours: Float64Array;
  priority: Float64Array;
  /** 0 Standard, 1 Enhanced, 2 Immediate. */
  tier: Uint8Array;
  /** Row indices sorted by qa_rank. */
  byRank: Uint32Array;
  totals: PlanTotals;
  thresholds: { high: number; medium: number };
}

export function planColumns(scores: Float64Array, fleetAgeDays: Float64Array | undefined, options: PlanOptions): PlanColumns {
  validateOptions(options);
  const n = scores.length;
  const high = options.highThreshold;
  const medium = Math.min(options.mediumThreshold, high);
  const baseRate = options.baseRate > 0 ? options.baseRate : 1;
  const columns: PlanColumns = {
    risk: scores,
    bucket: new Uint8Array(n),
    rank: new Uint32Array(n),
    potential: new Float64Array(n),
    hours: new Float64Array(n),
    priority: new Float64Array(n),
    tier: new Uint8Array(n),
    byRank: new Uint32Array(0),
    totals: emptyTotals(options),
    thresholds: { high, medium }
  };
  for (let i = 0; i < n; i++) {
    const risk = scores[i];
    columns.bucket[i] = risk >= high ? 2 : risk >= medium ? 1 : 0;
    columns.potential[i] = risk / baseRate;
    columns.priority[i] = monitoringPriority(risk, fleetAgeDays?.[i], options);
    const priority = columns.priority[i];
    columns.tier[i] = priority >= options.immediateEdge ? 2 : priority >= options.enhancedEdge ? 1 : 0;
  }
  columns.byRank = rankOrder(scores, columns.priority);
  columns.byRank.forEach((row, rank) => (columns.rank[row] = rank + 1));
  allocateQaHours(columns, options);
  columns.totals = totalsOf(columns, options);
  return columns;
}

/** One patch of the plan as an object (id: the row number when no ids are given). */
export function plannedPatch(columns: PlanColumns, i: number, ids?: readonly string[]): PlannedPatch {
  return {
    index: i,
    id: ids?.[i] ?? String(i + 1),
    risk_score: columns.risk[i],
    high_risk: columns.bucket[i] === 2 ? 1 : 0,
    risk_bucket: BUCKETS[columns.bucket[i]],
    qa_rank: columns.rank[i],
    regression_potential: columns.potential[i],
    qa_hours: columns.hours[i],
    monitoring_priority: columns.priority[i],
    monitoring_tier: TIERS[columns.tier[i]]
  };
}

export function planPatches(input: PlanInput, options: PlanOptions): Plan {
  const columns = planColumns(input.scores, input.fleetAgeDays, options);
  const patches = input.ids.map((_, i) => plannedPatch(columns, i, input.ids));
  return { patches, byRank: Array.from(columns.byRank), totals: columns.totals, thresholds: columns.thresholds };
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
function rankOrder(risk: Float64Array, priority: Float64Array): Uint32Array {
  const byRank = (a: number, b: number): number => risk[b] - risk[a] || priority[b] - priority[a] || a - b;
  const order = sortedByRisk(risk);
  if (!order) {
    const all = new Uint32Array(risk.length);
    for (let i = 0; i < all.length; i++) all[i] = i;
    return all.sort(byRank);
  }
  // Runs of equal risk take the full rule.
  for (let start = 0; start < order.length;) {
    let end = start + 1;
    while (end < order.length && risk[order[end]] === risk[order[start]]) end++;
    if (end - start > 1) order.subarray(start, end).sort(byRank);
    start = end;
  }
  return order;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
/** Row indices fit in the 29 low mantissa bits that a float32 value leaves zero in a double. */
const INDEX_BITS = 29;

/**
 * Row indices by decreasing risk (ties in any order), with a native numeric
 * sort instead of a comparator: when every risk is a float32 value >= 0 (as
 * onnxruntime's float output is), its double's 29 low mantissa bits are zero
 * and can carry the row index without changing the order of unequal risks.
 * Undefined for other risks.
 */
function sortedByRisk(risk: Float64Array): Uint32Array | undefined {
  const n = risk.length;
  if (!LITTLE_ENDIAN || n >= 2 ** INDEX_BITS) return undefined;
  const keys = new Float64Array(n);
  const words = new Uint32Array(keys.buffer);
  for (let i = 0; i < n; i++) {
    const r = risk[i];
    if (!(r >= 0 && r < Infinity && Math.fround(r) === r) || Object.is(r, -0)) return undefined;
    keys[i] = r;
    words[2 * i] |= i;
  }
  keys.sort();
  const order = new Uint32Array(n);
  const mask = 2 ** INDEX_BITS - 1;
  for (let k = 0; k < n; k++) order[k] = words[2 * (n - 1 - k)] & mask;
  return order;
}

/**
 * Every High patch first gets min(minHighHours, capacity / #High); what is
 * left is shared by all patches in proportion to regression potential.
 * Hours are rounded to 0.1 h with the largest-remainder method so that they
 * add up to the capacity exactly.
 */
function allocateQaHours(columns: PlanColumns, options: PlanOptions): void {
  const n = columns.risk.length;
  const capacity = options.qaCapacityHours;
  if (n === 0 || capacity === 0) return;
  let highCount = 0;
  let weight = 0;
  for (let i = 0; i < n; i++) {
    if (columns.bucket[i] === 2) highCount++;
    weight += columns.potential[i];
  }
  const floor = highCount === 0 ? 0 : Math.min(options.minHighHours, capacity / highCount);
  const rest = capacity - floor * highCount;
  const tenths = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const share = weight > 0 ? (rest * columns.potential[i]) / weight : rest / n;
    tenths[i] = ((columns.bucket[i] === 2 ? floor : 0) + share) * 10;
  }
  const rounded = largestRemainder(tenths, Math.round(capacity * 10));
  for (let i = 0; i < n; i++) columns.hours[i] = rounded[i] / 10;
}

/** Integers proportional to `values` that add up to `total` (ties go to the earlier index). */
function largestRemainder(values: Float64Array, total: number): Float64Array {
  const floors = values.map(Math.floor);
  let left = total;
  for (let i = 0; i < floors.length; i++) left -= floors[i];
  for (const i of largestRemainders(values, floors, Math.min(Math.max(0, left), values.length))) floors[i] += 1;
  return floors;
}

/**
 * Indices of the k largest remainders values[i] - floors[i] (ties: the earlier
 * index), kept in a min-heap of size k: O(n log k) time and O(k) memory,
 * where k (tenths of an hour left after flooring) is small next to n.
 */
function largestRemainders(values: Float64Array, floors: Float64Array, k: number): Uint32Array {
  const heap = new Uint32Array(k);
  if (k === 0) return heap;
  const rem = (i: number): number => values[i] - floors[i];
  // a ranks below b: a smaller remainder, or an equal one at a later index.
  const below = (a: number, b: number): boolean => rem(a) < rem(b) || (rem(a) === rem(b) && a > b);
  const siftDown = (size: number): void => {
    for (let at = 0; ;) {
      const left = 2 * at + 1;
      if (left >= size) return;
      const child = left + 1 < size && below(heap[left + 1], heap[left]) ? left + 1 : left;
      if (!below(heap[child], heap[at])) return;
      [heap[at], heap[child]] = [heap[child], heap[at]];
      at = child;
    }
  };
  for (let i = 0; i < k; i++) {
    heap[i] = i;
    for (let at = i; at > 0 && below(heap[at], heap[(at - 1) >> 1]); at = (at - 1) >> 1) {
      [heap[at], heap[(at - 1) >> 1]] = [heap[(at - 1) >> 1], heap[at]];
    }
  }
  for (let i = k; i < values.length; i++) {
    if (below(heap[0], i)) {
      heap[0] = i;
      siftDown(k);
    }
  }
  return heap;
}

function emptyTotals(options: PlanOptions): PlanTotals {
  return {
    patches: 0,
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
}

function totalsOf(columns: PlanColumns, options: PlanOptions): PlanTotals {
  const totals = emptyTotals(options);
  const buckets = [0, 0, 0];
  const tiers = [0, 0, 0];
  for (let i = 0; i < columns.risk.length; i++) {
    buckets[columns.bucket[i]]++;
    tiers[columns.tier[i]]++;
    totals.max_risk = Math.max(totals.max_risk, columns.risk[i]);
    totals.expected_regressions += columns.risk[i];
    totals.qa_hours += columns.hours[i];
  }
  [totals.low, totals.medium, totals.high] = buckets;
  [totals.standard, totals.enhanced, totals.immediate] = tiers;
  totals.patches = columns.risk.length;
  totals.qa_hours = Math.round(totals.qa_hours * 10) / 10;
  return totals;
}
