/**
 * Which commits are bug fixes, from their messages alone: the `fix` metric and the commits
 * SZZ blames from. One rule language, compiled by `compileFixRule`, for `mine` and `label`.
 */

/**
 * Whole words, case-insensitive. A substring rule (Commit Guru) would also count
 * "prefix", "debug", "suffix", "fixture" and "failover"; whole words do not.
 */
export const FIX_WORDS: readonly string[] = [
  'fix',
  'fixes',
  'fixed',
  'fixing',
  'bugfix',
  'bugfixes',
  'hotfix',
  'hotfixes',
  'bug',
  'bugs',
  'defect',
  'defects',
  'fault',
  'faults',
  'crash',
  'crashes',
  'crashed',
  'regression',
  'regressions'
];

// A word is delimited by anything that is not a letter, digit or underscore, so
// "fix:", "(bug)", "bug-123" and "Fixes #12" match, "fix_up" and "prefix" do not.
const FIX_RE = new RegExp(`(?<![\\p{L}\\p{N}_])(?:${FIX_WORDS.join('|')})(?![\\p{L}\\p{N}_])`, 'iu');

/**
 * Words that describe a failure rather than a change: what a bug report's title says
 * ("NPE in X", "Y fails on Z", "wrong result for W"). Combined with an issue reference they
 * tell a bug report from a feature request.
 */
export const SYMPTOM_WORDS: readonly string[] = [
  'npe',
  'aioobe',
  'ioobe',
  'cce',
  'iae',
  'ise',
  'soe',
  'oome',
  'cme',
  'fail',
  'fails',
  'failed',
  'failing',
  'failure',
  'failures',
  'wrong',
  'wrongly',
  'incorrect',
  'incorrectly',
  'bogus',
  'spurious',
  'broken',
  'breaks',
  'missing',
  'leak',
  'leaks',
  'hang',
  'hangs',
  'deadlock',
  'deadlocks',
  'freeze',
  'freezes',
  'unable',
  'cannot',
  "can't",
  "doesn't",
  "don't",
  "isn't",
  "won't",
  'not work',
  'not working',
  'does not',
  'is not',
  'should not',
  "shouldn't"
];

// A failure word, or an exception / error type name (NullPointerException, VerifyError, "error").
const SYMPTOM_RE = new RegExp(
  `(?<![\\p{L}\\p{N}_])(?:${SYMPTOM_WORDS.map((w) => w.replace(/ /g, '\\s+')).join('|')}|[\\p{L}\\p{N}_]*(?:exception|error)s?)(?![\\p{L}\\p{N}_])`,
  'iu'
);

/** The `legacy` rule: a fix word anywhere in the message, where "Bug 123" counts as the word "bug". */
export function isFixMessage(message: string): boolean {
  return FIX_RE.test(message);
}

/** A compiled fix rule: a pure predicate over a commit message (subject, blank line, body). */
export interface FixRule {
  /** The rule in canonical form (lower-case names, no spaces): what caches, cards and logs record. */
  readonly source: string;
  readonly test: (message: string) => boolean;
}

export type IssueKeyPreset = 'jira' | 'bugzilla' | 'github';

/** Issue-key shapes a message can reference. Each is also a term of the rule language. */
export const ISSUE_KEY_PRESETS: Readonly<Record<IssueKeyPreset, { example: string; description: string }>> = {
  jira: { example: 'PROJ-123', description: 'a JIRA-style key: an upper-case project key, a dash and a number (PROJ-123, JDK-8153748)' },
  bugzilla: { example: 'Bug 123', description: 'a Bugzilla reference: "Bug 123", "bug #123", "Bugzilla Bug 123", show_bug.cgi?id=123' },
  github: {
    example: '#123',
    description:
      'a GitHub/GitLab issue: "#123", "GH-123" or an …/issues/123 link; not the "(#123)" pull-request number a squash merge appends to the subject'
  }
};

const BEFORE = '(?<![\\p{L}\\p{N}_])';
const AFTER = '(?![\\p{L}\\p{N}_])';
// Upper-case tokens with a dash and a number that are standards or encodings, not issue keys.
const NOT_JIRA = new Set([
  'UTF',
  'UCS',
  'SHA',
  'MD',
  'ISO',
  'IEC',
  'RFC',
  'ECMA',
  'ES',
  'CP',
  'AES',
  'RSA',
  'HMAC',
  'TLS',
  'SSL',
  'HTTP',
  'JSR',
  'JEP',
  'PEP',
  'X86'
]);
const REFERENCE_RE: Record<IssueKeyPreset, RegExp> = {
  jira: new RegExp(`(?<![\\p{L}\\p{N}_-])([A-Z][A-Z0-9_]+)-[0-9]+${AFTER}`, 'gu'),
  bugzilla: new RegExp(`${BEFORE}(?:bugzilla\\s*)?bugs?\\s*(?:id\\s*)?[:#]?\\s*[0-9]+${AFTER}|show_bug\\.cgi\\?id=[0-9]+`, 'giu'),
  github: new RegExp(`(?<![\\p{L}\\p{N}_&])(?:#|gh-)[0-9]+${AFTER}|/issues/[0-9]+${AFTER}`, 'giu')
};
const URL_RE = /\b(?:https?|ftp):\/\/[^\s<>"')\]]+/giu;
// GitHub's squash merge appends the pull request's number: "Subject (#4847)". It is on every
// squash-merged commit, so it says nothing about the change being a fix.
const PR_SUFFIX_RE = /\s*\(#[0-9]+\)\s*$/u;

interface Parsed {
  subject: string;
  /** The whole message with the pull-request suffix removed. */
  message: string;
}

function parse(message: string): Parsed {
  const text = message.replace(/\r\n?/g, '\n').trim();
  const cut = text.search(/\n[ \t]*\n/);
  const rawSubject = cut < 0 ? text : text.slice(0, cut);
  const subject = rawSubject.replace(PR_SUFFIX_RE, '');
  return { subject, message: subject + text.slice(rawSubject.length) };
}

function references(text: string, kind: IssueKeyPreset): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(REFERENCE_RE[kind])) {
    if (kind === 'jira' && NOT_JIRA.has(m[1]!)) continue;
    found.push(m[0]);
  }
  return found;
}

/** Issue references in a message, by kind (for reports and tests). */
export function issueReferences(message: string): Record<IssueKeyPreset, string[]> {
  const { message: text } = parse(message);
  return { jira: references(text, 'jira'), bugzilla: references(text, 'bugzilla'), github: references(text, 'github') };
}

/** A fix word that is not part of an issue reference ("Bug 123") or a link. */
function hasFixWord(text: string): boolean {
  let t = text.replace(URL_RE, ' ');
  for (const kind of ['bugzilla', 'github', 'jira'] as const) t = t.replace(REFERENCE_RE[kind], ' ');
  return FIX_RE.test(t);
}

function hasSymptom(text: string): boolean {
  return SYMPTOM_RE.test(text.replace(URL_RE, ' '));
}

const REVERT_SUBJECT_RE = /^revert(?![\p{L}\p{N}_])/iu;
const REVERTS_COMMIT_RE = /this reverts commit [0-9a-f]{7,64}/iu;

type Term = (p: Parsed) => boolean;

/** The terms of the rule language, with what `patch-risk label --help` and the docs say about them. */
export const FIX_RULE_TERMS: Readonly<Record<string, { description: string; term: Term }>> = {
  subject: { description: 'a fix word in the subject (the first paragraph)', term: (p) => hasFixWord(p.subject) },
  message: { description: 'a fix word anywhere in the message', term: (p) => hasFixWord(p.message) },
  symptom: {
    description:
      'a failure word anywhere in the message: an exception or error name (NPE, VerifyError), fails, wrong, incorrect, missing, leak, hang, "does not", …',
    term: (p) => hasSymptom(p.message)
  },
  revert: {
    description:
      'the commit reverts another: a subject starting with "Revert", or "This reverts commit <hash>" in the body (what git revert writes)',
    term: (p) => REVERT_SUBJECT_RE.test(p.subject) || REVERTS_COMMIT_RE.test(p.message)
  },
  ref: {
    description: 'any issue reference (jira, bugzilla or github)',
    term: (p) =>
      references(p.message, 'bugzilla').length + references(p.message, 'github').length + references(p.message, 'jira').length > 0
  },
  jira: { description: ISSUE_KEY_PRESETS.jira.description, term: (p) => references(p.message, 'jira').length > 0 },
  bugzilla: { description: ISSUE_KEY_PRESETS.bugzilla.description, term: (p) => references(p.message, 'bugzilla').length > 0 },
  github: { description: ISSUE_KEY_PRESETS.github.description, term: (p) => references(p.message, 'github').length > 0 },
  legacy: {
    description:
      'the rule before fix patterns existed: a fix word anywhere, "Bug 123" counting as the word "bug" (marks 96% of Eclipse commits)',
    term: (p) => isFixMessage(p.message)
  }
};

/**
 * The default: a fix word in the subject, a revert, or an issue reference together with a
 * fix word or a failure word anywhere. An issue reference alone is not enough (trackers hold
 * features and chores too: Eclipse writes "Bug NNN - …" on nearly every commit), and "bug" in
 * "Bug 123" is a reference, not a fix word; but a reference whose title reads like a bug report
 * ("Bug 123 - NPE in X", "PROJ-9: export fails") is a fix. Chosen on hand-checked samples of
 * two Eclipse repositories (docs/szz.md).
 */
export const DEFAULT_FIX_PATTERN = 'subject|revert|ref+message|ref+symptom';

/** Thrown for a --fix-pattern that does not parse: the message says what is accepted. */
export class FixPatternError extends Error {
  constructor(pattern: string, problem: string) {
    super(`--fix-pattern "${pattern}": ${problem}`);
    this.name = 'FixPatternError';
  }
}

function compileRegex(pattern: string): FixRule {
  const m = /^\/(.+)\/([a-z]*)$/s.exec(pattern);
  if (!m) throw new FixPatternError(pattern, 'a regular expression is written /expression/flags');
  let re: RegExp;
  try {
    re = new RegExp(m[1]!, m[2]!.replace(/[gy]/g, ''));
  } catch (err) {
    throw new FixPatternError(pattern, (err as Error).message);
  }
  return { source: pattern, test: (message) => re.test(message) };
}

/**
 * Compile a fix pattern. Grammar: terms joined by `+` (all must hold) and `|` (any group
 * holds), `+` binding tighter; terms are the keys of FIX_RULE_TERMS, case-insensitive.
 * Alternatively the whole pattern is one JavaScript regular expression, `/expression/flags`,
 * tested against the whole message. Empty, undefined or `default` is DEFAULT_FIX_PATTERN.
 * Throws FixPatternError naming what is wrong.
 */
export function compileFixRule(pattern?: string): FixRule {
  const raw = (pattern ?? '').trim();
  if (raw.startsWith('/')) return compileRegex(raw);
  const text = raw === '' || raw.toLowerCase() === 'default' ? DEFAULT_FIX_PATTERN : raw.toLowerCase();
  const groups = text.split('|').map((group) =>
    group.split('+').map((name) => {
      const key = name.trim();
      if (key === '') throw new FixPatternError(raw, 'empty term (two operators in a row, or one at an end)');
      const found = Object.hasOwn(FIX_RULE_TERMS, key) ? FIX_RULE_TERMS[key] : undefined;
      if (!found) {
        throw new FixPatternError(
          raw,
          `unknown term "${key}"; terms: ${Object.keys(FIX_RULE_TERMS).join(', ')}, or a /regular expression/`
        );
      }
      return [key, found.term] as const;
    })
  );
  const source = groups.map((g) => g.map(([k]) => k).join('+')).join('|');
  const terms = groups.map((g) => g.map(([, t]) => t));
  return {
    source,
    test: (message) => {
      const parsed = parse(message);
      return terms.some((and) => and.every((t) => t(parsed)));
    }
  };
}
