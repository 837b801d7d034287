// What the default `jit` model loses when it is served our miner's features instead of the published ones it
// learnt from, on the same commits with the same (published) labels.
//   npm run build && nice node bench/jit-mined-vs-published.mjs --mined MINED.csv --published data/jit/jdt.csv [--model jit]
//
// MINED.csv is `patch-risk mine` output of the project's repository. The rows scored are the newest 20% of the
// published file (its time order, as evaluate-jit splits it) whose commits are in MINED.csv; both feature sets
// are scored by the same model, with the paired bootstrap of the ROC-AUC difference (2,000 resamples).
import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import { JIT_SCHEMA, loadModelByName, pairedAucBootstrap, prAuc, rocAuc } from '../lib/index.js';

const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const minedFile = flag('--mined');
const publishedFile = flag('--published');
if (!minedFile || !publishedFile) throw new Error('usage: --mined MINED.csv --published PROJECT.csv [--model jit]');
const model = await loadModelByName(flag('--model', 'jit'));

const read = (file) => Papa.parse(readFileSync(file, 'utf8'), { header: true, skipEmptyLines: true }).data;
const mined = new Map(read(minedFile).map((row) => [row.commit, row]));
const published = read(publishedFile).sort((a, b) => Number(a.date) - Number(b.date));
const newest = published.slice(published.length - Math.round(published.length * 0.2));
const rows = newest.filter((row) => mined.has(row._id));
const names = model.card.features.map((f) => f.name);
const alias = { entropy: 'entrophy' };
const matrix = (get) => Float32Array.from(rows.flatMap((row) => names.map((n) => Number(get(row, n)))));
const labels = Uint8Array.from(rows, (row) => Number(row.bug));
const onPublished = await model.score(
  matrix((row, n) => row[n] ?? row[alias[n]]),
  rows.length
);
const onMined = await model.score(
  matrix((row, n) => mined.get(row._id)[n]),
  rows.length
);
const d = pairedAucBootstrap(onMined, onPublished, labels);
const f = (x) => x.toFixed(4);
const s = (x) => `${x >= 0 ? '+' : ''}${x.toFixed(4)}`;
console.log(
  `${model.card.name} ${model.card.version} on the newest 20% of ${publishedFile} (${newest.length} commits, ${rows.length} of them in ${minedFile}; bug rate ${f(
    labels.reduce((a, b) => a + b, 0) / labels.length
  )})\n`
);
console.log('| features served | ROC-AUC | PR-AUC |');
console.log('|---|---:|---:|');
console.log(`| published (what it learnt from) | ${f(rocAuc(onPublished, labels))} | ${f(prAuc(onPublished, labels))} |`);
console.log(`| mined by patch-risk | ${f(rocAuc(onMined, labels))} | ${f(prAuc(onMined, labels))} |`);
console.log(`\nmined - published: ${s(d.difference)} ROC-AUC, 95% interval ${s(d.low)} to ${s(d.high)}`);
const spearman = (name) => {
  const rank = (values) => {
    const order = values.map((v, i) => [v, i]).sort((a, b) => a[0] - b[0]);
    const r = new Array(values.length);
    for (let i = 0; i < order.length;) {
      let j = i;
      while (j + 1 < order.length && order[j + 1][0] === order[i][0]) j++;
      for (let k = i; k <= j; k++) r[order[k][1]] = (i + j) / 2;
      i = j + 1;
    }
    return r;
  };
  const a = rank(rows.map((row) => Number(row[name] ?? row[alias[name]])));
  const b = rank(rows.map((row) => Number(mined.get(row._id)[name])));
  const mean = (v) => v.reduce((x, y) => x + y, 0) / v.length;
  const [ma, mb] = [mean(a), mean(b)];
  let num = 0;
  let da = 0;
  let db = 0;
  for (let i = 0; i < a.length; i++) {
    num += (a[i] - ma) * (b[i] - mb);
    da += (a[i] - ma) ** 2;
    db += (b[i] - mb) ** 2;
  }
  return num / Math.sqrt(da * db);
};
console.log(`\nSpearman correlation, mined vs published, per metric on these commits:`);
console.log(JIT_SCHEMA.features.map((feature) => `${feature.name} ${spearman(feature.name).toFixed(2)}`).join(', '));
await model.release();
