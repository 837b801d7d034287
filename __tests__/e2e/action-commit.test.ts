/**
 * End-to-end, commit mode: the BUILT action (dist/index.js) with no patches
 * input, in a real git repository built here (several authors, a base branch
 * and a pull request), against the fake GitHub API. The `jit` model is a
 * stand-in trained by the test (see jit-standin.ts).
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ensureBundle, ROOT, runActionInProcess, runBuiltAction, type RunResult } from '../helpers/action-harness.js';
import { FakeGitHub } from '../helpers/fake-github.js';
import { ALICE, BOB, dateEnv, TestRepo, type Person } from '../helpers/git-helpers.js';
import { buildHistoryRepo } from '../helpers/history-repo.js';
import { trainStandInJit } from '../helpers/jit-standin.js';

const REPO = 'acme/firmware';
const PR = 7;
const CAROL: Person = { name: 'Carol', email: '777+carol-gh@users.noreply.github.com' };
const DAVE: Person = { name: 'Dave', email: 'dave@example.com' };
const HOSTILE_SUBJECT = 'Fix typo for @octocat <b>bold</b> | pipe';

const work = mkdtempSync(path.join(tmpdir(), 'prg-commit-'));
const modelDir = path.join(work, 'models', 'jit');
let repo: TestRepo;
let github: FakeGitHub;
let apiUrl: string;
let counter = 0;
const sha: Record<'c1' | 'c2' | 'c3' | 'p1' | 'p2' | 'p3' | 'c4' | 'merge', string> = {} as never;

interface Row {
  commit: string;
  risk_bucket: string;
  risk_score: number;
  la: number;
  nf: number;
  ndev: number;
  exp: number;
  files: string;
}

/**
 * main: c1 (Alice) → c2 (Bob) → c3 (Carol) = PR base → c4 (Bob, after the PR branched).
 * feature: c3 → p1 (Alice, README typo) → p2 (Dave, big rewrite of 3 files) → p3 (Alice, lockfiles only) = PR head.
 * HEAD is the merge of feature into main, detached (what actions/checkout checks out for a PR).
 */
function buildRepository(): void {
  repo = new TestRepo();
  repo.write('src/app.ts', TestRepo.lines('app', 50));
  repo.write('src/util.ts', TestRepo.lines('util', 30));
  repo.write('README.md', 'hello\nwrold\n');
  sha.c1 = repo.commit(ALICE, 0, 'Initial import');
  repo.write('src/util.ts', TestRepo.lines('util', 35));
  sha.c2 = repo.commit(BOB, 5, 'More utilities');
  repo.write('lib/core.ts', TestRepo.lines('core', 40));
  sha.c3 = repo.commit(CAROL, 10, 'Add the core library');
  repo.git(['checkout', '-q', '-b', 'feature']);
  repo.write('README.md', 'hello\nworld\n');
  sha.p1 = repo.commit(ALICE, 20, HOSTILE_SUBJECT);
  repo.write('src/app.ts', TestRepo.lines('app', 1500));
  repo.write('src/util.ts', TestRepo.lines('helper', 35));
  repo.write('lib/core.ts', TestRepo.lines('core', 80));
  sha.p2 = repo.commit(DAVE, 21, 'Rewrite the scheduler');
  repo.write('package-lock.json', TestRepo.lines('  "dep": ', 3000));
  repo.write('yarn.lock', TestRepo.lines('dep@', 1000));
  sha.p3 = repo.commit(ALICE, 22, 'Bump dependencies');
  repo.git(['checkout', '-q', 'main']);
  repo.write('docs/notes.md', 'notes\n');
  sha.c4 = repo.commit(BOB, 23, 'Notes on main');
  repo.git(['checkout', '-q', '--detach']);
  repo.git(['merge', '-q', '--no-ff', '-m', `Merge pull request #${PR}`, 'feature'], dateEnv(BOB, 24));
  sha.merge = repo.head();
}

function prPayload(): object {
  return {
    action: 'synchronize',
    number: PR,
    pull_request: { number: PR, labels: [], base: { sha: sha.c3 }, head: { sha: sha.p3 } },
    sender: { login: 'dave' }
  };
}

interface Run {
  inputs?: Record<string, string>;
  workspace?: string;
  event?: string;
  payload?: object;
  entry?: string;
  env?: Record<string, string>;
  /** Run dist/index.js as a child process (also whenever entry is given); otherwise run() in this process. */
  bundle?: boolean;
}

/** The stand-in model goes into the workspace (untracked), since model paths must be inside it. */
const MODEL_INPUT = './.prg-model/jit';

function runAction(run: Run = {}): Promise<RunResult> {
  const workspace = run.workspace ?? repo.dir;
  if (!existsSync(path.join(workspace, MODEL_INPUT))) cpSync(modelDir, path.join(workspace, MODEL_INPUT), { recursive: true });
  const runner = run.bundle || run.entry !== undefined ? runBuiltAction : runActionInProcess;
  return runner({
    dir: path.join(work, `run-${++counter}`),
    workspace,
    apiUrl,
    repository: REPO,
    inputs: { patches: '', model: MODEL_INPUT, 'github-token': 'fake-token', ...run.inputs },
    event: run.event ?? 'pull_request',
    payload: run.payload ?? prPayload(),
    entry: run.entry,
    env: run.env
  });
}

/** The report's rows; the mined columns are kept as the text they were read from, so numbers are parsed here. */
function reportRows(result: RunResult): Row[] {
  const rows = JSON.parse(readFileSync(result.outputs.report, 'utf8')).patches as Record<string, string | number>[];
  return rows.map((row) => ({
    commit: String(row.commit),
    risk_bucket: String(row.risk_bucket),
    risk_score: Number(row.risk_score),
    la: Number(row.la),
    nf: Number(row.nf),
    ndev: Number(row.ndev),
    exp: Number(row.exp),
    files: String(row.files)
  }));
}

function rowOf(result: RunResult, commit: string): Row {
  const row = reportRows(result).find((r) => r.commit === commit);
  if (!row) throw new Error(`commit ${commit} is not in the report`);
  return row;
}

/** Table rows of the commit table, as [short hash, link target]. */
function listedCommits(body: string): string[][] {
  return [...body.matchAll(/^\| \d+ \| \[`([0-9a-f]{7})`\]\(([^)]+)\) \|/gm)].map((m) => [m[1], m[2]]);
}

/** `git clone --depth 1 file://…`: a shallow clone of the PR's merge commit (the repository's detached HEAD). */
function shallowClone(name: string): string {
  const dir = path.join(work, name);
  execFileSync('git', ['clone', '-q', '--depth', '1', `file://${repo.dir}`, dir], {
    env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null' },
    stdio: 'ignore'
  });
  return dir;
}

const isShallow = (dir: string): string =>
  execFileSync('git', ['-C', dir, 'rev-parse', '--is-shallow-repository'], { encoding: 'utf8' }).trim();

beforeAll(async () => {
  ensureBundle();
  buildRepository();
  await trainStandInJit(modelDir, work);
  github = new FakeGitHub();
  apiUrl = await github.start();
}, 300000);

afterAll(async () => {
  await github.stop();
  repo.remove();
  rmSync(work, { recursive: true, force: true });
});

beforeEach(() => github.reset());

describe('commit mode on a pull request', () => {
  let result: RunResult;
  let body: string;
  let labels: string[];
  beforeAll(async () => {
    github.reset();
    result = await runAction();
    body = github.commentsOf(REPO, PR)[0]?.body ?? '';
    labels = github.labelsOf(REPO, PR);
  });

  it('scores exactly the PR commits, each linked to its commit', () => {
    const listed = listedCommits(body);
    expect(listed.map(([short]) => short).sort()).toEqual([sha.p1, sha.p2, sha.p3].map((s) => s.slice(0, 7)).sort());
    for (const [short, link] of listed) {
      const full = [sha.p1, sha.p2, sha.p3].find((s) => s.startsWith(short));
      expect(link).toBe(`https://github.example/${REPO}/commit/${full}`);
    }
    expect(body).toContain('### Commits by risk');
    expect(body).toContain(`Commits: ${sha.c3.slice(0, 7)}..${sha.p3.slice(0, 7)}`);
    for (const other of [sha.c1, sha.c2, sha.c4, sha.merge]) expect(body).not.toContain(other.slice(0, 7));
    // The base is named once, in the range.
    expect(body.split(sha.c3.slice(0, 7))).toHaveLength(2);
    expect(
      reportRows(result)
        .map((row) => row.commit)
        .sort()
    ).toEqual([sha.p1, sha.p2, sha.p3].sort());
  });

  it('shows escaped subjects, authors and the big rewrite as the riskiest commit', () => {
    expect(body).not.toContain('<b>');
    expect(body).not.toMatch(/@octocat/);
    expect(body).toContain('Fix typo for @\u200doctocat &lt;b&gt;bold&lt;/b&gt; \\| pipe | Alice |');
    const rows = reportRows(result);
    const p2 = rowOf(result, sha.p2);
    expect(p2.risk_score).toBe(Math.max(...rows.map((row) => row.risk_score)));
    expect(p2.risk_bucket).toBe('High');
    expect(rowOf(result, sha.p1).risk_bucket).toBe('Low');
    expect(body).toMatch(
      new RegExp(
        `^\\| 1 \\| \\[\`${sha.p2.slice(0, 7)}\`\\]\\([^)]+\\) \\| Rewrite the scheduler \\| Dave \\| ${p2.risk_score.toFixed(3)} \\| 🔴 High \\|  \\| [^|]+ \\| Carol, Bob \\|$`,
        'm'
      )
    );
    // The lockfile bump counts in no metric, and the comment says how many lines it had in ignored paths.
    expect(body).toMatch(/\| Bump dependencies \| Alice \| [0-9.]+ \| 🟢 Low \| 4,000 \|/);
  });

  it('computes history metrics from the whole history', () => {
    // Dave's rewrite: src/app.ts (Alice), src/util.ts (Alice, Bob), lib/core.ts (Carol) + Dave himself.
    expect(rowOf(result, sha.p2)).toMatchObject({ nf: 3, ndev: 4, la: 1450 + 35 + 40, exp: 3 });
    // Alice's third commit: 3 files in c1, README in p1, and now nothing counted (lockfiles are ignored).
    expect(rowOf(result, sha.p3)).toMatchObject({ nf: 0, la: 0, exp: 4 });
  });

  it('sets the outputs, writes the scored file and report, and fails on the High commit', () => {
    expect(result.code).toBe(1);
    expect(result.outputs.decision).toBe('fail');
    expect(result.outputs['high-risk-count']).toBe(String(reportRows(result).filter((row) => row.risk_bucket === 'High').length));
    expect(result.outputs['max-risk']).toBe(rowOf(result, sha.p2).risk_score.toFixed(6));
    const report = JSON.parse(readFileSync(result.outputs.report, 'utf8'));
    expect(report.model.name).toBe('jit');
    expect(report.commit_range).toEqual({ base: sha.c3, head: sha.p3 });
    const header = readFileSync(result.outputs['scored-file'], 'utf8').split('\n')[0];
    expect(header).toMatch(
      /^commit,author,date,subject,ns,nd,nf,entropy,la,ld,lt,fix,ndev,age,nuc,exp,rexp,sexp,files,merge,ignored_lines,risk_score/
    );
    expect(result.stdout).toMatch(new RegExp(`^::error::\\d+ commit\\(s\\) are High risk: .*"${sha.p2.slice(0, 7)}"`, 'm'));
    expect(result.summary).toContain('## 🚨 Patch risk gate: FAIL');
  });

  it('drops the QA-hours and monitoring lines for "Review first", and says why the card\'s thresholds are used', () => {
    expect(body).not.toMatch(/QA plan|QA hours|Monitoring/);
    expect(body).toMatch(new RegExp(`^- \\[\`${sha.p2.slice(0, 7)}\`\\]\\([^)]+\\) Rewrite the scheduler — 🔴 High; ask Carol, Bob$`, 'm'));
    expect(body).toContain(
      "**Alert budget not applied:** Only 3 past commits to set the alert budget on (it needs at least 200): the model card's thresholds are used."
    );
    expect(body).not.toContain('What would lower the risk');
    const report = JSON.parse(readFileSync(result.outputs.report, 'utf8'));
    expect(report.thresholds).toMatchObject({ origin: 'card', alert_budget: 5, medium_budget: 20, reference: { size: 3 } });
    const p2 = report.patches.find((row: { commit: string }) => row.commit === sha.p2);
    expect(p2.percentile).toBe('');
    expect(p2.threshold_origin).toBe('card');
    expect(p2.reasons[0]).toMatchObject({ feature: expect.any(String), shap: expect.any(Number), strength: expect.stringMatching(/^▲+$/) });
  });

  it('keeps one risk label on the pull request in sync with the verdict', () => {
    expect(labels).toEqual(['risk: high']);
  });

  it('annotates the files each Medium/High commit touched', () => {
    const annotations = result.stdout.split('\n').filter((line) => /^::(error|warning) title=/.test(line));
    const risky = reportRows(result).filter((row) => row.risk_bucket !== 'Low');
    expect(annotations).toHaveLength(risky.length);
    const p2 = annotations.find((line) => line.includes(`commit ${sha.p2.slice(0, 7)}`));
    expect(p2).toMatch(
      new RegExp(
        `^::error title=High regression risk%3A commit ${sha.p2.slice(0, 7)},file=lib/core\\.ts,line=1::Commit ${sha.p2.slice(0, 7)} "Rewrite the scheduler" scored .* It also touched src/app\\.ts, src/util\\.ts\\.$`
      )
    );
  });
});

describe('commit mode inputs and events', () => {
  it('ignore-paths: the lockfile-only commit is Low by default, a huge change when nothing is ignored', async () => {
    const none = await runAction({ inputs: { 'ignore-paths': 'none', comment: 'never' } });
    const bump = rowOf(none, sha.p3);
    expect(bump).toMatchObject({ nf: 2, la: 4000, files: 'package-lock.json;yarn.lock' });
    expect(bump.risk_bucket).toBe('High');
    const defaults = await runAction({ inputs: { comment: 'never' } });
    expect(rowOf(defaults, sha.p3)).toMatchObject({ nf: 0, la: 0, files: '', risk_bucket: 'Low' });
    const custom = await runAction({ inputs: { 'ignore-paths': 'defaults\nsrc/', comment: 'never' } });
    expect(rowOf(custom, sha.p2)).toMatchObject({ nf: 1, files: 'lib/core.ts' });
  });

  it('mention-reviewers: true @-mentions the reviewers whose login is known', async () => {
    github.logins.set(BOB.email, 'bob-gh');
    await runAction({ inputs: { 'mention-reviewers': 'true' } });
    const body = github.commentsOf(REPO, PR)[0].body;
    expect(body).toMatch(/\| @carol-gh, @bob-gh \|$/m);
    // Carol's login is in her no-reply address; only Bob's is looked up.
    const lookups = github.requests.filter((r) => r.path === `/repos/${REPO}/commits`);
    expect(lookups.map((r) => r.query.author)).toEqual([BOB.email]);
  });

  it('reviewer look-ups share the run’s one API client and its time budget', async () => {
    github.slow(60_000);
    const result = await runAction({
      inputs: { 'mention-reviewers': 'true' },
      env: { PATCH_RISK_GATE_API_TIMEOUT_MS: '1000', PATCH_RISK_GATE_API_BUDGET_MS: '2500' }
    });
    expect(result.outputs.decision).toBe('fail');
    // Both the look-up and the comment give up on the run's 2.5 s budget (the look-up used to have its own 90 s one).
    expect(result.stdout).toMatch(
      /^::warning::mention-reviewers: could not look up reviewers’ GitHub logins \(.*2\.5 s budget.*\); showing plain names/m
    );
    expect(result.stdout).toMatch(/^::warning::could not write the PR comment \(.*2\.5 s budget.*\)\. The gate is unaffected\.$/m);
  });

  it('scores before..after on a push, without commenting', async () => {
    const result = await runAction({ event: 'push', payload: { ref: 'refs/heads/feature', before: sha.p1, after: sha.p3 } });
    expect(
      reportRows(result)
        .map((row) => row.commit)
        .sort()
    ).toEqual([sha.p2, sha.p3].sort());
    expect(result.summary).toContain('### Commits by risk');
    // A push that moves the branch back has no new commits: nothing is at risk.
    const rewind = await runAction({ event: 'push', payload: { ref: 'refs/heads/feature', before: sha.p3, after: sha.p1 } });
    expect(rewind.code).toBe(0);
    expect(rewind.outputs).toMatchObject({ decision: 'pass', 'high-risk-count': '0' });
    expect(reportRows(rewind)).toEqual([]);
    expect(github.requests).toHaveLength(0);
  });

  it('fails with a clear message on an event without commits, and on a non-repository workspace', async () => {
    const dispatch = await runAction({ event: 'workflow_dispatch', payload: {} });
    expect(dispatch.code).toBe(1);
    expect(dispatch.stdout).toContain(
      '::error::the patches input is empty, so the action scores commits, but commit mode scores the commits of a pull_request or push event'
    );
    const empty = mkdtempSync(path.join(tmpdir(), 'prg-not-git-'));
    try {
      const notGit = await runAction({ workspace: empty });
      expect(notGit.code).toBe(1);
      expect(notGit.stdout).toMatch(/^::error::commit mode needs a git checkout in the workspace .*run actions\/checkout first/m);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
    expect(github.requests).toHaveLength(0);
  });
});

describe('suggested reviewers come from history before the base', () => {
  const OCTOCAT: Person = { name: 'Octo Cat', email: '1234+octocat@users.noreply.github.com' };
  let forged: TestRepo;
  const commits: Record<'base' | 'f1' | 'f2', string> = {} as never;

  beforeAll(() => {
    // main: Alice, then Bob change src/app.ts (= base). PR: a commit claiming to be octocat touches it, then Dave rewrites it.
    forged = new TestRepo();
    forged.write('src/app.ts', TestRepo.lines('app', 50));
    forged.commit(ALICE, 0, 'Initial import');
    forged.write('src/app.ts', TestRepo.lines('app', 60));
    commits.base = forged.commit(BOB, 5, 'More app');
    forged.git(['checkout', '-q', '-b', 'feature']);
    forged.write('src/app.ts', TestRepo.lines('app', 61));
    commits.f1 = forged.commit(OCTOCAT, 20, 'Tidy');
    forged.write('src/app.ts', TestRepo.lines('rewritten', 1500));
    commits.f2 = forged.commit(DAVE, 21, 'Rewrite the app');
  });

  afterAll(() => forged.remove());

  it('mention-reviewers: true never mentions an identity made up inside the PR', async () => {
    const payload = {
      action: 'synchronize',
      number: PR,
      pull_request: { number: PR, labels: [], base: { sha: commits.base }, head: { sha: commits.f2 } },
      sender: { login: 'dave' }
    };
    const result = await runAction({ workspace: forged.dir, payload, inputs: { 'mention-reviewers': 'true' } });
    expect(rowOf(result, commits.f2).risk_bucket).toBe('High');
    const body = github.commentsOf(REPO, PR)[0].body;
    // Dave's rewrite: the miner's two picks were "Octo Cat" (the PR's own commit, the latest change) and Bob; only Bob,
    // who changed src/app.ts before the base, is left.
    expect(body).toMatch(new RegExp(`^\\| 1 \\| \\[\`${commits.f2.slice(0, 7)}\`\\].* \\| Bob \\|$`, 'm'));
    expect(body).not.toContain('@octocat');
    expect(body).not.toMatch(/\| [^|]*Octo Cat[^|]* \|$/m);
  });
});

describe('the alert budget on a repository with a history', () => {
  it('flags about the budget share of a PR’s commits, set on the commits before it, with each commit’s percentile', async () => {
    const history = buildHistoryRepo(700, 8);
    try {
      const base = history.commits[499];
      const head = history.commits[699];
      const result = await runAction({
        workspace: history.dir,
        inputs: { model: 'jit', 'alert-budget': '10', 'medium-budget': '30' },
        payload: { ...prPayload(), pull_request: { number: PR, labels: [], base: { sha: base }, head: { sha: head } } }
      });
      const report = JSON.parse(readFileSync(result.outputs.report, 'utf8'));
      expect(report.thresholds).toMatchObject({ origin: 'budget', alert_budget: 10, medium_budget: 30, reference: { size: 500 } });
      expect(report.patches).toHaveLength(200);
      const high = report.patches.filter((row: { risk_bucket: string }) => row.risk_bucket === 'High').length / 200;
      expect(high).toBeGreaterThanOrEqual(0.04);
      expect(high).toBeLessThanOrEqual(0.18);
      // The card's threshold would have flagged far more of them.
      const card = report.patches.filter((row: { risk_score: number }) => row.risk_score >= 0.2979).length / 200;
      expect(card).toBeGreaterThan(2 * high);
      const body = github.commentsOf(REPO, PR)[0].body;
      expect(body).toContain('**Alert budget:** High = the riskiest 10% of the last 500 commits here (risk ≥ ');
      expect(body).toContain('| Riskier than |');
      expect(body).toMatch(/— 🔴 High, riskier than \d+% of the last 500 commits here; /);
      expect(result.stdout).toMatch(
        /^::error title=High regression risk%3A commit [0-9a-f]{7},.*riskier than \d+%25 of the last 500 commits here\)\. Why: /m
      );
    } finally {
      history.remove();
    }
  }, 180000);
});

describe('shallow checkouts', () => {
  it('deepens a shallow clone and computes the same metrics as on the full history', async () => {
    const full = await runAction({ inputs: { comment: 'never' } });
    const shallow = shallowClone('shallow');
    expect(isShallow(shallow)).toBe('true');
    const result = await runAction({ workspace: shallow, inputs: { comment: 'never' } });
    expect(result.stdout).toContain('the checkout is shallow: fetching the whole history (git fetch --unshallow)');
    expect(isShallow(shallow)).toBe('false');
    const strip = (rows: Row[]) => rows.map(({ commit, la, nf, ndev, exp, risk_score }) => ({ commit, la, nf, ndev, exp, risk_score }));
    expect(strip(reportRows(result))).toEqual(strip(reportRows(full)));
  });

  it('fails, asking for fetch-depth: 0, when the shallow clone cannot be deepened', async () => {
    const shallow = shallowClone('shallow-offline');
    execFileSync('git', ['-C', shallow, 'remote', 'set-url', 'origin', `file://${path.join(work, 'no-such-repository')}`]);
    const result = await runAction({ workspace: shallow });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /^::error::the checkout is a shallow clone and deepening it failed \(git fetch --unshallow .*set "fetch-depth: 0" on actions\/checkout/m
    );
    expect(result.outputs.decision).toBeUndefined();
    expect(github.requests).toHaveLength(0);
  });
});

describe('the default model', () => {
  it('model: auto uses the built-in jit model in commit mode', async () => {
    const copy = path.join(work, 'action-copy');
    for (const item of ['action.yml', 'dist', 'models/firmware']) cpSync(path.join(ROOT, item), path.join(copy, item), { recursive: true });
    mkdirSync(path.join(copy, 'models'), { recursive: true });
    cpSync(modelDir, path.join(copy, 'models/jit'), { recursive: true });
    const result = await runAction({ entry: path.join(copy, 'dist/index.js'), inputs: { model: '', comment: 'never' } });
    expect(result.stderr).toBe('');
    expect(JSON.parse(readFileSync(result.outputs.report, 'utf8')).model.name).toBe('jit');
    expect(result.stdout).toContain('(model jit v001');
  });
});
