// NomadClient.eventStream against agents that write the stream in awkward pieces: lines split
// across writes (and inside a UTF-8 character), heartbeats, a line that is not JSON, an agent
// that ends the stream, a silent connection, a refusal — and what the request itself carries.
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
import { NomadConnectionError, NomadError } from '../../src/nomad/errors.js';
import type { EventFrame } from '../../src/nomad/types.js';
import { handlerAgent as agent, startEventStream as streaming } from '../helpers/fakeAgent.js';
import { clientFor } from '../helpers/sim.js';

const TOKEN = 'secret-token-for-stream-tests';

async function collect(frames: AsyncIterable<EventFrame>, count: number): Promise<EventFrame[]> {
  const out: EventFrame[] = [];
  for await (const frame of frames) {
    out.push(frame);
    if (out.length === count) break;
  }
  return out;
}

describe('client: event stream', () => {
  it('joins lines split across writes, even inside a UTF-8 character, and yields heartbeats', async () => {
    let request: IncomingMessage | undefined;
    const url = await agent((req, res) => {
      request = req;
      streaming(res);
      const line = Buffer.from('{"Index":5,"Events":[{"Topic":"Allocation","Key":"ü-ß","Index":5}]}\n');
      const inside = line.indexOf('ü') + 1; // between the two bytes of ü
      res.write(Buffer.concat([Buffer.from('{}\n'), line.subarray(0, 5)]));
      setTimeout(() => res.write(line.subarray(5, inside)), 20);
      setTimeout(() => res.write(line.subarray(inside)), 40);
    });
    const client = clientFor(url, { token: TOKEN, namespace: 'web' });
    const frames = await client.eventStream({ topics: ['Allocation', 'Job:api'] });
    const got = await collect(frames, 2);
    assert.deepEqual(got[0], {});
    assert.equal(got[1]?.Index, 5);
    assert.equal(got[1]?.Events?.[0]?.Key, 'ü-ß');
    const query = new URL(request?.url ?? '', 'http://x').searchParams;
    assert.deepEqual(query.getAll('topic'), ['Allocation', 'Job:api']);
    assert.equal(query.get('namespace'), 'web');
    assert.equal(request?.headers['x-nomad-token'], TOKEN);
    assert.equal(request?.headers['accept-encoding'], undefined, 'no gzip asked for');
  });

  it('a 5 MB line of non-ASCII text in 64 KB writes, and two lines in one write, arrive whole', async () => {
    const text = '→ naïve café 日本 '.repeat(250_000);
    const url = await agent((_req, res) => {
      streaming(res);
      const big = Buffer.from(`{}\n{"Index":7,"Events":[{"Topic":"Allocation","Key":"${text}"}]}\n{"Index":8}\n{}\n`);
      for (let at = 0; at < big.length; at += 65_536) res.write(big.subarray(at, at + 65_536));
    });
    const got = await collect(await clientFor(url).eventStream({ topics: ['Allocation'] }), 4);
    assert.equal(got[1]?.Events?.[0]?.Key, text);
    assert.deepEqual(got.map((frame) => frame.Index), [undefined, 7, 8, undefined]);
  });

  it('a line that is not JSON fails the stream as a bad body', async () => {
    const url = await agent((_req, res) => {
      streaming(res);
      res.write('{}\n<html>proxy error</html>\n');
    });
    const frames = await clientFor(url).eventStream({ topics: ['Allocation'] });
    await assert.rejects(collect(frames, 5), (error: unknown) => error instanceof NomadConnectionError && error.code === 'BAD_BODY');
  });

  it('an agent that ends the stream, or cuts a line, is a closed stream (never a clean end)', async () => {
    const url = await agent((req, res) => {
      streaming(res);
      res.end(req.url?.includes('cut') ? '{}\n{"Index":' : '{}\n');
    });
    for (const path of ['ended', 'cut']) {
      const frames = await clientFor(url).eventStream({ topics: [path] });
      await assert.rejects(collect(frames, 5), (error: unknown) => {
        assert.ok(error instanceof NomadConnectionError);
        assert.equal(error.code, path === 'cut' ? 'BAD_BODY' : 'STREAM_ENDED');
        assert.doesNotMatch(error.message, new RegExp(TOKEN));
        return true;
      });
    }
  });

  it('silence longer than the idle timeout fails the stream', async () => {
    const url = await agent((_req, res) => {
      streaming(res);
      res.write('{}\n');
    });
    const frames = await clientFor(url).eventStream({ topics: ['Allocation'], idleTimeoutMs: 200 });
    const started = Date.now();
    await assert.rejects(collect(frames, 5), (error: unknown) => error instanceof NomadConnectionError && error.code === 'UND_ERR_BODY_TIMEOUT');
    assert.ok(Date.now() - started < 2000);
  });

  it('a refusal is a NomadError with the agent\'s words; abort ends the stream quietly', async () => {
    const url = await agent((req, res) => {
      if (req.url?.includes('topic=Node')) {
        res.writeHead(403, { 'Content-Type': 'text/plain' }).end('Permission denied');
        return;
      }
      streaming(res);
      res.write('{}\n');
    });
    const client = clientFor(url);
    await assert.rejects(client.eventStream({ topics: ['Node'] }), (error: unknown) => error instanceof NomadError && error.status === 403 && error.text === 'Permission denied');
    const controller = new AbortController();
    const frames = await client.eventStream({ topics: ['Allocation'], signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await assert.rejects(collect(frames, 5), (error: unknown) => (error as Error).name === 'AbortError');
  });

  it('1.11.2+: a 200 that closes before any byte is a refusal (STREAM_REFUSED), raised by eventStream itself', async () => {
    const url = await agent((_req, res) => {
      streaming(res);
      res.end();
    });
    await assert.rejects(clientFor(url).eventStream({ topics: ['Allocation'] }), (error: unknown) => {
      assert.ok(error instanceof NomadConnectionError);
      assert.equal(error.code, 'STREAM_REFUSED');
      assert.match(error.message, /refuses it: token, region or namespace/);
      return true;
    });
  });

  it('1.11.2 exactly: the status line "HTTP/0.0 200 OK" is BAD_HTTP_VERSION, not a connection problem', async () => {
    const server = createServer((socket) => socket.once('data', () => socket.end('HTTP/0.0 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n{}\n')));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    after(() => server.close());
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await assert.rejects(clientFor(url).eventStream({ topics: ['Allocation'] }), (error: unknown) => error instanceof NomadConnectionError && error.code === 'BAD_HTTP_VERSION' && /HTTP\/0\.0/.test(error.message));
  });
});
