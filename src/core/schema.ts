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
    { name: 'patch_size_mb', type: 'number', min: 0, description: 'size of the firmware patch image in MB' },
    { name: 'lines_changed', type: 'integer', min: 0, description: 'lines added + deleted' },
    { name: 'files_changed', type: 'integer', min: 0, description: 'files touched' },
    { name: 'avg_device_age_days', type: 'number', min: 0, description: 'mean age of the devices that receive the patch' },
    { name: 'is_hotfix', type: 'boolean', description: 'shipped as a hotfix (0/1, true/false, yes/no)' },
    { name: 'patch_security', type: 'boolean', description: 'security patch (0/1, true/false, yes/no)' }
  ]
};

/** Result of reading one cell: a number, or what was expected instead. */
export type CellResult = { ok: true; value: number } | { ok: false; expected: string };

const TRUE_WORDS = new Set(['1', 'true', 'yes', 'y', 't']);
const FALSE_WORDS = new Set(['0', 'false', 'no', 'n', 'f']);
// A plain decimal number: optional sign, digits with an optional fraction, optional exponent.
// Rejects hex, "Infinity", "NaN", empty strings and thousands separators that Number() would accept or mangle.
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

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
    if (!DECIMAL.test(text)) return { ok: false, expected };
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
