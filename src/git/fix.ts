/** The `fix` metric: does a commit message say it fixes a defect? */

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

export function isFixMessage(message: string): boolean {
  return FIX_RE.test(message);
}
