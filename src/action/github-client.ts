/**
 * The GitHub API client of the action: every request goes to GITHUB_API_URL
 * only (the token is never sent elsewhere, not even to a Link header's next
 * page on another host), times out, and is retried within one total time
 * budget, so a slow or failing API can delay the step by at most that budget.
 *
 * Retried: rate limits (429, and 403 secondary rate limits; Retry-After and
 * x-ratelimit-reset are honoured when they fit in the budget) for any
 * request — GitHub did not process it; 5xx answers, timeouts, dropped
 * connections and truncated bodies for GET and PATCH only. A POST that may
 * have been processed is not retried here: comment.ts looks for the comment
 * before creating it again.
 *
 * Redirects are never followed: any 3xx answer is an API error (a 307 would
 * resend the comment body to wherever it points). @actions/github is loaded
 * on first use only: it builds a default client from GITHUB_API_URL when
 * imported, so a run that makes no API call does not depend on it (event.ts
 * checks the URL before anything else).
 */
import type * as GitHub from '@actions/github';
import { plainText } from '../index.js';

export type Octokit = ReturnType<typeof GitHub.getOctokit>;

export interface ApiLimits {
  /** Longest wait for one answer, headers and body. */
  requestTimeoutMs: number;
  /** All the API work of a run, retries and waits included, ends within this. */
  budgetMs: number;
  /** Retries of one request. */
  retries: number;
  /** First backoff; doubled at each retry (when the API does not say how long to wait). */
  backoffMs: number;
}

export const DEFAULT_API_LIMITS: ApiLimits = { requestTimeoutMs: 20_000, budgetMs: 90_000, retries: 4, backoffMs: 500 };

/**
 * Limits from the environment: PATCH_RISK_GATE_API_TIMEOUT_MS and
 * PATCH_RISK_GATE_API_BUDGET_MS override the request timeout and the total budget.
 */
export function apiLimitsFrom(env: NodeJS.ProcessEnv): ApiLimits {
  const read = (name: string, fallback: number): number => {
    const value = Number(env[name]);
    return env[name] !== undefined && Number.isFinite(value) && value > 0 ? value : fallback;
  };
  return {
    ...DEFAULT_API_LIMITS,
    requestTimeoutMs: read('PATCH_RISK_GATE_API_TIMEOUT_MS', DEFAULT_API_LIMITS.requestTimeoutMs),
    budgetMs: read('PATCH_RISK_GATE_API_BUDGET_MS', DEFAULT_API_LIMITS.budgetMs)
  };
}

interface ErrorLike {
  status?: number;
  message?: string;
  response?: { headers?: Record<string, string | number | undefined>; data?: unknown };
}

/** Why a request failed, as far as retrying is concerned. */
export type FailureKind =
  /** Rate limited: not processed; wait `waitMs` (undefined: back off). */
  | { kind: 'rate-limit'; waitMs?: number }
  /** No complete answer (5xx, timeout, dropped connection, cut body): may have been processed. */
  | { kind: 'uncertain' }
  /** Any other answer (401, 403, 404, 422…): retrying does not help. */
  | { kind: 'final' };

function header(error: ErrorLike, name: string): string | undefined {
  const value = error.response?.headers?.[name];
  return value === undefined ? undefined : String(value);
}

/** Milliseconds to wait as Retry-After (seconds or an HTTP date) or x-ratelimit-reset (epoch seconds) say. */
export function rateLimitWaitMs(error: ErrorLike, nowMs: number): number | undefined {
  const retryAfter = header(error, 'retry-after');
  if (retryAfter !== undefined) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
    const date = Date.parse(retryAfter);
    if (Number.isFinite(date)) return Math.max(0, date - nowMs);
  }
  const reset = Number(header(error, 'x-ratelimit-reset'));
  if (header(error, 'x-ratelimit-remaining') === '0' && Number.isFinite(reset)) return Math.max(0, reset * 1000 - nowMs);
  return undefined;
}

export function classifyFailure(error: unknown, nowMs: number): FailureKind {
  const e = (error ?? {}) as ErrorLike;
  const status = e.status;
  if (status === 429) return { kind: 'rate-limit', waitMs: rateLimitWaitMs(e, nowMs) };
  if (status === 403) {
    const limited =
      header(e, 'retry-after') !== undefined || header(e, 'x-ratelimit-remaining') === '0' || /rate limit/i.test(e.message ?? '');
    return limited ? { kind: 'rate-limit', waitMs: rateLimitWaitMs(e, nowMs) } : { kind: 'final' };
  }
  // No response: the connection failed, timed out or was cut (octokit reports these as status 500 without a response).
  if (e.response === undefined || status === undefined || status >= 500) return { kind: 'uncertain' };
  return { kind: 'final' };
}

const IDEMPOTENT = new Set(['GET', 'HEAD', 'PATCH', 'PUT', 'DELETE']);

/** Thrown when an answer with a JSON content type has a body that is not JSON (the connection was cut). */
export class TruncatedResponseError extends Error {
  readonly status = 500;
  constructor(method: string, url: string) {
    super(`the answer to ${method} ${url} was cut off`);
    this.name = 'TruncatedResponseError';
  }
}

/** Thrown for a 3xx answer: redirects are not followed, and nothing is sent where they point. */
export class ApiRedirectError extends Error {
  readonly response = { headers: {} };
  constructor(
    readonly status: number,
    method: string,
    url: string,
    location: string | undefined
  ) {
    super(
      `the GitHub API answered ${method} ${url} with ${status}, a redirect${location ? ` to ${plainText(location, 200)}` : ''}; ` +
        'redirects are not followed (requests go to GITHUB_API_URL only)'
    );
    this.name = 'ApiRedirectError';
  }
}

/**
 * The GraphQL endpoint that belongs to the REST API at `api`, as Octokit
 * derives it: `<api>/graphql`, or `/api/graphql` for GitHub Enterprise
 * Server's `/api/v3`.
 */
export function graphqlPathFor(api: URL): string {
  const prefix = api.pathname.replace(/\/+$/, '');
  return /\/api\/v3$/.test(prefix) ? prefix.replace(/\/api\/v3$/, '/api/graphql') : `${prefix}/graphql`;
}

/** The URL a request will go to, or why it may not be sent. */
function checkDestination(url: string, apiUrl: URL): string | undefined {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return `refusing to send a request to "${plainText(url, 200)}": not a URL`;
  }
  const prefix = apiUrl.pathname.replace(/\/+$/, '');
  const underApi = target.pathname === prefix || target.pathname.startsWith(`${prefix}/`);
  if (target.origin !== apiUrl.origin || !(underApi || target.pathname === graphqlPathFor(apiUrl))) {
    return `refusing to send the token to ${plainText(`${target.origin}${target.pathname}`, 200)}: requests go to GITHUB_API_URL (${apiUrl.origin}${prefix}) only`;
  }
  return undefined;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * An Octokit for `apiUrl` with the timeout, retry, redirect and destination
 * rules above; one per run, so that every API call of the run (the comment,
 * reviewer look-ups) shares the one time budget. `now` is injectable for
 * tests of the budget.
 */
export async function createOctokit(
  token: string,
  apiUrl: string,
  limits: ApiLimits = DEFAULT_API_LIMITS,
  now: () => number = Date.now
): Promise<Octokit> {
  const github = await import('@actions/github');
  const octokit = github.getOctokit(token, { baseUrl: apiUrl });
  const api = new URL(apiUrl);
  const deadline = now() + limits.budgetMs;
  octokit.hook.wrap('request', async (request, options) => {
    const { method, url } = octokit.request.endpoint.parse(options);
    const refused = checkDestination(url, api);
    if (refused) throw new Error(refused);
    for (let attempt = 0; ; attempt++) {
      const remaining = deadline - now();
      if (remaining <= 0) throw new Error(`the GitHub API did not answer ${method} ${url} within the ${limits.budgetMs / 1000} s budget`);
      let failure: unknown;
      try {
        // Set on the options object itself: inner hooks (auth) were bound to it and ignore arguments passed to `request`.
        options.request = {
          ...options.request,
          redirect: 'manual',
          signal: AbortSignal.timeout(Math.min(limits.requestTimeoutMs, remaining))
        };
        const response = await request(options);
        if (response.status >= 300 && response.status < 400) {
          throw new ApiRedirectError(response.status, method, url, String(response.headers.location ?? '') || undefined);
        }
        const type = String(response.headers['content-type'] ?? '');
        if (type.includes('json') && typeof response.data === 'string') throw new TruncatedResponseError(method, url);
        return response;
      } catch (error) {
        failure = error;
      }
      const kind = classifyFailure(failure, now());
      const retryable = kind.kind === 'rate-limit' || (kind.kind === 'uncertain' && IDEMPOTENT.has(method));
      if (!retryable || attempt >= limits.retries) throw failure;
      const wait = kind.kind === 'rate-limit' && kind.waitMs !== undefined ? kind.waitMs : limits.backoffMs * 2 ** attempt;
      if (wait > deadline - now()) {
        const reason = failure instanceof Error ? failure.message : String(failure);
        throw Object.assign(
          new Error(`${reason}; gave up: waiting ${Math.ceil(wait / 1000)} s more would pass the ${limits.budgetMs / 1000} s budget`),
          {
            status: (failure as ErrorLike).status
          }
        );
      }
      await sleep(wait);
    }
  });
  return octokit;
}

/**
 * The run's one API client, made on first use (its time budget starts
 * then) and shared by everything that calls the API; undefined without a token.
 */
export function runApiClient(token: string | undefined, apiUrl: string, limits: ApiLimits): (() => Promise<Octokit>) | undefined {
  if (!token) return undefined;
  let client: Promise<Octokit> | undefined;
  return () => (client ??= createOctokit(token, apiUrl, limits));
}
