/** Commit mode: change metrics mined from git history, and SZZ labels. */
export { mineCommits, mineAll, isShallow, parseRange, type MineOptions } from './mine.js';
export { type CommitMetrics, type Reviewer, subsystemOf, directoryOf } from './history.js';
export { DEFAULT_IGNORE, compileIgnore, type PathFilter } from './ignore.js';
export {
  FIX_WORDS,
  SYMPTOM_WORDS,
  isFixMessage,
  compileFixRule,
  issueReferences,
  DEFAULT_FIX_PATTERN,
  FIX_RULE_TERMS,
  ISSUE_KEY_PRESETS,
  FixPatternError,
  type FixRule,
  type IssueKeyPreset
} from './fix.js';
export { COMMIT_COLUMNS, METRIC_COLUMNS, FILES_SEPARATOR, commitCsvHeader, commitCsvLine, commitCsvRows, unescapeFormula } from './csv.js';
export { findIntroducers, isTrivialLine, type FixCommit } from './szz.js';
export { szz, type SzzOptions, type SzzProgress } from './szz-run.js';
export {
  labelHistory,
  DEFAULT_MAX_FIX_FILES,
  type LabelHistoryOptions,
  type LabelHistoryResult,
  type LabelCounts,
  type LabelSettings,
  type LabelProgress
} from './label-history.js';
export { parseHistoryDate } from './history-date.js';
export { GitError } from './run.js';
export { commitsToTable, commitsToRaw, type CommitTableOptions } from './table.js';
