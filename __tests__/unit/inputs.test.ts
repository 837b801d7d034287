import { readFileSync } from 'node:fs';
import path from 'node:path';
import { INPUT_NAMES, ignorePatterns, parseInputs } from '../../src/action/inputs.js';
import { DEFAULT_IGNORE } from '../../src/git/ignore.js';
import { unsupportedPlatform } from '../../src/action/platform.js';

const dirs = { workspace: '/ws', runnerTemp: '/tmp/runner' };

/** `name: default` pairs of a top-level section of action.yml (inputs or outputs). */
function actionYmlSection(section: 'inputs' | 'outputs'): Map<string, string | undefined> {
  const text = readFileSync(path.resolve('action.yml'), 'utf8');
  const body = text.slice(text.indexOf(`\n${section}:\n`) + section.length + 3).split(/\n(?=\S)/)[0];
  const entries = new Map<string, string | undefined>();
  for (const block of body.split(/\n(?= {2}[a-z-]+:\n)/)) {
    const name = /^ {2}([a-z-]+):/.exec(block)?.[1];
    if (name) entries.set(name, /\n {4}default: '([^']*)'/.exec(block)?.[1]);
  }
  return entries;
}

describe('parseInputs', () => {
  it('fills every default', () => {
    expect(parseInputs({ patches: 'p.csv' }, dirs)).toEqual({
      patches: 'p.csv',
      model: 'auto',
      threshold: undefined,
      failOn: 'high',
      comment: 'always',
      commentKey: 'default',
      qaCapacityHours: 40,
      idColumn: 'patch_id',
      scoredFile: '/tmp/runner/patch-risk-gate/default.scored.csv',
      reportFile: '/tmp/runner/patch-risk-gate/default.report.json',
      outputRoot: '/tmp/runner',
      overrideLabel: 'risk-accepted',
      token: undefined,
      ignorePaths: [...DEFAULT_IGNORE],
      mentionReviewers: false,
      riskLabel: true,
      repoModel: '.patch-risk/model',
      historyCache: true
    });
  });

  it('reads the alert budget, the reference of a patches file and risk-label', () => {
    expect(parseInputs({ 'alert-budget': '2.5', 'medium-budget': '10' }, dirs)).toMatchObject({ alertBudget: 2.5, mediumBudget: 10 });
    expect(parseInputs({ patches: 'p.csv', 'alert-budget': '5', reference: 'past/p.csv' }, dirs)).toMatchObject({
      alertBudget: 5,
      reference: 'past/p.csv'
    });
    expect(parseInputs({ 'risk-label': 'False' }, dirs).riskLabel).toBe(false);
    expect(parseInputs({}, dirs).alertBudget).toBeUndefined();
  });

  it('refuses budgets out of range and budget inputs that do not fit the mode', () => {
    expect(() => parseInputs({ 'alert-budget': '0' }, dirs)).toThrow('invalid input: alert-budget must be a percentage between 0 and 100');
    expect(() => parseInputs({ 'alert-budget': '100' }, dirs)).toThrow('alert-budget must be a percentage between 0 and 100');
    expect(() => parseInputs({ 'alert-budget': 'five' }, dirs)).toThrow('alert-budget must be a number');
    expect(() => parseInputs({ 'alert-budget': '10', 'medium-budget': '5' }, dirs)).toThrow(
      'medium-budget must be at least alert-budget: it counts Medium and High together'
    );
    expect(() => parseInputs({ patches: 'p.csv', 'alert-budget': '5' }, dirs)).toThrow(
      'alert-budget on a patches file needs reference: a file of past patches to set the thresholds on'
    );
    expect(() => parseInputs({ reference: 'past.csv' }, dirs)).toThrow('reference is for a patches file');
    expect(() => parseInputs({ patches: 'p.csv', reference: '../past.csv' }, dirs)).toThrow(
      'reference must be a path inside the workspace'
    );
    expect(() => parseInputs({ 'risk-label': 'yes' }, dirs)).toThrow('invalid input: risk-label must be true or false');
  });

  it('an empty patches input is commit mode', () => {
    expect(parseInputs({ patches: '  ' }, dirs).patches).toBeUndefined();
    expect(parseInputs({}, dirs).patches).toBeUndefined();
  });

  it('reads ignore-paths as newline- or comma-separated globs, with "defaults" and "none"', () => {
    expect(ignorePatterns(undefined)).toEqual([...DEFAULT_IGNORE]);
    expect(ignorePatterns('docs/\n *.snap , /generated/')).toEqual(['docs/', '*.snap', '/generated/']);
    expect(ignorePatterns('defaults, docs/')).toEqual([...DEFAULT_IGNORE, 'docs/']);
    expect(ignorePatterns('none')).toEqual([]);
    expect(parseInputs({ 'ignore-paths': '*.lock\n\nvendor/' }, dirs).ignorePaths).toEqual(['*.lock', 'vendor/']);
  });

  it('reads mention-reviewers as true or false', () => {
    expect(parseInputs({ 'mention-reviewers': 'TRUE' }, dirs).mentionReviewers).toBe(true);
    expect(parseInputs({ 'mention-reviewers': 'false' }, dirs).mentionReviewers).toBe(false);
    expect(() => parseInputs({ 'mention-reviewers': 'yes' }, dirs)).toThrow('invalid input: mention-reviewers must be true or false');
  });

  it('treats blank inputs (as the runner passes them) as defaults and resolves paths in the workspace', () => {
    const inputs = parseInputs(
      {
        patches: ' p.csv ',
        model: '',
        'comment-key': 'nightly',
        'scored-file': 'out/s.csv',
        threshold: '0.3',
        'qa-capacity-hours': '12.5'
      },
      { workspace: '/ws' }
    );
    expect(inputs).toMatchObject({ patches: 'p.csv', model: 'auto', commentKey: 'nightly', threshold: 0.3, qaCapacityHours: 12.5 });
    expect(inputs.scoredFile).toBe('/ws/out/s.csv');
    expect(inputs.reportFile).toBe('/ws/out/s.report.json');
    // A scored-file the workflow names is confined to the workspace; the default to RUNNER_TEMP, or the workspace without one.
    expect(inputs.outputRoot).toBe('/ws');
    expect(parseInputs({ patches: 'p.csv', 'scored-file': 'out/s.csv' }, dirs).outputRoot).toBe('/ws');
    expect(parseInputs({ patches: 'p.csv' }, { workspace: '/ws' }).scoredFile).toBe('/ws/.patch-risk-gate/default.scored.csv');
    expect(parseInputs({ patches: 'p.csv' }, { workspace: '/ws' }).outputRoot).toBe('/ws');
  });

  it('reads numbers as the CLI and the service do: decimals and exponents, never hex, Infinity or NaN', () => {
    expect(parseInputs({ threshold: '1e-1', 'qa-capacity-hours': ' 12.5 ' }, dirs)).toMatchObject({
      threshold: 0.1,
      qaCapacityHours: 12.5
    });
    for (const bad of ['0x1', 'Infinity', 'NaN', '1,5', '0b1', '.']) {
      expect(() => parseInputs({ threshold: bad }, dirs)).toThrow('invalid input: threshold must be a number');
    }
  });

  it('names every bad input at once', () => {
    expect(() =>
      parseInputs(
        { patches: '', threshold: '1.5', 'fail-on': 'low', comment: 'sometimes', 'comment-key': 'a -->', 'qa-capacity-hours': 'ten' },
        dirs
      )
    ).toThrow(
      'invalid input: threshold must be between 0 and 1; ' +
        'fail-on must be high, medium or never; comment must be always, on-risk or never; ' +
        'comment-key must be 1-64 letters, digits, ".", "_" or "-"; qa-capacity-hours must be a number'
    );
  });
});

describe('history-cache', () => {
  it('is on by default, takes true or false in any case, and names a bad value', () => {
    expect(parseInputs({ patches: '' }, dirs).historyCache).toBe(true);
    expect(parseInputs({ patches: '', 'history-cache': ' FALSE ' }, dirs).historyCache).toBe(false);
    expect(parseInputs({ patches: '', 'history-cache': 'true' }, dirs).historyCache).toBe(true);
    expect(() => parseInputs({ patches: '', 'history-cache': 'off' }, dirs)).toThrow('invalid input: history-cache must be true or false');
  });
});

describe('action.yml', () => {
  it('declares exactly the inputs the action reads, with the same defaults', () => {
    const declared = actionYmlSection('inputs');
    expect([...declared.keys()].sort()).toEqual([...INPUT_NAMES].sort());
    const defaults = parseInputs({ patches: 'p.csv' }, dirs);
    expect(declared.get('model')).toBe(defaults.model);
    expect(declared.get('fail-on')).toBe(defaults.failOn);
    expect(declared.get('comment')).toBe(defaults.comment);
    expect(declared.get('comment-key')).toBe(defaults.commentKey);
    expect(declared.get('qa-capacity-hours')).toBe(String(defaults.qaCapacityHours));
    expect(declared.get('id-column')).toBe(defaults.idColumn);
    expect(declared.get('override-label')).toBe(defaults.overrideLabel);
    expect(declared.get('github-token')).toBe('${{ github.token }}');
    expect(declared.get('mention-reviewers')).toBe(String(defaults.mentionReviewers));
    expect(declared.get('risk-label')).toBe(String(defaults.riskLabel));
    expect(declared.get('history-cache')).toBe(String(defaults.historyCache));
    for (const name of ['alert-budget', 'medium-budget', 'reference']) expect(declared.get(name)).toBeUndefined();
    expect(declared.get('ignore-paths')).toBeUndefined();
  });

  it('declares the outputs the action sets', () => {
    expect([...actionYmlSection('outputs').keys()]).toEqual(['decision', 'high-risk-count', 'max-risk', 'report', 'scored-file']);
  });
});

describe('unsupportedPlatform', () => {
  it('accepts linux x64 and arm64 and names them otherwise', () => {
    expect(unsupportedPlatform('linux', 'x64')).toBeUndefined();
    expect(unsupportedPlatform('linux', 'arm64')).toBeUndefined();
    expect(unsupportedPlatform('win32', 'x64')).toMatch(/linux-x64 and linux-arm64 .*this runner is win32-x64/);
  });
});
