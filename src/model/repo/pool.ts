/**
 * Public data a repository model may start from: the published projects'
 * commits (data/jit/), pooled with the repository's own training rows and
 * weighted toward them. The trainer has no row weights, so the weight is
 * the share of public rows drawn: `ratio` public rows per own row, drawn at
 * random (seeded) from the public commits dated no later than the newest own
 * training row (nothing from the future of the training period).
 */
import type { PatchTable } from '../../core/read.js';
import { createRandom } from '../gbdt/random.js';
import type { JitProject } from '../jit/data.js';
import { HISTORY_DATE } from './history.js';

/** Public rows per own training row tried when pooling (own rows only is always tried too). */
export const POOL_RATIOS: readonly number[] = Object.freeze([0.5, 1]);

export interface PublicRows {
  /** Project names, in the order given. */
  projects: string[];
  featureNames: string[];
  /** Row-major, featureNames order. */
  features: Float32Array;
  labels: Uint8Array;
  dates: Float64Array;
}

/** The projects' rows as one block; every project must have exactly `featureNames`, in that order, and a date column. */
export function publicRows(projects: readonly JitProject[], featureNames: readonly string[]): PublicRows {
  const parts = projects.map(({ name, table }) => {
    if (table.featureNames.join(',') !== featureNames.join(',')) {
      throw new RangeError(`public project ${name} has features ${table.featureNames.join(', ')}, not ${featureNames.join(', ')}`);
    }
    return { name, table, dates: datesOf(name, table) };
  });
  const total = parts.reduce((sum, part) => sum + part.table.ids.length, 0);
  const width = featureNames.length;
  const features = new Float32Array(total * width);
  const labels = new Uint8Array(total);
  const dates = new Float64Array(total);
  let at = 0;
  for (const { table, dates: d } of parts) {
    features.set(table.features, at * width);
    labels.set(table.labels as Uint8Array, at);
    dates.set(d, at);
    at += table.ids.length;
  }
  return { projects: parts.map((part) => part.name), featureNames: [...featureNames], features, labels, dates };
}

function datesOf(name: string, table: PatchTable): Float64Array {
  const column = table.columns.indexOf(HISTORY_DATE);
  if (column < 0) throw new RangeError(`public project ${name} has no "${HISTORY_DATE}" column to keep its future out`);
  if (!table.labels) throw new RangeError(`public project ${name} has no labels`);
  return Float64Array.from(table.rows, (row) => Number(row[column]));
}

/**
 * Indices of `count` public rows dated at or before `notAfter`, drawn at
 * random without replacement (seeded), in ascending order; all of them when
 * fewer are available.
 */
export function drawPublicRows(rows: PublicRows, notAfter: number, count: number, seed: number): number[] {
  const eligible: number[] = [];
  for (let i = 0; i < rows.dates.length; i++) if (rows.dates[i] <= notAfter) eligible.push(i);
  const want = Math.min(Math.max(0, Math.round(count)), eligible.length);
  const random = createRandom(seed);
  // Partial Fisher-Yates: the first `want` slots are a uniform sample.
  for (let i = 0; i < want; i++) {
    const j = i + Math.floor(random.next() * (eligible.length - i));
    [eligible[i], eligible[j]] = [eligible[j], eligible[i]];
  }
  return eligible.slice(0, want).sort((a, b) => a - b);
}
