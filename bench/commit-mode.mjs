// Commit mode on a pull request of 1,000 commits: how long mining, scoring and
// rendering take, and whether the comment stays under GitHub's 65,536 characters.
//   npm run build && node bench/commit-mode.mjs [--repo DIR] [--commits 1000]
// Without --repo it uses the generated repository of bench/mine.mjs (5,000
// commits, built and cached under /tmp by `node bench/mine.mjs --commits 5000 --runs 1`
// when missing) and scores its last --commits commits as the "pull request",
// replaying the history before them, as the action does. Baseline in the same
// script: plain `git log --numstat` over the whole history.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { commitsToTable, explainScored, GITHUB_COMMENT_LIMIT, loadModelByName, mineAll, renderReport, scoreTable } from '../lib/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const COMMITS = Number(arg('--commits', '1000'));
let repo = arg('--repo');
if (!repo) {
  repo = '/tmp/patch-risk-bench-5000';
  if (!existsSync(repo))
    execFileSync(process.execPath, [path.join(root, 'bench/mine.mjs'), '--commits', '5000', '--runs', '1'], { stdio: 'inherit' });
}
const git = (args) => execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8', maxBuffer: 1 << 30 }).trim();
const head = git(['rev-parse', 'HEAD']);
const base = git(['rev-list', '--no-merges', '--skip', String(COMMITS), '-n', '1', 'HEAD']);
const range = `${base}..${head}`;

const seconds = (start) => Number(process.hrtime.bigint() - start) / 1e9;
let t = process.hrtime.bigint();
spawnSync('git', ['-C', repo, 'log', '--numstat', 'HEAD'], { stdio: 'ignore', maxBuffer: 1 << 30 });
const gitLog = seconds(t);

const model = await loadModelByName('jit');
t = process.hrtime.bigint();
const mined = await mineAll({ repo, range });
const mine = seconds(t);
t = process.hrtime.bigint();
const table = commitsToTable(mined, { features: model.card.features, source: `commits ${range}` });
const scored = await explainScored(await scoreTable(table, model), model, 'auto');
const score = seconds(t);
t = process.hrtime.bigint();
const comment = renderReport(scored, {
  patchesFile: range,
  commentKey: 'default',
  commits: { repoUrl: 'https://github.com/acme/firmware' }
});
const render = seconds(t);
const shown = (comment.match(/^\| \d+ \| \[`/gm) ?? []).length;

const rows = [
  ['step', 'seconds', 'vs git log --numstat'],
  ['git log --numstat (whole history, baseline)', gitLog.toFixed(3), '1.00x'],
  [`mine ${mined.length} commits (history replayed)`, mine.toFixed(3), `${(mine / gitLog).toFixed(2)}x`],
  ['score + explain (jit, TreeSHAP)', score.toFixed(3), `${(score / gitLog).toFixed(2)}x`],
  ['render the comment', render.toFixed(3), `${(render / gitLog).toFixed(2)}x`]
];
const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
for (const row of rows) console.log(row.map((cell, c) => cell.padEnd(widths[c])).join('  '));
console.log(
  `\ncomment: ${comment.length.toLocaleString('en-US')} characters (limit ${GITHUB_COMMENT_LIMIT.toLocaleString('en-US')}), ${shown} of ${mined.length} commit rows shown`
);
if (comment.length > GITHUB_COMMENT_LIMIT) process.exitCode = 1;
