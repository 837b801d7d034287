/** Paths left out of every metric (lockfiles, vendored and generated code), as gitignore-like globs. */
import picomatch from 'picomatch';

/**
 * Defaults: a lockfile bump or a rebuilt bundle is not a risky change.
 * `name/` = a directory of that name at any depth; `/name/` = that directory at the
 * repository root; a pattern without `/` matches the file name at any depth; anything else
 * is anchored at the repository root.
 *
 * The directories are anchored at the root, where bundles and vendored trees live: matched at
 * any depth, `vendor/` would hide real code (`core/vendor/x.c`) from every metric. Lockfiles and
 * minified files are recognised by name wherever they are (monorepos keep one per package).
 */
export const DEFAULT_IGNORE: readonly string[] = [
  '/dist/',
  '/vendor/',
  '/node_modules/',
  '*.min.js',
  '*.min.css',
  '*.lock',
  'package-lock.json',
  'npm-shrinkwrap.json',
  'pnpm-lock.yaml',
  'go.sum'
];

/** Turn one gitignore-like pattern into a picomatch glob over repository-relative paths. */
export function toGlob(pattern: string): string {
  let p = pattern.trim().replace(/\\/g, '/');
  if (p.startsWith('./')) p = p.slice(2);
  if (p.endsWith('/')) {
    const dir = p.slice(0, -1);
    return dir.includes('/') ? `${dir.replace(/^\//, '')}/**` : `**/${dir}/**`;
  }
  if (p.startsWith('/')) return p.slice(1);
  return p.includes('/') ? p : `**/${p}`;
}

export type PathFilter = (path: string) => boolean;

/** A predicate that is true for ignored paths. Throws on an empty pattern. */
export function compileIgnore(patterns: readonly string[]): PathFilter {
  const globs = patterns.map((p) => {
    if (p.trim() === '' || p.trim() === '/') throw new Error(`ignore pattern "${p}" is empty`);
    return toGlob(p);
  });
  if (globs.length === 0) return () => false;
  const match = picomatch(globs, { dot: true });
  return (path) => match(path);
}
