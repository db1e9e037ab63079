// NomadClient against the simulator over real HTTP: every endpoint, the NomadError shape,
// blocking queries, pagination, and an index that goes backwards.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { NomadConnectionError, NomadError } from '../../src/nomad/errors.js';
import { ReadOnlyError } from '../../src/nomad/transport.js';
import { RESTART_TIMEOUT_MS } from '../../src/nomad/client.js';
import { fakeAgent } from '../helpers/fakeAgent.js';
import { clientFor, eventually, startSim } from '../helpers/sim.js';

async function rejectsWith(promise: Promise<unknown>, status: number, body: string | RegExp): Promise<NomadError> {
  const error = await promise.then(
    () => assert.fail('expected the request to fail'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof NomadError, `expected NomadError, got ${String(error)}`);
  assert.equal(error.status, status);
  if (typeof body === 'string') assert.equal(error.body, body);
  else assert.match(error.body, body);
  return error;
}

describe('NomadClient endpoints', () => {
  it('lists allocations with meta from the X-Nomad-* headers', async () => {
    const sim = await startSim();
    const client = clientFor(sim);
    const { data, meta } = await client.listAllocations({ namespace: '*' });
    assert.equal(data.length, sim.sim.cluster.ordered.length);
    assert.equal(meta.index, sim.sim.cluster.allocsIndex);
    assert.equal(meta.knownLeader, true);
    assert.equal(meta.lastContact, 0);
    assert.ok(data.every((a) => a.TaskStates && typeof a.TaskStates === 'object'));
  });

  it('honours task_states=false, resources, prefix, filter and reverse', async () => {
    const sim = await startSim();
    const client = clientFor(sim);
    const lean = await client.listAllocations({ namespace: '*', taskStates: false });
    assert.ok(lean.data.every((a) => a.TaskStates === null && !('AllocatedResources' in a)));
    const withResources = await client.listAllocations({ namespace: '*', resources: true });
    assert.ok(withResources.data.every((a) => a.AllocatedResources));
    const first = lean.data[0]?.ID ?? '';
    const prefixed = await client.listAllocations({ namespace: '*', prefix: first.slice(0, 4) });
    assert.ok(prefixed.data.some((a) => a.ID === first));
    assert.ok(prefixed.data.every((a) => a.ID?.startsWith(first.slice(0, 4))));
    const running = await client.listAllocations({ namespace: '*', filter: 'ClientStatus == "running"' });
    assert.ok(running.data.length > 0 && running.data.every((a) => a.ClientStatus === 'running'));
    const reversed = await client.listAllocations({ namespace: '*', reverse: true, taskStates: false });
    assert.deepEqual(reversed.data.map((a) => a.ID), lean.data.map((a) => a.ID).reverse());
  });

  it('scopes the list to the configured namespace unless told otherwise', async () => {
    const sim = await startSim();
    const client = clientFor(sim, { namespace: 'platform' });
    const { data } = await client.listAllocations();
    assert.ok(data.length > 0);
    assert.ok(data.every((a) => a.Namespace === 'platform'));
    const all = await client.listAllocations({ namespace: '*' });
    assert.ok(all.data.length > data.length);
  });

  it('reads one allocation, its services and its stats', async () => {
    const sim = await startSim();
    const client = clientFor(sim);
    const stub = sim.sim.cluster.ordered.find((s) => s.alloc.ClientStatus === 'running' && s.job.type === 'service');
    assert.ok(stub);
    const id = stub.alloc.ID ?? '';
    const { data, meta } = await client.getAllocation(id);
    assert.equal(data.ID, id);
    assert.equal(data.Job?.ID, stub.job.id);
    assert.equal(meta.index, stub.alloc.ModifyIndex);
    const services = await client.allocationServices(id, stub.alloc.Namespace ?? 'default');
    assert.ok(services.data.length > 0);
    assert.ok(services.data.every((s) => s.AllocID === id && typeof s.Port === 'number'));
    const stats = await client.allocationStats(id);
    assert.ok(stats.data.Tasks && Object.keys(stats.data.Tasks).length > 0);
  });

  it('stops, restarts and signals an allocation', async () => {
    const sim = await startSim({ timeScale: 0.05 });
    const client = clientFor(sim);
    const target = sim.sim.cluster.ordered.find((s) => s.alloc.ClientStatus === 'running' && s.job.type === 'service');
    assert.ok(target);
    const id = target.alloc.ID ?? '';
    const task = Object.keys(target.alloc.TaskStates)[0] ?? '';

    const signalled = await client.signalAllocation(id, 'SIGHUP', task);
    assert.deepEqual(signalled.data, { Index: 0 });
    assert.equal(target.alloc.TaskStates[task]?.Events?.at(-1)?.Type, 'Signaling');

    await client.restartAllocation(id, { task });
    assert.ok(target.alloc.TaskStates[task]?.Events?.some((e) => e.Type === 'Restart Signaled'));
    await eventually(() => target.alloc.TaskStates[task]?.State === 'running' && target.alloc.TaskStates[task]?.Events?.at(-1)?.Type === 'Started', 3000, 'restart to finish');

    const stopped = await client.stopAllocation(id, { noShutdownDelay: true });
    assert.match(stopped.data.EvalID ?? '', /^[0-9a-f-]{36}$/);
    assert.equal(stopped.meta.index, stopped.data.Index);
    assert.equal(target.alloc.DesiredTransition?.NoShutdownDelay, true);
    await eventually(() => target.alloc.ClientStatus === 'complete', 3000, 'the stopped allocation to complete');
    assert.equal(target.alloc.DesiredStatus, 'stop');
  });

  it('lists namespaces, regions, the leader and the token', async () => {
    const sim = await startSim();
    const client = clientFor(sim);
    const namespaces = await client.listNamespaces();
    assert.deepEqual(namespaces.data.map((n) => n.Name), ['analytics', 'default', 'platform']);
    assert.deepEqual((await client.listRegions()).data, ['global']);
    assert.match((await client.leader()).data, /:4647$/);
    assert.equal((await client.tokenSelf()).data.AccessorID, 'acls-disabled');
  });
});

describe('NomadClient errors', () => {
  it('reads like "403 Permission denied (GET /v1/allocations)" and never holds the token', async () => {
    const sim = await startSim({ acl: true });
    const token = 'f0f0f0f0-dead-beef-0000-123456789abc';
    const client = clientFor(sim, { token });
    const error = await rejectsWith(client.listAllocations(), 403, 'Permission denied');
    assert.equal(error.message, '403 Permission denied (GET /v1/allocations)');
    assert.ok(!JSON.stringify({ ...error, message: error.message, stack: error.stack }).includes(token));
  });

  it('reports each applicable error row with Nomad status and body', async () => {
    const sim = await startSim();
    const client = clientFor(sim);
    const id = sim.sim.cluster.ordered[0]?.alloc.ID ?? '';
    const missing = '00000000-0000-0000-0000-000000000000';
    await rejectsWith(client.getAllocation(missing), 404, 'alloc not found');
    await rejectsWith(client.getAllocation('nope'), 500, 'alloc lookup failed: index error: UUID must be 36 characters');
    await rejectsWith(client.stopAllocation(missing), 404, 'allocation not found');
    await rejectsWith(client.allocationServices(missing, 'default'), 404, 'allocation not found');
    await rejectsWith(client.allocationServices(id, 'not-its-namespace'), 404, 'allocation not found');
    await rejectsWith(client.signalAllocation(missing, 'SIGHUP'), 404, `Unknown allocation "${missing}"`);
    await rejectsWith(client.restartAllocation(missing, { running: true }), 404, `Unknown allocation "${missing}"`);
    await rejectsWith(client.allocationStats(missing), 404, `Unknown allocation "${missing}"`);
    await rejectsWith(client.signalAllocation(id, 'SIGHUP', 'no-such-task'), 500, 'Task not found');
    await rejectsWith(client.restartAllocation(id, { task: 'no-such-task' }), 500, 'Could not find task runner for task: no-such-task');
    await rejectsWith(client.listAllocations({ prefix: 'abc' }), 500, 'alloc lookup failed: index error: Input (without hyphens) must be even length');
    await rejectsWith(client.listAllocations({ prefix: 'zz' }), 500, "alloc lookup failed: index error: Invalid UUID: encoding/hex: invalid byte: U+007A 'z'");
    await rejectsWith(client.listAllocations({ filter: 'ClientStatus ==' }), 400, /^failed to create result paginator: failed to read filter expression: /);
    await rejectsWith(client.listAllocations({ filter: 'Foo == "x"' }), 400, 'failed to read result page: error finding value in datum: /Foo at part 0: couldn\'t find struct field with name "Foo"');
    const regional = clientFor(sim, { region: 'mars' });
    await rejectsWith(regional.listAllocations(), 500, 'No path to region');
  });

  it('reports no cluster leader unless the read is stale', async () => {
    const sim = await startSim();
    const client = clientFor(sim);
    sim.leader.known = false;
    sim.leader.lostAt = Date.now() - 1500;
    await rejectsWith(client.listAllocations(), 500, 'No cluster leader');
    const stale = await client.listAllocations({ stale: true });
    assert.equal(stale.meta.knownLeader, false);
    assert.ok(stale.meta.lastContact >= 1500);
  });

  it('names the address and what to check when nothing listens there', async () => {
    const sim = await startSim();
    const address = sim.url;
    await sim.close();
    const client = clientFor(address);
    const error = await client.listAllocations().catch((e: unknown) => e);
    assert.ok(error instanceof NomadConnectionError);
    assert.equal(error.code, 'ECONNREFUSED');
    assert.match(error.message, new RegExp(`cannot reach Nomad at ${address.replace(/[.]/g, '\\.')}: connection refused.*NOMAD_ADDR`));
  });

  it('refuses every write in read-only mode without sending it', async () => {
    const sim = await startSim();
    const client = clientFor(sim, { readOnly: true });
    const id = sim.sim.cluster.ordered[0]?.alloc.ID ?? '';
    await assert.rejects(client.stopAllocation(id), ReadOnlyError);
    await assert.rejects(client.restartAllocation(id, { allTasks: true }), ReadOnlyError);
    await assert.rejects(client.signalAllocation(id, 'SIGHUP'), ReadOnlyError);
    assert.equal(sim.counters.mutating, 0);
  });
});

describe('NomadClient blocking queries and pagination', () => {
  it('returns early when the cluster changes during a blocking query', async () => {
    const sim = await startSim();
    const client = clientFor(sim);
    const first = await client.listAllocations({ namespace: '*' });
    const started = Date.now();
    const pending = client.listAllocations({ namespace: '*', blocking: { index: first.meta.index, waitMs: 30_000 } });
    await eventually(() => sim.counters.recent.some((url) => url.startsWith('/v1/allocations?') && url.includes(`index=${first.meta.index}`)), 2000, 'the blocking query to arrive');
    const target = sim.sim.cluster.ordered.find((s) => s.alloc.ClientStatus === 'running' && s.job.type === 'service');
    sim.sim.failTask(target?.alloc.ID ?? '', Object.keys(target?.alloc.TaskStates ?? {})[0] ?? '');
    const next = await pending;
    assert.ok(next.meta.index > first.meta.index);
    assert.ok(Date.now() - started < 25_000, 'the change ended the 30 s wait');
  });

  it('holds for the wait when nothing changes, then answers with the same index', async () => {
    const sim = await startSim();
    const client = clientFor(sim);
    const first = await client.listAllocations();
    const started = Date.now();
    const same = await client.listAllocations({ blocking: { index: first.meta.index, waitMs: 400 } });
    const held = Date.now() - started;
    assert.ok(held >= 390, `held ${held} ms`);
    assert.equal(same.meta.index, first.meta.index);
  });

  it('walks every page with per_page and next_token', async () => {
    const sim = await startSim({ allocs: 57 });
    const client = clientFor(sim);
    const whole = await client.listAllocations({ namespace: '*', taskStates: false });
    const paged = await client.listAllAllocations({ namespace: '*', taskStates: false, perPage: 10 });
    assert.equal(paged.data.length, whole.data.length);
    assert.deepEqual(paged.data.map((a) => a.ID), whole.data.map((a) => a.ID));
    assert.equal(paged.meta.nextToken, undefined);
  });

  it('sees an index that went backwards (snapshot restore) after the wait', async () => {
    const sim = await startSim();
    const client = clientFor(sim);
    const first = await client.listAllocations();
    sim.sim.cluster.regressIndex(first.meta.index - 1);
    const after = await client.listAllocations({ blocking: { index: first.meta.index, waitMs: 200 } });
    assert.ok(after.meta.index < first.meta.index, `index ${after.meta.index} < ${first.meta.index}`);
  });
});

describe('NomadClient transport', () => {
  it('sends the token, region, namespace and gzip header, and gunzips the answer', async () => {
    const seen: { headers: Record<string, unknown>; url: string }[] = [];
    const { gzipSync } = await import('node:zlib');
    const server = createServer((req, res) => {
      seen.push({ headers: req.headers, url: req.url ?? '' });
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip', 'X-Nomad-Index': '42', 'X-Nomad-KnownLeader': 'true', 'X-Nomad-LastContact': '0' });
      res.end(gzipSync(JSON.stringify([{ ID: 'x' }])));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const client = clientFor(`http://127.0.0.1:${port}`, { token: 'secret-token', region: 'eu', namespace: 'ops' });
    const { data, meta } = await client.listAllocations({ blocking: { index: 7, waitMs: 5000 } });
    server.close();
    assert.deepEqual(data, [{ ID: 'x' }]);
    assert.equal(meta.index, 42);
    const request = seen[0];
    assert.ok(request);
    assert.equal(request.headers['x-nomad-token'], 'secret-token');
    assert.equal(request.headers['accept-encoding'], 'gzip');
    const url = new URL(request.url, 'http://x');
    assert.equal(url.searchParams.get('region'), 'eu');
    assert.equal(url.searchParams.get('namespace'), 'ops');
    assert.equal(url.searchParams.get('index'), '7');
    assert.equal(url.searchParams.get('wait'), '5000ms');
  });

  it('a restart may take longer than any other request: Nomad answers it only after the task exited', async () => {
    const url = await fakeAgent({
      '/v1/client/allocation/a1/restart': { body: '{"Index":0}', delayMs: 900 },
      '/v1/regions': { body: '["global"]', delayMs: 900 },
    });
    const client = clientFor(url, { requestTimeoutMs: 300 });
    await assert.rejects(client.listRegions(), (error: unknown) => error instanceof NomadConnectionError && error.code === 'DEADLINE');
    await client.restartAllocation('a1', { running: true });
    assert.ok(RESTART_TIMEOUT_MS >= 60_000, "well past a client's max_kill_timeout (30 s)");
  });

  it("reads a gzipped error body as the agent's words (gzip applies to errors too)", async () => {
    const sim = await startSim({ allocs: 3 });
    const id = 'f'.repeat(1500);
    await assert.rejects(clientFor(sim).signalAllocation(id, 'SIGHUP'), (error: unknown) => error instanceof NomadError && error.status === 404 && error.text === `Unknown allocation "${id}"`);
  });
});
