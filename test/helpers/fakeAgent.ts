// A tiny HTTP server that answers fixed bodies per path: an old agent, a broken one, or one
// sending hostile data, for the cases the simulator (a modern Nomad) never produces.
import { createServer } from 'node:http';
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
