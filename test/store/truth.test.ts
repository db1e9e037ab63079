// The truth check in-process: the list the store holds against the simulator's cluster while it
// churns (20+ changes a second) and collects garbage (no events), on the event stream. Every
// ghost, missing row or wrong status must clear within 10 s of its allocation's last change,
// and once the cluster holds still the list equals it exactly.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { AllocListStub } from '../../src/nomad/types.js';
import { checkTruth } from '../../src/sim/truth.js';
import { allocationListQuery } from '../../src/store/queries.js';
import { Store } from '../../src/store/store.js';
import { clientFor, delay, eventually, listReads, reconcileReads, startSim } from '../helpers/sim.js';

describe('truth under churn and garbage collection', () => {
  for (const namespace of ['default', '*']) {
    it(`namespace ${namespace}: no row outlives its allocation by 10 s; exact once still`, async () => {
      const sim = await startSim({ allocs: 300, seed: 11, life: { intervalMs: 100, changesPerTick: 3 }, timeScale: 0.2, gc: { intervalMs: 700, thresholdMs: 500 } });
      const store = new Store({ waitMs: 60_000, minIntervalMs: 50 });
      after(() => store.close());
      const query = allocationListQuery(clientFor(sim), { namespace });
      store.subscribe(query, () => {});
      const rows = (): AllocListStub[] => store.getState<AllocListStub[]>(query.key).data ?? [];
      await eventually(() => store.getState(query.key).status === 'live', 5000, 'live');
      const removedBefore = sim.sim.cluster.removedAt.size;
      const startedAt = Date.now();
      let samples = 0;
      let sawGhost = false;
      while (Date.now() - startedAt < 14_000) {
        await delay(250);
        const report = checkTruth(sim.sim.cluster, rows(), namespace);
        samples += 1;
        if (report.ghosts.length) sawGhost = true;
        assert.deepEqual(report.settled, { ghosts: [], missing: [], wrong: [] }, `sample ${samples}: settled differences (${report.rows} rows, ${report.cluster} in the cluster)`);
      }
      assert.ok(sim.sim.cluster.removedAt.size - removedBefore > 20, `garbage was collected meanwhile (${sim.sim.cluster.removedAt.size - removedBefore})`);
      sim.sim.stopLife();
      const still = Date.now();
      await eventually(() => {
        const report = checkTruth(sim.sim.cluster, rows(), namespace);
        return report.ghosts.length + report.missing.length + report.wrong.length === 0;
      }, 10_000, 'the list to equal the cluster once it holds still');
      assert.ok(Date.now() - still < 10_000);
      assert.equal(store.getState(query.key).status, 'live');
      // GC cost reads of its candidates, never of the whole list (which was read once).
      assert.equal(listReads(sim), 1, 'the whole list was read once');
      assert.ok(reconcileReads(sim) >= 1 && reconcileReads(sim) <= Math.ceil((Date.now() - startedAt) / 5_000) + 1, `candidate reads at most one per 5 s: ${reconcileReads(sim)}`);
      void sawGhost;
    });
  }
});
