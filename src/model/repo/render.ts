/** `train-repo` results in words: what was learnt from, the pooling choice, the gate against the default, the outcome. */
import { renderJudgement } from '../lifecycle/gate.js';
import type { TrainingPeriod } from './history.js';
import type { RepoTraining, VariantScore } from './train.js';

function count(n: number): string {
  return n.toLocaleString('en-US');
}

function day(seconds: number): string {
  return Number.isFinite(seconds) ? new Date(seconds * 1000).toISOString().slice(0, 10) : '-';
}

/** What the training period holds and what it left out. */
export function periodLines(period: TrainingPeriod): string[] {
  const h = period.history;
  const n = h.dates.length;
  const left: string[] = [];
  if (period.until !== undefined) left.push(`${count(period.afterUntil)} after --until ${day(period.until)}`);
  left.push(
    `${count(period.tooYoung)} younger than the label delay (${period.labelDelayDays} days before ${day(period.end)}, i.e. after ${day(period.labelledBefore)})`
  );
  return [
    `history: ${h.name}`,
    `training period: ${count(period.commits)} labelled commits, ${count(period.bugs)} bug-introducing (${
      n === 0 ? '-' : `${((100 * period.bugs) / n).toFixed(1)}%`
    }), ${n === 0 ? 'none' : `${day(h.dates[0])} to ${day(h.dates[n - 1])}`}`,
    `left out: ${left.join('; ')}`
  ];
}

function variantName(v: VariantScore): string {
  return v.ratio === 0 ? 'own commits only' : `pooled with ${count(v.publicRows)} public commits (${v.ratio} per own commit)`;
}

function signed(x: number): string {
  return `${x >= 0 ? '+' : ''}${x.toFixed(4)}`;
}

function variantLines(variants: VariantScore[], chosen: VariantScore): string[] {
  if (variants.length < 2) return ['pooling: not tried (own commits only)'];
  return [
    'pooling with public data, tried on the training part (fit on its older 80%, ROC-AUC on its newest 20%; pooled only when better than own commits beyond the noise):',
    ...variants.map(
      (v) =>
        `  ${v === chosen ? '*' : ' '} ${variantName(v)}: ${Number.isFinite(v.rocAuc) ? v.rocAuc.toFixed(4) : '-'}` +
        (v.vsOwn ? ` (vs own: 95% interval ${signed(v.vsOwn[0])} to ${signed(v.vsOwn[1])})` : '')
    )
  ];
}

/** The whole report of a run: period, pooling, the gate's table, the verdict. */
export function renderRepoTraining(period: TrainingPeriod, training: RepoTraining): string {
  const card = training.model.card;
  const info = card.repository;
  const notes = info
    ? [
        `PR-AUC: candidate ${info.comparison.candidate.pr_auc.toFixed(4)}, default ${info.comparison.default.pr_auc.toFixed(4)}`,
        `beats the default beyond the noise (the whole interval above 0): ${training.beatDefault ? 'yes' : 'no'}`
      ]
    : [];
  return [
    ...periodLines(period),
    ...variantLines(training.variants, training.chosen),
    `trained ${card.name} ${card.version}: ${card.training.trees} trees on ${count(card.training.rows)} commits (${count(
      training.trainRows
    )} of this repository), validated on its newest ${count(training.validationRows)}`,
    '',
    renderJudgement(training.judgement, notes).trimEnd(),
    '',
    training.decision
  ].join('\n');
}
