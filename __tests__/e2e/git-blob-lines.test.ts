/** Line counts of blobs, the way `git diff --numstat` counts them (the unit under `lt`). */
import { BlobReader, countLines, LineCount, MissingBlobError } from '../../src/git/blob-lines.js';
import { openTrustedGit } from '../../src/git/trusted.js';
import { ALICE, TestRepo } from '../helpers/git-helpers.js';

describe('line counts', () => {
  it('counts newlines, plus a last line without one; binary (NUL in the first 8,000 bytes) is 0', () => {
    expect(countLines(Buffer.from(''))).toBe(0);
    expect(countLines(Buffer.from('a'))).toBe(1);
    expect(countLines(Buffer.from('a\n'))).toBe(1);
    expect(countLines(Buffer.from('a\nb'))).toBe(2);
    expect(countLines(Buffer.from('\n\n\n'))).toBe(3);
    expect(countLines(Buffer.concat([Buffer.from('x\n'.repeat(3999)), Buffer.from([0])]))).toBe(0);
    // A NUL at byte 8,000 or later does not make the file binary (git looks at the first 8,000 bytes).
    expect(countLines(Buffer.concat([Buffer.from('x\n'.repeat(4000)), Buffer.from([0, 10])]))).toBe(4001);
  });

  it('gives the same count whatever the chunking', () => {
    const data = Buffer.from('line one\nline two\n\nlast without newline');
    for (let cut = 0; cut <= data.length; cut++) {
      const c = new LineCount(data.length);
      c.push(data.subarray(0, cut));
      c.push(data.subarray(cut));
      expect(c.result()).toBe(4);
    }
    const binary = Buffer.concat([Buffer.from('a\n'.repeat(3000)), Buffer.from([0]), Buffer.from('b\n'.repeat(5000))]);
    const c = new LineCount(binary.length);
    for (let at = 0; at < binary.length; at += 1000) c.push(binary.subarray(at, at + 1000));
    expect(c.result()).toBe(0);
  });

  it('reads blobs from a persistent git cat-file --batch, many at once', async () => {
    const repo = new TestRepo();
    try {
      repo.write('a.txt', 'x\n'.repeat(10));
      repo.write('b.txt', 'y\n'.repeat(70_000) + 'tail');
      repo.write('c.bin', Buffer.from([1, 2, 0, 3, 10, 10]));
      repo.commit(ALICE, 0, 'blobs');
      const git = await openTrustedGit(repo.dir);
      const ids = ['a.txt', 'b.txt', 'c.bin'].map((f) => repo.git(['rev-parse', `HEAD:${f}`]).trim());
      const reader = new BlobReader(git);
      try {
        expect(await Promise.all([...ids, ids[0]].map((id) => reader.lines(id)))).toEqual([10, 70_001, 0, 10]);
        await expect(reader.lines('1'.repeat(40))).rejects.toThrow(MissingBlobError);
        const commit = repo.head();
        await expect(reader.lines(commit)).rejects.toThrow(/is a commit, not a blob/);
        expect(await reader.lines(ids[1])).toBe(70_001);
      } finally {
        reader.close();
      }
    } finally {
      repo.remove();
    }
  });
});
