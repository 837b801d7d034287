import { compileFixRule, DEFAULT_FIX_PATTERN, FixPatternError, isFixMessage, issueReferences } from '../../src/git/index.js';

const rule = (pattern: string) => compileFixRule(pattern);

describe('fix rules: the default', () => {
  const fix = compileFixRule();

  it.each([
    ['Fix crash on start', true],
    ['fixes #12', true],
    ['Bug 509694 - Fix NPE in Foo', true],
    ['Bug 508834 - [regression] Compile error with flatMap', true],
    ['Remove a.c (bugfix for #12)', true],
    ['Speed up the parser\n\nFixes #4846', true],
    ['Speed up the parser\n\nFixes https://github.com/o/r/issues/4846', true],
    ['PROJ-12: crash when the list is empty', true],
    // A reference whose title reads like a bug report.
    ['Bug 504031: AIOOBE at AnnotationInfo.decodeAnnotation', true],
    ['PROJ-9: export fails for empty lists', true],
    ['Bug 496579 - JDT does not compile valid Java 8 code', true],
    ['Revert "Add export"\n\nThis reverts commit 0123456789abcdef0123456789abcdef01234567.', true],
    // A tracker reference alone is not a fix: Eclipse writes "Bug NNN - ..." on features too.
    ['Bug 488663 - [1.9] Allow diamond with anonymous classes', false],
    ['Bug 575375 - Update scm links in pom files', false],
    ['PROJ-12: add an export button', false],
    // A fix word in the body without a reference is not enough either (it often describes something else),
    // nor is a failure word without one.
    ['Refactor the cache\n\nThis makes a later fix easier.', false],
    ['Improve error messages', false],
    // The squash-merge suffix is a pull request, not an issue.
    ['Add a progress bar (#4847)', false],
    ['Type Inference issue in spring-boot project (#4847)', false],
    // Words inside links are not words of the message.
    ['Update docs\n\nSee https://bugs.eclipse.org/bugs/show_bug.cgi?id=1', false],
    ['add prefix handling', false],
    ['debug output', false],
    ['fixture update', false]
  ])('%j -> %s', (message, expected) => {
    expect(fix.test(message)).toBe(expected);
  });

  it('is the documented pattern, in canonical form', () => {
    expect(fix.source).toBe(DEFAULT_FIX_PATTERN);
    expect(compileFixRule('').source).toBe(DEFAULT_FIX_PATTERN);
    expect(compileFixRule('DEFAULT').source).toBe(DEFAULT_FIX_PATTERN);
  });
});

describe('fix rules: terms and operators', () => {
  it('legacy is the keyword rule the miner used: "Bug 123" counts as the word bug', () => {
    for (const m of ['Bug 123 - Add X', 'fixes #12', 'debug output', 'bug-123: guard null', 'Move b; prefix debug failover']) {
      expect(rule('legacy').test(m)).toBe(isFixMessage(m));
    }
    expect(rule('legacy').test('Bug 123 - Add X')).toBe(true);
  });

  it('subject and message: a fix word not inside a reference, in the first paragraph or anywhere', () => {
    expect(rule('subject').test('Bug 123 - Add X')).toBe(false);
    expect(rule('subject').test('Fix bug 123')).toBe(true);
    expect(rule('subject').test('[BUG] compiler rejects valid code')).toBe(true);
    expect(rule('subject').test('Add X\n\nthis fixes the crash')).toBe(false);
    expect(rule('message').test('Add X\n\nthis fixes the crash')).toBe(true);
    // A subject may run over several lines: it ends at the first blank line.
    expect(rule('subject').test('Add X and\nfix Y\n\nbody')).toBe(true);
  });

  it('issue-key presets: jira, bugzilla, github', () => {
    expect(issueReferences('PROJ-123 and JDK-8153748, not UTF-8 or SHA-256').jira).toEqual(['PROJ-123', 'JDK-8153748']);
    expect(issueReferences('Bug 12, bug #13, Bugzilla Bug 14 and show_bug.cgi?id=15').bugzilla).toHaveLength(4);
    expect(issueReferences('Closes #7 and GH-8; see https://github.com/o/r/issues/9 (#10)').github).toEqual(['#7', 'GH-8', '/issues/9']);
    expect(issueReferences('colour &#123; entity').github).toEqual([]);
    expect(rule('jira').test('PROJ-1 add a button')).toBe(true);
    expect(rule('jira').test('Use UTF-8 everywhere')).toBe(false);
    expect(rule('bugzilla').test('Bug 488663 - [1.9] Allow diamond')).toBe(true);
    expect(rule('github').test('Add a progress bar (#4847)')).toBe(false);
    expect(rule('github').test('Add a progress bar for #4847')).toBe(true);
    expect(rule('ref').test('PROJ-1 add')).toBe(true);
    expect(rule('ref').test('no reference here')).toBe(false);
  });

  it('symptom words tell a bug report from a feature request', () => {
    expect(rule('ref+symptom').test('Bug 504031: AIOOBE at AnnotationInfo.decodeAnnotation')).toBe(true);
    expect(rule('ref+symptom').test('Bug 496579 - JDT does not compile valid Java 8 code')).toBe(true);
    expect(rule('ref+symptom').test('Bug 499862 - NullPointerException in the indexer')).toBe(true);
    expect(rule('ref+symptom').test('Bug 487780 - [DOM] AST changes for java 9')).toBe(false);
  });

  it('revert: what git revert writes', () => {
    expect(rule('revert').test('Revert "Bug 536393 - [minimap] Default location"\n\nThis reverts commit 1234567890abcdef.')).toBe(true);
    expect(rule('revert').test('Undo the export\n\nThis reverts commit 1234567.')).toBe(true);
    expect(rule('revert').test('Reverted-state handling for the editor')).toBe(false);
    expect(rule('revert').test('Add a revert button')).toBe(false);
  });

  it('+ needs every term, | any group, + binding tighter; names are case-insensitive', () => {
    const r = rule(' Subject | JIRA + Message ');
    expect(r.source).toBe('subject|jira+message');
    expect(r.test('fix the build')).toBe(true);
    expect(r.test('PROJ-9: add X\n\nfixes the export')).toBe(true);
    expect(r.test('PROJ-9: add X')).toBe(false);
    expect(r.test('add X\n\nfixes the export')).toBe(false);
  });

  it('a /regex/ is tested against the whole message', () => {
    const r = rule('/^(fix|hotfix)[:(]/i');
    expect(r.source).toBe('/^(fix|hotfix)[:(]/i');
    expect(r.test('fix(parser): handle EOF')).toBe(true);
    expect(r.test('feat: fix later')).toBe(false);
    // Global flags are dropped, so a rule gives the same answer every time.
    const g = rule('/fix/g');
    expect([g.test('fix'), g.test('fix'), g.test('fix')]).toEqual([true, true, true]);
  });

  it('is pure: the same message always gives the same answer', () => {
    const r = compileFixRule();
    const m = 'Bug 1 - fix #2 and PROJ-3 crash';
    expect(Array.from({ length: 5 }, () => r.test(m))).toEqual([true, true, true, true, true]);
    expect(issueReferences(m)).toEqual(issueReferences(m));
  });

  it('rejects what does not parse, saying what is accepted', () => {
    expect(() => rule('keywords')).toThrow(FixPatternError);
    expect(() => rule('keywords')).toThrow(
      '--fix-pattern "keywords": unknown term "keywords"; terms: subject, message, symptom, revert, ref, jira, bugzilla, github, legacy'
    );
    expect(() => rule('subject||ref')).toThrow('empty term');
    expect(() => rule('ref+')).toThrow('empty term');
    expect(() => rule('/(/')).toThrow('--fix-pattern "/(/"');
    expect(() => rule('/fix')).toThrow('a regular expression is written /expression/flags');
    expect(() => rule('constructor')).toThrow('unknown term "constructor"');
  });
});
