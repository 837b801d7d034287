/**
 * What the action needs from the workflow run: the repository, the run link
 * and, on pull_request events, the PR number, its labels and who triggered
 * the event. Read from the runner's environment and event payload only.
 */
import { readFileSync } from 'node:fs';

export interface PullRequestInfo {
  number: number;
  labels: string[];
}

export interface RunContext {
  eventName: string;
  owner: string;
  repo: string;
  apiUrl: string;
  runUrl?: string;
  workspace: string;
  runnerTemp?: string;
  /** Set on pull_request and pull_request_target events. */
  pullRequest?: PullRequestInfo;
  /** Login of whoever triggered the event. */
  sender?: string;
  /** The label just added, on a `labeled` event. */
  addedLabel?: string;
}

const PR_EVENTS = new Set(['pull_request', 'pull_request_target']);

interface EventPayload {
  action?: string;
  pull_request?: { number?: number; labels?: { name?: string }[] };
  sender?: { login?: string };
  label?: { name?: string };
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
  const serverUrl = (env.GITHUB_SERVER_URL ?? 'https://github.com').replace(/\/+$/, '');
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
    runUrl,
    workspace: env.GITHUB_WORKSPACE || process.cwd(),
    runnerTemp: env.RUNNER_TEMP || undefined,
    pullRequest,
    sender: payload.sender?.login,
    addedLabel: payload.action === 'labeled' ? payload.label?.name : undefined
  };
}
