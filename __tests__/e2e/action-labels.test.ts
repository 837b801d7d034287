/**
 * The risk label, end to end: the built action keeps exactly one of
 * `risk: high`, `risk: medium`, `risk: low` on the pull request in sync with
 * the verdict, creating the label in the repository when it is missing, and
 * leaves every other label alone. A token that may not write labels is a
 * warning; the gate decides exactly as without labels.
 */
import { ensureBundle } from '../helpers/action-harness.js';
import { FakeGitHub } from '../helpers/fake-github.js';
import { CALM, HEADER, PR, prPayload, REPO, RISKY, Workspace, type HardeningRun } from '../helpers/hardening-harness.js';

/** FW-2044 of examples/patches.csv: Medium for the shipped firmware model. */
const MEDIUM = '0.568,0.4,161,2,255.2,0,1';
const LIMITS = { PATCH_RISK_GATE_API_TIMEOUT_MS: '1000', PATCH_RISK_GATE_API_BUDGET_MS: '8000' };

const workspace = new Workspace();
const github = new FakeGitHub();
let apiUrl: string;

beforeAll(async () => {
  ensureBundle();
  apiUrl = await github.start();
  workspace.write('patches.csv', `${HEADER}\nRISKY-1,${RISKY}\nCALM-1,${CALM}\n`);
  workspace.write('medium.csv', `${HEADER}\nMEDIUM-1,${MEDIUM}\nCALM-1,${CALM}\n`);
  workspace.write('calm.csv', `${HEADER}\nCALM-1,${CALM}\nCALM-2,${CALM}\n`);
}, 180000);

afterAll(async () => {
  await github.stop();
  workspace.cleanup();
});

beforeEach(() => github.reset());

/** risk-label left blank: the action's default (on). */
const run = (options: Partial<HardeningRun> = {}) =>
  workspace.run({ apiUrl, ...options, inputs: { 'risk-label': '', ...options.inputs }, env: { ...LIMITS, ...options.env } });
const labelCalls = () =>
  github.requests.filter((r) => r.path.includes('/labels')).map((r) => `${r.method} ${decodeURIComponent(r.path)} ${r.status}`);
const riskLabels = () => github.labelsOf(REPO, PR).filter((name) => /^risk: /i.test(name));

describe('the risk label', () => {
  it('puts "risk: high" on a failing PR, creating the label with its colour and description', async () => {
    const result = await run();
    expect(result.code).toBe(1);
    expect(github.labelsOf(REPO, PR)).toEqual(['risk: high']);
    expect(github.repoLabel(REPO, 'risk: high')).toEqual({
      name: 'risk: high',
      color: 'd73a4a',
      description: 'patch-risk-gate: at least one change is High regression risk'
    });
    expect(labelCalls()).toEqual([
      `GET /repos/${REPO}/issues/${PR}/labels 200`,
      `GET /repos/${REPO}/labels/risk: high 404`,
      `POST /repos/${REPO}/labels 201`,
      `POST /repos/${REPO}/issues/${PR}/labels 200`
    ]);
    expect(result.stdout).toContain('label: "risk: high" added, created in the repository.');
    expect(github.commentsOf(REPO, PR)).toHaveLength(1);
  });

  it('follows the verdict: swaps the old risk label for the new one and keeps every other label', async () => {
    github.setLabels(REPO, PR, ['needs-review', 'Risk: High', 'risk: medium']);
    const result = await run({ inputs: { patches: 'calm.csv' } });
    expect(result.code).toBe(0);
    expect(github.labelsOf(REPO, PR)).toEqual(['needs-review', 'risk: low']);
    expect(result.stdout).toContain('label: "risk: low" added, created in the repository (removed "Risk: High", "risk: medium").');
    await run({ inputs: { patches: 'medium.csv' } });
    expect(riskLabels()).toEqual(['risk: medium']);
    expect(github.labelsOf(REPO, PR)).toContain('needs-review');
  });

  it('changes nothing when the PR already carries the right label', async () => {
    github.setLabels(REPO, PR, ['risk: high']);
    const result = await run();
    expect(labelCalls()).toEqual([`GET /repos/${REPO}/issues/${PR}/labels 200`]);
    expect(result.stdout).toContain('label: "risk: high" already set.');
  });

  it('uses a label that exists in the repository without creating it again', async () => {
    github.setLabels(REPO, PR, ['risk: low']);
    await run();
    expect(riskLabels()).toEqual(['risk: high']);
    github.setLabels(REPO, PR, []);
    github.requests.length = 0;
    await run({ inputs: { patches: 'calm.csv' } });
    expect(labelCalls()).toEqual([
      `GET /repos/${REPO}/issues/${PR}/labels 200`,
      `GET /repos/${REPO}/labels/risk: low 200`,
      `POST /repos/${REPO}/issues/${PR}/labels 200`
    ]);
  });

  it('a read-only token (a fork’s PR) is a warning; the decision, outputs and summary are the gate’s', async () => {
    github.setLabels(REPO, PR, ['risk: low']);
    github.fail(403, { method: 'DELETE' });
    github.fail(403, { method: 'POST' });
    const result = await run();
    expect(result.code).toBe(1);
    expect(result.outputs.decision).toBe('fail');
    expect(result.summary).toContain('## 🚨 Patch risk gate: FAIL');
    expect(result.stdout).toMatch(
      /^::warning::could not set the "risk: high" label \(403 Forbidden: Resource not accessible by integration\)\. The token needs "permissions: pull-requests: write".*The gate is unaffected\.$/m
    );
    expect(result.stdout).not.toMatch(/^::error::could not set/m);
    expect(github.labelsOf(REPO, PR)).toEqual(['risk: low']);
  });

  it('a label already removed by someone else (404) is fine; a flaky API is retried within the budget', async () => {
    github.setLabels(REPO, PR, ['risk: low']);
    // The fake answers 404 as if someone had just taken the label off (it stays in the fake's list).
    github.fail(404, { method: 'DELETE', times: 1 });
    github.fail(502, { method: 'GET', times: 2 });
    const result = await run({ inputs: { comment: 'never' } });
    expect(result.code).toBe(1);
    expect(result.stdout).not.toMatch(/^::warning::could not set/m);
    expect(result.stdout).toContain('label: "risk: high" added, created in the repository (removed "risk: low").');
    expect(github.labelsOf(REPO, PR)).toContain('risk: high');
    expect(labelCalls().filter((call) => call.startsWith('GET /repos/acme/firmware/issues/7/labels'))).toEqual([
      `GET /repos/${REPO}/issues/${PR}/labels 502`,
      `GET /repos/${REPO}/issues/${PR}/labels 502`,
      `GET /repos/${REPO}/issues/${PR}/labels 200`
    ]);
  });

  it('risk-label: false, push events and runs without a token leave labels alone', async () => {
    await run({ inputs: { 'risk-label': 'false' } });
    expect(labelCalls()).toEqual([]);
    await run({ event: 'push', payload: { ref: 'refs/heads/main', before: 'a'.repeat(40), after: 'b'.repeat(40) } });
    expect(labelCalls()).toEqual([]);
    const noToken = await run({ inputs: { 'github-token': '' }, payload: prPayload() });
    expect(noToken.stdout).toContain('::warning::no github-token: skipping the "risk: high" label. The gate is unaffected.');
    expect(labelCalls()).toEqual([]);
  });

  it('refuses a risk-label that is not true or false', async () => {
    const result = await run({ inputs: { 'risk-label': 'yes' } });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('::error::invalid input: risk-label must be true or false');
    expect(github.requests).toHaveLength(0);
  });
});
