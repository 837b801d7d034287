/**
 * The action run the way the runner runs it (INPUT_* variables, event
 * payload, output and summary files), against a fake GitHub API on
 * 127.0.0.1: most cases call the sources' run() in this process; the cases
 * marked `bundle` (and those that need node flags or another entry) run the
 * BUILT action (dist/index.js) as a child process.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ensureBundle, ROOT, runActionInProcess, runBuiltAction, type RunResult } from '../helpers/action-harness.js';
import { FakeGitHub } from '../helpers/fake-github.js';

const REPO = 'acme/firmware';
const PR = 7;
const HEADER = 'patch_id,code_churn_score,patch_size_mb,lines_changed,files_changed,avg_device_age_days,is_hotfix,patch_security';
const RISKY = '0.95,40,60000,45,2600,1,1';
const CALM = '0.05,0.2,12,1,60,0,0';

interface RunOptions {
  inputs?: Record<string, string>;
  event?: string;
  payload?: object;
  apiUrl?: string;
  cwd?: string;
  entry?: string;
  nodeArgs?: string[];
  /** Run dist/index.js as a child process even when nothing else needs it. */
  bundle?: boolean;
}

const work = mkdtempSync(path.join(tmpdir(), 'prg-action-'));
let counter = 0;

function writeFile(name: string, text: string): string {
  const file = path.join(work, 'workspace', name);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  return file;
}

function prPayload(labels: string[] = [], extra: object = {}): object {
  return {
    action: 'synchronize',
    number: PR,
    pull_request: { number: PR, labels: labels.map((name) => ({ name })) },
    sender: { login: 'dev' },
    ...extra
  };
}

let github: FakeGitHub;
let apiUrl: string;

function runAction(options: RunOptions = {}): Promise<RunResult> {
  const runner = options.bundle || options.entry !== undefined || options.nodeArgs !== undefined ? runBuiltAction : runActionInProcess;
  return runner({
    dir: path.join(work, `run-${++counter}`),
    workspace: path.join(work, 'workspace'),
    apiUrl: options.apiUrl ?? apiUrl,
    repository: REPO,
    // The risk label has its own suite (action-labels.test.ts): these runs check the comment's requests alone.
    inputs: { patches: 'patches.csv', 'github-token': 'fake-token', 'risk-label': 'false', ...options.inputs },
    event: options.event ?? 'pull_request',
    payload: options.payload ?? prPayload(),
    cwd: options.cwd,
    entry: options.entry,
    nodeArgs: options.nodeArgs
  });
}

const commentsPath = `/repos/${REPO}/issues/${PR}/comments`;
const calls = () => github.requests.map((r) => `${r.method} ${r.path}${r.query.page ? `?page=${r.query.page}` : ''} ${r.status}`);

beforeAll(async () => {
  ensureBundle();
  github = new FakeGitHub();
  apiUrl = await github.start();
  writeFile('patches.csv', `${HEADER},owner\nRISKY-1,${RISKY},alice\nCALM-1,${CALM},bob\nCALM-2,${CALM},carol\n`);
  writeFile('calm.csv', `${HEADER}\nCALM-1,${CALM}\nCALM-2,${CALM}\n`);
}, 180000);

afterAll(async () => {
  await github.stop();
  rmSync(work, { recursive: true, force: true });
});

beforeEach(() => github.reset());

describe('the sticky PR comment', () => {
  it('creates the comment on the first run, updates it on the second, and a new comment-key makes a second one', async () => {
    const first = await runAction();
    expect(calls()).toEqual([`GET ${commentsPath} 200`, `POST ${commentsPath} 201`]);
    expect(github.requests[0].authorization).toBe('token fake-token');
    expect(github.requests[0].query.per_page).toBe('100');
    const [comment] = github.commentsOf(REPO, PR);
    expect(comment.body.startsWith('<!-- patch-risk-gate:default -->\n## 🚨 Patch risk gate: FAIL')).toBe(true);
    expect(first.stdout).toContain(`comment created: ${comment.html_url}`);

    github.requests.length = 0;
    await runAction({ inputs: { patches: 'calm.csv' } });
    // Its marker is found, so it asks who the token is (GraphQL's viewer) before updating: only its own comment will do.
    expect(calls()).toEqual([`GET ${commentsPath} 200`, 'POST /graphql 200', `PATCH /repos/${REPO}/issues/comments/${comment.id} 200`]);
    expect(github.commentsOf(REPO, PR)).toHaveLength(1);
    expect(github.commentsOf(REPO, PR)[0].body).toContain('## ✅ Patch risk gate: PASS');

    github.requests.length = 0;
    await runAction({ inputs: { 'comment-key': 'nightly' } });
    expect(calls()).toEqual([`GET ${commentsPath} 200`, `POST ${commentsPath} 201`]);
    const bodies = github.commentsOf(REPO, PR).map((c) => c.body.split('\n')[0]);
    expect(bodies).toEqual(['<!-- patch-risk-gate:default -->', '<!-- patch-risk-gate:nightly -->']);
  });

  it('finds its marker on page 3 of 250 existing comments and updates it', async () => {
    for (let i = 0; i < 250; i++) {
      if (i === 230) github.addComment(REPO, PR, '<!-- patch-risk-gate:default -->\nold report', 'github-actions[bot]');
      else github.addComment(REPO, PR, `chatter ${i} mentioning patch-risk-gate:default`);
    }
    const target = github.commentsOf(REPO, PR)[230];
    await runAction();
    expect(calls()).toEqual([
      `GET ${commentsPath} 200`,
      `GET ${commentsPath}?page=2 200`,
      `GET ${commentsPath}?page=3 200`,
      // The marker is seen: who the token is decides whether the comment is ours.
      'POST /graphql 200',
      `PATCH /repos/${REPO}/issues/comments/${target.id} 200`
    ]);
    expect(github.commentsOf(REPO, PR)).toHaveLength(250);
    expect(target.body).toContain('Patch risk gate: FAIL');
  });

  it('comment: on-risk creates nothing when all is calm, but updates an existing comment to the all-clear', async () => {
    const quiet = await runAction({ inputs: { patches: 'calm.csv', comment: 'on-risk' } });
    expect(quiet.code).toBe(0);
    expect(calls()).toEqual([`GET ${commentsPath} 200`]);
    const old = github.addComment(REPO, PR, '<!-- patch-risk-gate:default -->\nwas red', 'github-actions[bot]');
    await runAction({ inputs: { patches: 'calm.csv', comment: 'on-risk' } });
    expect(old.body).toContain('Patch risk gate: PASS');
  });

  it('comment: never and non-PR events make no API call', async () => {
    const never = await runAction({ inputs: { comment: 'never' } });
    const push = await runAction({ event: 'push', payload: { ref: 'refs/heads/main' } });
    expect(github.requests).toHaveLength(0);
    for (const result of [never, push]) {
      expect(result.code).toBe(1);
      expect(result.outputs.decision).toBe('fail');
      expect(result.summary).toContain('## 🚨 Patch risk gate: FAIL');
    }
  });

  it('talks to GitHub Enterprise at GITHUB_API_URL', async () => {
    const enterprise = new FakeGitHub('/api/v3');
    const url = await enterprise.start();
    try {
      await runAction({ apiUrl: url });
      expect(enterprise.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
        `GET ${commentsPath} 200`,
        `POST ${commentsPath} 201`
      ]);
    } finally {
      await enterprise.stop();
    }
  });
});

describe('the gate', () => {
  it('fails on a High patch: outputs, scored file, JSON report, summary and annotations', async () => {
    const result = await runAction({ bundle: true });
    expect(result.code).toBe(1);
    expect(result.outputs.decision).toBe('fail');
    expect(result.outputs['high-risk-count']).toBe('1');
    expect(result.outputs['scored-file']).toMatch(/temp\/patch-risk-gate\/default\.scored\.csv$/);
    expect(readFileSync(result.outputs['scored-file'], 'utf8').split('\n')[0]).toContain('owner,risk_score,high_risk,risk_bucket');
    const report = JSON.parse(readFileSync(result.outputs.report, 'utf8'));
    expect(report.decision).toBe('fail');
    expect(report.model.name).toBe('firmware');
    expect(report.totals.patches).toBe(3);
    expect(result.outputs['max-risk']).toBe(report.totals.max_risk.toFixed(6));
    expect(report.totals.max_risk).toBeCloseTo(Math.max(...report.patches.map((p: { risk_score: number }) => p.risk_score)), 6);
    expect(report.patches.map((p: Record<string, string>) => [p.patch_id, p.owner, p.risk_bucket])).toEqual([
      ['RISKY-1', 'alice', 'High'],
      ['CALM-1', 'bob', 'Low'],
      ['CALM-2', 'carol', 'Low']
    ]);
    expect(result.summary).toContain('## 🚨 Patch risk gate: FAIL');
    expect(result.summary).not.toContain('<!-- patch-risk-gate');
    expect(result.summary).toContain('[Workflow run](https://github.example/acme/firmware/actions/runs/4242)');
    expect(result.stdout).toMatch(/^::error title=High regression risk%3A RISKY-1,file=patches\.csv,line=2::Patch RISKY-1 scored/m);
    expect(result.stdout).toMatch(/^::error::1 patch\(es\) are High risk: "RISKY-1"\. .*"risk-accepted" label/m);
  });

  it('alert-budget with a reference file of past patches sets the thresholds and percentiles', async () => {
    const past = Array.from(
      { length: 300 },
      (_, i) =>
        `PAST-${i},${(i % 97) / 100},${1 + (i % 13)},${20 + ((i * 37) % 3000)},${1 + (i % 9)},${(i * 11) % 2000},${i % 7 === 0 ? 1 : 0},${i % 5 === 0 ? 1 : 0}`
    );
    writeFile('past/patches.csv', `${HEADER}\n${past.join('\n')}\n`);
    const result = await runAction({ inputs: { 'alert-budget': '10', reference: 'past/patches.csv' } });
    const report = JSON.parse(readFileSync(result.outputs.report, 'utf8'));
    expect(report.thresholds).toMatchObject({
      origin: 'budget',
      alert_budget: 10,
      reference: { size: 300, label: 'the 300 patches of patches.csv' }
    });
    expect(report.patches.every((row: { percentile: number }) => typeof row.percentile === 'number')).toBe(true);
    const body = github.commentsOf(REPO, PR)[0].body;
    expect(body).toContain('**Alert budget:** High = the riskiest 10% of the 300 patches of patches.csv (risk ≥ ');
    expect(body).toContain('| Riskier than |');
    expect(body).toContain('**QA plan:**');
  });

  it('passes when every patch is Low', async () => {
    const result = await runAction({ inputs: { patches: 'calm.csv' }, bundle: true });
    expect(result.code).toBe(0);
    expect(result.outputs.decision).toBe('pass');
    expect(result.outputs['high-risk-count']).toBe('0');
    expect(result.stdout).not.toMatch(/^::(error|warning)/m);
  });

  it('fail-on: never reports the verdict but keeps the step green', async () => {
    const result = await runAction({ inputs: { 'fail-on': 'never' } });
    expect(result.code).toBe(0);
    expect(result.outputs.decision).toBe('fail');
    expect(result.summary).toContain('advisory, the check passes');
    expect(result.summary).toContain('reported only, the check stays green');
    expect(result.summary).not.toContain('FAIL');
  });

  it('fail-on: medium fails on Medium patches that fail-on: high lets through', async () => {
    // Patch files must be inside the workspace.
    const example = writeFile('example.csv', readFileSync(path.join(ROOT, 'examples/patches.csv'), 'utf8'));
    const result = await runAction({ inputs: { patches: example, 'fail-on': 'medium', comment: 'never' } });
    const { high, medium } = JSON.parse(readFileSync(result.outputs.report, 'utf8')).totals;
    expect(medium).toBeGreaterThan(0);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`::error::${high + medium} patch(es) are Medium or High risk`);
    expect(result.stdout.match(/^::warning title=Medium regression risk/gm)).toHaveLength(medium);
    expect(result.stdout.match(/^::error title=High regression risk/gm)).toHaveLength(high);
  });

  it('the override label turns a fail into a pass and leaves an audit trail', async () => {
    const payload = prPayload(['bug', 'risk-accepted'], {
      action: 'labeled',
      label: { name: 'risk-accepted' },
      sender: { login: 'release-lead' }
    });
    const result = await runAction({ payload });
    expect(result.code).toBe(0);
    expect(result.outputs.decision).toBe('overridden');
    const report = JSON.parse(readFileSync(result.outputs.report, 'utf8'));
    expect(report.override).toEqual({ label: 'risk-accepted', applied: true, let_through: ['RISKY-1'] });
    for (const text of [result.summary, github.commentsOf(REPO, PR)[0].body]) {
      expect(text).toContain('## ⚠️ Patch risk gate: OVERRIDDEN');
      expect(text).toContain('The label **risk-accepted** (applied by release-lead) turned a failing gate into a pass');
      expect(text).toContain('- RISKY-1: risk');
    }
    expect(result.stdout).toMatch(/^::warning::the gate failed but the PR carries the label "risk-accepted"/m);
  });

  it('a 403 (read-only fork token) is a warning naming pull-requests: write; the gate still decides', async () => {
    github.fail(403);
    const result = await runAction();
    expect(result.code).toBe(1);
    expect(result.outputs.decision).toBe('fail');
    expect(calls()).toEqual([`GET ${commentsPath} 403`]);
    expect(result.stdout).toMatch(/^::warning::could not write the PR comment \(403 Forbidden.*pull-requests: write/m);
    const passing = await runAction({ inputs: { patches: 'calm.csv' } });
    expect(passing.code).toBe(0);
  });

  it('retries 429 and 5xx with backoff, then succeeds', async () => {
    github.fail(429, { times: 1 });
    github.fail(502, { times: 1 });
    const result = await runAction({ inputs: { patches: 'calm.csv' } });
    expect(result.code).toBe(0);
    expect(calls()).toEqual([`GET ${commentsPath} 429`, `GET ${commentsPath} 502`, `GET ${commentsPath} 200`, `POST ${commentsPath} 201`]);
  });

  it('fails closed on bad inputs, a missing file and an unknown model', async () => {
    const badInput = await runAction({ inputs: { 'fail-on': 'sometimes', 'qa-capacity-hours': '-1' } });
    expect(badInput.code).toBe(1);
    expect(badInput.stdout).toContain('::error::invalid input: fail-on must be high, medium or never; qa-capacity-hours must be >= 0');
    const missing = await runAction({ inputs: { patches: 'nope.csv' } });
    expect(missing.code).toBe(1);
    expect(missing.stdout).toContain('::error::nope.csv: cannot read the file: no such file');
    const model = await runAction({ inputs: { model: 'nosuchmodel' } });
    expect(model.code).toBe(1);
    expect(model.stdout).toContain('::error::unknown model "nosuchmodel"');
    expect(github.requests).toHaveLength(0);
    expect(missing.outputs.decision).toBeUndefined();
  });

  it('fails with a clear message on an unsupported platform', async () => {
    const fakeDarwin = "data:text/javascript,Object.defineProperty(process, 'platform', { value: 'darwin' })";
    const result = await runAction({ nodeArgs: ['--import', fakeDarwin] });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/::error::patch-risk-gate runs on linux-x64 and linux-arm64 runners only \(this runner is darwin-/);
  });
});

describe('model health beside the gate', () => {
  // 300 generated patches; the drifted copy has 6x the lines and an older fleet than the firmware model was trained on.
  function generated(name: string, drift: boolean): string {
    const csv = execFileSync(process.execPath, [path.join(ROOT, 'lib/cli/bin.js'), 'generate', '--rows', '300', '--seed', '31'], {
      encoding: 'utf8'
    });
    const [header, ...rows] = csv.trim().split('\n');
    const columns = header.split(',');
    const lines = columns.indexOf('lines_changed');
    const age = columns.indexOf('avg_device_age_days');
    const shifted = rows.map((row) => {
      const cells = row.split(',');
      if (drift) {
        cells[lines] = String(Number(cells[lines]) * 6);
        cells[age] = String(Number(cells[age]) + 900);
      }
      return cells.join(',');
    });
    writeFile(name, [header, ...shifted].join('\n') + '\n');
    return name;
  }

  it('warns about drift in the log, the comment and the summary, without changing the decision', async () => {
    const calm = await runAction({ inputs: { patches: generated('undrifted.csv', false), 'fail-on': 'never' } });
    expect(calm.summary).not.toContain('### Drift against');
    const result = await runAction({ inputs: { patches: generated('drifted.csv', true), 'fail-on': 'never' } });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^::warning::drift against firmware v001: /m);
    expect(result.summary).toContain('### Drift against firmware v001');
    expect(github.commentsOf(REPO, PR).at(-1)?.body).toContain('### Drift against firmware v001');
    expect(result.outputs.decision).toBe('fail');
  });

  it('compares a challenger in the summary; a broken challenger is only a warning', async () => {
    const patches = generated('shadow.csv', false);
    const same = await runAction({ inputs: { patches, 'challenger-model': 'firmware@v001', 'fail-on': 'never' } });
    expect(same.summary).toMatch(/### Challenger firmware v001 \(shadow\)/);
    expect(same.summary).toMatch(/100(\.0)?%/);
    const plain = await runAction({ inputs: { patches, 'fail-on': 'never' } });
    expect(same.outputs).toEqual({ ...plain.outputs, report: same.outputs.report, 'scored-file': same.outputs['scored-file'] });
    const broken = await runAction({ inputs: { patches, 'challenger-model': './no-such-model', 'fail-on': 'never' } });
    expect(broken.code).toBe(0);
    expect(broken.stdout).toMatch(/^::warning::challenger-model: .*\(the gate is unaffected\)/m);
    expect(broken.outputs.decision).toBe(plain.outputs.decision);
  });
});

describe('hostile and huge input', () => {
  it('escapes ids in the comment, summary and annotations', async () => {
    writeFile('hostile.csv', `${HEADER},note\n"@octocat <img src=x> #1 | x",${RISKY},"a|b\n::error::injected"\n`);
    const result = await runAction({ inputs: { patches: 'hostile.csv' } });
    expect(result.code).toBe(1);
    const body = github.commentsOf(REPO, PR)[0].body;
    for (const text of [body, result.summary]) {
      expect(text).not.toContain('<img');
      expect(text).not.toMatch(/@octocat|#1/);
      expect(text).toContain('@\u200doctocat &lt;img src=x&gt; #\u200d1 \\| x');
      expect(text).toContain('a\\|b :\u200d:error:\u200d:injected');
    }
    // The only workflow commands are the token's mask and the action's own annotations and failure.
    const commands = result.stdout.split('\n').filter((line) => line.startsWith('::'));
    expect(commands.length).toBeGreaterThan(0);
    for (const line of commands)
      expect(line).toMatch(/^::(add-mask::fake-token$|(error|warning)( title=[^,]*,file=hostile\.csv,line=2)?::)/);
    expect(result.stdout).not.toContain('::error::injected');
  });

  it('cuts a comment over 65,536 characters to the riskiest rows, with a note', async () => {
    const rows = Array.from(
      { length: 2000 },
      (_, i) => `PATCH-${String(i).padStart(4, '0')}-${'long-id-'.repeat(6)},${i % 3 === 0 ? RISKY : CALM}`
    );
    writeFile('huge.csv', `${HEADER}\n${rows.join('\n')}\n`);
    const result = await runAction({ inputs: { patches: 'huge.csv', 'fail-on': 'never' } });
    expect(result.code).toBe(0);
    const body = github.commentsOf(REPO, PR)[0].body;
    expect(body.length).toBeLessThanOrEqual(65536);
    const shown = [...body.matchAll(/^\| (\d+) \| PATCH-/gm)].map((match) => Number(match[1]));
    expect(shown.length).toBeGreaterThan(100);
    expect(shown).toEqual(shown.map((_, i) => i + 1));
    expect(body).toContain(`**${2000 - shown.length} of 2000 rows left out**`);
    expect(body).toContain('The full report is in the job summary of the workflow run');
    // The summary has a larger limit (262,144): it keeps more rows, riskiest first, and says how many it left out.
    const inSummary = [...result.summary.matchAll(/^\| (\d+) \| PATCH-/gm)].map((match) => Number(match[1]));
    expect(inSummary.length).toBeGreaterThan(shown.length);
    expect(inSummary).toEqual(inSummary.map((_, i) => i + 1));
    expect(result.summary.length).toBeLessThanOrEqual(262144);
    expect(result.summary).toContain(`**${2000 - inSummary.length} of 2000 rows left out**`);
  });
});

describe('the committed action', () => {
  it('runs from a copy of action.yml, dist/ and models/ with no node_modules anywhere above it', async () => {
    const copy = mkdtempSync(path.join(tmpdir(), 'prg-copy-'));
    try {
      for (const item of ['action.yml', 'dist', 'models'])
        cpSync(path.join(ROOT, item), path.join(copy, 'action', item), { recursive: true });
      for (let dir = copy; dir !== path.dirname(dir); dir = path.dirname(dir))
        expect(existsSync(path.join(dir, 'node_modules'))).toBe(false);
      const result = await runAction({
        entry: path.join(copy, 'action/dist/index.js'),
        event: 'push',
        payload: {},
        cwd: copy,
        inputs: { patches: writeFile('example.csv', readFileSync(path.join(ROOT, 'examples/patches.csv'), 'utf8')), 'fail-on': 'never' }
      });
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.outputs.decision).toMatch(/^(pass|fail)$/);
      expect(result.summary).toContain('**Model:** firmware');
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});
