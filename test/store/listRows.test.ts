// The feed's row table: forward-only by ModifyIndex, copy-on-write batches, and the reconcile of
// garbage-collection candidates (only rows GC could delete, changed at or before the read, go).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GC_CANDIDATE_FILTER, mayBeCollected } from '../../src/nomad/gcCandidates.js';
import type { AllocListStub, Allocation } from '../../src/nomad/types.js';
import { evaluate } from '../../src/sim/filter/evaluate.js';
import { parseFilter } from '../../src/sim/filter/parse.js';
import { ListRows } from '../../src/store/listRows.js';

const row = (ID: string, ModifyIndex: number, ClientStatus = 'running', DesiredStatus = 'run'): AllocListStub => ({ ID, ModifyIndex, ClientStatus, DesiredStatus, Namespace: 'default', JobID: 'web', JobType: 'service' });

describe('list rows', () => {
  it('a batch is one new array; the old one is untouched', () => {
    const rows = new ListRows();
    rows.load([row('a', 5), row('b', 5)]);
    const before = rows.rows;
    rows.applyEvent({ ...row('a', 6, 'failed') } as Allocation);
    rows.applyEvent({ ...row('c', 7) } as Allocation);
    assert.equal(rows.rows, before, 'nothing published before commit');
    assert.equal(rows.commit(), true);
    assert.notEqual(rows.rows, before);
    assert.deepEqual(before.map((r) => r.ClientStatus), ['running', 'running']);
    assert.deepEqual(rows.rows.map((r) => `${r.ID}:${r.ClientStatus}`), ['a:failed', 'b:running', 'c:running']);
    assert.equal(rows.rows[2]?.JobType, 'service', 'the job type from a row of the same job');
    assert.equal(rows.commit(), false);
  });

  it('reconcile: only candidates changed at or before the read, and absent from it, go; late events do not bring them back', () => {
    const rows = new ListRows();
    rows.load([row('run', 5), row('done-old', 5, 'complete'), row('done-new', 9, 'complete'), row('stopped', 5, 'running', 'stop'), row('kept', 5, 'failed')]);
    // The read at index 8 holds only "kept" of the candidates: the others were collected,
    // except "done-new", changed after the read (it cannot be judged by it).
    const removed = rows.reconcile([row('kept', 6, 'failed'), row('new-terminal', 7, 'lost')], 8);
    rows.commit();
    assert.equal(removed, 2);
    assert.deepEqual(rows.rows.map((r) => `${r.ID}@${r.ModifyIndex}`).sort(), ['done-new@9', 'kept@6', 'new-terminal@7', 'run@5']);
    rows.applyEvent(row('done-old', 7, 'complete') as Allocation);
    rows.commit();
    assert.equal(rows.rows.some((r) => r.ID === 'done-old'), false, 'an event from before the read does not revive it');
  });

  it('the agent-side filter and the row test pick the same allocations', () => {
    const expr = parseFilter(GC_CANDIDATE_FILTER);
    for (const ClientStatus of ['pending', 'running', 'complete', 'failed', 'lost', 'unknown', 'weird']) {
      for (const DesiredStatus of ['run', 'stop', 'evict']) {
        const alloc = { ClientStatus, DesiredStatus } as Allocation;
        assert.equal(evaluate(expr, alloc), mayBeCollected(alloc), `${ClientStatus}/${DesiredStatus}`);
      }
    }
  });
});
