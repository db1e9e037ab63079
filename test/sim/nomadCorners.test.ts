// Corners of a real agent that the console must survive, as the simulator serves them: a
// namespaced blocking list woken only by its namespace (answering the table's index), services
// of a missing allocation blocking the whole wait and then 404 with index 0, a leaderless server
// holding requests for RPCHoldTimeout, gzip on errors, and a restart that answers after the exit.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { eventually, quietFor, raw, startSim } from '../helpers/sim.js';

describe('simulator: corners of a real agent', () => {
  it('a one-namespace blocking list is not woken by another namespace, and answers with the table index', async () => {
    const sim = await startSim({ allocs: 60 });
    const index = sim.sim.cluster.allocsIndex;
    const other = sim.sim.cluster.ordered.find((s) => s.alloc.Namespace === 'platform' && s.alloc.ClientStatus === 'running');
    const mine = sim.sim.cluster.ordered.find((s) => s.alloc.Namespace === 'default' && s.alloc.ClientStatus === 'running');
    assert.ok(other && mine);
    let answered = false;
    const waiting = raw(sim, `/v1/allocations?namespace=default&per_page=1&index=${index}&wait=5s`).then((r) => ((answered = true), r));
    await eventually(() => sim.counters.recent.some((url) => url.includes(`index=${index}&wait=5s`)), 2000, 'the blocking query to arrive');
    sim.sim.signal(other.alloc.ID ?? '', 'SIGHUP', '');
    await quietFor(300);
    assert.equal(answered, false, "another namespace's write does not wake it");
    sim.sim.signal(mine.alloc.ID ?? '', 'SIGHUP', '');
    const response = await waiting;
    assert.equal(response.headers.get('x-nomad-index'), String(sim.sim.cluster.allocsIndex), 'the table-wide index');
    // Asked again from the old index, it answers at once: the table's index is past it.
    const started = Date.now();
    await raw(sim, `/v1/allocations?namespace=platform&per_page=1&index=${index}&wait=5s`);
    assert.ok(Date.now() - started < 4000, 'well under the 5 s wait');
  });

  it('services of a missing allocation: the whole wait, then 404 "allocation not found" with index 0', async () => {
    const sim = await startSim({ allocs: 5 });
    const missing = '00000000-0000-0000-0000-000000000000';
    const started = Date.now();
    const response = await raw(sim, `/v1/allocation/${missing}/services?namespace=default&index=5&wait=400ms`);
    assert.ok(Date.now() - started >= 400, 'held for the wait');
    assert.deepEqual([response.status, response.body, response.headers.get('x-nomad-index')], [404, 'allocation not found', '0']);
    const quick = await raw(sim, `/v1/allocation/${missing}/services?namespace=default`);
    assert.equal(quick.status, 404, 'without index, at once');
  });

  it('no leader: a request is held for the hold time, then 500; a leader back within it answers normally', async () => {
    const sim = await startSim({ allocs: 5, rpcHoldTimeoutMs: 2000 });
    sim.leader.known = false;
    let started = Date.now();
    const failed = await raw(sim, '/v1/allocations');
    assert.ok(Date.now() - started >= 2000, 'held');
    assert.deepEqual([failed.status, failed.body], [500, 'No cluster leader']);
    started = Date.now();
    const held = sim.counters.requests;
    const answer = raw(sim, '/v1/allocations');
    await eventually(() => sim.counters.requests > held, 2000, 'the request to be held');
    sim.leader.known = true;
    const ok = await answer;
    assert.equal(ok.status, 200);
    assert.ok(Date.now() - started < 1800, 'answered when the leader came back, not at the end of the hold');
    assert.equal((await raw(sim, '/v1/allocations?stale=true')).status, 200);
  });

  it('errors are gzipped too when large enough (gziphandler wraps every answer)', async () => {
    const sim = await startSim({ allocs: 5 });
    const id = 'x'.repeat(2000);
    const response = await fetch(`${sim.url}/v1/client/allocation/${id}/signal`, { method: 'PUT', body: '{"Signal":"SIGHUP"}', headers: { 'accept-encoding': 'gzip' } });
    assert.equal(response.status, 404);
    // fetch decodes gzip itself; the header says it was sent compressed.
    assert.equal(response.headers.get('content-encoding'), 'gzip');
    assert.equal(await response.text(), `Unknown allocation "${id}"`);
    const small = await fetch(`${sim.url}/v1/client/allocation/x/signal`, { method: 'PUT', body: '{}', headers: { 'accept-encoding': 'gzip' } });
    assert.equal(small.headers.get('content-encoding'), null, 'under 1400 bytes, plain');
  });

  it('a restart is answered after the task exited', async () => {
    const sim = await startSim({ allocs: 200, timeScale: 0.2 });
    const slow = sim.sim.cluster.ordered.find((s) => s.alloc.ClientStatus === 'running' && s.group.tasks[0]?.name === 'envoy');
    assert.ok(slow);
    const started = Date.now();
    const response = await raw(sim, `/v1/client/allocation/${slow.alloc.ID}/restart`, { method: 'PUT', body: '{"TaskName":"envoy"}' });
    assert.equal(response.status, 200);
    assert.ok(Date.now() - started >= 1000 * 0.9, `held until envoy exited (kill_timeout 5 s × 0.2): ${Date.now() - started} ms`);
    assert.equal(slow.alloc.TaskStates.envoy?.Events?.find((e) => e.Type === 'Terminated' && e.Signal === 15)?.Type, 'Terminated');
  });
});
