/**
 * The Markdown report: the PR comment, the job summary and
 * `patch-risk score --format markdown`. A pure function of the scored
 * patches; every user-written string (ids, extra columns, reasons, file and
 * model names) goes through `escapeMarkdown` so it cannot break the table,
 * inject HTML, notify people or issue workflow commands.
 */
import { describeBudget, formatPercent } from './budget.js';
import { BUCKET_ICON, escapeMarkdown, MAX_CELL, percentileCell, reasonsCell, safeUrl, tableLegend } from './markdown.js';
import { CALIBRATION_COLUMNS, MODEL_COLUMNS, PLAN_COLUMNS, REASON_COLUMNS } from './output.js';
import type { ScoredPatches } from './pipeline.js';
import { commitLink, commitTable, reviewFirstSection, type CommitRenderInfo } from './render-commits.js';
import { blockingLevel, blockingPatches, type Decision } from './decide.js';
import type { PlanTotals } from './plan.js';

/** GitHub refuses comments longer than this (characters). */
export const GITHUB_COMMENT_LIMIT = 65536;

export interface OverrideInfo {
  /** The PR label that lets a failing gate pass. */
  label: string;
  /** Who applied it, when the event says so. */
  by?: string;
}

export interface RenderContext {
  /** The patch file as the user named it (commit mode: the range, e.g. "1a2b3c4..5d6e7f8"). */
  patchesFile: string;
  /** Commit mode: the rows are mined commits (ids are hashes); renders the commit table. */
  commits?: CommitRenderInfo;
  /** What the gate decided (decide.ts); the report only shows it. */
  decision: Decision;
  /** Who applied the override label, shown when the decision is `overridden`. */
  override?: OverrideInfo;
  /** Link to the workflow run. */
  runUrl?: string;
  /** Adds the hidden marker `<!-- patch-risk-gate:KEY -->` that finds the comment again. */
  commentKey?: string;
  /** Where readers find every row when the table is cut (default: the scored CSV file). */
  fullReport?: string;
  /** Patch id column, kept out of the extra columns (default patch_id). */
  idColumn?: string;
  /** Length limit of the whole text (default GitHub's 65,536). */
  maxChars?: number;
  /** Markdown sections rendered by the library (drift warning, challenger comparison), shown after the totals. */
  sections?: string[];
}

/** Extra (non-feature) columns shown in the table. */
const MAX_EXTRA_COLUMNS = 3;
const MAX_LISTED = 20;
/** Characters of one what-if suggestion (they name the features they change, or a commit's directories and their risks). */
const MAX_SUGGESTION = 320;

export function commentMarker(key: string): string {
  return `<!-- patch-risk-gate:${key} -->`;
}

export function renderReport(result: ScoredPatches, context: RenderContext): string {
  const { decision } = context;
  const words = nouns(context);
  const head = [
    ...(context.commentKey === undefined ? [] : [commentMarker(context.commentKey)]),
    ...verdictSection(result, decision, words),
    ...(decision.outcome === 'overridden' && context.override ? overrideSection(result, decision, context.override, context) : []),
    ...totalsSection(result.plan.totals, words),
    ...calibrationSection(result),
    ...(context.commits ? reviewFirstSection(result, context.commits) : []),
    ...(context.sections ?? []).flatMap((section) => [section.trimEnd(), '']),
    ...whatIfSection(result, context),
    context.commits ? '### Commits by risk' : '### Patches by QA rank',
    ''
  ];
  const table = context.commits
    ? commitTable(result, context.commits)
    : patchTable(result, context.idColumn ?? result.table.idColumn ?? 'patch_id');
  const legend = tableLegend(result);
  const tail = ['', ...(legend ? [legend, ''] : []), ...footerSection(result, context)];
  const limit = context.maxChars ?? GITHUB_COMMENT_LIMIT;
  const join = (rows: string[], note: string[]): string => [...head, ...table.header, ...rows, ...note, ...tail].join('\n') + '\n';
  const full = join(table.rows, []);
  if (full.length <= limit) return full;
  // Keep the riskiest rows that fit, with a note on what was left out (sized for the longest count).
  const fixed = join([], []).length + 2 + cutNote(table.rows.length, 0, context).length;
  let used = fixed;
  let kept = 0;
  while (kept < table.rows.length && used + table.rows[kept].length + 1 <= limit) used += table.rows[kept++].length + 1;
  return join(table.rows.slice(0, kept), ['', cutNote(table.rows.length, kept, context)]);
}

function cutNote(total: number, kept: number, context: RenderContext): string {
  const where = escapeMarkdown(context.fullReport ?? 'the scored CSV file');
  const run = context.runUrl ? ` ([workflow run](${safeUrl(context.runUrl)}))` : '';
  return (
    `> **${total - kept} of ${total} rows left out** (the lowest-risk ones) to stay under the ` +
    `${(context.maxChars ?? GITHUB_COMMENT_LIMIT).toLocaleString('en-US')}-character limit. The full report is in ${where}${run}.`
  );
}

interface Nouns {
  one: string;
  many: string;
  title: string;
}

function nouns(context: RenderContext): Nouns {
  return context.commits ? { one: 'commit', many: 'commits', title: 'Commits' } : { one: 'patch', many: 'patches', title: 'Patches' };
}

/** How a row is named in lists: a linked short hash in commit mode. */
function rowLabel(id: string, context: RenderContext): string {
  return context.commits ? commitLink(id, context.commits) : escapeMarkdown(id, MAX_CELL);
}

function verdictSection(result: ScoredPatches, decision: Decision, words: Nouns): string[] {
  const { totals } = result.plan;
  const level = blockingLevel(decision);
  const reached = decision.reached;
  const count = `${reached} of ${totals.patches} ${plural(totals.patches, words.one, words.many)}`;
  const are = reached === 1 ? 'is' : 'are';
  const failOnText = `fail-on: \`${decision.failOn}\``;
  switch (decision.outcome) {
    case 'pass':
      return ['## ✅ Patch risk gate: PASS', '', `No ${words.one} is ${level} risk (${failOnText}).`, ''];
    case 'overridden':
      return [
        '## ⚠️ Patch risk gate: OVERRIDDEN',
        '',
        `**${count} ${are} ${level} risk**, but the override label let the gate pass (${failOnText}).`,
        ''
      ];
    case 'fail':
      if (!decision.failsCheck) {
        // Advisory mode (fail-on: never): say what will happen, never "FAIL".
        return [
          `## ⚠️ Patch risk gate: ${reached} ${level} — advisory, the check passes`,
          '',
          `**${count} ${are} ${level} risk** (${failOnText}): reported only, the check stays green.`,
          ''
        ];
      }
      return ['## 🚨 Patch risk gate: FAIL', '', `**${count} ${are} ${level} risk** (${failOnText}). The check fails.`, ''];
  }
}

function overrideSection(result: ScoredPatches, decision: Decision, override: OverrideInfo, context: RenderContext): string[] {
  const through = blockingPatches(result.plan.patches, result.plan.byRank, decision);
  const by = override.by ? ` (applied by ${escapeMarkdown(override.by, MAX_CELL)})` : '';
  const listed = through
    .slice(0, MAX_LISTED)
    .map((patch) => `- ${rowLabel(patch.id, context)}: risk ${patch.risk_score.toFixed(3)}, ${patch.risk_bucket}`);
  const more = through.length > MAX_LISTED ? [`- … and ${through.length - MAX_LISTED} more (see the scored file)`] : [];
  return [
    '### Override audit',
    '',
    `The label **${escapeMarkdown(override.label, MAX_CELL)}**${by} turned a failing gate into a pass. ${nouns(context).title} it let through:`,
    '',
    ...listed,
    ...more,
    ''
  ];
}

/** For High patches whose risk a smaller change would lower: what change (riskiest first). */
function whatIfSection(result: ScoredPatches, context: RenderContext): string[] {
  const suggestions = result.plan.byRank
    .filter((index) => result.whatIf?.[index] !== undefined)
    .map(
      (index) => `- ${rowLabel(result.plan.patches[index].id, context)}: ${escapeMarkdown(result.whatIf?.[index] ?? '', MAX_SUGGESTION)}`
    );
  if (suggestions.length === 0) return [];
  const listed = suggestions.slice(0, MAX_LISTED);
  const more = suggestions.length > MAX_LISTED ? [`- … and ${suggestions.length - MAX_LISTED} more`] : [];
  return ['### What would lower the risk', '', ...listed, ...more, ''];
}

function totalsSection(totals: PlanTotals, words: Nouns): string[] {
  return [
    `| ${words.title} | 🔴 High | 🟠 Medium | 🟢 Low | Max risk | Expected regressions |`,
    '|---:|---:|---:|---:|---:|---:|',
    `| ${totals.patches} | ${totals.high} | ${totals.medium} | ${totals.low} | ${totals.max_risk.toFixed(3)} | ${totals.expected_regressions.toFixed(2)} |`,
    ''
  ];
}

/** How strict the check is here: the alert budget in use, or why it is not. */
function calibrationSection(result: ScoredPatches): string[] {
  const calibration = result.calibration;
  if (!calibration) return [];
  const budget = describeBudget(calibration);
  if (budget) return [`**Alert budget:** ${escapeMarkdown(budget)}.`, ''];
  if (!calibration.note) return [];
  const note = calibration.note.charAt(0).toUpperCase() + calibration.note.slice(1);
  return [`**Alert budget not applied:** ${escapeMarkdown(note)}.`, ''];
}

/** "High ≥ 0.412, Medium ≥ 0.231 (alert budget, 5% and 20% of …)" — the thresholds in use and where they came from. */
function thresholdsText(result: ScoredPatches): string {
  const { high, medium } = result.plan.thresholds;
  const calibration = result.calibration;
  const plain = `High ≥ ${high}, Medium ≥ ${medium}`;
  if (!calibration) return plain;
  if (calibration.origin === 'budget' && calibration.budget) {
    const shares = `${formatPercent(calibration.budget.alert)} and ${formatPercent(calibration.budget.medium)}`;
    return `${plain} (alert budget: the riskiest ${shares} of ${escapeMarkdown(calibration.reference?.label ?? 'the reference')})`;
  }
  if (calibration.origin === 'threshold') return `High ≥ ${high} (set explicitly), Medium ≥ ${medium} (the model card's)`;
  return `${plain} (the model card's)`;
}

/** Columns a user added beyond the features and the id (first few only). */
function extraColumns(result: ScoredPatches, idColumn: string): number[] {
  const known = new Set<string>([
    ...result.table.featureNames,
    idColumn,
    ...PLAN_COLUMNS,
    ...REASON_COLUMNS,
    ...MODEL_COLUMNS,
    ...CALIBRATION_COLUMNS
  ]);
  return result.table.columns
    .map((name, i) => ({ name, i }))
    .filter(({ name }) => name !== '' && !known.has(name))
    .slice(0, MAX_EXTRA_COLUMNS)
    .map(({ i }) => i);
}

function patchTable(result: ScoredPatches, idColumn: string): { header: string[]; rows: string[] } {
  const extras = extraColumns(result, idColumn);
  const withReasons = result.reasons !== undefined;
  const percentiles = result.calibration?.percentiles;
  const names = [
    '#',
    'Patch',
    ...extras.map((i) => escapeMarkdown(result.table.columns[i], MAX_CELL)),
    'Risk',
    'Bucket',
    ...(percentiles ? ['Riskier than'] : []),
    'QA hours',
    'Monitoring',
    ...(withReasons ? ['Top reasons'] : [])
  ];
  const aligns = [
    '---:',
    '---',
    ...extras.map(() => '---'),
    '---:',
    '---',
    ...(percentiles ? ['---:'] : []),
    '---:',
    '---',
    ...(withReasons ? ['---'] : [])
  ];
  const rows = result.plan.byRank.map((index) => {
    const patch = result.plan.patches[index];
    const cells = [
      String(patch.qa_rank),
      escapeMarkdown(patch.id, MAX_CELL),
      ...extras.map((i) => escapeMarkdown(result.table.rows[index][i] ?? '', MAX_CELL)),
      patch.risk_score.toFixed(3),
      `${BUCKET_ICON[patch.risk_bucket]} ${patch.risk_bucket}`,
      ...(percentiles ? [percentileCell(percentiles[index])] : []),
      patch.qa_hours.toFixed(1),
      patch.monitoring_tier.replace(/ Monitoring$/, ''),
      ...(withReasons ? [reasonsCell(result, index)] : [])
    ];
    return `| ${cells.join(' | ')} |`;
  });
  return { header: [`| ${names.join(' | ')} |`, `|${aligns.join('|')}|`], rows };
}

function footerSection(result: ScoredPatches, context: RenderContext): string[] {
  const { totals } = result.plan;
  const model = result.model;
  const run = context.runUrl ? ` · [Workflow run](${safeUrl(context.runUrl)})` : '';
  // QA hours and fleet monitoring tiers are firmware notions: commit mode has "Review first" instead.
  const plan = context.commits
    ? []
    : [
        `**QA plan:** ${totals.qa_hours.toFixed(1)} of ${totals.qa_capacity_hours} QA hours allocated by risk. ` +
          `**Monitoring:** ${totals.immediate} Immediate, ${totals.enhanced} Enhanced, ${totals.standard} Standard.`,
        ''
      ];
  const here = model.repository;
  const validation = here
    ? `trained on this repository: validation ROC AUC ${here.roc_auc.toFixed(3)} on its newest ${here.validation_rows.toLocaleString('en-US')} labelled commits, ` +
      `where the default ${escapeMarkdown(here.default_model, MAX_CELL)} scored ${here.default_roc_auc.toFixed(3)}.`
    : `validation ROC AUC ${model.roc_auc.toFixed(3)}, F1 ${model.f1.toFixed(3)}, trained on ${model.trained_rows.toLocaleString('en-US')} rows.`;
  return [
    ...plan,
    `**Model:** ${escapeMarkdown(model.name, MAX_CELL)} ${escapeMarkdown(model.version, MAX_CELL)} ` +
      `(sha256 ${model.sha256.slice(0, 12)}): ${thresholdsText(result)}; ${validation}`,
    '',
    `${nouns(context).title}: ${escapeMarkdown(context.patchesFile, 200)}${run}`
  ];
}

function plural(n: number, one: string, many: string): string {
  return n === 1 ? one : many;
}
