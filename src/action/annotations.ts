/** One annotation per Medium/High patch, pointing at its line in the patch file. */
import { plainText, reasonsOfRow, reasonsSentence, visibleLine, type ScoredPatches } from '../index.js';

export interface PatchAnnotation {
  level: 'error' | 'warning';
  title: string;
  message: string;
  /** Undefined for an annotation on no file (a commit that touched only ignored files). */
  file?: string;
  line?: number;
}

/** " Why: 1,701 lines added, 12 files and a bug fix." — the factors that raise the row's risk, in the report's phrases. */
function why(result: ScoredPatches, index: number): string {
  const sentence = reasonsSentence(reasonsOfRow(result, index));
  return sentence === '' ? '' : ` Why: ${plainText(sentence, 300)}.`;
}

/** ", riskier than 97% of the last 2,000 commits here" when the row has a percentile. */
function percentileText(result: ScoredPatches, index: number): string {
  const percentile = result.calibration?.percentiles?.[index];
  const reference = result.calibration?.reference;
  return percentile === undefined || !reference ? '' : `, riskier than ${Math.floor(percentile)}% of ${reference.label}`;
}

/** `file` is the patch file relative to the workspace, as annotations expect. */
export function patchAnnotations(result: ScoredPatches, file: string): PatchAnnotation[] {
  return result.plan.byRank
    .map((index) => result.plan.patches[index])
    .filter((patch) => patch.risk_bucket !== 'Low')
    .map((patch) => ({
      level: patch.risk_bucket === 'High' ? 'error' : 'warning',
      title: `${patch.risk_bucket} regression risk: ${plainText(patch.id, 60)}`,
      message:
        `Patch ${plainText(patch.id)} scored ${patch.risk_score.toFixed(3)} (${patch.risk_bucket}; High ≥ ${result.plan.thresholds.high}${percentileText(result, patch.index)}).` +
        `${why(result, patch.index)} QA rank ${patch.qa_rank}, ${patch.qa_hours.toFixed(1)} QA hours, ${patch.monitoring_tier}.`,
      file,
      line: result.table.lines[patch.index]
    }));
}

/**
 * A path from the PR as an annotation's `file`, or undefined (an annotation
 * on no file) when it holds control or invisible characters: they would show
 * in the run's annotations unescaped, and such a path reads differently from
 * what it is. The message still names the file, made visible.
 */
export function annotationFile(file: string | undefined): string | undefined {
  return file !== undefined && file !== '' && visibleLine(file) === file ? file : undefined;
}

/** Other touched files named in a commit annotation's message (the rest are counted). */
const FILES_IN_MESSAGE = 10;

/**
 * Commit mode: one annotation per Medium/High commit, on the first file it
 * touched (repository-relative, as the miner reports it), naming the other
 * files in the message. One per commit rather than per file keeps within
 * GitHub's cap of 10 warnings and 10 errors shown per step. A commit whose
 * files were all ignored gets an annotation without a file.
 */
export function commitAnnotations(result: ScoredPatches, filesOf: ReadonlyMap<string, readonly string[]>): PatchAnnotation[] {
  const subject = result.table.columns.indexOf('subject');
  return result.plan.byRank
    .map((index) => result.plan.patches[index])
    .filter((patch) => patch.risk_bucket !== 'Low')
    .map((patch) => {
      const files = filesOf.get(patch.id) ?? [];
      const others = files.slice(1, 1 + FILES_IN_MESSAGE).map((file) => plainText(file, 120));
      const more = files.length - 1 - others.length;
      const first = annotationFile(files[0]);
      const rest = `${others.join(', ')}${more > 0 ? ` and ${more} more` : ''}`;
      const touched =
        files.length === 0
          ? 'It touched no scored file (all ignored).'
          : first === undefined
            ? `It touched ${[plainText(files[0], 120), ...(rest ? [rest] : [])].join(', ')}.`
            : others.length === 0
              ? 'It touched only this file.'
              : `It also touched ${rest}.`;
      const text = subject < 0 ? '' : ` "${plainText(result.table.rows[patch.index][subject] ?? '', 60)}"`;
      return {
        level: patch.risk_bucket === 'High' ? 'error' : 'warning',
        title: `${patch.risk_bucket} regression risk: commit ${patch.id.slice(0, 7)}`,
        message:
          `Commit ${patch.id.slice(0, 7)}${text} scored ${patch.risk_score.toFixed(3)} ` +
          `(${patch.risk_bucket}; High ≥ ${result.plan.thresholds.high}${percentileText(result, patch.index)}).${why(result, patch.index)} ${touched}`,
        file: first,
        line: first === undefined ? undefined : 1
      };
    });
}
