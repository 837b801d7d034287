/**
 * What the action needs from the workflow run: the repository, the run link
 * and, on pull_request events, the PR number, its labels and who triggered
 * the event; for commit mode, the commits the event covers. Read from the
 * runner's environment and event payload only.
 */
import { readFileSync } from 'node:fs';
import { plainText } from '../index.js';

export interface PullRequestInfo {
  number: number;
  labels: string[];
}

/** The commits commit mode scores: those reachable from `head` and not from `base`. */
export interface CommitRange {
  base: string;
  head: string;
}

export interface RunContext {
  eventName: string;
  owner: string;
  repo: string;
  apiUrl: string;
  /** e.g. https://github.com, for links to commits. */
  serverUrl: string;
  runUrl?: string;
  workspace: string;
  runnerTemp?: string;
  /** Set on pull_request and pull_request_target events. */
  pullRequest?: PullRequestInfo;
  /** Login of whoever triggered the event. */
  sender?: string;
  /** The label just added, on a `labeled` event. */
  addedLabel?: string;
  /** The branch the commits are based on: the PR's base branch, or the pushed branch. */
  baseBranch?: string;
  /** Commit mode: the range the event covers, or why it has none. */
  commits: { range: CommitRange } | { problem: string };
}

const PR_EVENTS = new Set(['pull_request', 'pull_request_target']);

export interface EventPayload {
  action?: string;
  pull_request?: { number?: number; labels?: { name?: string }[]; base?: { sha?: string; ref?: string }; head?: { sha?: string } };
  sender?: { login?: string };
  label?: { name?: string };
  // push events
  ref?: string;
  before?: string;
  after?: string;
  deleted?: boolean;
  repository?: { default_branch?: string };
}

const SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
const ZERO_SHA = /^0+$/;
const BRANCH = /^[A-Za-z0-9._/-]+$/;

/**
 * pull_request: base.sha..head.sha (the PR's own commits). push: before..after;
 * a push that creates a branch (before = 000…) is compared with the default
 * branch. Any other event has no commits to score.
 */
export function commitRangeOf(eventName: string, payload: EventPayload): { range: CommitRange } | { problem: string } {
  if (PR_EVENTS.has(eventName)) {
    const base = payload.pull_request?.base?.sha ?? '';
    const head = payload.pull_request?.head?.sha ?? '';
    if (!SHA.test(base) || !SHA.test(head))
      return { problem: `the ${eventName} event payload has no pull_request.base.sha and head.sha commit hashes` };
    return { range: { base, head } };
  }
  if (eventName === 'push') {
    const before = payload.before ?? '';
    const after = payload.after ?? '';
    if (payload.deleted || ZERO_SHA.test(after)) return { problem: 'this push deleted a branch: there are no commits to score' };
    if (!SHA.test(after)) return { problem: 'the push event payload has no "after" commit hash' };
    if (SHA.test(before) && !ZERO_SHA.test(before)) return { range: { base: before, head: after } };
    const branch = payload.repository?.default_branch ?? '';
    if (ZERO_SHA.test(before) && BRANCH.test(branch) && !branch.startsWith('-'))
      return { range: { base: `refs/remotes/origin/${branch}`, head: after } };
    return { problem: 'the push event payload has no usable "before" commit hash' };
  }
  return {
    problem:
      `commit mode scores the commits of a pull_request or push event, and this run is a "${eventName || 'unknown'}" event; ` +
      'set the patches input to score a patch feature file instead'
  };
}

/** The PR's base branch, or the branch a push updated; undefined for other events and tags. */
export function baseBranchOf(eventName: string, payload: EventPayload): string | undefined {
  if (PR_EVENTS.has(eventName)) return payload.pull_request?.base?.ref || undefined;
  if (eventName === 'push' && payload.ref?.startsWith('refs/heads/')) return payload.ref.slice('refs/heads/'.length) || undefined;
  return undefined;
}

function readPayload(file: string | undefined): EventPayload {
  if (!file) return {};
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as EventPayload;
  } catch (error) {
    throw new Error(`cannot read the event payload ${file}: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * A URL the runner sets (GITHUB_API_URL, GITHUB_SERVER_URL), without its
 * trailing slashes; an error naming the variable when it is not an http(s)
 * URL. Checked before anything loads @actions/github, which would throw an
 * uncaught TypeError on a malformed GITHUB_API_URL.
 */
export function runnerUrl(name: string, value: string | undefined, fallback: string): string {
  const text = value === undefined || value.trim() === '' ? fallback : value.trim();
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:') || url.username !== '' || url.password !== '') {
    throw new Error(
      `${name} is ${JSON.stringify(plainText(text, 200))}, not an http(s) URL without credentials; ` +
        'the runner sets it (e.g. https://api.github.com): check the workflow and the runner environment'
    );
  }
  return text.replace(/\/+$/, '');
}

export function readRunContext(env: NodeJS.ProcessEnv): RunContext {
  const eventName = env.GITHUB_EVENT_NAME ?? '';
  const [owner = '', repo = ''] = (env.GITHUB_REPOSITORY ?? '').split('/');
  const apiUrl = runnerUrl('GITHUB_API_URL', env.GITHUB_API_URL, 'https://api.github.com');
  const serverUrl = runnerUrl('GITHUB_SERVER_URL', env.GITHUB_SERVER_URL, 'https://github.com');
  const runUrl = owner && repo && env.GITHUB_RUN_ID ? `${serverUrl}/${owner}/${repo}/actions/runs/${env.GITHUB_RUN_ID}` : undefined;
  const payload = readPayload(env.GITHUB_EVENT_PATH);
  const number = payload.pull_request?.number;
  const pullRequest =
    PR_EVENTS.has(eventName) && typeof number === 'number'
      ? { number, labels: (payload.pull_request?.labels ?? []).map((label) => label.name ?? '').filter((name) => name !== '') }
      : undefined;
  return {
    eventName,
    owner,
    repo,
    apiUrl,
    serverUrl,
    runUrl,
    workspace: env.GITHUB_WORKSPACE || process.cwd(),
    runnerTemp: env.RUNNER_TEMP || undefined,
    pullRequest,
    sender: payload.sender?.login,
    addedLabel: payload.action === 'labeled' ? payload.label?.name : undefined,
    baseBranch: baseBranchOf(eventName, payload),
    commits: commitRangeOf(eventName, payload)
  };
}
