/** One annotation per Medium/High patch, pointing at its line in the patch file. */
import type { ScoredPatches } from '../index.js';

export interface PatchAnnotation {
  level: 'error' | 'warning';
  title: string;
  message: string;
  file: string;
  line: number;
}

/** One line of plain text: annotations are not Markdown, but a newline would split the message. */
export function plainText(text: string, max = 80): string {
  // eslint-disable-next-line no-control-regex
  const line = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ');
  return line.length <= max ? line : `${line.slice(0, max - 1)}…`;
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
        `Patch ${plainText(patch.id)} scored ${patch.risk_score.toFixed(3)} (${patch.risk_bucket}; High ≥ ${result.plan.thresholds.high}). ` +
        `QA rank ${patch.qa_rank}, ${patch.qa_hours.toFixed(1)} QA hours, ${patch.monitoring_tier}.`,
      file,
      line: result.table.lines[patch.index]
    }));
}
