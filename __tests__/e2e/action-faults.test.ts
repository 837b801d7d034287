/**
 * GitHub faults, end to end: the built action against a fake API that rate
 * limits (429 with Retry-After, 403 secondary rate limits), fails in bursts
 * (5xx), answers slowly and cuts connections. The action retries within its
 * time budget (made small here with PATCH_RISK_GATE_API_TIMEOUT_MS and
 * PATCH_RISK_GATE_API_BUDGET_MS), never posts a second comment after a POST
 * whose answer was lost, and a comment failure never changes the decision:
 * the exit code, outputs and job summary are those of the gate alone.
 */
import { ensureBundle } from '../helpers/action-harness.js';
import { FakeGitHub } from '../helpers/fake-github.js';
import { CALM, COMMENTS_PATH, HEADER, PR, REPO, RISKY, Workspace, type HardeningRun } from '../helpers/hardening-harness.js';

const LIMITS = { PATCH_RISK_GATE_API_TIMEOUT_MS: '1000', PATCH_RISK_GATE_API_BUDGET_MS: '8000' };

const workspace = new Workspace();
const github = new FakeGitHub();
let apiUrl: string;

beforeAll(async () => {
  ensureBundle();
  apiUrl = await github.start();
  workspace.write('patches.csv', `${HEADER}\nRISKY-1,${RISKY}\nCALM-1,${CALM}\n`);
  workspace.write('calm.csv', `${HEADER}\nCALM-1,${CALM}\nCALM-2,${CALM}\n`);
}, 180000);

afterAll(async () => {
  await github.stop();
  workspace.cleanup();
});

beforeEach(() => github.reset());

const calls = () => github.requests.map((r) => `${r.method} ${r.status}`);
const run = (options: Partial<HardeningRun> = {}) => workspace.run({ apiUrl, ...options, env: { ...LIMITS, ...options.env } });

/** The gate's own results, whatever happened to the comment. */
function expectGate(result: Awaited<ReturnType<typeof run>>, decision: 'pass' | 'fail'): void {
  expect(result.code).toBe(decision === 'fail' ? 1 : 0);
  expect(result.outputs.decision).toBe(decision);
  expect(result.outputs['scored-file']).toBeDefined();
  expect(result.outputs.report).toBeDefined();
  expect(result.summary).toContain(decision === 'fail' ? '## 🚨 Patch risk gate: FAIL' : '## ✅ Patch risk gate: PASS');
  expect(result.stderr).toBe('');
}

describe('rate limits', () => {
  it('429 with Retry-After: waits as told, then comments once', async () => {
    github.fail(429, { times: 1, headers: { 'retry-after': '1' }, message: 'API rate limit exceeded' });
    const result = await run();
    expectGate(result, 'fail');
    expect(calls()).toEqual(['GET 429', 'GET 200', 'POST 201']);
    expect(github.commentsOf(REPO, PR)).toHaveLength(1);
  });

  it('403 secondary rate limit (Retry-After, or x-ratelimit-remaining: 0 with a reset time) is retried, not taken for a permission problem', async () => {
    github.fail(403, {
      times: 1,
      method: 'POST',
      headers: { 'retry-after': '1' },
      message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.'
    });
    const reset = String(Math.ceil(Date.now() / 1000) + 1);
    github.fail(403, {
      times: 1,
      method: 'GET',
      headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset },
      message: 'API rate limit exceeded for installation.'
    });
    const result = await run({ inputs: { patches: 'calm.csv' } });
    expectGate(result, 'pass');
    expect(calls()).toEqual(['GET 403', 'GET 200', 'POST 403', 'POST 201']);
    expect(github.commentsOf(REPO, PR)).toHaveLength(1);
    expect(result.stdout).not.toMatch(/pull-requests: write/);
  });

  it('a Retry-After longer than the budget is not waited for: a warning, and the gate decides as always', async () => {
    github.fail(403, { headers: { 'retry-after': '3600' }, message: 'You have exceeded a secondary rate limit.' });
    const result = await run();
    expectGate(result, 'fail');
    expect(calls()).toEqual(['GET 403']);
    expect(result.stdout).toMatch(
      /^::warning::could not write the PR comment \(403: .*secondary rate limit.*gave up: waiting 3600 s more would pass the 8 s budget/m
    );
  });
});

describe('server errors, slow answers and cut connections', () => {
  it('a burst of 5xx answers is retried with backoff', async () => {
    github.fail(502, { times: 1 });
    github.fail(503, { times: 1 });
    github.fail(500, { times: 1 });
    const result = await run({ inputs: { patches: 'calm.csv' } });
    expectGate(result, 'pass');
    expect(calls()).toEqual(['GET 502', 'GET 503', 'GET 500', 'GET 200', 'POST 201']);
  });

  it('an API that is down for good: a bounded number of tries, a warning, and the same outputs and summary', async () => {
    github.fail(500);
    const failing = await run();
    expectGate(failing, 'fail');
    expect(calls()).toEqual(['GET 500', 'GET 500', 'GET 500', 'GET 500', 'GET 500']);
    expect(failing.stdout).toMatch(/^::warning::could not write the PR comment \(500: fake error 500\)\. The gate is unaffected\./m);
  });

  it('a slow answer times out and is asked again', async () => {
    github.slow(3000, { method: 'GET', times: 1 });
    const result = await run({ inputs: { patches: 'calm.csv' } });
    expectGate(result, 'pass');
    expect(github.requests.map((r) => r.method)).toEqual(['GET', 'GET', 'POST']);
    expect(github.commentsOf(REPO, PR)).toHaveLength(1);
  });

  it('connections cut before any answer are retried', async () => {
    github.drop('before', { method: 'GET', times: 2 });
    const result = await run();
    expectGate(result, 'fail');
    expect(calls()).toEqual(['GET -1', 'GET -1', 'GET 200', 'POST 201']);
  });

  it('an API that never answers in time ends within the budget, with the gate unchanged', async () => {
    github.slow(60000);
    const result = await run({ inputs: { patches: 'calm.csv' }, env: { PATCH_RISK_GATE_API_BUDGET_MS: '3000' } });
    expectGate(result, 'pass');
    expect(result.stdout).toMatch(/^::warning::could not write the PR comment/m);
    expect(github.requests.length).toBeLessThanOrEqual(5);
  });
});

describe('no duplicate comment after a retried POST', () => {
  it('a POST whose answer is cut after GitHub created the comment: found on a second look, not posted again', async () => {
    github.drop('afterHandling', { method: 'POST', times: 1 });
    const result = await run();
    expectGate(result, 'fail');
    // The second look finds a marked comment, so the token's identity is asked (POST /graphql) to make sure it is ours.
    expect(calls()).toEqual(['GET 200', 'POST -1', 'GET 200', 'POST 200']);
    expect(github.requests[3].path).toBe('/graphql');
    expect(github.commentsOf(REPO, PR)).toHaveLength(1);
    expect(result.stdout).toMatch(/^comment created: /m);
  });

  it('a POST answered too late (created, but timed out here): found, not posted again', async () => {
    github.slow(3000, { method: 'POST', times: 1 });
    const result = await run({ inputs: { patches: 'calm.csv' } });
    expectGate(result, 'pass');
    expect(github.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      `GET ${COMMENTS_PATH}`,
      `POST ${COMMENTS_PATH}`,
      `GET ${COMMENTS_PATH}`,
      'POST /graphql'
    ]);
    expect(github.commentsOf(REPO, PR)).toHaveLength(1);
  });

  it('a POST refused with 502 (not created): looked for, then posted once', async () => {
    github.fail(502, { method: 'POST', times: 1 });
    const result = await run();
    expectGate(result, 'fail');
    expect(calls()).toEqual(['GET 200', 'POST 502', 'GET 200', 'POST 201']);
    expect(github.commentsOf(REPO, PR)).toHaveLength(1);
  });

  it('an update (PATCH) whose answer is cut is simply sent again: still one comment', async () => {
    const old = github.addComment(REPO, PR, '<!-- patch-risk-gate:default -->\nold', 'github-actions[bot]');
    github.drop('afterHandling', { method: 'PATCH', times: 1 });
    const result = await run({ inputs: { patches: 'calm.csv' } });
    expectGate(result, 'pass');
    expect(calls()).toEqual(['GET 200', 'POST 200', 'PATCH -1', 'PATCH 200']);
    expect(github.commentsOf(REPO, PR)).toEqual([old]);
    expect(old.body).toContain('Patch risk gate: PASS');
    expect(github.requests[1].path).toBe('/graphql');
    expect(github.requests[2].path).toBe(`/repos/${REPO}/issues/comments/${old.id}`);
    expect(COMMENTS_PATH).toBe(github.requests[0].path);
  });
});
