// Simulator answers validate against openapi.yaml's schemas (with a real JSON Schema
// validator), carry only the fields REFERENCE.md lists, and keep Nomad's sorted key order.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { raw, startSim } from '../helpers/sim.js';
import { sample, validator } from '../helpers/openapi.js';

// REFERENCE §1 field lists.
const STUB_FIELDS = 'ID EvalID Name Namespace NodeID NodeName JobID JobType JobVersion TaskGroup AllocatedResources DesiredStatus DesiredDescription ClientStatus ClientDescription DesiredTransition TaskStates DeploymentStatus FollowupEvalID NextAllocation RescheduleTracker PreemptedAllocations PreemptedByAllocation CreateIndex ModifyIndex CreateTime ModifyTime'.split(' ');
const ALLOC_FIELDS = 'ID Namespace EvalID Name NodeID NodeName JobID Job TaskGroup Resources SharedResources TaskResources AllocatedResources Metrics DesiredStatus DesiredDescription DesiredTransition ClientStatus ClientDescription TaskStates AllocStates PreviousAllocation NextAllocation DeploymentID DeploymentStatus RescheduleTracker NetworkStatus FollowupEvalID PreemptedAllocations PreemptedByAllocation SigningKeyID CreateIndex ModifyIndex AllocModifyIndex CreateTime ModifyTime'.split(' ');
const SERVICE_FIELDS = 'ID ServiceName Namespace NodeID Datacenter JobID AllocID Tags Address Port CreateIndex ModifyIndex'.split(' ');

function assertValid(schema: string, value: unknown, where: string): void {
  const validate = validator(schema);
  const ok = validate(value);
  assert.ok(ok, `${where} is not a valid ${schema}: ${JSON.stringify(validate.errors?.slice(0, 3))}`);
}

function assertKeys(value: object, allowed: string[], where: string): void {
  const keys = Object.keys(value);
  const unknown = keys.filter((key) => !allowed.includes(key));
  assert.deepEqual(unknown, [], `${where} has fields Nomad does not send`);
  assert.deepEqual(keys, [...keys].sort(), `${where} keys are not in Nomad's sorted order`);
}

describe('simulator answers match the Nomad schemas', () => {
  it('list stubs, with and without task states and resources', async () => {
    const sim = await startSim({ allocs: 60, timeScale: 0.05 });
    // Put some history in: a stop, a restart, a failure, so every shape shows up.
    const [a, b] = sim.sim.cluster.ordered.filter((s) => s.alloc.ClientStatus === 'running' && s.job.type === 'service');
    sim.sim.stop(a?.alloc.ID ?? '', false);
    sim.sim.failTask(b?.alloc.ID ?? '', Object.keys(b?.alloc.TaskStates ?? {})[0] ?? '');
    for (const query of ['', 'task_states=false', 'resources=true']) {
      const response = await raw(sim, `/v1/allocations?namespace=*&${query}`);
      const stubs = JSON.parse(response.body) as object[];
      assert.ok(stubs.length >= 60);
      for (const [i, stub] of stubs.entries()) {
        assertValid('AllocationListStub', stub, `stub ${i} (${query})`);
        assertKeys(stub, STUB_FIELDS, `stub ${i}`);
      }
    }
  });

  it('full allocations, services and the stop response', async () => {
    const sim = await startSim({ allocs: 30 });
    for (const s of sim.sim.cluster.ordered.slice(0, 10)) {
      const alloc = JSON.parse((await raw(sim, `/v1/allocation/${s.alloc.ID}`)).body) as object;
      assertValid('Allocation', alloc, `allocation ${s.alloc.ID}`);
      assertKeys(alloc, ALLOC_FIELDS, `allocation ${s.alloc.ID}`);
      for (const state of Object.values((alloc as { TaskStates: Record<string, object> }).TaskStates)) assertValid('TaskState', state, 'task state');
      const services = JSON.parse((await raw(sim, `/v1/allocation/${s.alloc.ID}/services?namespace=${s.alloc.Namespace}`)).body) as object[];
      for (const service of services) {
        assertValid('ServiceRegistration', service, 'service');
        assertKeys(service, SERVICE_FIELDS, 'service');
      }
    }
    const withServices = [...sim.sim.cluster.servicesByAlloc.keys()];
    assert.ok(withServices.length > 0, 'some allocations have services');
    const stopped = JSON.parse((await raw(sim, `/v1/allocation/${sim.sim.cluster.ordered[0]?.alloc.ID}/stop`, { method: 'PUT' })).body) as object;
    assertValid('AllocStopResponse', stopped, 'stop response');
    assert.deepEqual(Object.keys(stopped), ['EvalID', 'Index']);
  });

  it('the rule that admits Go nulls admits the docs samples too (and rejects a wrong type)', () => {
    assertValid('AllocationListStub', (sample('get-v1-allocations.json') as object[])[0], 'docs list sample');
    assertValid('ServiceRegistration', (sample('get-v1-allocation-alloc_id-services.json') as object[])[0], 'docs services sample');
    assertValid('AllocStopResponse', sample('post-v1-allocation-alloc_id-stop.json'), 'docs stop sample');
    assertValid('Allocation', sample('get-v1-allocation-alloc_id.json'), 'docs allocation sample');
    const validate = validator('Allocation');
    assert.equal(validate({ TaskStates: { redis: { Restarts: 'two' } } }), false);
    assert.deepEqual(validate.errors?.map((e) => e.instancePath), ['/TaskStates/redis/Restarts']);
    assert.equal(validator('AllocationListStub')({ ClientStatus: 7 }), false);
    assert.equal(validator('AllocationListStub')({ ClientStatus: null }), false);
  });
});
