/** The report in commit mode (golden files) and mined rows as a scored table. */
import {
  commitsToTable,
  decide,
  DEFAULT_PLAN_OPTIONS,
  planPatches,
  renderReport,
  reviewerList,
  type CommitMetrics,
  type FeatureSpec,
  type ModelSummary,
  type Reason,
  type RenderContext,
  type ScoredPatches
} from '../src/index.js';
import { commitLink } from '../src/core/render-commits.js';
import { METRIC_COLUMNS } from '../src/git/csv.js';
import { expectGolden } from './golden.js';

const FEATURES: FeatureSpec[] = METRIC_COLUMNS.map((name) =>
  name === 'fix' ? { name, type: 'boolean' } : { name, type: 'number', min: 0 }
);

const MODEL: ModelSummary = {
  name: 'jit',
  version: 'v001',
  sha256: 'c'.repeat(64),
  threshold: 0.5,
  medium_threshold: 0.2,
  trained_rows: 120000,
  roc_auc: 0.78,
  f1: 0.45,
  created_at: '2025-01-01T00:00:00Z'
};

function metrics(commit: string, author: string, subject: string, la: number, files: string[]): CommitMetrics {
  return {
    commit,
    author,
    email: `${author.toLowerCase()}@example.com`,
    date: 1_700_000_000,
    subject,
    ns: 1,
    nd: 1,
    nf: files.length,
    entropy: 0.5,
    la,
    ld: 3,
    lt: 100,
    fix: subject.startsWith('Fix') ? 1 : 0,
    ndev: 2,
    age: 4.5,
    nuc: 3,
    exp: 10,
    rexp: 1.25,
    sexp: 4,
    files,
    reviewers: []
  };
}

const ROWS = [
  metrics('1111111aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 'Alice', 'Fix typo in @octocat <b>docs</b> | #12', 2, ['README.md']),
  metrics('2222222bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb', 'Dave', 'Rewrite the scheduler', 1525, ['lib/core.ts', 'src/app.ts', 'src/util.ts']),
  metrics('3333333ccccccccccccccccccccccccccccccccc', 'Erin', 'Tune the cache size', 120, ['src/cache.ts'])
];

function scoredCommits(scores: number[], reasons?: Reason[][], whatIf?: (string | undefined)[]): ScoredPatches {
  const table = commitsToTable(ROWS, { features: FEATURES, source: 'commits 0000000..3333333' });
  const scoreArray = Float64Array.from(scores);
  const plan = planPatches(
    { ids: table.ids, scores: scoreArray },
    { ...DEFAULT_PLAN_OPTIONS, highThreshold: 0.5, mediumThreshold: 0.2, baseRate: 0.1 }
  );
  return { table, scores: scoreArray, plan, model: MODEL, ...(reasons ? { reasons } : {}), ...(whatIf ? { whatIf } : {}) };
}

const reason = (text: string): Reason => ({ feature: 'la', value: 1, contribution: 0.5, text });
const RISKY = scoredCommits(
  [0.03, 0.81, 0.27],
  [[reason('la = 2 (-1.8)')], [reason('la = 1,525 (+1.7)'), reason('nf = 3 (+0.3)')], [reason('la = 120 (+0.4)')]],
  [undefined, 'split into 2 commits of ≤ 800 lines → Medium', undefined]
);
const CALM = scoredCommits([0.03, 0.08, 0.05]);

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
});

describe('commit-mode table', () => {
  const text = render(RISKY, CONTEXT);
  const rows = text.split('\n').filter((line) => /^\| \d+ \| \[`/.test(line));

  it('lists every commit once, riskiest first, linked to the commit', () => {
    expect(rows.map((row) => /\[`([0-9a-f]{7})`\]\((\S+)\)/.exec(row)?.slice(1))).toEqual([
      ['2222222', 'https://github.com/acme/app/commit/2222222bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb'],
      ['3333333', 'https://github.com/acme/app/commit/3333333ccccccccccccccccccccccccccccccccc'],
      ['1111111', 'https://github.com/acme/app/commit/1111111aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa']
    ]);
  });

  it('suggests reviewers for Medium/High commits only, as plain names by default', () => {
    expect(rows[0].endsWith('| Carol, Bob &lt;bob@\u200dexample.com&gt; |')).toBe(true);
    expect(rows[1].endsWith('| 🟠 Medium | la = 120 (+0.4) | — |')).toBe(true);
    expect(rows[2].endsWith('| 🟢 Low | la = 2 (-1.8) |  |')).toBe(true);
    expect(text).not.toMatch(/@[a-z]/);
  });

  it('escapes subjects and keeps each row to its cells', () => {
    expect(rows[2]).toContain('Fix typo in @\u200doctocat &lt;b&gt;docs&lt;/b&gt; \\| #\u200d12');
    for (const row of rows) expect(row.split(/(?<!\\)\|/).length - 2).toBe(8);
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
    expect(table.columns).toEqual(['commit', 'author', 'date', 'subject', ...METRIC_COLUMNS, 'files']);
    expect(table.ids).toEqual(ROWS.map((row) => row.commit));
    expect(table.rows[1][table.columns.indexOf('files')]).toBe('lib/core.ts;src/app.ts;src/util.ts');
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
