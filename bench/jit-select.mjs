// Hyper-parameters for the JIT model chosen without looking at the test split.
//   npm run build && node bench/jit-select.mjs
// For each project, the older 80% of commits (the training part of the paper's
// protocol) is split again in time order: the first 75% fits, the last 25%
// validates. A small grid (depth 2-4, L2 1/10, min child weight 1/10, 100/200/400
// rounds, learning rate 0.05, 80% row sampling) is scored on those validation
// slices only; the configuration with the best mean validation ROC-AUC is then
// trained on the whole 80% and tested on the newest 20%, beside the published
// figures and the shipped configuration (JIT_GBDT_PARAMS).
import { JIT_PROJECTS, readJitProjects, timeSplit } from '../lib/model/jit/data.js';
import { JIT_GBDT_PARAMS, PUBLISHED_JIT_AUC, evaluateTimeSplit } from '../lib/model/jit/eval.js';
import { trainGbdt } from '../lib/model/gbdt/boost.js';
import { predictProbabilities } from '../lib/model/gbdt/ensemble.js';
import { rocAuc } from '../lib/model/evaluate/metrics.js';
import { selectRows } from '../lib/core/read.js';
import { subset } from '../lib/model/data/split.js';

const projects = await readJitProjects('data/jit', JIT_PROJECTS);
const grid = [];
for (const maxDepth of [2, 3, 4])
  for (const lambda of [1, 10])
    for (const minChildWeight of [1, 10])
      for (const nTrees of [100, 200, 400]) grid.push({ ...JIT_GBDT_PARAMS, maxDepth, lambda, minChildWeight, nTrees });

const validationScore = (params) =>
  projects.map(({ table }) => {
    const training = selectRows(table, timeSplit(table.ids.length).train);
    const { train, test } = timeSplit(training.ids.length, 0.25);
    const fit = subset(training, train);
    const check = subset(training, test);
    return rocAuc(predictProbabilities(trainGbdt(fit, params).ensemble, check.X, check.nRows), check.y);
  });

let best;
for (const params of grid) {
  const aucs = validationScore(params);
  const mean = aucs.reduce((a, b) => a + b, 0) / aucs.length;
  if (!best || mean > best.mean) best = { params, mean };
}
const describe = (p) => `depth ${p.maxDepth}, lambda ${p.lambda}, min child weight ${p.minChildWeight}, ${p.nTrees} rounds`;
console.log(
  `grid of ${grid.length}; best on the validation slices: ${describe(best.params)} (mean validation ROC-AUC ${best.mean.toFixed(4)})`
);
console.log(`shipped configuration: ${describe(JIT_GBDT_PARAMS)}\n`);
console.log('| project | selected on validation | shipped | best published |');
console.log('|---|---:|---:|---:|');
for (const { name, table } of projects) {
  const selected = evaluateTimeSplit(name, table, best.params).rocAuc;
  const shipped = evaluateTimeSplit(name, table).rocAuc;
  const published = Math.max(...Object.values(PUBLISHED_JIT_AUC[name]));
  console.log(`| ${name} | ${selected.toFixed(4)} | ${shipped.toFixed(4)} | ${published.toFixed(4)} |`);
}
