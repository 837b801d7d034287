/**
 * Line counts of blobs, for `lt` (lines of the touched files in the commit's first parent).
 *
 * Blob ids are content addresses, so a line count stored by blob id is right on every
 * branch. The replay keeps, per path, the blob it last saw there and its line count; a
 * change whose old blob is that one costs nothing. Otherwise the count comes from a bounded
 * map of recently displaced blobs, and failing that from a persistent `git cat-file --batch`
 * process. Lines are counted the way `git diff --numstat` counts them: newline characters,
 * plus one for a last line without a newline; a binary blob (a NUL byte in its first 8,000
 * bytes, or larger than 512 MiB, as git decides) has 0 lines.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import type { TrustedGit } from './trusted.js';

const BINARY_PROBE = 8000;
const BIG_FILE = 512 * 1024 * 1024;
/** Displaced blobs remembered (about 100 bytes each). */
const RECENT_BLOBS = 50_000;

/** Line count of one blob from its bytes, fed in chunks. */
export class LineCount {
  private lines = 0;
  private seen = 0;
  private last = -1;
  private binary: boolean;

  constructor(readonly size: number) {
    this.binary = size > BIG_FILE;
  }

  push(chunk: Uint8Array): void {
    if (this.binary || chunk.length === 0) return;
    if (this.seen < BINARY_PROBE && chunk.subarray(0, BINARY_PROBE - this.seen).includes(0)) {
      this.binary = true;
      return;
    }
    let at = chunk.indexOf(10);
    while (at >= 0) {
      this.lines++;
      at = chunk.indexOf(10, at + 1);
    }
    this.seen += chunk.length;
    this.last = chunk[chunk.length - 1]!;
  }

  result(): number {
    if (this.binary) return 0;
    return this.lines + (this.seen > 0 && this.last !== 10 ? 1 : 0);
  }
}

/** Line count of a whole buffer (tests and small blobs). */
export function countLines(data: Uint8Array): number {
  const c = new LineCount(data.length);
  c.push(data);
  return c.result();
}

/** The object a count was asked for is missing or not a blob (a submodule commit, a partial clone). */
export class MissingBlobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MissingBlobError';
  }
}

interface Pending {
  blob: string;
  resolve: (lines: number) => void;
  reject: (err: Error) => void;
}

/** A persistent `git cat-file --batch` that answers "how many lines has blob X". */
export class BlobReader {
  private child: ChildProcessWithoutNullStreams | undefined;
  private readonly queue: Pending[] = [];
  private header: Buffer[] = [];
  /** Bytes of the current body still to read (content + trailing LF), and its counter. */
  private remaining = 0;
  private counting: LineCount | undefined;
  private owner: Pending | undefined;
  private failure: Error | undefined;
  private stderr = '';
  /** Blobs read so far (for the benchmark). */
  reads = 0;

  constructor(private readonly git: TrustedGit) {}

  lines(blob: string): Promise<number> {
    if (this.failure) return Promise.reject(this.failure);
    const child = this.start();
    return new Promise((resolve, reject) => {
      this.queue.push({ blob, resolve, reject });
      child.stdin.write(`${blob}\n`);
    });
  }

  close(): void {
    if (!this.child) return;
    this.child.stdin.end();
    this.child = undefined;
  }

  private start(): ChildProcessWithoutNullStreams {
    if (this.child) return this.child;
    const { argv, env, cwd } = this.git.invocation(['cat-file', '--batch']);
    const child = spawn('git', argv, { env, cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    child.stdin.on('error', () => undefined);
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (s: string) => {
      if (this.stderr.length < 4096) this.stderr += s;
    });
    child.stdout.on('data', (chunk: Buffer) => this.data(chunk));
    child.once('error', (err) => this.fail(new Error(`git cat-file --batch could not start: ${err.message}`)));
    child.once('close', (code) => {
      if (this.queue.length > 0 || this.remaining > 0)
        this.fail(new Error(`git cat-file --batch exited (${code}) with requests pending: ${this.stderr.trim()}`));
      if (this.child === child) this.child = undefined;
    });
    this.child = child;
    return child;
  }

  private fail(err: Error): void {
    this.failure = err;
    if (this.remaining > 0) this.owner?.reject(err);
    this.owner = undefined;
    for (const p of this.queue.splice(0)) p.reject(err);
  }

  private data(chunk: Buffer): void {
    let at = 0;
    while (at < chunk.length) {
      if (this.remaining > 0) {
        const take = Math.min(this.remaining, chunk.length - at);
        // The body is followed by one LF that is not content.
        const content = Math.min(take, this.remaining - 1);
        if (content > 0) this.counting!.push(chunk.subarray(at, at + content));
        this.remaining -= take;
        at += take;
        if (this.remaining === 0) this.owner?.resolve(this.counting!.result());
        continue;
      }
      const nl = chunk.indexOf(10, at);
      if (nl < 0) {
        this.header.push(chunk.subarray(at));
        return;
      }
      this.header.push(chunk.subarray(at, nl));
      at = nl + 1;
      const line = Buffer.concat(this.header).toString('utf8');
      this.header = [];
      this.answer(line);
    }
  }

  private answer(line: string): void {
    const pending = this.queue.shift();
    if (!pending) return this.fail(new Error(`git cat-file --batch printed "${line.slice(0, 80)}" unasked`));
    const m = /^([0-9a-f]+) (\S+) (\d+)$/.exec(line);
    if (!m) {
      pending.reject(
        new MissingBlobError(`blob ${pending.blob} is not in the repository (${line.slice(0, 80)}); is the clone partial or shallow?`)
      );
      return;
    }
    const size = Number(m[3]);
    this.counting = new LineCount(size);
    this.remaining = size + 1;
    if (m[2] === 'blob') {
      this.owner = pending;
      this.reads++;
    } else {
      // Its body still follows and is skipped.
      this.owner = undefined;
      pending.reject(new MissingBlobError(`object ${pending.blob} is a ${m[2]}, not a blob`));
    }
  }
}

interface PathEntry {
  blob: string;
  /** -1: not known yet (a binary change, or a merge result), read on demand. */
  lines: number;
}

/** Per-path blob and line count, a bounded map of displaced blobs, and the reader behind them. */
export class BlobLines {
  private byPath = new Map<string, PathEntry>();
  private recent = new Map<string, number>();

  constructor(private readonly reader: BlobReader) {}

  /** Lines of `blob` (last seen at `path`), if known without reading it. */
  known(path: string, blob: string): number | undefined {
    const entry = this.byPath.get(path);
    if (entry && entry.blob === blob && entry.lines >= 0) return entry.lines;
    return this.recent.get(blob);
  }

  /**
   * Read the blobs that are not known yet; afterwards known() answers for all of them.
   * `missingIsEmpty`: count an object that is missing or not a blob as 0 lines instead of failing.
   */
  async fetch(wanted: readonly ({ path: string; blob: string } | undefined)[], missingIsEmpty = false): Promise<void> {
    let missing: string[] | undefined;
    for (const w of wanted) {
      if (w && this.known(w.path, w.blob) === undefined) (missing ??= []).push(w.blob);
    }
    if (!missing) return;
    missing = [...new Set(missing)];
    const read = (blob: string) =>
      missingIsEmpty
        ? this.reader.lines(blob).catch((err: unknown) => (err instanceof MissingBlobError ? 0 : Promise.reject(err)))
        : this.reader.lines(blob);
    const counts = await Promise.all(missing.map(read));
    missing.forEach((blob, i) => this.remember(blob, counts[i]!));
  }

  /** Would fetch() have to read any of these blobs? */
  missing(wanted: readonly ({ path: string; blob: string } | undefined)[]): boolean {
    for (const w of wanted) if (w && this.known(w.path, w.blob) === undefined) return true;
    return false;
  }

  /** `path` now holds `blob` with `lines` (-1 when unknown); the blob it held stays findable by id for a while. */
  record(path: string, blob: string, lines: number): void {
    const entry = this.byPath.get(path);
    if (!entry) {
      this.byPath.set(path, { blob, lines });
      return;
    }
    if (entry.blob !== blob && entry.lines >= 0) this.remember(entry.blob, entry.lines);
    entry.blob = blob;
    entry.lines = lines;
  }

  /** `path` no longer exists; its blob stays findable by id for a while. */
  forget(path: string): void {
    const old = this.byPath.get(path);
    if (!old) return;
    this.byPath.delete(path);
    if (old.lines >= 0) this.remember(old.blob, old.lines);
  }

  get paths(): number {
    return this.byPath.size;
  }

  /** [path, blob, lines] triples in insertion order (the cache). */
  entries(): [string, string, number][] {
    return [...this.byPath].map(([path, e]) => [path, e.blob, e.lines]);
  }

  restore(entries: Iterable<[string, string, number]>): void {
    this.byPath = new Map();
    this.recent = new Map();
    for (const [path, blob, lines] of entries) this.byPath.set(path, { blob, lines });
  }

  /** First in, first out: the oldest remembered blob goes when the map is full. */
  private remember(blob: string, lines: number): void {
    const fresh = !this.recent.has(blob);
    this.recent.set(blob, lines);
    if (fresh && this.recent.size > RECENT_BLOBS) this.recent.delete(this.recent.keys().next().value!);
  }
}
