/**
 * core/files.ts: outputs are never written through a symlink (at the
 * destination or among its folders below the trusted root), never
 * half-written; confined readers see where a symlink really leads; JSON
 * errors never quote the text. And the CLI's message for an output it cannot
 * write names the output and the flag that moves it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AtomicFile, atomicWriteStream, jsonSyntaxProblem, OutputError, outsideRoot, writeFileAtomic } from '../../src/core/files.js';

const BIN = path.resolve('lib/cli/bin.js');
const HEADER = 'patch_id,code_churn_score,patch_size_mb,lines_changed,files_changed,avg_device_age_days,is_hotfix,patch_security';
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'prg-files-'));
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

const at = (...parts: string[]): string => path.join(dir, ...parts);

function thrown(write: () => void): OutputError {
  try {
    write();
  } catch (error) {
    if (error instanceof OutputError) return error;
    throw error;
  }
  throw new Error('expected an OutputError');
}

describe('writeFileAtomic', () => {
  it('creates missing folders below the root and replaces a file in one rename, leaving no temporary file', () => {
    writeFileAtomic(at('a/b/out.csv'), 'one\n', 'the output', { root: dir });
    writeFileAtomic(at('a/b/out.csv'), 'two\n', 'the output', { root: dir });
    expect(readFileSync(at('a/b/out.csv'), 'utf8')).toBe('two\n');
    expect(readdirSync(at('a/b'))).toEqual(['out.csv']);
  });

  it('refuses a symlink at the destination, whether its target exists or not', () => {
    writeFileSync(at('target.txt'), 'precious\n');
    symlinkSync(at('target.txt'), at('link.csv'));
    symlinkSync(at('not-yet.txt'), at('dangling.csv'));
    for (const link of ['link.csv', 'dangling.csv']) {
      const error = thrown(() => writeFileAtomic(at(link), 'x', 'the scored file', { root: dir }));
      expect(error.message).toBe(`cannot write the scored file ${at(link)}: it is a symbolic link; refusing to write through it`);
      expect(error.what).toBe('the scored file');
    }
    expect(readFileSync(at('target.txt'), 'utf8')).toBe('precious\n');
    expect(existsSync(at('not-yet.txt'))).toBe(false);
  });

  it('refuses a symlinked folder between the root and the file, without creating anything through it', () => {
    mkdirSync(at('real'));
    symlinkSync(at('real'), at('reports'));
    const error = thrown(() => writeFileAtomic(at('reports/deeper/out.csv'), 'x', 'the scored file', { root: dir }));
    expect(error.message).toBe(
      `cannot write the scored file ${at('reports/deeper/out.csv')}: its folder ${at('reports')} is a symbolic link; ` +
        'refusing to write through it (name the real folder if you mean it)'
    );
    expect(readdirSync(at('real'))).toEqual([]);
  });

  it('trusts the root itself, and refuses a file outside it', () => {
    mkdirSync(at('real'));
    symlinkSync(at('real'), at('root-link'));
    writeFileAtomic(at('root-link/out.csv'), 'x', 'the output', { root: at('root-link') });
    expect(readFileSync(at('real/out.csv'), 'utf8')).toBe('x');
    expect(thrown(() => writeFileAtomic(at('elsewhere.csv'), 'x', 'the output', { root: at('real') })).message).toMatch(
      /: it is not inside .*\/real$/
    );
  });

  it('by default checks the folders below the current directory, and only the file itself elsewhere', () => {
    mkdirSync(at('real'));
    symlinkSync(at('real'), at('reports'));
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      expect(thrown(() => writeFileAtomic('reports/out.csv', 'x')).message).toMatch(/its folder .*\/reports is a symbolic link/);
    } finally {
      process.chdir(cwd);
    }
    // Named from elsewhere, the folder is the user's choice: written (into the real folder).
    writeFileAtomic(at('reports/out.csv'), 'x');
    expect(lstatSync(at('real/out.csv')).isFile()).toBe(true);
  });

  it('refuses a folder or a file standing where a folder should be', () => {
    mkdirSync(at('folder.csv'));
    writeFileSync(at('file'), 'x');
    expect(thrown(() => writeFileAtomic(at('folder.csv'), 'x', 'the output', { root: dir })).message).toMatch(
      /it exists and is not a regular file$/
    );
    expect(thrown(() => writeFileAtomic(at('file/out.csv'), 'x', 'the output', { root: dir })).message).toMatch(
      /\/file is a file, not a folder$/
    );
  });

  it('checks again before the rename: a symlink that appears meanwhile is refused', () => {
    const output = AtomicFile.open(at('late.csv'), 'the output', { root: dir });
    output.write('x');
    symlinkSync(at('victim.txt'), at('late.csv'));
    expect(() => output.commit()).toThrow(/it is a symbolic link; refusing to write through it/);
    expect(existsSync(at('victim.txt'))).toBe(false);
    expect(readdirSync(dir)).toEqual(['late.csv']);
  });
});

describe('atomicWriteStream', () => {
  it('writes the file when the stream finishes, and leaves the destination as it was when it is destroyed', async () => {
    writeFileSync(at('out.csv'), 'old\n');
    const failed = atomicWriteStream(at('out.csv'), 'the output', { root: dir });
    failed.on('error', () => undefined);
    failed.write('half');
    await new Promise((resolve) => failed.once('close', resolve).destroy(new Error('interrupted')));
    expect(readFileSync(at('out.csv'), 'utf8')).toBe('old\n');
    const stream = atomicWriteStream(at('out.csv'), 'the output', { root: dir });
    stream.write('a,b\n');
    await new Promise<void>((resolve, reject) => stream.on('error', reject).end('1,2\n', () => resolve()));
    expect(readFileSync(at('out.csv'), 'utf8')).toBe('a,b\n1,2\n');
    expect(readdirSync(dir)).toEqual(['out.csv']);
  });

  it('refuses a symlink at once', () => {
    symlinkSync(at('victim'), at('link.csv'));
    expect(() => atomicWriteStream(at('link.csv'), 'the mined file')).toThrow(
      /cannot write the mined file .*link\.csv: it is a symbolic link/
    );
  });
});

describe('other CLI outputs', () => {
  it('generate --out and evaluate --report refuse a symlink too', () => {
    writeFileSync(at('victim'), 'precious\n');
    symlinkSync(at('victim'), at('generated.csv'));
    const generate = spawnSync(process.execPath, [BIN, 'generate', '--rows', '20', '--out', 'generated.csv'], {
      cwd: dir,
      encoding: 'utf8'
    });
    expect(generate.status).toBe(2);
    expect(generate.stderr).toBe(
      'error: cannot write the generated file generated.csv: it is a symbolic link; refusing to write through it; --out chooses another place for it\n'
    );
    spawnSync(process.execPath, [BIN, 'generate', '--rows', '300', '--out', 'labelled.csv'], { cwd: dir });
    mkdirSync(at('report'));
    symlinkSync(at('victim'), at('report/index.html'));
    const evaluate = spawnSync(process.execPath, [BIN, 'evaluate', 'labelled.csv', '--model', 'firmware', '--report', 'report'], {
      cwd: dir,
      encoding: 'utf8'
    });
    expect(evaluate.status).toBe(2);
    expect(evaluate.stderr).toMatch(
      /^error: cannot write the report page report\/index\.html: it is a symbolic link; .*--report chooses another folder\n$/
    );
    expect(readFileSync(at('victim'), 'utf8')).toBe('precious\n');
  });
});

describe('confined reading and JSON messages', () => {
  it('outsideRoot tells where a symlink really leads', () => {
    mkdirSync(at('root'));
    writeFileSync(at('secret'), 'x');
    symlinkSync(at('secret'), at('root/link'));
    writeFileSync(at('root/plain'), 'x');
    expect(outsideRoot(at('root/link'), at('root'))).toBe(at('secret'));
    expect(outsideRoot(at('root/plain'), at('root'))).toBeUndefined();
    expect(outsideRoot(at('root/missing'), at('root'))).toBeUndefined();
  });

  it('jsonSyntaxProblem never quotes the text', () => {
    const problem = (text: string): string => {
      try {
        JSON.parse(text);
      } catch (error) {
        return jsonSyntaxProblem(error);
      }
      return 'parsed';
    };
    expect(problem('root:x:0:0:root:/root:/bin/bash')).toBe('not valid JSON');
    expect(problem('{"a": ')).toBe('not valid JSON (it ends too early)');
    expect(problem('{"secret" 1}')).toMatch(/^not valid JSON( \(at character \d+\))?$/);
  });
});

describe('the CLI, when an output cannot be written', () => {
  it('names the output and says --out chooses another place', () => {
    writeFileSync(at('patches.csv'), `${HEADER}\nP-1,0.05,0.2,12,1,60,0,0\n`);
    // /sys refuses new files even to root.
    const run = spawnSync(process.execPath, [BIN, 'gate', at('patches.csv'), '--out', '/sys/patches.scored.csv'], { encoding: 'utf8' });
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(
      'error: cannot write the scored file /sys/patches.scored.csv: permission denied; --out chooses another place for it\n'
    );
  });

  it('refuses to write the scored file through a symlink beside the input', () => {
    writeFileSync(at('patches.csv'), `${HEADER}\nP-1,0.05,0.2,12,1,60,0,0\n`);
    writeFileSync(at('victim'), 'precious\n');
    symlinkSync(at('victim'), at('patches.scored.csv'));
    const run = spawnSync(process.execPath, [BIN, 'gate', 'patches.csv'], { cwd: dir, encoding: 'utf8' });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(
      /^error: cannot write the scored file patches\.scored\.csv: it is a symbolic link; refusing to write through it; --out /
    );
    expect(readFileSync(at('victim'), 'utf8')).toBe('precious\n');
  });
});
