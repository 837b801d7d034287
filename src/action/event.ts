/**
 * What the action needs from the workflow run: the repository, the run link
 * and, on pull_request events, the PR number, its labels and who triggered
 * the event; for commit mode, the commits the event covers. Read from the
 * runner's environment and event payload only.
 */
import { readFileSync } from 'node:fs';

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
  /** Commit mode: the range the event covers, or why it has none. */
  commits: { range: CommitRange } | { problem: string };
}

const PR_EVENTS = new Set(['pull_request', 'pull_request_target']);

export interface EventPayload {
  action?: string;
  pull_request?: { number?: number; labels?: { name?: string }[]; base?: { sha?: string }; head?: { sha?: string } };
  sender?: { login?: string };
  label?: { name?: string };
  // push events
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

function readPayload(file: string | undefined): EventPayload {
  if (!file) return {};
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as EventPayload;
  } catch (error) {
    throw new Error(`cannot read the event payload ${file}: ${(error as Error).message}`);
  }
}

export function readRunContext(env: NodeJS.ProcessEnv): RunContext {
  const eventName = env.GITHUB_EVENT_NAME ?? '';
  const [owner = '', repo = ''] = (env.GITHUB_REPOSITORY ?? '').split('/');
  const serverUrl = (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '');
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
    apiUrl: (env.GITHUB_API_URL ?? 'https://api.github.com').replace(/\/+$/, ''),
    serverUrl,
    runUrl,
    workspace: env.GITHUB_WORKSPACE || process.cwd(),
    runnerTemp: env.RUNNER_TEMP || undefined,
    pullRequest,
    sender: payload.sender?.login,
    addedLabel: payload.action === 'labeled' ? payload.label?.name : undefined,
    commits: commitRangeOf(eventName, payload)
  };
}
