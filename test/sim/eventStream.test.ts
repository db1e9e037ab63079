// The simulator's /v1/event/stream against REFERENCE §6 and the docs sample: NDJSON with a `{}`
// heartbeat first, Allocation events in Nomad's field order with the allocation (minus its Job)
// as payload, topic/key/namespace filters, index replay from a bounded buffer, no event for GC,
// the 2.0 framing (Connection: close, no chunking, no gzip), and its errors.
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { describe, it } from 'node:test';
import type { SimServer } from '../../src/sim/http/server.js';
import { BUFFER_ITEMS } from '../../src/sim/eventBroker.js';
import { validator, sample } from '../helpers/openapi.js';
import { eventually, quietFor, raw, startSim } from '../helpers/sim.js';

interface Frame {
  Index?: number;
  Events?: { Topic: string; Type: string; Key: string; Namespace: string; FilterKeys: string[]; Index: number; Payload: { Allocation: Record<string, unknown> } }[];
}

/** Opens a stream and collects its lines until close() (or the server ends it). */
async function open(sim: SimServer, query: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Headers; lines: string[]; frames: () => Frame[]; close: () => void }> {
  const controller = new AbortController();
  const response = await fetch(`${sim.url}/v1/event/stream${query}`, { headers, signal: controller.signal });
  const lines: string[] = [];
  if (response.status === 200 && response.body) {
    void (async () => {
      let pending = '';
      const decoder = new TextDecoder();
      try {
        for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
          pending += decoder.decode(chunk, { stream: true });
          let at: number;
          while ((at = pending.indexOf('\n')) !== -1) {
            lines.push(pending.slice(0, at));
            pending = pending.slice(at + 1);
          }
        }
      } catch {
        // closed by the test
      }
    })();
  }
  return { status: response.status, headers: response.headers, lines, frames: () => lines.filter((l) => l !== '{}').map((l) => JSON.parse(l) as Frame), close: () => controller.abort() };
}

/** The raw bytes of a stream request: until the agent closes the connection, or until the
 * first body line arrived (an accepted stream stays open). */
function rawAnswer(sim: SimServer, query: string, headers: Record<string, string> = {}): Promise<{ text: string; closed: boolean }> {
  const { port } = new URL(sim.url);
  const head = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('');
  return new Promise((resolve) => {
    let text = '';
    const socket = connect(Number(port), '127.0.0.1', () => socket.write(`GET /v1/event/stream${query} HTTP/1.1\r\nHost: x\r\n${head}\r\n`));
    const finish = (closed: boolean): void => {
      socket.destroy();
      resolve({ text, closed });
    };
    socket.on('data', (d) => {
      text += d;
      const body = text.indexOf('\r\n\r\n');
      if (body !== -1 && text.indexOf('\n', body + 4) !== -1) finish(false);
    });
    socket.on('end', () => finish(true));
    socket.on('error', () => finish(true));
  });
}

function running(sim: SimServer, namespace = 'default') {
  const found = sim.sim.cluster.ordered.find((s) => s.alloc.ClientStatus === 'running' && s.alloc.Namespace === namespace && s.job.type === 'service');
  assert.ok(found, `a running service allocation in ${namespace}`);
  return found;
}

describe('sim: event stream framing', () => {
  it('starts with a {} heartbeat, repeats it, and is framed the Nomad 2.0 way', async () => {
    const sim = await startSim({ eventHeartbeatMs: 100 });
    const stream = await open(sim, '?topic=Allocation', { 'accept-encoding': 'gzip' });
    assert.equal(stream.status, 200);
    assert.equal(stream.headers.get('connection'), 'close');
    assert.equal(stream.headers.get('transfer-encoding'), null);
    assert.equal(stream.headers.get('content-encoding'), null);
    await eventually(() => stream.lines.length >= 3, 2000, 'heartbeats');
    assert.deepEqual(stream.lines.slice(0, 3), ['{}', '{}', '{}']);
    stream.close();
  });

  it('the raw bytes: status line, headers, then newline-delimited JSON until the connection closes', async () => {
    const sim = await startSim();
    const { text, closed } = await rawAnswer(sim, '?topic=Allocation');
    assert.equal(closed, false);
    assert.match(text, /^HTTP\/1\.1 200 OK\r\n/);
    assert.match(text, /\r\nConnection: close\r\n/i);
    assert.ok(text.endsWith('\r\n\r\n{}\n'), JSON.stringify(text.slice(-40)));
  });

  it('1.11.2 writes the hijacked status line as HTTP/0.0; 1.11.3 copies the request\'s version', async () => {
    const exact = await rawAnswer(await startSim({ nomadVersion: '1.11.2' }), '?topic=Allocation');
    assert.match(exact.text, /^HTTP\/0\.0 200 OK\r\n/);
    const fixed = await rawAnswer(await startSim({ nomadVersion: '1.11.3' }), '?topic=Allocation');
    assert.match(fixed.text, /^HTTP\/1\.1 200 OK\r\n/);
  });

  it('before 1.11.2 the answer is an ordinary chunked response', async () => {
    const { text } = await rawAnswer(await startSim({ nomadVersion: '1.10.5' }), '?topic=Allocation');
    assert.match(text, /^HTTP\/1\.1 200 OK\r\n/);
    assert.match(text, /\r\nTransfer-Encoding: chunked\r\n/i);
    assert.doesNotMatch(text, /\r\nConnection: close\r\n/i);
  });
});

describe('sim: Allocation events', () => {
  it('a client update is AllocationUpdated with the allocation as it was, in the docs sample field order', async () => {
    const sim = await startSim();
    const stream = await open(sim, '?topic=Allocation');
    await eventually(() => stream.lines.length >= 1, 2000, 'the first heartbeat');
    const target = running(sim);
    sim.sim.signal(target.alloc.ID ?? '', 'SIGHUP', '');
    const frame = await eventually(() => stream.frames()[0], 2000, 'an event');
    assert.equal(frame.Index, sim.sim.cluster.index);
    const event = frame.Events?.[0];
    assert.ok(event);
    const docs = sample('get-v1-event-stream.json') as { Events: Record<string, unknown>[] };
    assert.deepEqual(Object.keys(event), Object.keys(docs.Events[0] ?? {}));
    assert.equal(event.Topic, 'Allocation');
    assert.equal(event.Type, 'AllocationUpdated');
    assert.equal(event.Key, target.alloc.ID);
    assert.equal(event.Namespace, 'default');
    assert.deepEqual(event.FilterKeys, [target.alloc.JobID, '']);
    assert.equal(event.Index, frame.Index);
    const alloc = event.Payload.Allocation;
    assert.equal(alloc.ID, target.alloc.ID);
    assert.equal(alloc.ModifyIndex, frame.Index);
    assert.equal('Job' in alloc, false, 'the payload leaves the Job out');
    const validate = validator('Allocation');
    assert.ok(validate(alloc), JSON.stringify(validate.errors?.slice(0, 3)));
    stream.close();
  });

  it('stop is AllocationUpdateDesiredStatus, then the plan places a replacement (PlanResult); GC publishes nothing', async () => {
    const sim = await startSim({ timeScale: 0.1 });
    const stream = await open(sim, '?topic=Allocation');
    await eventually(() => stream.lines.length >= 1, 2000, 'the first heartbeat');
    const target = running(sim);
    sim.sim.stop(target.alloc.ID ?? '', false);
    await eventually(() => stream.frames().some((f) => f.Events?.some((e) => e.Type === 'PlanResult' && e.Key !== target.alloc.ID)), 3000, 'the replacement');
    const types = stream.frames().flatMap((f) => f.Events ?? []).map((e) => `${e.Key === target.alloc.ID ? 'stopped' : 'new'}:${e.Type}`);
    assert.equal(types[0], 'stopped:AllocationUpdateDesiredStatus');
    assert.ok(types.includes('new:PlanResult'));
    // Let the stop play out (the kill, the replacement starting) before collecting it.
    const next = () => sim.sim.cluster.get(target.alloc.NextAllocation ?? '');
    await eventually(() => target.alloc.ClientStatus === 'complete' && next()?.alloc.ClientStatus === 'running', 3000, 'the stop to finish');
    const index = sim.sim.cluster.index;
    sim.sim.cluster.remove(new Set([target.alloc.ID ?? '']), sim.sim.cluster.bump());
    sim.sim.cluster.commit();
    assert.ok(sim.sim.cluster.index > index);
    // A later event is the barrier: the stream is in index order, so an event for the
    // collection would have come before it.
    const later = running(sim);
    sim.sim.signal(later.alloc.ID ?? '', 'SIGHUP', '');
    await eventually(() => stream.frames().some((f) => (f.Index ?? 0) > index && f.Events?.some((e) => e.Key === later.alloc.ID)), 3000, 'a later event');
    const afterGc = stream.frames().filter((f) => (f.Index ?? 0) > index).flatMap((f) => f.Events ?? []);
    assert.deepEqual(afterGc.filter((e) => e.Key === target.alloc.ID), [], 'no event for a garbage-collected allocation');
    stream.close();
  });

  it('filters by namespace (default unless given, * for all) and by topic key (allocation ID or job ID)', async () => {
    const sim = await startSim();
    const [all, fallback, other, byJob, byAlloc, wrongKey] = await Promise.all([
      open(sim, '?topic=Allocation&namespace=*'),
      open(sim, '?topic=Allocation'),
      open(sim, '?topic=Allocation&namespace=platform'),
      open(sim, `?topic=Allocation:${running(sim).alloc.JobID}`),
      open(sim, `?topic=Allocation:${running(sim).alloc.ID}`),
      open(sim, '?topic=Allocation:no-such-job'),
    ]);
    const streams = [all, fallback, other, byJob, byAlloc, wrongKey];
    // Each stream's first line is the heartbeat: subscribed from then on.
    await eventually(() => streams.every((s) => s.lines.length >= 1), 2000, 'every heartbeat');
    const inDefault = running(sim);
    const inPlatform = running(sim, 'platform');
    sim.sim.signal(inDefault.alloc.ID ?? '', 'SIGHUP', '');
    sim.sim.signal(inPlatform.alloc.ID ?? '', 'SIGHUP', '');
    const keys = (s: typeof all) => s.frames().flatMap((f) => f.Events ?? []).map((e) => e.Key);
    await eventually(() => all.frames().length === 2 && [fallback, other, byJob, byAlloc].every((s) => keys(s).length >= 1), 2000, 'both events on *, one on each filter');
    // Nothing more on any of them, and nothing ever for a key no allocation has.
    await quietFor(100);
    assert.deepEqual(keys(fallback), [inDefault.alloc.ID]);
    assert.deepEqual(keys(other), [inPlatform.alloc.ID]);
    assert.deepEqual(keys(byJob), [inDefault.alloc.ID]);
    assert.deepEqual(keys(byAlloc), [inDefault.alloc.ID]);
    assert.deepEqual(keys(wrongKey), []);
    for (const s of [all, fallback, other, byJob, byAlloc, wrongKey]) s.close();
  });

  it('1.9.6+ pin a namespace=* stream to the namespaces that existed when it opened; 1.9.5 does not', async () => {
    for (const [nomadVersion, carries] of [['2.0.5', false], ['1.9.6', false], ['1.9.5', true]] as const) {
      const sim = await startSim({ nomadVersion, timeScale: 0.1 });
      const stream = await open(sim, '?topic=Allocation&namespace=*');
      await eventually(() => stream.lines.length >= 1, 2000, 'the first heartbeat');
      sim.sim.createNamespace('late', 2);
      sim.sim.signal(running(sim).alloc.ID ?? '', 'SIGHUP', '');
      await eventually(() => stream.frames().some((f) => f.Events?.some((e) => e.Namespace === 'default')), 2000, 'an event of an old namespace');
      const namespaces = new Set(stream.frames().flatMap((f) => f.Events ?? []).map((e) => e.Namespace));
      assert.equal(namespaces.has('late'), carries, nomadVersion);
      stream.close();
    }
  });

  it('index=N replays buffered items from N; an index older than the buffer, or none, starts at its oldest item', async () => {
    const sim = await startSim();
    const target = running(sim);
    const first = sim.sim.cluster.index + 1;
    for (let i = 0; i < BUFFER_ITEMS + 20; i++) sim.sim.signal(target.alloc.ID ?? '', 'SIGHUP', '');
    const last = sim.sim.cluster.index;
    const recent = await open(sim, `?topic=Allocation&index=${last - 4}`);
    const old = await open(sim, `?topic=Allocation&index=${first}`);
    // No index (0) is not "from now": the broker starts at its buffer's head, the oldest item.
    const zero = await open(sim, '?topic=Allocation');
    await eventually(() => recent.frames().length === 5 && old.frames().length === BUFFER_ITEMS && zero.frames().length === BUFFER_ITEMS, 2000, 'the replays');
    assert.deepEqual(zero.frames().map((f) => f.Index), old.frames().map((f) => f.Index), 'index 0 replays the whole buffer');
    zero.close();
    assert.deepEqual(recent.frames().map((f) => f.Index), [last - 4, last - 3, last - 2, last - 1, last]);
    assert.equal(old.frames()[0]?.Index, last - BUFFER_ITEMS + 1, 'the oldest kept item, not the one asked for');
    recent.close();
    old.close();
  });
});

describe('sim: event stream errors', () => {
  it('answers bad input before anything else, as event_endpoint.go parses it first', async () => {
    for (const nomadVersion of ['1.10.5', '2.0.5']) {
      const sim = await startSim({ nomadVersion });
      assert.deepEqual(await raw(sim, '/v1/event/stream?index=abc').then((r) => [r.status, r.body]), [400, 'Unable to parse index: strconv.Atoi: parsing "abc": invalid syntax']);
      assert.deepEqual(await raw(sim, '/v1/event/stream?topic=Allocation:a:b').then((r) => [r.status, r.body]), [400, 'Invalid topic query: error parsing topics: Invalid key value pair for topic, topic: Allocation:a:b']);
      assert.equal((await raw(sim, '/v1/event/stream', { method: 'POST' })).status, 405);
    }
  });

  it('before 1.11.2 an unknown region is a 500, a refused token a 403', async () => {
    const sim = await startSim({ nomadVersion: '1.11.1', acl: true });
    assert.deepEqual(await raw(sim, `/v1/event/stream?region=mars`, { headers: { 'X-Nomad-Token': sim.acl?.tokens.management ?? '' } }).then((r) => [r.status, r.body]), [500, 'No path to region']);
    assert.deepEqual(await raw(sim, '/v1/event/stream?topic=Allocation').then((r) => [r.status, r.body]), [403, 'Permission denied']);
  });

  it('from 1.11.2 a refusal is "200 OK" and a close with no body: the RPC\'s error has nowhere to go', async () => {
    for (const nomadVersion of ['1.11.2', '2.0.5']) {
      const sim = await startSim({ nomadVersion, acl: true });
      for (const query of ['?topic=Allocation', '?topic=Allocation&region=mars']) {
        const answer = await rawAnswer(sim, query, query.includes('mars') ? { 'X-Nomad-Token': sim.acl?.tokens.management ?? '' } : {});
        assert.equal(answer.closed, true, `${nomadVersion} ${query}`);
        assert.match(answer.text, /^HTTP\/[01]\.[01] 200 OK\r\n/);
        assert.ok(answer.text.endsWith('\r\n\r\n'), `nothing after the headers: ${JSON.stringify(answer.text.slice(-30))}`);
      }
    }
  });

  it('ACLs: Allocation needs read-job, every other topic a management token; a bad token is refused', async () => {
    const sim = await startSim({ acl: true });
    const tokens = sim.acl?.tokens;
    assert.ok(tokens);
    const accepted = async (query: string, token?: string) => !(await rawAnswer(sim, query, token ? { 'X-Nomad-Token': token } : {})).closed;
    assert.equal(await accepted('?topic=Allocation'), false, 'anonymous');
    assert.equal(await accepted('?topic=Allocation', 'not-a-token'), false);
    assert.equal(await accepted('?topic=Allocation', tokens.readOnly), true);
    assert.equal(await accepted('?topic=Node', tokens.readOnly), false);
    assert.equal(await accepted('', tokens.readOnly), false, 'no topic means *:*');
    assert.equal(await accepted('', tokens.management), true);
  });

  it('an agent without the endpoint (before 1.0) answers 404 with an empty body', async () => {
    const sim = await startSim({ eventStream: false });
    assert.deepEqual(await raw(sim, '/v1/event/stream?topic=Allocation').then((r) => [r.status, r.body]), [404, '']);
  });
});
