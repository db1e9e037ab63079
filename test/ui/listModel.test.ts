// Sorting, filtering and column widths of the allocation list.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AllocListStub } from '../../src/nomad/types.js';
import { cells, columnsFor, filterAllocations, sortAllocations } from '../../src/ui/listModel.js';

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
  it('shows ns/job when listing every namespace, and dashes for missing fields', () => {
    assert.equal(cells(rows[0] as AllocListStub, 0, true).job, 'default/web');
    const empty = cells({}, 0);
    assert.deepEqual([empty.id, empty.name, empty.status, empty.age], ['–', '–', '–', '–']);
  });
  it('fills the width exactly and drops optional columns when narrow', () => {
    for (const width of [40, 58, 78, 118, 200]) {
      const columns = columnsFor(width);
      const used = columns.reduce((sum, c) => sum + c.width, 0) + columns.length - 1;
      assert.ok(used <= width || width < 52, `width ${width}: used ${used}`);
    }
    assert.ok(!columnsFor(58).some((c) => c.key === 'node'));
    assert.ok(columnsFor(118).some((c) => c.key === 'node' && c.width >= 12));
  });
});
