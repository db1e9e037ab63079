// A large list's first read comes in page by page: the first page is published at once with how
// far the read has come, the rest follow without a pause, and what happens meanwhile (an
// event for a row not read yet, a row collected with no event) ends up exactly as the cluster
// holds it — the list read once.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { AllocListStub } from '../../src/nomad/types.js';
import { checkTruth } from '../../src/sim/truth.js';
import { allocationListQuery } from '../../src/store/queries.js';
import { Store } from '../../src/store/store.js';
import type { LoadProgress } from '../../src/store/types.js';
import { failOnUnhandledRejections } from '../helpers/unhandled.js';
import { clientFor, eventually, listReads, quietFor, startSim } from '../helpers/sim.js';

failOnUnhandledRejections();

describe('list loading page by page', () => {
  it('3,000 allocations: 100 at once, then page by page with an estimate of the rest, then all of them, true to the cluster', async () => {
    const sim = await startSim({ allocs: 3000 });
    const store = new Store({ waitMs: 10_000, minIntervalMs: 20 });
    after(() => store.close());
    const query = allocationListQuery(clientFor(sim), { namespace: '*' }, { firstPageSize: 100, pageSize: 500, loadingPublishMs: 0, reconcileGapMs: 200, checkIntervalMs: 50 });
    const seen: { rows: number; progress?: LoadProgress }[] = [];
    const late = sim.sim.cluster.ordered.at(-1);
    const early = sim.sim.cluster.ordered.find((s) => s.alloc.ClientStatus === 'complete');
    assert.ok(late && early);
    let meddled = false;
    store.subscribe(query, () => {
      const state = store.getState<AllocListStub[]>(query.key);
      seen.push({ rows: state.data?.length ?? 0, progress: state.progress });
      if (!meddled && state.progress) {
        meddled = true;
        // While the read goes on: an event for the last row (in the last page, not read yet),
        // and a row of the first page collected, which Nomad announces with no event.
        sim.sim.signal(late.alloc.ID ?? '', 'SIGHUP', '');
        sim.sim.cluster.remove(new Set([early.alloc.ID ?? '']), sim.sim.cluster.bump());
        sim.sim.cluster.commit();
      }
    });
    const rows = (): AllocListStub[] => store.getState<AllocListStub[]>(query.key).data ?? [];
    await eventually(() => store.getState(query.key).status === 'live' && !store.getState(query.key).progress, 10_000, 'the whole list');
    const first = seen.find((s) => s.rows > 0);
    assert.equal(first?.rows, 100, 'the first page, published on its own');
    assert.equal(first?.progress?.loaded, 100);
    // The estimate waits until the pages cover enough of the index span, then stays near.
    const estimates = seen.map((s) => s.progress?.estimate).filter((e) => e !== undefined);
    assert.ok(estimates.length >= 2, `estimates: ${estimates.join(', ')}`);
    for (const estimate of estimates) assert.ok(estimate > 2000 && estimate < 4500, `near 3,000: ${estimates.join(', ')}`);
    const loadingRows = seen.filter((s) => s.progress).map((s) => s.rows);
    assert.ok(loadingRows.length >= 5, `published page by page: ${loadingRows.join(', ')}`);
    assert.deepEqual(loadingRows, [...loadingRows].sort((a, b) => a - b), 'never fewer rows than before');
    // The event's row carries it; the collected row leaves by the index check's reconcile.
    assert.equal(rows().find((r) => r.ID === late.alloc.ID)?.ModifyIndex, late.alloc.ModifyIndex);
    await eventually(() => !rows().some((r) => r.ID === early.alloc.ID), 5000, 'the collected row to leave');
    // Exactly the cluster (a task's memory leak can end it meanwhile: its event must land too).
    await eventually(() => {
      const report = checkTruth(sim.sim.cluster, rows(), '*');
      return report.ghosts.length + report.missing.length + report.wrong.length === 0;
    }, 5000, 'the rows to equal the cluster');
    assert.equal(rows().length, sim.sim.cluster.ordered.length);
    assert.equal(listReads(sim), 1, 'one read of the list, in pages');
  });

  it('closed while the read comes in: no page is asked for after it (the one asked ahead at most)', async () => {
    const sim = await startSim({ allocs: 3000 });
    const store = new Store({ waitMs: 10_000, minIntervalMs: 20 });
    after(() => store.close());
    const query = allocationListQuery(clientFor(sim), { namespace: '*' }, { firstPageSize: 100, pageSize: 100, loadingPublishMs: 0 });
    const pages = (): number => sim.counters.recent.filter((url) => url.startsWith('/v1/allocations?') && url.includes('next_token=')).length;
    let unsubscribe = (): void => {};
    const closed = new Promise<void>((resolve) => {
      unsubscribe = store.subscribe(query, () => {
        if ((store.getState<AllocListStub[]>(query.key).data?.length ?? 0) >= 300) {
          unsubscribe();
          resolve();
        }
      });
    });
    await closed;
    const asked = pages();
    await quietFor(300);
    assert.ok(pages() <= asked + 1, `no page asked for after the close: ${asked} then ${pages()}`);
    assert.ok(pages() < 29, 'the read did not run on to its end');
  });
});
