/**
 * Commit mode's "what would lower the risk" end to end: a real repository in a temp dir, the
 * real miner's parts, a model trained by the project's trainer on generated commits where the
 * spread of a change over subsystems carries the risk (so splitting can help), and the shipped
 * jit model (whose risk grows with size, so a split rarely lowers the total).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  chooseSchema,
  commitsToTable,
  createRandom,
  cardPathFor,
  onnxToEnsemble,
  predictProbabilities,
  readModelCard,
  readRawTable,
  renderReport,
  runGate,
  scoredJsonRows,
  tableFromRaw,
  trainModel,
  writeModelVersion,
  type GateRun,
  type LoadedModel
} from '../../src/index.js';
import { METRIC_COLUMNS } from '../../src/git/csv.js';
import { ALICE, BOB, CAROL, TestRepo } from '../helpers/git-helpers.js';
import { shippedModel } from '../helpers/shipped-model.js';

/** A model where touching several subsystems is what makes a commit risky. */
async function trainSpreadModel(dir: string): Promise<LoadedModel> {
  const rng = createRandom(11);
  const random = (): number => rng.next();
  const lines = [['commit', ...METRIC_COLUMNS, 'bug'].join(',')];
  for (let i = 0; i < 3000; i++) {
    const ns = 1 + Math.floor(random() * 3);
    const nd = ns + Math.floor(random() * 2);
    const nf = nd + Math.floor(random() * 3);
    const la = 1 + Math.floor(random() * 40);
    const logit = -4 + 4.5 * (ns - 1) + 0.01 * la;
    const bug = random() < 1 / (1 + Math.exp(-logit)) ? 1 : 0;
    lines.push(
      [
        `c${i}`,
        ns,
        nd,
        nf,
        (random() * Math.log2(nf)).toFixed(4),
        la,
        2,
        50,
        0,
        2,
        (random() * 300).toFixed(3),
        nf * 2,
        10,
        (random() * 30).toFixed(4),
        5,
        bug
      ].join(',')
    );
  }
  const data = path.join(dir, 'spread.csv');
  writeFileSync(data, lines.join('\n') + '\n');
  const raw = await readRawTable(data);
  const schema = chooseSchema(raw, data, 'bug', 'commit', [...METRIC_COLUMNS]);
  const table = tableFromRaw(data, raw, { features: schema.features, idColumn: schema.idColumn, label: schema.label, requireLabel: true });
  const model = trainModel(
    table,
    schema,
    {
      name: 'spread',
      validationFraction: 0.2,
      split: 'random',
      seed: 3,
      data: 'spread.csv',
      provenance: 'test model: risk from the spread over subsystems'
    },
    'v001'
  );
  const folder = path.join(dir, 'spread');
  await writeModelVersion(folder, model);
  // Scored by the library's tree evaluator as in shipped-model.ts (onnxruntime cannot load inside jest's sandbox).
  const onnxPath = path.join(folder, 'v001.onnx');
  const { ensemble } = onnxToEnsemble(readFileSync(onnxPath));
  const card = await readModelCard(cardPathFor(onnxPath));
  const score = async (features: Float32Array, nRows: number) =>
    Float64Array.from(predictProbabilities(ensemble, features, nRows), Math.fround);
  return { card, onnxPath, source: onnxPath, score } as unknown as LoadedModel;
}

let repo: TestRepo;
let work: string;
let spread: LoadedModel;
let base: string;
let spanning: string;
let single: string;

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'patch-risk-advice-'));
  spread = await trainSpreadModel(work);
  repo = new TestRepo();
  repo.write('core/a.c', TestRepo.lines('a', 10));
  repo.write('docs/guide.md', TestRepo.lines('g', 5));
  repo.commit(ALICE, 0, 'initial import');
  repo.write('core/a.c', TestRepo.lines('a', 14));
  base = repo.commit(BOB, 1, 'More a');
  repo.write('core/a.c', TestRepo.lines('a', 20));
  repo.write('docs/guide.md', TestRepo.lines('g', 9));
  spanning = repo.commit(CAROL, 2, 'Rework a and its guide');
  repo.write('core/a.c', TestRepo.lines('a', 22));
  single = repo.commit(ALICE, 3, 'Tweak a');
}, 120000);

afterAll(() => {
  repo?.remove();
  rmSync(work, { recursive: true, force: true });
});

const input = () => ({ kind: 'commits' as const, repo: repo.dir, range: { base, head: single } });

/** The risks of each part of the mined commit, scored independently of the gate. */
async function partScores(run: GateRun, row: number, model: LoadedModel): Promise<number[]> {
  const parts = run.commits!.mined[row].parts!;
  const table = commitsToTable(
    parts.map((part, k) => ({ ...part.metrics, commit: `p${k}` })),
    { features: model.card.features }
  );
  return [...(await model.score(table.features, parts.length))];
}

describe('commit split advice', () => {
  it('advises splitting a High commit by directory when every part is below High and the total falls, in every report', async () => {
    const run = await runGate(input(), { model: spread });
    const scored = run.scored!;
    const row = scored.table.ids.indexOf(spanning);
    expect(scored.plan.patches[row].risk_bucket).toBe('High');
    const [core, docs] = await partScores(run, row, spread);
    expect(core + docs).toBeLessThan(scored.scores[row]);
    expect(Math.max(core, docs)).toBeLessThan(run.thresholds.high);
    const advice = scored.whatIf?.[row];
    expect(advice).toMatch(
      /^split by directory: (core|docs) \(0\.\d\d, (Medium|Low)\) \+ (core|docs) \(0\.\d\d, (Medium|Low)\) → expected regressions /
    );
    expect(advice).toContain(`core (${core.toFixed(2)},`);
    expect(advice).toContain(`docs (${docs.toFixed(2)},`);
    expect(advice).toContain(`${scored.scores[row].toFixed(2)} → ${(core + docs).toFixed(2)}`);
    // Single-directory and non-High commits get none.
    expect(scored.whatIf?.[scored.table.ids.indexOf(single)]).toBeUndefined();

    const comment = renderReport(scored, { patchesFile: 'range', commits: {}, decision: run.decision });
    const section = comment.slice(comment.indexOf('### What would lower the risk'), comment.indexOf('### Commits by risk'));
    expect(section).toContain(`- \`${spanning.slice(0, 7)}\`: ${advice}`);
    expect(scoredJsonRows(scored)[row]).toMatchObject({ what_if: advice });
    expect(scoredJsonRows(scored)[scored.table.ids.indexOf(single)]).not.toHaveProperty('what_if');
  });

  it('gives no advice with --explain none', async () => {
    const run = await runGate(input(), { model: spread, explain: 'none' });
    expect(run.scored!.whatIf).toBeUndefined();
  });

  it('with the shipped jit model, advice appears exactly when the rule holds for the mined parts', async () => {
    const jit = await shippedModel('jit');
    const run = await runGate(input(), { model: jit });
    const scored = run.scored!;
    for (let row = 0; row < scored.table.ids.length; row++) {
      const parts = run.commits!.mined[row].parts;
      if (scored.plan.patches[row].high_risk !== 1 || !parts) {
        expect(scored.whatIf?.[row]).toBeUndefined();
        continue;
      }
      const scores = await partScores(run, row, jit);
      const helps = scores.every((s) => s < run.thresholds.high) && scores.reduce((a, b) => a + b, 0) < scored.scores[row];
      expect(scored.whatIf?.[row] !== undefined).toBe(helps);
    }
  });
});
