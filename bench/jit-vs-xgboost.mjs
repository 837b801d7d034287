// The JIT training setup against xgboost `hist` on the real projects, same split, same parameters.
//   npm run build && node bench/jit-vs-xgboost.mjs [--seeds 3] [--data data/jit]
// For each project in data/jit/: the older 80% of commits train, the newest 20% test (the published
// protocol). Both trainers get the same float32 matrices (written as CSV, String(float32) round-trips)
// and JIT_GBDT_PARAMS mapped to xgboost's names; row subsampling draws from different generators, so
// each trainer runs with --seeds seeds and the table compares mean ROC-AUC. xgboost is Debian's
// python3-xgboost via /usr/bin/python3 (installed with apt-get when missing). Target: |ours - xgboost| <= 0.005.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { trainGbdt } from '../lib/model/gbdt/boost.js';
import { predictProbabilities } from '../lib/model/gbdt/ensemble.js';
import { rocAuc } from '../lib/model/evaluate/metrics.js';
import { subset } from '../lib/model/data/split.js';
import { JIT_PROJECTS, readJitProjects, timeSplit } from '../lib/model/jit/data.js';
import { JIT_GBDT_PARAMS, PUBLISHED_JIT_AUC } from '../lib/model/jit/eval.js';
import { datasetCsv, ensurePython } from './lib/python.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const SEEDS = Number(arg('--seeds', 3));
const DATA = path.resolve(arg('--data', path.join(root, 'data/jit')));
const TARGET = 0.005;

const XGB_PARAMS = {
  objective: 'binary:logistic',
  tree_method: 'hist',
  max_bin: 256,
  max_depth: JIT_GBDT_PARAMS.maxDepth,
  eta: JIT_GBDT_PARAMS.learningRate,
  lambda: JIT_GBDT_PARAMS.lambda,
  min_child_weight: JIT_GBDT_PARAMS.minChildWeight,
  subsample: JIT_GBDT_PARAMS.subsample,
  colsample_bytree: JIT_GBDT_PARAMS.colsampleByTree,
  nthread: 1,
  verbosity: 0
};

const PYTHON_SCRIPT = `
import sys, json, time
import numpy as np, pandas as pd, xgboost as xgb
train, test, out, params, rounds, seeds = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
tr = pd.read_csv(train); te = pd.read_csv(test)
dtrain = xgb.DMatrix(tr.drop(columns=['label']).to_numpy(np.float32), label=tr['label'].to_numpy(), nthread=1)
dtest = xgb.DMatrix(te.drop(columns=['label']).to_numpy(np.float32), nthread=1)
preds, times = [], []
for seed in range(seeds):
    t0 = time.perf_counter()
    booster = xgb.train({**params, 'seed': seed}, dtrain, num_boost_round=rounds)
    times.append(time.perf_counter() - t0)
    preds.append(booster.predict(dtest))
np.savetxt(out, np.array(preds).T, fmt='%.9g')
print(json.dumps({'times': times, 'version': xgb.__version__}))
`;

const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
const spread = (xs) => Math.max(...xs) - Math.min(...xs);

const python = ensurePython();
const dir = mkdtempSync(path.join(tmpdir(), 'prg-bench-jit-'));
try {
  const scriptPath = path.join(dir, 'xgb_jit.py');
  writeFileSync(scriptPath, PYTHON_SCRIPT);
  const projects = await readJitProjects(DATA, JIT_PROJECTS);
  const rows = [];
  let version = '';
  for (const { name, table } of projects) {
    const { train, test } = timeSplit(table.ids.length);
    const trainSet = subset(table, train);
    const testSet = subset(table, test);
    const ours = [];
    const ourTimes = [];
    for (let seed = 0; seed < SEEDS; seed++) {
      const t0 = performance.now();
      const { ensemble } = trainGbdt(trainSet, { ...JIT_GBDT_PARAMS, seed });
      ourTimes.push((performance.now() - t0) / 1000);
      ours.push(rocAuc(predictProbabilities(ensemble, testSet.X, testSet.nRows), testSet.y));
    }
    const trainCsv = path.join(dir, `${name}-train.csv`);
    const testCsv = path.join(dir, `${name}-test.csv`);
    const predPath = path.join(dir, `${name}-pred.txt`);
    writeFileSync(trainCsv, datasetCsv(trainSet));
    writeFileSync(testCsv, datasetCsv(testSet));
    const info = JSON.parse(
      execFileSync(
        python,
        [scriptPath, trainCsv, testCsv, predPath, JSON.stringify(XGB_PARAMS), String(JIT_GBDT_PARAMS.nTrees), String(SEEDS)],
        { encoding: 'utf8' }
      )
    );
    version = info.version;
    const columns = readFileSync(predPath, 'utf8')
      .trim()
      .split('\n')
      .map((line) => line.trim().split(/\s+/).map(Number));
    const xgbAucs = [...Array(SEEDS).keys()].map((s) =>
      rocAuc(
        columns.map((c) => c[s]),
        testSet.y
      )
    );
    const best = Math.max(...Object.values(PUBLISHED_JIT_AUC[name] ?? { none: NaN }));
    rows.push({ name, ours, xgbAucs, best, ourSeconds: mean(ourTimes), xgbSeconds: mean(info.times), n: trainSet.nRows });
  }

  console.log(
    `JIT setup vs xgboost ${version} hist on data/jit: older 80% trains, newest 20% tests; ${JIT_GBDT_PARAMS.nTrees} trees, depth ${JIT_GBDT_PARAMS.maxDepth}, lr ${JIT_GBDT_PARAMS.learningRate}, lambda ${JIT_GBDT_PARAMS.lambda}, subsample ${JIT_GBDT_PARAMS.subsample}; mean of ${SEEDS} seeds, 1 thread each`
  );
  const head = [
    'project',
    'train rows',
    'ours AUC',
    '(spread)',
    'xgboost AUC',
    '(spread)',
    'ours - xgb',
    `within ${TARGET}`,
    'best published',
    'ours s',
    'xgb s',
    'time vs xgb'
  ];
  const table = [head];
  for (const r of rows) {
    const diff = mean(r.ours) - mean(r.xgbAucs);
    table.push([
      r.name,
      String(r.n),
      mean(r.ours).toFixed(4),
      spread(r.ours).toFixed(4),
      mean(r.xgbAucs).toFixed(4),
      spread(r.xgbAucs).toFixed(4),
      `${diff >= 0 ? '+' : ''}${diff.toFixed(4)}`,
      Math.abs(diff) <= TARGET || diff > 0 ? 'yes' : 'NO',
      r.best.toFixed(4),
      r.ourSeconds.toFixed(3),
      r.xgbSeconds.toFixed(3),
      `${(r.ourSeconds / r.xgbSeconds).toFixed(2)}x`
    ]);
  }
  const widths = head.map((_, c) => Math.max(...table.map((row) => row[c].length)));
  for (const row of table)
    console.log(
      row
        .map((cell, c) => cell.padEnd(widths[c]))
        .join('  ')
        .trimEnd()
    );
  console.log('"within": |ours - xgboost| <= target, or ours higher. "time vs xgb" = our seconds / xgboost seconds (training only).');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
