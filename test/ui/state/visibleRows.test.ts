// The list on screen follows a changing list by its deltas: after any sequence of events,
// collections and reads, for every sort and filter, it is exactly what a full sort of the
// whole list gives — including when it skipped versions, and when it fell too far behind.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AllocListStub, Allocation } from '../../../src/nomad/types.js';
import { ListRows } from '../../../src/store/listRows.js';
import { filterAllocations, longestName, SORT_COLUMNS, sortAllocations, type SortOrder } from '../../../src/ui/listModel.js';
import { onVisibleRowsReady, sortPending, SYNC_ROWS, visibleRows, visibleRowsStats } from '../../../src/ui/state/visibleRows.js';
import { inJob } from '../../../src/ui/jobsModel.js';
import { Prng } from '../../../src/sim/prng.js';

/** The simulator's seeded generator (mulberry32), as a function: a failure names a seed to replay. */
const prng = (seed: number): (() => number) => {
  const generator = new Prng(seed);
  return () => generator.next();
};

const STATUSES = ['running', 'pending', 'complete', 'failed', 'lost'];

function alloc(random: () => number, id: number, modifyIndex: number): Allocation {
  const job = `job${Math.floor(random() * 6)}`;
  return {
    ID: `${id.toString(16).padStart(8, '0')}-0000-0000-0000-000000000000`,
    Name: `${job}.web[${Math.floor(random() * 12)}]`,
    JobID: job,
    TaskGroup: 'web',
    Namespace: 'default',
    NodeName: `node-${Math.floor(random() * 5)}`,
    ClientStatus: STATUSES[Math.floor(random() * STATUSES.length)],
    DesiredStatus: random() < 0.8 ? 'run' : 'stop',
    ModifyIndex: modifyIndex,
    ModifyTime: Math.floor(random() * 20) * 1e9,
    CreateTime: Math.floor(random() * 20) * 1e9,
    JobType: 'service',
  } as Allocation;
}

function expected(list: readonly AllocListStub[], text: string, sort: SortOrder, job: string): string[] {
  const ofJob = job ? list.filter((a) => inJob(a, job)) : list;
  return sortAllocations(filterAllocations(ofJob, text), sort).map((a) => a.ID ?? '');
}

describe('visibleRows', () => {
  for (const column of SORT_COLUMNS) {
    for (const [text, job] of [['', ''], ['running', ''], ['', 'default/job2/web'], ['node-1 web', '']] as const) {
      it(`follows 300 changes sorted by ${column}${text ? `, filtered by "${text}"` : ''}${job ? `, in ${job}` : ''}`, () => {
        const random = prng(column.length * 31 + text.length * 7 + job.length);
        const rows = new ListRows();
        let index = 1;
        let next = 0;
        rows.load(Array.from({ length: 200 }, () => alloc(random, next++, index++) as AllocListStub));
        const sort: SortOrder = { column, descending: random() < 0.5 };
        visibleRows(rows.rows, text, sort, job);
        const mutate = (): void => {
          const batch = 1 + Math.floor(random() * 5);
          for (let b = 0; b < batch; b++) {
            const roll = random();
            const present = rows.rows;
            if (roll < 0.5 && present.length) {
              // An event for a row it holds: a newer version of it.
              const target = present[Math.floor(random() * present.length)] as AllocListStub;
              rows.applyEvent({ ...alloc(random, 0, index++), ID: target.ID } as Allocation);
            } else if (roll < 0.8) rows.applyEvent(alloc(random, next++, index++));
            else if (present.length) {
              // A reconcile that finds some terminal rows collected.
              const terminal = present.filter((r) => r.ClientStatus !== 'running' && r.ClientStatus !== 'pending' && r.DesiredStatus === 'stop');
              rows.reconcile(terminal.filter(() => random() < 0.7), index);
            }
          }
          // Now and then a page of a read coming in: many new rows at once.
          if (random() < 0.06) rows.merge(Array.from({ length: 50 + Math.floor(random() * 100) }, () => alloc(random, next++, index++) as AllocListStub));
          rows.commit();
        };
        const before = { ...visibleRowsStats };
        for (let step = 0; step < 300; step++) {
          // Now and then the screen skips versions (draws only the newest).
          const versions = random() < 0.2 ? 2 + Math.floor(random() * 6) : 1;
          for (let v = 0; v < versions; v++) mutate();
          const shown = visibleRows(rows.rows, text, sort, job);
          assert.deepEqual(shown.ids, expected(rows.rows, text, sort, job), `step ${step}`);
          assert.deepEqual(shown.rows.map((r) => r.ID), shown.ids);
          assert.ok(shown.names.plain >= longestName(shown.rows) && shown.names.withNamespace >= longestName(shown.rows, true), `names cover the rows shown at step ${step}`);
        }
        assert.ok(visibleRowsStats.followed - before.followed > 250, `every new version followed by its changes: ${JSON.stringify(visibleRowsStats)} from ${JSON.stringify(before)}`);
        assert.equal(visibleRowsStats.full - before.full, 0, 'none sorted whole');
        assert.ok(visibleRowsStats.walked - before.walked > 5, `pages merged in one walk: ${visibleRowsStats.walked - before.walked}`);
        // A fresh read of the list: nothing to follow, sorted whole.
        rows.load(rows.rows.slice(0, 50));
        assert.deepEqual(visibleRows(rows.rows, text, sort, job).ids, expected(rows.rows, text, sort, job));
        assert.equal(visibleRowsStats.full - before.full, 1);
      });
    }
  }

  it('the longest name grows with the rows that come in, counted from them alone', () => {
    const random = prng(3);
    const rows = new ListRows();
    rows.load([alloc(random, 1, 1), alloc(random, 2, 2)] as AllocListStub[]);
    const sort: SortOrder = { column: 'changed', descending: false };
    const first = visibleRows(rows.rows, '', sort).names;
    assert.deepEqual(first, { plain: longestName(rows.rows), withNamespace: longestName(rows.rows, true) });
    rows.applyEvent({ ...alloc(random, 3, 3), Name: 'a-much-longer-job-name.web[0]', Namespace: 'platform-team' } as Allocation);
    rows.commit();
    const shown = visibleRows(rows.rows, '', sort);
    assert.equal(visibleRowsStats.full > 0 && shown.rows.length, 3);
    assert.deepEqual(shown.names, { plain: 'a-much-longer-job-name.web[0]'.length, withNamespace: 'platform-team/a-much-longer-job-name.web[0]'.length });
  });

  it('a row removed and put back in one batch moves the rows: the rows new before it are still shown (seed 1 of the test above found it)', () => {
    const random = prng(7);
    const rows = new ListRows();
    const done = (id: number, modifyIndex: number): AllocListStub => ({ ...alloc(random, id, modifyIndex), ClientStatus: 'complete', DesiredStatus: 'stop' }) as AllocListStub;
    rows.load([done(1, 1), done(2, 2), done(3, 3)]);
    const sort: SortOrder = { column: 'name', descending: false };
    visibleRows(rows.rows, '', sort);
    // A new row; the screen skips this version.
    rows.applyEvent(alloc(random, 4, 4));
    rows.commit();
    // A reconcile finds row 2 collected, then a page of a read still holding it brings it back
    // (at the end: the rows after its old place moved down one).
    assert.equal(rows.reconcile([done(1, 1), done(3, 3)], 5), 1);
    rows.merge([done(2, 6)]);
    rows.commit();
    assert.deepEqual(visibleRows(rows.rows, '', sort).ids, expected(rows.rows, '', sort, ''));
    assert.equal(visibleRows(rows.rows, '', sort).ids.length, 4);
  });

  it(`a new sort of more than ${SYNC_ROWS.toLocaleString('en-US')} rows is worked out between turns of the event loop, the last rows shown meanwhile`, async () => {
    const random = prng(99);
    const rows = new ListRows();
    let index = 1;
    let next = 0;
    rows.load(Array.from({ length: SYNC_ROWS + 10_000 }, () => alloc(random, next++, index++) as AllocListStub));
    const byName: SortOrder = { column: 'name', descending: false };
    const byNode: SortOrder = { column: 'node', descending: true };
    const first = visibleRows(rows.rows, '', byName);
    assert.equal(sortPending(), false);
    const ready = new Promise<void>((resolve) => {
      const off = onVisibleRowsReady(() => {
        off();
        resolve();
      });
    });
    // The sort key: the answer stays the last one, kept up with the list, until the new order is ready.
    assert.equal(visibleRows(rows.rows, '', byNode), first);
    assert.equal(sortPending(), true);
    let turns = 0;
    const ticking = setInterval(() => (turns += 1), 0);
    const added = alloc(random, next++, index++);
    rows.applyEvent(added);
    rows.commit();
    const meanwhile = visibleRows(rows.rows, '', byNode);
    assert.deepEqual(meanwhile.ids, expected(rows.rows, '', byName, ''), 'the last sort, with the new row in place');
    await ready;
    clearInterval(ticking);
    assert.ok(turns >= 3, `timers ran while it sorted: ${turns}`);
    assert.equal(sortPending(), false);
    assert.deepEqual(visibleRows(rows.rows, '', byNode).ids, expected(rows.rows, '', byNode, ''));
  });
});
