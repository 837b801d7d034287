import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { InputError, JIT_SCHEMA } from '../../src/index.js';
import { METRIC_COLUMNS } from '../../src/git/csv.js';
import {
  canonicalJitColumns,
  jitTableFromRaw,
  pooledJitTable,
  readJitFile,
  readJitProjects,
  timeSplit,
  type JitProject
} from '../../src/model/jit/data.js';
import { evaluateTimeSplit, leaveOneProjectOut, PUBLISHED_JIT_AUC } from '../../src/model/jit/eval.js';
import { renderJitReport } from '../../src/model/jit/report.js';

const DATA = path.resolve('data/jit');
const PUBLISHED_HEADER = ',_id,date,bug,__,ns,nd,nf,entrophy,la,ld,lt,fix,ndev,age,nuc,exp,rexp,sexp';

function row(i: number, id: string, date: number, bug: number, la: number): string {
  return `${i},${id},${date},${bug},${bug},1,2,3,0.5,${la},4,100,0,2,10.5,7,30,3.25,5`;
}

describe('the JIT schema and the miner agree', () => {
  it('the miner writes exactly the features the jit model expects, in its order', () => {
    expect([...METRIC_COLUMNS]).toEqual(JIT_SCHEMA.features.map((feature) => feature.name));
  });
});

describe('JIT data reader', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'prg-jit-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the published spelling: entrophy becomes entropy and _id becomes commit', async () => {
    const file = path.join(dir, 'published.csv');
    writeFileSync(file, [PUBLISHED_HEADER, row(0, 'aaa111', 100, 1, 12), row(1, 'bbb222', 200, 0, 3)].join('\n') + '\n');
    const table = await readJitFile(file);
    expect(table.featureNames).toEqual(JIT_SCHEMA.features.map((f) => f.name));
    expect(table.columns).toContain('entropy');
    expect(table.columns).toContain('commit');
    expect(table.columns).not.toContain('entrophy');
    expect(table.ids).toEqual(['aaa111', 'bbb222']);
    expect(table.idColumn).toBe('commit');
    expect(Array.from(table.labels ?? [])).toEqual([1, 0]);
    const entropy = table.featureNames.indexOf('entropy');
    const la = table.featureNames.indexOf('la');
    expect(table.features[entropy]).toBeCloseTo(0.5);
    expect(table.features[la]).toBe(12);
    expect(table.features[table.featureNames.length + la]).toBe(3);
  });

  it('keeps canonical columns as they are (miner output) and does not rename over them', () => {
    const raw = { columns: ['commit', 'entropy', '_id', 'entrophy'], rows: [], lines: new Int32Array(0) };
    expect(canonicalJitColumns(raw).columns).toEqual(['commit', 'entropy', '_id', 'entrophy']);
  });

  it('refuses a file missing a metric, naming it', async () => {
    const file = path.join(dir, 'no-nuc.csv');
    const header = PUBLISHED_HEADER.replace(',nuc', '');
    const line = row(0, 'aaa111', 100, 1, 12).split(',');
    line.splice(PUBLISHED_HEADER.split(',').indexOf('nuc'), 1);
    writeFileSync(file, `${header}\n${line.join(',')}\n`);
    await expect(readJitFile(file)).rejects.toThrow(InputError);
    await expect(readJitFile(file)).rejects.toThrow(/missing required column: nuc$/);
  });

  it('refuses a negative count, naming the row and the column', () => {
    const raw = {
      columns: PUBLISHED_HEADER.split(','),
      rows: [row(0, 'a', 1, 0, 5).split(','), row(1, 'b', 2, 1, -4).split(',')],
      lines: Int32Array.from([2, 3])
    };
    expect(() => jitTableFromRaw('bad.csv', raw)).toThrow(/row 2, column "la": expected a whole number >= 0/);
  });

  it('puts rows in date order (stable on ties) before splitting', () => {
    const raw = {
      columns: PUBLISHED_HEADER.split(','),
      rows: [row(0, 'late', 300, 0, 1), row(1, 'early', 100, 1, 2), row(2, 'mid-a', 200, 0, 3), row(3, 'mid-b', 200, 1, 4)].map((r) =>
        r.split(',')
      ),
      lines: Int32Array.from([2, 3, 4, 5])
    };
    const table = jitTableFromRaw('shuffled.csv', raw);
    expect(table.ids).toEqual(['early', 'mid-a', 'mid-b', 'late']);
    expect(Array.from(table.lines)).toEqual([3, 4, 5, 2]);
  });
});

describe('time split', () => {
  it('trains on the first 80% of rows and tests on the last 20%, in order', () => {
    const { train, test } = timeSplit(10);
    expect(train).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(test).toEqual([8, 9]);
    const jdt = timeSplit(3279);
    expect(jdt.train.length).toBe(2623);
    expect(jdt.test[0]).toBe(2623);
    expect(jdt.test[jdt.test.length - 1]).toBe(3278);
  });

  it('pools projects so that validation is exactly the newest 20% of each project', async () => {
    const table = (name: string, n: number): JitProject => ({
      name,
      table: jitTableFromRaw(`${name}.csv`, {
        columns: PUBLISHED_HEADER.split(','),
        rows: Array.from({ length: n }, (_, i) => row(i, `${name}${i}`, i, i % 2, i).split(',')),
        lines: Int32Array.from({ length: n }, (_, i) => i + 2)
      })
    });
    const { table: pooled, validationFraction } = pooledJitTable([table('a', 10), table('b', 5)]);
    expect(pooled.ids).toEqual(['a0', 'a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7', 'b0', 'b1', 'b2', 'b3', 'a8', 'a9', 'b4']);
    expect(Math.round(pooled.ids.length * validationFraction)).toBe(3);
    expect(pooled.rows[12]).toEqual(['a', 'a8']);
  });
});

describe('evaluation on real data (jdt)', () => {
  it('beats chance by a wide margin on the newest 20% and reports it beside the published figures', async () => {
    const [jdt] = await readJitProjects(DATA, ['jdt']);
    expect(jdt.table.ids.length).toBe(3279);
    const result = evaluateTimeSplit('jdt', jdt.table);
    expect(result.trainRows).toBe(2623);
    expect(result.testRows).toBe(656);
    expect(result.rocAuc).toBeGreaterThan(0.65);
    expect(result.bestPublished).toBe(PUBLISHED_JIT_AUC.jdt.LApredict);
    expect(result.margin).toBeCloseTo(result.rocAuc - 0.6757, 10);
    const text = renderJitReport({ data: 'data/jit', params: {}, evaluation: [result] }, 'text');
    expect(text).toContain(result.rocAuc.toFixed(4));
    expect(text).toContain('0.6757');
  });

  it('leave-one-project-out reports calibration on the held-out project', async () => {
    const [jdt] = await readJitProjects(DATA, ['jdt']);
    // Two halves of jdt stand in for two projects (keeps the test fast).
    const half = (name: string, start: number, end: number): JitProject => ({
      name,
      table: {
        ...jdt.table,
        ids: jdt.table.ids.slice(start, end),
        features: jdt.table.features.slice(start * 14, end * 14),
        labels: jdt.table.labels?.slice(start, end)
      }
    });
    const rows = leaveOneProjectOut([half('older', 0, 1640), half('newer', 1640, 3279)]);
    expect(rows.map((r) => r.project)).toEqual(['older', 'newer']);
    for (const r of rows) {
      expect(r.rocAuc).toBeGreaterThan(0.6);
      expect(r.ece).toBeGreaterThanOrEqual(0);
      expect(r.ece).toBeLessThan(0.3);
      expect(r.brier).toBeLessThan(0.25);
      expect(r.meanPredicted).toBeGreaterThan(0);
      expect(r.meanPredicted).toBeLessThan(1);
    }
    expect(rows[0].testRows).toBe(1640);
    expect(rows[0].trainRows).toBe(1639);
  });
});

describe('patch-risk evaluate-jit (built CLI)', () => {
  // The CLI as users run it: the built bin (npm test builds lib/ first).
  const BIN = path.resolve('lib/cli/bin.js');
  const run = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });

  it('prints JSON with the measured and published ROC-AUC for the chosen projects', () => {
    const result = run(['evaluate-jit', '--projects', 'jdt', '--format', 'json']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.evaluation).toHaveLength(1);
    expect(report.evaluation[0].project).toBe('jdt');
    expect(report.evaluation[0].rocAuc).toBeGreaterThan(0.65);
    expect(report.evaluation[0].published.DeepJIT).toBe(0.6701);
  });

  it('exits 2 with one line naming the missing project file', () => {
    const result = run(['evaluate-jit', '--projects', 'nosuch']);
    expect(result.status).toBe(2);
    expect(result.stderr.trim()).toMatch(/nosuch\.csv: cannot read the file: no such file$/);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });
});
