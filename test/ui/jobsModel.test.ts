// The jobs view's rows: the list grouped by namespace/job/group and counted by client status,
// with how many allocations Nomad wants running.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inJob, jobRows } from '../../src/ui/jobsModel.js';

const a = (ID: string, Namespace: string, JobID: string, TaskGroup: string, ClientStatus: string, DesiredStatus = 'run') => ({ ID, Namespace, JobID, TaskGroup, ClientStatus, DesiredStatus });

describe('jobs model', () => {
  it('groups by namespace/job/group and counts each status; wanted is desired run', () => {
    const list = [a('1', 'default', 'web', 'api', 'running'), a('2', 'default', 'web', 'api', 'failed', 'stop'), a('3', 'default', 'web', 'api', 'pending'), a('4', 'prod', 'web', 'api', 'lost'), a('5', 'default', 'db', 'pg', 'complete', 'stop'), a('6', 'default', 'db', 'pg', 'exploded')];
    const rows = jobRows(list);
    assert.deepEqual(rows.map((r) => r.key), ['default/db/pg', 'default/web/api', 'prod/web/api']);
    assert.deepEqual(rows[1] && { ...rows[1] }, { key: 'default/web/api', namespace: 'default', job: 'web', group: 'api', running: 1, pending: 1, failed: 1, complete: 0, lost: 0, other: 0, wanted: 2, total: 3 });
    assert.equal(rows[0]?.other, 1);
    assert.equal(rows[2]?.lost, 1);
    assert.ok(inJob(list[0] as never, 'default/web/api') && !inJob(list[3] as never, 'default/web/api'));
    assert.equal(jobRows(list), rows, 'the same list gives the same rows, uncounted again');
  });
});
