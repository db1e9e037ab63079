// The list against the corners of real Nomad releases the simulator plays (--nomad-version):
// 1.11.2+ refuse a stream with a 200 that closes empty, 1.11.2 answers it as HTTP/0.0, 1.9.6+
// pin namespace=* streams to the namespaces that existed. Each ends live (on the stream or on
// blocking reads) with the simulator's rows, and asks for the stream again only rarely.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { AllocListStub } from '../../src/nomad/types.js';
import { allocationListQuery } from '../../src/store/queries.js';
import { Store } from '../../src/store/store.js';
import type { SimServer } from '../../src/sim/http/server.js';
import { clientFor, eventually, quietFor, startSim } from '../helpers/sim.js';

function watch(sim: SimServer, namespace: string, token?: string) {
  const store = new Store({ waitMs: 10_000, minIntervalMs: 20, backoff: { baseMs: 50, capMs: 200 } });
  after(() => store.close());
  const query = allocationListQuery(clientFor(sim, { token }), { namespace });
  store.subscribe(query, () => {});
  const rows = (): AllocListStub[] => store.getState<AllocListStub[]>(query.key).data ?? [];
  return { store, query, rows, status: () => store.getState(query.key).status };
}

const streamRequests = (sim: SimServer): string[] => sim.counters.recent.filter((url) => url.startsWith('/v1/event/stream'));

function running(sim: SimServer, namespace: string) {
  const found = sim.sim.cluster.ordered.find((s) => s.alloc.ClientStatus === 'running' && s.alloc.Namespace === namespace && s.job.type === 'service');
  assert.ok(found, `a running allocation in ${namespace}`);
  return found;
}

describe('list on real Nomad releases', () => {
  it('2.0: a token for one namespace is refused the * stream (an empty close), streams its namespace, and stays live', async () => {
    const sim = await startSim({ acl: true, nomadVersion: '2.0.5' });
    const list = watch(sim, 'default', sim.acl?.tokens.defaultOnly);
    await eventually(() => list.status() === 'live', 3000, 'live');
    assert.deepEqual(streamRequests(sim).map((url) => new URL(url, 'http://x').searchParams.get('namespace')), ['*', 'default']);
    const target = running(sim, 'default');
    sim.sim.signal(target.alloc.ID ?? '', 'SIGHUP', '');
    await eventually(() => list.rows().find((r) => r.ID === target.alloc.ID)?.ModifyIndex === target.alloc.ModifyIndex, 3000, 'the event');
    const requests = sim.counters.requests;
    await quietFor(1500);
    assert.equal(streamRequests(sim).length, 2, 'no more stream requests');
    assert.ok(sim.counters.requests - requests <= 3, `no request loop: ${sim.counters.requests - requests} requests in 1.5 s`);
    assert.equal(sim.counters.streams, 1);
  });

  it('2.0: an all-namespaces list whose stream is refused follows blocking reads, and does not ask again', async () => {
    const sim = await startSim({ acl: true, nomadVersion: '2.0.5' });
    const list = watch(sim, '*', sim.acl?.tokens.defaultOnly);
    await eventually(() => list.status() === 'live', 3000, 'live');
    assert.ok(list.rows().length > 0 && list.rows().every((r) => r.Namespace === 'default'), 'the namespaces the token may read');
    const target = running(sim, 'default');
    sim.sim.stop(target.alloc.ID ?? '', false);
    await eventually(() => list.rows().find((r) => r.ID === target.alloc.ID)?.DesiredTransition?.Migrate === true, 3000, 'the change, by a blocking read');
    const requests = sim.counters.requests;
    await quietFor(1500);
    assert.equal(streamRequests(sim).length, 1, 'refused once, not asked again');
    assert.ok(sim.counters.requests - requests <= 6, `blocking, not polling: ${sim.counters.requests - requests} requests in 1.5 s`);
    assert.equal(list.status(), 'live');
  });

  it('1.11.2: the HTTP/0.0 stream answer is taken as a refusal: blocking reads, live, one stream request', async () => {
    const sim = await startSim({ nomadVersion: '1.11.2' });
    const list = watch(sim, 'default');
    await eventually(() => list.status() === 'live', 3000, 'live');
    const target = running(sim, 'default');
    sim.sim.signal(target.alloc.ID ?? '', 'SIGHUP', '');
    await eventually(() => list.rows().find((r) => r.ID === target.alloc.ID)?.ModifyIndex === target.alloc.ModifyIndex, 3000, 'the change');
    const requests = sim.counters.requests;
    await quietFor(1500);
    assert.equal(streamRequests(sim).length, 1);
    assert.ok(sim.counters.requests - requests <= 6, `no loop: ${sim.counters.requests - requests} requests in 1.5 s`);
  });

  for (const nomadVersion of ['2.0.5', '1.9.5']) {
    it(`${nomadVersion}: a namespace created after the stream opened shows its allocations, and then follows their events`, async () => {
      const sim = await startSim({ nomadVersion, timeScale: 0.2 });
      const list = watch(sim, '*');
      await eventually(() => list.status() === 'live', 3000, 'live');
      // Writes elsewhere keep the stream moving past the new namespace's writes.
      const busy = setInterval(() => sim.sim.signal(running(sim, 'default').alloc.ID ?? '', 'SIGHUP', ''), 100);
      after(() => clearInterval(busy));
      sim.sim.createNamespace('late', 3);
      const late = await eventually(() => {
        const rows = list.rows().filter((r) => r.Namespace === 'late');
        return rows.length === 3 && rows.every((r) => r.ClientStatus === 'running') ? rows : undefined;
      }, 5000, "the new namespace's running allocations");
      clearInterval(busy);
      sim.sim.signal(late[0]?.ID ?? '', 'SIGHUP', '');
      const changed = sim.sim.cluster.get(late[0]?.ID ?? '')?.alloc.ModifyIndex;
      await eventually(() => list.rows().find((r) => r.ID === late[0]?.ID)?.ModifyIndex === changed, 3000, 'its event');
      // The release cannot be told from outside, so a new namespace always reopens the stream
      // (1.9.6+ need it; before, it costs one re-read).
      assert.equal(streamRequests(sim).length, 2);
    });
  }
});
