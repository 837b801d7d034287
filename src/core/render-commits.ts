/**
 * The report's table in commit mode: one row per mined commit, riskiest
 * first, each linked to the commit, with suggested reviewers for the
 * Medium/High ones. Subjects and authors come from the table's `subject` and
 * `author` columns (as `patch-risk mine` writes them) and are escaped.
 */
import { BUCKET_ICON, escapeMarkdown, MAX_CELL, MAX_REASON, safeUrl } from './markdown.js';
import type { ScoredPatches } from './pipeline.js';

export interface SuggestedReviewer {
  /** Name from the git history: shown as plain text, so nobody is notified. */
  name: string;
  /** GitHub login: set only when the team opted in to @-mentions; then shown as `@login`. */
  login?: string;
}

export interface CommitRenderInfo {
  /** e.g. https://github.com/acme/app: commit links are `${repoUrl}/commit/${sha}`. */
  repoUrl: string;
  /** Suggested reviewers by full commit hash; shown for Medium and High commits only. */
  reviewers?: Record<string, SuggestedReviewer[]>;
}

const MAX_SUBJECT = 72;
const MAX_NAME = 40;
const HASH = /^[0-9a-f]{7,64}$/i;
const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;

/** Short hash linked to the commit (any other id is shown as escaped text). */
export function commitLink(id: string, info: CommitRenderInfo): string {
  if (!HASH.test(id)) return escapeMarkdown(id, MAX_CELL);
  return `[\`${id.slice(0, 7)}\`](${safeUrl(`${info.repoUrl.replace(/\/+$/, '')}/commit/${id}`)})`;
}

/** Plain names, or `@login` for reviewers whose login the team asked to mention. */
export function reviewerList(reviewers: readonly SuggestedReviewer[]): string {
  if (reviewers.length === 0) return '—';
  return reviewers.map((r) => (r.login !== undefined && LOGIN.test(r.login) ? `@${r.login}` : escapeMarkdown(r.name, MAX_NAME))).join(', ');
}

export function commitTable(result: ScoredPatches, info: CommitRenderInfo): { header: string[]; rows: string[] } {
  const { table, plan } = result;
  const subject = table.columns.indexOf('subject');
  const author = table.columns.indexOf('author');
  const cell = (row: number, column: number): string => (column < 0 ? '' : (table.rows[row][column] ?? ''));
  const withReasons = result.reasons !== undefined;
  const withReviewers = plan.patches.some((patch) => patch.risk_bucket !== 'Low');
  const names = [
    '#',
    'Commit',
    'Subject',
    'Author',
    'Risk',
    'Bucket',
    ...(withReasons ? ['Top reasons'] : []),
    ...(withReviewers ? ['Suggested reviewers'] : [])
  ];
  const aligns = ['---:', '---', '---', '---', '---:', '---', ...(withReasons ? ['---'] : []), ...(withReviewers ? ['---'] : [])];
  const rows = plan.byRank.map((index) => {
    const patch = plan.patches[index];
    const cells = [
      String(patch.qa_rank),
      commitLink(patch.id, info),
      escapeMarkdown(cell(index, subject), MAX_SUBJECT),
      escapeMarkdown(cell(index, author), MAX_NAME),
      patch.risk_score.toFixed(3),
      `${BUCKET_ICON[patch.risk_bucket]} ${patch.risk_bucket}`,
      ...(withReasons
        ? [
            (result.reasons?.[index] ?? [])
              .slice(0, 3)
              .map((reason) => escapeMarkdown(reason.text, MAX_REASON))
              .join('; ')
          ]
        : []),
      ...(withReviewers ? [patch.risk_bucket === 'Low' ? '' : reviewerList(info.reviewers?.[patch.id] ?? [])] : [])
    ];
    return `| ${cells.join(' | ')} |`;
  });
  return { header: [`| ${names.join(' | ')} |`, `|${aligns.join('|')}|`], rows };
}
