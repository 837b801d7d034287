/**
 * `patch-risk gate --commits` and `score --commits`, as a developer runs them
 * before pushing: the built bin, a real repository in a temp dir (fast-import
 * history), the shipped jit model through onnxruntime.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Papa from 'papaparse';
import { buildHistoryRepo, type HistoryRepo } from '../helpers/history-repo.js';

const BIN = path.resolve('lib/cli/bin.js');

function run(args: string[], cwd: string) {
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The verdict JSON of a gate run: between the table and the PASS/FAIL line. */
function verdictOf(stdout: string): Record<string, unknown> {
  const json = stdout.slice(stdout.indexOf('\n{\n') + 1, stdout.search(/\n(🚨|✅)/));
  return JSON.parse(json) as Record<string, unknown>;
}

let repo: HistoryRepo;
let young: HistoryRepo;
let cwd: string;

beforeAll(() => {
  repo = buildHistoryRepo(420, 5);
  young = buildHistoryRepo(30, 6);
  cwd = mkdtempSync(path.join(tmpdir(), 'prg-cli-commits-'));
}, 60000);

afterAll(() => {
  repo.remove();
  young.remove();
  rmSync(cwd, { recursive: true, force: true });
});

describe('patch-risk gate --commits', () => {
  let text: ReturnType<typeof run>;
  beforeAll(() => {
    text = run(['gate', '--commits', 'HEAD~20..HEAD', '--repo', repo.dir], cwd);
  }, 120000);

  it('prints the commit table, then the reference JSON verdict and PASS/FAIL, and exits 0/1 accordingly', () => {
    const verdict = verdictOf(text.stdout);
    expect(Object.keys(verdict)).toEqual([
      'input_file',
      'n_high_risk',
      'n_patches',
      'n_medium_risk',
      'max_risk',
      'threshold',
      'model',
      'model_version',
      'scored_file'
    ]);
    expect(verdict).toMatchObject({ input_file: 'HEAD~20..HEAD', n_patches: 20, model: 'jit', scored_file: DEFAULT_OUT });
    const high = verdict.n_high_risk as number;
    expect(text.code).toBe(high > 0 ? 1 : 0);
    expect(text.stdout).toMatch(
      high > 0
        ? /🚨 FAIL: \d+ high-risk commit\(s\) detected\. CI BLOCKED\.\n$/
        : /✅ PASS: No high-risk commits detected\. CI continues\.\n$/
    );
    expect(text.stdout.startsWith('Commits HEAD~20..HEAD: 20 commits, ')).toBe(true);
    expect(text.stdout).toContain('Alert budget: High = the riskiest 5% of the last 400 commits here (risk ≥ ');
    const rows = text.stdout.split('\n').filter((line) => /^\d+ +[0-9a-f]{7} +0\.\d{3} +(High|Medium|Low) +\d+% /.test(line));
    expect(rows).toHaveLength(20);
    expect(text.stdout).toContain('Riskier than: the share of the last 400 commits here that scored lower.');
    expect(text.stderr).toContain('patch-risk: mined 20 commit(s)');
  });

  it('writes the scored file in the current directory, with percentiles and the thresholds used', () => {
    const scored = Papa.parse<Record<string, string>>(readFileSync(path.join(cwd, DEFAULT_OUT), 'utf8'), {
      header: true,
      skipEmptyLines: true
    });
    expect(scored.data).toHaveLength(20);
    expect(scored.meta.fields?.slice(0, 4)).toEqual(['commit', 'author', 'date', 'subject']);
    expect(scored.meta.fields).toEqual(expect.arrayContaining(['percentile', 'high_threshold', 'medium_threshold', 'threshold_origin']));
    const verdict = verdictOf(text.stdout);
    for (const row of scored.data) {
      expect(row.threshold_origin).toBe('budget');
      expect(Number(row.high_threshold)).toBe(verdict.threshold);
      expect(Number(row.percentile)).toBeGreaterThanOrEqual(0);
    }
    const commits = new Set(scored.data.map((row) => row.commit));
    expect(commits).toEqual(new Set(repo.commits.slice(-20)));
  });

  it('--format json: the verdict with every commit, its reasons (phrase, feature, SHAP value) and the thresholds', () => {
    const out = path.join(cwd, 'json.scored.csv');
    const result = run(['gate', '--commits', 'HEAD~20..HEAD', '--repo', repo.dir, '--format', 'json', '--out', out], cwd);
    const report = JSON.parse(result.stdout.split(/\n(?=🚨|✅)/)[0]) as {
      input_file: string;
      thresholds: { origin: string; alert_budget: number };
      commits: { commit: string; risk_bucket: string; reasons: { feature: string; shap: number; phrase: string; strength: string }[] }[];
    };
    expect(report.input_file).toBe('HEAD~20..HEAD');
    expect(report.thresholds).toMatchObject({ origin: 'budget', alert_budget: 5, medium_budget: 20, reference: { size: 400 } });
    expect(report.commits).toHaveLength(20);
    for (const commit of report.commits.filter((row) => row.risk_bucket !== 'Low')) {
      expect(commit.reasons.length).toBeGreaterThan(0);
      for (const reason of commit.reasons) {
        expect(reason.shap).toBeGreaterThan(0);
        expect(reason.strength).toMatch(/^▲{1,3}$/);
        expect(reason.phrase).not.toContain(reason.feature + ' =');
      }
    }
    expect(existsSync(out)).toBe(true);
  });

  it('--format markdown prints the PR comment’s report; --alert-budget makes the check stricter or looser', () => {
    const markdown = run(['gate', '--commits', 'HEAD~20..HEAD', '--repo', repo.dir, '--format', 'markdown', '--out', 'md.csv'], cwd);
    expect(markdown.stdout).toContain('### Commits by risk');
    expect(markdown.stdout).toContain('**Alert budget:** High = the riskiest 5% of the last 400 commits here');
    expect(markdown.stdout).not.toContain('QA plan');
    const loose = verdictOf(
      run(['gate', '--commits', 'HEAD~20..HEAD', '--repo', repo.dir, '--alert-budget', '1', '--out', 'a.csv'], cwd).stdout
    );
    const strict = run(
      ['gate', '--commits', 'HEAD~20..HEAD', '--repo', repo.dir, '--alert-budget', '60', '--medium-budget', '80', '--out', 'b.csv'],
      cwd
    );
    expect(strict.code).toBe(1);
    expect(verdictOf(strict.stdout).n_high_risk as number).toBeGreaterThan(loose.n_high_risk as number);
    expect((verdictOf(strict.stdout).threshold as number) < (loose.threshold as number)).toBe(true);
  }, 120000);

  it("uses the card's thresholds in a young repository, and says so", () => {
    const result = run(['gate', '--commits', 'HEAD~3..HEAD', '--repo', young.dir, '--out', 'young.csv'], cwd);
    expect(result.stdout).toContain(
      "(the model card's): only 27 past commits to set the alert budget on (it needs at least 200): the model card's thresholds are used."
    );
    const card = JSON.parse(readFileSync('models/jit/v001.card.json', 'utf8'));
    expect(verdictOf(result.stdout).threshold).toBe(card.thresholds.high);
  });
});

describe('patch-risk score --commits', () => {
  it('prints the table only, whatever the risk', () => {
    const result = run(['score', '--commits', 'HEAD~20..HEAD', '--repo', repo.dir, '--alert-budget', '60'], cwd);
    expect(result.code).toBe(0);
    expect(result.stdout.startsWith('Commits HEAD~20..HEAD: 20 commits, ')).toBe(true);
    expect(result.stdout).not.toMatch(/"input_file"|PASS|FAIL/);
    expect(result.stdout).toMatch(/^Review first:$/m);
    const csv = run(['score', '--commits', 'HEAD~2..HEAD', '--repo', repo.dir, '--format', 'csv'], cwd);
    expect(csv.stdout.split('\n')[0]).toMatch(
      /^commit,author,date,subject,.*,percentile,high_threshold,medium_threshold,threshold_origin,/
    );
  }, 120000);
});

describe('usage', () => {
  it('without a file or --commits, says how to use either (in and outside a git repository)', () => {
    const inRepo = run(['gate'], repo.dir);
    expect(inRepo.code).toBe(2);
    expect(inRepo.stderr).toBe(
      "error: no patch file and no --commits. To check this branch's commits: patch-risk gate --commits origin/main..HEAD (any BASE..HEAD); to score a patch feature file: patch-risk gate FILE (CSV or JSON).\n"
    );
    const outside = run(['gate'], cwd);
    expect(outside.code).toBe(2);
    expect(outside.stderr).toMatch(
      /^error: no patch file and no --commits\. To score a patch feature file: patch-risk gate FILE .*--commits BASE\.\.HEAD --repo DIR\.\n$/
    );
    expect(run(['score'], cwd).stderr).toMatch(/patch-risk score FILE/);
  });

  it('refuses bad combinations and bad ranges with one line and exit 2', () => {
    const cases: [string[], RegExp][] = [
      [['gate', 'x.csv', '--commits', 'HEAD~1..HEAD', '--repo', repo.dir], /^error: give a patch file or --commits, not both/],
      [['gate', '--commits', 'HEAD~1...HEAD', '--repo', repo.dir], /--commits "HEAD~1...HEAD" must look like BASE\.\.HEAD/],
      [['gate', '--commits', 'HEAD~1..HEAD', '--repo', cwd], /not a git repository/],
      [['gate', '--commits', 'nosuch..HEAD', '--repo', repo.dir], /^error: --commits nosuch\.\.HEAD: "nosuch" is not a commit of /],
      [['gate', '--commits', 'HEAD~1..HEAD', '--repo', repo.dir, '--reference', 'x.csv'], /--reference is for patch files/],
      [
        ['gate', '--commits', 'HEAD~1..HEAD', '--repo', repo.dir, '--alert-budget', '0'],
        /--alert-budget must be a percentage between 0 and 100/
      ],
      [['gate', 'examples/patches.csv', '--repo', repo.dir], /--repo and --cache go with --commits/],
      [['gate', 'examples/patches.csv', '--format', 'text'], /--format goes with --commits/]
    ];
    for (const [args, message] of cases) {
      const result = run(args, path.resolve('.'));
      expect([args.join(' '), result.code]).toEqual([args.join(' '), 2]);
      expect(result.stderr).toMatch(message);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
    }
  }, 120000);
});

const DEFAULT_OUT = 'patch-risk-commits.scored.csv';
