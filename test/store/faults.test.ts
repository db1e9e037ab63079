// Every simulator fault through the store: the last data is kept, the status says what is
// wrong, retries follow the backoff schedule, and the key recovers to live by itself.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { backoffDelay } from '../../src/store/backoff.js';
import { allocationListQuery } from '../../src/store/queries.js';
import { Store } from '../../src/store/store.js';
import type { Query, WatchState } from '../../src/store/types.js';
import type { AllocListStub } from '../../src/nomad/types.js';
import type { SimServer } from '../../src/sim/http/server.js';
import { failOnUnhandledRejections } from '../helpers/unhandled.js';
import { clientFor, eventually, listReads, quietFor, startSim } from '../helpers/sim.js';

const BACKOFF = { baseMs: 100, capMs: 800 };
const MIN_INTERVAL = 20;

interface Harness {
  sim: SimServer;
  store: Store;
  query: Query<AllocListStub[]>;
  states: { at: number; state: WatchState<AllocListStub[]> }[];
  calls: number[];
  state(): WatchState<AllocListStub[]>;
}

/** The list two ways: following the event stream, and on blocking queries (a filtered list). */
const MODES = [
  { name: 'event stream', filter: undefined },
  { name: 'blocking queries', filter: 'ClientStatus != "lost"' },
] as const;

async function harness(filter?: string): Promise<Harness> {
  const sim = await startSim({ allocs: 30 });
  // The store's clock, recorded: a listener sees the exact instant the watcher used.
  let lastNow = 0;
  const store = new Store({ waitMs: 300, minIntervalMs: MIN_INTERVAL, backoff: BACKOFF, random: () => 0.5, now: () => (lastNow = Date.now()) });
  after(() => store.close());
  // The list follows the event stream and checks the table's index (at most every 100 ms), so faults
  // land on the checks, the stream and the re-reads after them.
  // (A blocking list keeps the 15 s check: its failures prove nothing and are not counted.)
  const base = allocationListQuery(clientFor(sim), { namespace: '*', filter }, filter ? {} : { checkIntervalMs: 100 });
  const calls: number[] = [];
  const query: Query<AllocListStub[]> = { ...base, fetcher: (params) => (calls.push(Date.now()), base.fetcher(params)) };
  const states: Harness['states'] = [];
  store.subscribe(query, () => states.push({ at: lastNow, state: store.getState(query.key) }));
  await eventually(() => store.getState(query.key).status === 'live', 3000, 'live');
  return { sim, store, query, states, calls, state: () => store.getState<AllocListStub[]>(query.key) };
}

/** Checks every failure kept the data, and that retries waited as long as the schedule says. */
function assertFailuresHandled(h: Harness, status: string, expectedData: number): void {
  const failures = h.states.filter((s) => s.state.status === status);
  assert.ok(failures.length > 0, `saw status ${status}`);
  failures.forEach(({ at, state }, i) => {
    assert.equal(state.data?.length, expectedData, 'the last good data is kept');
    assert.ok(state.error, 'the error is kept for the status bar');
    const expected = Math.max(MIN_INTERVAL, backoffDelay(i + 1, BACKOFF, () => 0.5));
    assert.equal(state.retryAt - at, expected, `retry ${i + 1} is scheduled ${expected} ms out`);
    const nextCall = h.calls.find((t) => t >= at);
    if (nextCall !== undefined) assert.ok(nextCall >= state.retryAt - 2, `retry ${i + 1} waited for its time (${state.retryAt - nextCall} ms early)`);
  });
}

failOnUnhandledRejections();

for (const mode of MODES) describe(`store under simulator faults, list on ${mode.name}`, () => {
  for (const kind of ['reset-before', 'reset-mid', 'truncated'] as const) {
    if (mode.filter) {
      it(`${kind}: reconnecting with data kept, backoff respected, then live`, async () => {
        const h = await harness(mode.filter);
        const count = h.state().data?.length ?? 0;
        h.sim.faults.queue(kind, 3);
        await eventually(() => h.states.filter((s) => s.state.status === 'reconnecting').length === 3, 5000, 'three failures');
        await eventually(() => h.state().status === 'live', 5000, 'recovery');
        assertFailuresHandled(h, 'reconnecting', count);
        assert.equal(h.sim.faults.counts[kind], 3);
        if (kind === 'truncated') assert.match(h.states.find((s) => s.state.status === 'reconnecting')?.state.error?.message ?? '', /could not be read/);
      });
      continue;
    }
    it(`${kind} on the index checks: two in a row change nothing; a third shows reconnecting, then live`, async () => {
      const h = await harness(mode.filter);
      const count = h.state().data?.length ?? 0;
      const reads = listReads(h.sim);
      // The stream is fine: a failed check only waits for the next one (no re-read, still live).
      h.sim.faults.queue(kind, 2);
      await eventually(() => h.sim.faults.counts[kind] === 2, 5000, 'two faults served');
      const served = h.sim.counters.requests;
      await eventually(() => h.sim.counters.requests > served, 5000, 'a check after them');
      assert.ok(h.states.every((s) => s.state.status === 'live'), 'live throughout');
      assert.equal(listReads(h.sim), reads, 'no re-read');
      // Three in a row: the agent is taken for failing, and the list starts over once it answers.
      h.sim.faults.queue(kind, 3);
      await eventually(() => h.state().status === 'reconnecting', 5000, 'reconnecting');
      await eventually(() => h.state().status === 'live', 5000, 'recovery');
      assertFailuresHandled(h, 'reconnecting', count);
      assert.equal(h.states.filter((s) => s.state.status === 'reconnecting').length, 1);
      if (kind === 'truncated') assert.match(h.states.find((s) => s.state.status === 'reconnecting')?.state.error?.message ?? '', /could not be read/);
    });
  }

  it('slow-headers: a slow answer is not an error; data arrives and the key stays live', async () => {
    const h = await harness(mode.filter);
    h.sim.faults.slowHeadersMs = 800;
    h.sim.faults.queue('slow-headers');
    const served = h.sim.counters.requests;
    await eventually(() => h.sim.counters.requests > served + 1, 5000, 'the slow request to finish');
    assert.ok(h.states.every((s) => s.state.status === 'live'));
    assert.equal(h.sim.faults.counts['slow-headers'], 1);
  });

  it('no-leader: 500 No cluster leader shows as reconnecting, then live when a leader is back', async () => {
    const h = await harness(mode.filter);
    const count = h.state().data?.length ?? 0;
    await h.sim.faults.trigger('no-leader', 700);
    await eventually(() => h.state().status === 'reconnecting', 3000, 'reconnecting');
    assert.match(h.state().error?.message ?? '', /^500 No cluster leader/);
    await eventually(() => h.state().status === 'live', 5000, 'live again');
    assertFailuresHandled(h, 'reconnecting', count);
  });

  it('index-regression: resets to 0 and shows current data', async () => {
    const h = await harness(mode.filter);
    const before = h.state().index;
    await h.sim.faults.trigger('index-regression');
    await eventually(() => h.state().index < before && h.state().index === h.sim.sim.cluster.allocsIndex, 5000, 'the lower index');
    assert.equal(h.state().status, 'live');
  });

  it('restart: the agent goes away and comes back on the same port; the store follows', async () => {
    const h = await harness(mode.filter);
    const count = h.state().data?.length ?? 0;
    const restarted = h.sim.faults.trigger('restart', 1200);
    await eventually(() => h.state().status === 'reconnecting', 3000, 'reconnecting');
    assert.match(h.state().error?.message ?? '', /connection refused|connection closed/);
    await restarted;
    await eventually(() => h.state().status === 'live', 5000, 'live after the restart');
    assertFailuresHandled(h, 'reconnecting', count);
  });

  it('403: denied, and retried slowly rather than in a loop', async () => {
    const sim = await startSim({ allocs: 5, acl: true });
    const store = new Store({ waitMs: 300, minIntervalMs: MIN_INTERVAL, deniedRetryMs: 10_000 });
    after(() => store.close());
    const query = allocationListQuery(clientFor(sim, { token: 'not-a-real-token' }), { namespace: 'default', filter: mode.filter });
    store.subscribe(query, () => {});
    await eventually(() => store.getState(query.key).status === 'denied', 3000, 'denied');
    await quietFor(1000);
    assert.equal(sim.counters.byPath.get('/v1/allocations'), 1, 'one request in a second');
    assert.equal(store.summary().status, 'denied');
    assert.ok(store.getState(query.key).retryAt - Date.now() > 3000);
  });
});

describe('simulator restarts', () => {
  it('overlapping restarts share one: the server comes back once, listening', async () => {
    const sim = await startSim({ allocs: 3 });
    await Promise.all([sim.restart(300), sim.restart(300), sim.faults.trigger('restart', 300)]);
    assert.equal(sim.server.listening, true);
    assert.equal((await fetch(`${sim.url}/v1/regions`)).status, 200);
  });
});
