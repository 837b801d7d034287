/**
 * End-to-end, commit mode with the history cache (issue 13 §4): the BUILT action (dist/index.js)
 * saves and restores the miner's history state through the real @actions/cache package, talking
 * to a fake cache service on 127.0.0.1. A hit replays only what landed since the cached state
 * with the rows of a full replay; a miss, a service error or no service at all costs a full
 * replay and a notice, never the check; a shallow checkout is deepened only since the cached commit.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ensureBundle, runBuiltAction, type RunResult } from '../helpers/action-harness.js';
import { FakeCacheService } from '../helpers/fake-cache.js';
import { FakeGitHub } from '../helpers/fake-github.js';
import { ALICE, BOB, CAROL, dateEnv, TestRepo, type Person } from '../helpers/git-helpers.js';
import { trainStandInJit } from '../helpers/jit-standin.js';

const REPO = 'acme/firmware';
const DAVE: Person = { name: 'Dave', email: 'dave@example.com' };
const MODEL_INPUT = './.prg-model/jit';

const work = mkdtempSync(path.join(tmpdir(), 'prg-cache-'));
const modelDir = path.join(work, 'models', 'jit');
let repo: TestRepo;
let github: FakeGitHub;
let cache: FakeCacheService;
let apiUrl: string;
let cacheUrl: string;
let counter = 0;
const sha: Record<'c1' | 'c2' | 'c3' | 'c4' | 'c5' | 'p1' | 'q1' | 'merge2', string> = {} as never;

/**
 * main: c1 → c2 → c3 (PR 1's base) → c4 → c5 (PR 2's base).
 * PR 1: c3 → p1. PR 2: c5 → q1. HEAD: PR 2 merged into c5, detached (what actions/checkout checks out).
 */
function buildRepository(): void {
  repo = new TestRepo();
  repo.write('src/app.ts', TestRepo.lines('app', 50));
  repo.write('src/util.ts', TestRepo.lines('util', 30));
  sha.c1 = repo.commit(ALICE, 0, 'Initial import');
  repo.write('src/util.ts', TestRepo.lines('util', 35));
  sha.c2 = repo.commit(BOB, 5, 'More utilities');
  repo.write('lib/core.ts', TestRepo.lines('core', 40));
  sha.c3 = repo.commit(CAROL, 10, 'Add the core library');
  repo.git(['checkout', '-q', '-b', 'pr1']);
  repo.write('src/app.ts', TestRepo.lines('app', 900));
  repo.write('lib/core.ts', TestRepo.lines('kernel', 60));
  sha.p1 = repo.commit(DAVE, 12, 'Rewrite the app');
  repo.git(['checkout', '-q', 'main']);
  repo.write('src/util.ts', TestRepo.lines('helper', 36));
  sha.c4 = repo.commit(BOB, 14, 'Rename the helpers');
  repo.git(['mv', 'lib/core.ts', 'lib/kernel.ts']);
  sha.c5 = repo.commit(ALICE, 15, 'Move the core');
  repo.git(['checkout', '-q', '-b', 'pr2']);
  repo.write('lib/kernel.ts', TestRepo.lines('kernel', 70));
  repo.write('src/app.ts', TestRepo.lines('app', 60));
  sha.q1 = repo.commit(DAVE, 16, 'Tune the kernel');
  repo.git(['checkout', '-q', '--detach', 'main']);
  repo.git(['merge', '-q', '--no-ff', '-m', 'Merge pull request #2', 'pr2'], dateEnv(BOB, 17));
  sha.merge2 = repo.head();
}

function payload(number: number, base: string, head: string): object {
  return { action: 'synchronize', number, pull_request: { number, labels: [], base: { sha: base, ref: 'main' }, head: { sha: head } } };
}
const PR1 = () => payload(1, sha.c3, sha.p1);
const PR2 = () => payload(2, sha.c5, sha.q1);

interface Run {
  payload: object;
  inputs?: Record<string, string>;
  workspace?: string;
  /** Reach the fake cache service (default true). */
  service?: boolean;
}

interface Outcome extends RunResult {
  /** The report's scored rows, read right after the run (the next run writes the same default path). */
  rows: unknown[];
}

/**
 * The cache service restores into the paths it saved, written relative to the workspace: like a
 * real runner, every run here has the same RUNNER_TEMP, and every workspace is a folder of the temp dir.
 */
async function runAction(run: Run): Promise<Outcome> {
  const workspace = run.workspace ?? repo.dir;
  if (!existsSync(path.join(workspace, MODEL_INPUT))) cpSync(modelDir, path.join(workspace, MODEL_INPUT), { recursive: true });
  const result = await runBuiltAction({
    dir: path.join(work, `run-${++counter}`),
    workspace,
    apiUrl,
    repository: REPO,
    inputs: { patches: '', model: MODEL_INPUT, 'github-token': 'fake-token', comment: 'never', 'risk-label': 'false', ...run.inputs },
    event: 'pull_request',
    payload: run.payload,
    env: {
      RUNNER_TEMP: path.join(work, 'runner-temp'),
      ...(run.service === false ? {} : { ACTIONS_CACHE_URL: cacheUrl, ACTIONS_RUNTIME_TOKEN: 'fake-runtime-token' })
    }
  });
  const rows = result.outputs.report ? JSON.parse(readFileSync(result.outputs.report, 'utf8')).patches : [];
  return { ...result, rows };
}

const rows = (outcome: Outcome): unknown[] => outcome.rows;

const notices = (result: Outcome): string[] => result.stdout.split('\n').filter((line) => line.startsWith('::notice::'));
const keyPrefix = () => `patch-risk-gate-history-v1-${REPO}-`;

beforeAll(async () => {
  ensureBundle();
  buildRepository();
  await trainStandInJit(modelDir, work);
  github = new FakeGitHub();
  apiUrl = await github.start();
  cache = new FakeCacheService();
  cacheUrl = await cache.start();
}, 300000);

afterAll(async () => {
  await github.stop();
  await cache.stop();
  repo.remove();
  rmSync(work, { recursive: true, force: true });
});

describe('the history state across pull requests', () => {
  const reference: Record<string, Outcome> = {};
  beforeAll(async () => {
    cache.reset();
    reference.pr1 = await runAction({ payload: PR1(), inputs: { 'history-cache': 'false' } });
    reference.pr2 = await runAction({ payload: PR2(), inputs: { 'history-cache': 'false' } });
    expect(cache.requests).toEqual([]);
  });

  it('a first run misses, replays the whole history with a notice, and saves the state at the base', async () => {
    const result = await runAction({ payload: PR1() });
    expect(result.code).toBe(reference.pr1.code);
    expect(notices(result)).toEqual([
      expect.stringMatching(/^::notice::patch-risk-gate: history cache: no saved state was restored .*the whole history is replayed/)
    ]);
    expect(result.stdout).toMatch(/history cache .*: not used \(no cached state in .* yet\); 3 commit\(s\) replayed before the range/);
    expect(cache.keys()).toEqual([expect.stringMatching(new RegExp(`^${keyPrefix()}[0-9a-f]{12}-main-${sha.c3}$`))]);
    expect(rows(result)).toEqual(rows(reference.pr1));
    expect(result.outputs.decision).toBe(reference.pr1.outputs.decision);
  });

  it('the same base again resumes from its exact state, replays nothing before the range and saves nothing', async () => {
    const result = await runAction({ payload: PR1() });
    expect(notices(result)).toEqual([]);
    expect(result.stdout).toContain(`history cache: restored ${cache.keys()[0]}`);
    expect(result.stdout).toMatch(/: resumed \(resumed from the cached state at [0-9a-f]{12}\); 0 commit\(s\) replayed before the range/);
    expect(result.stdout).toContain('nothing to save');
    expect(cache.keys()).toHaveLength(1);
    expect(rows(result)).toEqual(rows(reference.pr1));
  });

  it('a later pull request restores the base branch’s newest state, replays only what landed since, and saves its own', async () => {
    const result = await runAction({ payload: PR2() });
    expect(notices(result)).toEqual([]);
    expect(result.stdout).toContain(`history cache: restored ${cache.keys()[0]}`);
    expect(result.stdout).toContain(`resumed from the cached state at ${sha.c3.slice(0, 12)}); 2 commit(s) replayed before the range`);
    expect(cache.keys()).toEqual([cache.keys()[0], expect.stringMatching(new RegExp(`-main-${sha.c5}$`))]);
    // Byte for byte what a full replay gives (renamed file, history metrics and all).
    expect(rows(result)).toEqual(rows(reference.pr2));
    expect(result.code).toBe(reference.pr2.code);
  });

  it('a shallow checkout is deepened since the cached commit only, with the rows of a full clone', async () => {
    const clone = mkdtempSync(path.join(tmpdir(), 'prg-cache-shallow-'));
    rmSync(clone, { recursive: true });
    execFileSync('git', ['clone', '-q', '--depth', '1', `file://${repo.dir}`, clone], {
      env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null' },
      stdio: 'ignore'
    });
    const result = await runAction({ payload: PR2(), workspace: clone });
    expect(result.stdout).toContain(`history cache: restored ${cache.keys()[1]}`);
    expect(result.stdout).toMatch(/git fetch --shallow-since=@\d+/);
    expect(result.stdout).not.toContain('--unshallow');
    expect(execFileSync('git', ['-C', clone, 'rev-parse', '--is-shallow-repository'], { encoding: 'utf8' }).trim()).toBe('true');
    expect(rows(result)).toEqual(rows(reference.pr2));
    rmSync(clone, { recursive: true, force: true });
  });

  it('a cache service error never fails the check: a full replay and a notice', async () => {
    cache.failing = true;
    try {
      const result = await runAction({ payload: PR2() });
      expect(result.code).toBe(reference.pr2.code);
      expect(result.outputs.decision).toBe(reference.pr2.outputs.decision);
      expect(rows(result)).toEqual(rows(reference.pr2));
      expect(result.stdout).toMatch(/^::warning::Failed to restore: .*Cache service responded with 500/m);
      expect(notices(result)).toEqual([
        expect.stringContaining('history cache: no saved state was restored'),
        expect.stringContaining('history cache: the cache service did not save the state')
      ]);
      expect(result.stdout).toMatch(/not used \(no cached state in .* yet\); 5 commit\(s\) replayed before the range/);
    } finally {
      cache.failing = false;
    }
  });

  it('without a cache service the run replays everything and says so once', async () => {
    const result = await runAction({ payload: PR2(), service: false });
    expect(result.code).toBe(reference.pr2.code);
    expect(notices(result)).toEqual([expect.stringContaining('the Actions cache service is not available to this run')]);
    expect(rows(result)).toEqual(rows(reference.pr2));
  });

  it('rejects a history-cache value that is not true or false', async () => {
    const result = await runAction({ payload: PR2(), inputs: { 'history-cache': 'sometimes' } });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('::error::invalid input: history-cache must be true or false');
  });
});
