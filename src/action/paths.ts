/**
 * Path rules for the action's inputs. A file the workflow names (patches,
 * model, scored-file) must resolve inside the workspace, symlinks followed,
 * so that neither `../`, an absolute path nor a symlink committed in a pull
 * request makes the action read or write elsewhere on the runner. Built-in
 * model names resolve in the action's own models/ folder.
 */
import { lstatSync, readlinkSync, realpathSync } from 'node:fs';
import path from 'node:path';

/** Symlinks followed on the way to one path before giving up (as the kernel's ELOOP limit). */
const MAX_LINK_HOPS = 40;

function realpathOrUndefined(file: string): string | undefined {
  try {
    return realpathSync(file);
  } catch {
    return undefined;
  }
}

/** The target of `file` when it is a symlink (read even when the target does not exist), else undefined. */
function linkTarget(file: string): string | undefined {
  try {
    return lstatSync(file).isSymbolicLink() ? readlinkSync(file) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The real path of `file`: symlinks followed as far as the path exists, the
 * rest appended as written. A symlink whose target does not exist (yet) is
 * followed too, so that a dangling `scored.csv -> ~/.gitconfig` resolves to
 * where a write would land, not to the folder it sits in.
 */
export function realPath(file: string): string {
  let existing = path.resolve(file);
  const rest: string[] = [];
  for (let hops = 0; ;) {
    const real = realpathOrUndefined(existing);
    if (real !== undefined) return path.join(real, ...rest);
    const target = linkTarget(existing);
    if (target !== undefined && hops++ < MAX_LINK_HOPS) {
      const folder = path.dirname(existing);
      existing = path.resolve(realpathOrUndefined(folder) ?? folder, target);
      continue;
    }
    const parent = path.dirname(existing);
    if (parent === existing) return path.join(existing, ...rest);
    rest.unshift(path.basename(existing));
    existing = parent;
  }
}

/** Whether `file` (absolute) is `root` or below it, after following symlinks on both. */
export function isInside(file: string, root: string): boolean {
  const relative = path.relative(realPath(root), realPath(file));
  return relative === '' || (relative.split(path.sep)[0] !== '..' && !path.isAbsolute(relative));
}

/**
 * `given` resolved against the workspace, as a path relative to it; a
 * message naming the input when it leads outside.
 */
export function workspacePath(input: string, given: string, workspace: string): { path: string } | { problem: string } {
  const absolute = path.resolve(workspace, given);
  if (!isInside(absolute, workspace)) {
    return { problem: `${input} must be a path inside the workspace (${workspace}): "${given}" resolves to ${realPath(absolute)}` };
  }
  return { path: path.relative(workspace, absolute) || '.' };
}

/** A model version pin, as in `firmware@v002`. */
const VERSION_PIN = /^v\d{3,}$/;

/** Whether a model reference is a path (an .onnx file or a folder) rather than a built-in name. */
export function isModelPath(name: string): boolean {
  return /\.onnx$/i.test(name) || name.includes('/') || name.includes('\\') || name.startsWith('.');
}

/**
 * A `model` input checked against the path rules: built-in names
 * (`firmware`, `firmware@v002`) are kept; paths become workspace-relative.
 */
export function modelReference(ref: string, workspace: string, input = 'model'): { ref: string } | { problem: string } {
  if (/\.onnx$/i.test(ref)) {
    const checked = workspacePath(input, ref, workspace);
    return 'problem' in checked ? checked : { ref: checked.path };
  }
  const at = ref.indexOf('@');
  const name = at < 0 ? ref : ref.slice(0, at);
  const pin = at < 0 ? undefined : ref.slice(at + 1);
  if (pin !== undefined && !VERSION_PIN.test(pin)) return { problem: `${input}: version "${pin}" must look like v001 (in "${ref}")` };
  if (!isModelPath(name)) return { ref };
  const checked = workspacePath(input, name, workspace);
  if ('problem' in checked) return checked;
  // Keep it a path (not a built-in name) after making it relative: `./mine`, not `mine`.
  const folder = isModelPath(checked.path) ? checked.path : `./${checked.path}`;
  return { ref: pin === undefined ? folder : `${folder}@${pin}` };
}
