/**
 * Commit mode with `model: auto` and a repository model (`repo-model`,
 * default `.patch-risk/model`): the action's run() in-process on a real git
 * repository against the fake GitHub API. The model folders are written by
 * train-repo's own code (trainRepoModel + writeRepoModel) from generated
 * labelled histories, against an in-memory stand-in default: one that beat
 * the default (champion in registry.json) and one that did not.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  REPO_MODEL_GATES,
  labelledHistory,
  renderTrackRecord,
  trackRecord,
  trainRepoModel,
  trainingPeriod,
  writeRepoModel
} from '../../src/index.js';
import { runActionInProcess, type RunResult } from '../helpers/action-harness.js';
import { FakeGitHub } from '../helpers/fake-github.js';
import { ALICE, BOB, TestRepo } from '../helpers/git-helpers.js';
import { historyRaw, historyRows, standInDefault, type Cause } from '../helpers/repo-history.js';

const REPO = 'acme/app';
const PR = 12;
const FOLDER = '.patch-risk/model';

const work = mkdtempSync(path.join(tmpdir(), 'prg-repo-model-'));
const promotedDir = path.join(work, 'promoted', 'model');
const refusedDir = path.join(work, 'refused', 'model');
let github: FakeGitHub;
let apiUrl: string;
let counter = 0;
const repos: TestRepo[] = [];

/** A repository model folder as `train-repo` writes it, trained on a history whose bugs come from `cause`. */
async function trainFolder(dir: string, cause: Cause, seed: number): Promise<boolean> {
  const history = labelledHistory('history.csv', historyRaw(historyRows({ rows: 2500, seed, cause })));
  const training = await trainRepoModel({
    period: trainingPeriod(history, { labelDelayDays: 0 }),
    source: { source: 'metrics', name: 'history.csv' },
    defaultModel: standInDefault('size'),
    gates: { ...REPO_MODEL_GATES },
    name: 'model',
    version: 'v001',
    command: 'patch-risk train-repo --metrics history.csv --out .patch-risk/model',
    params: { nTrees: 30 },
    bootstrap: { resamples: 300 },
    now: new Date('2024-01-01T00:00:00Z')
  });
  await writeRepoModel(dir, training, REPO_MODEL_GATES, new Date('2024-01-01T00:00:00Z'));
  return training.beatDefault;
}

/** A saved track record beside the promoted model (what `track-record --out` writes). */
function writeTrackRecord(dir: string): void {
  const day = 86_400;
  const t = 1_690_000_000;
  // Scores 0, 0.1, …, 0.9; bugs at 0.7, 0.8, 0.9; High ≥ 0.75: both High commits and 3 of 10 later needed a fix.
  const commits = Array.from({ length: 10 }, (_, i) => ({
    commit: `c${i}`,
    date: t + i * day,
    score: i / 10,
    bug: i >= 7 ? (1 as const) : (0 as const)
  }));
  const record = trackRecord(commits, { since: t, labelledBefore: t + 9 * day, labelDelayDays: 180 }, () => ({ high: 0.75, medium: 0.4 }), {
    repository: 'app',
    model: 'model v001',
    thresholds: "the model card's",
    now: new Date('2024-01-01T00:00:00Z')
  });
  writeFileSync(path.join(dir, 'track-record.json'), renderTrackRecord(record, 'json'));
}

interface Layout {
  /** The model folder committed in the base commit (before the pull request). */
  base?: string;
  /** The model folder the pull request's own commit puts there (replacing the base's). */
  pr?: string;
}

/**
 * main: a few commits (the base, with `layout.base` committed as .patch-risk/model);
 * feature: two commits, the first adding `layout.pr` as .patch-risk/model. The work tree is at the PR head.
 */
function repository(layout: Layout): { repo: TestRepo; base: string; head: string } {
  const repo = new TestRepo();
  repos.push(repo);
  repo.write('src/app.ts', TestRepo.lines('app', 60));
  repo.commit(ALICE, 0, 'Initial import');
  repo.write('src/util.ts', TestRepo.lines('util', 40));
  repo.commit(BOB, 2, 'Utilities');
  if (layout.base) cpSync(layout.base, path.join(repo.dir, FOLDER), { recursive: true });
  repo.write('docs/notes.md', 'notes\n');
  const base = repo.commit(ALICE, 4, 'Notes and the repository model');
  repo.git(['checkout', '-q', '-b', 'feature']);
  if (layout.pr) {
    rmSync(path.join(repo.dir, FOLDER), { recursive: true, force: true });
    cpSync(layout.pr, path.join(repo.dir, FOLDER), { recursive: true });
  }
  repo.write('src/app.ts', TestRepo.lines('app', 400));
  repo.commit(BOB, 5, 'Rewrite the app');
  repo.write('src/util.ts', TestRepo.lines('util', 45));
  const head = repo.commit(ALICE, 6, 'More utilities');
  return { repo, base, head };
}

async function runOn(layout: Layout, inputs: Record<string, string> = {}): Promise<{ result: RunResult; body: string }> {
  const { repo, base, head } = repository(layout);
  github.reset();
  const result = await runActionInProcess({
    dir: path.join(work, `run-${++counter}`),
    workspace: repo.dir,
    apiUrl,
    repository: REPO,
    inputs: { patches: '', model: 'auto', 'github-token': 'fake-token', 'fail-on': 'never', ...inputs },
    event: 'pull_request',
    payload: {
      action: 'synchronize',
      number: PR,
      pull_request: { number: PR, labels: [], base: { sha: base }, head: { sha: head } },
      sender: { login: 'bob' }
    }
  });
  return { result, body: github.commentsOf(REPO, PR)[0]?.body ?? '' };
}

const REPO_MODEL_FOOTER =
  /\*\*Model:\*\* model v001 \(sha256 [0-9a-f]{12}\): .*; trained on this repository: validation ROC AUC 0\.\d{3} on its newest 500 labelled commits, where the default jit v001 scored 0\.\d{3}\./;
const DEFAULT_FOOTER = /\*\*Model:\*\* jit v001 \(sha256 [0-9a-f]{12}\): /;

beforeAll(async () => {
  // Bugs from file age: a model of this repository beats a default that learnt "big commits are risky".
  expect(await trainFolder(promotedDir, 'age', 5)).toBe(true);
  writeTrackRecord(promotedDir);
  // Bugs from nothing at all: no model beats the default beyond the noise.
  expect(await trainFolder(refusedDir, 'noise', 11)).toBe(false);
  github = new FakeGitHub();
  apiUrl = await github.start();
}, 300000);

afterAll(async () => {
  await github?.stop();
  for (const repo of repos) repo.remove();
  rmSync(work, { recursive: true, force: true });
});

describe('model: auto in commit mode with a repository model', () => {
  it('uses a committed folder whose champion beat the default, names it in the log, comment footer and summary', async () => {
    const { result, body } = await runOn({ base: promotedDir });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      'patch-risk-gate: model auto: the repository model model v001 from .patch-risk/model (base commit); it beat the default on this repository'
    );
    expect(result.stdout).toMatch(/\(model model v001, fail-on never\)/);
    expect(body).toMatch(REPO_MODEL_FOOTER);
    expect(result.summary).toMatch(REPO_MODEL_FOOTER);
    expect(result.summary).toContain(
      '**Track record:** Over the 9 days to 2023-07-31, 100% of High commits here later needed a fix, against 30% of all commits.'
    );
    expect(JSON.parse(readFileSync(result.outputs.report, 'utf8')).model.name).toBe('model');
  });

  it('keeps the default jit when the champion card says it did not beat the default', async () => {
    const { result, body } = await runOn({ base: refusedDir });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /patch-risk-gate: model auto: the default jit model \(v001 in \.patch-risk\/model \(base commit\) did not beat the default jit v001 on this repository \(refused: /
    );
    expect(body).toMatch(DEFAULT_FOOTER);
    expect(body).not.toContain('trained on this repository');
    expect(result.summary).not.toContain('Track record');
  });

  it('ignores a folder the pull request adds (in the head commit, not in the base)', async () => {
    const { result, body } = await runOn({ pr: promotedDir });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /patch-risk-gate: model auto: the default jit model \(\.patch-risk\/model is added by the commits being checked \(not in the base commit [0-9a-f]{12}\), so it is not used to check them\)/
    );
    expect(body).toMatch(DEFAULT_FOOTER);
    expect(body).not.toContain('trained on this repository');
  });

  it('reads the base commit: a pull request that swaps a refused model for a promoted one still gets the default', async () => {
    const { result, body } = await runOn({ base: refusedDir, pr: promotedDir });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /model auto: the default jit model \(v001 in \.patch-risk\/model \(base commit\) did not beat the default/
    );
    expect(body).toMatch(DEFAULT_FOOTER);
  });

  it('an explicit model input is used as given: the repository model folder is not consulted', async () => {
    const { result, body } = await runOn({ base: promotedDir }, { model: 'jit' });
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain('model auto:');
    expect(body).toMatch(DEFAULT_FOOTER);
  });
});
