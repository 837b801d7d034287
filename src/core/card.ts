/**
 * The model card: a JSON file beside each vNNN.onnx that says what the model
 * expects (features in input order), how to read its scores (thresholds), how
 * good it was (validation metrics), what data it saw (baseline for drift) and
 * which file it belongs to (sha256).
 */
import { z } from 'zod';

const featureSpec = z.object({
  name: z.string().min(1),
  type: z.enum(['number', 'integer', 'boolean']),
  min: z.number().optional(),
  description: z.string().optional(),
  unit: z.string().optional()
});

const metrics = z.object({
  roc_auc: z.number(),
  pr_auc: z.number(),
  f1: z.number(),
  precision: z.number(),
  recall: z.number(),
  brier: z.number(),
  base_rate: z.number(),
  rows: z.number().int()
});

const featureBaseline = z.object({
  /** Quantiles at probabilities 0, 0.1, …, 1 of the training rows. */
  quantiles: z.array(z.number()),
  mean: z.number(),
  std: z.number(),
  /** Share of rows in each bin of the deciles (for PSI). */
  decile_shares: z.array(z.number())
});

/**
 * A model trained on one repository's own history (`patch-risk train-repo`):
 * where the history came from, what was learnt from, and how the model did
 * against the default model on the same validation commits. Absent from
 * every other card.
 */
const repositoryModel = z.object({
  /** `git`: mined and SZZ-labelled by patch-risk; `metrics`: a labelled metrics file. */
  source: z.enum(['git', 'metrics']),
  /** The repository (its directory or remote) or the file. */
  name: z.string(),
  /** The commit the history was read up to (git only). */
  head: z.string().optional(),
  /** Oldest and newest commit of the training period. */
  first_commit: z.string(),
  last_commit: z.string(),
  /** ISO dates: --until (null when not given), the end of the history, the label cut (end − label delay). */
  until: z.string().nullable(),
  end: z.string(),
  labelled_before: z.string(),
  label_delay_days: z.number().min(0),
  /** Commits of the training period and those SZZ (or the file) labels bug-introducing. */
  commits: z.number().int().min(0),
  bug_introducing: z.number().int().min(0),
  /** Commits left out: dated after --until, and younger than the label delay. */
  after_until: z.number().int().min(0),
  too_young: z.number().int().min(0),
  /** The labeller's settings and counts (git only). */
  labeller: z.record(z.string(), z.unknown()).optional(),
  /** Public rows pooled with the repository's own, or null for its own rows only. */
  pool: z
    .object({
      projects: z.array(z.string()),
      ratio: z.number(),
      rows: z.number().int()
    })
    .nullable(),
  /** The candidate against the default model on the validation commits (the newest of the period). */
  comparison: z.object({
    default_model: z.string(),
    rows: z.number().int(),
    positives: z.number().int(),
    first_date: z.string(),
    last_date: z.string(),
    candidate: z.object({ roc_auc: z.number(), pr_auc: z.number() }),
    default: z.object({ roc_auc: z.number(), pr_auc: z.number() }),
    /** Candidate ROC-AUC − the default's, and the paired-bootstrap interval of it. */
    roc_auc_difference: z.number(),
    interval: z.tuple([z.number(), z.number()]),
    confidence: z.number(),
    resamples: z.number().int(),
    seed: z.number().int()
  }),
  /** The promotion gate's verdict: true only when the candidate beat the default beyond the noise. */
  beat_default: z.boolean(),
  decision: z.string()
});

export const modelCardSchema = z.object({
  card_version: z.literal(1),
  name: z.string().min(1),
  version: z.string().regex(/^v\d{3,}$/),
  description: z.string(),
  created_at: z.string(),
  onnx_file: z.string().min(1),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** ONNX input tensor name (float32 [N, features.length]) and output (float32 probability of the positive class). */
  input_name: z.string(),
  output_name: z.string(),
  id_column: z.string(),
  label: z.string(),
  features: z.array(featureSpec).min(1),
  controllable: z.array(z.string()).default([]),
  thresholds: z.object({
    /** risk_score >= high → High (and high_risk = 1). */
    high: z.number().min(0).max(1),
    /** medium <= risk_score < high → Medium; below → Low. */
    medium: z.number().min(0).max(1),
    rule: z.string()
  }),
  metrics,
  training: z.object({
    rows: z.number().int(),
    positives: z.number().int(),
    validation_rows: z.number().int(),
    trees: z.number().int(),
    params: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])),
    data: z.string(),
    provenance: z.string(),
    seconds: z.number().optional()
  }),
  baseline: z.object({
    features: z.record(z.string(), featureBaseline),
    /** Share of validation rows at or above the high threshold. */
    high_share: z.number(),
    /** Quantiles of the validation scores (0, 0.1, …, 1). */
    score_quantiles: z.array(z.number())
  }),
  repository: repositoryModel.optional()
});

export type ModelCard = z.infer<typeof modelCardSchema>;
export type FeatureBaseline = z.infer<typeof featureBaseline>;
export type RepositoryModelInfo = z.infer<typeof repositoryModel>;

/** Validate parsed JSON as a model card; the error lists every bad field. */
export function parseModelCard(json: unknown, source: string): ModelCard {
  const result = modelCardSchema.safeParse(json);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.') || '(card)'}: ${issue.message}`);
    throw new Error(`${source}: not a valid model card: ${problems.join('; ')}`);
  }
  return result.data;
}
