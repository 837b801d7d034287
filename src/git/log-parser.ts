/**
 * Parser for `git log -z --raw --numstat --no-abbrev --format=<LOG_FORMAT>` output, fed chunk by chunk.
 *
 * With -z every field and every entry ends in NUL and paths are raw (never C-quoted), so
 * names with spaces, tabs, quotes or " => " parse exactly. After a commit's header come its
 * raw entries (`:oldmode newmode oldblob newblob status` NUL path NUL, two paths for a
 * rename), then one numstat entry per raw entry in the same order (`added\tdeleted\tpath`
 * NUL, or `added\tdeleted\t` NUL old NUL new NUL for a rename); the first entry starts with
 * the newline git prints after the header. A commit without changes (or a merge, whose diff
 * is not asked for) is followed directly by the next header.
 */

/** %H parents author-name author-email author-time subject body. %an/%ae: no .mailmap (the PR controls it). */
export const LOG_FORMAT = '%H%x00%P%x00%an%x00%ae%x00%at%x00%s%x00%b';
const HEADER_FIELDS = 7;

/** Mode of a submodule entry: its "blob" is a commit of another repository. */
export const GITLINK_MODE = '160000';

export interface RawFileChange {
  /** A added, D deleted, M modified, R renamed, T type changed (`git diff --raw` letters, score dropped). */
  status: string;
  /** Path after the commit (for a deletion, the deleted path). */
  path: string;
  /** Path before the commit when git detected a rename. */
  oldPath?: string;
  oldMode: string;
  newMode: string;
  /** Blob ids; all zeros for the missing side of an addition or deletion. */
  oldBlob: string;
  newBlob: string;
  /** Lines added/deleted; null for binary files (numstat `-`). */
  added: number | null;
  deleted: number | null;
}

export interface RawCommit {
  hash: string;
  parents: string[];
  authorName: string;
  authorEmail: string;
  /** Author time, unix seconds. */
  time: number;
  subject: string;
  body: string;
  /** Changes against the only parent (against the empty tree for a root commit); empty for merges. */
  files: RawFileChange[];
}

const RAW = /^:(\d{6}) (\d{6}) ([0-9a-f]{40,64}) ([0-9a-f]{40,64}) ([A-Z])\d*$/;
const NUMSTAT = /^(\d+|-)\t(\d+|-)\t([\s\S]*)$/;
const HASH = /^[0-9a-f]{40,64}$/;

function count(raw: string): number | null {
  return raw === '-' ? null : Number(raw);
}

function malformed(what: string): Error {
  return new Error(`unexpected git log output: ${what}`);
}

/** Incremental parser: push() text chunks, receive complete commits. */
export class LogParser {
  private rest = '';
  private header: string[] = [];
  private current: RawCommit | undefined;
  /** A raw entry waiting for its path token(s). */
  private raw: { fields: RegExpExecArray; paths: string[]; want: number } | undefined;
  /** A numstat rename entry waiting for its old and new path tokens. */
  private rename: { added: number | null; deleted: number | null; paths: string[] } | undefined;
  private numstats = 0;

  /** Feed a chunk; returns the commits completed by it (the last one stays open until the next header or end()). */
  push(chunk: string, out: RawCommit[] = []): RawCommit[] {
    const text = this.rest + chunk;
    let start = 0;
    for (;;) {
      const nul = text.indexOf('\0', start);
      if (nul < 0) break;
      this.token(text.slice(start, nul), out);
      start = nul + 1;
    }
    this.rest = text.slice(start);
    return out;
  }

  /** Flush at end of stream. */
  end(out: RawCommit[] = []): RawCommit[] {
    if (this.rest !== '') this.token(this.rest, out);
    this.rest = '';
    if (this.header.length > 0) throw malformed(`output ended inside a commit header (${this.header.length} fields)`);
    if (this.raw || this.rename) throw malformed('output ended inside a file entry');
    this.finish(out);
    return out;
  }

  private token(token: string, out: RawCommit[]): void {
    if (this.raw) return this.rawPath(token);
    if (this.rename) return this.renamePath(token);
    if (this.header.length === 0 && this.current) {
      const entry = token.charCodeAt(0) === 10 ? token.slice(1) : token;
      if (entry.charCodeAt(0) === 58 /* : */) {
        const fields = RAW.exec(entry);
        if (!fields) throw malformed(`"${entry.slice(0, 80)}" is not a raw diff entry`);
        if (this.numstats > 0) throw malformed('a raw diff entry after numstat entries');
        this.raw = { fields, paths: [], want: fields[5] === 'R' || fields[5] === 'C' ? 2 : 1 };
        return;
      }
      const m = NUMSTAT.exec(entry);
      if (m) {
        const added = count(m[1]!);
        const deleted = count(m[2]!);
        if (m[3] === '') this.rename = { added, deleted, paths: [] };
        else this.numstat(m[3]!, added, deleted);
        return;
      }
      this.finish(out);
    }
    this.header.push(token);
    if (this.header.length === HEADER_FIELDS) this.startCommit();
  }

  private rawPath(token: string): void {
    const raw = this.raw!;
    raw.paths.push(token);
    if (raw.paths.length < raw.want) return;
    const [, oldMode, newMode, oldBlob, newBlob, status] = raw.fields as unknown as [string, string, string, string, string, string];
    const change: RawFileChange = { status, path: raw.paths[raw.want - 1]!, oldMode, newMode, oldBlob, newBlob, added: 0, deleted: 0 };
    if (raw.want === 2) change.oldPath = raw.paths[0];
    this.current!.files.push(change);
    this.raw = undefined;
  }

  private renamePath(token: string): void {
    const rename = this.rename!;
    rename.paths.push(token);
    if (rename.paths.length < 2) return;
    this.numstat(rename.paths[1]!, rename.added, rename.deleted);
    this.rename = undefined;
  }

  /** Numstat entries come in the order of the raw entries: the n-th one completes the n-th file. */
  private numstat(path: string, added: number | null, deleted: number | null): void {
    const file = this.current!.files[this.numstats];
    if (!file || file.path !== path) throw malformed(`numstat entry for "${path}" does not match the raw entries of ${this.current!.hash}`);
    file.added = added;
    file.deleted = deleted;
    this.numstats += 1;
  }

  private startCommit(): void {
    const [hash, parents, authorName, authorEmail, time, subject, body] = this.header as [
      string,
      string,
      string,
      string,
      string,
      string,
      string
    ];
    this.header = [];
    if (!HASH.test(hash)) throw malformed(`"${hash.slice(0, 60)}" is not a commit hash`);
    this.current = {
      hash,
      parents: parents === '' ? [] : parents.split(' '),
      authorName,
      authorEmail,
      time: Number(time),
      subject,
      body,
      files: []
    };
    this.numstats = 0;
  }

  private finish(out: RawCommit[]): void {
    const c = this.current;
    if (!c) return;
    if (this.numstats !== c.files.length)
      throw malformed(`${c.hash} has ${c.files.length} raw entries but ${this.numstats} numstat entries`);
    out.push(c);
    this.current = undefined;
  }
}

const ESCAPES: Record<string, number> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 34, '\\': 92 };

/** Undo git's C-style quoting ("a\\tb", octal UTF-8 bytes) of paths in patch headers. */
export function unquotePath(raw: string): string {
  if (raw.length < 2 || !raw.startsWith('"') || !raw.endsWith('"')) return raw;
  const bytes: number[] = [];
  const body = raw.slice(1, -1);
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (ch !== '\\') {
      bytes.push(...Buffer.from(ch, 'utf8'));
      continue;
    }
    const next = body[i + 1] ?? '';
    if (/[0-7]/.test(next)) {
      bytes.push(parseInt(body.slice(i + 1, i + 4), 8));
      i += 3;
    } else {
      bytes.push(ESCAPES[next] ?? next.charCodeAt(0));
      i += 1;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}
