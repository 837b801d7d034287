/** Reasons a reviewer understands: the schema's phrases and units, and which reasons a row shows. */
import {
  DEPLOYMENT_SCHEMA,
  featureDisplay,
  FIRMWARE_SCHEMA,
  JIT_SCHEMA,
  reasonsSentence,
  reasonsText,
  shownReasons,
  strengthArrows,
  type Reason,
  type RowValues
} from '../../src/index.js';
import { formatDays, hasPhrase, ordinal } from '../../src/core/schema.js';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

const none: RowValues = () => undefined;
const phrase = (name: string, value: number, row: RowValues = none): string => featureDisplay(name).phrase(value, row);

describe('feature phrases', () => {
  it('every feature of every shipped card and built-in schema has a phrase and a unit of its own', () => {
    const cards = readdirSync('models').flatMap((name) =>
      readdirSync(path.join('models', name))
        .filter((file) => file.endsWith('.card.json'))
        .map((file) => JSON.parse(readFileSync(path.join('models', name, file), 'utf8')) as { features: { name: string }[] })
    );
    const names = [
      ...cards.flatMap((card) => card.features),
      ...[FIRMWARE_SCHEMA, JIT_SCHEMA, DEPLOYMENT_SCHEMA].flatMap((s) => s.features)
    ].map((feature) => feature.name);
    expect(names.length).toBeGreaterThan(20);
    for (const name of names) {
      expect(hasPhrase(name)).toBe(true);
      expect(typeof featureDisplay(name).unit).toBe('string');
    }
  });

  it('reads commit metrics in plain words', () => {
    expect(phrase('la', 1701)).toBe('1,701 lines added');
    expect(phrase('la', 1)).toBe('1 line added');
    expect(phrase('ld', 12)).toBe('12 lines deleted');
    expect(phrase('nf', 12)).toBe('12 files');
    expect(phrase('nf', 1)).toBe('1 file');
    expect(phrase('nd', 4)).toBe('in 4 directories');
    expect(phrase('ns', 1)).toBe('in 1 top-level directory');
    expect(phrase('ndev', 23)).toBe('files touched by 23 developers before');
    expect(phrase('age', 2)).toBe('files last changed 2 days ago (average)');
    expect(phrase('age', 0.2)).toBe('files last changed 5 hours ago (average)');
    expect(phrase('age', 400)).toBe('files last changed 13 months ago (average)');
    expect(phrase('exp', 3)).toBe("author's 3rd commit here");
    expect(phrase('exp', 0)).toBe("author's first commit here");
    expect(phrase('sexp', 3)).toBe("author's 3rd commit in this subsystem");
    expect(phrase('fix', 1)).toBe('a bug fix');
    expect(phrase('fix', 0)).toBe('not a bug fix');
    expect(phrase('nuc', 37)).toBe('files changed 37 times before');
    expect(phrase('lt', 1234)).toBe('1,234 lines in the touched files before');
  });

  it('reads the entropy against the number of files', () => {
    const files =
      (n: number): RowValues =>
      (name) =>
        name === 'nf' ? n : undefined;
    expect(phrase('entropy', 2, files(4))).toBe('change spread evenly over its 4 files');
    expect(phrase('entropy', 1, files(4))).toBe('change spread unevenly over its 4 files');
    expect(phrase('entropy', 0.2, files(4))).toBe('change mostly in one of its 4 files');
    expect(phrase('entropy', 0, files(1))).toBe('change in a single file');
    expect(phrase('entropy', 1.5)).toBe('change spread over its files (entropy 1.5 bits)');
  });

  it('reads firmware and deployment features in plain words', () => {
    expect(phrase('lines_changed', 3832)).toBe('3,832 lines changed');
    expect(phrase('files_changed', 16)).toBe('16 files changed');
    expect(phrase('is_hotfix', 1)).toBe('hotfix');
    expect(phrase('is_hotfix', 0)).toBe('not a hotfix');
    expect(phrase('patch_security', 1)).toBe('security patch');
    expect(phrase('code_churn_score', Math.fround(0.874))).toBe('churn score 0.87 (high)');
    expect(phrase('code_churn_score', 0.1)).toBe('churn score 0.10 (low)');
    expect(phrase('patch_size_mb', Math.fround(11.33))).toBe('11.33 MB patch image');
    expect(phrase('avg_device_age_days', 1213.3)).toBe('devices 3.3 years old (average)');
    expect(phrase('error_rate', 0.0234)).toBe('2.34% of requests failed');
    expect(phrase('latency_ms', 350)).toBe('p95 latency 350 ms');
    expect(phrase('cpu_usage', 74)).toBe('CPU at 74%');
  });

  it('reads an unknown feature with its card unit', () => {
    expect(featureDisplay({ name: 'widgets', type: 'number', unit: 'widgets' }).phrase(3.5, none)).toBe('widgets = 3.5 widgets');
    expect(featureDisplay({ name: 'flag', type: 'boolean' }).phrase(1, none)).toBe('flag = yes');
    expect(featureDisplay('plain').unit).toBe('');
  });

  it('formats ordinals and spans of days', () => {
    expect([1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101, 111, 1225].map(ordinal)).toEqual([
      '1st',
      '2nd',
      '3rd',
      '4th',
      '11th',
      '12th',
      '13th',
      '21st',
      '22nd',
      '23rd',
      '101st',
      '111th',
      '1,225th'
    ]);
    expect([0, 0.01, 0.5, 1, 59, 61, 800].map(formatDays)).toEqual([
      'less than an hour',
      'less than an hour',
      '12 hours',
      '1 day',
      '59 days',
      '2 months',
      '2.2 years'
    ]);
  });
});

describe('shownReasons', () => {
  const reason = (feature: string, value: number, contribution: number): Reason => ({ feature, value, contribution, text: '' });
  const reasons = [
    reason('la', 1701, 1.4),
    reason('fix', 0, -0.6),
    reason('nf', 12, 0.5),
    reason('nuc', 3, -0.2),
    reason('ndev', 23, 0.1),
    reason('age', 2, 0.05)
  ];

  it('lists only what raises the risk of a Medium/High row, strongest first, at most three', () => {
    for (const bucket of ['High', 'Medium'] as const) {
      const shown = shownReasons(reasons, bucket, none);
      expect(shown.map((r) => [r.feature, r.strength])).toEqual([
        ['la', '▲▲▲'],
        ['nf', '▲▲'],
        ['ndev', '▲']
      ]);
      expect(shown[0]).toEqual({ feature: 'la', value: 1701, shap: 1.4, phrase: '1,701 lines added', strength: '▲▲▲' });
    }
    expect(reasonsText(shownReasons(reasons, 'High', none))).toBe(
      '1,701 lines added ▲▲▲; 12 files ▲▲; files touched by 23 developers before ▲'
    );
    expect(reasonsSentence(shownReasons(reasons, 'High', none))).toBe(
      '1,701 lines added, 12 files and files touched by 23 developers before'
    );
  });

  it('shows a Low row the one factor that lowers its risk most, or nothing', () => {
    expect(shownReasons(reasons, 'Low', none).map((r) => [r.phrase, r.strength])).toEqual([['not a bug fix', '▼▼']]);
    expect(shownReasons([reason('la', 5, 0.2)], 'Low', none)).toEqual([]);
    expect(shownReasons(undefined, 'High', none)).toEqual([]);
  });

  it('grades strength without log-odds', () => {
    expect([1.2, 1, 0.5, 0.3, 0.1, -0.1, -0.4, -2].map(strengthArrows)).toEqual(['▲▲▲', '▲▲▲', '▲▲', '▲▲', '▲', '▼', '▼▼', '▼▼▼']);
  });
});
