// `npm run check:package`: what a user gets from `npm install patch-risk-gate`, checked from the packed tarball.
//
// 1. `npm pack` (its `prepare` builds lib/ from src/) and read the tarball: LICENSE, README, SECURITY.md, the
//    compiled library, CLI and types, and the shipped models are in it; the action (lib/action, run from dist/),
//    the training data (data/), sources, tests and source maps are not.
// 2. The published package.json: the exports map is exactly `.` and `./package.json`, the bin is `patch-risk`.
// 3. An empty temp project installs the tarball with nothing but the npm registry, as a user must:
//    onnxruntime-node's postinstall (a CUDA download from NuGet that a CPU gate never uses, and that fails without
//    internet) is denied in the project's `allowScripts` (npm >= 11.17) or skipped with ONNXRUNTIME_NODE_INSTALL=skip
//    (older npm). The install must succeed without an engine or unknown-config warning and without GPU libraries.
// 4. From that project, importing only the documented entries: the library example (scores agree with the CLI),
//    a deep import is refused (ERR_PACKAGE_PATH_NOT_EXPORTED); every README/docs code block that imports
//    'patch-risk-gate' imports only `.` or `./package.json` and type-checks against the installed declarations,
//    and those that call scorePatches (the library example) run.
// 5. The `patch-risk` bin: `gate` on the bundled example prints what the repository's own CLI prints and exits 1
//    (🚨 FAIL, the documented verdict), exits 0 with ✅ PASS above the highest score, and `evaluate-jit`
//    says where to get the JIT data the package does not ship.
//
// Prints the tarball sizes and timings; exits 1 naming the failed step. `--keep` leaves the temp folders.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import ts from 'typescript';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const keep = process.argv.includes('--keep');
const NAME = 'patch-risk-gate';
/** The entries the docs may import; everything else must stay behind the exports map. */
const DOCUMENTED_ENTRIES = [NAME, `${NAME}/package.json`];
/** npm releases from which a project's `allowScripts` denial skips a dependency's install scripts. */
const ALLOW_SCRIPTS_NPM = [11, 17, 0];
const STEP_TIMEOUT_MS = 120_000;

class CheckFailed extends Error {}

function fail(message) {
  throw new CheckFailed(message);
}

/** Run a command; its output is returned, never inherited, so a failure can show it. */
function run(command, args, { cwd, env = process.env, allowFail = false } = {}) {
  const result = spawnSync(command, args, { cwd, env, encoding: 'utf8', timeout: STEP_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024 });
  if (result.error) fail(`${command} ${args.join(' ')}: ${result.error.message}`);
  if (!allowFail && result.status !== 0)
    fail(`${command} ${args.join(' ')} (in ${cwd}) exited ${result.status}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`);
  return result;
}

/**
 * The environment of a user's shell: without the lower-case npm_* variables `npm run` sets for this repository
 * (its prefix, its package.json, every config value) and without onnxruntime's install switch, so the install
 * below proves what a user must do rather than inheriting this clone's settings. Upper-case NPM_CONFIG_*
 * (a CI's registry or user config) stay: they are the user's.
 */
function userEnv(extra = {}) {
  const env = {};
  for (const [key, value] of Object.entries(process.env)) {
    const lower = key.toLowerCase();
    const fromNpmRun = key.startsWith('npm_') || key === 'INIT_CWD';
    const onnxSwitch = lower.startsWith('onnxruntime_node_install') || lower.startsWith('npm_config_onnxruntime_node_install');
    if (fromNpmRun || onnxSwitch || key === 'NODE_OPTIONS') continue;
    env[key] = value;
  }
  return { ...env, ...extra };
}

/** Files of a .tgz: path inside the package (without `package/`), size in bytes, and package.json's text. */
function tarEntries(file) {
  const data = gunzipSync(readFileSync(file));
  const entries = [];
  const text = (start, length) =>
    data
      .subarray(start, start + length)
      .toString('utf8')
      .replace(/\0.*$/s, '');
  let paxPath;
  for (let offset = 0; offset + 512 <= data.length;) {
    const name = text(offset, 100);
    if (name === '') break;
    const size = parseInt(text(offset + 124, 12).trim() || '0', 8);
    const type = text(offset + 156, 1);
    const prefix = text(offset + 345, 155);
    const body = offset + 512;
    if (type === 'x') {
      const pax = data.subarray(body, body + size).toString('utf8');
      paxPath = /\d+ path=([^\n]*)\n/.exec(pax)?.[1];
    } else if (type === '0' || type === '' || type === '\0') {
      const full = paxPath ?? (prefix ? `${prefix}/${name}` : name);
      const entryPath = full.replace(/^package\//, '');
      entries.push({
        path: entryPath,
        size,
        ...(entryPath === 'package.json' ? { content: data.subarray(body, body + size).toString('utf8') } : {})
      });
      paxPath = undefined;
    }
    offset = body + Math.ceil(size / 512) * 512;
  }
  return entries;
}

/** The `patch-risk` command npm linked into the project (what `npx patch-risk` runs, without npx's start-up). */
function installedBin(consumer) {
  return path.join(consumer, 'node_modules', '.bin', 'patch-risk');
}

function formatBytes(bytes) {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(2)} MB` : `${(bytes / 1024).toFixed(1)} kB`;
}

function versionAtLeast(version, minimum) {
  const parts = version.split('.').map((part) => parseInt(part, 10));
  for (let i = 0; i < minimum.length; i++) if ((parts[i] ?? 0) !== minimum[i]) return (parts[i] ?? 0) > minimum[i];
  return true;
}

/**
 * npm's warnings, less one expected notice: a packed tarball is a non-registry source, so npm >= 11.16 lists the
 * package's own `prepare` among scripts not covered by allowScripts (it does not run it for a tarball, and does
 * not list it for a registry install). Any other warning (EBADENGINE, unknown config, another package's install
 * script) is returned.
 */
function unexpectedInstallWarnings(stderr, self) {
  const warnings = stderr.split('\n').filter((line) => /^npm warn/i.test(line));
  const advisory = /^npm warn (install|allow)-scripts\b/i;
  const listed = warnings
    .filter((line) => advisory.test(line))
    .map((line) => /^npm warn \S+ {2,}(\S+@\S+) \(/i.exec(line)?.[1])
    .filter(Boolean);
  const others = listed.filter((spec) => spec !== self);
  return [...warnings.filter((line) => !advisory.test(line)), ...others.map((spec) => `install script not covered: ${spec}`)];
}

const timings = [];
async function step(title, body) {
  const start = performance.now();
  const detail = await body();
  const seconds = (performance.now() - start) / 1000;
  timings.push({ title, seconds });
  console.log(`ok  ${title} (${seconds.toFixed(1)} s)${detail ? `\n    ${detail.split('\n').join('\n    ')}` : ''}`);
}

/** What must be in the tarball, and what must not. */
function checkContents(entries, pkg) {
  const paths = new Set(entries.map((entry) => entry.path));
  const required = [
    'package.json',
    'LICENSE',
    'README.md',
    'SECURITY.md',
    'lib/index.js',
    'lib/index.d.ts',
    pkg.bin['patch-risk'].replace(/^\.\//, '')
  ];
  for (const model of readdirSync(path.join(root, 'models'), { withFileTypes: true }).filter((entry) => entry.isDirectory())) {
    for (const file of readdirSync(path.join(root, 'models', model.name))) required.push(`models/${model.name}/${file}`);
  }
  const missing = required.filter((file) => !paths.has(file));
  if (missing.length > 0) fail(`the tarball lacks ${missing.join(', ')}`);
  const forbidden = [...paths].filter(
    (file) =>
      /^(lib\/action|data|src|__tests__|bench|dist|examples|scripts|\.github|coverage)\//.test(file) ||
      file.endsWith('.map') ||
      (file.endsWith('.ts') && !file.endsWith('.d.ts'))
  );
  if (forbidden.length > 0) fail(`the tarball ships files a library/CLI user does not need: ${forbidden.slice(0, 10).join(', ')}`);
  const license = readFileSync(path.join(root, 'LICENSE'), 'utf8');
  if (!/^MIT License/.test(license) || pkg.license !== 'MIT') fail('LICENSE is not the MIT license package.json names');
}

function checkManifest(pkg) {
  const exportKeys = Object.keys(pkg.exports ?? {});
  if (exportKeys.join(',') !== '.,./package.json')
    fail(`package.json exports ${JSON.stringify(exportKeys)}; expected exactly [".", "./package.json"]`);
  const main = pkg.exports['.'];
  if (main.types !== './lib/index.d.ts' || main.import !== './lib/index.js') fail(`exports["."] is ${JSON.stringify(main)}`);
  if (Object.keys(pkg.bin ?? {}).join(',') !== 'patch-risk') fail(`bin is ${JSON.stringify(pkg.bin)}; expected only patch-risk`);
  if (!pkg.engines?.node) fail('package.json declares no engines.node');
}

/** Fenced js/ts code blocks in the README and docs/ that import the package: they must run as a user would. */
function documentedExamples() {
  const files = [path.join(root, 'README.md')];
  const docs = path.join(root, 'docs');
  if (existsSync(docs)) {
    const walk = (dir) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (entry.name.endsWith('.md')) files.push(full);
      }
    };
    walk(docs);
  }
  const blocks = [];
  for (const file of files) {
    const lines = readFileSync(file, 'utf8').split('\n');
    for (let i = 0; i < lines.length; i++) {
      const open = /^\s*```\s*(js|mjs|javascript|ts|typescript)\s*$/.exec(lines[i]);
      if (!open) continue;
      const start = i + 1;
      let end = start;
      while (end < lines.length && !/^\s*```\s*$/.test(lines[end])) end++;
      const code = lines.slice(start, end).join('\n');
      const specifiers = [...code.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)['"]([^'"]+)['"]/g)].map((match) => match[1]);
      const ours = specifiers.filter((specifier) => specifier === NAME || specifier.startsWith(`${NAME}/`));
      // `start` is the 0-based index of the first code line, so it is also the fence's 1-based line number.
      if (ours.length > 0)
        blocks.push({ doc: path.relative(root, file), fence: start, where: `${path.relative(root, file)}:${start}`, code, imports: ours });
      i = end;
    }
  }
  return blocks;
}

function transpile(code) {
  return ts.transpileModule(code, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
}

/** The library example (the README's), with what it must agree on printed as JSON for the check. */
const LIBRARY_EXAMPLE = `
import { readFile, writeFile } from 'node:fs/promises';
import { scorePatches, scoredCsv, explainScored, loadModelByName } from '${NAME}';
import manifest from '${NAME}/package.json' with { type: 'json' };

const result = await scorePatches('patches.csv', { model: 'firmware', qaCapacityHours: 60 });
await writeFile('scored.csv', scoredCsv(result));
const model = await loadModelByName('firmware');
const explained = await explainScored(result, model, 'all');

let deepImport = 'imported';
try {
  await import('${NAME}/lib/model/report.js');
} catch (error) {
  deepImport = error.code;
}
const scored = await readFile('scored.csv', 'utf8');
console.log(JSON.stringify({
  version: manifest.version,
  totals: result.plan.totals,
  firstPatch: Object.keys(result.plan.patches[0]),
  scoredHeader: scored.split(/\\r?\\n/)[0].split(','),
  scoredRows: scored.trim().split(/\\r?\\n/).length - 1,
  reasons: explained.reasons?.length,
  deepImport
}));
`;

/** The same example as TypeScript, type-checked against the installed package's declarations. */
const TYPED_EXAMPLE = `
import { scorePatches, loadModelByName, type ScoredPatches } from '${NAME}';

const result: ScoredPatches = await scorePatches('patches.csv', { model: 'firmware', qaCapacityHours: 60 });
const high: number = result.plan.totals.high;
const model = await loadModelByName('firmware');
export const summary: string = \`\${high} high of \${result.plan.totals.patches} (\${model.card.name})\`;
`;

/** The typed example and every documented block, as a TypeScript user's files, checked against the installed package. */
function typeCheck(consumer, blocks) {
  const sources = new Map([
    [path.join(consumer, 'typed-example.ts'), { name: 'the typed library example', code: TYPED_EXAMPLE, line: (n) => n }]
  ]);
  for (const [index, block] of blocks.entries()) {
    // Line n (1-based) of the block's code is line fence + n of the doc.
    sources.set(path.join(consumer, `doc-block-${index + 1}.ts`), { name: block.doc, code: block.code, line: (n) => block.fence + n });
  }
  for (const [file, source] of sources) writeFileSync(file, source.code);
  const options = {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: ['node'],
    typeRoots: [path.join(root, 'node_modules', '@types')]
  };
  const diagnostics = ts.getPreEmitDiagnostics(ts.createProgram([...sources.keys()], options));
  if (diagnostics.length > 0) {
    const lines = diagnostics.map((diagnostic) => {
      const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ');
      const source = diagnostic.file && sources.get(path.resolve(diagnostic.file.fileName));
      if (!diagnostic.file || !source) return `TS${diagnostic.code}: ${message}`;
      const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start ?? 0);
      return `${source.name}:${source.line(line + 1)}: TS${diagnostic.code}: ${message}`;
    });
    fail(`the installed package's types reject code a user copies from the docs:\n${lines.join('\n')}`);
  }
}

async function main() {
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  const work = mkdtempSync(path.join(os.tmpdir(), 'patch-risk-package-'));
  const consumer = path.join(work, 'consumer');
  const reference = path.join(work, 'reference');
  for (const dir of [consumer, reference, path.join(consumer, 'examples')]) mkdirSync(dir, { recursive: true });
  const npmVersion = run('npm', ['--version'], { cwd: consumer, env: userEnv() }).stdout.trim();
  const useAllowScripts = versionAtLeast(npmVersion, ALLOW_SCRIPTS_NPM);
  console.log(`check-package: node ${process.version}, npm ${npmVersion}, in ${work}`);

  let tarball;
  let entries;
  try {
    await step('npm pack (prepare builds lib/)', () => {
      run('npm', ['pack', '--pack-destination', work], { cwd: root });
      const packed = readdirSync(work).filter((file) => file.endsWith('.tgz'));
      if (packed.length !== 1) fail(`npm pack left ${packed.length} tarballs in ${work}`);
      tarball = path.join(work, packed[0]);
      entries = tarEntries(tarball);
      const unpacked = entries.reduce((sum, entry) => sum + entry.size, 0);
      const byFolder = new Map();
      for (const entry of entries) {
        const key = entry.path.split('/').slice(0, 2).join('/');
        byFolder.set(key, (byFolder.get(key) ?? 0) + entry.size);
      }
      const largest = [...byFolder].sort((a, b) => b[1] - a[1]).slice(0, 6);
      return [
        `${packed[0]}: ${formatBytes(statSync(tarball).size)} packed, ${formatBytes(unpacked)} unpacked, ${entries.length} files`,
        `largest: ${largest.map(([key, size]) => `${key} ${formatBytes(size)}`).join(', ')}`
      ].join('\n');
    });

    await step('tarball contents and package.json', () => {
      const manifest = JSON.parse(entries.find((entry) => entry.path === 'package.json').content);
      checkManifest(manifest);
      checkContents(entries, manifest);
      return `exports ${Object.keys(manifest.exports).join(' + ')}; engines.node ${manifest.engines.node}`;
    });

    const how = useAllowScripts
      ? `allowScripts { "onnxruntime-node": false } in the project's package.json (npm ${npmVersion})`
      : `ONNXRUNTIME_NODE_INSTALL=skip (npm ${npmVersion} predates allowScripts)`;
    await step(`install the tarball into an empty project: ${how}`, () => {
      const manifest = { name: 'consumer', version: '1.0.0', private: true, type: 'module' };
      if (useAllowScripts) manifest.allowScripts = { 'onnxruntime-node': false };
      writeFileSync(path.join(consumer, 'package.json'), JSON.stringify(manifest, null, 2) + '\n');
      const env = userEnv(useAllowScripts ? {} : { ONNXRUNTIME_NODE_INSTALL: 'skip' });
      const result = run('npm', ['install', '--no-audit', '--no-fund', tarball], { cwd: consumer, env });
      const unexpected = unexpectedInstallWarnings(result.stderr, `${NAME}@${pkg.version}`);
      if (unexpected.length > 0) fail(`npm warned while installing the tarball:\n${unexpected.join('\n')}`);
      const binDir = path.join(consumer, 'node_modules', 'onnxruntime-node', 'bin', 'napi-v6');
      const gpu = [];
      const walk = (dir) => {
        for (const entry of readdirSync(dir, { withFileTypes: true })) {
          if (entry.isDirectory()) walk(path.join(dir, entry.name));
          else if (/providers_(cuda|tensorrt|shared)/.test(entry.name)) gpu.push(path.relative(consumer, path.join(dir, entry.name)));
        }
      };
      walk(binDir);
      if (gpu.length > 0) fail(`the install pulled GPU libraries: ${gpu.join(', ')}`);
      const installed = JSON.parse(readFileSync(path.join(consumer, 'node_modules', NAME, 'package.json'), 'utf8'));
      if (installed.version !== pkg.version) fail(`installed ${installed.version}, packed ${pkg.version}`);
      const size = run('du', ['-sk', path.join(consumer, 'node_modules')], { cwd: consumer }).stdout.split('\t')[0];
      return `node_modules ${formatBytes(Number(size) * 1024)}; no GPU libraries; no npm warnings`;
    });

    const example = path.join(root, 'examples', 'patches.csv');
    copyFileSync(example, path.join(consumer, 'patches.csv'));
    copyFileSync(example, path.join(consumer, 'examples', 'patches.csv'));
    copyFileSync(example, path.join(reference, 'patches.csv'));

    let cliVerdict;
    await step('patch-risk gate patches.csv (the installed bin) = the repository CLI, exit 1 🚨 FAIL', () => {
      const env = userEnv();
      const installed = run('npx', ['--no-install', 'patch-risk', 'gate', 'patches.csv'], { cwd: consumer, env, allowFail: true });
      const repository = run(process.execPath, [path.join(root, 'lib', 'cli', 'bin.js'), 'gate', 'patches.csv'], {
        cwd: reference,
        allowFail: true
      });
      if (installed.status !== 1)
        fail(`the installed bin exited ${installed.status}, documented: 1 on high risk\n${installed.stdout}${installed.stderr}`);
      if (installed.stdout !== repository.stdout || installed.status !== repository.status)
        fail(
          `the installed bin and the repository's CLI disagree:\n--- installed\n${installed.stdout}\n--- repository\n${repository.stdout}`
        );
      const lines = installed.stdout.trimEnd().split('\n');
      const verdictLine = lines.at(-1);
      cliVerdict = JSON.parse(lines.slice(0, -1).join('\n'));
      if (verdictLine !== `🚨 FAIL: ${cliVerdict.n_high_risk} high-risk patch(es) detected. CI BLOCKED.` || cliVerdict.n_high_risk < 1)
        fail(`unexpected verdict line: ${verdictLine}`);
      if (!existsSync(path.join(consumer, 'patches.scored.csv'))) fail('gate wrote no patches.scored.csv');
      return `${verdictLine} (${cliVerdict.n_high_risk} of ${cliVerdict.n_patches}, max risk ${cliVerdict.max_risk}, ${cliVerdict.model} ${cliVerdict.model_version})`;
    });

    await step('patch-risk gate above the highest score: exit 0 ✅ PASS; --version', () => {
      const env = userEnv();
      const threshold = String(Math.min(1, cliVerdict.max_risk + 0.01));
      const passed = run(installedBin(consumer), ['gate', 'patches.csv', '--threshold', threshold], {
        cwd: consumer,
        env,
        allowFail: true
      });
      const verdictLine = passed.stdout.trimEnd().split('\n').at(-1);
      if (passed.status !== 0 || verdictLine !== '✅ PASS: No high-risk patches detected. CI continues.')
        fail(`--threshold ${threshold}: exit ${passed.status}, ${verdictLine}\n${passed.stderr}`);
      const version = run(installedBin(consumer), ['--version'], { cwd: consumer, env }).stdout.trim();
      if (version !== pkg.version) fail(`patch-risk --version prints ${version}, the package is ${pkg.version}`);
      return `${verdictLine} (--threshold ${threshold}); --version ${version}`;
    });

    await step('patch-risk evaluate-jit / train-jit without data/jit: exit 2, says where to get the data', () => {
      const env = userEnv();
      for (const args of [['evaluate-jit'], ['train-jit', '--out', 'jit-models']]) {
        const result = run(installedBin(consumer), args, { cwd: consumer, env, allowFail: true });
        const message = result.stderr.trim();
        if (result.status !== 2 || !message.includes('--data <dir>') || message.split('\n').length !== 1)
          fail(`patch-risk ${args[0]} in an installed package: exit ${result.status}, stderr:\n${result.stderr}`);
      }
      return 'one line naming --data <dir> and the data source';
    });

    await step('library example: import only the documented entries; agrees with the CLI; deep import refused', () => {
      writeFileSync(path.join(consumer, 'library-example.mjs'), LIBRARY_EXAMPLE);
      const out = JSON.parse(run(process.execPath, ['library-example.mjs'], { cwd: consumer, env: userEnv() }).stdout);
      const { totals } = out;
      if (out.version !== pkg.version) fail(`patch-risk-gate/package.json says ${out.version}`);
      if (totals.patches !== cliVerdict.n_patches || totals.high !== cliVerdict.n_high_risk || totals.medium !== cliVerdict.n_medium_risk)
        fail(`the library's totals ${JSON.stringify(totals)} disagree with the CLI's ${JSON.stringify(cliVerdict)}`);
      if (Math.abs(totals.max_risk - cliVerdict.max_risk) > 1e-6) fail(`max_risk ${totals.max_risk} vs the CLI's ${cliVerdict.max_risk}`);
      if (!out.scoredHeader.includes('risk_score') || out.scoredRows !== totals.patches)
        fail(`scored.csv: ${out.scoredHeader} with ${out.scoredRows} rows`);
      if (out.reasons !== totals.patches) fail(`explainScored gave reasons for ${out.reasons} of ${totals.patches} rows`);
      if (out.deepImport !== 'ERR_PACKAGE_PATH_NOT_EXPORTED') fail(`a deep import of lib/model/report.js gave ${out.deepImport}`);
      return `${totals.high} High / ${totals.medium} Medium of ${totals.patches}; reasons for every row; lib/… refused`;
    });

    const blocks = documentedExamples();
    await step('README.md and docs/ code blocks: documented entries only; the library example runs', () => {
      if (blocks.length === 0) fail(`no js/ts code block in README.md or docs/ imports '${NAME}': the library example is undocumented`);
      for (const block of blocks) {
        const undocumented = block.imports.filter((specifier) => !DOCUMENTED_ENTRIES.includes(specifier));
        if (undocumented.length > 0)
          fail(
            `${block.where} imports ${undocumented.join(', ')}, which the exports map does not expose (only ${DOCUMENTED_ENTRIES.join(', ')})`
          );
      }
      // Blocks that need more than a patch file (a git repository, a history to train on) are type-checked below;
      // the library example, the one that scores patches.csv, runs.
      const runnable = blocks.filter((block) => /\bscorePatches\b/.test(block.code));
      if (runnable.length === 0) fail(`no code block in README.md or docs/ calls scorePatches: the library example is undocumented`);
      for (const [index, block] of runnable.entries()) {
        const file = `doc-example-${index + 1}.mjs`;
        writeFileSync(path.join(consumer, file), transpile(block.code));
        const result = run(process.execPath, [file], { cwd: consumer, env: userEnv(), allowFail: true });
        if (result.status !== 0)
          fail(`the example at ${block.where} fails in the installed project (exit ${result.status}):\n${result.stderr}`);
      }
      return `${blocks.length} blocks import only ${DOCUMENTED_ENTRIES.join(' / ')}; ran ${runnable.map((block) => block.where).join(', ')}`;
    });

    await step('types: the code blocks of the docs type-check against the installed declarations (NodeNext, strict)', () => {
      typeCheck(consumer, blocks);
      return `${blocks.length + 1} files through exports["."].types`;
    });
  } finally {
    if (keep) console.log(`kept ${work}`);
    else rmSync(work, { recursive: true, force: true });
  }
  const total = timings.reduce((sum, timing) => sum + timing.seconds, 0);
  console.log(`check-package: passed in ${total.toFixed(1)} s`);
}

try {
  await main();
} catch (error) {
  if (!(error instanceof CheckFailed)) throw error;
  console.error(`check-package: FAILED: ${error.message}`);
  process.exit(1);
}
