// The repository model against a default that never saw the project, on each project's newest 20%.
//   npm run build && nice node bench/repo-model-targets.mjs [--data DIR] [--label-delay DAYS] [--pool auto|never]
//
// For each project of data/jit (chronological 80/20 split as in evaluate-jit):
//   1. the default that never saw it: the shipped jit recipe (trainJitModel) on the other three projects;
//   2. the repository model: train-repo's path (trainRepoFromMetrics) on the project's older 80% only,
//      pooled with the other three projects' public rows when that wins on the training part, judged
//      against that default on the newest 20% of the older 80%, written to a temporary folder;
//   3. both scored on the newest 20% (never seen by either): ROC-AUC, the paired bootstrap of the
//      difference, and the model in use after the gate (the repository model only when promoted).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  JIT_PROJECTS,
  loadModel,
  pairedAucBootstrap,
  readJitProjects,
  rocAuc,
  tableFromRaw,
  trainJitModel,
  trainRepoFromHistory,
  labelledHistory,
  writeModelVersion
} from '../lib/index.js';

const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const dataDir = flag('--data', 'data/jit');
const labelDelayDays = Number(flag('--label-delay', '0'));
const poolMode = flag('--pool', 'auto');
const refit = flag('--refit', 'true') === 'true';

const work = mkdtempSync(path.join(tmpdir(), 'repo-model-targets-'));
const projects = await readJitProjects(dataDir, JIT_PROJECTS);
const rows = [];
try {
  for (const { name, table } of projects) {
    const others = projects.filter((p) => p.name !== name);
    const defaultDir = path.join(work, `default-without-${name}`);
    await writeModelVersion(
      defaultDir,
      trainJitModel(others, { name: `jit-without-${name}`, version: 'v001', command: `trainJitModel(${others.map((p) => p.name)})` })
    );
    const defaultModel = await loadModel(path.join(defaultDir, 'v001.onnx'));

    // The published rows, oldest first: the first 80% is all the repository model may see.
    const raw = { columns: table.columns, rows: table.rows, lines: table.lines };
    const history = labelledHistory(`${name} (older 80%)`, raw);
    const cut = history.raw.rows.length - Math.round(history.raw.rows.length * 0.2);
    const older = labelledHistory(`${name} (older 80%)`, {
      ...history.raw,
      rows: history.raw.rows.slice(0, cut),
      lines: history.raw.lines.slice(0, cut)
    });
    const newest = { ...history.raw, rows: history.raw.rows.slice(cut), lines: history.raw.lines.slice(cut) };

    const out = path.join(work, `repo-${name}`);
    const started = performance.now();
    const run = await trainRepoFromHistory(
      older,
      { source: 'metrics', name: `${name} (older 80%)` },
      {
        out,
        labelDelayDays,
        defaultModel,
        pool: { mode: poolMode, dataDir, projects: others.map((p) => p.name) },
        refit,
        command: `bench/repo-model-targets.mjs (${name})`
      }
    );
    const seconds = (performance.now() - started) / 1000;
    if (run.status !== 'trained') throw new Error(`${name}: ${run.reason}`);
    const candidate = await loadModel(run.written.onnxPath);
    const score = async (model) => {
      const t = tableFromRaw(`${name} newest 20%`, newest, {
        features: model.card.features,
        idColumn: 'commit',
        label: 'bug',
        requireLabel: true
      });
      return { scores: await model.score(t.features, t.ids.length), labels: t.labels };
    };
    const c = await score(candidate);
    const d = await score(defaultModel);
    const diff = pairedAucBootstrap(c.scores, d.scores, c.labels);
    const info = run.training.model.card.repository;
    rows.push({
      project: name,
      test: c.labels.length,
      defaultAuc: rocAuc(d.scores, d.labels),
      repoAuc: rocAuc(c.scores, c.labels),
      diff,
      validation: info.comparison,
      pool: info.pool ? `${info.pool.ratio}x (${info.pool.rows})` : 'own only',
      promoted: run.training.beatDefault,
      seconds
    });
    await candidate.release();
    await defaultModel.release();
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

const f = (x) => x.toFixed(4);
const s = (x) => `${x >= 0 ? '+' : ''}${x.toFixed(4)}`;
console.log(`label delay ${labelDelayDays} days, pool ${poolMode}, refit ${refit}\n`);
console.log(
  '| project | newest 20% | default (never saw it) | repository model | difference [95% interval] | validation: repo vs default [interval] | pool | gate | in use after the gate | train-repo s |'
);
console.log('|---|---:|---:|---:|---|---|---|---|---:|---:|');
for (const r of rows) {
  const v = r.validation;
  const inUse = r.promoted ? r.repoAuc : r.defaultAuc;
  console.log(
    `| ${r.project} | ${r.test} | ${f(r.defaultAuc)} | ${f(r.repoAuc)} | ${s(r.diff.difference)} [${s(r.diff.low)}, ${s(r.diff.high)}] | ` +
      `${f(v.candidate.roc_auc)} vs ${f(v.default.roc_auc)} [${s(v.interval[0])}, ${s(v.interval[1])}] | ${r.pool} | ` +
      `${r.promoted ? 'promoted' : 'refused (default kept)'} | ${f(inUse)} | ${r.seconds.toFixed(1)} |`
  );
}
writeFileSync(path.join(tmpdir(), 'repo-model-targets.json'), JSON.stringify(rows, null, 2));
