/** Small node:http helpers: JSON answers, errors with a status, a size-limited body reader. */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** An answer other than 200 that the client caused (or 500); `message` is sent as `{ "error": message }`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {}
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = `${JSON.stringify(body)}\n`;
  res.writeHead(status, { ...headers, 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/** An answer whose bytes are ready (serialised by a scoring worker). */
export function sendBytes(
  res: ServerResponse,
  status: number,
  bytes: Uint8Array,
  contentType: string,
  headers: Record<string, string> = {}
): void {
  res.writeHead(status, { ...headers, 'Content-Type': contentType, 'Content-Length': bytes.byteLength });
  res.end(bytes);
}

export function sendText(res: ServerResponse, status: number, text: string, contentType: string): void {
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/** Media type without parameters, lower case: `Text/CSV; charset=utf-8` → `text/csv`. */
export function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0].trim().toLowerCase();
}

/** `10mb`, `512kb`, `1.5gb`, `2048` (bytes; binary multiples) → bytes; undefined when not a size. */
export function parseByteSize(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?$/i.exec(text.trim());
  if (!match) return undefined;
  const scale = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 }[(match[2] ?? 'b').toLowerCase() as 'b' | 'kb' | 'mb' | 'gb'];
  const bytes = Math.floor(Number(match[1]) * scale);
  return bytes >= 1 ? bytes : undefined;
}

function tooLarge(limit: number): HttpError {
  return new HttpError(413, `body: larger than the limit of ${limit} bytes`);
}

/**
 * After an answer sent before the body was read: take in and drop up to
 * `cap` more bytes, so a small body leaves the connection usable; past that,
 * stop reading (TCP flow control holds the client back) and cut the
 * connection after `lingerMs`, which gives the client time to read the
 * answer instead of a reset.
 */
export function settleUnreadBody(req: IncomingMessage, cap: number, lingerMs: number): void {
  if (req.complete) return;
  let dropped = 0;
  const cut = (): void => {
    req.off('data', onData);
    req.pause();
    // Taking what is buffered marks the body as consumed; else Node would drain all of it after the answer.
    req.read();
    setTimeout(() => req.socket.destroy(), lingerMs).unref();
  };
  const onData = (chunk: Buffer): void => {
    dropped += chunk.length;
    if (dropped > cap) cut();
  };
  if (cap <= 0) cut();
  else req.on('data', onData);
}

/** First size of the body buffer when the client does not say how long the body is; doubled as needed. */
const UNKNOWN_LENGTH_START = 64 * 1024;

/**
 * The whole request body, refusing (413) as soon as it passes `limit` bytes:
 * up front from Content-Length, else while streaming. Each chunk is copied
 * into one buffer as it arrives (sized from Content-Length, else grown by
 * doubling), so no single step copies the whole body: a 10 MB upload never
 * blocks the event loop for a long concatenation. The buffer is its own
 * memory (never Node's shared pool), so it can be transferred to a worker.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  const known = req.headers['content-length'] !== undefined && Number.isInteger(declared) && declared >= 0;
  if (known && declared > limit) return Promise.reject(tooLarge(limit));
  return new Promise((resolve, reject) => {
    let buffer = Buffer.allocUnsafeSlow(known ? declared : Math.min(limit, UNKNOWN_LENGTH_START));
    let size = 0;
    let done = false;
    const finish = (error?: Error): void => {
      if (done) return;
      done = true;
      req.off('data', onData);
      if (error) {
        req.pause();
        reject(error);
      } else resolve(buffer.subarray(0, size));
    };
    const onData = (chunk: Buffer): void => {
      if (size + chunk.length > limit) return finish(tooLarge(limit));
      if (size + chunk.length > buffer.length) {
        const grown = Buffer.allocUnsafeSlow(Math.min(limit, Math.max(buffer.length * 2, size + chunk.length)));
        buffer.copy(grown, 0, 0, size);
        buffer = grown;
      }
      chunk.copy(buffer, size);
      size += chunk.length;
    };
    req.on('data', onData);
    req.once('end', () => finish());
    req.once('error', (error) => finish(new HttpError(400, `body: the upload failed (${error.message})`)));
    req.once('aborted', () => finish(new HttpError(400, 'body: the client aborted the upload')));
  });
}
