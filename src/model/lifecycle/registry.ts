/**
 * Model folders: models/<name>/vNNN.onnx + vNNN.card.json. A name resolves
 * to the folder's champion: the one registry.json records (see promote) or,
 * before any promotion, the newest version. currentChampion is the only
 * place that rule lives; listing, promoting, scoring and the history all ask it.
 *
 * registry.json = { champion, gates, history }: the champion, the promotion
 * gates stored for the folder, and every change of champion (only
 * promotions are recorded; a blocked promotion changes nothing). Fields added
 * later (a history entry's `comparison`) are optional, so older files load.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ModelError } from '../../core/errors.js';
import { jsonSyntaxProblem, outsideRoot, writeFileAtomic } from '../../core/files.js';
import type { PairedAucDifference } from '../evaluate/metrics.js';

const VERSION_FILE = /^v(\d{3,})\.onnx$/;
export const REGISTRY_FILE = 'registry.json';

export interface ResolvedModel {
  onnxPath: string;
  /** Folder holding the model's versions (undefined for a lone .onnx file). */
  dir?: string;
  version?: string;
}

export function listVersions(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .map((file) => VERSION_FILE.exec(file))
    .filter((match): match is RegExpExecArray => match !== null)
    .sort((a, b) => Number(a[1]) - Number(b[1]))
    .map((match) => `v${match[1]}`);
}

export function nextVersion(dir: string): string {
  const versions = listVersions(dir);
  const last = versions.length === 0 ? 0 : Number(versions[versions.length - 1].slice(1));
  return `v${String(last + 1).padStart(3, '0')}`;
}

const gatesSchema = z.object({
  /** Candidate's ROC-AUC on the holdout must be at least this. */
  min_roc_auc: z.number().min(0).max(1),
  /** Candidate's F1 at its card's high threshold on the holdout must be at least this. */
  min_f1: z.number().min(0).max(1),
  /** Champion AUC − candidate AUC on the same holdout must not exceed this. */
  max_auc_drop: z.number().min(0).max(1)
});

/** The paired bootstrap behind a promotion decision (metrics.ts pairedAucBootstrap). */
const comparisonSchema = z.object({
  /** The version (or model) the candidate was compared with. */
  against: z.string(),
  /** Candidate ROC-AUC − the other's, on the whole holdout. */
  roc_auc_difference: z.number(),
  /** Percentile interval of the difference over the paired resamples. */
  interval: z.tuple([z.number(), z.number()]),
  confidence: z.number().gt(0).lt(1),
  resamples: z.number().int().positive(),
  seed: z.number().int()
});

/** A history entry's `comparison`: the paired bootstrap behind a promotion. */
export type RegistryComparison = z.infer<typeof comparisonSchema>;

/** The `comparison` field of a promotion judged against `baseline` (none without a baseline or a comparison). */
export function comparisonEntry(
  comparison: PairedAucDifference | undefined,
  baseline: { version: string } | undefined
): { comparison?: RegistryComparison } {
  if (!comparison || !baseline) return {};
  return {
    comparison: {
      against: baseline.version,
      roc_auc_difference: comparison.difference,
      interval: [comparison.low, comparison.high],
      confidence: comparison.confidence,
      resamples: comparison.resamples,
      seed: comparison.seed
    }
  };
}

const historyEntrySchema = z.object({
  version: z.string().regex(/^v\d{3,}$/),
  date: z.string(),
  /** Metrics the decision was made on (holdout metrics, or the card's for the initial entry). */
  metrics: z.record(z.string(), z.union([z.number(), z.string(), z.null()])),
  reason: z.string(),
  /** 'initial': the version the folder served before its first promotion. */
  action: z.enum(['initial', 'promoted']),
  /** A promotion judged against a champion: the AUC difference with its interval (absent in files written before it existed). */
  comparison: comparisonSchema.optional()
});

const registrySchema = z.object({
  champion: z.string().regex(/^v\d{3,}$/),
  gates: gatesSchema,
  history: z.array(historyEntrySchema)
});

export type PromotionGates = z.infer<typeof gatesSchema>;
export type RegistryEntry = z.infer<typeof historyEntrySchema>;
export type Registry = z.infer<typeof registrySchema>;

/** Gates of a folder that has no registry.json yet (and the defaults written into a new one). */
export const DEFAULT_GATES: Readonly<PromotionGates> = Object.freeze({ min_roc_auc: 0.7, min_f1: 0.3, max_auc_drop: 0.01 });

export function registryPath(dir: string): string {
  return path.join(dir, REGISTRY_FILE);
}

/**
 * The folder's registry, or undefined when it has none yet; a malformed file
 * is a ModelError naming it (never quoting it). With `within`, a registry
 * that leads outside that folder through a symlink is refused unread.
 */
export function readRegistry(dir: string, within?: string): Registry | undefined {
  const file = registryPath(dir);
  if (!existsSync(file)) return undefined;
  const outside = within === undefined ? undefined : outsideRoot(file, within);
  if (outside !== undefined)
    throw new ModelError(
      `${file}: the model registry leads outside ${within} (to ${outside}) through a symbolic link; refusing to read it`
    );
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ModelError(`${file}: ${jsonSyntaxProblem(error)}`);
  }
  const result = registrySchema.safeParse(json);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.') || '(registry)'}: ${issue.message}`);
    throw new ModelError(`${file}: not a valid registry: ${problems.join('; ')}`);
  }
  return result.data;
}

/** Write registry.json atomically (temp file in the same folder, then rename), so readers never see half a file. */
export function writeRegistry(dir: string, registry: Registry): void {
  writeFileAtomic(registryPath(dir), `${JSON.stringify(registrySchema.parse(registry), null, 2)}\n`, 'the model registry');
}

/** The version a folder serves, and whether registry.json names it or it is served as the newest version. */
export interface Champion {
  version: string;
  /** true: registry.json records it; false: the folder has no registry.json yet and serves its newest version. */
  recorded: boolean;
}

/**
 * THE champion rule: the champion recorded in registry.json, else (no
 * promotion yet) the newest version, which is what scoring serves. undefined
 * for a folder with no versions. Pass `registry` when already read.
 */
export function currentChampion(dir: string, registry: Registry | undefined = readRegistry(dir)): Champion | undefined {
  if (registry) return { version: registry.champion, recorded: true };
  const newest = listVersions(dir).at(-1);
  return newest === undefined ? undefined : { version: newest, recorded: false };
}

/** How outputs name a champion: "v002", or "v002 (the newest version; no registry.json yet)". */
export function describeChampion(champion: Champion): string {
  return champion.recorded ? champion.version : `${champion.version} (the newest version; no registry.json yet)`;
}

/** The version the folder serves (see currentChampion); with `within`, see readRegistry. */
export function championVersion(dir: string, within?: string): string | undefined {
  return currentChampion(dir, readRegistry(dir, within))?.version;
}

export function builtInModelNames(modelsDir: string): string[] {
  if (!existsSync(modelsDir)) return [];
  return readdirSync(modelsDir)
    .filter((name) => statSync(path.join(modelsDir, name)).isDirectory() && listVersions(path.join(modelsDir, name)).length > 0)
    .sort();
}

/**
 * Resolve a model reference: a built-in name (`firmware`, `firmware@v002`),
 * a model folder, or a path to an .onnx file. With `within`, the registry
 * read on the way must not lead outside that folder (see readRegistry).
 */
export function resolveModel(ref: string, modelsDir: string, within?: string): ResolvedModel {
  if (/\.onnx$/i.test(ref)) {
    if (!existsSync(ref)) throw new ModelError(`model file not found: ${ref}`);
    return { onnxPath: ref };
  }
  const [name, pinned, ...rest] = ref.split('@');
  if (rest.length > 0 || (pinned !== undefined && !/^v\d{3,}$/.test(pinned))) {
    throw new ModelError(`model "${ref}": a version pin looks like NAME@v001`);
  }
  const isPath = name.includes('/') || name.includes(path.sep) || name.startsWith('.');
  const dir = isPath ? name : path.join(modelsDir, name);
  if (!isPath && !/^[A-Za-z0-9_-]+$/.test(name)) throw unknownModel(ref, modelsDir);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    if (isPath) throw new ModelError(`model folder not found: ${name}`);
    throw unknownModel(ref, modelsDir);
  }
  const version = pinned ?? championVersion(dir, within);
  if (version === undefined) throw new ModelError(`${dir}: no model versions (vNNN.onnx) in this folder`);
  const onnxPath = path.join(dir, `${version}.onnx`);
  if (!existsSync(onnxPath)) throw new ModelError(`${dir}: version ${version} does not exist (have: ${listVersions(dir).join(', ')})`);
  return { onnxPath, dir, version };
}

function unknownModel(ref: string, modelsDir: string): ModelError {
  const names = builtInModelNames(modelsDir);
  return new ModelError(
    `unknown model "${ref}": use a built-in name (${names.join(', ') || 'none installed'}) or a path to an .onnx file with its .card.json beside it`
  );
}
