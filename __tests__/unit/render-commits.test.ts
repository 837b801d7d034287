/** The report in commit mode (golden files from the shipped jit model) and mined rows as a scored table. */
import {
  calibrate,
  commitsToTable,
  commitTextReport,
  createRandom,
  decide,
  explainScored,
  renderReport,
  reviewerList,
  scoreTable,
  sortedScores,
  withPercentiles,
  type CommitMetrics,
  type FeatureSpec,
  type LoadedModel,
  type RenderContext,
  type ScoredPatches
} from '../../src/index.js';
import { commitLink } from '../../src/core/render-commits.js';
import { METRIC_COLUMNS } from '../../src/git/csv.js';
import { expectGolden } from '../helpers/golden.js';
import { shippedModel } from '../helpers/shipped-model.js';

const FEATURES: FeatureSpec[] = METRIC_COLUMNS.map((name) =>
  name === 'fix' ? { name, type: 'boolean' } : { name, type: 'number', min: 0 }
);

type Metrics = Omit<CommitMetrics, 'commit' | 'author' | 'email' | 'date' | 'subject' | 'files' | 'reviewers'>;

function metrics(commit: string, author: string, subject: string, files: string[], values: Partial<Metrics>): CommitMetrics {
  return {
    commit,
    author,
    email: `${author.toLowerCase()}@example.com`,
    date: 1_700_000_000,
    subject,
    ns: 1,
    nd: 1,
    nf: files.length,
    entropy: 0,
    la: 1,
    ld: 1,
    lt: 200,
    fix: subject.startsWith('Fix') ? 1 : 0,
    ndev: 3,
    age: 30,
    nuc: 12,
    exp: 200,
    rexp: 20,
    sexp: 60,
    files,
    reviewers: [],
    ...values
  };
}

const ROWS = [
  metrics('1111111aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 'Alice', 'Fix typo in @octocat <b>docs</b> | #12', ['README.md'], {
    la: 1,
    ld: 1,
    lt: 40
  }),
  metrics(
    '2222222bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb',
    'Dave',
    'Rewrite the scheduler',
    ['lib/core.ts', 'src/app.ts', 'src/util.ts', 'src/sched/queue.ts'],
    { ns: 2, nd: 3, entropy: 1.6, la: 1525, ld: 310, lt: 2400, ndev: 14, age: 3.5, nuc: 160, exp: 9, rexp: 2.5, sexp: 4 }
  ),
  metrics('3333333ccccccccccccccccccccccccccccccccc', 'Erin', 'Tune the cache size', ['src/cache.ts', 'src/cache.test.ts'], {
    entropy: 0.9,
    la: 120,
    ld: 35,
    lt: 900,
    ndev: 6,
    age: 12,
    nuc: 40,
    exp: 35,
    rexp: 6,
    sexp: 20
  })
];

/** Past commits of a made-up repository, for the alert budget: sizes from 1 line to a few thousand. */
function pastCommits(count: number): CommitMetrics[] {
  const rng = createRandom(11);
  return Array.from({ length: count }, (_, i) => {
    const la = Math.floor(Math.exp(rng.next() * 6));
    const nf = 1 + Math.floor(rng.next() * Math.min(12, 1 + la / 40));
    return metrics(i.toString(16).padStart(40, '0'), 'Past', rng.next() < 0.3 ? 'Fix a bug' : 'Change', [], {
      nf,
      nd: Math.max(1, Math.floor(nf / 2)),
      entropy: nf === 1 ? 0 : rng.next() * Math.log2(nf),
      la,
      ld: Math.floor(la * rng.next()),
      lt: Math.floor(rng.next() * 3000),
      ndev: 1 + Math.floor(rng.next() * 20),
      age: rng.next() * 200,
      nuc: nf + Math.floor(rng.next() * 100),
      exp: Math.floor(rng.next() * 500),
      rexp: rng.next() * 40,
      sexp: Math.floor(rng.next() * 200)
    });
  });
}

let model: LoadedModel;

/** The rows scored and explained by the shipped jit model, thresholds from an alert budget on `past` commits. */
async function scoredCommits(rows: CommitMetrics[], past: CommitMetrics[]): Promise<ScoredPatches> {
  const table = commitsToTable(rows, { features: model.card.features, source: 'commits 0000000..3333333' });
  const reference = commitsToTable(past, { features: model.card.features });
  const sorted = sortedScores(await model.score(reference.features, past.length));
  const calibration = calibrate({
    card: model.card.thresholds,
    budget: { alert: 5, medium: 20 },
    reference: { sorted, label: `the last ${past.length.toLocaleString('en-US')} commits here`, noun: 'commits' }
  });
  const thresholds = calibration.origin === 'budget' ? { threshold: calibration.high, mediumThreshold: calibration.medium } : {};
  const scored = await scoreTable(table, model, thresholds);
  return explainScored({ ...scored, calibration: withPercentiles(calibration, sorted, scored.scores) }, model, 'auto', { whatIf: false });
}

let RISKY: ScoredPatches;
let CALM: ScoredPatches;
beforeAll(async () => {
  model = await shippedModel('jit');
  RISKY = await scoredCommits(ROWS, pastCommits(400));
  // Three one-line commits in a young repository (23 commits before): the card's thresholds, and the comment says why.
  CALM = await scoredCommits(
    ROWS.map((row) => ({ ...row, la: 1, ld: 1, nf: 1, nd: 1, ns: 1, entropy: 0, ndev: 1, nuc: 2, lt: 30, exp: 300, sexp: 100 })),
    pastCommits(23)
  );
});

const COMMITS: RenderContext['commits'] = {
  repoUrl: 'https://github.com/acme/app',
  reviewers: {
    '2222222bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb': [{ name: 'Carol' }, { name: 'Bob <bob@example.com>' }],
    '3333333ccccccccccccccccccccccccccccccccc': []
  }
};
/** The report with the gate's decision made as the front ends make it (override label → overridden). */
function render(result: ScoredPatches, context: Omit<RenderContext, 'decision'>): string {
  return renderReport(result, { ...context, decision: decide(result.plan.totals, 'high', context.override !== undefined) });
}
const CONTEXT = {
  patchesFile: '0000000..3333333',
  runUrl: 'https://github.com/acme/app/actions/runs/42',
  commentKey: 'default',
  commits: COMMITS
};

describe('commit-mode report golden files', () => {
  it('fail: linked commits, subjects, authors, reasons and suggested reviewers', () =>
    expectGolden('commits-fail.md', render(RISKY, CONTEXT)));
  it('mention-reviewers: @-mentions where the login is known', () =>
    expectGolden(
      'commits-mention.md',
      render(RISKY, {
        ...CONTEXT,
        commits: {
          ...COMMITS,
          reviewers: {
            ...COMMITS.reviewers,
            '2222222bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb': [{ name: 'Carol', login: 'carol-gh' }, { name: 'Bob' }]
          }
        }
      })
    ));
  it('pass: no reviewers column when every commit is Low', () => expectGolden('commits-pass.md', render(CALM, CONTEXT)));
  it('overridden: the audit names commits by linked hash', () =>
    expectGolden('commits-overridden.md', render(RISKY, { ...CONTEXT, override: { label: 'risk-accepted', by: 'lead' } })));
  it('the terminal table of gate --commits', () =>
    expectGolden('commits-text.txt', commitTextReport(RISKY, { range: 'origin/main..HEAD', reviewers: COMMITS.reviewers })));
});

describe('commit-mode report', () => {
  it('shows each commit’s percentile, the budget in use, and "Review first" with reviewers instead of QA hours', () => {
    const text = render(RISKY, CONTEXT);
    expect(text).toContain('**Alert budget:** High = the riskiest 5% of the last 400 commits here (risk ≥ ');
    expect(text).toMatch(
      /^- \[`2222222`\]\([^)]+\) Rewrite the scheduler — 🔴 High, riskier than \d+% of the last 400 commits here; ask Carol, Bob/m
    );
    expect(text).not.toMatch(/QA plan|QA hours|Monitoring/);
    expect(text).not.toContain('What would lower the risk');
    expect(render(CALM, CONTEXT)).toContain(
      "**Alert budget not applied:** Only 23 past commits to set the alert budget on (it needs at least 200): the model card's thresholds are used."
    );
    expect(render(CALM, CONTEXT)).not.toContain('Review first');
  });
});

describe('commit-mode table', () => {
  let text: string;
  let rows: string[];
  beforeAll(() => {
    text = render(RISKY, CONTEXT);
    rows = text.split('\n').filter((line) => /^\| \d+ \| \[`/.test(line));
  });

  it('lists every commit once, riskiest first, linked to the commit', () => {
    expect(rows.map((row) => /\[`([0-9a-f]{7})`\]\((\S+)\)/.exec(row)?.slice(1))).toEqual([
      ['2222222', 'https://github.com/acme/app/commit/2222222bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb'],
      ['3333333', 'https://github.com/acme/app/commit/3333333ccccccccccccccccccccccccccccccccc'],
      ['1111111', 'https://github.com/acme/app/commit/1111111aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa']
    ]);
  });

  it('suggests reviewers for Medium/High commits only, as plain names by default', () => {
    expect(rows[0].endsWith('| Carol, Bob &lt;bob@\u200dexample.com&gt; |')).toBe(true);
    expect(rows[1]).toMatch(/\| 🟠 Medium \| \d+% \| 120 lines added ▲+; [^|]+ \| — \|$/);
    expect(rows[2]).toMatch(/\| 🟢 Low \| \d+% \| 1 line added ▼+ \| {2}\|$/);
    expect(text).not.toMatch(/@[a-z]/);
  });

  it('escapes subjects and keeps each row to its cells', () => {
    expect(rows[2]).toContain('Fix typo in @\u200doctocat &lt;b&gt;docs&lt;/b&gt; \\| #\u200d12');
    for (const row of rows) expect(row.split(/(?<!\\)\|/).length - 2).toBe(9);
  });

  it('says how many lines each commit had in ignored paths, when any has', async () => {
    const withLockfile = await scoredCommits(
      ROWS.map((row, i) => ({ ...row, ignoredLines: i === 1 ? 12345 : 0 })),
      pastCommits(400)
    );
    const table = render(withLockfile, CONTEXT);
    expect(table).toMatch(/\| Riskier than \| Ignored lines \| Top reasons \|/);
    const lines = table.split('\n').filter((line) => /^\| \d+ \| \[`/.test(line));
    expect(lines.find((line) => line.includes('`2222222`'))).toMatch(/\| \d+% \| 12,345 \| /);
    expect(lines.find((line) => line.includes('`1111111`'))).toMatch(/\| \d+% \| {2}\| /);
    expect(text).not.toContain('Ignored lines');
  });

  it('falls back to escaped text for ids that are not hashes and names whose login is not a GitHub login', () => {
    expect(commitLink('HEAD~1 <x>', { repoUrl: 'https://github.com/a/b' })).toBe('HEAD\\~1 &lt;x&gt;');
    expect(
      reviewerList([
        { name: 'Eve', login: 'eve; rm -rf' },
        { name: 'Mallory', login: 'mallory' }
      ])
    ).toBe('Eve, @mallory');
    expect(reviewerList([])).toBe('—');
  });
});

describe('commitsToTable', () => {
  it('lays mined rows out with the mine CSV columns, ids from the commit hash', () => {
    const table = commitsToTable(ROWS, { features: FEATURES });
    expect(table.columns).toEqual(['commit', 'author', 'date', 'subject', ...METRIC_COLUMNS, 'files', 'merge', 'ignored_lines']);
    expect(table.ids).toEqual(ROWS.map((row) => row.commit));
    expect(table.rows[1][table.columns.indexOf('files')]).toBe('lib/core.ts;src/app.ts;src/util.ts;src/sched/queue.ts');
    expect(Array.from(table.features.subarray(14, 28))).toEqual(METRIC_COLUMNS.map((name) => Math.fround(Number(ROWS[1][name]))));
  });

  it('validates like the CSV reader: missing features and bad cells name the row and column', () => {
    expect(() => commitsToTable(ROWS, { features: [{ name: 'code_churn_score', type: 'number' }], source: 'commits a..b' })).toThrow(
      'commits a..b: missing required column: code_churn_score'
    );
    const bad = [{ ...ROWS[0], la: -1 }];
    expect(() => commitsToTable(bad, { features: FEATURES, source: 'commits a..b' })).toThrow(/commits a\.\.b.*row 1.*la/);
  });
});
