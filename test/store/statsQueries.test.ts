// Stats and checks are polled, not blocked on: one request per 2 s while watched, none once
// the last watcher leaves, failures backed off, and never part of the status bar's summary.
import assert from 'node:assert/strict';
import { describe, it, mock } from 'node:test';
import type { NomadClient } from '../../src/nomad/client.js';
import { NomadError } from '../../src/nomad/errors.js';
import { allocationChecksQuery, allocationStatsQuery } from '../../src/store/queries.js';
import { Store } from '../../src/store/store.js';

/** Lets pending promise callbacks run (the fake client answers at once). */
const settle = async (): Promise<void> => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
};

function fakeClient(fail?: () => Error | undefined): { client: NomadClient; calls: string[] } {
  const calls: string[] = [];
  const answer = (path: string, data: (n: number) => unknown) => async () => {
    calls.push(path);
    const error = fail?.();
    if (error) throw error;
    return { data: data(calls.length), meta: { index: 0, knownLeader: true, lastContact: 0 } };
  };
  const client = {
    // Each answer a new sample (the agent's Timestamp moves); the same one again would replace.
    allocationStats: answer('stats', (n) => ({ ResourceUsage: { CpuStats: { Percent: 5, TotalTicks: 120, Measured: ['Percent'] } }, Tasks: {}, Timestamp: n })),
    allocationChecks: answer('checks', () => ({ c1: { ID: 'c1', Service: 'web', Check: 'alive', Status: 'success', Mode: 'healthiness', Output: 'nomad: http ok', Timestamp: 1 } })),
  } as unknown as NomadClient;
  return { client, calls };
}

describe('stats and checks queries', () => {
  it('ask once per 2 s while watched, and not at all once nobody watches', async () => {
    mock.timers.enable({ apis: ['setTimeout', 'setImmediate', 'Date'] });
    const store = new Store({ waitMs: 300_000 });
    try {
      const { client, calls } = fakeClient();
      const stop = [store.subscribe(allocationStatsQuery(client, 'a1'), () => {}), store.subscribe(allocationChecksQuery(client, 'a1'), () => {})];
      await settle();
      assert.deepEqual(calls, ['stats', 'checks']);
      mock.timers.tick(1999);
      await settle();
      assert.equal(calls.length, 2, 'not before 2 s');
      mock.timers.tick(1);
      await settle();
      assert.deepEqual(calls.slice(2).sort(), ['checks', 'stats']);
      for (let i = 0; i < 5; i++) {
        mock.timers.tick(2000);
        await settle();
      }
      assert.equal(calls.filter((c) => c === 'stats').length, 7, 'one a 2 s');
      assert.equal((store.getState<readonly unknown[]>(allocationStatsQuery(client, 'a1').key).data ?? []).length, 7, 'every answer a sample in the ring');
      stop.forEach((unsubscribe) => unsubscribe());
      const before = calls.length;
      mock.timers.tick(60_000);
      await settle();
      assert.equal(calls.length, before, 'none after the last watcher left');
    } finally {
      store.close();
      mock.timers.reset();
    }
  });

  it('failures back off instead of asking every 2 s, and leave the status bar alone', async () => {
    mock.timers.enable({ apis: ['setTimeout', 'setImmediate', 'Date'] });
    const store = new Store({ waitMs: 300_000, random: () => 1 });
    try {
      const { client, calls } = fakeClient(() => new NomadError(500, 'GET', '/stats', 'No path to node'));
      const stop = store.subscribe(allocationStatsQuery(client, 'a2'), () => {});
      await settle();
      for (let i = 0; i < 30; i++) {
        mock.timers.tick(2000);
        await settle();
      }
      assert.ok(calls.length < 15, `${calls.length} requests in 60 s of failures`);
      assert.equal(store.getState(allocationStatsQuery(client, 'a2').key).status, 'reconnecting');
      assert.equal(store.summary().status, 'loading', 'no key the summary counts: the stats key is not one');
      stop();
    } finally {
      store.close();
      mock.timers.reset();
    }
  });
});
