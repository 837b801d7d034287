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
    // A JSON object or array is no boolean word.
    const word = typeof raw === 'string' || typeof raw === 'number' ? String(raw).trim().toLowerCase() : '';
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

// ---------------------------------------------------------------------------
// How features read for people. Cards name the features a model expects; the
// phrases and units are owned here, by feature name, so the comment, the job
// summary, annotations, `score --format markdown` and the JSON report all say
// the same thing. A feature without an entry (a custom model's) reads as
// "name = value unit", with the card's unit.
// ---------------------------------------------------------------------------

/** The other features of the same row, by name (undefined when the model has no such feature). */
export type RowValues = (name: string) => number | undefined;

export interface FeatureDisplay {
  /** Unit of the value, as it reads after a number ("lines added", "files", "MB"); '' for scores and yes/no features. */
  unit: string;
  /** The value as a reviewer reads it: "1,701 lines added", "a bug fix", "churn score 0.87 (high)". */
  phrase(value: number, row: RowValues): string;
}

const INTEGER_FORMAT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const LARGE_FORMAT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
const SMALL_FORMAT = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 3 });

/** A feature value for people: thousands separators, at most 2 decimals (3 significant digits below 1), yes/no for booleans. */
export function formatFeatureValue(value: number, type?: FeatureType): string {
  if (type === 'boolean') return value ? 'yes' : 'no';
  if (Number.isInteger(value)) return INTEGER_FORMAT.format(value);
  return Math.abs(value) >= 1 ? LARGE_FORMAT.format(value) : SMALL_FORMAT.format(value);
}

/** "1 file", "12 files", "1,701 lines added" (a count rounded to a whole number). */
function count(value: number, one: string, many: string): string {
  const n = Math.round(value);
  return `${INTEGER_FORMAT.format(n)} ${n === 1 ? one : many}`;
}

/** 1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st, 1,225th. */
export function ordinal(n: number): string {
  const mod100 = n % 100;
  const suffix = mod100 >= 11 && mod100 <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${INTEGER_FORMAT.format(n)}${suffix}`;
}

/** A span of days in the largest unit that keeps it readable: "5 hours", "2 days", "7 months", "3.3 years". */
export function formatDays(days: number): string {
  if (!(days >= 1 / 24)) return 'less than an hour';
  if (days < 1) return count(days * 24, 'hour', 'hours');
  if (days < 60) return count(days, 'day', 'days');
  if (days < 730) return count(days / 30.44, 'month', 'months');
  return `${LARGE_FORMAT.format(Math.round((days / 365.25) * 10) / 10)} years`;
}

/** "author's first commit here", "author's 3rd commit in this subsystem". */
function nthCommit(value: number, where: string): string {
  const n = Math.round(value);
  return `author's ${n <= 1 ? 'first' : ordinal(n)} commit ${where}`;
}

/** How evenly the changed lines are spread, from the entropy and the number of files. */
function spreadPhrase(bits: number, row: RowValues): string {
  const files = row('nf');
  if (files === undefined) return `change spread over its files (entropy ${formatFeatureValue(bits)} bits)`;
  if (files <= 1) return 'change in a single file';
  if (bits <= 0) return `change in one of its ${INTEGER_FORMAT.format(files)} files`;
  const evenness = bits / Math.log2(files);
  if (evenness >= 0.8) return `change spread evenly over its ${INTEGER_FORMAT.format(files)} files`;
  if (evenness >= 0.4) return `change spread unevenly over its ${INTEGER_FORMAT.format(files)} files`;
  return `change mostly in one of its ${INTEGER_FORMAT.format(files)} files`;
}

function churnBand(score: number): string {
  return score < 0.25 ? 'low' : score < 0.55 ? 'moderate' : 'high';
}

/** A percentage with at most 2 decimals: 0.0234 → "2.34%". */
function percent(share: number): string {
  return `${LARGE_FORMAT.format(Math.round(share * 10000) / 100)}%`;
}

const FEATURE_DISPLAY: Readonly<Record<string, FeatureDisplay>> = {
  // Commit metrics (JIT_SCHEMA).
  ns: { unit: 'top-level directories', phrase: (v) => `in ${count(v, 'top-level directory', 'top-level directories')}` },
  nd: { unit: 'directories', phrase: (v) => `in ${count(v, 'directory', 'directories')}` },
  nf: { unit: 'files', phrase: (v) => count(v, 'file', 'files') },
  entropy: { unit: 'bits', phrase: spreadPhrase },
  la: { unit: 'lines added', phrase: (v) => count(v, 'line added', 'lines added') },
  ld: { unit: 'lines deleted', phrase: (v) => count(v, 'line deleted', 'lines deleted') },
  lt: { unit: 'lines', phrase: (v) => `${count(v, 'line', 'lines')} in the touched files before` },
  fix: { unit: '', phrase: (v) => (v ? 'a bug fix' : 'not a bug fix') },
  ndev: { unit: 'developers', phrase: (v) => `files touched by ${count(v, 'developer', 'developers')} before` },
  age: { unit: 'days', phrase: (v) => `files last changed ${formatDays(v)} ago (average)` },
  nuc: { unit: 'changes', phrase: (v) => `files changed ${count(v, 'time', 'times')} before` },
  exp: { unit: 'commits', phrase: (v) => nthCommit(v, 'here') },
  rexp: { unit: 'weighted commits', phrase: (v) => `author's recent activity ${formatFeatureValue(v)} (commits, recent ones weigh more)` },
  sexp: { unit: 'commits', phrase: (v) => nthCommit(v, 'in this subsystem') },
  // Firmware patches (FIRMWARE_SCHEMA).
  code_churn_score: { unit: '', phrase: (v) => `churn score ${v.toFixed(2)} (${churnBand(Number(v.toFixed(2)))})` },
  patch_size_mb: { unit: 'MB', phrase: (v) => `${formatFeatureValue(v)} MB patch image` },
  lines_changed: { unit: 'lines', phrase: (v) => count(v, 'line changed', 'lines changed') },
  files_changed: { unit: 'files', phrase: (v) => count(v, 'file changed', 'files changed') },
  avg_device_age_days: { unit: 'days', phrase: (v) => `devices ${formatDays(v)} old (average)` },
  is_hotfix: { unit: '', phrase: (v) => (v ? 'hotfix' : 'not a hotfix') },
  patch_security: { unit: '', phrase: (v) => (v ? 'security patch' : 'not a security patch') },
  // Deployments (DEPLOYMENT_SCHEMA).
  latency_ms: { unit: 'ms', phrase: (v) => `p95 latency ${formatFeatureValue(v)} ms` },
  error_rate: { unit: 'share of requests', phrase: (v) => `${percent(v)} of requests failed` },
  cpu_usage: { unit: '%', phrase: (v) => `CPU at ${formatFeatureValue(v)}%` },
  memory_usage: { unit: '%', phrase: (v) => `memory at ${formatFeatureValue(v)}%` }
};

/** Display phrase and unit of a feature: the schema's for a known name, else "name = value unit" with the card's unit. */
export function featureDisplay(feature: string | FeatureSpec): FeatureDisplay {
  const spec: FeatureSpec = typeof feature === 'string' ? { name: feature, type: 'number' } : feature;
  if (Object.hasOwn(FEATURE_DISPLAY, spec.name)) return FEATURE_DISPLAY[spec.name];
  const unit = spec.unit ?? '';
  return { unit, phrase: (v) => `${spec.name} = ${formatFeatureValue(v, spec.type)}${unit && spec.type !== 'boolean' ? ` ${unit}` : ''}` };
}

/** Names that have their own phrase (the rest read as "name = value"). */
export function hasPhrase(name: string): boolean {
  return Object.hasOwn(FEATURE_DISPLAY, name);
}
