// `lt` against git's own ground truth on a random sample of mined commits.
//   node bench/mine-lt.mjs --repo DIR --csv mined.csv [--csv other.csv ...] [--sample 300] [--seed 1]
// For each sampled non-merge commit C (drawn from the first CSV, the same commits for every CSV),
// the truth is the sum over C's counted files (the CSV's `files`; the old path for a rename) of
// the lines of `git show C^:<path>`, read with a plain `git cat-file --batch` independent of the
// miner. Two line counts are reported: `wc -l` (newline characters) and numstat's (a last line
// without a newline counts too; the miner's definition); binary blobs (a NUL in the first
// 8,000 bytes) count 0. Prints, per CSV, how many rows agree exactly and how far off the rest are.
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import Papa from 'papaparse';

const args = process.argv.slice(2);
const all = (name) => args.flatMap((a, i) => (a === name ? [args[i + 1]] : []));
const one = (name, fallback) => all(name)[0] ?? fallback;
const repo = one('--repo');
const csvs = all('--csv');
const SAMPLE = Number(one('--sample', '300'));
const SEED = Number(one('--seed', '1'));
if (!repo || csvs.length === 0) {
  console.error('usage: node bench/mine-lt.mjs --repo DIR --csv mined.csv [--csv other.csv] [--sample 300] [--seed 1]');
  process.exit(2);
}

const read = (file) => {
  const parsed = Papa.parse(readFileSync(file, 'utf8'), { header: true, skipEmptyLines: true });
  return new Map(parsed.data.filter((r) => (r.merge ?? '0') === '0').map((r) => [r.commit, r]));
};
const tables = csvs.map(read);

function rng(seed) {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}
const rand = rng(SEED);
const candidates = [...tables[0].keys()].filter((c) => tables.every((t) => t.has(c)));
const sample = [];
for (let i = 0; i < SAMPLE && candidates.length > 0; i++) sample.push(candidates.splice(Math.floor(rand() * candidates.length), 1)[0]);

const git = (a) => execFileSync('git', ['-C', repo, ...a], { encoding: 'utf8', maxBuffer: 1 << 28 });

/** Lines of `spec` blobs via one cat-file --batch: [wcL, numstatStyle] per spec. */
async function countAll(specs) {
  const child = spawn('git', ['-C', repo, 'cat-file', '--batch'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const chunks = [];
  child.stdout.on('data', (b) => chunks.push(b));
  const done = new Promise((r) => child.on('close', r));
  child.stdin.end(specs.map((s) => `${s}\n`).join(''));
  await done;
  const out = Buffer.concat(chunks);
  const result = [];
  let at = 0;
  for (const spec of specs) {
    const nl = out.indexOf(10, at);
    const header = out.toString('utf8', at, nl);
    at = nl + 1;
    const m = /^\S+ (\S+) (\d+)$/.exec(header);
    if (!m) throw new Error(`${spec}: ${header}`);
    const size = Number(m[2]);
    const body = out.subarray(at, at + size);
    at += size + 1;
    if (m[1] !== 'blob' || body.subarray(0, 8000).includes(0)) {
      result.push([0, 0]);
      continue;
    }
    let newlines = 0;
    for (let i = body.indexOf(10); i >= 0; i = body.indexOf(10, i + 1)) newlines++;
    result.push([newlines, newlines + (size > 0 && body[size - 1] !== 10 ? 1 : 0)]);
  }
  return result;
}

// Which old path each counted file had in the first parent (renames), from git itself.
const specs = [];
const owner = [];
for (const commit of sample) {
  const parents = git(['rev-list', '--parents', '-n', '1', commit]).trim().split(' ');
  if (parents.length < 2) continue;
  const files = new Set(
    tables[0]
      .get(commit)
      .files.split(';')
      .filter((f) => f !== '')
  );
  const raw = git(['diff-tree', '-r', '-M', '-z', '--no-commit-id', '--raw', '--no-abbrev', parents[1], commit]).split('\0');
  for (let i = 0; i < raw.length - 1;) {
    const status = raw[i].split(' ')[4] ?? '';
    const isPair = status.startsWith('R') || status.startsWith('C');
    const oldPath = raw[i + 1];
    const newPath = isPair ? raw[i + 2] : oldPath;
    i += isPair ? 3 : 2;
    if (!files.has(newPath) || status.startsWith('A')) continue;
    specs.push(`${parents[1]}:${oldPath}`);
    owner.push(commit);
  }
}
const counts = await countAll(specs);
const truth = new Map(sample.map((c) => [c, [0, 0]]));
counts.forEach(([wc, ns], i) => {
  const t = truth.get(owner[i]);
  t[0] += wc;
  t[1] += ns;
});

console.log(`repository: ${repo}; ${sample.length} random non-merge commits (seed ${SEED}), ${specs.length} file versions read`);
console.log('');
console.log('| CSV | lt = numstat-style truth | lt = wc -l truth | rows off by >10% | median |error| of wrong rows | max |error| |');
console.log('|---|---|---|---|---|---|');
csvs.forEach((file, k) => {
  let exact = 0;
  let exactWc = 0;
  let far = 0;
  const errors = [];
  for (const c of sample) {
    const lt = Number(tables[k].get(c).lt);
    const [wc, ns] = truth.get(c);
    if (lt === ns) exact++;
    else errors.push(Math.abs(lt - ns));
    if (lt === wc) exactWc++;
    if (Math.abs(lt - ns) > 0.1 * Math.max(1, ns)) far++;
  }
  errors.sort((a, b) => a - b);
  const median = errors.length ? errors[Math.floor(errors.length / 2)] : 0;
  console.log(
    `| ${file} | ${exact}/${sample.length} | ${exactWc}/${sample.length} | ${far} | ${median} | ${errors.length ? errors[errors.length - 1] : 0} |`
  );
});
