/** Commit mode: change metrics mined from git history, the history state cache, and SZZ labels. */
export {
  mineCommits,
  mineAll,
  mineRange,
  isShallow,
  parseRange,
  resolveCommit,
  RECENT_COMMITS,
  FIX_RULE,
  type MineOptions,
  type MineProgress,
  type MineResult,
  type MineSummary,
  type CacheOutcome
} from './mine.js';
export { type CommitMetrics, type CommitPart, type Reviewer, subsystemOf, directoryOf } from './history.js';
export { secondLevelOf, splitByDirectory } from './split.js';
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
export {
  COMMIT_COLUMNS,
  METRIC_COLUMNS,
  FILES_SEPARATOR,
  commitCell,
  commitCsvHeader,
  commitCsvLine,
  commitCsvRows,
  unescapeFormula,
  type CommitColumn
} from './csv.js';
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
export { openTrustedGit, type TrustedGit } from './trusted.js';
export { commitsToTable, commitsToRaw, type CommitTableOptions } from './table.js';
export {
  CACHE_FILE,
  CACHE_VERSION,
  CacheMiss,
  loadHistoryCache,
  cachedCommit,
  saveHistoryCache,
  prepareCacheDir,
  type CachedState,
  type CacheSettings
} from './cache.js';
export { deepenForCache, historyComplete, type DeepenOptions, type DeepenResult, type DeepenStatus } from './shallow.js';
