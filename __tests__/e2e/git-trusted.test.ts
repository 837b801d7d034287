/**
 * The miner's git calls cannot be steered by what a pull request controls (issue 17 item 2):
 * its .gitattributes, its .mailmap, nor by a repository's or user's git configuration.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mineAll, type CommitMetrics } from '../../src/git/index.js';
import { ALICE, BOB, linesFrom, TestRepo, type Person } from '../helpers/git-helpers.js';

const metrics = (r: CommitMetrics) => {
  const { ns, nd, nf, entropy, la, ld, lt, ndev, age, nuc, exp, rexp, sexp, files, ignoredLines } = r;
  return { ns, nd, nf, entropy, la, ld, lt, ndev, age, nuc, exp, rexp, sexp, files, ignoredLines };
};

/** 30 files of 300 lines, then a commit growing each by 100 lines and changing 5 (with or without `* -diff` attributes). */
function build(withAttributes: boolean): TestRepo {
  const repo = new TestRepo();
  for (let i = 0; i < 30; i++) repo.write(`src/m${i % 3}/f${i}.c`, linesFrom(`f${i}-`, 1, 300));
  repo.commit(ALICE, 0, 'base');
  if (withAttributes) {
    repo.write('.gitattributes', '* -diff\n');
    repo.write('src/.gitattributes', '*.c binary\n');
  }
  for (let i = 0; i < 30; i++) {
    repo.write(`src/m${i % 3}/f${i}.c`, linesFrom(`f${i}-`, 1, 295) + linesFrom(`new${i}-`, 1, 105));
  }
  repo.commit(BOB, 1, 'big change');
  for (let i = 0; i < 30; i += 7) repo.write(`src/m${i % 3}/f${i}.c`, linesFrom(`again${i}-`, 1, 10));
  repo.commit(ALICE, 2, 'rewrite some');
  return repo;
}

describe('trusted git calls', () => {
  it('a `* -diff` .gitattributes in the checkout changes no metric', async () => {
    const plain = build(false);
    const hostile = build(true);
    try {
      const [p, h] = [await mineAll({ repo: plain.dir }), await mineAll({ repo: hostile.dir })];
      // The attribute files themselves are two one-line text files.
      expect(h[1]).toMatchObject({ la: 30 * 105 + 2, ld: 30 * 5, nf: 32, lt: 30 * 300 });
      expect(p[1]).toMatchObject({ la: 30 * 105, ld: 30 * 5, nf: 30, lt: 30 * 300 });
      expect(metrics(h[2])).toEqual(metrics(p[2]));
      expect(h[2].la).toBeGreaterThan(0);
    } finally {
      plain.remove();
      hostile.remove();
    }
  });

  it('a .mailmap in the repository does not merge identities', async () => {
    const repo = new TestRepo();
    const robert: Person = { name: 'Robert', email: 'robert@elsewhere.org' };
    try {
      repo.write('a.c', linesFrom('a', 1, 10));
      repo.write('.mailmap', 'Bob <bob@example.com> Robert <robert@elsewhere.org>\n');
      repo.commit(BOB, 0, 'bob');
      repo.write('a.c', linesFrom('a', 1, 12));
      repo.commit(robert, 1, 'robert');
      const [, r] = await mineAll({ repo: repo.dir });
      // Mapped, Robert would be Bob: ndev 1 and exp 3 (2 files + this one).
      expect(r).toMatchObject({ author: 'Robert', email: 'robert@elsewhere.org', ndev: 2, exp: 1 });
      expect(r.reviewers.map((x) => x.name)).toEqual(['Bob']);
    } finally {
      repo.remove();
    }
  });

  it("the repository's git configuration does not change metrics", async () => {
    const repo = new TestRepo();
    try {
      repo.write('dir/a b.c', linesFrom('a', 1, 40));
      repo.write('dir/ü.c', linesFrom('u', 1, 20));
      repo.write('x.c', linesFrom('x', 1, 30));
      repo.commit(ALICE, 0, 'root');
      repo.git(['mv', 'x.c', 'dir/x.c']);
      repo.write('dir/a b.c', linesFrom('a', 1, 20) + linesFrom('b', 1, 25));
      repo.commit(BOB, 1, 'move and edit');
      const clean = await mineAll({ repo: repo.dir });
      writeFileSync(join(repo.dir, 'attributes-everywhere'), '* -diff\n');
      writeFileSync(join(repo.dir, 'order'), 'x.c\n*\n');
      for (const [key, value] of [
        ['diff.renames', 'false'],
        ['diff.algorithm', 'patience'],
        ['diff.orderFile', join(repo.dir, 'order')],
        ['diff.relative', 'true'],
        ['diff.noprefix', 'true'],
        ['log.showRoot', 'false'],
        ['log.showSignature', 'true'],
        ['log.mailmap', 'true'],
        ['core.quotePath', 'true'],
        ['core.attributesFile', join(repo.dir, 'attributes-everywhere')],
        ['core.bigFileThreshold', '10'],
        ['i18n.logOutputEncoding', 'ISO-8859-1'],
        ['color.ui', 'always']
      ]) {
        repo.git(['config', key, value]);
      }
      expect(await mineAll({ repo: repo.dir })).toEqual(clean);
      expect(clean[1]).toMatchObject({ files: ['dir/a b.c', 'dir/x.c'], lt: 70, la: 25, ld: 20 });
    } finally {
      repo.remove();
    }
  });
});
