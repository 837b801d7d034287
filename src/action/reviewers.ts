/**
 * Commit mode: suggested reviewers for each Medium/High commit, from the
 * miner's history pass (up to two people, not the author, with the most
 * recent changes to the touched files). Shown as plain names; with
 * `mention-reviewers: true` as @-mentions, for the people whose GitHub login
 * can be found (a users.noreply.github.com e-mail, or the login GitHub
 * attached to their commits in this repository). Nobody else is mentioned.
 *
 * Reviewers come from history before the pull request's base only. The
 * miner replays the PR's own commits too, and their author names and
 * e-mails are whatever the PR's author wrote (`1234+octocat@users.noreply…`
 * costs nothing to forge), so anyone who authored a commit of the scored
 * range is never suggested: every remaining candidate changed the files in a
 * commit reachable from the base. The PR's authors are not the reviewers
 * one wants anyway.
 */
import * as core from '@actions/core';
import { plainText, type CommitMetrics, type ScoredPatches, type SuggestedReviewer } from '../index.js';
import type { Octokit } from './github-client.js';
import type { RunContext } from './event.js';
import type { ActionInputs } from './inputs.js';

/** Logins looked up through the API in one run, at most. */
const MAX_LOOKUPS = 20;

const NOREPLY = /^(?:\d+\+)?([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))@users\.noreply\.github\.com$/i;

/** The login in a GitHub no-reply address (`12345+octocat@users.noreply.github.com`). */
export function noreplyLogin(email: string): string | undefined {
  return NOREPLY.exec(email)?.[1];
}

/** Who a person is to the miner: the e-mail, case-insensitively; the name when there is no e-mail. */
function personKey(name: string, email: string): string {
  const e = email.trim().toLowerCase();
  return e === '' ? `name:${name}` : e;
}

/**
 * Full commit hash -> its reviewers from before the range: the miner's
 * suggestions minus every author of a commit in `mined` (the scored range).
 */
export function reviewersFromBase(mined: readonly CommitMetrics[]): Map<string, CommitMetrics['reviewers']> {
  const rangeAuthors = new Set(mined.map((row) => personKey(row.author, row.email)));
  return new Map(mined.map((row) => [row.commit, row.reviewers.filter((r) => !rangeAuthors.has(personKey(r.name, r.email)))]));
}

/** Full commit hash -> suggested reviewers, for the Medium and High commits. */
export async function suggestedReviewers(
  result: ScoredPatches,
  mined: readonly CommitMetrics[],
  inputs: Pick<ActionInputs, 'mentionReviewers'>,
  context: Pick<RunContext, 'owner' | 'repo'>,
  api: (() => Promise<Octokit>) | undefined
): Promise<Record<string, SuggestedReviewer[]>> {
  const byCommit = reviewersFromBase(mined);
  const risky = result.plan.patches.filter((patch) => patch.risk_bucket !== 'Low').map((patch) => patch.id);
  const emails = [...new Set(risky.flatMap((id) => (byCommit.get(id) ?? []).map((reviewer) => reviewer.email)))];
  const logins = inputs.mentionReviewers ? await findLogins(emails, api, context) : new Map<string, string>();
  const suggested: Record<string, SuggestedReviewer[]> = {};
  for (const id of risky) {
    suggested[id] = (byCommit.get(id) ?? []).map((reviewer) => {
      const login = logins.get(reviewer.email);
      return login === undefined ? { name: reviewer.name } : { name: reviewer.name, login };
    });
  }
  return suggested;
}

/**
 * E-mail -> GitHub login, for the e-mails whose login can be found. A failed
 * lookup leaves the plain name. Look-ups go through the run's one API client,
 * within its time budget.
 */
async function findLogins(
  emails: string[],
  api: (() => Promise<Octokit>) | undefined,
  context: Pick<RunContext, 'owner' | 'repo'>
): Promise<Map<string, string>> {
  const logins = new Map<string, string>();
  const unknown: string[] = [];
  for (const email of emails) {
    const login = noreplyLogin(email);
    if (login) logins.set(email, login);
    else if (email.includes('@')) unknown.push(email);
  }
  if (unknown.length === 0) return logins;
  if (!api) {
    core.warning('mention-reviewers: no github-token to look up reviewers’ GitHub logins; showing plain names.');
    return logins;
  }
  try {
    const octokit = await api();
    for (const email of unknown.slice(0, MAX_LOOKUPS)) {
      // `author` filters by login or e-mail; GitHub attaches the account it matched to each commit.
      const { data } = await octokit.rest.repos.listCommits({ owner: context.owner, repo: context.repo, author: email, per_page: 1 });
      const login = data[0]?.author?.login;
      if (login) logins.set(email, login);
    }
  } catch (error) {
    const reason = plainText(error instanceof Error ? error.message : String(error), 300);
    core.warning(`mention-reviewers: could not look up reviewers’ GitHub logins (${reason}); showing plain names for the rest.`);
  }
  return logins;
}
