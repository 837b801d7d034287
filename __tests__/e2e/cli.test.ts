import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Papa from 'papaparse';

// The CLI as users run it: the built bin (npm test builds lib/ first).
const BIN = path.resolve('lib/cli/bin.js');
const HEADER = 'patch_id,code_churn_score,patch_size_mb,lines_changed,files_changed,avg_device_age_days,is_hotfix,patch_security';
const RISKY = 'RISKY-1,0.95,40,60000,45,2600,1,1';
const CALM = 'CALM-1,0.05,0.2,12,1,60,0,0';
const PLAN = 'risk_score,high_risk,risk_bucket,qa_rank,regression_potential,qa_hours,monitoring_priority,monitoring_tier';

function run(args: string[], cwd = process.cwd()) {
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const dir = mkdtempSync(path.join(tmpdir(), 'prg-cli-'));
function file(name: string, text: string): string {
  const target = path.join(dir, name);
  writeFileSync(target, text);
  return target;
}

describe('patch-risk gate', () => {
  it('fails with the reference contract when a patch is high risk, and writes the scored file', () => {
    const input = file('risky.csv', `${HEADER},owner\n${RISKY},alice\n${CALM},bob\n`);
    const { code, stdout } = run(['gate', input]);
    expect(code).toBe(1);
    const [json, verdict] = stdout.split(/\n(?=🚨|✅)/);
    const parsed = JSON.parse(json);
    expect(Object.keys(parsed).slice(0, 2)).toEqual(['input_file', 'n_high_risk']);
    expect(parsed.input_file).toBe(input);
    expect(parsed.n_high_risk).toBe(1);
    expect(stdout.startsWith(`{\n  "input_file": ${JSON.stringify(input)},\n  "n_high_risk": 1`)).toBe(true);
    expect(verdict).toBe('🚨 FAIL: 1 high-risk patch(es) detected. CI BLOCKED.\n');
    const scored = Papa.parse<Record<string, string>>(readFileSync(path.join(dir, 'risky.scored.csv'), 'utf8'), {
      header: true,
      skipEmptyLines: true
    });
    expect(scored.data.map((row) => [row.patch_id, row.owner, row.risk_bucket, row.high_risk, row.model_name])).toEqual([
      ['RISKY-1', 'alice', 'High', '1', 'firmware'],
      ['CALM-1', 'bob', 'Low', '0', 'firmware']
    ]);
    expect(scored.meta.fields).toEqual(expect.arrayContaining(['risk_score', 'qa_rank', 'qa_hours', 'monitoring_tier', 'model_version']));
  });

  it('passes (exit 0) when nothing is high risk, with --out', () => {
    const input = file('calm.csv', `${HEADER}\n${CALM}\n`);
    const out = path.join(dir, 'elsewhere.csv');
    const { code, stdout } = run(['gate', input, '--out', out]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout.split('\n✅')[0]).n_high_risk).toBe(0);
    expect(stdout.endsWith('✅ PASS: No high-risk patches detected. CI continues.\n')).toBe(true);
    expect(existsSync(out)).toBe(true);
  });

  it('writes the same scored file as `score` prints (streaming and in-memory paths agree)', () => {
    const input = file('same.csv', `${HEADER},note\r\n${RISKY},"=HYPERLINK(""x"")"\r\n${CALM},"two\nlines, and a comma"\n`);
    const out = path.join(dir, 'same.scored.csv');
    run(['gate', input, '--out', out]);
    const printed = run(['score', input]).stdout;
    expect(readFileSync(out, 'utf8')).toBe(printed);
    expect(printed).toContain(`"'=HYPERLINK(""x"")"`);
  });

  it('--threshold moves the High edge', () => {
    const input = file('calm2.csv', `${HEADER}\n${CALM}\n`);
    const { code, stdout } = run(['gate', input, '--threshold', '0']);
    expect(code).toBe(1);
    expect(JSON.parse(stdout.split('\n🚨')[0]).n_high_risk).toBe(1);
  });

  it('exits 2 with a one-line error naming file, row and column — no stack trace', () => {
    const input = file('bad.csv', `${HEADER}\n${CALM}\nBAD,0.1,1,3.5,1,60,0,0\n`);
    const { code, stdout, stderr } = run(['gate', input]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(`error: ${input}, row 2, column "lines_changed": expected a whole number >= 0, found "3.5" (line 3)\n`);
  });

  it('exits 2 for missing columns, empty files, unknown models and bad flags', () => {
    expect(run(['gate', file('cols.csv', 'patch_id,lines_changed\nA,1\n')]).stderr).toMatch(
      /missing required columns: code_churn_score, patch_size_mb/
    );
    expect(run(['gate', file('empty.csv', '')]).code).toBe(2);
    const unknown = run(['gate', file('ok.csv', `${HEADER}\n${CALM}\n`), '--model', 'nosuch']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown model "nosuch": use a built-in name \(.*firmware.*\)/);
    expect(run(['gate', file('ok2.csv', `${HEADER}\n${CALM}\n`), '--threshold', 'high']).code).toBe(2);
    expect(run(['frobnicate']).code).toBe(2);
    expect(run(['gate']).code).toBe(2);
  });

  it('refuses a named --id-column the file does not have, listing the columns it has; only the card default may be absent', () => {
    const input = file('ids.csv', `${HEADER},component\n${RISKY},radio\n${CALM},ui\n`);
    const typo = run(['gate', input, '--id-column', 'id']);
    expect(typo.code).toBe(2);
    expect(typo.stdout).toBe('');
    expect(typo.stderr).toBe(
      `error: ${input}: the id column "id" is not in the file; its columns are "patch_id", "code_churn_score", "patch_size_mb", ` +
        `"lines_changed", "files_changed", "avg_device_age_days", "is_hotfix", "patch_security", "component"\n`
    );
    expect(run(['score', input, '--id-column', 'id']).code).toBe(2);
    // A column that is there gives the ids; the card's own id column may be missing (rows are numbered).
    const named = JSON.parse(run(['score', input, '--id-column', 'component', '--format', 'json']).stdout);
    expect(named.patches.map((row: Record<string, unknown>) => row.component)).toEqual(['radio', 'ui']);
    const numbered = file('noids.csv', `${HEADER.replace('patch_id', 'name')}\n${CALM}\n`);
    expect(run(['gate', numbered, '--id-column', 'patch_id']).code).toBe(0);
  });

  it('--explain auto beyond 20,000 rows explains the Medium and High rows; the scored file has the reason columns whatever the mode', () => {
    const big = path.join(dir, 'big.csv');
    expect(run(['generate', '--rows', '20001', '--seed', '11', '--out', big]).code).toBe(0);
    const out = path.join(dir, 'big.scored.csv');
    expect([0, 1]).toContain(run(['gate', big, '--out', out]).code);
    const rows = Papa.parse<Record<string, string>>(readFileSync(out, 'utf8'), { header: true, skipEmptyLines: true }).data;
    expect(rows).toHaveLength(20001);
    const risky = rows.filter((row) => row.risk_bucket !== 'Low');
    expect(risky.length).toBeGreaterThan(0);
    expect(risky.every((row) => /^\w+ = .+ \([+-]\d/.test(row.reason_1))).toBe(true);
    expect(rows.filter((row) => row.risk_bucket === 'Low').every((row) => row.reason_1 === '' && row.reason_3 === '')).toBe(true);
    for (const explain of ['none', 'risky', 'all']) {
      const small = file(`explain-${explain}.csv`, `${HEADER}\n${RISKY}\n${CALM}\n`);
      const scored = path.join(dir, `explain-${explain}.scored.csv`);
      run(['gate', small, '--out', scored, '--explain', explain]);
      const [header, risky1, calm1] = readFileSync(scored, 'utf8').trimEnd().split('\n');
      expect(header).toBe(`${HEADER},${PLAN},reason_1,reason_2,reason_3,model_name,model_version`);
      expect(risky1.includes(',,,firmware,')).toBe(explain === 'none');
      expect(calm1.includes(',,,firmware,')).toBe(explain !== 'all');
    }
  });

  it('says a .csv file holding JSON is JSON, not that every column is missing', () => {
    const json = JSON.stringify([{ patch_id: 'A', code_churn_score: 0.1 }]);
    for (const text of [json, JSON.stringify(JSON.parse(json), null, 2), '{"patches": []}']) {
      const { code, stderr } = run(['gate', file('looks.csv', text)]);
      expect(code).toBe(2);
      expect(stderr).toMatch(/looks\.csv: the file holds JSON, not CSV \(it starts with "[[{]"\)/);
      expect(stderr).toMatch(/rename it/);
    }
  });

  it('explains decimal commas: a semicolon-separated file with 0,5 gets its row and column and what to do', () => {
    const semicolons = file('semi.csv', `${HEADER.replace(/,/g, ';')}\nA;0,5;1;10;1;100;0;0\n`);
    const { code, stderr } = run(['gate', semicolons]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/semi\.csv, row 1, column "code_churn_score": expected a number >= 0, found "0,5" \(line 2\)/);
    expect(stderr).toMatch(/decimal commas are not read: write numbers with a dot \(0\.5, not 0,5\)/);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('prints help for every command', () => {
    for (const command of ['gate', 'score', 'generate', 'train']) {
      const { code, stdout } = run([command, '--help']);
      expect(code).toBe(0);
      expect(stdout).toMatch(new RegExp(`Usage: patch-risk ${command}`));
    }
  });
});

describe('patch-risk score', () => {
  const input = file('s.csv', `${HEADER}\n${CALM}\n${RISKY}\n`);
  it('prints JSON with totals and every row in input order', () => {
    const { code, stdout } = run(['score', input, '--format', 'json']);
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.totals).toMatchObject({ patches: 2, high: 1 });
    expect(report.patches.map((row: Record<string, unknown>) => [row.patch_id, row.qa_rank])).toEqual([
      ['CALM-1', 2],
      ['RISKY-1', 1]
    ]);
  });
  it('prints CSV and Markdown', () => {
    expect(run(['score', input]).stdout.split('\n')[0]).toMatch(/^patch_id,.*,risk_score,high_risk,risk_bucket/);
    expect(run(['score', input, '--format', 'markdown']).stdout).toMatch(/RISKY-1/);
    expect(run(['score', input, '--format', 'xml']).code).toBe(2);
  });

  it('prints the golden report: the shipped model through onnxruntime gives the reasons and advice render.test pins', () => {
    // The rows of render.test.ts's MIXED result (golden cli.md), scored here by the real CLI.
    const golden = mkdtempSync(path.join(tmpdir(), 'prg-golden-'));
    writeFileSync(
      path.join(golden, 'patches.csv'),
      [
        'patch_id,component,code_churn_score,patch_size_mb,lines_changed,files_changed,avg_device_age_days,is_hotfix,patch_security',
        'FW-101,bootloader,0.389,0.85,432,3,464.7,1,0',
        'FW-2043,power-mgmt,0.565,5.89,1894,7,126,0,0',
        'FW-2044,ota-updater,0.568,0.4,161,2,255.2,0,1',
        'FW-2053,docs-build,0.089,0.24,12,1,920.5,0,0'
      ].join('\n') + '\n'
    );
    const { code, stdout } = run(['score', 'patches.csv', '--format', 'markdown'], golden);
    expect(code).toBe(0);
    expect(stdout).toBe(readFileSync(path.resolve('__tests__/golden/cli.md'), 'utf8'));
  });

  it('JSON rows carry the shown reasons with phrase, strength, feature, value and SHAP value, and the thresholds’ origin', () => {
    const report = JSON.parse(run(['score', input, '--format', 'json']).stdout);
    expect(report.thresholds).toEqual({ high: 0.2992, medium: 0.1542, origin: 'card' });
    const risky = report.patches.find((row: { patch_id: string }) => row.patch_id === 'RISKY-1');
    expect(risky.reason_1).toMatch(/^[a-z_]+ = .* \([+-][\d.]+\)$/);
    expect(risky.reasons.length).toBeGreaterThan(0);
    for (const reason of risky.reasons) {
      expect(Object.keys(reason)).toEqual(['feature', 'value', 'shap', 'phrase', 'strength']);
      expect(reason.shap).toBeGreaterThan(0);
    }
    expect(risky.reasons.map((reason: { phrase: string }) => reason.phrase)).toContain('60,000 lines changed');
  });
});

describe('alert budget on a patch file (--reference)', () => {
  const reference = path.join(dir, 'past.csv');
  beforeAll(() => {
    run(['generate', '--rows', '1000', '--seed', '21', '--out', reference]);
  });

  it('sets the thresholds on the reference file and adds percentiles and the thresholds to the scored file', () => {
    const out = path.join(dir, 'budget.scored.csv');
    const result = run(['gate', 'examples/patches.csv', '--alert-budget', '10', '--reference', reference, '--out', out]);
    const verdict = JSON.parse(result.stdout.split(/\n(?=🚨|✅)/)[0]);
    const scored = Papa.parse<Record<string, string>>(readFileSync(out, 'utf8'), { header: true, skipEmptyLines: true });
    expect(scored.meta.fields).toEqual(expect.arrayContaining(['percentile', 'high_threshold', 'medium_threshold', 'threshold_origin']));
    expect(scored.data.every((row) => row.threshold_origin === 'budget' && Number(row.high_threshold) === verdict.threshold)).toBe(true);
    expect(verdict.threshold).not.toBe(0.2992);
    const markdown = run([
      'score',
      'examples/patches.csv',
      '--alert-budget',
      '10',
      '--reference',
      reference,
      '--format',
      'markdown'
    ]).stdout;
    expect(markdown).toContain('**Alert budget:** High = the riskiest 10% of the 1,000 patches of past.csv (risk ≥ ');
    expect(markdown).toContain('| Riskier than |');
  });

  it("keeps the card's thresholds and the scored file's columns without a budget; a budget needs a reference", () => {
    const header = run(['score', 'examples/patches.csv']).stdout.split('\n')[0];
    expect(header).not.toMatch(/percentile|threshold_origin/);
    const missing = run(['gate', 'examples/patches.csv', '--alert-budget', '10', '--out', path.join(dir, 'nobudget.csv')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^error: an alert budget on a patch file needs a reference file of past patches .*--reference FILE/);
  });
});

describe('patch-risk generate and train', () => {
  it('generates the same file for the same seed, with 10-25% positives', () => {
    const a = run(['generate', '--rows', '2000', '--seed', '5']).stdout;
    const b = run(['generate', '--rows', '2000', '--seed', '5']).stdout;
    const c = run(['generate', '--rows', '2000', '--seed', '6']).stdout;
    expect(a).toBe(b);
    expect(a).not.toBe(c);
    const rows = Papa.parse<Record<string, string>>(a, { header: true, skipEmptyLines: true }).data;
    expect(rows).toHaveLength(2000);
    const positives = rows.filter((row) => row.high_risk_flag === '1').length / rows.length;
    expect(positives).toBeGreaterThan(0.1);
    expect(positives).toBeLessThan(0.25);
  });

  it('trains v001 then v002 in the same folder, never overwriting, and the new model gates', () => {
    const data = path.join(dir, 'train.csv');
    expect(run(['generate', '--rows', '3000', '--seed', '11', '--out', data]).code).toBe(0);
    const models = path.join(dir, 'models', 'mine');
    const first = run(['train', data, '--out', models, '--trees', '40']);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/trained mine v001: \d+ trees on 2400 rows/);
    const v1 = readFileSync(path.join(models, 'v001.onnx'));
    expect(run(['train', data, '--out', models, '--trees', '30', '--seed', '3']).stdout).toMatch(/trained mine v002/);
    expect(readFileSync(path.join(models, 'v001.onnx')).equals(v1)).toBe(true);
    const card = JSON.parse(readFileSync(path.join(models, 'v002.card.json'), 'utf8'));
    expect(card.features.map((f: { name: string }) => f.name)).toEqual(HEADER.split(',').slice(1));
    expect(card.metrics.roc_auc).toBeGreaterThan(0.75);
    expect(run(['gate', file('g.csv', `${HEADER}\n${CALM}\n`), '--model', path.join(models, 'v001.onnx')]).code).toBe(0);
  });

  it('writes the evaluation report of a new version with --report', () => {
    const data = path.join(dir, 'train-report.csv');
    run(['generate', '--rows', '1500', '--seed', '12', '--out', data]);
    const report = path.join(dir, 'report');
    const result = run(['train', data, '--out', path.join(dir, 'models', 'reported'), '--trees', '20', '--report', report]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`report: ${path.join(report, 'index.html')}`);
    const html = readFileSync(path.join(report, 'index.html'), 'utf8');
    for (const chart of ['roc', 'pr', 'calibration', 'confusion', 'histogram', 'importance']) {
      expect(readFileSync(path.join(report, `${chart}.svg`), 'utf8')).toMatch(/<svg[\s\S]*<path/);
      expect(html).toContain(`${chart}.svg`);
    }
  });

  it('never writes the report through a symlink, and leaves no temporary file behind', () => {
    const data = path.join(dir, 'train-report.csv');
    const report = path.join(dir, 'report-linked');
    mkdirSync(report, { recursive: true });
    const victim = file('victim.html', 'untouched');
    symlinkSync(victim, path.join(report, 'index.html'));
    const result = run(['train', data, '--out', path.join(dir, 'models', 'linked'), '--trees', '5', '--report', report]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/cannot write the report page .*index\.html: it is a symbolic link/);
    expect(readFileSync(victim, 'utf8')).toBe('untouched');
    expect(readdirSync(report).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('trains on any numeric CSV with --label and --features, and scoring validates against that card', () => {
    const rows = Array.from({ length: 600 }, (_, i) => `${i},${i % 7},${(i * 37) % 101},${i % 7 > 3 && (i * 37) % 101 > 50 ? 1 : 0},note`);
    const data = file('generic.csv', `id,a,b,bad,comment\n${rows.join('\n')}\n`);
    const models = path.join(dir, 'models', 'generic');
    expect(run(['train', data, '--out', models, '--label', 'bad', '--id-column', 'id']).code).toBe(0);
    const card = JSON.parse(readFileSync(path.join(models, 'v001.card.json'), 'utf8'));
    expect(card.features).toEqual([
      { name: 'a', type: 'integer', min: 0 },
      { name: 'b', type: 'integer', min: 0 }
    ]);
    expect(card.label).toBe('bad');
    const wrong = run(['score', file('wrong.csv', 'id,a\n1,2\n'), '--model', models]);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/missing required column: b/);
    expect(run(['train', data, '--out', models, '--label', 'nosuch']).stderr).toMatch(/missing the label column "nosuch"/);
  });
});

describe('deployment rollback model', () => {
  it('generates deployment histories deterministically, with 10-25% rollbacks', () => {
    const a = run(['generate', '--kind', 'deployment', '--rows', '3000', '--seed', '4']).stdout;
    expect(run(['generate', '--kind', 'deployment', '--rows', '3000', '--seed', '4']).stdout).toBe(a);
    const rows = Papa.parse<Record<string, string>>(a, { header: true, skipEmptyLines: true }).data;
    expect(Object.keys(rows[0])).toEqual(['deployment_id', 'latency_ms', 'error_rate', 'cpu_usage', 'memory_usage', 'rollback']);
    const share = rows.filter((row) => row.rollback === '1').length / rows.length;
    expect(share).toBeGreaterThan(0.1);
    expect(share).toBeLessThan(0.25);
  });

  it('gates a deployments file with the shipped rollback model, with reasons from its metrics', () => {
    const { code, stdout } = run([
      'gate',
      'examples/deployments.csv',
      '--model',
      'rollback',
      '--out',
      path.join(dir, 'deployments.scored.csv')
    ]);
    expect(code).toBe(1);
    expect(JSON.parse(stdout.split('\n🚨')[0])).toMatchObject({ input_file: 'examples/deployments.csv', model: 'rollback' });
    const scored = Papa.parse<Record<string, string>>(readFileSync(path.join(dir, 'deployments.scored.csv'), 'utf8'), {
      header: true
    }).data;
    const search = scored.find((row) => row.deployment_id === 'DEP-9002');
    expect(search?.risk_bucket).toBe('High');
    expect(search?.reason_1).toMatch(/^(latency_ms|error_rate|cpu_usage|memory_usage) = /);
    const calm = scored.find((row) => row.deployment_id === 'DEP-9007');
    expect(calm?.risk_bucket).toBe('Low');
    const card = JSON.parse(readFileSync('models/rollback/v001.card.json', 'utf8'));
    expect(card.features.map((f: { name: string }) => f.name)).toEqual(['latency_ms', 'error_rate', 'cpu_usage', 'memory_usage']);
    expect(card.metrics.roc_auc).toBeGreaterThan(0.8);
  });
});
