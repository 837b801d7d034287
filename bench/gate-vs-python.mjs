// `patch-risk gate` against a reference Python gate (pandas + xgboost) doing the same job.
//   npm run build && node bench/gate-vs-python.mjs [--rows 100000] [--repeats 5]
//
// Both gates read the same generated 100k-row labelled CSV, score every row,
// count high-risk patches and write a scored CSV; each is timed as a whole
// process (start-up and imports included) with GNU time, the runs of the
// gates interleaved, median of the repeats with the spread (min–max). Ours
// runs as shipped (`--explain auto`: beyond 20,000 rows the Medium and High
// rows get their reasons) and with `--explain none`, the Python gate's job
// exactly (it gives no reasons).
// The Python gate's model is xgboost `hist` with 300 trees of depth 6 (the
// same settings as our trainer's defaults, no early stopping) trained on the
// same data as our shipped firmware model (generate --rows 20000 --seed
// 2026). Both models' ROC-AUC on the 100k labelled rows (scikit-learn's
// roc_auc_score on each scored file) and their tree counts are printed: a
// smaller model is no win if it is less accurate.
// Needs Debian's python3-pandas, python3-xgboost and python3-sklearn (installed with apt-get when missing).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { argValue, ensureGnuTime, interleaved, median, printTable, spread, timed } from './measure.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'lib/cli/bin.js');
const ROWS = argValue('--rows', 100000);
const REPEATS = argValue('--repeats', 5);
const PYTHON = '/usr/bin/python3';

function ensurePython() {
  const ok = () => spawnSync(PYTHON, ['-c', 'import pandas, xgboost, sklearn'], { stdio: 'ignore' }).status === 0;
  if (ok()) return;
  console.error('installing python3-pandas, python3-xgboost and python3-sklearn with apt-get …');
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  execFileSync('apt-get', ['install', '-y', '-qq', 'python3-pandas', 'python3-xgboost', 'python3-sklearn'], { stdio: 'inherit' });
  if (!ok()) throw new Error('python3-pandas / python3-xgboost / python3-sklearn are not importable by /usr/bin/python3');
}

const card = JSON.parse(readFileSync(path.join(root, 'models/firmware/v001.card.json'), 'utf8'));
const FEATURES = card.features.map((f) => f.name);

const TRAIN_PY = `
import sys, pandas as pd, xgboost as xgb
df = pd.read_csv(sys.argv[1]); features = sys.argv[2].split(',')
params = {'objective': 'binary:logistic', 'tree_method': 'hist', 'max_depth': 6, 'eta': 0.1, 'max_bin': 255, 'nthread': 2, 'verbosity': 0}
b = xgb.train(params, xgb.DMatrix(df[features].astype('float32'), label=df['high_risk_flag']), num_boost_round=300)
b.save_model(sys.argv[3])
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

const AUC_PY = `
import sys, pandas as pd
from sklearn.metrics import roc_auc_score
for f in sys.argv[1:]:
    df = pd.read_csv(f, usecols=['high_risk_flag', 'risk_score'])
    print(roc_auc_score(df['high_risk_flag'], df['risk_score']))
`;

ensurePython();
ensureGnuTime();
const dir = mkdtempSync(path.join(tmpdir(), 'prg-bench-gate-'));
const trainCsv = path.join(dir, 'train.csv');
const input = path.join(dir, 'patches.csv');
execFileSync(process.execPath, [bin, 'generate', '--rows', '20000', '--seed', '2026', '--out', trainCsv]);
execFileSync(process.execPath, [bin, 'generate', '--rows', String(ROWS), '--seed', '77', '--out', input]);
const xgbModel = path.join(dir, 'xgb.json');
const xgbTrees = execFileSync(PYTHON, ['-c', TRAIN_PY, trainCsv, FEATURES.join(','), xgbModel], { encoding: 'utf8' }).trim();

const out = {
  auto: path.join(dir, 'ours.scored.csv'),
  none: path.join(dir, 'ours-none.scored.csv'),
  python: path.join(dir, 'python.scored.csv')
};
const runs = interleaved(
  {
    auto: () => timed(process.execPath, [bin, 'gate', input, '--out', out.auto], { ok: [0, 1] }),
    none: () => timed(process.execPath, [bin, 'gate', input, '--out', out.none, '--explain', 'none'], { ok: [0, 1] }),
    python: () =>
      timed(PYTHON, ['-c', GATE_PY, input, xgbModel, out.python, String(card.thresholds.high), FEATURES.join(',')], { ok: [0, 1] })
  },
  REPEATS
);
const [aucOurs, aucPython] = execFileSync(PYTHON, ['-c', AUC_PY, out.auto, out.python], { encoding: 'utf8' })
  .trim()
  .split('\n')
  .map(Number);
const nHigh = (stdout) => JSON.parse(stdout.slice(0, stdout.indexOf('}') + 1)).n_high_risk;

const wall = (name) => median(runs[name].map((run) => run.wall));
const cpu = (name) => median(runs[name].map((run) => run.cpu));
const row = (label, name, trees, auc) => [
  label,
  spread(runs[name].map((run) => run.wall)),
  spread(runs[name].map((run) => run.cpu)),
  name === 'python' ? '1.00x' : `${(wall('python') / wall(name)).toFixed(2)}x`,
  name === 'python' ? '1.00x' : `${(cpu('python') / cpu(name)).toFixed(2)}x`,
  trees,
  auc.toFixed(4),
  String(nHigh(runs[name][0].stdout))
];
console.log(`${ROWS.toLocaleString('en-US')} generated patches, ${REPEATS} interleaved runs each (median (min–max)):\n`);
printTable([
  ['gate', 'wall s', 'CPU s', 'speed-up (wall)', 'speed-up (CPU)', 'trees', 'ROC-AUC', 'high-risk'],
  row('patch-risk gate (--explain auto, default)', 'auto', String(card.training.trees), aucOurs),
  row('patch-risk gate --explain none', 'none', String(card.training.trees), aucOurs),
  row('python (pandas + xgboost hist)', 'python', xgbTrees, aucPython)
]);
console.log(`\nROC-AUC: ours ${aucOurs.toFixed(4)} vs python ${aucPython.toFixed(4)} (difference ${(aucOurs - aucPython).toFixed(4)})`);
rmSync(dir, { recursive: true, force: true });
