/**
 * The sticky PR comment: ONE comment per comment-key, found by its hidden
 * marker among all pages of the PR's comments, then updated or created.
 * Timeouts, retries and the API budget are in github-client.ts.
 */
import { classifyFailure, type Octokit } from './github-client.js';

export { createOctokit, type Octokit } from './github-client.js';

/** Create attempts whose answer was lost before giving up (each first looks for the comment). */
export const CREATE_ATTEMPTS = 3;

export interface CommentTarget {
  owner: string;
  repo: string;
  issueNumber: number;
}

export type CommentOutcome = { action: 'created' | 'updated'; id: number; url: string } | { action: 'skipped' };

/** The first comment whose body holds the marker, walking every page (a PR can have hundreds of comments). */
export async function findComment(
  octokit: Octokit,
  target: CommentTarget,
  marker: string
): Promise<{ id: number; html_url: string } | undefined> {
  const pages = octokit.paginate.iterator(octokit.rest.issues.listComments, {
    owner: target.owner,
    repo: target.repo,
    issue_number: target.issueNumber,
    per_page: 100
  });
  for await (const page of pages) {
    const found = page.data.find((comment) => comment.body?.includes(marker));
    if (found) return found;
  }
  return undefined;
}

/**
 * Update the comment holding `marker`, or create it when `create` is true
 * (comment: on-risk with nothing at risk only updates an existing comment).
 */
export async function upsertComment(
  octokit: Octokit,
  target: CommentTarget,
  marker: string,
  body: string,
  create: boolean
): Promise<CommentOutcome> {
  const existing = await findComment(octokit, target, marker);
  const repo = { owner: target.owner, repo: target.repo };
  if (existing) {
    const { data } = await octokit.rest.issues.updateComment({ ...repo, comment_id: existing.id, body });
    return { action: 'updated', id: data.id, url: data.html_url };
  }
  if (!create) return { action: 'skipped' };
  for (let attempt = 1; ; attempt++) {
    try {
      const { data } = await octokit.rest.issues.createComment({ ...repo, issue_number: target.issueNumber, body });
      return { action: 'created', id: data.id, url: data.html_url };
    } catch (error) {
      // A POST whose answer was lost (5xx, timeout, cut connection) may have created the comment: look before posting again.
      if (classifyFailure(error, Date.now()).kind !== 'uncertain' || attempt >= CREATE_ATTEMPTS) throw error;
      const created = await findComment(octokit, target, marker);
      if (created) return { action: 'created', id: created.id, url: created.html_url };
    }
  }
}

/** A warning for a failed comment; the gate never depends on the comment. */
export function commentFailureMessage(error: unknown): string {
  const status = (error as { status?: number }).status;
  const detail = error instanceof Error ? error.message : String(error);
  if (status === 403 && !/rate limit/i.test(detail)) {
    return (
      `could not write the PR comment (403 Forbidden: ${detail}). The token needs "permissions: pull-requests: write"; ` +
      'on pull requests from forks the GITHUB_TOKEN is read-only, so no comment is posted. The gate, summary and outputs are unaffected.'
    );
  }
  if (status === 404)
    return `could not write the PR comment (404 Not Found: ${detail}); check the repository and the token's access. The gate is unaffected.`;
  return `could not write the PR comment (${status ?? 'network error'}: ${detail}). The gate is unaffected.`;
}
