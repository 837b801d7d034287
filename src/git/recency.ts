/**
 * Recency-weighted change count for `rexp`: the sum over earlier changes of
 * 1 / (age in days + 1), kept in bounded memory.
 *
 * Changes are stored as (mean time, count) buckets. A bucket is merged with its
 * newer neighbour once the gap between them is under 1/32 of its age, so the number
 * of buckets grows with the logarithm of the time span, not with the number of
 * changes. The weight is convex and smooth, so replacing close points by their
 * mean shifts the sum by well under 1% (checked by a test against the exact sum).
 */

const DAY = 86_400;
const MERGE_RATIO = 32;
const COMPACT_AT = 48;

interface Bucket {
  time: number;
  count: number;
}

/** The counter as plain data: [time, count] buckets and the compaction limit. */
export interface RecencySnapshot {
  buckets: [number, number][];
  limit: number;
}

export class RecencyCounter {
  private buckets: Bucket[] = [];
  private limit = COMPACT_AT;

  snapshot(): RecencySnapshot {
    return { buckets: this.buckets.map((b) => [b.time, b.count]), limit: this.limit };
  }

  static restore(s: RecencySnapshot): RecencyCounter {
    const counter = new RecencyCounter();
    counter.buckets = s.buckets.map(([time, count]) => ({ time, count }));
    counter.limit = s.limit;
    return counter;
  }

  /** Record `count` changes at `time` (unix seconds). */
  add(time: number, count: number): void {
    if (count <= 0) return;
    const last = this.buckets[this.buckets.length - 1];
    if (last && Math.abs(last.time - time) < 1) {
      last.count += count;
      return;
    }
    this.buckets.push({ time, count });
    if (this.buckets.length > this.limit) {
      this.compact(time);
      // Amortised: if little could be merged, wait until the list doubles before trying again.
      this.limit = Math.max(COMPACT_AT, 2 * this.buckets.length);
    }
  }

  /** Sum of 1 / (max(0, now - t) / 86400 + 1) over recorded changes. */
  weight(now: number): number {
    let sum = 0;
    for (const b of this.buckets) sum += b.count / (Math.max(0, now - b.time) / DAY + 1);
    return sum;
  }

  get size(): number {
    return this.buckets.length;
  }

  private compact(now: number): void {
    const merged: Bucket[] = [];
    for (const b of this.buckets) {
      const prev = merged[merged.length - 1];
      if (prev) {
        const gapDays = Math.abs(b.time - prev.time) / DAY;
        const ageDays = Math.max(0, now - Math.max(b.time, prev.time)) / DAY;
        if (gapDays * MERGE_RATIO <= ageDays) {
          const count = prev.count + b.count;
          prev.time = (prev.time * prev.count + b.time * b.count) / count;
          prev.count = count;
          continue;
        }
      }
      merged.push({ ...b });
    }
    this.buckets = merged;
  }
}
