/**
 * Commit mode's "what would lower the risk": for each High commit the miner split by directory,
 * score the parts (their own mined metrics) with the same model and the thresholds in effect,
 * and keep the advice only when it lowers the total expected regressions and leaves every part
 * below High (model/explain/commit-split.ts).
 */
import type { ScoredPatches } from '../core/pipeline.js';
import type { CommitMetrics } from '../git/history.js';
import { commitsToTable } from '../git/table.js';
import { splitAdvice } from '../model/explain/commit-split.js';
import type { LoadedModel } from '../model/onnx/session.js';

/** One entry per row of `scored` (the rows of `mined`, in order): the advice text, or undefined. */
export async function commitSplitAdvice(
  scored: ScoredPatches,
  mined: readonly CommitMetrics[],
  model: LoadedModel
): Promise<(string | undefined)[]> {
  const advice: (string | undefined)[] = scored.table.ids.map(() => undefined);
  const { plan } = scored;
  const split = plan.patches.filter((patch) => patch.high_risk === 1 && (mined[patch.index]?.parts?.length ?? 0) >= 2);
  if (split.length === 0) return advice;
  // Every part of every High commit in one table, scored in one call; ids are unique within it.
  const partRows = split.flatMap((patch) =>
    mined[patch.index]!.parts!.map((part, k) => ({ ...part.metrics, commit: `${patch.id} part ${k + 1}` }))
  );
  const table = commitsToTable(partRows, { features: model.card.features, source: 'the directory parts of the High commits' });
  const scores = await model.score(table.features, partRows.length);
  let at = 0;
  for (const patch of split) {
    const parts = mined[patch.index]!.parts!.map((part, k) => ({ directory: part.directory, score: scores[at + k]! }));
    at += parts.length;
    advice[patch.index] = splitAdvice(scored.scores[patch.index]!, parts, plan.thresholds)?.text;
  }
  return advice;
}
