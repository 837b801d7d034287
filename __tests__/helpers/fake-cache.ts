/**
 * A fake of the Actions cache service (the "v1" HTTP API @actions/cache speaks when
 * ACTIONS_CACHE_URL is set) on 127.0.0.1, so the BUILT action's real cache calls can be
 * tested: look-up by key then by prefix (newest first), reserve, chunked upload, commit and
 * download. `failing` answers every call with a server error.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CacheEntry {
  id: number;
  key: string;
  version: string;
  /** Upload chunks by offset until committed. */
  chunks: Map<number, Buffer>;
  archive?: Buffer;
  created: number;
}

export class FakeCacheService {
  private server?: Server;
  private url = '';
  private nextId = 1;
  private clock = 0;
  readonly entries: CacheEntry[] = [];
  /** Every request as "METHOD path" (query included). */
  readonly requests: string[] = [];
  /** Answer every request with 500. */
  failing = false;

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => send(res, 500, { message: String(error) }));
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
    return this.url;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  reset(): void {
    this.entries.length = 0;
    this.requests.length = 0;
    this.failing = false;
  }

  /** Keys of the committed entries, oldest first. */
  keys(): string[] {
    return this.entries.filter((e) => e.archive !== undefined).map((e) => e.key);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const url = new URL(req.url ?? '/', this.url);
    this.requests.push(`${req.method} ${url.pathname}${url.search}`);
    if (this.failing) return send(res, 500, { message: 'the cache service is down' });
    const api = '/_apis/artifactcache/';
    if (req.method === 'GET' && url.pathname === `${api}cache`) return this.lookup(url, res);
    if (req.method === 'POST' && url.pathname === `${api}caches`) return this.reserve(JSON.parse(body.toString('utf8')), res);
    const entryPath = url.pathname.match(/^\/_apis\/artifactcache\/caches\/(\d+)$/);
    if (entryPath) {
      const entry = this.entries.find((e) => e.id === Number(entryPath[1]));
      if (!entry) return send(res, 404, { message: 'no such cache' });
      if (req.method === 'PATCH') {
        const range = /^bytes (\d+)-(\d+)\/\*$/.exec(String(req.headers['content-range'] ?? ''));
        if (!range) return send(res, 400, { message: 'bad Content-Range' });
        entry.chunks.set(Number(range[1]), body);
        return send(res, 204);
      }
      if (req.method === 'POST') {
        const size = (JSON.parse(body.toString('utf8')) as { size: number }).size;
        const archive = Buffer.concat([...entry.chunks.entries()].sort((a, b) => a[0] - b[0]).map(([, chunk]) => chunk));
        if (archive.length !== size) return send(res, 400, { message: `size ${size} != uploaded ${archive.length}` });
        entry.archive = archive;
        return send(res, 204);
      }
    }
    const download = url.pathname.match(/^\/archive\/(\d+)$/);
    if (req.method === 'GET' && download) {
      const entry = this.entries.find((e) => e.id === Number(download[1]));
      if (!entry?.archive) return send(res, 404, { message: 'no such archive' });
      res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': entry.archive.length });
      res.end(entry.archive);
      return;
    }
    send(res, 404, { message: `no route ${req.method} ${url.pathname}` });
  }

  /** The first key with an exact match, else the newest entry it is a prefix of (as the service matches restore keys). */
  private lookup(url: URL, res: ServerResponse): void {
    const keys = (url.searchParams.get('keys') ?? '').split(',');
    const version = url.searchParams.get('version') ?? '';
    const committed = this.entries.filter((e) => e.archive !== undefined && e.version === version);
    for (const key of keys) {
      const exact = committed.find((e) => e.key === key);
      const found = exact ?? committed.filter((e) => e.key.startsWith(key)).sort((a, b) => b.created - a.created)[0];
      if (found) {
        return send(res, 200, {
          cacheKey: found.key,
          scope: 'refs/heads/main',
          creationTime: new Date(found.created * 1000).toISOString(),
          archiveLocation: `${this.url}archive/${found.id}`
        });
      }
    }
    send(res, 204);
  }

  private reserve(request: { key: string; version: string }, res: ServerResponse): void {
    if (this.entries.some((e) => e.key === request.key && e.version === request.version)) {
      return send(res, 409, { message: `cache entry ${request.key} already exists` });
    }
    const entry: CacheEntry = { id: this.nextId++, key: request.key, version: request.version, chunks: new Map(), created: ++this.clock };
    this.entries.push(entry);
    send(res, 201, { cacheId: entry.id });
  }
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body?: object): void {
  if (body === undefined) {
    res.writeHead(status);
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}
