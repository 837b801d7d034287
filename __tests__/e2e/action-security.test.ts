/**
 * Security of the built action: the token is masked and sent to
 * GITHUB_API_URL only (the process connects nowhere else), paths stay inside
 * the workspace, and text from the patch file cannot inject workflow
 * commands, HTML, mentions or issue references. Unit tests of the path rules
 * and of the API client's retry decisions are at the end.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ensureBundle } from '../helpers/action-harness.js';
import { FakeGitHub } from '../helpers/fake-github.js';
import { CALM, HEADER, PR, REPO, RISKY, TOKEN, Workspace } from '../helpers/hardening-harness.js';
import { isInside, modelReference, realPath, workspacePath } from '../../src/action/paths.js';
import { classifyFailure, graphqlPathFor, rateLimitWaitMs } from '../../src/action/github-client.js';

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

  it('follows a symlink whose target does not exist yet: it leads where a write would land', () => {
    symlinkSync(path.join(workspace.work, 'nowhere/.gitconfig'), path.join(root, 'dangling.csv'));
    symlinkSync('../../no-such-dir/x', path.join(root, 'sub/dangling-relative'));
    symlinkSync('sub/dangling-relative', path.join(root, 'chain'));
    expect(realPath(path.join(root, 'dangling.csv'))).toBe(path.join(workspace.work, 'nowhere/.gitconfig'));
    expect(isInside(path.join(root, 'dangling.csv'), root)).toBe(false);
    expect(isInside(path.join(root, 'chain'), root)).toBe(false);
    expect(isInside(path.join(root, 'sub/dangling-relative/more'), root)).toBe(false);
    symlinkSync('sub/not-yet.csv', path.join(root, 'inside-dangling.csv'));
    expect(isInside(path.join(root, 'inside-dangling.csv'), root)).toBe(true);
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

describe('outputs are never written through a symlink', () => {
  /** The issue's payload: extra columns that turn the scored CSV into a valid git config running `touch pwned`. */
  const PAYLOAD = `#c,note,${HEADER}\n#r,"\n[core]\n\tfsmonitor = touch pwned #",RISKY-1,${RISKY}\n`;
  const home = path.join(workspace.work, 'home');

  /** A fresh git work tree with the payload, set up by `arrange` (what a PR can commit). */
  function prWorkspace(arrange: (dir: string) => void): Workspace {
    const pr = new Workspace();
    execFileSync('git', ['init', '-q', pr.dir], { env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null' } });
    pr.write('patches.csv', PAYLOAD);
    arrange(pr.dir);
    return pr;
  }

  const outside = (name: string): string => path.join(workspace.work, 'outside', name);

  it.each([
    [
      'reports/scored.csv -> ../.git/config (the issue’s scenario)',
      'reports/scored.csv',
      (dir: string) => {
        mkdirSync(path.join(dir, 'reports'));
        symlinkSync('../.git/config', path.join(dir, 'reports/scored.csv'));
      },
      /^::error::cannot write the scored file \(input scored-file\) .*\/reports\/scored\.csv: it is a symbolic link; refusing to write through it$/m
    ],
    [
      'a symlink to a file that does not exist yet (.git/hooks/post-checkout)',
      'scored.csv',
      (dir: string) => symlinkSync('.git/hooks/post-checkout', path.join(dir, 'scored.csv')),
      /^::error::cannot write the scored file \(input scored-file\) .*\/scored\.csv: it is a symbolic link; refusing to write through it$/m
    ],
    [
      'a symlinked parent folder (reports -> .git)',
      'reports/config',
      (dir: string) => symlinkSync('.git', path.join(dir, 'reports')),
      /^::error::cannot write the scored file \(input scored-file\) .*\/reports\/config: its folder .*\/reports is a symbolic link; refusing to write through it/m
    ],
    [
      'out/scored.report.json -> a file outside the workspace, beside a plain scored file',
      'out/scored.csv',
      (dir: string) => {
        mkdirSync(path.dirname(outside('victim.json')), { recursive: true });
        writeFileSync(outside('victim.json'), 'precious\n');
        mkdirSync(path.join(dir, 'out'));
        symlinkSync(outside('victim.json'), path.join(dir, 'out/scored.report.json'));
      },
      /^::error::cannot write the JSON report \(beside scored-file\) .*\/out\/scored\.report\.json: it is a symbolic link; refusing to write through it$/m
    ],
    [
      'a dangling symlink to ~/.gitconfig (outside the workspace, not there yet)',
      'reports/scored.csv',
      (dir: string) => {
        mkdirSync(path.join(dir, 'reports'));
        symlinkSync(path.join(home, '.gitconfig'), path.join(dir, 'reports/scored.csv'));
      },
      /^::error::invalid input: scored-file must be a path inside the workspace .*"reports\/scored\.csv" resolves to .*\/home\/\.gitconfig$/m
    ],
    [
      'a parent folder linked outside the workspace',
      'reports/scored.csv',
      (dir: string) => {
        mkdirSync(outside('dir'), { recursive: true });
        symlinkSync(outside('dir'), path.join(dir, 'reports'));
      },
      /^::error::invalid input: scored-file must be a path inside the workspace .*"reports\/scored\.csv" resolves to .*\/outside\/dir\/scored\.csv$/m
    ]
  ])('%s: refused, the step fails, nothing is written', async (_what, scoredFile, arrange, message) => {
    mkdirSync(home, { recursive: true });
    const pr = prWorkspace(arrange);
    try {
      const config = readFileSync(path.join(pr.dir, '.git/config'), 'utf8');
      const result = await pr.run({ apiUrl, inputs: { 'scored-file': scoredFile, comment: 'never' }, env: { HOME: home } });
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(message);
      expect(result.stdout.split('\n').filter((line) => line.startsWith('::error::'))).toHaveLength(1);
      expect(result.outputs.decision).toBeUndefined();
      // Nothing written anywhere: git's config as it was, no ~/.gitconfig, the outside file intact, no stray temp files.
      expect(readFileSync(path.join(pr.dir, '.git/config'), 'utf8')).toBe(config);
      expect(existsSync(path.join(home, '.gitconfig'))).toBe(false);
      expect(existsSync(path.join(pr.dir, '.git/hooks/post-checkout'))).toBe(false);
      if (existsSync(outside('victim.json'))) expect(readFileSync(outside('victim.json'), 'utf8')).toBe('precious\n');
      expect(existsSync(path.join(pr.dir, 'out/scored.csv'))).toBe(false);
      execFileSync('git', ['status', '--short'], { cwd: pr.dir, env: { ...process.env, HOME: home, GIT_CONFIG_GLOBAL: '/dev/null' } });
      expect(existsSync(path.join(pr.dir, 'pwned'))).toBe(false);
      expect(github.requests).toHaveLength(0);
    } finally {
      pr.cleanup();
    }
  });

  it('a real folder and file are written as usual, replacing an old scored file', async () => {
    const pr = prWorkspace((dir) => {
      mkdirSync(path.join(dir, 'reports'));
      writeFileSync(path.join(dir, 'reports/scored.csv'), 'old\n');
    });
    try {
      const result = await pr.run({ apiUrl, inputs: { 'scored-file': 'reports/deep/scored.csv', comment: 'never' } });
      expect(result.outputs['scored-file']).toBe(path.join(pr.dir, 'reports/deep/scored.csv'));
      expect(readFileSync(path.join(pr.dir, 'reports/deep/scored.csv'), 'utf8')).toMatch(/^#c,note,patch_id,/);
      expect(lstatSync(path.join(pr.dir, 'reports/deep')).isDirectory()).toBe(true);
      const again = await pr.run({ apiUrl, inputs: { 'scored-file': 'reports/scored.csv', comment: 'never' } });
      expect(again.code).toBe(1);
      expect(again.outputs.decision).toBe('fail');
      expect(readFileSync(path.join(pr.dir, 'reports/scored.csv'), 'utf8')).toMatch(/^#c,note,patch_id,/);
    } finally {
      pr.cleanup();
    }
  });
});

describe('the sticky comment is only ever our own', () => {
  const MARKER = '<!-- patch-risk-gate:default -->';
  const patched = () => github.requests.filter((r) => r.method === 'PATCH').map((r) => r.path);

  it('a forged marker in someone else’s comment (a user, a user named like the bot, another app) is left alone', async () => {
    const mallory = github.addComment(REPO, PR, `${MARKER}\nforged by mallory`, 'mallory');
    const impostor = github.addComment(REPO, PR, `${MARKER}\na user, not the app`, 'github-actions[bot]', 'User');
    const otherApp = github.addComment(REPO, PR, `${MARKER}\nquoted by another app`, 'other-app[bot]');
    const own = github.addComment(REPO, PR, `${MARKER}\nour old report`, 'github-actions[bot]');
    const result = await workspace.run({ apiUrl });
    expect(result.outputs.decision).toBe('fail');
    expect(patched()).toEqual([`/repos/${REPO}/issues/comments/${own.id}`]);
    const [first, second, third, fourth] = github.commentsOf(REPO, PR);
    expect([first, second, third]).toEqual([mallory, impostor, otherApp]);
    expect([first.body, second.body, third.body]).toEqual([
      `${MARKER}\nforged by mallory`,
      `${MARKER}\na user, not the app`,
      `${MARKER}\nquoted by another app`
    ]);
    expect(fourth.id).toBe(own.id);
    expect(fourth.body).toContain('Patch risk gate: FAIL');
  });

  it('with only forged markers, it posts its own comment', async () => {
    github.addComment(REPO, PR, `${MARKER}\nforged by mallory`, 'mallory');
    await workspace.run({ apiUrl });
    expect(patched()).toEqual([]);
    const comments = github.commentsOf(REPO, PR);
    expect(comments).toHaveLength(2);
    expect(comments[0].body).toBe(`${MARKER}\nforged by mallory`);
    expect(comments[1].user).toEqual({ login: 'github-actions[bot]', type: 'Bot' });
  });

  it('learns who the token is from GraphQL’s viewer: a personal token updates that user’s comment only', async () => {
    github.identity = { login: 'gate-keeper', type: 'User' };
    github.addComment(REPO, PR, `${MARKER}\nfrom the bot`, 'github-actions[bot]');
    const mine = github.addComment(REPO, PR, `${MARKER}\nfrom the token's user`, 'gate-keeper');
    await workspace.run({ apiUrl });
    expect(patched()).toEqual([`/repos/${REPO}/issues/comments/${mine.id}`]);
  });

  it('without GraphQL, and with GET /user refused (the GITHUB_TOKEN), it is github-actions[bot]', async () => {
    github.graphql = false;
    github.addComment(REPO, PR, `${MARKER}\nforged`, 'mallory');
    const own = github.addComment(REPO, PR, `${MARKER}\nold`, 'github-actions[bot]');
    await workspace.run({ apiUrl });
    expect(github.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      `GET /repos/${REPO}/issues/${PR}/comments 200`,
      'POST /graphql 404',
      'GET /user 403',
      `PATCH /repos/${REPO}/issues/comments/${own.id} 200`
    ]);
  });

  it('knows where GraphQL lives beside the REST API (GitHub Enterprise Server too)', () => {
    expect(graphqlPathFor(new URL('https://api.github.com'))).toBe('/graphql');
    expect(graphqlPathFor(new URL('https://ghe.example/api/v3/'))).toBe('/api/graphql');
    expect(graphqlPathFor(new URL('http://127.0.0.1:3000/prefix'))).toBe('/prefix/graphql');
  });
});

describe('API redirects', () => {
  it.each([301, 302, 307, 308])('%i is an API error: no request goes where it points, the gate is unaffected', async (status) => {
    github.redirect(status, `${elsewhereUrl}/repos/${REPO}/issues/${PR}/comments`);
    const connections = connectionLog();
    const result = await workspace.run({ apiUrl, nodeArgs: connections.nodeArgs });
    expect(result.code).toBe(1);
    expect(result.outputs.decision).toBe('fail');
    expect(result.stdout).toMatch(
      new RegExp(
        `^::warning::could not write the PR comment \\(${status}: the GitHub API answered GET http://127\\.0\\.0\\.1:\\d+/repos/${REPO}/issues/${PR}/comments\\?per_page=100 with ${status}, a redirect to http://127\\.0\\.0\\.1:\\d+/repos/.*; redirects are not followed`,
        'm'
      )
    );
    expect(result.stdout + result.stderr).not.toMatch(/Cannot read properties/);
    expect(elsewhere.requests).toHaveLength(0);
    expect(github.requests).toHaveLength(1);
    const apiPort = Number(new URL(apiUrl).port);
    for (const target of connections.read()) expect(Number(target.port)).toBe(apiPort);
  });

  it('a 307 answering the POST does not send the comment body anywhere else', async () => {
    github.redirect(307, `${elsewhereUrl}/repos/${REPO}/issues/${PR}/comments`, { method: 'POST' });
    const result = await workspace.run({ apiUrl });
    expect(result.stdout).toMatch(
      /^::warning::could not write the PR comment \(307: the GitHub API answered POST .* with 307, a redirect to /m
    );
    expect(elsewhere.requests).toHaveLength(0);
    expect(github.requests.map((r) => `${r.method} ${r.status}`)).toEqual(['GET 200', 'POST 307']);
    expect(github.commentsOf(REPO, PR)).toHaveLength(0);
  });
});

describe('the runner environment', () => {
  it.each([['not a url'], ['ftp://api.example'], ['https://user:secret@api.example']])(
    'GITHUB_API_URL=%j fails the step with one ::error:: line, even with comment: never',
    async (value) => {
      const result = await workspace.run({ apiUrl: value, inputs: { comment: 'never' } });
      expect(result.code).toBe(1);
      const errors = result.stdout.split('\n').filter((line) => line.startsWith('::error::'));
      expect(errors).toEqual([expect.stringMatching(/^::error::GITHUB_API_URL is ".*", not an http\(s\) URL without credentials; /)]);
      expect(result.stderr).not.toMatch(/TypeError|Invalid URL|\n\s+at /);
      expect(result.outputs.decision).toBeUndefined();
    }
  );
});

describe('invisible characters', () => {
  const INVISIBLE = /[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/;

  it('never reach annotations, the failure message or any log line', async () => {
    workspace.write('bidi.csv', `${HEADER}\n\u202eRISKY-1\u200b,${RISKY}\n\ufeffRISKY-2\u2066,${RISKY}\n`);
    const result = await workspace.run({ apiUrl, inputs: { patches: 'bidi.csv', comment: 'never' } });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^::error title=High regression risk%3A RISKY-1,file=bidi\.csv,line=2::Patch RISKY-1 scored /m);
    expect(result.stdout).toMatch(/^::error::2 patch\(es\) are High risk: "RISKY-1", "RISKY-2"\. /m);
    expect(result.stdout).not.toMatch(INVISIBLE);
    expect(result.stderr).not.toMatch(INVISIBLE);
  });

  it('never reach an input error either', async () => {
    workspace.write('bidi-bad.csv', `${HEADER}\nBAD-1,0.5,1,\u202emany\u200b,1,60,0,0\n`);
    const result = await workspace.run({ apiUrl, inputs: { patches: 'bidi-bad.csv', comment: 'never' } });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^::error::bidi-bad\.csv, row 1, column "lines_changed": expected a whole number >= 0, found "many"/m);
    expect(result.stdout).not.toMatch(INVISIBLE);
  });
});
