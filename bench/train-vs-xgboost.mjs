// Trainer speed and accuracy against xgboost `hist` on the same data and split.
//   npm run build && node bench/train-vs-xgboost.mjs [--rows 20000] [--repeats 5]
// Generates rows x 7 features (nonlinear rule + label noise) plus a 25% held-out
// split, writes both as CSV to a temp dir, trains ours (from ../lib) and xgboost
// (Debian's python3-xgboost, installed with apt-get when missing) with 300 trees,
// depth 6, learning rate 0.1, no early stopping, and prints seconds (median of
// the repeats, and the fastest and slowest run), trees and ROC-AUC on the
// held-out rows. The machine may be shared: xgboost with 2 threads suffers most
// from other load, so compare with its 1-thread time as well.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { trainGbdt } from '../lib/model/gbdt/boost.js';
import { createRandom } from '../lib/model/gbdt/random.js';
import { predictProbabilities } from '../lib/model/gbdt/ensemble.js';
import { rocAuc } from '../lib/model/evaluate/metrics.js';
import { datasetCsv, ensurePython } from './lib/python.mjs';

const argValue = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const N_TRAIN = argValue('--rows', 20000);
const REPEATS = argValue('--repeats', 5);
const N_TEST = Math.round(N_TRAIN / 4);
const N_FEATURES = 7;
const PARAMS = { nTrees: 300, maxDepth: 6, learningRate: 0.1, earlyStoppingRounds: 0 };

function generate(nRows, seed) {
  const random = createRandom(seed);
  const rand = () => random.next();
  const X = new Float32Array(nRows * N_FEATURES);
  const y = new Uint8Array(nRows);
  for (let i = 0; i < nRows; i++) {
    const row = i * N_FEATURES;
    for (let f = 0; f < N_FEATURES; f++) X[row + f] = f === 3 ? Math.floor(rand() * 10) : rand() * 2 - 1;
    const x = (f) => X[row + f];
    const margin = 2 * x(0) * x(1) + Math.sin(3 * x(2)) + 0.3 * x(3) - 1.5 + (x(4) > 0.5 ? 1 : 0) + (rand() - 0.5) * 2;
    y[i] = margin > 0 ? 1 : 0;
  }
  return { X, y, nRows, nFeatures: N_FEATURES };
}

const PYTHON_SCRIPT = `
import sys, time, json
import numpy as np, pandas as pd, xgboost as xgb
train, test, out, repeats, nthread = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
tr = pd.read_csv(train); te = pd.read_csv(test)
Xtr = tr.drop(columns=['label']).to_numpy(np.float32); ytr = tr['label'].to_numpy()
Xte = te.drop(columns=['label']).to_numpy(np.float32)
params = {'objective': 'binary:logistic', 'tree_method': 'hist', 'max_depth': 6, 'eta': 0.1, 'max_bin': 256, 'nthread': nthread, 'verbosity': 0}
xgb.train(params, xgb.DMatrix(Xtr, label=ytr, nthread=nthread), num_boost_round=10)  # warm-up (thread pool), not timed
times = []
for _ in range(repeats):
    t0 = time.perf_counter()
    dtrain = xgb.DMatrix(Xtr, label=ytr, nthread=nthread)
    booster = xgb.train(params, dtrain, num_boost_round=300)
    times.append(time.perf_counter() - t0)
pred = booster.predict(xgb.DMatrix(Xte, nthread=nthread))
np.savetxt(out, pred, fmt='%.9g')
print(json.dumps({'times': times, 'trees': booster.num_boosted_rounds(), 'version': xgb.__version__}))
`;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const dir = mkdtempSync(path.join(tmpdir(), 'prg-bench-'));
try {
  const all = generate(N_TRAIN + N_TEST, 20240611);
  const slice = (a, b) => ({ X: all.X.slice(a * N_FEATURES, b * N_FEATURES), y: all.y.slice(a, b), nRows: b - a, nFeatures: N_FEATURES });
  const train = slice(0, N_TRAIN);
  const test = slice(N_TRAIN, N_TRAIN + N_TEST);
  const trainCsv = path.join(dir, 'train.csv');
  const testCsv = path.join(dir, 'test.csv');
  writeFileSync(trainCsv, datasetCsv(train));
  writeFileSync(testCsv, datasetCsv(test));

  const python = ensurePython(['python3-sklearn']);
  const scriptPath = path.join(dir, 'xgb_bench.py');
  writeFileSync(scriptPath, PYTHON_SCRIPT);
  const xgboostRun = (nthread) => {
    const predPath = path.join(dir, `xgb_pred_${nthread}.txt`);
    const info = JSON.parse(execFileSync(python, [scriptPath, trainCsv, testCsv, predPath, '1', String(nthread)], { encoding: 'utf8' }));
    return { ...info, preds: readFileSync(predPath, 'utf8').trim().split('\n').map(Number) };
  };

  // Runs interleaved (ours, xgboost 1 thread, xgboost 2 threads, repeat), so a change in the machine's load hits all three alike.
  const ourTimes = [];
  const xgbTimes = { 1: [], 2: [] };
  const xgbLast = {};
  let result;
  for (let r = 0; r < REPEATS; r++) {
    const t0 = performance.now();
    result = trainGbdt(train, PARAMS);
    ourTimes.push((performance.now() - t0) / 1000);
    for (const nthread of [1, 2]) {
      xgbLast[nthread] = xgboostRun(nthread);
      xgbTimes[nthread].push(...xgbLast[nthread].times);
    }
  }
  const ourAuc = rocAuc(predictProbabilities(result.ensemble, test.X, test.nRows), test.y);
  const rows = [['patch-risk-gate gbdt (1 thread)', ourTimes, result.ensemble.trees.length, ourAuc]];
  for (const nthread of [1, 2]) {
    const info = xgbLast[nthread];
    rows.push([
      `xgboost ${info.version} hist (${nthread} thread${nthread > 1 ? 's' : ''})`,
      xgbTimes[nthread],
      info.trees,
      rocAuc(info.preds, test.y)
    ]);
  }

  console.log(
    `train ${N_TRAIN} x ${N_FEATURES}, held-out ${N_TEST}; 300 trees, depth 6, lr 0.1; median of ${REPEATS} runs (fastest-slowest)`
  );
  console.log(
    [
      'trainer'.padEnd(34),
      'seconds'.padStart(8),
      'spread'.padStart(13),
      'trees'.padStart(6),
      'ROC-AUC'.padStart(8),
      'time vs ours'.padStart(13)
    ].join(' ')
  );
  const ours = median(rows[0][1]);
  for (const [name, times, trees, auc] of rows) {
    const sorted = [...times].sort((a, b) => a - b);
    console.log(
      [
        name.padEnd(34),
        median(times).toFixed(3).padStart(8),
        `${sorted[0].toFixed(3)}-${sorted[sorted.length - 1].toFixed(3)}`.padStart(13),
        String(trees).padStart(6),
        auc.toFixed(4).padStart(8),
        `${(ours / median(times)).toFixed(2)}x`.padStart(13)
      ].join(' ')
    );
  }
  console.log('"time vs ours" = our seconds / that trainer\'s seconds (1.00x = as fast; 2.00x = we take twice as long).');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
