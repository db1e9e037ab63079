// NomadClient.exec against the simulator and small fake agents: a session's output and exit,
// input typed before the socket opened, every refusal as the agent's message, a connection that
// drops or an upgrade that is refused, the token sent as X-Nomad-Token and never in the URL, and
// the same session over mutual TLS and a unix socket.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { after, describe, it, mock } from 'node:test';
import { WebSocketServer } from 'ws';
import type { NomadClient } from '../../src/nomad/client.js';
import { ExecSession, type ExecEnd } from '../../src/nomad/exec.js';
import { ReadOnlyError } from '../../src/nomad/transport.js';
import type { SimServer } from '../../src/sim/http/server.js';
import { pki } from '../helpers/certs.js';
import { clientFor, startSim } from '../helpers/sim.js';

const TOKEN = 'e7ec0000-5ec2-e7ee-0000-00000000abcd';

function running(sim: SimServer): { id: string; task: string } {
  for (const target of sim.sim.cluster.ordered) {
    const task = Object.entries(target.alloc.TaskStates).find(([, state]) => state.State === 'running')?.[0];
    if (target.alloc.ClientStatus === 'running' && task) return { id: target.alloc.ID ?? '', task };
  }
  throw new Error('no running allocation');
}

async function run(client: NomadClient, request: { id: string; task: string; command?: string[] }, typed: string[] = []): Promise<{ end: ExecEnd; out: string }> {
  let out = '';
  const session = client.exec({ allocId: request.id, task: request.task, command: request.command ?? ['/bin/sh'], tty: true }, { output: (_s, data) => (out += data.toString()) });
  session.resize(24, 80);
  for (const text of typed) session.write(Buffer.from(text));
  return { end: await session.ended, out };
}

describe('NomadClient.exec', () => {
  it('runs a session: input typed before the socket opened arrives in order, the exit code ends it', async () => {
    const sim = await startSim({ acl: { management: TOKEN, readOnly: 'ro' } });
    const target = running(sim);
    const { end, out } = await run(clientFor(sim, { token: TOKEN }), target, ['hostname\r', 'exit 4\r']);
    assert.deepEqual(end, { kind: 'exited', result: { exitCode: 4 } });
    assert.equal(out, `/ # hostname\r\n${target.id.slice(0, 8)}\r\n/ # exit 4\r\n`);
    // The token went as a header (the agent let it in); the URL never held it.
    assert.ok(sim.counters.recent.some((url) => url.includes('/exec?')));
    assert.ok(sim.counters.recent.every((url) => !url.includes(TOKEN)));
    assert.match(sim.counters.recent.find((url) => url.includes('/exec?')) ?? '', /task=\w+&command=%5B%22%2Fbin%2Fsh%22%5D&tty=true/);
  });

  it("an agent's refusal is its message: unknown allocation, no alloc-exec, unknown task", async () => {
    const sim = await startSim({ acl: { management: TOKEN, readOnly: 'ro' } });
    const target = running(sim);
    assert.deepEqual((await run(clientFor(sim, { token: TOKEN }), { id: '6d1c5e1a-0000-0000-0000-000000000000', task: 'x' })).end, { kind: 'refused', code: 1008, message: 'Unknown allocation "6d1c5e1a-0000-0000-0000-000000000000"' });
    assert.deepEqual((await run(clientFor(sim, { token: 'ro' }), target)).end, { kind: 'refused', code: 1011, message: 'Permission denied' });
    assert.deepEqual((await run(clientFor(sim, { token: TOKEN }), { ...target, task: 'ghost' })).end, { kind: 'refused', code: 1008, message: 'unknown task name "ghost"' });
  });

  it('a connection dropped before the exit, and an upgrade answered with an HTTP error, are "lost"', async () => {
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    after(() => wss.close());
    wss.on('connection', (ws) => {
      ws.send(JSON.stringify({ stdout: { data: Buffer.from('hi').toString('base64') } }));
      setTimeout(() => ws.terminate(), 20);
    });
    await new Promise((resolve) => wss.once('listening', resolve));
    const dropped = await run(clientFor(`http://127.0.0.1:${(wss.address() as AddressInfo).port}`), { id: 'a', task: 't' });
    assert.deepEqual(dropped, { end: { kind: 'lost', message: 'the connection closed before the command exited' }, out: 'hi' });

    const proxy = createServer((_req, res) => res.writeHead(502).end('bad gateway'));
    proxy.on('upgrade', (_req, socket) => socket.end('HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n'));
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    after(() => proxy.close());
    const refused = await run(clientFor(`http://127.0.0.1:${(proxy.address() as AddressInfo).port}`), { id: 'a', task: 't' });
    assert.equal(refused.end.kind, 'lost');
    assert.match((refused.end as { message: string }).message, /did not accept the WebSocket upgrade/);
  });

  it('close() ends the session from this side', async () => {
    const sim = await startSim();
    const target = running(sim);
    const session = clientFor(sim).exec({ allocId: target.id, task: target.task, command: ['/bin/sh'], tty: true }, { output: () => {} });
    session.write(Buffer.from('sleep 30\r'));
    session.close();
    assert.deepEqual(await session.ended, { kind: 'closed' });
  });

  it('is refused in read-only mode before any socket opens', async () => {
    const sim = await startSim();
    const target = running(sim);
    assert.throws(() => clientFor(sim, { readOnly: true }).exec({ allocId: target.id, task: target.task, command: ['/bin/sh'], tty: true }, { output: () => {} }), ReadOnlyError);
    assert.equal(sim.counters.exec.upgrades, 0);
  });

  it('works over mutual TLS and over a unix socket, as every other request does', async () => {
    const p = pki();
    const tls = await startSim({ tls: { cert: p.read('server.pem'), key: p.read('server.key'), clientCa: p.read('ca.pem') } });
    const viaTls = await run(clientFor(tls, { tls: { ca: [p.read('ca.pem')], cert: p.read('client.pem'), key: p.read('client.key') } }), running(tls), ['exit 0\r']);
    assert.deepEqual(viaTls.end, { kind: 'exited', result: { exitCode: 0 } });
    const path = join(mkdtempSync(join(tmpdir(), 'alloctop-exec-')), 'nomad.sock');
    const unix = await startSim({ socketPath: path });
    const viaSocket = await run(clientFor(unix), running(unix), ['exit 5\r']);
    assert.deepEqual(viaSocket.end, { kind: 'exited', result: { exitCode: 5 } });
  });

  it('sends {} every 10 s while the session is open, and stops when it ends', () => {
    mock.timers.enable({ apis: ['setTimeout', 'setInterval'] });
    try {
      const listeners = new Map<string, (event: unknown) => void>();
      const sent: string[] = [];
      const socket = { binaryType: '', addEventListener: (name: string, fn: (event: unknown) => void) => listeners.set(name, fn), send: (frame: string) => sent.push(frame), close: () => {} };
      const session = new ExecSession(socket as unknown as ConstructorParameters<typeof ExecSession>[0], { output: () => {} });
      session.resize(30, 100);
      mock.timers.tick(10_000);
      assert.deepEqual(sent, [], 'nothing goes before the socket opens');
      listeners.get('open')?.({});
      assert.deepEqual(sent, ['{"tty_size":{"height":30,"width":100}}', '{}'], 'what waited goes first, in order');
      mock.timers.tick(20_000);
      assert.equal(sent.filter((frame) => frame === '{}').length, 3);
      listeners.get('message')?.({ data: '{"exited":true,"result":{}}' });
      mock.timers.tick(30_000);
      assert.equal(sent.filter((frame) => frame === '{}').length, 3, 'none after the end');
    } finally {
      mock.timers.reset();
    }
  });
});
