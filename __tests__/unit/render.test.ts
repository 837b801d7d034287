import {
  DEFAULT_PLAN_OPTIONS,
  escapeMarkdown,
  decide,
  type FailOn,
  planPatches,
  renderReport,
  type ModelSummary,
  reasonsOfRow,
  runGate,
  type PatchTable,
  type RenderContext,
  type ScoredPatches
} from '../../src/index.js';
import { expectGolden } from '../helpers/golden.js';
import { shippedModel } from '../helpers/shipped-model.js';

const MODEL: ModelSummary = {
  name: 'firmware',
  version: 'v001',
  sha256: 'a'.repeat(12) + 'b'.repeat(52),
  threshold: 0.5,
  medium_threshold: 0.2,
  trained_rows: 20000,
  roc_auc: 0.8765,
  f1: 0.6123,
  created_at: '2025-01-01T00:00:00Z'
};

const FEATURES = ['code_churn_score', 'lines_changed', 'avg_device_age_days'];

/** A hand-built result without reasons (for layout tests): ids, extra columns and scores as given, planned with the real planner. */
function scored(rows: { id: string; score: number; component?: string; age?: number }[]): ScoredPatches {
  const columns = ['patch_id', 'code_churn_score', 'lines_changed', 'avg_device_age_days', 'component'];
  const table: PatchTable = {
    file: 'patches.csv',
    columns,
    rows: rows.map((row) => [row.id, '0.5', '100', String(row.age ?? 100), row.component ?? 'core']),
    lines: Int32Array.from(rows.map((_, i) => i + 2)),
    ids: rows.map((row) => row.id),
    idColumn: 'patch_id',
    featureNames: FEATURES,
    features: new Float32Array(rows.length * FEATURES.length)
  };
  const scores = Float64Array.from(rows.map((row) => row.score));
  const plan = planPatches(
    { ids: table.ids, scores, fleetAgeDays: Float64Array.from(rows.map((row) => row.age ?? 100)) },
    { ...DEFAULT_PLAN_OPTIONS, highThreshold: 0.5, mediumThreshold: 0.2, baseRate: 0.1 }
  );
  return { table, scores, plan, model: MODEL };
}

/** Patches scored, explained and advised by the shipped firmware model, through the gate's own path. */
async function shippedResult(csv: string): Promise<ScoredPatches> {
  const run = await runGate({ kind: 'text', text: csv, format: 'csv', name: 'patches.csv' }, { model: await shippedModel('firmware') });
  return run.scored as ScoredPatches;
}

const HEADER = 'patch_id,component,code_churn_score,patch_size_mb,lines_changed,files_changed,avg_device_age_days,is_hotfix,patch_security';
/**
 * FW-101: High, and splitting it lowers the total risk (advice shown); FW-2043: High, but the only split that brings
 * it below High raises the total (0.335 → 2 x 0.280), so no advice (issue 15, item 6); FW-2044: Medium; FW-2053: Low.
 */
let MIXED: ScoredPatches;
let CALM: ScoredPatches;
beforeAll(async () => {
  MIXED = await shippedResult(
    [
      HEADER,
      'FW-101,bootloader,0.389,0.85,432,3,464.7,1,0',
      'FW-2043,power-mgmt,0.565,5.89,1894,7,126,0,0',
      'FW-2044,ota-updater,0.568,0.4,161,2,255.2,0,1',
      'FW-2053,docs-build,0.089,0.24,12,1,920.5,0,0'
    ].join('\n')
  );
  CALM = await shippedResult(
    [HEADER, 'FW-2049,ui-strings,0.32,0.25,38,1,725.8,0,0', 'FW-2048,logging,0.343,0.82,114,3,404.9,0,0'].join('\n')
  );
});

/** The report for a result, with the gate's decision made as the front ends make it (fail-on, override label). */
function render(result: ScoredPatches, context: Omit<RenderContext, 'decision'> & { failOn?: FailOn }): string {
  const { failOn, ...rest } = context;
  return renderReport(result, { ...rest, decision: decide(result.plan.totals, failOn ?? 'high', context.override !== undefined) });
}
const CONTEXT = {
  patchesFile: 'examples/patches.csv',
  runUrl: 'https://github.com/acme/fw/actions/runs/42',
  commentKey: 'default'
};

describe('renderReport golden files', () => {
  it('pass', () => expectGolden('pass.md', render(CALM, CONTEXT)));
  it('fail with reasons and an extra column', () => expectGolden('fail.md', render(MIXED, CONTEXT)));
  it('fail-on medium', () => expectGolden('fail-medium.md', render(MIXED, { ...CONTEXT, failOn: 'medium' })));
  it('fail-on never reports without failing', () => expectGolden('never.md', render(MIXED, { ...CONTEXT, failOn: 'never' })));
  it('overridden, with the audit', () =>
    expectGolden('overridden.md', render(MIXED, { ...CONTEXT, override: { label: 'risk-accepted', by: 'release-manager' } })));
  it('the CLI form: no marker, no run link', () => expectGolden('cli.md', render(MIXED, { patchesFile: 'patches.csv' })));
  it('cut to the limit', () =>
    expectGolden('cut.md', render(MIXED, { ...CONTEXT, maxChars: render(MIXED, CONTEXT).length - 1, fullReport: 'the job summary' })));
});

describe('renderReport', () => {
  it('sorts the table by QA rank and shows only the marker of its key', () => {
    const text = render(MIXED, { ...CONTEXT, commentKey: 'nightly' });
    const ids = [...text.matchAll(/^\| \d+ \| (FW-\d+) \|/gm)].map((match) => match[1]);
    expect(ids).toEqual(['FW-101', 'FW-2043', 'FW-2044', 'FW-2053']);
    expect(MIXED.plan.patches.map((patch) => patch.risk_bucket)).toEqual(['High', 'High', 'Medium', 'Low']);
    expect(text.startsWith('<!-- patch-risk-gate:nightly -->\n')).toBe(true);
  });

  it('shows the override only when the gate would fail', () => {
    expect(render(CALM, { ...CONTEXT, override: { label: 'risk-accepted' } })).not.toContain('Override');
    expect(decide(CALM.plan.totals, 'high', true).outcome).toBe('pass');
    expect(decide(MIXED.plan.totals, 'high', true).outcome).toBe('overridden');
    expect(decide(MIXED.plan.totals, 'never', false).outcome).toBe('fail');
    expect(decide(MIXED.plan.totals, 'never', false).failsCheck).toBe(false);
  });

  it('keeps the riskiest rows within the limit and says how many were left out', () => {
    const many = scored(
      Array.from({ length: 3000 }, (_, i) => ({ id: `PATCH-${String(i).padStart(5, '0')}-${'x'.repeat(40)}`, score: (i % 997) / 997 }))
    );
    const text = render(many, CONTEXT);
    expect(text.length).toBeLessThanOrEqual(65536);
    const ranks = [...text.matchAll(/^\| (\d+) \| PATCH-/gm)].map((match) => Number(match[1]));
    expect(ranks[0]).toBe(1);
    expect(ranks).toEqual(ranks.map((_, i) => i + 1));
    expect(text).toContain(`**${3000 - ranks.length} of 3000 rows left out**`);
    expect(text).toContain('[workflow run](https://github.com/acme/fw/actions/runs/42)');
    // Nearly full: one more row would not have fitted.
    expect(text.length).toBeGreaterThan(65536 - 200);
  });

  it('keeps everything when it fits', () => {
    expect(render(MIXED, CONTEXT)).not.toContain('left out');
  });
});

describe('reasons and advice from the shipped model', () => {
  const rowOf = (text: string, id: string): string => text.split('\n').find((line) => line.includes(`| ${id} |`)) ?? '';

  it('lists only risk-raising factors for Medium/High rows, strongest first, in plain phrases', () => {
    const text = render(MIXED, CONTEXT);
    for (const id of ['FW-101', 'FW-2043', 'FW-2044']) {
      const cell = rowOf(text, id).split(' | ').at(-1) ?? '';
      const factors = cell.replace(/ \|$/, '').split('; ');
      expect(factors.length).toBeGreaterThan(0);
      expect(factors.length).toBeLessThanOrEqual(3);
      for (const factor of factors) expect(factor).toMatch(/ ▲{1,3}$/);
      expect(cell).not.toMatch(/[a-z]+_[a-z]+ = |\(\+\d/);
      const index = MIXED.table.ids.indexOf(id);
      const shown = reasonsOfRow(MIXED, index).map((reason) => reason.shap);
      expect(shown).toEqual([...shown].sort((a, b) => b - a));
      const raising = (MIXED.reasons?.[index] ?? []).filter((reason) => reason.contribution > 0);
      expect(factors).toHaveLength(Math.min(3, raising.length));
    }
    expect(rowOf(text, 'FW-101')).toContain('hotfix ▲');
    // A Low row shows the one factor that lowers its risk most.
    expect(rowOf(text, 'FW-2053')).toMatch(/\| 12 lines changed ▼+ \|$/);
    expect(text).toContain('\n▲ raises the risk, ▼ lowers it: ▲▲▲ strongly');
  });

  it('advises a split only when it lowers the total expected regressions and every part is below High', () => {
    const text = render(MIXED, CONTEXT);
    expect(text).toMatch(
      /^- FW-101: split into \d+ patches of ≤ [\d,]+ lines → (Low|Medium) each \(expected regressions 0\.\d\d → 0\.\d\d\)$/m
    );
    // FW-2043 (0.335): two halves score 0.280 each, below High but 0.56 in total: no advice at all.
    expect(text).not.toMatch(/^- FW-2043/m);
    expect(MIXED.whatIf?.[MIXED.table.ids.indexOf('FW-2043')]).toBeUndefined();
  });
});

describe('escapeMarkdown', () => {
  const hostile = '@octocat <img src=x> #1 | x';

  it('leaves no HTML, mention, issue reference or table pipe', () => {
    const text = escapeMarkdown(hostile);
    expect(text).not.toMatch(/</);
    expect(text).not.toMatch(/@\w/);
    expect(text).not.toMatch(/#\d/);
    expect(text).not.toMatch(/(^|[^\\])\|/);
    expect(text).toBe('@\u200doctocat &lt;img src=x&gt; #\u200d1 \\| x');
  });

  it('keeps a hostile id on one table row with the right number of cells', () => {
    const text = render(scored([{ id: hostile, score: 0.9, component: 'a|b\n::error::x' }]), CONTEXT);
    const row = text.split('\n').find((line) => line.startsWith('| 1 | @')) as string;
    expect(row).toContain('\\| x');
    expect(row.split(/(?<!\\)\|/).length).toBe(
      text
        .split('\n')
        .find((line) => line.startsWith('| # |'))
        ?.split('|').length
    );
    expect(text).not.toContain('<img');
    expect(text).not.toMatch(/^::/m);
    expect(text).not.toContain('::error');
  });

  it('breaks workflow commands, links, GH- references and bidi overrides, and truncates', () => {
    expect(escapeMarkdown('::set-output name=x::y')).toBe(':\u200d:set-output name=x:\u200d:y');
    expect(escapeMarkdown('see https://github.com/o/r/issues/1')).toBe('see https:\u200d//github.com/o/r/issues/1');
    expect(escapeMarkdown('GH-12 gh-3')).toBe('G\u200dH-12 g\u200dh-3');
    expect(escapeMarkdown('a\u202eb\nc\td')).toBe('ab c d');
    expect(escapeMarkdown('**bold** `code` [link](x) ~~s~~ _i_ \\')).toBe(
      '\\*\\*bold\\*\\* \\`code\\` \\[link\\](x) \\~\\~s\\~\\~ \\_i\\_ \\\\'
    );
    expect(escapeMarkdown('abcdefghij', 5)).toBe('abcd…');
  });
});
