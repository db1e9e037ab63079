// The blocking-query store against the simulator over real HTTP: sharing, aborting, liveness,
// index regression, the minimum interval, and a flat heap over 10,000 updates.
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { after, describe, it } from 'node:test';
import { allocationListQuery, allocationQuery, namespacesQuery, servicesQuery } from '../../src/store/queries.js';
import { Store } from '../../src/store/store.js';
import type { Fetcher, Query, WatchState } from '../../src/store/types.js';
import { failOnUnhandledRejections } from '../helpers/unhandled.js';
import { handlerAgent } from '../helpers/fakeAgent.js';
import type { ServerResponse } from 'node:http';

const fakeAgentFor = (answer: (res: ServerResponse) => void): Promise<string> => handlerAgent((_req, res) => answer(res));
import { clientFor, delay, eventually, listReads, quietFor, startSim } from '../helpers/sim.js';
import { FakeClock } from '../helpers/fakeClock.js';

function newStore(options: ConstructorParameters<typeof Store>[0] = {}): Store {
  const store = new Store({ waitMs: 10_000, minIntervalMs: 20, ...options });
  after(() => store.close());
  return store;
}

failOnUnhandledRejections();

describe('store: one loop per key', () => {
  it('20 subscribers to one key share one list read and one event stream', async () => {
    const sim = await startSim();
    const client = clientFor(sim);
    const store = newStore();
    const query = allocationListQuery(client, { namespace: '*' });
    const seen = new Array(20).fill(0);
    const unsubscribes = seen.map((_, i) => store.subscribe(query, () => (seen[i] += 1)));
    await eventually(() => store.getState(query.key).status === 'live' && sim.counters.streams === 1, 3000, 'live, on the event stream');
    await quietFor(200);
    assert.equal(listReads(sim), 1, 'one list read');
    assert.equal(sim.counters.streams, 1, 'one event stream');
    assert.equal(store.activeKeys, 1);
    assert.ok(seen.every((count) => count === seen[0] && count > 0), 'every subscriber was told');
    // A change arrives as an event: every subscriber sees it, and the list is not read again.
    const target = sim.sim.cluster.ordered.find((s) => s.alloc.ClientStatus === 'running' && s.job.type === 'service');
    const before = store.getState(query.key).index;
    const told = seen[0];
    sim.sim.stop(target?.alloc.ID ?? '', false);
    await eventually(() => store.getState(query.key).index > before, 3000, 'the change');
    assert.ok(seen.every((count) => count === seen[0] && count > told), 'every subscriber was told of the change');
    assert.equal(listReads(sim), 1);
    for (const unsubscribe of unsubscribes) unsubscribe();
    assert.equal(store.activeKeys, 0);
    await eventually(() => sim.counters.streams === 0, 2000, 'the stream to close');
  });

  it('20 subscribers to one blocking key share one request loop', async () => {
    const sim = await startSim();
    const store = newStore();
    const target = sim.sim.cluster.ordered.find((s) => s.alloc.ClientStatus === 'running' && s.job.type === 'service');
    const id = target?.alloc.ID ?? '';
    const query = allocationQuery(clientFor(sim), id);
    const seen = new Array(20).fill(0);
    const unsubscribes = seen.map((_, i) => store.subscribe(query, () => (seen[i] += 1)));
    const path = `/v1/allocation/${id}`;
    await eventually(() => store.getState(query.key).status === 'live', 3000, 'live');
    await eventually(() => sim.counters.byPath.get(path) === 2, 2000, 'the blocking query');
    await quietFor(200);
    assert.equal(sim.counters.byPath.get(path), 2, 'the first read plus one blocking query waiting');
    assert.ok(seen.every((count) => count === seen[0] && count > 0), 'every subscriber was told');
    sim.sim.signal(id, 'SIGHUP', '');
    const before = store.getState(query.key).index;
    await eventually(() => store.getState(query.key).index > before, 3000, 'the change');
    await eventually(() => sim.counters.byPath.get(path) === 3, 2000, 'the next blocking query');
    await quietFor(100);
    assert.equal(sim.counters.byPath.get(path), 3, 'one loop asks again, not twenty');
    for (const unsubscribe of unsubscribes) unsubscribe();
    assert.equal(store.activeKeys, 0);
  });

  it('the last unsubscribe aborts the in-flight blocking request and closes the event stream at once', async () => {
    const sim = await startSim();
    const store = newStore({ waitMs: 60_000 });
    const target = sim.sim.cluster.ordered.find((s) => s.alloc.ClientStatus === 'running');
    const list = allocationListQuery(clientFor(sim), { namespace: 'default' });
    const detail = allocationQuery(clientFor(sim), target?.alloc.ID ?? '');
    const unsubscribes = [store.subscribe(list, () => {}), store.subscribe(detail, () => {})];
    const detailPath = `/v1/allocation/${target?.alloc.ID ?? ''}`;
    const waiting = (path: string, also: RegExp): boolean => sim.counters.recent.some((url) => url.startsWith(path) && /[?&]index=[1-9]/.test(url) && also.test(url));
    // All three blocking requests are in before the unsubscribes: the detail's, the list's index
    // check and its namespace watch.
    await eventually(() => store.getState(list.key).status === 'live' && store.getState(detail.key).status === 'live' && sim.counters.streams === 1 && sim.counters.byPath.get(detailPath) === 2 && waiting('/v1/allocations?', /per_page=1/) && waiting('/v1/namespaces', /./), 3000, 'live: the stream open, three blocking requests waiting');
    assert.equal(sim.counters.abandoned, 0);
    assert.equal(sim.counters.streams, 1);
    for (const unsubscribe of unsubscribes) unsubscribe();
    // The detail's blocking query, the list's blocking index check and its namespace watch
    // (for streams pinned to the namespaces they opened with) are all abandoned.
    await eventually(() => sim.counters.abandoned === 3 && sim.counters.streams === 0, 2000, 'the sim to see every connection close');
  });

  it('a change in the sim reaches a subscriber while its query is blocked', async () => {
    const sim = await startSim();
    const store = newStore({ waitMs: 60_000 });
    const target = sim.sim.cluster.ordered.find((s) => s.alloc.ClientStatus === 'running' && s.job.type === 'service');
    const id = target?.alloc.ID ?? '';
    const query = allocationQuery(clientFor(sim), id);
    store.subscribe(query, () => {});
    await eventually(() => store.getState(query.key).status === 'live' && sim.counters.byPath.get(`/v1/allocation/${id}`) === 2, 3000, 'live, the blocking query waiting');
    sim.sim.signal(id, 'SIGUSR2', '');
    const state = await eventually(() => {
      const s = store.getState<{ TaskStates?: Record<string, { Events?: { Type?: string }[] }> }>(query.key);
      return Object.values(s.data?.TaskStates ?? {}).some((t) => t.Events?.at(-1)?.Type === 'Signaling') ? s : undefined;
    }, 3000, 'the Signaling event, long before the 60 s wait');
    assert.equal(state.status, 'live');
  });

  it('404 on one allocation is the state "gone", waited on with blocking queries, not an error loop', async () => {
    const sim = await startSim();
    const store = newStore();
    const query = allocationQuery(clientFor(sim), '00000000-0000-0000-0000-000000000000');
    store.subscribe(query, () => {});
    await eventually(() => store.getState(query.key).status === 'gone', 3000, 'gone');
    const before = sim.counters.byPath.get('/v1/allocation/00000000-0000-0000-0000-000000000000') ?? 0;
    await quietFor(300);
    const after = sim.counters.byPath.get('/v1/allocation/00000000-0000-0000-0000-000000000000') ?? 0;
    assert.ok(after - before <= 1, `a blocking wait, not an error loop (${after - before} requests)`);
  });
});

describe('store: index rules', () => {
  it('an index that goes backwards resets to 0 and shows the right data', async () => {
    const sim = await startSim();
    const store = newStore({ waitMs: 300 });
    // With the list on the event stream, the first event after the restore has a lower index.
    const query = allocationListQuery(clientFor(sim), { namespace: '*' });
    store.subscribe(query, () => {});
    const first = await eventually(() => (store.getState(query.key).status === 'live' && sim.counters.streams === 1 ? store.getState(query.key) : undefined), 3000, 'live, on the event stream');
    sim.sim.signal(sim.sim.cluster.ordered.find((s) => s.alloc.ClientStatus === 'running')?.alloc.ID ?? '', 'SIGHUP', '');
    await eventually(() => store.getState(query.key).index > first.index, 3000, 'an event');
    sim.sim.cluster.regressIndex(first.index - 2);
    const target = sim.sim.cluster.ordered.find((s) => s.alloc.ClientStatus === 'running' && s.job.type === 'service');
    sim.sim.stop(target?.alloc.ID ?? '', false);
    const state = await eventually(() => {
      const s = store.getState<{ ID?: string; DesiredTransition?: { Migrate?: boolean | null } }[]>(query.key);
      return s.index < first.index && s.data?.find((a) => a.ID === target?.alloc.ID)?.DesiredTransition?.Migrate ? s : undefined;
    }, 5000, 'data after the regression');
    assert.equal(state.index, sim.sim.cluster.allocsIndex);
    assert.equal(state.status, 'live');
  });

  // Pacing on a virtual clock (test/helpers/fakeClock.ts): the store's sleeps end only when the
  // test moves time, so request times are exact, whatever the machine is doing.
  async function requestTimes(minIntervalMs: number, indexAt: (request: number) => number): Promise<{ times: number[]; notBlocking: boolean; snapshots: number }> {
    const clock = new FakeClock();
    const start = clock.now();
    const times: number[] = [];
    const store = newStore({ waitMs: 300_000, minIntervalMs, now: clock.now, sleep: clock.sleep });
    const query: Query<number[]> = {
      key: 'paced',
      fetcher: async () => {
        times.push(clock.now() - start);
        return { data: [], meta: { index: indexAt(times.length), knownLeader: true, lastContact: 0 } };
      },
    };
    const snapshots = new Set<unknown>();
    const unsubscribe = store.subscribe(query, () => snapshots.add(store.getState(query.key).data));
    for (let ms = 0; ms < 10_000; ms += 100) await clock.advance(100);
    const notBlocking = store.summary().notBlocking;
    unsubscribe();
    return { times, notBlocking, snapshots: snapshots.size };
  }

  it('an agent that answers at once with the same index: the minimum interval, then slower, to one request per 2 s', async () => {
    const { times, notBlocking, snapshots } = await requestTimes(200, () => 5);
    // Three early same-index answers at the 200 ms minimum; then taken for an agent that does
    // not block, the interval doubles to the 2 s floor (the Nomad UI's throttle).
    assert.deepEqual(times, [0, 200, 400, 600, 1000, 1800, 3400, 5400, 7400, 9400]);
    assert.equal(notBlocking, true);
    assert.equal(snapshots, 1, 'an index that does not move hands out no new data');
  });

  it('an index that moves with the same data (a write elsewhere in the table): the index is taken, no subscriber is told', async () => {
    const clock = new FakeClock();
    const store = newStore({ waitMs: 300_000, minIntervalMs: 100, now: clock.now, sleep: clock.sleep });
    let request = 0;
    const query: Query<{ ServiceName: string; Tags: string[] }[]> = {
      key: 'services',
      // A fresh decode each time, as from the wire; the data changes at the 6th answer only.
      fetcher: async () => {
        request += 1;
        return { data: [{ ServiceName: 'web', Tags: request >= 6 ? ['v2'] : ['v1'] }], meta: { index: 100 + request, knownLeader: true, lastContact: 0 } };
      },
    };
    let told = 0;
    store.subscribe(query, () => (told += 1));
    for (let ms = 0; ms < 1_000; ms += 100) await clock.advance(100);
    assert.ok(request >= 8, `answers: ${request}`);
    assert.equal(told, 2, 'told of the first data and of the change, not of each index');
    assert.equal(store.getState(query.key).index, 100 + request, 'the newest index is held');
    assert.deepEqual(store.getState<{ Tags: string[] }[]>(query.key).data?.[0]?.Tags, ['v2']);
  });

  it("the list's stream moving the index with the very rows it gave (another namespace's write): no subscriber is told", async () => {
    const clock = new FakeClock();
    const store = newStore({ waitMs: 300_000, minIntervalMs: 100, now: clock.now, sleep: clock.sleep });
    const rows = [{ ID: 'a' }];
    let request = 0;
    const query: Query<{ ID: string }[]> = {
      key: 'stream',
      fetcher: async () => {
        request += 1;
        return { data: request === 4 ? [...rows, { ID: 'b' }] : rows, meta: { index: 10 + request, knownLeader: true, lastContact: 0 }, paced: true };
      },
    };
    let told = 0;
    store.subscribe(query, () => (told += 1));
    for (let ms = 0; ms < 1_000; ms += 100) await clock.advance(100);
    assert.ok(request >= 8, `answers: ${request}`);
    assert.equal(told, 3, 'the first rows, the change, and the rows after it (a new array): not each index');
    assert.equal(store.getState(query.key).index, 10 + request);
  });

  it('an agent whose index goes back on every answer is not asked in a loop: the not-blocking floor applies', async () => {
    // 999, 998, …: below the index each blocking request waited on, so each turn is a blocking
    // read and the re-read from index 0; the pause doubles from 50 ms to the 2 s floor.
    const { times, notBlocking } = await requestTimes(50, (request) => 1000 - request);
    assert.deepEqual(times, [0, 50, 100, 150, 200, 250, 350, 450, 650, 850, 1250, 1650, 2450, 3250, 4850, 6450, 8450]);
    assert.equal(notBlocking, true);
  });
});

describe('store: memory', () => {
  it('10,000 updates through one key leave the heap flat', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    let index = 0;
    const fetcher: Fetcher<{ rows: number[] }> = async ({ signal }) => {
      if (signal.aborted) throw new Error('aborted');
      index += 1;
      return { data: { rows: new Array(50).fill(index) }, meta: { index, knownLeader: true, lastContact: 0 } };
    };
    const store = newStore({ minIntervalMs: 0 });
    let updates = 0;
    let last: WatchState<{ rows: number[] }> | undefined;
    const unsubscribe = store.subscribe({ key: 'mem', fetcher }, () => {
      updates += 1;
      last = store.getState('mem');
    });
    const heapAt = async (count: number): Promise<number> => {
      await eventually(() => updates >= count, 20_000, `${count} updates`);
      gc();
      return process.memoryUsage().heapUsed;
    };
    const early = await heapAt(1000);
    const late = await heapAt(10_000);
    unsubscribe();
    assert.ok(last && last.index >= 10_000);
    assert.ok(late - early < 2 * 1024 * 1024, `heap grew ${((late - early) / 1024).toFixed(0)} KiB over 9,000 updates`);
  });
});

describe('store: connection summary', () => {
  it('shows the worst status over live keys, the newest index and since when data is stale', async () => {
    let failing = false;
    const ok = (index: number): Query<number> => ({
      key: `ok-${index}`,
      fetcher: async () => {
        await delay(5);
        return { data: index, meta: { index, knownLeader: true, lastContact: 0 } };
      },
    });
    const flaky: Query<number> = {
      key: 'flaky',
      fetcher: async () => {
        await delay(5);
        if (failing) throw Object.assign(new Error('500 No cluster leader (GET /v1/x)'), { status: 500 });
        return { data: 1, meta: { index: 3, knownLeader: true, lastContact: 0 } };
      },
    };
    const store = newStore({ minIntervalMs: 30, backoff: { baseMs: 50, capMs: 100 } });
    let changes = 0;
    store.onSummary(() => (changes += 1));
    const offs = [store.subscribe(ok(7), () => {}), store.subscribe(ok(9), () => {}), store.subscribe(flaky, () => {})];
    await eventually(() => store.summary().status === 'live', 2000, 'live');
    assert.equal(store.summary().index, 9);
    const okAt = store.getState('flaky').okAt;
    failing = true;
    const summary = await eventually(() => (store.summary().status === 'reconnecting' ? store.summary() : undefined), 2000, 'reconnecting');
    assert.match(summary.error?.message ?? '', /No cluster leader/);
    assert.ok(summary.staleSince >= okAt && summary.staleSince > 0);
    assert.ok(summary.retryAt > 0);
    failing = false;
    await eventually(() => store.summary().status === 'live', 2000, 'live again');
    assert.ok(changes >= 3);
    offs.forEach((off) => off());
    assert.equal(store.summary().keys, 0);
  });
});

describe('store: recovery', () => {
  it('after a failure the retry does not block: live again as soon as the agent answers', async () => {
    const sim = await startSim();
    const store = newStore({ waitMs: 60_000, backoff: { baseMs: 50, capMs: 100 } });
    const query = allocationListQuery(clientFor(sim), { namespace: 'default' });
    store.subscribe(query, () => {});
    await eventually(() => store.getState(query.key).status === 'live' && sim.counters.streams === 1, 3000, 'live, on the event stream');
    const restarted = sim.restart(500);
    await eventually(() => store.getState(query.key).status === 'reconnecting', 3000, 'reconnecting');
    await restarted;
    await eventually(() => store.getState(query.key).status === 'live', 3000, 'live again well before the 60 s wait');
  });
});

describe('store: regression found while waiting', () => {
  it('a snapshot restore under a long blocking wait is caught by the index check, not the 60 s timeout', async () => {
    const sim = await startSim();
    const store = newStore({ waitMs: 60_000 });
    // A filtered list waits in a blocking query; the index check runs every 200 ms here.
    const query = allocationListQuery(clientFor(sim), { namespace: '*', filter: 'ClientStatus != "lost"' }, { verifyEveryMs: 200 });
    store.subscribe(query, () => {});
    const first = await eventually(() => (store.getState(query.key).status === 'live' && listReads(sim) >= 2 ? store.getState(query.key) : undefined), 3000, 'live, the blocking query waiting');
    sim.sim.cluster.regressIndex(first.index - 2);
    const target = sim.sim.cluster.ordered.find((s) => s.alloc.ClientStatus === 'running' && s.job.type === 'service');
    sim.sim.stop(target?.alloc.ID ?? '', false);
    await eventually(() => {
      const s = store.getState<{ ID?: string; DesiredTransition?: { Migrate?: boolean | null } }[]>(query.key);
      return s.index < first.index && s.data?.find((a) => a.ID === target?.alloc.ID)?.DesiredTransition?.Migrate;
    }, 5000, 'current data after the regression, well before the 60 s wait');
    assert.equal(store.getState(query.key).status, 'live');
  });

  it('services of an allocation that was collected: gone after the wait (404, index 0), and no request loop', async () => {
    const sim = await startSim();
    const store = newStore({ waitMs: 400 });
    const target = sim.sim.cluster.ordered.find((s) => s.alloc.ClientStatus === 'running' && s.job.type === 'service');
    const id = target?.alloc.ID ?? '';
    const query = servicesQuery(clientFor(sim), id, target?.alloc.Namespace ?? '');
    store.subscribe(query, () => {});
    await eventually(() => store.getState(query.key).status === 'live', 3000, 'live');
    sim.sim.cluster.remove(new Set([id]), sim.sim.cluster.bump());
    sim.sim.cluster.commit();
    await eventually(() => store.getState(query.key).status === 'gone', 3000, 'gone');
    const asked = sim.counters.byPath.get(`/v1/allocation/${id}/services`) ?? 0;
    await quietFor(1500);
    assert.ok((sim.counters.byPath.get(`/v1/allocation/${id}/services`) ?? 0) - asked <= 1, 'no loop on a 404 without an index');
  });
});

describe('store: an agent that does not block', () => {
  it('answers at once with nothing new over HTTP: taken for an agent that does not block, and said so', async () => {
    let requests = 0;
    const url = await fakeAgentFor((res) => {
      requests += 1;
      res.writeHead(200, { 'Content-Type': 'application/json', 'X-Nomad-Index': '7', 'X-Nomad-KnownLeader': 'true' }).end('[]');
    });
    const store = newStore({ waitMs: 300_000, minIntervalMs: 250 });
    const query = namespacesQuery(clientFor(url));
    store.subscribe(query, () => {});
    await eventually(() => store.getState(query.key).notBlocking, 10_000, 'taken for an agent that does not block');
    assert.equal(store.summary().notBlocking, true);
    // How slow it then goes is the paced tests' (a virtual clock); here, real HTTP is judged.
    assert.ok(requests >= 4, `${requests} requests`);
  });
});
