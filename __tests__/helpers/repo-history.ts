/**
 * Labelled commit histories for repository-model tests: the 14 change
 * metrics with a label whose cause the caller picks, so a test knows whether
 * a model trained on the repository can beat a default that learnt another
 * cause. Deterministic (seeded).
 */
import {
  createRandom,
  JIT_SCHEMA,
  predictProbabilities,
  tableFromRaw,
  trainModel,
  type ModelCard,
  type RawTable,
  type Scorer
} from '../../src/index.js';
import { METRIC_COLUMNS } from '../../src/git/csv.js';

export const HOUR = 3600;
export const START = 1_500_000_000;

export type Cause = 'size' | 'age' | 'noise';

export interface HistoryOptions {
  rows: number;
  seed: number;
  /** What makes a commit buggy: many changed lines, young files, or nothing at all. */
  cause: Cause;
  /** Seconds between commits (default one hour). */
  step?: number;
  start?: number;
}

/** Rows of commit,date,bug and the 14 metrics, oldest first. */
export function historyRows(options: HistoryOptions): string[][] {
  const rng = createRandom(options.seed);
  const r = (): number => rng.next();
  const rows: string[][] = [];
  for (let i = 0; i < options.rows; i++) {
    const changed = Math.floor(Math.exp(r() * 7));
    const la = Math.floor(changed * (0.5 + r() * 0.5));
    const ld = changed - la;
    const nf = 1 + Math.floor(r() * 8);
    const nd = Math.max(1, Math.floor(nf / 2));
    const ns = Math.max(1, Math.floor(nd / 2));
    const age = r() * 400;
    const logit =
      options.cause === 'size' ? -4 + 0.8 * Math.log1p(changed) : options.cause === 'age' ? 1.5 - 0.02 * age : Math.log(0.3 / 0.7);
    const bug = r() < 1 / (1 + Math.exp(-logit)) ? 1 : 0;
    const metrics: Record<string, number> = {
      ns,
      nd,
      nf,
      entropy: nf === 1 ? 0 : Number((r() * Math.log2(nf)).toFixed(4)),
      la,
      ld,
      lt: Math.floor(r() * 3000),
      fix: r() < 0.3 ? 1 : 0,
      ndev: 1 + Math.floor(r() * 8),
      age: Number(age.toFixed(3)),
      nuc: nf + Math.floor(r() * 40),
      exp: Math.floor(r() * 500),
      rexp: Number((r() * 30).toFixed(4)),
      sexp: Math.floor(r() * 100)
    };
    const date = (options.start ?? START) + i * (options.step ?? HOUR);
    rows.push([`c${options.seed}x${i}`, String(date), String(bug), ...METRIC_COLUMNS.map((m) => String(metrics[m]))]);
  }
  return rows;
}

export const HISTORY_COLUMNS = ['commit', 'date', 'bug', ...METRIC_COLUMNS];

export function historyRaw(rows: string[][]): RawTable {
  return { columns: [...HISTORY_COLUMNS], rows, lines: Int32Array.from(rows, (_, i) => i + 2) };
}

export function historyCsv(rows: string[][]): string {
  return [HISTORY_COLUMNS.join(','), ...rows.map((row) => row.join(','))].join('\n') + '\n';
}

/** A default model in memory (no onnxruntime): trained on a history whose bugs come from `cause`. */
export function standInDefault(cause: Cause, name = 'jit'): Scorer {
  const raw = historyRaw(historyRows({ rows: 2000, seed: 99, cause }));
  const table = tableFromRaw('default.csv', raw, { features: JIT_SCHEMA.features, idColumn: 'commit', label: 'bug', requireLabel: true });
  const model = trainModel(
    table,
    { ...JIT_SCHEMA },
    {
      name,
      validationFraction: 0.2,
      split: 'time',
      seed: 3,
      params: { nTrees: 30, maxDepth: 3 },
      data: 'generated',
      provenance: 'test'
    },
    'v001'
  );
  const card: ModelCard = model.card;
  return {
    card,
    source: 'in-memory',
    score: (features: Float32Array, nRows: number) => Promise.resolve(predictProbabilities(model.ensemble, features, nRows)),
    release: () => Promise.resolve()
  };
}
