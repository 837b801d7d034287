/**
 * A small fake of the GitHub REST API on 127.0.0.1, enough for the PR
 * comment: list issue comments (paginated with a Link header, as GitHub
 * does), create and update a comment, who the token is (GraphQL `viewer`,
 * GET /user); and for the PR's labels: list, add (creating a missing
 * repository label, as GitHub does), remove, and get or create a repository
 * label. Records every request and can be told to answer the next matching
 * requests with an error status or a redirect.
 *
 * By default the token behaves like the workflow's GITHUB_TOKEN: comments it
 * creates are by github-actions[bot] (type Bot), GraphQL's viewer is
 * github-actions[bot], and GET /user answers 403.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeComment {
  id: number;
  body: string;
  html_url: string;
  user: { login: string; type: string };
}

export interface RecordedRequest {
  method: string;
  /** Path without the API prefix, e.g. /repos/o/r/issues/1/comments. */
  path: string;
  query: Record<string, string>;
  authorization?: string;
  body?: { body?: string; labels?: string[]; name?: string; color?: string; description?: string };
  status: number;
}

export interface FakeLabel {
  name: string;
  color: string;
  description: string | null;
}

interface Failure {
  method?: string;
  status: number;
  times: number;
  /** Extra response headers (Retry-After, x-ratelimit-*). */
  headers?: Record<string, string>;
  message?: string;
  /** Not an error status but a slow answer: the request is handled, the answer sent this late. */
  delayMs?: number;
  /** Destroy the connection: before handling, or (afterHandling) halfway through the answer of a handled request. */
  drop?: 'before' | 'afterHandling';
  /** Answer with this redirect (a 3xx status) to `location`. */
  location?: string;
}

export class FakeGitHub {
  readonly requests: RecordedRequest[] = [];
  /** Commit author e-mail -> login, for `GET /repos/o/r/commits?author=EMAIL` (what GitHub attaches to their commits). */
  readonly logins = new Map<string, string>();
  private readonly comments = new Map<string, FakeComment[]>();
  /** Who the token is: the author of the comments it creates, GraphQL's viewer and (for a user) GET /user. */
  identity: { login: string; type: 'Bot' | 'User' } = { login: 'github-actions[bot]', type: 'Bot' };
  /** false: POST /graphql answers 404 (an API without GraphQL). */
  graphql = true;
  /** repo -> lower-cased name -> label (GitHub compares label names case-insensitively). */
  private readonly repoLabels = new Map<string, Map<string, FakeLabel>>();
  /** "repo#issue" -> names of the labels on it. */
  private readonly issueLabels = new Map<string, string[]>();
  private readonly failures: Failure[] = [];
  private nextId = 1000;
  private server?: Server;
  private base = '';

  /** `prefix` mimics GitHub Enterprise's /api/v3. */
  constructor(private readonly prefix = '') {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.base = `http://127.0.0.1:${port}`;
    return `${this.base}${this.prefix}`;
  }

  async stop(): Promise<void> {
    // Slow answers may still be pending: do not wait for them.
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Forget requests, comments and pending failures between tests. */
  reset(): void {
    this.requests.length = 0;
    this.logins.clear();
    this.comments.clear();
    this.repoLabels.clear();
    this.issueLabels.clear();
    this.failures.length = 0;
    this.linkOrigin = undefined;
    this.identity = { login: 'github-actions[bot]', type: 'Bot' };
    this.graphql = true;
  }

  /** Answer the next `times` requests (of `method`, when given) with `status` (and `headers`, `message`). */
  fail(status: number, options: { method?: string; times?: number; headers?: Record<string, string>; message?: string } = {}): void {
    this.failures.push({
      status,
      method: options.method,
      times: options.times ?? Infinity,
      headers: options.headers,
      message: options.message
    });
  }

  /** Handle the next `times` requests (of `method`) but answer each only after `delayMs`. */
  slow(delayMs: number, options: { method?: string; times?: number } = {}): void {
    this.failures.push({ status: 0, delayMs, method: options.method, times: options.times ?? Infinity });
  }

  /** Answer the next `times` requests (of `method`) with a redirect to `location`. */
  redirect(status: number, location: string, options: { method?: string; times?: number } = {}): void {
    this.failures.push({ status, location, method: options.method, times: options.times ?? Infinity });
  }

  /** Cut the connection of the next `times` requests (of `method`): unanswered, or halfway through the answer of a handled request. */
  drop(when: 'before' | 'afterHandling', options: { method?: string; times?: number } = {}): void {
    this.failures.push({ status: 0, drop: when, method: options.method, times: options.times ?? Infinity });
  }

  /** Page links point at this origin instead of this server (a hostile or misconfigured API). */
  linkOrigin?: string;

  /** A comment by `login`: type Bot for a `…[bot]` login (as GitHub reports apps), else User, unless `type` says otherwise. */
  addComment(repo: string, issue: number, body: string, login = 'someone', type?: 'Bot' | 'User'): FakeComment {
    const id = this.nextId++;
    const comment = {
      id,
      body,
      html_url: `https://github.example/${repo}/pull/${issue}#issuecomment-${id}`,
      user: { login, type: type ?? (login.endsWith('[bot]') ? 'Bot' : 'User') }
    };
    this.list(repo, issue).push(comment);
    return comment;
  }

  commentsOf(repo: string, issue: number): FakeComment[] {
    return this.list(repo, issue);
  }

  /** Names of the labels on an issue or PR. */
  labelsOf(repo: string, issue: number): string[] {
    return [...(this.issueLabels.get(`${repo}#${issue}`) ?? [])];
  }

  /** Put labels on an issue or PR (creating them in the repository), as someone did by hand. */
  setLabels(repo: string, issue: number, names: string[]): void {
    for (const name of names) this.ensureRepoLabel(repo, { name, color: 'ededed', description: null });
    this.issueLabels.set(`${repo}#${issue}`, [...names]);
  }

  /** A label of the repository, by name (any case). */
  repoLabel(repo: string, name: string): FakeLabel | undefined {
    return this.repoLabels.get(repo)?.get(name.toLowerCase());
  }

  private ensureRepoLabel(repo: string, label: FakeLabel): FakeLabel {
    if (!this.repoLabels.has(repo)) this.repoLabels.set(repo, new Map());
    const labels = this.repoLabels.get(repo) as Map<string, FakeLabel>;
    const existing = labels.get(label.name.toLowerCase());
    if (existing) return existing;
    labels.set(label.name.toLowerCase(), label);
    return label;
  }

  private list(repo: string, issue: number): FakeComment[] {
    const key = `${repo}#${issue}`;
    if (!this.comments.has(key)) this.comments.set(key, []);
    return this.comments.get(key) as FakeComment[];
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.base);
    const text = await readBody(req);
    const path = url.pathname.startsWith(this.prefix) ? url.pathname.slice(this.prefix.length) : url.pathname;
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      path,
      query: Object.fromEntries(url.searchParams),
      authorization: req.headers.authorization,
      body: text ? (JSON.parse(text) as { body?: string }) : undefined,
      status: 200
    };
    this.requests.push(record);
    const failure = this.failures.find((f) => f.times > 0 && (!f.method || f.method === record.method));
    if (failure) failure.times--;
    const send = (status: number, data: unknown, headers: Record<string, string> = {}): void => {
      record.status = status;
      const body = JSON.stringify(data);
      const answer = (): void => {
        res.writeHead(status, {
          'content-type': 'application/json; charset=utf-8',
          'content-length': String(Buffer.byteLength(body)),
          ...headers
        });
        if (failure?.drop === 'afterHandling') {
          record.status = -1;
          res.write(body.slice(0, Math.floor(body.length / 2)), () => req.socket.destroy());
        } else res.end(body);
      };
      // unref: a slow answer still pending when the tests end must not keep jest alive.
      if (failure?.delayMs) setTimeout(() => !res.destroyed && answer(), failure.delayMs).unref();
      else answer();
    };

    if (failure?.drop === 'before') {
      record.status = -1;
      req.socket.destroy();
      return;
    }
    if (failure?.location !== undefined) {
      send(failure.status, { message: 'Moved' }, { location: failure.location });
      return;
    }
    if (failure && failure.status > 0) {
      const message =
        failure.message ?? (failure.status === 403 ? 'Resource not accessible by integration' : `fake error ${failure.status}`);
      send(failure.status, { message }, failure.headers);
      return;
    }
    // GraphQL lives at <api>/graphql, or /api/graphql beside GitHub Enterprise Server's /api/v3.
    const graphqlPath = this.prefix.endsWith('/api/v3') ? this.prefix.replace(/\/v3$/, '/graphql') : `${this.prefix}/graphql`;
    if (url.pathname === graphqlPath && record.method === 'POST') {
      if (!this.graphql) return send(404, { message: 'Not Found' });
      return send(200, { data: { viewer: { login: this.identity.login } } });
    }
    if (!url.pathname.startsWith(this.prefix)) return send(404, { message: 'Not Found' });

    const labelResponse = this.labels(path, record);
    if (labelResponse) return send(labelResponse.status, labelResponse.data);
    const listMatch = /^\/repos\/([^/]+\/[^/]+)\/issues\/(\d+)\/comments$/.exec(path);
    const updateMatch = /^\/repos\/([^/]+\/[^/]+)\/issues\/comments\/(\d+)$/.exec(path);
    if (/^\/repos\/[^/]+\/[^/]+\/commits$/.test(path) && record.method === 'GET') {
      const login = this.logins.get(url.searchParams.get('author') ?? '');
      return send(200, login ? [{ sha: '0'.repeat(40), author: { login, type: 'User' } }] : []);
    }
    if (listMatch && record.method === 'GET') {
      const all = this.list(listMatch[1], Number(listMatch[2]));
      const perPage = Math.min(100, Number(url.searchParams.get('per_page') ?? 30));
      const page = Number(url.searchParams.get('page') ?? 1);
      const last = Math.max(1, Math.ceil(all.length / perPage));
      const link = (n: number, rel: string): string => {
        const target = new URL(url);
        if (this.linkOrigin) target.host = new URL(this.linkOrigin).host;
        target.searchParams.set('page', String(n));
        return `<${target.toString()}>; rel="${rel}"`;
      };
      const links = page < last ? [link(page + 1, 'next'), link(last, 'last')] : [];
      return send(200, all.slice((page - 1) * perPage, page * perPage), links.length ? { link: links.join(', ') } : {});
    }
    if (path === '/user' && record.method === 'GET') {
      if (this.identity.type === 'Bot') return send(403, { message: 'Resource not accessible by integration' });
      return send(200, { login: this.identity.login, type: 'User' });
    }
    if (listMatch && record.method === 'POST') {
      return send(
        201,
        this.addComment(listMatch[1], Number(listMatch[2]), record.body?.body ?? '', this.identity.login, this.identity.type)
      );
    }
    if (updateMatch && record.method === 'PATCH') {
      for (const comments of this.comments.values()) {
        const comment = comments.find((c) => c.id === Number(updateMatch[2]));
        if (comment) {
          comment.body = record.body?.body ?? '';
          return send(200, comment);
        }
      }
    }
    send(404, { message: 'Not Found' });
  }

  /** The label endpoints; undefined for any other request. */
  private labels(path: string, record: RecordedRequest): { status: number; data: unknown } | undefined {
    const onIssue = /^\/repos\/([^/]+\/[^/]+)\/issues\/(\d+)\/labels(?:\/([^/]+))?$/.exec(path);
    const ofRepo = /^\/repos\/([^/]+\/[^/]+)\/labels(?:\/([^/]+))?$/.exec(path);
    const notFound = { status: 404, data: { message: 'Not Found' } };
    if (onIssue) {
      const [, repo, issue, encoded] = onIssue;
      const key = `${repo}#${issue}`;
      const names = this.issueLabels.get(key) ?? [];
      const asLabels = (list: string[]) => list.map((name) => this.repoLabel(repo, name) ?? { name, color: 'ededed', description: null });
      if (record.method === 'GET' && encoded === undefined) return { status: 200, data: asLabels(names) };
      if (record.method === 'POST' && encoded === undefined) {
        for (const name of record.body?.labels ?? []) {
          this.ensureRepoLabel(repo, { name, color: 'ededed', description: null });
          if (!names.some((have) => have.toLowerCase() === name.toLowerCase())) names.push(name);
        }
        this.issueLabels.set(key, names);
        return { status: 200, data: asLabels(names) };
      }
      if (record.method === 'DELETE' && encoded !== undefined) {
        const name = decodeURIComponent(encoded);
        const at = names.findIndex((have) => have.toLowerCase() === name.toLowerCase());
        if (at < 0) return { status: 404, data: { message: 'Label does not exist' } };
        names.splice(at, 1);
        return { status: 200, data: asLabels(names) };
      }
      return notFound;
    }
    if (ofRepo) {
      const [, repo, encoded] = ofRepo;
      if (record.method === 'GET' && encoded !== undefined) {
        const label = this.repoLabel(repo, decodeURIComponent(encoded));
        return label ? { status: 200, data: label } : notFound;
      }
      if (record.method === 'POST' && encoded === undefined) {
        const name = record.body?.name ?? '';
        if (this.repoLabel(repo, name))
          return { status: 422, data: { message: 'Validation Failed', errors: [{ code: 'already_exists' }] } };
        const label = { name, color: record.body?.color ?? 'ededed', description: record.body?.description ?? null };
        return { status: 201, data: this.ensureRepoLabel(repo, label) };
      }
      return notFound;
    }
    return undefined;
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
