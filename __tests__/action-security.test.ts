/**
 * Security of the built action: the token is masked and sent to
 * GITHUB_API_URL only (the process connects nowhere else), paths stay inside
 * the workspace, and text from the patch file cannot inject workflow
 * commands, HTML, mentions or issue references. Unit tests of the path rules
 * and of the API client's retry decisions are at the end.
 */
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ensureBundle } from './action-harness.js';
import { FakeGitHub } from './fake-github.js';
import { CALM, HEADER, PR, REPO, RISKY, TOKEN, Workspace } from './hardening-harness.js';
import { isInside, modelReference, workspacePath } from '../src/action/paths.js';
import { classifyFailure, rateLimitWaitMs } from '../src/action/github-client.js';

const workspace = new Workspace();
const github = new FakeGitHub();
const elsewhere = new FakeGitHub();
let apiUrl: string;
let elsewhereUrl: string;

beforeAll(async () => {
  ensureBundle();
  apiUrl = await github.start();
  elsewhereUrl = await elsewhere.start();
  workspace.write('patches.csv', `${HEADER}\nRISKY-1,${RISKY}\nCALM-1,${CALM}\n`);
}, 180000);

afterAll(async () => {
  await github.stop();
  await elsewhere.stop();
  workspace.cleanup();
});

beforeEach(() => {
  github.reset();
  elsewhere.reset();
});

/** A preload that records every outgoing TCP connection of the action's process. */
function connectionLog(): { nodeArgs: string[]; read: () => { host?: string; port?: number }[] } {
  const log = path.join(workspace.work, `connections-${Date.now()}-${Math.random()}.jsonl`);
  writeFileSync(log, '');
  const code = `
    import net from 'node:net';
    import fs from 'node:fs';
    const connect = net.Socket.prototype.connect;
    net.Socket.prototype.connect = function (...args) {
      const o = Array.isArray(args[0]) ? args[0][0] : typeof args[0] === 'object' ? args[0] : { port: args[0], host: args[1] };
      fs.appendFileSync(${JSON.stringify(log)}, JSON.stringify({ host: o.host, port: o.port, path: o.path }) + '\\n');
      return connect.apply(this, args);
    };`;
  return {
    nodeArgs: ['--import', `data:text/javascript,${encodeURIComponent(code)}`],
    read: () =>
      readFileSync(log, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line))
  };
}

describe('the token', () => {
  it('is masked before anything else is logged, and appears nowhere else', async () => {
    // An API that echoes the token back in an error message: the warning would show it, so it must be masked first.
    github.fail(401, { message: `Bad credentials for token ${TOKEN}` });
    const result = await workspace.run({ apiUrl });
    const lines = result.stdout.split('\n');
    expect(lines[0]).toBe(`::add-mask::${TOKEN}`);
    expect(lines.filter((line) => line.includes(TOKEN)).length).toBe(2);
    expect(result.stdout).toMatch(/^::warning::could not write the PR comment \(401: Bad credentials for token /m);
    expect(result.summary).not.toContain(TOKEN);
    expect(JSON.stringify(result.outputs)).not.toContain(TOKEN);
    expect(result.code).toBe(1);
  });

  it('goes to GITHUB_API_URL only: the process connects to no other host, even when a Link header points elsewhere', async () => {
    for (let i = 0; i < 150; i++) github.addComment(REPO, PR, `chatter ${i}`);
    github.linkOrigin = elsewhereUrl;
    const connections = connectionLog();
    const result = await workspace.run({ apiUrl, nodeArgs: connections.nodeArgs });
    expect(result.code).toBe(1);
    expect(result.outputs.decision).toBe('fail');
    expect(elsewhere.requests).toHaveLength(0);
    expect(github.requests.map((r) => `${r.method} ${r.status}`)).toEqual(['GET 200']);
    expect(github.requests.every((r) => r.authorization === `token ${TOKEN}`)).toBe(true);
    expect(result.stdout).toMatch(
      /^::warning::could not write the PR comment \(network error: refusing to send the token to http:\/\/127\.0\.0\.1:\d+\/repos\/.*: requests go to GITHUB_API_URL/m
    );
    const apiPort = Number(new URL(apiUrl).port);
    const targets = connections.read();
    expect(targets.length).toBeGreaterThan(0);
    for (const target of targets) expect([target.host, Number(target.port)]).toEqual(['127.0.0.1', apiPort]);
    expect(github.commentsOf(REPO, PR)).toHaveLength(150);
  });
});

describe('paths', () => {
  const outside = path.join(tmpdir(), 'prg-outside.csv');

  beforeAll(() => {
    writeFileSync(outside, `${HEADER}\nX-1,${CALM}\n`);
    symlinkSync(outside, path.join(workspace.dir, 'link.csv'));
    mkdirSync(path.join(workspace.dir, 'models/mine'), { recursive: true });
  });

  it.each([
    ['patches', '../outside.csv', /patches must be a path inside the workspace \(.*\): "\.\.\/outside\.csv" resolves to /],
    ['patches', outside, /patches must be a path inside the workspace/],
    ['patches', '/etc/passwd', /patches must be a path inside the workspace .*"\/etc\/passwd" resolves to \/etc\/passwd/],
    ['patches', 'link.csv', /patches must be a path inside the workspace .*"link\.csv" resolves to .*prg-outside\.csv/],
    ['model', '../../models/firmware/v001.onnx', /model must be a path inside the workspace/],
    ['model', '/etc/x.onnx', /model must be a path inside the workspace/],
    ['model', 'firmware@../../../etc/x', /model: version "\.\.\/\.\.\/\.\.\/etc\/x" must look like v001/],
    ['scored-file', '../scored.csv', /scored-file must be a path inside the workspace/],
    ['scored-file', '/tmp/scored.csv', /scored-file must be a path inside the workspace/]
  ])('%s: %s is refused before anything is read or sent', async (input, value, message) => {
    const result = await workspace.run({ apiUrl, inputs: { [input]: value } });
    expect(result.code).toBe(1);
    const errors = result.stdout.split('\n').filter((line) => line.startsWith('::error::'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^::error::invalid input: /);
    expect(errors[0]).toMatch(message);
    expect(result.outputs.decision).toBeUndefined();
    expect(github.requests).toHaveLength(0);
  });

  it('paths inside the workspace work, absolute or relative, and built-in model names use the action’s models', async () => {
    workspace.write('data/p.csv', `${HEADER}\nCALM-1,${CALM}\n`);
    const inside = await workspace.run({
      apiUrl,
      inputs: { patches: path.join(workspace.dir, 'data/p.csv'), 'scored-file': 'out/scored.csv', model: 'firmware@v001', comment: 'never' }
    });
    expect(inside.code).toBe(0);
    expect(inside.outputs['scored-file']).toBe(path.join(workspace.dir, 'out/scored.csv'));
    expect(readFileSync(path.join(workspace.dir, 'out/scored.csv'), 'utf8')).toContain('CALM-1');
  });
});

describe('text from the patch file', () => {
  it('cannot inject workflow commands, HTML, mentions, issue references or table breaks', async () => {
    const ids = [
      '"x\n::error::injected-newline"',
      '"x\r\n::set-output name=decision::pass"',
      'y%0A::warning::injected-percent',
      '"z\u2028::error::injected-ls"',
      '"@octocat <b>hi</b> #12 | cell"'
    ];
    workspace.write('hostile.csv', `${HEADER},note\n${ids.map((id) => `${id},${RISKY},"::error::note\n@team"`).join('\n')}\n`);
    const result = await workspace.run({ apiUrl, inputs: { patches: 'hostile.csv' } });
    expect(result.code).toBe(1);
    expect(result.outputs.decision).toBe('fail');
    // Every workflow command is one of the action's own: the mask, its annotations and its failure.
    const commands = result.stdout.split('\n').filter((line) => line.startsWith('::'));
    for (const line of commands)
      expect(line).toMatch(
        /^::(add-mask::|error title=High regression risk%3A [^,\n]*,file=hostile\.csv,line=\d+::Patch |error::5 patch\(es\) are High risk: )/
      );
    expect(commands.filter((line) => line.startsWith('::error title='))).toHaveLength(ids.length);
    // No injected command at the start of a line, U+2028/U+2029 counted as line breaks too.
    expect(result.stdout).not.toMatch(/^::(set-output|warning::injected|error::injected)/m);
    expect(result.stdout).not.toMatch(/[\u2028\u2029]/);
    const body = github.commentsOf(REPO, PR)[0].body;
    for (const text of [body, result.summary]) {
      expect(text).not.toMatch(/<b>|@octocat|#12|\n::/);
      expect(text).toContain('@\u200doctocat &lt;b&gt;hi&lt;/b&gt; #\u200d12 \\| cell');
    }
  });
});

describe('path rules (unit)', () => {
  const root = path.join(workspace.work, 'unit-root');

  beforeAll(() => {
    mkdirSync(path.join(root, 'sub'), { recursive: true });
    symlinkSync('/etc', path.join(root, 'etc-link'));
  });

  it('keeps paths inside the root, after symlinks, whether or not they exist', () => {
    expect(isInside(path.join(root, 'sub/new/file.csv'), root)).toBe(true);
    expect(isInside(root, root)).toBe(true);
    expect(isInside(path.join(root, '..file'), root)).toBe(true);
    expect(isInside(path.join(root, '../x'), root)).toBe(false);
    expect(isInside(path.join(root, 'etc-link/passwd'), root)).toBe(false);
    expect(isInside(path.join(root, 'etc-link/not-there/x'), root)).toBe(false);
  });

  it('returns workspace-relative paths and keeps model paths paths', () => {
    expect(workspacePath('patches', path.join(root, 'sub/p.csv'), root)).toEqual({ path: 'sub/p.csv' });
    expect(workspacePath('patches', './sub/../p.csv', root)).toEqual({ path: 'p.csv' });
    expect(modelReference('firmware', root)).toEqual({ ref: 'firmware' });
    expect(modelReference('firmware@v002', root)).toEqual({ ref: 'firmware@v002' });
    expect(modelReference('./mine@v003', root)).toEqual({ ref: './mine@v003' });
    expect(modelReference(path.join(root, 'sub/m.onnx'), root)).toEqual({ ref: 'sub/m.onnx' });
    expect(modelReference('firmware@latest', root)).toEqual({
      problem: 'model: version "latest" must look like v001 (in "firmware@latest")'
    });
  });
});

describe('retry decisions (unit)', () => {
  const now = Date.UTC(2026, 0, 1);
  const answer = (status: number, headers: Record<string, string> = {}, message = '') => ({ status, message, response: { headers } });

  it('tells rate limits, lost answers and final answers apart', () => {
    expect(classifyFailure(answer(429, { 'retry-after': '7' }), now)).toEqual({ kind: 'rate-limit', waitMs: 7000 });
    expect(classifyFailure(answer(403, {}, 'You have exceeded a secondary rate limit'), now)).toEqual({
      kind: 'rate-limit',
      waitMs: undefined
    });
    expect(classifyFailure(answer(403, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(now / 1000 + 30) }), now)).toEqual({
      kind: 'rate-limit',
      waitMs: 30000
    });
    expect(classifyFailure(answer(403, {}, 'Resource not accessible by integration'), now)).toEqual({ kind: 'final' });
    expect(classifyFailure(answer(404), now)).toEqual({ kind: 'final' });
    expect(classifyFailure(answer(502), now)).toEqual({ kind: 'uncertain' });
    expect(classifyFailure({ status: 500, message: 'socket hang up' }, now)).toEqual({ kind: 'uncertain' });
    expect(classifyFailure(new TypeError('terminated'), now)).toEqual({ kind: 'uncertain' });
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(rateLimitWaitMs(answer(429, { 'retry-after': new Date(now + 12000).toUTCString() }), now)).toBe(12000);
    expect(rateLimitWaitMs(answer(429, { 'retry-after': '0' }), now)).toBe(0);
    expect(rateLimitWaitMs(answer(429), now)).toBeUndefined();
  });
});
