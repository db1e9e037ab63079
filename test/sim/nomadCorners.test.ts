// Corners of a real agent that the console must survive, as the simulator serves them: a
// namespaced blocking list woken only by its namespace (answering the table's index), services
// of a missing allocation blocking the whole wait and then 404 with index 0, services woken by
// their own allocation's registrations and not another's, a leaderless server
// holding requests for RPCHoldTimeout, every answer compressed when asked (errors, 404s and
// long lists chunked), and a restart that answers after the exit.
import assert from 'node:assert/strict';
import { get, type IncomingHttpHeaders } from 'node:http';
import { describe, it } from 'node:test';
import { gunzipSync, inflateRawSync } from 'node:zlib';
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

  it("services of an allocation: asked at the table's index, another allocation's registrations do not wake it, its own do", async () => {
    const sim = await startSim({ allocs: 60 });
    const { cluster } = sim.sim;
    const withServices = cluster.ordered.filter((s) => s.alloc.Namespace === 'default' && cluster.servicesByAlloc.has(s.alloc.ID ?? ''));
    const [mine, other] = withServices;
    assert.ok(mine && other, 'two allocations with services');
    const index = cluster.servicesIndex;
    let answered = false;
    const waiting = raw(sim, `/v1/allocation/${mine.alloc.ID}/services?namespace=default&index=${index}&wait=5s`).then((r) => ((answered = true), r));
    await eventually(() => sim.counters.recent.some((url) => url.includes(`${mine.alloc.ID}/services`)), 2000, 'the blocking query to arrive');
    sim.sim.stop(other.alloc.ID ?? '', false);
    await eventually(() => !cluster.servicesByAlloc.has(other.alloc.ID ?? ''), 5000, "the other allocation's services deregistered");
    await quietFor(300);
    assert.equal(answered, false, "another allocation's registrations do not wake it");
    assert.ok(cluster.servicesIndex > index, 'though the table moved');
    // Asked below the table's index (as a client that saw the old one), it answers at once.
    const started = Date.now();
    const quick = await raw(sim, `/v1/allocation/${other.alloc.ID}/services?namespace=default&index=${index}&wait=5s`);
    assert.ok(Date.now() - started < 4000, 'at once');
    assert.equal(quick.headers.get('x-nomad-index'), String(cluster.servicesIndex));
    sim.sim.stop(mine.alloc.ID ?? '', false);
    const response = await waiting;
    assert.equal(response.headers.get('x-nomad-index'), String(cluster.servicesIndex), "its own deregistration wakes it, with the table's index");
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

  it('errors are compressed too, however small (CompressHandler wraps the whole mux)', async () => {
    const sim = await startSim({ allocs: 5 });
    const id = 'x'.repeat(2000);
    const response = await fetch(`${sim.url}/v1/client/allocation/${id}/signal`, { method: 'PUT', body: '{"Signal":"SIGHUP"}', headers: { 'accept-encoding': 'gzip' } });
    assert.equal(response.status, 404);
    // fetch decodes gzip itself; the header says it was sent compressed.
    assert.equal(response.headers.get('content-encoding'), 'gzip');
    assert.equal(await response.text(), `Unknown allocation "${id}"`);
    const small = await fetch(`${sim.url}/v1/client/allocation/x/signal`, { method: 'PUT', body: '{}', headers: { 'accept-encoding': 'gzip' } });
    assert.equal(small.headers.get('content-encoding'), 'gzip', 'a 24-byte error too');
    assert.equal(await small.text(), 'Unknown allocation "x"');
  });

  it('answers as gorilla CompressHandler under Go: the first of gzip or deflate, Content-Length up to 2 KB, chunked past it, a long list the same bytes as one', async () => {
    const sim = await startSim({ allocs: 1500 });
    const fetchRaw = (path: string, acceptEncoding?: string): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> =>
      new Promise((resolve, reject) => {
        get(`${sim.url}${path}`, { headers: acceptEncoding ? { 'accept-encoding': acceptEncoding } : {} }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        }).on('error', reject);
      });
    const one = await fetchRaw('/v1/allocations?namespace=*&per_page=1', 'gzip');
    assert.equal(one.headers['content-encoding'], 'gzip');
    assert.equal(one.headers['content-length'], String(one.body.length), 'a small answer: its length');
    assert.equal(JSON.parse(gunzipSync(one.body).toString()).length, 1);
    // The whole list (1,500 items, past the 1,000 written at once): chunked, however encoded.
    const plain = await fetchRaw('/v1/allocations?namespace=*');
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.equal(plain.headers['content-length'], undefined);
    assert.equal(plain.headers['transfer-encoding'], 'chunked');
    const rows = JSON.parse(plain.body.toString()) as { ID: string }[];
    assert.equal(rows.length, sim.sim.cluster.ordered.length);
    const gzipped = await fetchRaw('/v1/allocations?namespace=*', 'br, gzip;q=1.0, gzip');
    assert.equal(gzipped.headers['content-encoding'], 'gzip', 'the first exact token');
    assert.equal(gzipped.headers['transfer-encoding'], 'chunked');
    assert.deepEqual(gunzipSync(gzipped.body), plain.body);
    // Go's compress/flate: raw DEFLATE, no zlib wrapper.
    const deflated = await fetchRaw('/v1/allocations?namespace=*', 'deflate, gzip');
    assert.equal(deflated.headers['content-encoding'], 'deflate');
    assert.deepEqual(inflateRawSync(deflated.body), plain.body);
    assert.equal((await fetchRaw('/v1/allocations?namespace=*', 'br')).headers['content-encoding'], undefined, 'neither asked for: plain');
    // An unknown path: an empty body, still wrapped.
    const missing = await fetchRaw('/v1/nothing-here', 'gzip');
    assert.equal(missing.status, 404);
    assert.equal(missing.headers['content-encoding'], 'gzip');
    assert.equal(gunzipSync(missing.body).length, 0);
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
