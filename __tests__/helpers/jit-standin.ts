/**
 * A stand-in for the shipped `jit` model in tests: trained with the project's
 * own trainer on generated commits with the 14 canonical change metrics,
 * where the chance of a bug grows with the lines changed and the files
 * touched (as in the real data). Deterministic (seeded).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { chooseSchema, createRandom, readRawTable, tableFromRaw, trainModel, writeModelVersion } from '../../src/index.js';
import { METRIC_COLUMNS } from '../../src/git/csv.js';

const ROWS = 3000;

export async function trainStandInJit(dir: string, workDir: string): Promise<void> {
  const rng = createRandom(7);
  const random = (): number => rng.next();
  const lines = [['commit', ...METRIC_COLUMNS, 'bug'].join(',')];
  for (let i = 0; i < ROWS; i++) {
    const changed = Math.floor(Math.exp(random() * 8.5));
    const la = Math.floor(changed * (0.5 + random() * 0.5));
    const ld = changed - la;
    const nf = 1 + Math.floor(random() * Math.min(20, 1 + changed / 20));
    const nd = Math.max(1, Math.floor(nf / 2));
    const ns = Math.max(1, Math.floor(nd / 2));
    const entropy = nf === 1 ? 0 : random() * Math.log2(nf);
    const lt = Math.floor(random() * 3000);
    const fix = random() < 0.3 ? 1 : 0;
    const ndev = 1 + Math.floor(random() * 8);
    const age = random() * 300;
    const nuc = nf + Math.floor(random() * 40);
    const exp = Math.floor(random() * 500);
    const rexp = random() * 30;
    const sexp = Math.floor(random() * 100);
    const logit = -5.3 + 0.75 * Math.log1p(changed) + 0.1 * nf;
    const bug = random() < 1 / (1 + Math.exp(-logit)) ? 1 : 0;
    lines.push(
      [`c${i}`, ns, nd, nf, entropy.toFixed(4), la, ld, lt, fix, ndev, age.toFixed(3), nuc, exp, rexp.toFixed(4), sexp, bug].join(',')
    );
  }
  const data = path.join(workDir, 'jit-standin.csv');
  writeFileSync(data, lines.join('\n') + '\n');
  const raw = await readRawTable(data);
  const schema = chooseSchema(raw, data, 'bug', 'commit', [...METRIC_COLUMNS]);
  const table = tableFromRaw(data, raw, { features: schema.features, idColumn: schema.idColumn, label: schema.label, requireLabel: true });
  const model = trainModel(
    table,
    schema,
    {
      name: path.basename(dir),
      validationFraction: 0.2,
      split: 'random',
      seed: 7,
      data: 'jit-standin.csv',
      provenance: 'test stand-in for the jit model'
    },
    'v001'
  );
  await writeModelVersion(dir, model);
}
