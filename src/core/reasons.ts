/**
 * Reasons as a reviewer reads them: which of a row's SHAP reasons to show,
 * in the schema's phrases, with their strength as arrows instead of raw
 * log-odds. Medium and High rows list only what RAISES their risk (up to
 * three, strongest first); a Low row shows the one factor that lowers its
 * risk most, or nothing. The comment, the job summary, annotations,
 * `score --format markdown` and the JSON report all use this.
 */
import type { RiskBucket } from './plan.js';
import type { Reason, ScoredPatches } from './pipeline.js';
import type { PatchTable } from './read.js';
import { featureDisplay, type FeatureSpec, type RowValues } from './schema.js';

/** Risk-raising factors listed for a Medium/High row, at most. */
export const MAX_SHOWN_REASONS = 3;

/** A contribution (log-odds) from which a factor counts as strong (it multiplies the odds by e ≈ 2.7 or more)… */
const STRONG = 1;
/** …and as clear (×1.35 or more); below that, slight. */
const CLEAR = 0.3;

export interface ShownReason {
  /** The feature's name, as the model card has it. */
  feature: string;
  value: number;
  /** Its SHAP value: the contribution to the score's log-odds. */
  shap: number;
  /** The schema's phrase for the value, e.g. "1,701 lines added". */
  phrase: string;
  /** ▲▲▲ / ▲▲ / ▲ raise the risk strongly / clearly / slightly; ▼▼▼ / ▼▼ / ▼ lower it. */
  strength: string;
}

/** The legend printed under a table of shown reasons. */
export const STRENGTH_LEGEND =
  '▲ raises the risk, ▼ lowers it: ▲▲▲ strongly (odds of a regression ×2.7 or more), ▲▲ clearly (×1.35 or more), ▲ slightly (TreeSHAP).';

export function strengthArrows(shap: number): string {
  const size = Math.abs(shap);
  const n = size >= STRONG ? 3 : size >= CLEAR ? 2 : 1;
  return (shap > 0 ? '▲' : '▼').repeat(n);
}

/** The row's feature values by name, for phrases that depend on other features (entropy reads the file count). */
export function rowValues(table: Pick<PatchTable, 'featureNames' | 'features'>, row: number): RowValues {
  const width = table.featureNames.length;
  return (name) => {
    const f = table.featureNames.indexOf(name);
    return f < 0 ? undefined : table.features[row * width + f];
  };
}

/**
 * The reasons shown for a row of `bucket` (reasons as the explainer gives
 * them, largest |SHAP| first). `features` are the card's specs, so features
 * without a phrase of their own read with the card's unit.
 */
export function shownReasons(
  reasons: readonly Reason[] | undefined,
  bucket: RiskBucket,
  row: RowValues,
  features: readonly FeatureSpec[] = []
): ShownReason[] {
  if (!reasons || reasons.length === 0) return [];
  const picked =
    bucket === 'Low'
      ? reasons
          .filter((reason) => reason.contribution < 0)
          .sort((a, b) => a.contribution - b.contribution)
          .slice(0, 1)
      : reasons
          .filter((reason) => reason.contribution > 0)
          .sort((a, b) => b.contribution - a.contribution)
          .slice(0, MAX_SHOWN_REASONS);
  return picked.map((reason) => {
    const spec = features.find((candidate) => candidate.name === reason.feature) ?? reason.feature;
    return {
      feature: reason.feature,
      value: reason.value,
      shap: reason.contribution,
      phrase: featureDisplay(spec).phrase(reason.value, row),
      strength: strengthArrows(reason.contribution)
    };
  });
}

/** "1,701 lines added ▲▲▲; 12 files ▲" (not escaped: callers escape for their medium). */
export function reasonsText(shown: readonly ShownReason[]): string {
  return shown.map((reason) => `${reason.phrase} ${reason.strength}`).join('; ');
}

/** "1,701 lines added, 12 files and a bug fix" (for sentences: annotations). */
export function reasonsSentence(shown: readonly ShownReason[]): string {
  const phrases = shown.map((reason) => reason.phrase);
  return phrases.length <= 1 ? (phrases[0] ?? '') : `${phrases.slice(0, -1).join(', ')} and ${phrases[phrases.length - 1]}`;
}

/** The reasons shown for row `index` (input order) of a scored result. */
export function reasonsOfRow(result: Pick<ScoredPatches, 'reasons' | 'plan' | 'table'>, index: number): ShownReason[] {
  return shownReasons(result.reasons?.[index], result.plan.patches[index].risk_bucket, rowValues(result.table, index));
}
