// Features beyond Kamei's 14, measured before any is kept: each one added to the 14, on the newest 20%.
//   npm run build && nice node bench/repo-extra-features.mjs --mined MINED.csv --labels LABELLED.csv [--metrics published|mined]
//
// MINED.csv is `patch-risk mine` output of the repository (every commit in replay order, with `files` and
// `subject`); LABELLED.csv has `commit` (or `_id`), `date`, `bug` and the 14 metrics: the published data
// (data/jit/<project>.csv) or `patch-risk label` output. The extra features of a commit come from the mined
// rows before it only (replay order), as the miner's own pass would compute them:
//   prior_fixes   earlier fix commits (the miner's `fix`) that touched the commit's files, summed over files
//   test_share    share of touched files that are tests (a test/tests/__tests__/spec directory, *Test.java, *_test.*, *.test.*, *.spec.*)
//   source_share  share of touched files with a source-code extension
//   msg_words     words in the subject
//   msg_chore     the subject reads like a chore: refactor, clean up, rename, format, typo, javadoc, comment(s)
//   revert        the subject starts with "Revert"
// Protocol: rows of LABELLED.csv that are in MINED.csv, in time order; the older 80% trains (the shipped JIT
// parameters), the newest 20% tests; each feature set against the 14 alone with a paired bootstrap of the
// ROC-AUC difference (2,000 resamples). A feature is worth keeping only when the whole interval is above 0.
import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import { JIT_GBDT_PARAMS, JIT_SCHEMA, pairedAucBootstrap, predictProbabilities, rocAuc, trainGbdt } from '../lib/index.js';

const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const minedFile = flag('--mined');
const labelsFile = flag('--labels');
const metricsFrom = flag('--metrics', 'published');
if (!minedFile || !labelsFile) throw new Error('usage: --mined MINED.csv --labels LABELLED.csv [--metrics published|mined]');

const read = (file) => Papa.parse(readFileSync(file, 'utf8'), { header: true, skipEmptyLines: true }).data;
const unguard = (cell) => (/^'[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell);

const TEST = /(^|\/)(tests?|__tests__|spec)\/|Tests?\.java$|_test\.[^/]+$|\.(test|spec)\.[^/]+$/i;
const SOURCE = /\.(java|c|h|cc|cpp|cxx|hpp|m|mm|py|js|jsx|mjs|ts|tsx|go|rs|cs|kt|scala|swift|rb|php|groovy)$/i;
const CHORE = /\b(refactor\w*|clean\s*-?\s*up\w*|rename\w*|format\w*|typos?|javadoc|comments?)\b/i;
const EXTRA = ['prior_fixes', 'test_share', 'source_share', 'msg_words', 'msg_chore', 'revert'];

// Extra features from the mined rows, in replay order: only earlier rows count.
const mined = read(minedFile);
const extra = new Map();
const fixTouches = new Map();
for (const row of mined) {
  const files = unguard(row.files ?? '')
    .split(';')
    .filter((f) => f !== '');
  const subject = unguard(row.subject ?? '');
  let prior = 0;
  for (const f of files) prior += fixTouches.get(f) ?? 0;
  const share = (re) => (files.length === 0 ? 0 : files.filter((f) => re.test(f)).length / files.length);
  extra.set(row.commit, {
    prior_fixes: prior,
    test_share: share(TEST),
    source_share: share(SOURCE),
    msg_words: subject.split(/\s+/).filter((w) => w !== '').length,
    msg_chore: CHORE.test(subject) ? 1 : 0,
    revert: /^revert/i.test(subject) ? 1 : 0,
    metrics: row
  });
  if (row.fix === '1') for (const f of files) fixTouches.set(f, (fixTouches.get(f) ?? 0) + 1);
}

const KAMEI = JIT_SCHEMA.features.map((f) => f.name);
const alias = { entropy: 'entrophy' };
const labelled = read(labelsFile)
  .map((row) => ({ ...row, commit: row.commit ?? row._id }))
  .filter((row) => extra.has(row.commit))
  .sort((a, b) => Number(a.date) - Number(b.date));
const kamei = (row) =>
  KAMEI.map((name) => Number(metricsFrom === 'mined' ? extra.get(row.commit).metrics[name] : (row[name] ?? row[alias[name]])));

const cut = labelled.length - Math.round(labelled.length * 0.2);
const dataset = (rows, names) => {
  const width = KAMEI.length + names.length;
  const X = new Float32Array(rows.length * width);
  rows.forEach((row, i) => {
    const e = extra.get(row.commit);
    X.set([...kamei(row), ...names.map((n) => e[n])], i * width);
  });
  return { X, y: Uint8Array.from(rows, (row) => Number(row.bug)), nRows: rows.length, nFeatures: width };
};
const scoresWith = (names) => {
  const train = dataset(labelled.slice(0, cut), names);
  const test = dataset(labelled.slice(cut), names);
  return { scores: predictProbabilities(trainGbdt(train, JIT_GBDT_PARAMS).ensemble, test.X, test.nRows), y: test.y };
};

const base = scoresWith([]);
const f = (x) => x.toFixed(4);
const s = (x) => `${x >= 0 ? '+' : ''}${x.toFixed(4)}`;
console.log(
  `${labelsFile}: ${labelled.length} labelled commits found in ${minedFile} (${metricsFrom} metrics); train ${cut}, test ${labelled.length - cut} (bug rate ${f(
    base.y.reduce((a, b) => a + b, 0) / base.y.length
  )})\n`
);
console.log('| features | ROC-AUC on the newest 20% | vs the 14 [95% interval] | keep? |');
console.log('|---|---:|---|---|');
console.log(`| Kamei's 14 | ${f(rocAuc(base.scores, base.y))} | | |`);
for (const names of [...EXTRA.map((n) => [n]), EXTRA]) {
  const { scores, y } = scoresWith(names);
  const d = pairedAucBootstrap(scores, base.scores, y);
  console.log(
    `| 14 + ${names.length === EXTRA.length ? 'all six' : names[0]} | ${f(rocAuc(scores, y))} | ${s(d.difference)} [${s(d.low)}, ${s(d.high)}] | ${
      d.low > 0 ? 'gain beyond the noise' : 'no'
    } |`
  );
}
