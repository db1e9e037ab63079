// Answers no Nomad agent sends, from whatever sits at the address: a list body that never
// ends, a body trickling a byte at a time, an endless event line. Each ends in a clear error
// in bounded memory and time, never a hang or a process that grows without bound.
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { describe, it } from 'node:test';
import { NomadConnectionError } from '../../src/nomad/errors.js';
import { MAX_ANSWER_BYTES, MAX_STREAM_LINE } from '../../src/nomad/transport.js';
import { fakeAgent, handlerAgent, startEventStream } from '../helpers/fakeAgent.js';
import { clientFor } from '../helpers/sim.js';

/** Writes 1 MB chunks of `fill` until the connection closes or `most` bytes went out. */
function flood(res: ServerResponse, fill: string, most: number): void {
  const chunk = fill.repeat(Math.ceil(1024 * 1024 / fill.length));
  let sent = 0;
  const more = (): void => {
    while (!res.destroyed && sent < most) {
      sent += chunk.length;
      if (!res.write(chunk)) return void res.once('drain', more);
    }
  };
  more();
}

describe('client: hostile answers', () => {
  it('a list body that never ends stops at the cap with a plain error', async () => {
    const url = await handlerAgent((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('[');
      flood(res, '{"ID":"x"},', MAX_ANSWER_BYTES * 2);
    });
    await assert.rejects(clientFor(url).listAllocations(), (error: unknown) => error instanceof NomadConnectionError && error.code === 'TOO_LARGE' && /larger than 64 MB/.test(error.message));
  });

  it('a body trickling a byte at a time fails at the deadline instead of staying "connecting" for ever', async () => {
    const url = await handlerAgent((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      const timer = setInterval(() => (res.destroyed ? clearInterval(timer) : res.write(' ')), 100);
    });
    const started = Date.now();
    await assert.rejects(clientFor(url, { requestTimeoutMs: 600 }).listRegions(), (error: unknown) => error instanceof NomadConnectionError && error.code === 'DEADLINE' && /did not arrive in time/.test(error.message));
    assert.ok(Date.now() - started < 3_000);
  });

  it('an event line without end fails the stream once it passes the line cap', async () => {
    const url = await handlerAgent((_req, res) => {
      startEventStream(res);
      res.write('{}\n{"Index":1,"Events":[{"Payload":"');
      flood(res, 'x', MAX_STREAM_LINE * 2);
    });
    const frames = await clientFor(url).eventStream({ topics: ['Allocation'] });
    await assert.rejects(
      (async () => {
        for await (const frame of frames) void frame;
      })(),
      (error: unknown) => error instanceof NomadConnectionError && error.code === 'TOO_LARGE',
    );
  });

  it('an X-Nomad-Index that is not a decimal uint64 reads as 0, so it is never sent back as ?index=', async () => {
    for (const [sent, read] of [['abc', 0], ['1.5', 0], ['-5', 0], ['', 0], ['99999999999999999999999', 0], ['1e3', 0], ['12', 12]] as const) {
      const url = await fakeAgent({ '/v1/namespaces': { body: '[]', headers: { 'X-Nomad-Index': sent, 'X-Nomad-LastContact': '-3' } } });
      const { meta } = await clientFor(url).listNamespaces();
      assert.equal(meta.index, read, JSON.stringify(sent));
      assert.equal(meta.lastContact, 0);
    }
  });
});
