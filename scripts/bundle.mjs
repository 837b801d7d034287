// `npm run bundle`: build dist/, the committed GitHub Action.
//
// 1. Compile src/action/index.ts and what it imports (type errors fail the build) into lib/.
// 2. Bundle lib/action/index.js with @vercel/ncc (ESM, minified, licenses in dist/licenses.txt).
// 3. ncc leaves onnxruntime-node's native binding as a runtime require of
//    `../bin/napi-v6/<platform>/<arch>/onnxruntime_binding.node` in the chunk that holds
//    onnxruntime. We point it at `./bin/...` so the binding lives inside dist/ (checked by
//    check-dist with the rest), and copy the linux x64/arm64 folders there, symlinks
//    dereferenced, libonnxruntime.so.1 beside the .node (its RUNPATH is $ORIGIN).
//
// Deterministic: the same sources and lockfile give the same bytes (no cache, no timestamps).
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
const PLATFORMS = ['linux/x64', 'linux/arm64'];
const BINDING_FILES = ['onnxruntime_binding.node', 'libonnxruntime.so.1'];
const BINDING_REQUEST = '`../bin/napi-v6/${process.platform}/${process.arch}/onnxruntime_binding.node`';

function fail(message) {
  console.error(`bundle: ${message}`);
  process.exit(1);
}

function compile() {
  const host = { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => fail(ts.flattenDiagnosticMessageText(d.messageText, '\n')) };
  const config = ts.getParsedCommandLineOfConfigFile(path.join(root, 'tsconfig.build.json'), {}, host);
  const program = ts.createProgram([path.join(root, 'src/action/index.ts')], config.options);
  const emitted = program.emit();
  const diagnostics = [...ts.getPreEmitDiagnostics(program), ...emitted.diagnostics];
  if (diagnostics.length > 0) {
    const format = { getCanonicalFileName: (f) => f, getCurrentDirectory: () => root, getNewLine: () => '\n' };
    fail(`TypeScript errors:\n${ts.formatDiagnostics(diagnostics, format)}`);
  }
}

function bundle() {
  rmSync(dist, { recursive: true, force: true });
  const ncc = path.join(root, 'node_modules/@vercel/ncc/dist/ncc/cli.js');
  execFileSync(
    process.execPath,
    [
      ncc,
      'build',
      'lib/action/index.js',
      '-o',
      'dist',
      '--minify',
      '--no-cache',
      '--no-source-map-register',
      '--license',
      'licenses.txt',
      '--quiet'
    ],
    {
      cwd: root,
      stdio: 'inherit'
    }
  );
}

function relocateBinding() {
  const chunks = readdirSync(dist).filter((file) => file.endsWith('.js'));
  const holders = chunks.filter((file) => readFileSync(path.join(dist, file), 'utf8').includes(BINDING_REQUEST));
  if (holders.length !== 1)
    fail(
      `expected onnxruntime's binding request ${BINDING_REQUEST} in exactly one chunk, found ${holders.length}; did onnxruntime-node change?`
    );
  const file = path.join(dist, holders[0]);
  const text = readFileSync(file, 'utf8');
  writeFileSync(file, text.split(BINDING_REQUEST).join(BINDING_REQUEST.replace('../bin/', './bin/')));
  for (const platform of PLATFORMS) {
    const from = path.join(root, 'node_modules/onnxruntime-node/bin/napi-v6', platform);
    const to = path.join(dist, 'bin/napi-v6', platform);
    mkdirSync(to, { recursive: true });
    // copyFileSync follows symlinks, so the copies are real files.
    for (const name of BINDING_FILES) {
      try {
        copyFileSync(path.join(from, name), path.join(to, name));
      } catch {
        fail(`missing ${path.join(from, name)}: run npm ci (the binding ships in the onnxruntime-node package)`);
      }
    }
  }
}

function sizes() {
  const walk = (dir) =>
    readdirSync(dir).flatMap((name) => {
      const file = path.join(dir, name);
      return statSync(file).isDirectory() ? walk(file) : [{ file: path.relative(root, file), bytes: statSync(file).size }];
    });
  const files = walk(dist).sort((a, b) => a.file.localeCompare(b.file));
  const mb = (bytes) => `${(bytes / 1e6).toFixed(2)} MB`;
  for (const { file, bytes } of files) console.log(`${mb(bytes).padStart(10)}  ${file}`);
  const js = files.filter((f) => !f.file.includes('/bin/')).reduce((sum, f) => sum + f.bytes, 0);
  const total = files.reduce((sum, f) => sum + f.bytes, 0);
  console.log(`${mb(js).padStart(10)}  JavaScript and licenses\n${mb(total).padStart(10)}  dist/ total`);
}

compile();
bundle();
relocateBinding();
sizes();
