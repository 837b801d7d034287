/**
 * Parser for `git log -z --numstat --format=<LOG_FORMAT>` output, fed chunk by chunk.
 *
 * With -z every field and every numstat entry ends in NUL and paths are raw (never
 * C-quoted), so names with spaces, tabs, quotes or " => " parse exactly. A rename
 * entry is `A\tD\t` NUL `old` NUL `new` NUL instead of the `{old => new}` form.
 * `--summary` lines (" create mode ...", " delete mode ...") are newline-terminated even
 * with -z; they follow the numstat entries and run straight into the next commit's hash.
 */

/** %H parents author-name author-email author-time subject body; mailmap applies to %aN/%aE. */
export const LOG_FORMAT = '%H%x00%P%x00%aN%x00%aE%x00%at%x00%s%x00%b';
const HEADER_FIELDS = 7;

export interface RawFileChange {
  /** Path after the commit. */
  path: string;
  /** Path before the commit when git detected a rename. */
  oldPath?: string;
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
  files: RawFileChange[];
  /** Paths the commit created / deleted (from --summary). */
  created: string[];
  deleted: string[];
}

const SUMMARY = /^ (create|delete) mode \d+ ([\s\S]*)$/;
const NUMSTAT = /^(\d+|-)\t(\d+|-)\t([\s\S]*)$/;

function count(raw: string): number | null {
  return raw === '-' ? null : Number(raw);
}

/** Incremental parser: push() text chunks, receive complete commits. */
export class LogParser {
  private rest = '';
  private header: string[] = [];
  private current: RawCommit | undefined;
  /** A rename entry waiting for its old and new path tokens. */
  private pending: { added: number | null; deleted: number | null; paths: string[] } | undefined;

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
    if (this.header.length > 0) throw new Error(`git log output ended inside a commit header (${this.header.length} fields)`);
    if (this.current) out.push(this.current);
    this.current = undefined;
    return out;
  }

  private token(token: string, out: RawCommit[]): void {
    if (this.pending) {
      this.pending.paths.push(token);
      if (this.pending.paths.length === 2) {
        const [oldPath, path] = this.pending.paths as [string, string];
        this.current!.files.push({ path, oldPath, added: this.pending.added, deleted: this.pending.deleted });
        this.pending = undefined;
      }
      return;
    }
    if (this.header.length === 0 && this.current) {
      // The first numstat entry after a header starts with the newline git prints after the format.
      const entry = token.charCodeAt(0) === 10 ? token.slice(1) : token;
      if (entry.charCodeAt(0) === 32) {
        const end = entry.lastIndexOf('\n');
        this.summary(entry.slice(0, end));
        const next = entry.slice(end + 1);
        if (next === '') return;
        out.push(this.current);
        this.current = undefined;
        this.header.push(next);
        return;
      }
      const m = NUMSTAT.exec(entry);
      if (m) {
        const added = count(m[1]!);
        const deleted = count(m[2]!);
        if (m[3] === '') this.pending = { added, deleted, paths: [] };
        else this.current.files.push({ path: m[3]!, added, deleted });
        return;
      }
      out.push(this.current);
      this.current = undefined;
    }
    this.header.push(token);
    if (this.header.length === HEADER_FIELDS) {
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
      if (!/^[0-9a-f]{40,64}$/.test(hash)) throw new Error(`unexpected git log output: "${hash.slice(0, 60)}" is not a commit hash`);
      this.current = {
        hash,
        parents: parents === '' ? [] : parents.split(' '),
        authorName,
        authorEmail,
        time: Number(time),
        subject,
        body,
        files: [],
        created: [],
        deleted: []
      };
    }
  }

  private summary(lines: string): void {
    for (const line of lines.split('\n')) {
      const m = SUMMARY.exec(line);
      if (!m) continue;
      const path = unquotePath(m[2]!);
      if (m[1] === 'create') this.current!.created.push(path);
      else this.current!.deleted.push(path);
    }
  }
}

const ESCAPES: Record<string, number> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 34, '\\': 92 };

/** Undo git's C-style quoting ("a\\tb", octal UTF-8 bytes) used by --summary lines even under -z. */
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
