/**
 * The report's table in commit mode: one row per mined commit, riskiest
 * first, each linked to the commit, with its percentile among the
 * repository's recent commits and suggested reviewers for the Medium/High
 * ones; and "Review first", the riskiest commits with their reviewers.
 * Subjects and authors come from the table's `subject` and `author` columns
 * (as `patch-risk mine` writes them) and are escaped.
 */
import { BUCKET_ICON, escapeMarkdown, MAX_CELL, percentileCell, reasonsCell, safeUrl } from './markdown.js';
import type { ScoredPatches } from './pipeline.js';

export interface SuggestedReviewer {
  /** Name from the git history: shown as plain text, so nobody is notified. */
  name: string;
  /** GitHub login: set only when the team opted in to @-mentions; then shown as `@login`. */
  login?: string;
}

export interface CommitRenderInfo {
  /** e.g. https://github.com/acme/app: commit links are `${repoUrl}/commit/${sha}`; without it, short hashes are not linked. */
  repoUrl?: string;
  /** Suggested reviewers by full commit hash; shown for Medium and High commits only. */
  reviewers?: Record<string, SuggestedReviewer[]>;
}

const MAX_SUBJECT = 72;
const MAX_NAME = 40;
/** Commits listed under "Review first", at most. */
const REVIEW_FIRST = 3;
const HASH = /^[0-9a-f]{7,64}$/i;
const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;

/** Short hash linked to the commit (any other id is shown as escaped text). */
export function commitLink(id: string, info: CommitRenderInfo): string {
  if (!HASH.test(id)) return escapeMarkdown(id, MAX_CELL);
  if (info.repoUrl === undefined) return `\`${id.slice(0, 7)}\``;
  return `[\`${id.slice(0, 7)}\`](${safeUrl(`${info.repoUrl.replace(/\/+$/, '')}/commit/${id}`)})`;
}

/** Plain names, or `@login` for reviewers whose login the team asked to mention. */
export function reviewerList(reviewers: readonly SuggestedReviewer[]): string {
  if (reviewers.length === 0) return '—';
  return reviewers.map((r) => (r.login !== undefined && LOGIN.test(r.login) ? `@${r.login}` : escapeMarkdown(r.name, MAX_NAME))).join(', ');
}

/** A cell of the table's text columns (subject, author), '' when the table has no such column. */
function textCell(result: ScoredPatches, row: number, name: string): string {
  const column = result.table.columns.indexOf(name);
  return column < 0 ? '' : (result.table.rows[row][column] ?? '');
}

export function commitTable(result: ScoredPatches, info: CommitRenderInfo): { header: string[]; rows: string[] } {
  const { plan } = result;
  const withReasons = result.reasons !== undefined;
  const percentiles = result.calibration?.percentiles;
  const withReviewers = plan.patches.some((patch) => patch.risk_bucket !== 'Low');
  // Lines in ignored paths (lockfiles, bundles, vendored code) count in no metric: say how many, so nothing hides there.
  const ignored = plan.patches.map((patch) => Number(textCell(result, patch.index, 'ignored_lines')) || 0);
  const withIgnored = ignored.some((lines) => lines > 0);
  const names = [
    '#',
    'Commit',
    'Subject',
    'Author',
    'Risk',
    'Bucket',
    ...(percentiles ? ['Riskier than'] : []),
    ...(withIgnored ? ['Ignored lines'] : []),
    ...(withReasons ? ['Top reasons'] : []),
    ...(withReviewers ? ['Suggested reviewers'] : [])
  ];
  const aligns = [
    '---:',
    '---',
    '---',
    '---',
    '---:',
    '---',
    ...(percentiles ? ['---:'] : []),
    ...(withIgnored ? ['---:'] : []),
    ...(withReasons ? ['---'] : []),
    ...(withReviewers ? ['---'] : [])
  ];
  const rows = plan.byRank.map((index) => {
    const patch = plan.patches[index];
    const cells = [
      String(patch.qa_rank),
      commitLink(patch.id, info),
      escapeMarkdown(textCell(result, index, 'subject'), MAX_SUBJECT),
      escapeMarkdown(textCell(result, index, 'author'), MAX_NAME),
      patch.risk_score.toFixed(3),
      `${BUCKET_ICON[patch.risk_bucket]} ${patch.risk_bucket}`,
      ...(percentiles ? [percentileCell(percentiles[index])] : []),
      ...(withIgnored ? [ignored[index] > 0 ? ignored[index].toLocaleString('en-US') : ''] : []),
      ...(withReasons ? [reasonsCell(result, index)] : []),
      ...(withReviewers ? [patch.risk_bucket === 'Low' ? '' : reviewerList(info.reviewers?.[patch.id] ?? [])] : [])
    ];
    return `| ${cells.join(' | ')} |`;
  });
  return { header: [`| ${names.join(' | ')} |`, `|${aligns.join('|')}|`], rows };
}

/**
 * "Review first": the riskiest Medium/High commits (up to three), each with
 * its subject, bucket, percentile here and suggested reviewers. Nothing when
 * every commit is Low.
 */
export function reviewFirstSection(result: ScoredPatches, info: CommitRenderInfo): string[] {
  const { plan, calibration } = result;
  const risky = plan.byRank.filter((index) => plan.patches[index].risk_bucket !== 'Low').slice(0, REVIEW_FIRST);
  if (risky.length === 0) return [];
  const lines = risky.map((index) => {
    const patch = plan.patches[index];
    const percentile = calibration?.percentiles?.[index];
    const here =
      percentile === undefined || !calibration?.reference
        ? ''
        : `, riskier than ${percentileCell(percentile)} of ${escapeMarkdown(calibration.reference.label)}`;
    const reviewers = info.reviewers?.[patch.id] ?? [];
    const who = reviewers.length === 0 ? 'nobody else has changed these files' : `ask ${reviewerList(reviewers)}`;
    const subject = escapeMarkdown(textCell(result, index, 'subject'), MAX_SUBJECT);
    return `- ${commitLink(patch.id, info)} ${subject} — ${BUCKET_ICON[patch.risk_bucket]} ${patch.risk_bucket}${here}; ${who}`;
  });
  return ['**Review first:**', '', ...lines, ''];
}
