/**
 * Shadow (challenger) model: scores the same patches beside the champion and
 * is only reported on — the gate's decision is always the champion's.
 */
import type { ModelSummary, ScoredPatches } from '../../core/pipeline.js';

export interface DifferingPatch {
  id: string;
  champion_score: number;
  champion_high_risk: 0 | 1;
  challenger_score: number;
  challenger_high_risk: 0 | 1;
}

export interface ChallengerComparison {
  champion: { name: string; version: string; threshold: number };
  challenger: { name: string; version: string; threshold: number };
  patches: number;
  /** Share of patches with the same high_risk decision. */
  agreement: number;
  /** Spearman rank correlation of the two models' scores (average ranks for ties); null with < 2 patches or constant scores. */
  spearman: number | null;
  /** Patches whose high_risk decisions differ, in input order. */
  differing: DifferingPatch[];
}

/** 1-based ranks with ties sharing their average rank. */
export function averageRanks(values: ArrayLike<number>): Float64Array {
  const n = values.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => values[a] - values[b] || a - b);
  const ranks = new Float64Array(n);
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && values[order[j + 1]] === values[order[i]]) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) ranks[order[k]] = rank;
    i = j + 1;
  }
  return ranks;
}

/** Spearman's rho: the Pearson correlation of the average ranks; null when undefined. */
export function spearman(a: ArrayLike<number>, b: ArrayLike<number>): number | null {
  if (a.length !== b.length) throw new RangeError(`spearman: ${a.length} values against ${b.length}`);
  const n = a.length;
  if (n < 2) return null;
  const ra = averageRanks(a);
  const rb = averageRanks(b);
  const mean = (n + 1) / 2;
  let cov = 0;
  let va = 0;
  let vb = 0;
  for (let i = 0; i < n; i++) {
    cov += (ra[i] - mean) * (rb[i] - mean);
    va += (ra[i] - mean) ** 2;
    vb += (rb[i] - mean) ** 2;
  }
  return va === 0 || vb === 0 ? null : cov / Math.sqrt(va * vb);
}

function modelOf(summary: ModelSummary): ChallengerComparison['champion'] {
  return { name: summary.name, version: summary.version, threshold: summary.threshold };
}

/** Compare the challenger's scores and decisions with the champion's on the same patches (same rows, same order). */
export function compareChallenger(champion: ScoredPatches, challenger: ScoredPatches): ChallengerComparison {
  const a = champion.plan.patches;
  const b = challenger.plan.patches;
  if (a.length !== b.length)
    throw new RangeError(`compareChallenger: the champion scored ${a.length} patches but the challenger ${b.length}`);
  const differing: DifferingPatch[] = [];
  for (let i = 0; i < a.length; i++) {
    if (a[i].high_risk !== b[i].high_risk) {
      differing.push({
        id: a[i].id,
        champion_score: a[i].risk_score,
        champion_high_risk: a[i].high_risk,
        challenger_score: b[i].risk_score,
        challenger_high_risk: b[i].high_risk
      });
    }
  }
  return {
    champion: modelOf(champion.model),
    challenger: modelOf(challenger.model),
    patches: a.length,
    agreement: a.length === 0 ? 1 : (a.length - differing.length) / a.length,
    spearman: spearman(champion.scores, challenger.scores),
    differing
  };
}

function describe(model: ChallengerComparison['champion']): string {
  return `${model.name} ${model.version}`;
}

function rho(comparison: ChallengerComparison): string {
  return comparison.spearman === null ? 'n/a' : comparison.spearman.toFixed(4);
}

/** Plain text (stderr beside CSV output); lists at most `limit` differing patches. */
export function renderChallengerText(comparison: ChallengerComparison, limit = 20): string {
  const lines = [
    `challenger ${describe(comparison.challenger)} (shadow; the decision is ${describe(comparison.champion)}'s):`,
    `  decision agreement ${(comparison.agreement * 100).toFixed(1)}% of ${comparison.patches} patches, Spearman rank correlation ${rho(comparison)}`
  ];
  if (comparison.differing.length === 0) lines.push('  no patch has a different decision');
  else {
    lines.push(`  ${comparison.differing.length} patch(es) decided differently (id: champion score/high → challenger score/high):`);
    for (const d of comparison.differing.slice(0, limit)) {
      lines.push(
        `    ${d.id}: ${d.champion_score.toFixed(4)}/${d.champion_high_risk} → ${d.challenger_score.toFixed(4)}/${d.challenger_high_risk}`
      );
    }
    if (comparison.differing.length > limit) lines.push(`    … and ${comparison.differing.length - limit} more`);
  }
  return lines.join('\n') + '\n';
}

/** A Markdown section for reports, PR comments and job summaries. */
export function renderChallengerMarkdown(comparison: ChallengerComparison, limit = 20): string {
  const lines = [
    `### Challenger ${describe(comparison.challenger)} (shadow)`,
    '',
    `The gate's decision is the champion's (${describe(comparison.champion)}); the challenger is only compared.`,
    '',
    `- Decision agreement: **${(comparison.agreement * 100).toFixed(1)}%** of ${comparison.patches} patches`,
    `- Spearman rank correlation of scores: **${rho(comparison)}**`,
    ''
  ];
  if (comparison.differing.length === 0) lines.push('No patch has a different decision.');
  else {
    lines.push('| patch | champion score | champion high risk | challenger score | challenger high risk |', '|---|---:|---:|---:|---:|');
    for (const d of comparison.differing.slice(0, limit)) {
      lines.push(
        `| ${d.id.replace(/\|/g, '\\|')} | ${d.champion_score.toFixed(4)} | ${d.champion_high_risk} | ${d.challenger_score.toFixed(4)} | ${d.challenger_high_risk} |`
      );
    }
    if (comparison.differing.length > limit) lines.push('', `… and ${comparison.differing.length - limit} more.`);
  }
  return lines.join('\n') + '\n';
}
