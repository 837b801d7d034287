/**
 * "What would lower the risk" for a High commit: split it by directory. The parts are the
 * miner's (git/split.ts: each directory's files as a commit of their own, with their real
 * metrics), scored by the same model with the thresholds in effect. As for firmware patches
 * (whatif.ts), advice is given only when it helps: every part is below High AND together the
 * parts are expected to cause fewer regressions than the commit (the sum of their risks is
 * below its risk). Otherwise there is no advice for the commit.
 */

export interface ScoredPart {
  /** The directory of the part's files ("" for files at the repository root). */
  directory: string;
  /** The model's risk of the part as a commit of its own. */
  score: number;
}

export interface SplitAdvice {
  /** The parts, riskiest first. */
  parts: (ScoredPart & { bucket: 'Medium' | 'Low' })[];
  /** Expected regressions of the commit as it is (its risk). */
  before: number;
  /** Expected regressions after the split (the sum of the parts' risks), below `before`. */
  after: number;
  /** One line for people, e.g. "split by directory: src/core (0.12, Medium) + docs (0.03, Low) → expected regressions 0.47 → 0.15". */
  text: string;
}

/** Parts named one by one in the text; the rest are summed up in one clause. */
export const MAX_NAMED_PARTS = 4;
/** Characters of a directory name in the text (the tail is kept: it is the part that tells directories apart). */
const MAX_DIRECTORY = 40;

function directoryName(directory: string): string {
  if (directory === '') return '(root files)';
  return directory.length <= MAX_DIRECTORY ? directory : `…${directory.slice(-(MAX_DIRECTORY - 1))}`;
}

/** Two decimals, or three when two would print both totals alike. */
function totalsText(before: number, after: number): string {
  const digits = before.toFixed(2) === after.toFixed(2) ? 3 : 2;
  return `expected regressions ${before.toFixed(digits)} → ${after.toFixed(digits)}`;
}

/**
 * The split advice for a commit of risk `score` whose directory parts scored `parts`, under `thresholds`
 * (High at or above `high`, Medium at or above `medium`); undefined unless there are two or more parts, every part is
 * below High and the parts' risks sum to less than the commit's.
 */
export function splitAdvice(
  score: number,
  parts: readonly ScoredPart[],
  thresholds: { high: number; medium: number }
): SplitAdvice | undefined {
  if (parts.length < 2 || parts.some((part) => !(part.score < thresholds.high))) return undefined;
  const after = parts.reduce((sum, part) => sum + part.score, 0);
  if (!(after < score)) return undefined;
  const ranked = parts
    .map((part) => ({ ...part, bucket: part.score >= thresholds.medium ? ('Medium' as const) : ('Low' as const) }))
    .sort((a, b) => b.score - a.score || (a.directory < b.directory ? -1 : a.directory > b.directory ? 1 : 0));
  const named = ranked.length > MAX_NAMED_PARTS ? ranked.slice(0, MAX_NAMED_PARTS - 1) : ranked;
  const rest = ranked.slice(named.length);
  const clauses = named.map((part) => `${directoryName(part.directory)} (${part.score.toFixed(2)}, ${part.bucket})`);
  if (rest.length > 0) {
    const top = rest[0];
    const buckets = top.bucket === 'Low' ? 'Low' : 'Medium or Low';
    clauses.push(`${rest.length} more directories (each ≤ ${top.score.toFixed(2)}, ${buckets})`);
  }
  return { parts: ranked, before: score, after, text: `split by directory: ${clauses.join(' + ')} → ${totalsText(score, after)}` };
}
