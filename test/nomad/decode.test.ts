// The client's boundary check: what a confused or hostile agent sends is made to match the
// types the console reads before it leaves src/nomad, and every repair is counted.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ALLOC_STUB, ALLOCATION, decodeList, decodeOne, EVENT_FRAME, NAMESPACE } from '../../src/nomad/decode.js';
import type { AllocListStub, Allocation, EventFrame, Namespace } from '../../src/nomad/types.js';
import { clientFor } from '../helpers/sim.js';
import { fakeAgent } from '../helpers/fakeAgent.js';

describe('decode at the client boundary', () => {
  it('drops list items that are not objects and nulls fields of the wrong type', () => {
    const counter = { repaired: 0 };
    const rows = decodeList<AllocListStub>([null, 7, 'x', [], { ID: 'a', ClientStatus: 42, ModifyIndex: '9', Name: 'web[0]', Extra: { kept: true } }], ALLOC_STUB, counter);
    assert.equal(rows.length, 1);
    assert.deepEqual({ ...rows[0] }, { ID: 'a', ClientStatus: null, ModifyIndex: null, Name: 'web[0]', Extra: { kept: true } });
    assert.equal(counter.repaired, 6, 'four dropped items, two repaired fields');
  });

  it('repairs the nested shapes the detail reads: task states, events, times', () => {
    const counter = { repaired: 0 };
    const alloc = decodeOne<Allocation>({
      ID: 'a',
      TaskStates: { web: { State: 'running', StartedAt: 1733000000, Restarts: 'two', Events: [null, { Type: 'Started', Time: 'yesterday', DisplayMessage: 5, Details: { a: 1, b: 'ok' } }] }, broken: 'nope' },
      RescheduleTracker: { Events: 'not a list' },
      Job: 'a string',
    }, ALLOCATION, counter);
    const web = alloc?.TaskStates?.web;
    assert.equal(web?.StartedAt, null, 'a number where RFC 3339 text is due');
    assert.equal(web?.Restarts, null);
    assert.deepEqual(web?.Events?.map((e) => [e.Type, e.Time, e.DisplayMessage, e.Details]), [['Started', null, null, { a: null, b: 'ok' }]]);
    assert.equal(alloc?.TaskStates?.broken, null, 'a task state that is not an object reads as a task with no state');
    assert.equal(alloc?.RescheduleTracker?.Events, null);
    assert.equal(alloc?.Job, null);
    assert.ok(counter.repaired >= 8);
  });

  it('keeps what is well formed as it is, at no repair', () => {
    const counter = { repaired: 0 };
    const frame = decodeOne<EventFrame>({ Index: 5, Events: [{ Topic: 'Allocation', Type: 'AllocationUpdated', Key: 'a', Index: 5, Payload: { Allocation: { ID: 'a', ModifyIndex: 5, TaskStates: { t: { State: 'dead', Failed: true, Events: [] } } } } }] }, EVENT_FRAME, counter);
    assert.equal(frame?.Events?.[0]?.Payload?.Allocation?.TaskStates?.t?.Failed, true);
    assert.deepEqual(decodeList<Namespace>([{ Name: 'default', Description: 'd' }], NAMESPACE, counter), [{ Name: 'default', Description: 'd' }]);
    assert.equal(counter.repaired, 0);
  });

  it('through the client: null items of a list, of namespaces and of services never reach a caller', async () => {
    const url = await fakeAgent({
      '/v1/allocations': { body: '[null,{"ID":"a","ClientStatus":"running"},{"ID":5}]' },
      '/v1/namespaces': { body: '[null,{"Name":"default"}]' },
      '/v1/allocation/a/services': { body: '[null]' },
      '/v1/regions': { body: '[{"toString":1},"global"]' },
    });
    const client = clientFor(url);
    assert.deepEqual((await client.listAllocations()).data.map((r) => r.ID), ['a'], 'a row without an ID is dropped');
    assert.deepEqual((await client.listNamespaces()).data.map((n) => n.Name), ['default']);
    assert.deepEqual((await client.allocationServices('a', 'default')).data, []);
    assert.deepEqual((await client.listRegions()).data, ['global']);
    assert.equal(client.repairs.repaired, 6);
  });
});
