import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Papa from 'papaparse';
import { InputError, generateFirmwarePatches, readRegistry, sortByTime, splitNewest, type RawTable } from '../../src/index.js';
import { type FirmwarePatch } from '../../src/model/data/generate.js';

// The CLI as users run it: the built bin (npm test builds lib/ first). Scoring
// runs onnxruntime, which cannot run inside jest's VM sandbox (see onnx.test.ts).
const BIN = path.resolve('lib/cli/bin.js');
function run(args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function raw(columns: string[], rows: string[][]): RawTable {
  return { columns, rows, lines: Int32Array.from(rows, (_, i) => i + 2) };
}

describe('sortByTime and splitNewest', () => {
  it('sorts ISO dates oldest first, keeping file order on ties', () => {
    const table = raw(
      ['id', 'at'],
      [
        ['c', '2024-03-01T00:00:00Z'],
        ['a', '2024-01-01'],
        ['b1', '2024-02-01T00:00:00Z'],
        ['b2', '2024-02-01T00:00:00Z']
      ]
    );
    const sorted = sortByTime(table, 'at', 'h.csv');
    expect(sorted.rows.map((row) => row[0])).toEqual(['a', 'b1', 'b2', 'c']);
    expect(Array.from(sorted.lines)).toEqual([3, 4, 5, 2]);
  });

  it('sorts numbers numerically (not as text)', () => {
    const sorted = sortByTime(
      raw(
        ['id', 't'],
        [
          ['x', '100'],
          ['y', '20'],
          ['z', '3']
        ]
      ),
      't',
      'h.csv'
    );
    expect(sorted.rows.map((row) => row[0])).toEqual(['z', 'y', 'x']);
  });

  it('names the file, row, column and line of a bad time, and a missing column', () => {
    const table = raw(
      ['id', 'at'],
      [
        ['a', '2024-01-01'],
        ['b', 'yesterday']
      ]
    );
    expect(() => sortByTime(table, 'at', 'h.csv')).toThrow(InputError);
    expect(() => sortByTime(table, 'at', 'h.csv')).toThrow(
      'h.csv, row 2, column "at": expected a date (e.g. 2024-05-01T12:00:00Z) or a number, found "yesterday" (line 3)'
    );
    expect(() => sortByTime(table, 'when', 'h.csv')).toThrow('h.csv: no time column "when" (columns: id, at)');
  });

  it('holds out the newest rows', () => {
    const table = raw(
      ['id'],
      Array.from({ length: 10 }, (_, i) => [String(i)])
    );
    const { older, newest } = splitNewest(table, 0.2);
    expect(older.rows.map((row) => row[0])).toEqual(['0', '1', '2', '3', '4', '5', '6', '7']);
    expect(newest.rows.map((row) => row[0])).toEqual(['8', '9']);
    expect(Array.from(newest.lines)).toEqual([10, 11]);
  });
});

/**
 * Each check's level as `drift`'s text tables print it (a feature at the
 * worse of its PSI and KS levels), and the checks the verdict line names under
 * each level.
 */
function driftLevels(text: string): { table: Map<string, string>; verdict: Map<string, string> } {
  const rank = ['ok', 'n/a', 'warn', 'alert'];
  const table = new Map<string, string>();
  const lines = text.split('\n');
  for (const line of lines.slice(lines.findIndex((l) => l.startsWith('feature ')) + 1)) {
    if (line === '') break;
    const [feature, , psiLevel, , ksLevel] = line.split(/\s+/);
    table.set(feature, rank.indexOf(psiLevel) > rank.indexOf(ksLevel) ? psiLevel : ksLevel);
  }
  for (const match of text.matchAll(/^(high-risk share|ROC-AUC|F1)(?: \(labels\))? +\S+ +\S+ +\S+ +(\S+)$/gm))
    table.set(match[1], match[2]);
  const verdict = new Map<string, string>();
  const groups = /^overall: \w+ — [^:]+: (.*)$/m.exec(text)?.[1] ?? '';
  for (const group of groups.split('; ')) {
    const [, level, names] = /^(\w+) on (.*)$/.exec(group) ?? [];
    for (const name of names?.split(', ') ?? []) verdict.set(name, level);
  }
  return { table, verdict };
}

type Dated = FirmwarePatch & { merged_at: string };

/** Patches merged one hour apart from 2024-01-01, written in a scrambled order (so --time-column matters). */
function dated(patches: FirmwarePatch[]): Dated[] {
  const start = Date.parse('2024-01-01T00:00:00Z');
  const rows = patches.map((patch, i) => ({ ...patch, merged_at: new Date(start + i * 3600_000).toISOString() }));
  return rows.map((_, i) => rows[(i * 7919) % rows.length]);
}

/** lines_changed x5 and devices 700 days older; labels stay those of the original patches. */
function drifted<T extends FirmwarePatch>(patches: T[]): T[] {
  return patches.map((patch) => ({
    ...patch,
    lines_changed: patch.lines_changed * 5,
    avg_device_age_days: patch.avg_device_age_days + 700
  }));
}

describe('the model lifecycle end to end (train, promote, drift, retrain, block, shadow)', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'prg-lifecycle-'));
  const dir = path.join(root, 'models', 'fw');
  const write = (name: string, rows: object[]): string => {
    const file = path.join(root, name);
    writeFileSync(file, Papa.unparse(rows, { newline: '\n' }) + '\n');
    return file;
  };
  const history = write('history.csv', generateFirmwarePatches(4000, 21));
  const holdout = write('holdout.csv', generateFirmwarePatches(1500, 22));
  const fresh = write('fresh.csv', generateFirmwarePatches(2000, 23));
  const driftedRows = drifted(dated(generateFirmwarePatches(4000, 24)));
  const driftedFile = write('drifted.csv', driftedRows);
  const read = (file: string) => readFileSync(path.join(dir, file));

  it('trains v001 and promotes it', () => {
    expect(run(['train', history, '--out', dir]).code).toBe(0);
    const promote = run(['promote', dir, 'v001', '--holdout', holdout]);
    expect(promote.code).toBe(0);
    expect(readRegistry(dir)?.champion).toBe('v001');
  });

  it('finds no drift in fresh data from the same process', () => {
    const { code, stdout } = run(['drift', fresh, '--model', dir, '--fail-on', 'warn']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^drift of 2000 rows against fw v001\n/);
    expect(stdout).toMatch(/overall: ok — no drift beyond warn: retraining not needed\n$/);
  });

  it('flags drifted data (exit 1 at --fail-on alert), which triggers a retrain that promotes v002', () => {
    const drift = run(['drift', driftedFile, '--model', dir, '--fail-on', 'alert', '--format', 'json']);
    expect(drift.code).toBe(1);
    expect(drift.stderr).toBe('drift: alert reached --fail-on alert\n');
    const report = JSON.parse(drift.stdout);
    expect(report).toMatchObject({ input_file: driftedFile, level: 'alert', retrain_recommended: true, rows: 4000 });

    // The verdict line names every check under the level its own table row shows.
    const text = run(['drift', driftedFile, '--model', dir, '--fail-on', 'alert']);
    expect(text.code).toBe(1);
    const { table, verdict } = driftLevels(text.stdout);
    expect(table.size).toBe(10);
    expect(verdict).toEqual(new Map([...table].filter(([, level]) => level === 'warn' || level === 'alert')));
    expect([...verdict.values()]).toContain('warn');
    expect(text.stdout).toMatch(
      /\noverall: alert — retrain recommended: alert on lines_changed, avg_device_age_days[^;]*; warn on [^;]+\n$/
    );

    const newest = JSON.parse(
      run(['drift', driftedFile, '--model', dir, '--newest', '100', '--time-column', 'merged_at', '--format', 'json']).stdout
    );
    expect(newest.rows).toBe(100);

    const retrain = run(['retrain', driftedFile, '--dir', dir, '--time-column', 'merged_at']);
    expect(retrain.stdout).toMatch(
      /^trained candidate fw v002: \d+ trees on the 3200 oldest rows \(by merged_at\); judging on the newest 800\n/
    );
    expect(retrain.code).toBe(0);
    expect(retrain.stdout).toMatch(/candidate v002 +champion v001/);
    expect(retrain.stdout).toMatch(/promoted v002: it is now the champion/);
    const registry = readRegistry(dir);
    expect(registry?.champion).toBe('v002');
    expect(registry?.history.at(-1)?.reason).toMatch(
      /^retrained on the 3200 oldest rows of drifted\.csv; gates passed on drifted\.csv \(newest 800 rows\)/
    );
    const card = JSON.parse(read('v002.card.json').toString());
    expect(card.training.provenance).toMatch(/3200 oldest rows by merged_at/);
    // Only the 3200 oldest rows were used for training (its own train + validation split).
    expect(card.training.rows + card.training.validation_rows).toBe(3200);
    // v002 learnt the drifted data: drift against it is no longer alarming.
    expect(run(['drift', driftedFile, '--model', dir, '--fail-on', 'alert']).code).toBe(0);
    expect(run(['models', 'list', '--dir', dir]).stdout).toMatch(/v002 .* \* champion/);
  });

  it('blocks a retrain on shuffled labels: exit 1, no new version, registry.json byte-identical', () => {
    const cut = Math.round(driftedRows.length * 0.8);
    let state = 5;
    const labels = driftedRows.slice(0, cut).map((row) => row.high_risk_flag);
    for (let i = labels.length - 1; i > 0; i--) {
      state = (state * 16807) % 2147483647;
      const j = state % (i + 1);
      [labels[i], labels[j]] = [labels[j], labels[i]];
    }
    const bad = write(
      'bad.csv',
      driftedRows.map((row, i) => (i < cut ? { ...row, high_risk_flag: labels[i] } : row))
    );
    const before = { registry: read('registry.json'), files: readdirSync(dir) };
    const retrain = run(['retrain', bad, '--dir', dir]);
    expect(retrain.code).toBe(1);
    expect(retrain.stdout).toMatch(/trained candidate fw v003/);
    expect(retrain.stdout).toMatch(/FAIL {2}min_roc_auc/);
    expect(retrain.stdout).toMatch(/blocked v003: failed .*; the champion stays v002, nothing was changed\n$/);
    expect(read('registry.json').equals(before.registry)).toBe(true);
    expect(readdirSync(dir)).toEqual(before.files);
    expect(existsSync(path.join(dir, 'v003.onnx'))).toBe(false);
  });

  it('scores with a challenger beside the champion without changing the decision', () => {
    const plain = JSON.parse(run(['score', fresh, '--model', dir, '--format', 'json']).stdout);
    const shadow = run(['score', fresh, '--model', dir, '--challenger', `${dir}@v001`, '--format', 'json']);
    expect(shadow.code).toBe(0);
    const report = JSON.parse(shadow.stdout);
    expect(report.totals).toEqual(plain.totals);
    expect(report.patches).toEqual(plain.patches);
    expect(report.challenger).toMatchObject({ champion: { version: 'v002' }, challenger: { version: 'v001' }, patches: 2000 });
    expect(report.challenger.agreement).toBeGreaterThan(0.5);
    expect(report.challenger.agreement).toBeLessThan(1);
    expect(report.challenger.differing.length).toBe(Math.round((1 - report.challenger.agreement) * 2000));
    const highs = new Map(plain.patches.map((row: Record<string, unknown>) => [row.patch_id, row.high_risk]));
    for (const d of report.challenger.differing) {
      expect(d.champion_high_risk).toBe(highs.get(d.id));
      expect(d.challenger_high_risk).toBe(1 - d.champion_high_risk);
    }
    const csv = run(['score', fresh, '--model', dir, '--challenger', `${dir}@v001`]);
    expect(csv.stdout).toBe(run(['score', fresh, '--model', dir]).stdout);
    expect(csv.stderr).toMatch(
      /^challenger fw v001 \(shadow; the decision is fw v002's\):\n {2}decision agreement \d+\.\d% of 2000 patches, Spearman rank correlation 0\.\d{4}\n/
    );
    expect(run(['score', fresh, '--model', dir, '--challenger', `${dir}@v001`, '--format', 'markdown']).stdout).toMatch(
      /### Challenger fw v001 \(shadow\)/
    );
  });
});

describe('retraining never promotes a model worse beyond the noise of the holdout', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'prg-retrain-noise-'));
  const dir = path.join(root, 'fw');
  /** `patch-risk generate` rows with a share of the labels of the oldest 80% flipped (seeded): a worse candidate, a clean holdout. */
  const noisyHistory = (name: string, seed: number, share: number): string => {
    const file = path.join(root, name);
    expect(run(['generate', '--rows', '50000', '--seed', String(seed), '--out', file]).code).toBe(0);
    const rows = Papa.parse<Record<string, string>>(readFileSync(file, 'utf8'), { header: true, skipEmptyLines: true }).data;
    let state = seed;
    const cut = rows.length * 0.8;
    for (let i = 0; i < cut; i++) {
      state = (state * 16807) % 2147483647;
      if (state / 2147483647 < share) rows[i].high_risk_flag = rows[i].high_risk_flag === '1' ? '0' : '1';
    }
    writeFileSync(file, Papa.unparse(rows, { newline: '\n' }) + '\n');
    return file;
  };
  /** A metric row of the promotion table: [candidate, champion]. */
  const pair = (stdout: string, metric: string): number[] =>
    new RegExp(`^${metric} +(\\S+) +(\\S+)$`, 'm').exec(stdout)!.slice(1, 3).map(Number);

  it('trains the champion v001 (no registry.json: it is served as the newest version)', () => {
    const history = path.join(root, 'history.csv');
    expect(run(['generate', '--rows', '50000', '--seed', '5', '--out', history]).code).toBe(0);
    expect(run(['train', history, '--out', dir]).code).toBe(0);
  });

  it('blocks a candidate worse on the holdout even though the drop is within the 0.01 tolerance', () => {
    const noisy = noisyHistory('noisy.csv', 6, 0.15);
    const { code, stdout } = run(['retrain', noisy, '--dir', dir]);
    const [candidateAuc, championAuc] = pair(stdout, 'ROC-AUC');
    const [candidateF1, championF1] = pair(stdout, 'F1');
    expect(candidateAuc).toBeLessThan(championAuc);
    expect(championAuc - candidateAuc).toBeLessThan(0.01);
    expect(candidateF1).toBeLessThan(championF1);
    expect(stdout).toMatch(/^trained candidate fw v002: \d+ trees on the 40000 oldest rows \(file order\); judging on the newest 10000\n/);
    expect(stdout).toMatch(/\nROC-AUC change -0\.00\d\d, 95% interval -0\.\d{4} to -0\.\d{4} \(paired bootstrap: 2000 resamples/);
    expect(stdout).toMatch(/ {2}PASS {2}max_auc_drop {2}ROC-AUC change vs champion v001 -0\.00\d\d, drop allowed <= 0\.01\n/);
    expect(stdout).toMatch(/ {2}FAIL {2}auc_noise {5}change -0\.00\d\d \(95% interval -0\.\d{4} to -0\.\d{4}\): worse beyond the noise/);
    expect(stdout).toMatch(/\nrefused: ROC-AUC 0\.\d{4} is 0\.00\d\d below champion v001's 0\.\d{4}, beyond the noise of these rows/);
    expect(stdout).toMatch(
      /\nblocked v002: failed auc_noise; the champion stays v001 \(the newest version; no registry.json yet\), nothing was changed\n$/
    );
    expect(code).toBe(1);
    expect(readdirSync(dir).sort()).toEqual(['v001.card.json', 'v001.onnx']);
  });

  it('accepts a drop within the noise, says why, and records the interval with the champion it replaced', () => {
    const mild = noisyHistory('mild.csv', 6, 0.08);
    const { code, stdout } = run(['retrain', mild, '--dir', dir]);
    const [candidateAuc, championAuc] = pair(stdout, 'ROC-AUC');
    expect(candidateAuc).toBeLessThan(championAuc);
    expect(stdout).toMatch(
      / {2}PASS {2}auc_noise {5}change -0\.\d{4} \(95% interval -0\.\d{4} to \+0\.\d{4}\): the drop is within the noise/
    );
    expect(stdout).toMatch(
      /\naccepted: ROC-AUC 0\.\d{4} is 0\.\d{4} below champion v001's 0\.\d{4}, but the drop is within the noise of these rows \(95% interval -0\.\d{4} to \+0\.\d{4} of the change reaches 0\) and within the allowed 0\.01\npromoted v002: it is now the champion of /
    );
    expect(code).toBe(0);
    const registry = readRegistry(dir);
    expect(registry?.champion).toBe('v002');
    expect(registry?.history.map((entry) => [entry.version, entry.action, entry.reason])).toEqual([
      ['v001', 'initial', 'served before the first promotion: v001 (the newest version; no registry.json yet)'],
      [
        'v002',
        'promoted',
        'retrained on the 40000 oldest rows of mild.csv; gates passed on mild.csv (newest 10000 rows): ROC-AUC below champion v001 but within the noise of the holdout'
      ]
    ]);
    const { comparison } = registry!.history[1];
    expect(comparison).toMatchObject({ against: 'v001', confidence: 0.95, resamples: 2000, seed: 1 });
    expect(comparison!.roc_auc_difference).toBeCloseTo(candidateAuc - championAuc, 3);
    expect(comparison!.interval[0]).toBeLessThan(comparison!.roc_auc_difference);
    expect(comparison!.interval[1]).toBeGreaterThanOrEqual(0);
  });
});

describe('lifecycle command help', () => {
  it('prints usage for every lifecycle command', () => {
    for (const command of [['models', 'list'], ['promote'], ['drift'], ['retrain']]) {
      const { code, stdout } = run([...command, '--help']);
      expect(code).toBe(0);
      expect(stdout).toMatch(new RegExp(`Usage: patch-risk ${command.join(' ')}`));
    }
  });
});
