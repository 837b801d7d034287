// TreeSHAP speed on the default firmware model.
//   npm run build && node bench/shap.mjs [--rows 100000] [--recursive-rows 5000] [--repeats 5] [--train]
// Model: the firmware champion shipped in models/firmware (read back from its
// ONNX file), or with --train (or before one is shipped) 300 trees of depth 6
// trained here on 20,000 generated patches. Rows: generated firmware patches (another seed).
// Prints rows/second for plain prediction (the baseline); TreeSHAP with subtree
// tables on a model explained for the first time (what the gate does once per
// run: tables built, then looked up), the same again (tables kept); and
// Algorithm 2 (the recursion, on fewer rows); and checks each is exact
// (max |expected + sum SHAP - margin|). Each repeat reads the model again, so
// its first explanation builds the tables anew; seconds are the median of the
// repeats, with the fastest and slowest.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FIRMWARE_SCHEMA } from '../lib/core/schema.js';
import { predictMargins } from '../lib/model/gbdt/ensemble.js';
import { trainGbdt } from '../lib/model/gbdt/boost.js';
import { generateFirmwarePatches } from '../lib/model/data/generate.js';
import { onnxToEnsemble } from '../lib/model/onnx/export.js';
import { resolveModel } from '../lib/model/lifecycle/registry.js';
import { shapValues, treeDepth } from '../lib/model/explain/shap.js';

const argValue = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const ROWS = argValue('--rows', 100000);
const RECURSIVE_ROWS = argValue('--recursive-rows', 5000);
const REPEATS = argValue('--repeats', 5);
const TRAIN = process.argv.includes('--train');
const names = FIRMWARE_SCHEMA.features.map((f) => f.name);
const nf = names.length;

function matrix(patches) {
  const X = new Float32Array(patches.length * nf);
  patches.forEach((p, r) => names.forEach((name, f) => (X[r * nf + f] = p[name])));
  return X;
}

async function loadEnsemble() {
  const modelsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'models');
  if (!TRAIN && existsSync(path.join(modelsDir, 'firmware'))) {
    const { onnxPath } = resolveModel('firmware', modelsDir);
    return { ensemble: onnxToEnsemble(await readFile(onnxPath)).ensemble, source: path.relative(process.cwd(), onnxPath) };
  }
  const train = generateFirmwarePatches(20000, 1);
  const y = Uint8Array.from(train, (p) => p.high_risk_flag);
  const { ensemble } = trainGbdt(
    { X: matrix(train), y, nRows: train.length, nFeatures: nf },
    { nTrees: 300, maxDepth: 6, earlyStoppingRounds: 0 }
  );
  return { ensemble, source: 'trained here on 20,000 generated patches' };
}

function timed(fn) {
  const start = process.hrtime.bigint();
  const result = fn();
  return { result, seconds: Number(process.hrtime.bigint() - start) / 1e9 };
}

function maxError(shap, margins, nRows) {
  let worst = 0;
  for (let r = 0; r < nRows; r++) {
    let sum = shap.expected;
    for (let f = 0; f < nf; f++) sum += shap.values[r * nf + f];
    worst = Math.max(worst, Math.abs(sum - margins[r]));
  }
  return worst;
}

const { ensemble, source } = await loadEnsemble();
const X = matrix(generateFirmwarePatches(ROWS, 2));
const depth = Math.max(...ensemble.trees.map((t) => treeDepth(t)));
console.log(`model: ${source}; ${ensemble.trees.length} trees, max depth ${depth}, ${nf} features`);
console.log(`rows: ${ROWS.toLocaleString('en-US')} generated firmware patches; node ${process.version}; median of ${REPEATS} runs\n`);

predictMargins(ensemble, X, Math.min(ROWS, 1000)); // warm-up
const methods = [
  { name: 'predictMargins (baseline)', rows: ROWS, times: [] },
  { name: 'shapValues, tables (built)', rows: ROWS, times: [] },
  { name: 'shapValues, tables (kept)', rows: ROWS, times: [] },
  { name: 'shapValues, Algorithm 2', rows: RECURSIVE_ROWS, times: [] }
];
let margins;
for (let r = 0; r < REPEATS; r++) {
  // A fresh copy of the model each time: no tables kept from an earlier repeat.
  const model = r === 0 ? ensemble : { ...ensemble, trees: ensemble.trees.map((tree) => ({ ...tree })) };
  const runs = [
    () => predictMargins(model, X, ROWS),
    () => shapValues(model, X, ROWS, 'tables'),
    () => shapValues(model, X, ROWS, 'tables'),
    () => shapValues(model, X, RECURSIVE_ROWS, 'recursive')
  ];
  runs.forEach((run, k) => {
    const { result, seconds } = timed(run);
    methods[k].times.push(seconds);
    if (k === 0) margins = result;
    else methods[k].error = Math.max(methods[k].error ?? 0, maxError(result, margins, methods[k].rows));
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const baseRate = ROWS / median(methods[0].times);
const pad = (text, width) => String(text).padStart(width);
console.log(
  `| ${'method'.padEnd(26)} | ${pad('rows', 7)} | ${pad('seconds', 8)} | ${pad('spread', 11)} | ${pad('rows/s', 10)} | ${pad('x baseline time/row', 19)} | ${pad('max |error|', 11)} |`
);
console.log(
  `|${'-'.repeat(28)}|${'-'.repeat(9)}|${'-'.repeat(10)}|${'-'.repeat(13)}|${'-'.repeat(12)}|${'-'.repeat(21)}|${'-'.repeat(13)}|`
);
for (const { name, rows, times, error } of methods) {
  const seconds = median(times);
  const rate = rows / seconds;
  const sorted = [...times].sort((a, b) => a - b);
  console.log(
    `| ${name.padEnd(26)} | ${pad(rows.toLocaleString('en-US'), 7)} | ${pad(seconds.toFixed(2), 8)} | ${pad(`${sorted[0].toFixed(2)}-${sorted[sorted.length - 1].toFixed(2)}`, 11)} | ${pad(Math.round(rate).toLocaleString('en-US'), 10)} | ${pad((baseRate / rate).toFixed(1), 19)} | ${pad(error === undefined ? '-' : error.toExponential(1), 11)} |`
  );
}
