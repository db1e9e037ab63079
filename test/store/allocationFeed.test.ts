// The allocation list kept current by the event stream (AllocationFeed through the Store):
// changes and placements arrive without re-reading the list, garbage collection is caught by
// the index check, agents without the stream and filtered lists fall back to blocking reads,
// a lost stream recovers, and bad or stale events never corrupt the rows.
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { after, describe, it } from 'node:test';
import type { AllocListStub } from '../../src/nomad/types.js';
import { allocationListQuery } from '../../src/store/queries.js';
import { Store } from '../../src/store/store.js';
import type { Query } from '../../src/store/types.js';
import { handlerAgent, readHeaders, startEventStream } from '../helpers/fakeAgent.js';
import { failOnUnhandledRejections } from '../helpers/unhandled.js';
import { clientFor, eventually, listReads, quietFor, reconcileReads, startSim } from '../helpers/sim.js';

failOnUnhandledRejections();

function watch(query: Query<AllocListStub[]>, options: ConstructorParameters<typeof Store>[0] = {}): { store: Store; rows: () => AllocListStub[]; row: (id: string | undefined) => AllocListStub | undefined } {
  const store = new Store({ waitMs: 10_000, minIntervalMs: 20, backoff: { baseMs: 50, capMs: 200 }, ...options });
  after(() => store.close());
  store.subscribe(query, () => {});
  const rows = () => store.getState<AllocListStub[]>(query.key).data ?? [];
  return { store, rows, row: (id) => rows().find((r) => r.ID === id) };
}


describe('list on the event stream', () => {
  it('a change reaches the row from its event; the list is read once', async () => {
    const sim = await startSim();
    const query = allocationListQuery(clientFor(sim), { namespace: 'default' });
    const { store, row } = watch(query);
    await eventually(() => store.getState(query.key).status === 'live', 3000, 'live');
    const target = sim.sim.cluster.ordered.find((s) => s.alloc.ClientStatus === 'running' && s.alloc.Namespace === 'default' && s.job.type === 'service');
    const task = Object.keys(target?.alloc.TaskStates ?? {})[0] ?? '';
    if (target) target.alloc.TaskStates[task]!.Restarts = target.group.restartAttempts;
    sim.sim.failTask(target?.alloc.ID ?? '', task);
    const changed = await eventually(() => (row(target?.alloc.ID)?.ClientStatus === 'failed' ? row(target?.alloc.ID) : undefined), 3000, 'the failed row');
    assert.equal(changed.ModifyIndex, sim.sim.cluster.index);
    assert.equal(changed.JobType, 'service', 'the job type survives an event without the Job');
    assert.equal(changed.TaskStates, null, 'rows carry no task states, as a task_states=false read');
    assert.equal(store.getState(query.key).index, sim.sim.cluster.index);
    assert.equal(listReads(sim), 1);
  });

  it('a placement adds a row; a stop in another namespace does not reach a namespaced list', async () => {
    const sim = await startSim({ timeScale: 0.1 });
    const query = allocationListQuery(clientFor(sim), { namespace: 'default' });
    const { store, rows, row } = watch(query);
    await eventually(() => store.getState(query.key).status === 'live', 3000, 'live');
    const count = rows().length;
    const other = sim.sim.cluster.ordered.find((s) => s.alloc.ClientStatus === 'running' && s.alloc.Namespace !== 'default' && s.job.type === 'service');
    sim.sim.stop(other?.alloc.ID ?? '', false);
    const target = sim.sim.cluster.ordered.find((s) => s.alloc.ClientStatus === 'running' && s.alloc.Namespace === 'default' && s.job.type === 'service');
    sim.sim.stop(target?.alloc.ID ?? '', false);
    await eventually(() => target?.alloc.NextAllocation && row(target.alloc.NextAllocation), 3000, 'the replacement row');
    await quietFor(200);
    assert.equal(rows().length, count + 1, 'one new row: the default namespace replacement only');
    assert.equal(row(target?.alloc.NextAllocation ?? '')?.JobType, 'service', 'job type from a sibling row');
    assert.equal(row(target?.alloc.ID)?.DesiredStatus, 'stop');
    assert.equal(listReads(sim), 1);
  });

  it('a garbage-collected allocation (no event) leaves the list after the index check, read among the candidates only', async () => {
    const sim = await startSim({ timeScale: 0.1 });
    const query = allocationListQuery(clientFor(sim), { namespace: '*' }, { checkIntervalMs: 100, catchUpMs: 100, reconcileGapMs: 200 });
    const { store, row } = watch(query);
    await eventually(() => store.getState(query.key).status === 'live', 3000, 'live');
    // Only terminal allocations are collected (core_sched.go allocGCEligible): stop one first.
    const target = sim.sim.cluster.ordered.find((s) => s.alloc.ClientStatus === 'running' && s.job.type === 'service');
    const doomed = target?.alloc.ID ?? '';
    sim.sim.stop(doomed, false);
    await eventually(() => row(doomed)?.ClientStatus === 'complete', 3000, 'the stopped row');
    assert.equal(sim.sim.collectGarbage(0) >= 1, true);
    await eventually(() => !row(doomed), 3000, 'the row to go');
    assert.equal(listReads(sim), 1, 'the whole list was not read again');
    assert.ok(reconcileReads(sim) >= 1);
    assert.equal(store.getState(query.key).status, 'live');
  });

  it('writes in other namespaces move the table index but cost no re-read of a namespaced list', async () => {
    const sim = await startSim({ timeScale: 0.1 });
    const query = allocationListQuery(clientFor(sim), { namespace: 'default' }, { checkIntervalMs: 20, catchUpMs: 100 });
    const { store } = watch(query);
    await eventually(() => store.getState(query.key).status === 'live', 3000, 'live');
    const others = sim.sim.cluster.ordered.filter((s) => s.alloc.ClientStatus === 'running' && s.alloc.Namespace !== 'default').slice(0, 3);
    for (const other of others) sim.sim.signal(other.alloc.ID ?? '', 'SIGHUP', '');
    await eventually(() => store.getState(query.key).index === sim.sim.cluster.index, 3000, 'the index to follow');
    await quietFor(400);
    assert.equal(listReads(sim), 1);
    assert.equal(sim.counters.recent.filter((url) => url.startsWith('/v1/event/stream')).length, 1);
    assert.match(sim.counters.recent.find((url) => url.startsWith('/v1/event/stream')) ?? '', /namespace=\*/);
  });

  it('idle, the list holds the stream and one waiting index check: no polling', async () => {
    const sim = await startSim();
    const query = allocationListQuery(clientFor(sim), { namespace: 'default' }, { checkIntervalMs: 50 });
    const { store } = watch(query);
    const checkWaiting = (): boolean => sim.counters.recent.some((url) => /per_page=1&.*index=\d+/.test(url) || /index=\d+.*per_page=1/.test(url));
    await eventually(() => store.getState(query.key).status === 'live' && sim.counters.streams === 1 && checkWaiting(), 3000, 'live: the stream open, the index check waiting');
    const before = sim.counters.requests;
    await quietFor(1500);
    assert.equal(sim.counters.requests - before, 0, 'no request in 1.5 s of quiet');
    assert.equal(sim.counters.streams, 1);
  });

  it('an agent without the stream (404, before 1.0) gets blocking list reads, and changes still arrive', async () => {
    const sim = await startSim({ eventStream: false });
    const query = allocationListQuery(clientFor(sim), { namespace: 'default' });
    const { store, row } = watch(query);
    await eventually(() => store.getState(query.key).status === 'live', 3000, 'live');
    const target = sim.sim.cluster.ordered.find((s) => s.alloc.ClientStatus === 'running' && s.alloc.Namespace === 'default');
    sim.sim.stop(target?.alloc.ID ?? '', false);
    await eventually(() => row(target?.alloc.ID)?.DesiredTransition?.Migrate === true, 3000, 'the change');
    assert.equal(sim.counters.byPath.get('/v1/event/stream'), 1, 'asked once, then not again');
    assert.ok(listReads(sim) >= 2);
  });

  it('a server-side filter keeps the list on blocking queries: no stream is opened', async () => {
    const sim = await startSim();
    const query = allocationListQuery(clientFor(sim), { namespace: 'default', filter: 'ClientStatus == "running"' });
    const { store, row } = watch(query);
    await eventually(() => store.getState(query.key).status === 'live', 3000, 'live');
    const target = sim.sim.cluster.ordered.find((s) => s.alloc.ClientStatus === 'running' && s.alloc.Namespace === 'default');
    sim.sim.stop(target?.alloc.ID ?? '', false);
    await eventually(() => row(target?.alloc.ID)?.DesiredTransition?.Migrate === true, 3000, 'the change');
    assert.equal(sim.counters.byPath.get('/v1/event/stream'), undefined);
  });

  it('a lost stream (agent restart) shows reconnecting, then the list is read again with what changed meanwhile', async () => {
    const sim = await startSim();
    const query = allocationListQuery(clientFor(sim), { namespace: 'default' });
    const { store, row } = watch(query);
    await eventually(() => store.getState(query.key).status === 'live', 3000, 'live');
    const target = sim.sim.cluster.ordered.find((s) => s.alloc.ClientStatus === 'running' && s.alloc.Namespace === 'default');
    const restarted = sim.restart(400);
    await eventually(() => store.getState(query.key).status === 'reconnecting', 3000, 'reconnecting');
    sim.sim.stop(target?.alloc.ID ?? '', false);
    await restarted;
    await eventually(() => store.getState(query.key).status === 'live' && row(target?.alloc.ID)?.DesiredTransition?.Migrate === true, 5000, 'live with the change');
    assert.equal(sim.counters.streams, 1, 'one stream again, not a leak');
  });
});

describe('list on the event stream: data from a hostile or confused agent', () => {
  it('a token refused every namespace\'s events streams its own namespace instead', async () => {
    const streams: string[] = [];
    const address = await handlerAgent((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.pathname === '/v1/event/stream') {
        streams.push(url.searchParams.get('namespace') ?? '');
        if (url.searchParams.get('namespace') === '*') {
          res.writeHead(403, { 'Content-Type': 'text/plain' }).end('Permission denied');
          return;
        }
        startEventStream(res);
        res.write('{}\n');
        return;
      }
      res.writeHead(200, readHeaders(10)).end('[{"ID":"a1","Namespace":"web","ModifyIndex":10}]');
    });
    const query = allocationListQuery(clientFor(address), { namespace: 'web' });
    const { store, rows } = watch(query);
    await eventually(() => store.getState(query.key).status === 'live', 3000, 'live');
    assert.deepEqual(streams, ['*', 'web']);
    assert.equal(rows().length, 1);
  });

  it('an index check answered after newer events arrived is not taken for a restore', async () => {
    let stream: ServerResponse | undefined;
    let listReads = 0;
    const address = await handlerAgent((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.pathname === '/v1/event/stream') {
        startEventStream(res);
        res.write('{}\n');
        stream = res;
        return;
      }
      if (url.searchParams.get('per_page') === '1' && url.searchParams.has('index')) {
        // The check waiting on 10: the table moves to 11, and the answer is slow to arrive.
        setTimeout(() => res.writeHead(200, readHeaders(11)).end('[]'), 300);
        return;
      }
      if (url.pathname === '/v1/allocations') listReads += 1;
      res.writeHead(200, readHeaders(10)).end('[{"ID":"a1","Namespace":"default","ModifyIndex":10}]');
    });
    const query = allocationListQuery(clientFor(address), { namespace: 'default' });
    const { store, row } = watch(query);
    await eventually(() => store.getState(query.key).status === 'live' && stream, 3000, 'live');
    const event = (index: number) => JSON.stringify({ Index: index, Events: [{ Topic: 'Allocation', Payload: { Allocation: { ID: 'a1', Namespace: 'default', ClientStatus: 'failed', ModifyIndex: index } } }] });
    stream?.write(`${event(11)}\n${event(12)}\n`);
    await eventually(() => row('a1')?.ModifyIndex === 12, 3000, 'the events');
    await quietFor(500);
    assert.equal(listReads, 1, 'no re-read: 11 is below what the events reached, not below what the check waited on');
    assert.equal(store.getState(query.key).index, 12);
  });

  it('ignores malformed events and events older than the row; applies the good ones', async () => {
    let stream: ServerResponse | undefined;
    const rows = [
      { ID: 'a1', Namespace: 'default', JobID: 'web', JobType: 'service', ClientStatus: 'running', ModifyIndex: 10, CreateIndex: 5 },
      { ID: 'a2', Namespace: 'default', JobID: 'web', JobType: 'service', ClientStatus: 'running', ModifyIndex: 10, CreateIndex: 6 },
    ];
    const address = await handlerAgent((req, res) => {
      if (req.url?.startsWith('/v1/event/stream')) {
        startEventStream(res);
        res.write('{}\n');
        stream = res;
        return;
      }
      res.writeHead(200, readHeaders(10)).end(JSON.stringify(rows));
    });
    const query = allocationListQuery(clientFor(address), { namespace: 'default' });
    const { store, row, rows: current } = watch(query);
    await eventually(() => store.getState(query.key).status === 'live' && stream, 3000, 'live');
    const frames = [
      { Index: 11, Events: 'not a list' },
      { Index: 12, Events: [null, 7, { Topic: 'Allocation', Payload: null }, { Topic: 'Allocation', Payload: { Allocation: { ID: 42 } } }, { Topic: 'Node', Payload: { Allocation: { ID: 'a1', ClientStatus: 'lost' } } }] },
      { Index: 13, Events: [{ Topic: 'Allocation', Payload: { Allocation: { ID: 'a1', Namespace: 'default', ClientStatus: 'failed', ModifyIndex: 9 } } }] },
      { Index: 14, Events: [{ Topic: 'Allocation', Payload: { Allocation: { ID: 'x9', Namespace: 'other', ClientStatus: 'running', ModifyIndex: 14 } } }] },
      { Index: 15, Events: [{ Topic: 'Allocation', Payload: { Allocation: { ID: 'a2', Namespace: 'default', JobID: 'web', ClientStatus: 'complete', ModifyIndex: 15, Surprise: { deep: [1] } } } }] },
    ];
    stream?.write(frames.map((f) => JSON.stringify(f)).join('\n') + '\n');
    await eventually(() => row('a2')?.ClientStatus === 'complete', 3000, 'the good event');
    assert.equal(row('a1')?.ClientStatus, 'running', 'an older event and a Node-topic event change nothing');
    assert.equal(row('x9'), undefined, 'another namespace is not added');
    assert.equal(row('a2')?.JobType, 'service');
    assert.equal(current().length, 2);
    assert.equal(store.getState(query.key).index, 15);
    assert.equal(store.getState(query.key).status, 'live');
  });
});
