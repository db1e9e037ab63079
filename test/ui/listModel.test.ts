// Sorting, filtering and column widths of the allocation list.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AllocListStub } from '../../src/nomad/types.js';
import { cells, columnsFor, filterAllocations, longestName, sortAllocations } from '../../src/ui/listModel.js';

const a = (ID: string, Name: string, ClientStatus: string, CreateTime: number, extra: Partial<AllocListStub> = {}): AllocListStub => ({ ID, Name, ClientStatus, CreateTime, JobID: Name.split('.')[0], TaskGroup: 'g', NodeName: 'n1', DesiredStatus: 'run', Namespace: 'default', ...extra });
const rows = [a('c3', 'web.api[10]', 'running', 3), a('a1', 'web.api[2]', 'failed', 1), a('b2', 'db.pg[0]', 'pending', 2)];

describe('sortAllocations', () => {
  it('sorts names naturally, and flips', () => {
    assert.deepEqual(sortAllocations(rows, { column: 'name', descending: false }).map((r) => r.Name), ['db.pg[0]', 'web.api[2]', 'web.api[10]']);
    assert.deepEqual(sortAllocations(rows, { column: 'name', descending: true }).map((r) => r.Name), ['web.api[10]', 'web.api[2]', 'db.pg[0]']);
  });
  it('sorts by age newest first, and by status', () => {
    assert.deepEqual(sortAllocations(rows, { column: 'age', descending: false }).map((r) => r.ID), ['c3', 'b2', 'a1']);
    assert.deepEqual(sortAllocations(rows, { column: 'status', descending: false }).map((r) => r.ClientStatus), ['failed', 'pending', 'running']);
  });
  it('survives missing fields', () => {
    assert.equal(sortAllocations([{ ID: 'x' }, { ID: 'y', Name: 'a' }], { column: 'name', descending: false }).length, 2);
  });
});

describe('filterAllocations', () => {
  it('matches every word, case-insensitively, over the visible columns', () => {
    assert.deepEqual(filterAllocations(rows, 'WEB failed').map((r) => r.ID), ['a1']);
    assert.deepEqual(filterAllocations(rows, 'b2').map((r) => r.ID), ['b2']);
    assert.equal(filterAllocations(rows, '  ').length, 3);
    assert.equal(filterAllocations(rows, 'nothing-like-this').length, 0);
  });
});

describe('cells and columns', () => {
  it('shows ns/name when listing every namespace, desired after the status when it is not run, and dashes for missing fields', () => {
    assert.equal(cells(rows[0] as AllocListStub, 0, true).name, 'default/web.api[10]');
    assert.equal(cells({ ...rows[0], DesiredStatus: 'stop' } as AllocListStub, 0).status, 'running→stop');
    assert.equal(cells(rows[0] as AllocListStub, 0).status, 'running');
    const empty = cells({}, 0);
    assert.deepEqual([empty.id, empty.name, empty.status, empty.age, empty.changed], ['–', '–', '–', '–', '–']);
  });
  it('sorts by most recently changed first (ModifyTime, else CreateTime)', () => {
    const changed = [a('x', 'x', 'running', 1, { ModifyTime: 50 }), a('y', 'y', 'failed', 2, { ModifyTime: 90 }), a('z', 'z', 'pending', 70)];
    assert.deepEqual(sortAllocations(changed, { column: 'changed', descending: false }).map((r) => r.ID), ['y', 'z', 'x']);
  });
  it('fills the width, keeps ID and NAME, and gives NAME its full length before the optional columns', () => {
    for (const width of [40, 58, 78, 118, 200]) {
      const columns = columnsFor(width, 20);
      const used = columns.reduce((sum, c) => sum + c.width, 0) + columns.length - 1;
      assert.ok(used <= width || width < 40, `width ${width}: used ${used}`);
      assert.deepEqual(columns.slice(0, 2).map((c) => c.key), ['id', 'name']);
    }
    // The 120x40 list with 24-character names (layoutFor: 73 columns wide, 71 inside): ID, NAME, STATUS, CHANGED, NODE, and the name in full.
    const at120 = columnsFor(71, 24);
    assert.deepEqual(at120.map((c) => c.key), ['id', 'name', 'status', 'health', 'changed', 'node']);
    assert.ok((at120.find((c) => c.key === 'name')?.width ?? 0) >= 24);
    assert.ok(!columnsFor(40, 20).some((c) => c.key === 'node'));
    assert.deepEqual(columnsFor(200, 20).map((c) => c.key), ['id', 'name', 'status', 'health', 'changed', 'node', 'job', 'group', 'age']);
    assert.ok(longestName(rows) === 'web.api[10]'.length && longestName(rows, true) === 'default/web.api[10]'.length);
  });
});

describe('health column', () => {
  it('marks deployment health from the stub alone, a pending reschedule first, and sorts what needs a look first', async () => {
    const { healthMark } = await import('../../src/ui/listModel.js');
    const rows = [
      { ID: 'a', DeploymentStatus: { Healthy: true } },
      { ID: 'b', DeploymentStatus: { Healthy: false } },
      { ID: 'c', DeploymentStatus: { Canary: true, Healthy: null } },
      { ID: 'd', DeploymentStatus: null },
      { ID: 'e', FollowupEvalID: 'f0110e', DeploymentStatus: { Healthy: false } },
      { ID: 'f', FollowupEvalID: 'f0110e', NextAllocation: 'g', DeploymentStatus: { Healthy: false } },
    ];
    assert.deepEqual(rows.map(healthMark), ['✓', '✖', '…', ' ', '↻', '✖']);
    assert.deepEqual(sortAllocations(rows, { column: 'health', descending: false }).map((r) => r.ID), ['b', 'f', 'e', 'c', 'a', 'd']);
  });
});
