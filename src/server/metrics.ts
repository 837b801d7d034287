/**
 * The service's Prometheus metrics, on a registry of its own (never the
 * global one) so several servers in one process do not share counters.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { GateOutcome, LoadedModel } from '../index.js';
import { DriftWindow } from './drift-window.js';

export interface ServedModel {
  /** `name@version`, unique among the served models. */
  key: string;
  model: LoadedModel;
  drift: DriftWindow;
}

export interface ServiceMetrics {
  registry: Registry;
  requests: Counter<'route' | 'method' | 'status'>;
  latency: Histogram<'route' | 'method' | 'status'>;
  /** Record one scored batch: rows, high-risk rows and the verdict. */
  scored(model: LoadedModel, rows: number, highRisk: number, decision: GateOutcome): void;
}

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export function createServiceMetrics(models: ServedModel[]): ServiceMetrics {
  const registry = new Registry();
  // Unprefixed (process_*, nodejs_*) so the usual Node.js dashboards work.
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const requests = new Counter({
    name: 'patch_risk_http_requests_total',
    help: 'HTTP requests answered, by route, method and status code.',
    labelNames: ['route', 'method', 'status'] as const,
    registers
  });
  const latency = new Histogram({
    name: 'patch_risk_http_request_duration_seconds',
    help: 'Time from the request to the end of the response, by route, method and status code.',
    labelNames: ['route', 'method', 'status'] as const,
    buckets: LATENCY_BUCKETS,
    registers
  });
  const rowsScored = new Counter({
    name: 'patch_risk_rows_scored_total',
    help: 'Patch rows scored.',
    labelNames: ['model', 'version'] as const,
    registers
  });
  const highRiskRows = new Counter({
    name: 'patch_risk_high_risk_rows_total',
    help: 'Scored patch rows at or above the high-risk threshold.',
    labelNames: ['model', 'version'] as const,
    registers
  });
  const decisions = new Counter({
    name: 'patch_risk_decisions_total',
    help: 'Gate verdicts returned by /v1/score.',
    labelNames: ['model', 'version', 'decision'] as const,
    registers
  });
  const info = new Gauge({
    name: 'patch_risk_model_info',
    help: 'Loaded models (always 1), with the sha256 verified at load.',
    labelNames: ['name', 'version', 'sha256'] as const,
    registers
  });
  for (const { model } of models) info.set({ name: model.card.name, version: model.card.version, sha256: model.card.sha256 }, 1);

  // Drift is computed when scraped, from each model's window of recent rows.
  new Gauge({
    name: 'patch_risk_drift_window_rows',
    help: 'Scored rows currently in the drift window (PSI over few rows is noisy).',
    labelNames: ['model', 'version'] as const,
    registers,
    collect() {
      for (const { model, drift } of models) this.set({ model: model.card.name, version: model.card.version }, drift.rows);
    }
  });
  new Gauge({
    name: 'patch_risk_feature_psi',
    help: "PSI of each feature over the drift window against the model card's training baseline (absent until a row is scored).",
    labelNames: ['model', 'version', 'feature'] as const,
    registers,
    collect() {
      this.reset();
      for (const { model, drift } of models) {
        for (const { feature, psi } of drift.psiByFeature())
          this.set({ model: model.card.name, version: model.card.version, feature }, psi);
      }
    }
  });

  return {
    registry,
    requests,
    latency,
    scored(model, rows, highRisk, decision) {
      const labels = { model: model.card.name, version: model.card.version };
      rowsScored.inc(labels, rows);
      highRiskRows.inc(labels, highRisk);
      decisions.inc({ ...labels, decision });
    }
  };
}
