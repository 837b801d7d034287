/**
 * The sticky PR comment: ONE comment per comment-key, found by its hidden
 * marker among all pages of the PR's comments, then updated or created.
 * Timeouts, retries and the API budget are in github-client.ts.
 *
 * Anyone can write the marker into a comment, so a comment is ours only when
 * it also was written by the identity the token posts as (see
 * `tokenIdentity`); a forged marker in someone else's comment is ignored.
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

/** Who wrote a comment, as GitHub reports it in `user`. */
export interface CommentAuthor {
  login: string;
  type: 'Bot' | 'User';
}

/** Who the workflow's GITHUB_TOKEN writes as. */
export const GITHUB_ACTIONS_BOT: CommentAuthor = { login: 'github-actions[bot]', type: 'Bot' };

export interface TokenIdentity {
  author: CommentAuthor;
  /** How it was learnt, for the log. */
  source: 'graphql viewer' | 'GET /user' | 'assumed: the GITHUB_TOKEN';
}

/** GitHub App logins end in `[bot]`, which no user login can contain. */
function authorFromLogin(login: string): CommentAuthor {
  return { login, type: /\[bot\]$/i.test(login) ? 'Bot' : 'User' };
}

/**
 * The identity the token writes comments as. GET /user answers 403 for the
 * GITHUB_TOKEN and any GitHub App token, so GraphQL's `viewer` is asked
 * first: it names users and apps alike (`github-actions[bot]`,
 * `my-app[bot]`). When neither answers, the token is taken for the
 * GITHUB_TOKEN, which writes as github-actions[bot].
 */
export async function tokenIdentity(octokit: Octokit): Promise<TokenIdentity> {
  try {
    const { viewer } = await octokit.graphql<{ viewer?: { login?: unknown } }>('query { viewer { login } }');
    if (typeof viewer?.login === 'string' && viewer.login !== '')
      return { author: authorFromLogin(viewer.login), source: 'graphql viewer' };
  } catch {
    // GraphQL unavailable (an API that has none, a network fault): try REST.
  }
  try {
    const { data } = await octokit.rest.users.getAuthenticated();
    if (typeof data.login === 'string' && data.login !== '') {
      return { author: { login: data.login, type: data.type === 'Bot' ? 'Bot' : authorFromLogin(data.login).type }, source: 'GET /user' };
    }
  } catch {
    // 403 "Resource not accessible by integration": an app installation token such as the GITHUB_TOKEN.
  }
  return { author: GITHUB_ACTIONS_BOT, source: 'assumed: the GITHUB_TOKEN' };
}

interface ListedComment {
  id: number;
  html_url: string;
  body?: string;
  user?: { login?: string; type?: string } | null;
}

export function writtenBy(comment: ListedComment, author: CommentAuthor): boolean {
  return comment.user?.type === author.type && comment.user.login?.toLowerCase() === author.login.toLowerCase();
}

/** Asks for the token's identity once, and only when a comment holding the marker needs it. */
export type IdentityLookup = () => Promise<TokenIdentity>;

export function identityLookup(octokit: Octokit): IdentityLookup {
  let pending: Promise<TokenIdentity> | undefined;
  return () => (pending ??= tokenIdentity(octokit));
}

/**
 * The first comment holding the marker that the token's identity wrote,
 * walking every page (a PR can have hundreds of comments).
 */
export async function findComment(
  octokit: Octokit,
  target: CommentTarget,
  marker: string,
  identity: IdentityLookup = identityLookup(octokit)
): Promise<{ id: number; html_url: string } | undefined> {
  const pages = octokit.paginate.iterator(octokit.rest.issues.listComments, {
    owner: target.owner,
    repo: target.repo,
    issue_number: target.issueNumber,
    per_page: 100
  });
  for await (const page of pages) {
    const marked = page.data.filter((comment) => comment.body?.includes(marker));
    if (marked.length === 0) continue;
    const { author } = await identity();
    const found = marked.find((comment) => writtenBy(comment, author));
    if (found) return found;
  }
  return undefined;
}

export type CommentOutcome = { action: 'created' | 'updated'; id: number; url: string } | { action: 'skipped' };

/**
 * Update our comment holding `marker`, or create it when `create` is true
 * (comment: on-risk with nothing at risk only updates an existing comment).
 */
export async function upsertComment(
  octokit: Octokit,
  target: CommentTarget,
  marker: string,
  body: string,
  create: boolean,
  identity: IdentityLookup = identityLookup(octokit)
): Promise<CommentOutcome> {
  const existing = await findComment(octokit, target, marker, identity);
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
      const created = await findComment(octokit, target, marker, identity);
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
