/**
 * The one module that owns feature names, types and cell validation.
 *
 * A model card lists the features its model expects (FeatureSpec[]); the
 * firmware patch schema below is the built-in default for training and for
 * generated data. Nothing else hard-codes feature names.
 */

export type FeatureType = 'number' | 'integer' | 'boolean';

export interface FeatureSpec {
  name: string;
  type: FeatureType;
  /** Smallest allowed value (inclusive); undefined = any finite number. */
  min?: number;
  description?: string;
  /** How a value reads in suggestions ("≤ 16,000 lines"). */
  unit?: string;
}

export interface Schema {
  features: FeatureSpec[];
  /** Label column for training/evaluation data (0/1). */
  label: string;
  /** Default id column; when the file has no such column the 1-based row number is the id. */
  idColumn: string;
  /** Features a patch author can change (used for "what would lower the risk"). */
  controllable?: string[];
}

export const DEFAULT_ID_COLUMN = 'patch_id';

export const FIRMWARE_SCHEMA: Schema = {
  idColumn: DEFAULT_ID_COLUMN,
  label: 'high_risk_flag',
  controllable: ['lines_changed', 'files_changed', 'patch_size_mb'],
  features: [
    { name: 'code_churn_score', type: 'number', min: 0, description: 'churn of the touched code (0 = stable, higher = more rework)' },
    { name: 'patch_size_mb', type: 'number', min: 0, unit: 'MB', description: 'size of the firmware patch image in MB' },
    { name: 'lines_changed', type: 'integer', min: 0, unit: 'lines', description: 'lines added + deleted' },
    { name: 'files_changed', type: 'integer', min: 0, unit: 'files', description: 'files touched' },
    { name: 'avg_device_age_days', type: 'number', min: 0, description: 'mean age of the devices that receive the patch' },
    { name: 'is_hotfix', type: 'boolean', description: 'shipped as a hotfix (0/1, true/false, yes/no)' },
    { name: 'patch_security', type: 'boolean', description: 'security patch (0/1, true/false, yes/no)' }
  ]
};

/**
 * Commit-level change metrics of Kamei et al. (TSE 2013), as `patch-risk mine`
 * writes them and the shipped `jit` model expects them; label `bug` (SZZ).
 */
export const JIT_SCHEMA: Schema = {
  idColumn: 'commit',
  label: 'bug',
  controllable: ['la', 'ld', 'nf'],
  features: [
    { name: 'ns', type: 'integer', min: 0, description: 'subsystems (top-level directories) touched' },
    { name: 'nd', type: 'integer', min: 0, description: 'directories touched' },
    { name: 'nf', type: 'integer', min: 0, unit: 'files', description: 'files touched' },
    { name: 'entropy', type: 'number', min: 0, description: 'spread of the changed lines over the files (Shannon entropy, bits)' },
    { name: 'la', type: 'integer', min: 0, unit: 'lines added', description: 'lines added' },
    { name: 'ld', type: 'integer', min: 0, unit: 'lines deleted', description: 'lines deleted' },
    { name: 'lt', type: 'integer', min: 0, description: 'lines in the touched files before the change' },
    { name: 'fix', type: 'boolean', description: 'the commit fixes a bug (0/1)' },
    { name: 'ndev', type: 'integer', min: 0, description: 'developers who changed the touched files before' },
    { name: 'age', type: 'number', min: 0, description: 'mean days since the touched files were last changed' },
    { name: 'nuc', type: 'integer', min: 0, description: 'unique earlier changes to the touched files' },
    { name: 'exp', type: 'integer', min: 0, description: "author's earlier commits" },
    { name: 'rexp', type: 'number', min: 0, description: "author's earlier commits weighted by recency (recent ones count more)" },
    { name: 'sexp', type: 'integer', min: 0, description: "author's earlier commits to the touched subsystems" }
  ]
};

/**
 * Early health of a deployment (first minutes after rollout) and whether it
 * was rolled back: the shipped `rollback` model's schema.
 */
export const DEPLOYMENT_SCHEMA: Schema = {
  idColumn: 'deployment_id',
  label: 'rollback',
  controllable: [],
  features: [
    { name: 'latency_ms', type: 'number', min: 0, description: 'p95 request latency in the first 15 minutes, ms' },
    { name: 'error_rate', type: 'number', min: 0, description: 'share of requests that failed (0-1)' },
    { name: 'cpu_usage', type: 'number', min: 0, description: 'mean CPU use of the new instances, percent' },
    { name: 'memory_usage', type: 'number', min: 0, description: 'mean memory use of the new instances, percent' }
  ]
};

/** The built-in schemas `train` recognises when a data file has all their columns and their label. */
export const KNOWN_SCHEMAS: readonly Schema[] = [FIRMWARE_SCHEMA, JIT_SCHEMA, DEPLOYMENT_SCHEMA];

/** Result of reading one cell: a number, or what was expected instead. */
export type CellResult = { ok: true; value: number } | { ok: false; expected: string };

const TRUE_WORDS = new Set(['1', 'true', 'yes', 'y', 't']);
const FALSE_WORDS = new Set(['0', 'false', 'no', 'n', 'f']);
/**
 * A plain decimal number: optional sign, digits with an optional fraction, optional exponent.
 * Rejects hex, "Infinity", "NaN", empty strings and thousands separators that Number() would accept or mangle.
 */
export const DECIMAL_TEXT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** The one number parser for cells, flags, inputs and query parameters: a finite decimal, else undefined. */
export function parseDecimal(text: string): number | undefined {
  const trimmed = text.trim();
  if (!DECIMAL_TEXT.test(trimmed)) return undefined;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : undefined;
}

export function describeType(spec: FeatureSpec): string {
  switch (spec.type) {
    case 'boolean':
      return '0/1, true/false or yes/no';
    case 'integer':
      return spec.min === 0 ? 'a whole number >= 0' : 'a whole number';
    default:
      return spec.min === 0 ? 'a number >= 0' : 'a finite number';
  }
}

/** Parse a raw cell (string from CSV, or a JSON scalar) against a feature spec. */
export function parseCell(spec: FeatureSpec, raw: unknown): CellResult {
  const expected = describeType(spec);
  if (raw === null || raw === undefined) return { ok: false, expected };
  if (spec.type === 'boolean') {
    if (typeof raw === 'boolean') return { ok: true, value: raw ? 1 : 0 };
    const word = String(raw).trim().toLowerCase();
    if (TRUE_WORDS.has(word)) return { ok: true, value: 1 };
    if (FALSE_WORDS.has(word)) return { ok: true, value: 0 };
    return { ok: false, expected };
  }
  let value: number;
  if (typeof raw === 'number') {
    value = raw;
  } else if (typeof raw === 'string') {
    const text = raw.trim();
    if (!DECIMAL_TEXT.test(text)) return { ok: false, expected };
    value = Number(text);
  } else {
    return { ok: false, expected };
  }
  if (!Number.isFinite(value)) return { ok: false, expected };
  if (spec.type === 'integer' && !Number.isInteger(value)) return { ok: false, expected };
  if (spec.min !== undefined && value < spec.min) return { ok: false, expected };
  return { ok: true, value };
}

/** Parse a 0/1 label cell. */
export function parseLabel(raw: unknown): CellResult {
  return parseCell({ name: 'label', type: 'boolean' }, raw);
}

/**
 * Column holding the mean age of the receiving device fleet, in days; when a
 * patch file has it, monitoring priority blends it with the risk.
 */
export const FLEET_AGE_COLUMN = 'avg_device_age_days';
