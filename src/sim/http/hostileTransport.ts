// How the HTTP server plays a hostile agent (hostile.ts names the cases): it rewrites queries
// (non-blocking), answers some paths itself (endless and trickling bodies, a 100 KB error
// body), rewrites JSON bodies and X-Nomad-Index headers, and adds lines to event streams.
import type { ServerResponse } from 'node:http';
import { badIndex, GARBAGE_LINES, hostileEvent, hostileJson, longText, type HostileCase } from '../hostile.js';

/** The huge-event-line case's line, written in pieces of this size. */
const PIECE = 'A'.repeat(1024 * 1024);
export const HUGE_LINE_BYTES = 50 * 1024 * 1024;
const TRICKLE_EVERY_MS = 2_000;

export class HostileTransport {
  /** Varies the JSON cases from one answer to the next. */
  private seq = 0;
  /** Answers with meta headers so far (bad-index alternates on it). */
  private answers = 0;

  constructor(readonly kind: HostileCase) {}

  /** Before routing: an agent that ignores blocking parameters answers every read at once. */
  rewriteQuery(url: URL): void {
    if (this.kind !== 'non-blocking' || url.pathname === '/v1/event/stream') return;
    url.searchParams.delete('index');
    url.searchParams.delete('wait');
  }

  /** Answers the request itself when the case owns this path; true when it did. */
  takeOver(res: ServerResponse, pathname: string): boolean {
    const list = pathname === '/v1/allocations';
    if (this.kind === 'endless-body' && list) {
      endless(res);
      return true;
    }
    if (this.kind === 'trickle' && (list || /^\/v1\/allocation\/[^/]+$/.test(pathname))) {
      trickle(res);
      return true;
    }
    if (this.kind === 'long-text' && /^\/v1\/allocation\/[^/]+\/services$/.test(pathname)) {
      res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' }).end(longText('rpc error: '));
      return true;
    }
    return false;
  }

  json(json: string): string {
    return hostileJson(this.kind, json, this.seq++);
  }

  headers(headers: Record<string, string>): Record<string, string> {
    if (this.kind !== 'bad-index' || headers['X-Nomad-Index'] === undefined) return headers;
    return { ...headers, 'X-Nomad-Index': badIndex(headers['X-Nomad-Index'], this.answers++) };
  }

  /** One event's JSON as the stream sends it. */
  event(json: string): string {
    return hostileEvent(this.kind, json, this.seq++);
  }

  /** Written once when a stream starts (after its heartbeat). */
  streamStart(write: (text: string) => void): void {
    if (this.kind === 'huge-event-line') {
      write('{"Index":1,"Events":[{"Topic":"Allocation","Type":"AllocationUpdated","Payload":{"Allocation":{"ID":"huge","Name":"');
      for (let sent = 0; sent < HUGE_LINE_BYTES; sent += PIECE.length) write(PIECE);
      write('"}}}]}\n');
    }
    if (this.kind === 'garbage-events') for (const line of GARBAGE_LINES) write(`${line}\n`);
  }

  /** Written after each real frame. */
  afterFrame(write: (text: string) => void): void {
    if (this.kind === 'garbage-events') write(`${GARBAGE_LINES[this.seq++ % GARBAGE_LINES.length]}\n`);
  }
}

/** A JSON list that never ends, written as fast as the client reads it. */
function endless(res: ServerResponse): void {
  res.writeHead(200, { 'Content-Type': 'application/json', 'X-Nomad-Index': '7', 'X-Nomad-KnownLeader': 'true', 'X-Nomad-LastContact': '0' });
  const item = '{"ID":"aaaaaaaa-0000-0000-0000-000000000000","Name":"endless[0]","Namespace":"default","ClientStatus":"running"},';
  const chunk = item.repeat(Math.ceil(65_536 / item.length));
  const pump = (): void => {
    while (!res.destroyed && res.write(chunk));
    if (!res.destroyed) res.once('drain', pump);
  };
  res.write('[');
  pump();
}

/** Headers at once, then one byte every TRICKLE_EVERY_MS for as long as the client waits. */
function trickle(res: ServerResponse): void {
  res.writeHead(200, { 'Content-Type': 'application/json', 'X-Nomad-Index': '7', 'X-Nomad-KnownLeader': 'true', 'X-Nomad-LastContact': '0' });
  res.write('[');
  const timer = setInterval(() => {
    if (res.destroyed) clearInterval(timer);
    else res.write(' ');
  }, TRICKLE_EVERY_MS);
  timer.unref();
  res.on('close', () => clearInterval(timer));
}
