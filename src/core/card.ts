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
  })
});

export type ModelCard = z.infer<typeof modelCardSchema>;
export type FeatureBaseline = z.infer<typeof featureBaseline>;

/** Validate parsed JSON as a model card; the error lists every bad field. */
export function parseModelCard(json: unknown, source: string): ModelCard {
  const result = modelCardSchema.safeParse(json);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.') || '(card)'}: ${issue.message}`);
    throw new Error(`${source}: not a valid model card: ${problems.join('; ')}`);
  }
  return result.data;
}
