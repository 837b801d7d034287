// `patch-risk gate` against a reference Python gate (pandas + xgboost) doing the same job.
//   npm run build && node bench/gate-vs-python.mjs [--rows 100000] [--repeats 5]
//
// Both gates read the same generated 100k-row labelled CSV, score every row,
// count high-risk patches and write a scored CSV; each is timed as a whole
// process (start-up and imports included), median of the repeats. The Python
// gate's model is xgboost `hist` trained on the same training data as our
// shipped firmware model (generate --rows 20000 --seed 2026, the same 80/20
// stratified split, early stopping). Both models' ROC-AUC on the 100k
// labelled rows and their tree counts are printed: a smaller model is no win
// if it is less accurate.
// Needs Debian's python3-pandas and python3-xgboost: installed with apt-get when missing.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Papa from 'papaparse';
import { rocAuc } from '../lib/model/evaluate/metrics.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'lib/cli/bin.js');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const ROWS = arg('--rows', 100000);
const REPEATS = arg('--repeats', 5);
const PYTHON = '/usr/bin/python3';

function ensurePython() {
  const ok = () => spawnSync(PYTHON, ['-c', 'import pandas, xgboost'], { stdio: 'ignore' }).status === 0;
  if (ok()) return;
  console.error('installing python3-pandas and python3-xgboost with apt-get …');
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  execFileSync('apt-get', ['install', '-y', '-qq', 'python3-pandas', 'python3-xgboost'], { stdio: 'inherit' });
  if (!ok()) throw new Error('python3-pandas / python3-xgboost are not importable by /usr/bin/python3');
}

const card = JSON.parse(readFileSync(path.join(root, 'models/firmware/v001.card.json'), 'utf8'));
const FEATURES = card.features.map((f) => f.name);

const TRAIN_PY = `
import sys, json, numpy as np, pandas as pd, xgboost as xgb
df = pd.read_csv(sys.argv[1]); val_idx = set(json.load(open(sys.argv[2])))
features = sys.argv[3].split(',')
mask = np.array([i in val_idx for i in range(len(df))])
X = df[features].astype('float32'); y = df['high_risk_flag']
dtr = xgb.DMatrix(X[~mask], label=y[~mask]); dva = xgb.DMatrix(X[mask], label=y[mask])
params = {'objective': 'binary:logistic', 'tree_method': 'hist', 'max_depth': 6, 'eta': 0.1, 'eval_metric': 'logloss', 'nthread': 2, 'verbosity': 0}
b = xgb.train(params, dtr, num_boost_round=300, evals=[(dva, 'val')], early_stopping_rounds=30, verbose_eval=False)
b = b[: b.best_iteration + 1]
b.save_model(sys.argv[4])
print(b.num_boosted_rounds())
`;

const GATE_PY = `
import sys, json
import pandas as pd, xgboost as xgb
path, model, out, threshold, features = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4]), sys.argv[5].split(',')
df = pd.read_csv(path)
booster = xgb.Booster(); booster.load_model(model)
p = booster.predict(xgb.DMatrix(df[features].astype('float32')))
df['risk_score'] = p
df['high_risk'] = (p >= threshold).astype(int)
df.to_csv(out, index=False)
n = int(df['high_risk'].sum())
print(json.dumps({'input_file': path, 'n_high_risk': n}, indent=2))
print(f'🚨 FAIL: {n} high-risk patch(es) detected. CI BLOCKED.' if n else '✅ PASS: No high-risk patches detected. CI continues.')
sys.exit(1 if n else 0)
`;

function timeRun(command, args) {
  const times = [];
  let output = '';
  for (let i = 0; i < REPEATS; i++) {
    const start = process.hrtime.bigint();
    const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 1 << 26 });
    times.push(Number(process.hrtime.bigint() - start) / 1e9);
    if (result.status !== 0 && result.status !== 1) throw new Error(`${command} failed: ${result.stderr}`);
    output = result.stdout;
  }
  times.sort((a, b) => a - b);
  return { seconds: times[Math.floor(times.length / 2)], output };
}

function scoredAuc(file) {
  const rows = Papa.parse(readFileSync(file, 'utf8'), { header: true, skipEmptyLines: true }).data;
  return rocAuc(
    rows.map((r) => Number(r.risk_score)),
    rows.map((r) => Number(r.high_risk_flag))
  );
}

ensurePython();
const dir = mkdtempSync(path.join(tmpdir(), 'prg-bench-gate-'));
const trainCsv = path.join(dir, 'train.csv');
const input = path.join(dir, 'patches.csv');
execFileSync(process.execPath, [bin, 'generate', '--rows', '20000', '--seed', '2026', '--out', trainCsv]);
execFileSync(process.execPath, [bin, 'generate', '--rows', String(ROWS), '--seed', '77', '--out', input]);

// The same stratified validation split our trainer used (seed 42, 20%).
const { splitRows } = await import('../lib/model/data/split.js');
const labels = Uint8Array.from(
  Papa.parse(readFileSync(trainCsv, 'utf8'), { header: true, skipEmptyLines: true }).data.map((r) => Number(r.high_risk_flag))
);
const split = splitRows(labels, 0.2, 'random', 42);
writeFileSync(path.join(dir, 'val.json'), JSON.stringify(split.validation));
const xgbModel = path.join(dir, 'xgb.json');
const xgbTrees = execFileSync(PYTHON, ['-c', TRAIN_PY, trainCsv, path.join(dir, 'val.json'), FEATURES.join(','), xgbModel], {
  encoding: 'utf8'
}).trim();

const oursOut = path.join(dir, 'ours.scored.csv');
const pyOut = path.join(dir, 'python.scored.csv');
const ours = timeRun(process.execPath, [bin, 'gate', input, '--out', oursOut]);
const python = timeRun(PYTHON, ['-c', GATE_PY, input, xgbModel, pyOut, String(card.thresholds.high), FEATURES.join(',')]);
const nHigh = (out) => JSON.parse(out.slice(0, out.indexOf('}') + 1)).n_high_risk;

const table = [
  ['gate', 'median s', 'trees', 'ROC-AUC (100k labelled rows)', 'high-risk'],
  [
    'patch-risk gate (node, onnxruntime)',
    ours.seconds.toFixed(3),
    String(card.training.trees),
    scoredAuc(oursOut).toFixed(4),
    String(nHigh(ours.output))
  ],
  ['python (pandas + xgboost hist)', python.seconds.toFixed(3), xgbTrees, scoredAuc(pyOut).toFixed(4), String(nHigh(python.output))]
];
const widths = table[0].map((_, c) => Math.max(...table.map((row) => row[c].length)));
for (const row of table) console.log(row.map((cell, c) => cell.padEnd(widths[c])).join('  '));
console.log(`\nspeed-up: ${(python.seconds / ours.seconds).toFixed(2)}x (python / ours, ${ROWS} rows, ${REPEATS} runs each, median)`);
