/**
 * The changes a merge commit makes on its own: lines that are in none of its parents.
 *
 * Parsed from `git log --cc -p --full-index --format=<MERGE_FORMAT>` over merge commits.
 * The dense combined diff (`--cc`) shows only files whose merged content differs from every
 * parent, and only hunks where the result is not simply one parent's version. A line whose
 * prefix columns (one per parent) are all `+` is in none of the parents (added by the merge
 * itself: an "evil" merge or a conflict resolution); all `-` means the merge deleted a line
 * every parent had. A clean merge shows nothing: everything it brings in was scored in the
 * commits it merges.
 */
import { unquotePath } from './log-parser.js';

/** Each merge starts with a line `\x01<hash> <parents...>`; \x01 cannot start any diff line. */
export const MERGE_FORMAT = '%x01%H %P';

export interface MergeFileChange {
  path: string;
  /** Lines in none of the parents / deleted from all of them; 0 for binary files. */
  added: number;
  deleted: number;
  binary: boolean;
  created: boolean;
  removed: boolean;
  /** The file's blob in the first parent (all zeros when the merge created it). */
  firstParentBlob: string;
  /** The file's blob after the merge (all zeros when the merge deleted it). */
  resultBlob: string;
}

export interface MergeChanges {
  hash: string;
  parents: string[];
  files: MergeFileChange[];
}

const INDEX = /^index ([0-9a-f]+)(?:,[0-9a-f]+)+\.\.([0-9a-f]+)/;

function malformed(what: string): Error {
  return new Error(`unexpected git log --cc output: ${what}`);
}

/** Incremental, line-based parser: push() text chunks, receive merges once the next one starts (or at end()). */
export class MergeDiffParser {
  private rest = '';
  private current: MergeChanges | undefined;
  private file: MergeFileChange | undefined;
  private inHunk = false;
  private hunkMark = '';

  push(chunk: string, out: MergeChanges[] = []): MergeChanges[] {
    const text = this.rest + chunk;
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      if (nl < 0) break;
      this.line(text.slice(start, nl), out);
      start = nl + 1;
    }
    this.rest = text.slice(start);
    return out;
  }

  end(out: MergeChanges[] = []): MergeChanges[] {
    if (this.rest !== '') this.line(this.rest, out);
    this.rest = '';
    if (this.current) out.push(this.current);
    this.current = undefined;
    return out;
  }

  private line(line: string, out: MergeChanges[]): void {
    if (line.charCodeAt(0) === 1) {
      if (this.current) out.push(this.current);
      const [hash, ...parents] = line.slice(1).split(' ');
      if (!hash || !/^[0-9a-f]{40,64}$/.test(hash)) throw malformed(`"${line.slice(1, 60)}" is not a commit hash`);
      this.current = { hash, parents, files: [] };
      this.file = undefined;
      this.inHunk = false;
      this.hunkMark = '@'.repeat(parents.length + 1);
      return;
    }
    if (!this.current) {
      if (line === '') return;
      throw malformed(`"${line.slice(0, 60)}" before the first commit`);
    }
    if (line.startsWith('diff --cc ') || line.startsWith('diff --combined ')) {
      const path = unquotePath(line.slice(line.indexOf(' ', 5) + 1));
      this.file = { path, added: 0, deleted: 0, binary: false, created: false, removed: false, firstParentBlob: '', resultBlob: '' };
      this.current.files.push(this.file);
      this.inHunk = false;
      return;
    }
    const file = this.file;
    if (!file) return; // the blank line after the commit line
    if (this.inHunk) {
      const c = line.charCodeAt(0);
      if (c === 64 /* @ */ || c === 92 /* \ */) return;
      const n = this.current.parents.length;
      let plus = 0;
      let minus = 0;
      for (let i = 0; i < n; i++) {
        const p = line.charCodeAt(i);
        if (p === 43) plus++;
        else if (p === 45) minus++;
      }
      if (plus === n) file.added++;
      else if (minus === n) file.deleted++;
      return;
    }
    if (line.startsWith(this.hunkMark)) {
      this.inHunk = true;
      return;
    }
    const index = INDEX.exec(line);
    if (index) {
      file.firstParentBlob = index[1]!;
      file.resultBlob = index[2]!;
    } else if (line.startsWith('new file mode')) file.created = true;
    else if (line.startsWith('deleted file mode')) file.removed = true;
    else if (line.startsWith('Binary files')) file.binary = true;
  }
}
