// Writing answers the way a Nomad agent does: JSON with X-Nomad-* meta headers, compressed when
// asked, errors as text/plain with the raw message, 404 with an empty body for unknown paths.
// Nomad (1.6 … 2.0) wraps its whole mux in gorilla's CompressHandler (command/agent/http.go;
// gorilla/handlers v1.5.2 compress.go): the first Accept-Encoding token that is exactly "gzip"
// or "deflate" (raw DEFLATE, Go's compress/flate) compresses every answer, however small,
// errors and 404s included, and drops Content-Length. Go's server then sends a Content-Length
// only for an answer of at most 2 KB written whole (net/http's chunking buffer), and chunks
// the rest. Level 1 here, not Go's default 6: the client needs only bytes it can decode, and
// the simulator's speed matters at 200,000 allocations.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createDeflateRaw, createGzip, deflateRaw, deflateRawSync, gzip, gzipSync } from 'node:zlib';
import { promisify } from 'node:util';

const gzipAsync = promisify(gzip);
const deflateRawAsync = promisify(deflateRaw);
const LEVEL = 1;

/** net/http's bufferBeforeChunkingSize: an answer written whole within it gets a Content-Length. */
const UNCHUNKED_BYTES = 2048;
/** A list of more items than this is written a batch at a time, never joined into one string
 * (200,000 allocations are 166 MB of JSON). */
const STREAMED_ITEMS = 1000;

type Encoding = 'gzip' | 'deflate';

/** gorilla's choice: the first token that is exactly "gzip" or "deflate" (q-values unread). */
export function encodingFor(req: IncomingMessage | undefined): Encoding | undefined {
  for (const token of String(req?.headers['accept-encoding'] ?? '').split(',')) {
    const name = token.trim();
    if (name === 'gzip' || name === 'deflate') return name;
  }
  return undefined;
}

async function encode(body: Buffer, encoding: Encoding | undefined): Promise<Buffer> {
  if (!encoding) return body;
  return encoding === 'gzip' ? gzipAsync(body, { level: LEVEL }) : deflateRawAsync(body, { level: LEVEL });
}

/** The framing headers Go would send for a body written whole: Content-Encoding when
 * compressed, Content-Length up to the chunking buffer (chunked past it). */
function framing(bytes: number, encoding: Encoding | undefined): Record<string, string> {
  return { ...(encoding ? { 'Content-Encoding': encoding } : {}), ...(bytes <= UNCHUNKED_BYTES ? { 'Content-Length': String(bytes) } : {}) };
}

export interface Meta {
  index: number;
  knownLeader: boolean;
  lastContactMs: number;
  nextToken?: string;
}

export interface Counters {
  requests: number;
  bytesOut: number;
  byPath: Map<string, number>;
  /** Answer bytes by request path (JSON and error answers). */
  bytesByPath: Map<string, number>;
  mutating: number;
  /** Requests whose connection closed before the answer was sent (a client aborted). */
  abandoned: number;
  /** Event streams open right now. */
  streams: number;
  /** The last RECENT_URLS request URLs (path and query), oldest first. */
  recent: string[];
  /** Exec: WebSocket upgrade requests seen (each a socket a client opened), sessions started,
   * every terminal size a session was sent, and stdin bytes received. */
  exec: { upgrades: number; sessions: number; sizes: { height: number; width: number }[]; stdinBytes: number };
}

export const RECENT_URLS = 200;

export function newCounters(): Counters {
  return { requests: 0, bytesOut: 0, byPath: new Map(), bytesByPath: new Map(), mutating: 0, abandoned: 0, streams: 0, recent: [], exec: { upgrades: 0, sessions: 0, sizes: [], stdinBytes: 0 } };
}

/** Counts a request as it arrives: in all, by path, and among the recent URLs. */
export function countRequest(counters: Counters, url: URL): void {
  counters.requests += 1;
  counters.byPath.set(url.pathname, (counters.byPath.get(url.pathname) ?? 0) + 1);
  counters.recent.push(`${url.pathname}${url.search}`);
  if (counters.recent.length > RECENT_URLS) counters.recent.shift();
}

export function metaHeaders(meta: Meta | { index: number } | undefined): Record<string, string> {
  if (!meta) return {};
  const headers: Record<string, string> = { 'X-Nomad-Index': String(meta.index) };
  if ('knownLeader' in meta) {
    headers['X-Nomad-KnownLeader'] = String(meta.knownLeader);
    headers['X-Nomad-LastContact'] = String(meta.lastContactMs);
    if (meta.nextToken) headers['X-Nomad-NextToken'] = meta.nextToken;
  }
  return headers;
}

/** `json`: the answer's text, or a list's item texts (a long one is written a batch at a time).
 * `mangle` injects a fault: reset the connection mid-body, or send well-framed but cut JSON. */
export async function sendJson(req: IncomingMessage, res: ServerResponse, counters: Counters, json: string | readonly string[], headers: Record<string, string>, pretty = false, mangle?: 'reset-mid' | 'truncated'): Promise<void> {
  const encoding = encodingFor(req);
  const out: Record<string, string> = { ...headers, 'Content-Type': 'application/json', Vary: 'Accept-Encoding' };
  if (typeof json !== 'string' && json.length > STREAMED_ITEMS && !pretty && !mangle) return streamList(res, counters, json, out, encoding);
  const text = typeof json === 'string' ? json : `[${json.join(',')}]`;
  let body: Buffer = Buffer.from(pretty ? JSON.stringify(JSON.parse(text), null, 4) : text);
  if (mangle === 'truncated') body = body.subarray(0, Math.max(1, Math.floor(body.length / 2)));
  body = await encode(body, encoding);
  Object.assign(out, framing(body.length, encoding));
  if (res.destroyed) return;
  res.writeHead(200, out);
  if (mangle === 'reset-mid') {
    res.write(body.subarray(0, Math.floor(body.length / 2)));
    setImmediate(() => res.socket?.destroy());
    return;
  }
  res.end(body);
  countBytes(res, counters, body.length);
}

/** A long list, chunked: '[', the items a batch at a time, ']', through the encoder if any. */
async function streamList(res: ServerResponse, counters: Counters, items: readonly string[], headers: Record<string, string>, encoding: Encoding | undefined): Promise<void> {
  if (res.destroyed) return;
  res.writeHead(200, encoding ? { ...headers, 'Content-Encoding': encoding } : headers);
  function* batches(): Generator<string> {
    yield '[';
    for (let at = 0; at < items.length; at += STREAMED_ITEMS) yield (at ? ',' : '') + items.slice(at, at + STREAMED_ITEMS).join(',');
    yield ']';
  }
  let bytes = 0;
  const source = Readable.from(batches(), { objectMode: false });
  const encoder = encoding === 'gzip' ? createGzip({ level: LEVEL }) : encoding === 'deflate' ? createDeflateRaw({ level: LEVEL }) : undefined;
  (encoder ?? source).on('data', (chunk: Buffer | string) => (bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length));
  try {
    await (encoder ? pipeline(source, encoder, res) : pipeline(source, res));
  } catch {
    // The client went away mid-answer.
  }
  countBytes(res, counters, bytes);
}

function countBytes(res: ServerResponse, counters: Counters, bytes: number): void {
  counters.bytesOut += bytes;
  const path = (res.req?.url ?? '/').split('?')[0] ?? '/';
  counters.bytesByPath.set(path, (counters.bytesByPath.get(path) ?? 0) + bytes);
}

function encodeSync(body: Buffer, encoding: Encoding | undefined): Buffer {
  if (!encoding) return body;
  return encoding === 'gzip' ? gzipSync(body, { level: LEVEL }) : deflateRawSync(body, { level: LEVEL });
}

/** The compressor wraps every handler, errors included: an error goes out compressed too. */
export function sendError(res: ServerResponse, counters: Counters, status: number, message: string, headers: Record<string, string> = {}): void {
  if (res.destroyed || res.headersSent) return;
  const encoding = encodingFor(res.req);
  const body = encodeSync(Buffer.from(message), encoding);
  res.writeHead(status, { ...headers, 'Content-Type': 'text/plain; charset=utf-8', Vary: 'Accept-Encoding', ...framing(body.length, encoding) });
  res.end(body);
  countBytes(res, counters, body.length);
}

/** Unknown /v1/... paths: 404 with an empty body (Go's mux NotFound), which the compressor
 * still wraps (an empty gzip stream when asked: Go's gzip.Writer writes its header on Close). */
export function sendNotFound(res: ServerResponse): void {
  if (res.destroyed) return;
  const encoding = encodingFor(res.req);
  const body = encodeSync(Buffer.alloc(0), encoding);
  res.writeHead(404, { Vary: 'Accept-Encoding', ...framing(body.length, encoding) });
  res.end(body);
}

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
