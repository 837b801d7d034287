/**
 * Reading just-in-time (commit-level) defect data into tables with the
 * canonical JIT_SCHEMA names, and the time-ordered splits used to evaluate
 * and train the shipped `jit` model.
 *
 * The published data (data/jit/, from ISSTA21-JIT-DP) spells entropy
 * `entrophy` and calls the commit hash `_id`; `patch-risk mine` writes
 * `entropy` and `commit`. Both read the same way here.
 */
import path from 'node:path';
import { InputError } from '../../core/errors.js';
import { readRawTable, tableFromRaw, type PatchTable, type RawTable } from '../../core/read.js';
import { JIT_SCHEMA, type Schema } from '../../core/schema.js';
import { sortByTime, splitRows } from '../data/split.js';

export const JIT_PROJECTS = ['qt', 'openstack', 'jdt', 'platform'] as const;

/** Column names in the published data → the canonical names. */
export const JIT_COLUMN_ALIASES: Readonly<Record<string, string>> = Object.freeze({ entrophy: 'entropy', _id: 'commit' });

/** Author time in unix seconds; when present, rows are put in time order by it (stable); else file order is time order. */
export const JIT_DATE_COLUMN = 'date';

/** Share of each project's newest rows held out (the published protocol). */
export const JIT_TEST_FRACTION = 0.2;

export interface JitProject {
  name: string;
  table: PatchTable;
}

/** Rename alias columns to their canonical names (only where the canonical name is not already a column). */
export function canonicalJitColumns(raw: RawTable): RawTable {
  const columns = raw.columns.map((name) => {
    const canonical = JIT_COLUMN_ALIASES[name];
    return canonical !== undefined && !raw.columns.includes(canonical) ? canonical : name;
  });
  return { ...raw, columns };
}

/** Validate JIT data (canonical names, time order) against the schema; a missing metric is named. */
export function jitTableFromRaw(file: string, raw: RawTable, schema: Schema = JIT_SCHEMA): PatchTable {
  const named = canonicalJitColumns(raw);
  const ordered = named.columns.includes(JIT_DATE_COLUMN) ? sortByTime(named, JIT_DATE_COLUMN, file) : named;
  return tableFromRaw(file, ordered, { features: schema.features, idColumn: schema.idColumn, label: schema.label, requireLabel: true });
}

export async function readJitFile(file: string, schema: Schema = JIT_SCHEMA): Promise<PatchTable> {
  return jitTableFromRaw(file, await readRawTable(file), schema);
}

/** data/jit/<project>.csv */
export function jitProjectFile(dir: string, project: string): string {
  return path.join(dir, `${project}.csv`);
}

export async function readJitProjects(dir: string, projects: readonly string[]): Promise<JitProject[]> {
  const out: JitProject[] = [];
  for (const name of projects) out.push({ name, table: await readJitFile(jitProjectFile(dir, name)) });
  return out;
}

/** First (1 - testFraction) of the rows train, the rest test (the trainer's 'time' split). */
export function timeSplit(nRows: number, testFraction = JIT_TEST_FRACTION): { train: number[]; test: number[] } {
  const { train, validation } = splitRows(new Uint8Array(nRows), testFraction, 'time', 0);
  return { train, test: validation };
}

/**
 * One table of all projects for the trainer's 'time' split: the older 80% of
 * every project first, then the newest 20% of every project. Training with
 * `validationFraction` = the returned fraction validates on exactly the
 * newest 20% of each project, so no project's future leaks into training
 * and every project is in the validation set.
 */
export function pooledJitTable(
  projects: readonly JitProject[],
  testFraction = JIT_TEST_FRACTION
): { table: PatchTable; validationFraction: number } {
  if (projects.length === 0) throw new RangeError('no projects to pool');
  const featureNames = projects[0].table.featureNames;
  for (const { table } of projects) {
    if (table.featureNames.join(',') !== featureNames.join(','))
      throw new InputError(table.file, `features differ from ${projects[0].name}'s`);
    if (!table.labels) throw new InputError(table.file, 'missing the label column');
  }
  const picks: { project: JitProject; row: number }[] = [];
  const splits = projects.map((project) => ({ project, ...timeSplit(project.table.ids.length, testFraction) }));
  for (const { project, train } of splits) for (const row of train) picks.push({ project, row });
  const validationRows = splits.reduce((sum, split) => sum + split.test.length, 0);
  for (const { project, test } of splits) for (const row of test) picks.push({ project, row });

  const width = featureNames.length;
  const features = new Float32Array(picks.length * width);
  const labels = new Uint8Array(picks.length);
  picks.forEach(({ project, row }, i) => {
    features.set(project.table.features.subarray(row * width, (row + 1) * width), i * width);
    labels[i] = (project.table.labels as Uint8Array)[row];
  });
  const ids = picks.map(({ project, row }) => project.table.ids[row]);
  const table: PatchTable = {
    file: projects.map(({ table }) => table.file).join(' + '),
    columns: ['project', JIT_SCHEMA.idColumn],
    rows: picks.map(({ project }, i) => [project.name, ids[i]]),
    lines: Int32Array.from(picks, ({ project, row }) => project.table.lines[row]),
    ids,
    idColumn: JIT_SCHEMA.idColumn,
    featureNames,
    features,
    labels
  };
  return { table, validationFraction: validationRows / picks.length };
}
