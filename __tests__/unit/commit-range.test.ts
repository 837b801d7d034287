import { commitRangeOf } from '../../src/action/event.js';
import { modelRefFor } from '../../src/index.js';
import { noreplyLogin } from '../../src/action/reviewers.js';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const ZERO = '0'.repeat(40);

describe('commitRangeOf', () => {
  it('takes base..head of a pull request', () => {
    expect(commitRangeOf('pull_request', { pull_request: { number: 1, base: { sha: A }, head: { sha: B } } })).toEqual({
      range: { base: A, head: B }
    });
    expect(commitRangeOf('pull_request_target', { pull_request: { number: 1, base: { sha: A }, head: { sha: B } } })).toEqual({
      range: { base: A, head: B }
    });
    expect(commitRangeOf('pull_request', { pull_request: { number: 1 } })).toEqual({
      problem: 'the pull_request event payload has no pull_request.base.sha and head.sha commit hashes'
    });
  });

  it('takes before..after of a push; a new branch is compared with the default branch', () => {
    expect(commitRangeOf('push', { before: A, after: B })).toEqual({ range: { base: A, head: B } });
    expect(commitRangeOf('push', { before: ZERO, after: B, repository: { default_branch: 'main' } })).toEqual({
      range: { base: 'refs/remotes/origin/main', head: B }
    });
    expect(commitRangeOf('push', { before: ZERO, after: B, repository: { default_branch: '-x' } })).toHaveProperty('problem');
    expect(commitRangeOf('push', { before: A, after: ZERO, deleted: true })).toEqual({
      problem: 'this push deleted a branch: there are no commits to score'
    });
    expect(commitRangeOf('push', { before: A, after: '--upload-pack=x' })).toEqual({
      problem: 'the push event payload has no "after" commit hash'
    });
  });

  it('has no commits for other events', () => {
    expect(commitRangeOf('workflow_dispatch', {})).toEqual({
      problem:
        'commit mode scores the commits of a pull_request or push event, and this run is a "workflow_dispatch" event; set the patches input to score a patch feature file instead'
    });
  });
});

describe('model: auto', () => {
  it('is firmware for a patch file and jit for commits; anything else is kept', () => {
    expect(modelRefFor('auto', 'patches')).toBe('firmware');
    expect(modelRefFor('auto', 'commits')).toBe('jit');
    expect(modelRefFor('jit@v002', 'patches')).toBe('jit@v002');
  });
});

describe('noreplyLogin', () => {
  it('reads the login of a GitHub no-reply address only', () => {
    expect(noreplyLogin('12345+octocat@users.noreply.github.com')).toBe('octocat');
    expect(noreplyLogin('octocat@users.noreply.github.com')).toBe('octocat');
    expect(noreplyLogin('octocat@example.com')).toBeUndefined();
    expect(noreplyLogin('a b@users.noreply.github.com')).toBeUndefined();
  });
});
