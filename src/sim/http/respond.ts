// Writing answers the way a Nomad agent does: JSON with X-Nomad-* meta headers and gzip when
// asked, errors as text/plain with the raw message, 404 with an empty body for unknown paths.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { gzip, gzipSync } from 'node:zlib';
import { promisify } from 'node:util';

const gzipAsync = promisify(gzip);

/** gziphandler's default MinSize: smaller bodies go out uncompressed. */
const GZIP_MIN_BYTES = 1400;

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

/** `mangle` injects a fault: reset the connection mid-body, or send well-framed but cut JSON. */
export async function sendJson(req: IncomingMessage, res: ServerResponse, counters: Counters, json: string, headers: Record<string, string>, pretty = false, mangle?: 'reset-mid' | 'truncated'): Promise<void> {
  let body: Buffer = Buffer.from(pretty ? JSON.stringify(JSON.parse(json), null, 4) : json);
  if (mangle === 'truncated') body = body.subarray(0, Math.max(1, Math.floor(body.length / 2)));
  const out: Record<string, string> = { ...headers, 'Content-Type': 'application/json', Vary: 'Accept-Encoding' };
  if (String(req.headers['accept-encoding'] ?? '').includes('gzip') && body.length >= GZIP_MIN_BYTES) {
    // Level 1: the client only needs bytes it can gunzip; speed matters at 50,000 allocations.
    body = await gzipAsync(body, { level: 1 });
    out['Content-Encoding'] = 'gzip';
  }
  out['Content-Length'] = String(body.length);
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

function countBytes(res: ServerResponse, counters: Counters, bytes: number): void {
  counters.bytesOut += bytes;
  const path = (res.req?.url ?? '/').split('?')[0] ?? '/';
  counters.bytesByPath.set(path, (counters.bytesByPath.get(path) ?? 0) + bytes);
}

/** gziphandler wraps every handler, errors included: a large error body goes out gzipped too. */
export function sendError(res: ServerResponse, counters: Counters, status: number, message: string, headers: Record<string, string> = {}): void {
  if (res.destroyed || res.headersSent) return;
  let body = Buffer.from(message);
  const out: Record<string, string> = { ...headers, 'Content-Type': 'text/plain; charset=utf-8', Vary: 'Accept-Encoding' };
  if (String(res.req?.headers['accept-encoding'] ?? '').includes('gzip') && body.length >= GZIP_MIN_BYTES) {
    body = gzipSync(body, { level: 1 });
    out['Content-Encoding'] = 'gzip';
  }
  out['Content-Length'] = String(body.length);
  res.writeHead(status, out);
  res.end(body);
  countBytes(res, counters, body.length);
}

/** Unknown /v1/... paths: 404 with an empty body (Go's mux NotFound). */
export function sendNotFound(res: ServerResponse): void {
  if (res.destroyed) return;
  res.writeHead(404, { 'Content-Length': '0' });
  res.end();
}

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
