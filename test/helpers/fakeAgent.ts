// A tiny HTTP server that answers fixed bodies per path: an old agent, a broken one, or one
// sending hostile data, for the cases the simulator (a modern Nomad) never produces.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after } from 'node:test';

export interface FakeAnswer {
  status?: number;
  body: string;
  headers?: Record<string, string>;
  /** Holds the answer back this long (a slow agent). */
  delayMs?: number;
}

export async function fakeAgent(routes: Record<string, FakeAnswer | ((url: URL) => FakeAnswer)>): Promise<string> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const route = routes[url.pathname];
    const answer = typeof route === 'function' ? route(url) : route;
    if (!answer) {
      res.writeHead(404).end();
      return;
    }
    const status = answer.status ?? 200;
    const send = (): void => void res.writeHead(status, { 'Content-Type': status === 200 ? 'application/json' : 'text/plain; charset=utf-8', 'X-Nomad-Index': '7', 'X-Nomad-KnownLeader': 'true', 'X-Nomad-LastContact': '0', ...answer.headers }).end(answer.body);
    if (answer.delayMs) setTimeout(() => send(), answer.delayMs);
    else send();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  after(() => {
    server.closeAllConnections();
    server.close();
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** An agent answering with `handler` itself, for answers that are streams or come late. */
export async function handlerAgent(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  after(() => {
    server.closeAllConnections();
    server.close();
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Starts an event stream answer the Nomad 2.0 way (Connection: close, no chunking). */
export function startEventStream(res: ServerResponse): void {
  res.useChunkedEncodingByDefault = false;
  res.writeHead(200, { 'Content-Type': 'application/json', Connection: 'close' });
}

/** The meta headers of a read answered at `index` by a leader. */
export function readHeaders(index: number): Record<string, string> {
  return { 'Content-Type': 'application/json', 'X-Nomad-Index': String(index), 'X-Nomad-KnownLeader': 'true', 'X-Nomad-LastContact': '0' };
}
