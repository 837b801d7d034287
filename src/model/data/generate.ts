/**
 * Synthetic firmware patch history with a known, documented generating
 * process (README: "What the bundled firmware model has learnt"). The label
 * comes from a nonlinear rule with interactions plus noise, so no single
 * feature threshold reveals it.
 */
import { createRandom, type Random } from '../gbdt/random.js';

export interface FirmwarePatch {
  patch_id: string;
  code_churn_score: number;
  patch_size_mb: number;
  lines_changed: number;
  files_changed: number;
  avg_device_age_days: number;
  is_hotfix: 0 | 1;
  patch_security: 0 | 1;
  high_risk_flag: 0 | 1;
}

const clamp = (value: number, low: number, high: number): number => Math.min(high, Math.max(low, value));
const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

/** Log-odds of a regression for a patch (before noise): documented term by term in the README. */
export function firmwareRiskLogit(patch: Omit<FirmwarePatch, 'patch_id' | 'high_risk_flag'>): number {
  const size = Math.log10(1 + patch.lines_changed); // 0 … ~5.3
  const spread = Math.log2(1 + patch.files_changed);
  const oldFleet = patch.avg_device_age_days > 900 ? 1 : 0;
  let z = -3.5;
  // Risk rises with size, but saturates: huge patches are usually mechanical.
  z += 0.5 * Math.tanh((size - 2.4) / 0.9);
  // Rework of unstable code is risky, more so when the change is spread over many files.
  z += 3.0 * Math.max(0, patch.code_churn_score - 0.45) * (1 + 0.5 * spread);
  // Hotfixes skip the full test cycle: risky when they are not small.
  z += patch.is_hotfix ? (size > 2.3 ? 2.6 : -0.5) : 0;
  // Security patches touch privileged code: risky on old fleets with big images.
  z += patch.patch_security ? (oldFleet && patch.patch_size_mb > 2 ? 2.4 : 0.2) : 0;
  // Old devices (little free flash, old bootloaders) fail on large images, and only on those.
  z += oldFleet * (2.8 * Math.tanh(patch.patch_size_mb / 5) - 0.5);
  // Sharpen the rule (a well-tested process makes risk more predictable) and set the base rate near 17%.
  return 1.7 * z + 2.9;
}

function firmwarePatch(random: Random, index: number): FirmwarePatch {
  const lines = Math.round(clamp(Math.exp(random.normal(5.3, 1.45)), 1, 250000));
  const files = Math.max(1, Math.round(Math.exp(random.normal(0.25 + 0.38 * Math.log1p(lines / 40), 0.55))));
  const size = clamp(0.15 + (lines * 0.0018 + files * 0.04) * Math.exp(random.normal(0, 0.45)), 0.05, 900);
  const churn = clamp(0.08 + 0.055 * Math.log1p(lines) + random.normal(0, 0.14), 0, 1.5);
  const age = Math.round(clamp(Math.exp(random.normal(6.1, 0.75)), 7, 4000) * 10) / 10;
  const hotfix = random.bernoulli(lines < 300 ? 0.16 : 0.07);
  const security = random.bernoulli(0.14);
  const features = {
    code_churn_score: Math.round(churn * 1000) / 1000,
    patch_size_mb: Math.round(size * 100) / 100,
    lines_changed: lines,
    files_changed: files,
    avg_device_age_days: age,
    is_hotfix: hotfix,
    patch_security: security
  };
  // Label noise: a logistic draw around the rule with a normal term (sd 0.5), plus 2% of labels flipped (mislabelled triage).
  let label = random.bernoulli(sigmoid(firmwareRiskLogit(features) + random.normal(0, 0.5)));
  if (random.next() < 0.02) label = label ? 0 : 1;
  return { patch_id: `FW-${String(index + 1).padStart(6, '0')}`, ...features, high_risk_flag: label };
}

export function generateFirmwarePatches(rows: number, seed: number): FirmwarePatch[] {
  const random = createRandom(seed);
  return Array.from({ length: rows }, (_, i) => firmwarePatch(random, i));
}

export interface Deployment {
  deployment_id: string;
  latency_ms: number;
  error_rate: number;
  cpu_usage: number;
  memory_usage: number;
  rollback: 0 | 1;
}

/** Log-odds that a deployment is rolled back, from its early health (documented in the README). */
export function rollbackLogit(d: Omit<Deployment, 'deployment_id' | 'rollback'>): number {
  let z = -3.4;
  // Errors dominate: a few percent of failed requests usually means a rollback.
  z += 2.6 * Math.tanh(d.error_rate / 0.03);
  // Latency matters past ~400 ms, and much more when errors rise too (timeouts cascading).
  z += 1.2 * Math.tanh((d.latency_ms - 400) / 250) * (1 + 8 * Math.min(d.error_rate, 0.1));
  // Resource saturation: high CPU alone is often fine (autoscaling), high CPU with high memory is not.
  z += d.cpu_usage > 80 && d.memory_usage > 80 ? 1.8 : d.memory_usage > 90 ? 1.0 : 0;
  // Sharpen the rule (these metrics are strong signals once they move) and set the base rate near 15%.
  return 2 * z + 4.2;
}

function deployment(random: Random, index: number): Deployment {
  const load = random.normal(0, 1);
  const latency = clamp(Math.exp(random.normal(5.2 + 0.25 * load, 0.55)), 5, 20000);
  const errors = clamp(Math.exp(random.normal(-5.3 + 0.35 * load, 1.3)), 0, 1);
  const cpu = clamp(random.normal(48 + 12 * load, 17), 1, 100);
  const memory = clamp(random.normal(55 + 0.35 * (cpu - 48), 14), 1, 100);
  const health = {
    latency_ms: Math.round(latency * 10) / 10,
    error_rate: Math.round(errors * 100000) / 100000,
    cpu_usage: Math.round(cpu * 10) / 10,
    memory_usage: Math.round(memory * 10) / 10
  };
  let rollback = random.bernoulli(sigmoid(rollbackLogit(health) + random.normal(0, 0.5)));
  if (random.next() < 0.02) rollback = rollback ? 0 : 1;
  return { deployment_id: `DEP-${String(index + 1).padStart(6, '0')}`, ...health, rollback };
}

/** Synthetic deployment history with early health metrics and the rollback label. */
export function generateDeployments(rows: number, seed: number): Deployment[] {
  const random = createRandom(seed);
  return Array.from({ length: rows }, (_, i) => deployment(random, i));
}
