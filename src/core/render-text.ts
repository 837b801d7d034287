/**
 * The commit table for a terminal (`patch-risk gate --commits`, `score
 * --commits`): plain text in aligned columns, riskiest first, with the same
 * phrases, arrows, percentiles, "Review first" and "What would lower the risk" as the PR comment. Every
 * text from the repository (subjects, names) is one visible line, and no
 * line starts with it, so nothing printed can act as a workflow command.
 */
import { describeBudget } from './budget.js';
import type { ScoredPatches } from './pipeline.js';
import { reasonsOfRow, reasonsText, STRENGTH_LEGEND } from './reasons.js';
import type { SuggestedReviewer } from './render-commits.js';
import { alignColumns, plainText } from './text.js';

export interface CommitTextOptions {
  /** The range as the user gave it, e.g. "origin/main..HEAD". */
  range: string;
  /** Suggested reviewers by full commit hash (names only). */
  reviewers?: Record<string, SuggestedReviewer[]>;
}

const REVIEW_FIRST = 3;

function cell(result: ScoredPatches, row: number, name: string, max: number): string {
  const column = result.table.columns.indexOf(name);
  return column < 0 ? '' : plainText(result.table.rows[row][column] ?? '', max);
}

/** What sets the buckets: the alert budget in use, or the card's thresholds (and why the budget is not in use). */
export function thresholdsLine(result: ScoredPatches): string {
  const { high, medium } = result.plan.thresholds;
  const calibration = result.calibration;
  const budget = calibration && describeBudget(calibration);
  if (budget) return `Alert budget: ${budget}.`;
  const origin =
    calibration?.origin === 'threshold'
      ? `High ≥ ${high} (set explicitly), Medium ≥ ${medium} (the model card's)`
      : `High ≥ ${high}, Medium ≥ ${medium} (the model card's)`;
  return calibration?.note ? `${origin}: ${calibration.note}.` : `${origin}.`;
}

export function commitTextReport(result: ScoredPatches, options: CommitTextOptions): string {
  const { plan } = result;
  const { totals } = plan;
  const percentiles = result.calibration?.percentiles;
  const withReasons = result.reasons !== undefined;
  const header = [
    '#',
    'Commit',
    'Risk',
    'Bucket',
    ...(percentiles ? ['Riskier than'] : []),
    'Subject',
    'Author',
    ...(withReasons ? ['Top reasons'] : [])
  ];
  const rows = plan.byRank.map((index) => {
    const patch = plan.patches[index];
    return [
      String(patch.qa_rank),
      patch.id.slice(0, 7),
      patch.risk_score.toFixed(3),
      patch.risk_bucket,
      ...(percentiles ? [`${Math.floor(percentiles[index])}%`] : []),
      cell(result, index, 'subject', 50),
      cell(result, index, 'author', 24),
      ...(withReasons ? [plainText(reasonsText(reasonsOfRow(result, index)), 200)] : [])
    ];
  });
  const legend = [
    ...(withReasons && rows.length > 0 ? [STRENGTH_LEGEND] : []),
    ...(percentiles && result.calibration?.reference
      ? [`Riskier than: the share of ${result.calibration.reference.label} that scored lower.`]
      : [])
  ];
  const risky = plan.byRank.filter((index) => plan.patches[index].risk_bucket !== 'Low').slice(0, REVIEW_FIRST);
  const review = risky.map((index) => {
    const id = plan.patches[index].id;
    const names = (options.reviewers?.[id] ?? []).map((reviewer) => plainText(reviewer.name, 40));
    return `  ${id.slice(0, 7)} ${cell(result, index, 'subject', 50)}: ${names.length === 0 ? 'nobody else has changed these files' : `ask ${names.join(', ')}`}`;
  });
  const advice = plan.byRank
    .filter((index) => result.whatIf?.[index] !== undefined)
    .map((index) => `  ${plan.patches[index].id.slice(0, 7)}: ${plainText(result.whatIf?.[index] ?? '', 300)}`);
  const count = `${totals.patches} commit${totals.patches === 1 ? '' : 's'}`;
  return [
    `Commits ${plainText(options.range, 200)}: ${count}, ${totals.high} High, ${totals.medium} Medium, ${totals.low} Low (max risk ${totals.max_risk.toFixed(3)}).`,
    thresholdsLine(result),
    '',
    ...(rows.length === 0 ? ['No commits in the range.'] : alignColumns([header, ...rows])),
    ...(legend.length > 0 ? ['', ...legend] : []),
    ...(review.length > 0 ? ['', 'Review first:', ...review] : []),
    ...(advice.length > 0 ? ['', 'What would lower the risk:', ...advice] : []),
    ''
  ].join('\n');
}
