/**
 * The gate's one rule: a pull request fails when any patch reaches the
 * fail-on level. `never` reports the High-level verdict but keeps the check
 * green (advisory mode); the override label turns a failing gate into a pass
 * that is recorded as `overridden`. Every front end decides here.
 */
import type { PlannedPatch, PlanTotals, RiskBucket } from './plan.js';

export type FailOn = 'high' | 'medium' | 'never';
export type GateOutcome = 'pass' | 'fail' | 'overridden';

export interface Decision {
  /** pass / fail at the fail-on level (High for `never`), or overridden by the override label. */
  outcome: GateOutcome;
  /** Whether the check fails (non-zero exit, failed step): a fail, unless fail-on is `never`. */
  failsCheck: boolean;
  failOn: FailOn;
  /** The buckets that block: High, or Medium and High for fail-on `medium`. */
  blocking: readonly RiskBucket[];
  /** Patches at a blocking level. */
  reached: number;
}

const HIGH_ONLY: readonly RiskBucket[] = ['High'];
const MEDIUM_AND_HIGH: readonly RiskBucket[] = ['High', 'Medium'];

export function decide(totals: PlanTotals, failOn: FailOn = 'high', overridden = false): Decision {
  const blocking = failOn === 'medium' ? MEDIUM_AND_HIGH : HIGH_ONLY;
  const reached = failOn === 'medium' ? totals.high + totals.medium : totals.high;
  const outcome: GateOutcome = reached === 0 ? 'pass' : overridden ? 'overridden' : 'fail';
  return { outcome, failsCheck: outcome === 'fail' && failOn !== 'never', failOn, blocking, reached };
}

/** "High" or "Medium or High": the level a decision blocks at, in words. */
export function blockingLevel(decision: Decision): string {
  return decision.blocking.length > 1 ? 'Medium or High' : 'High';
}

/** Patches at a blocking level, riskiest first: what fails the gate or what an override lets through. */
export function blockingPatches(patches: readonly PlannedPatch[], byRank: readonly number[], decision: Decision): PlannedPatch[] {
  return byRank.map((i) => patches[i]).filter((patch) => decision.blocking.includes(patch.risk_bucket));
}
