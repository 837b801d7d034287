/** Commit mode: change metrics mined from git history, and SZZ labels. */
export { mineCommits, mineAll, isShallow, parseRange, type MineOptions } from './mine.js';
export { type CommitMetrics, type Reviewer, subsystemOf, directoryOf } from './history.js';
export { DEFAULT_IGNORE, compileIgnore, type PathFilter } from './ignore.js';
export { FIX_WORDS, isFixMessage } from './fix.js';
export { COMMIT_COLUMNS, METRIC_COLUMNS, FILES_SEPARATOR, commitCsvHeader, commitCsvLine, commitCsvRows, unescapeFormula } from './csv.js';
export { szz, findIntroducers, isTrivialLine, type FixCommit, type SzzOptions } from './szz.js';
export { GitError } from './run.js';
export { commitsToTable, commitsToRaw, type CommitTableOptions } from './table.js';
