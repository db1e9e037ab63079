// The endpoints other tools read (what `nomad alloc status` / `nomad alloc stop` call, and the
// agent, jobs, a job and a node), validated against the API's own schemas.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validator } from '../helpers/openapi.js';
import { eventually, raw, startSim } from '../helpers/sim.js';

function valid(schema: string, value: unknown): void {
  const validate = validator(schema);
  assert.ok(validate(value), `${schema}: ${JSON.stringify(validate.errors?.slice(0, 3))}`);
}

describe('simulator: endpoints for other tools', () => {
  it('agent self names the release played; jobs, a job and a node read as Nomad encodes them', async () => {
    const sim = await startSim({ allocs: 40, nomadVersion: '1.11.3' });
    const self = JSON.parse((await raw(sim, '/v1/agent/self')).body) as { config: { Version: { Version: string }; Region: string } };
    assert.equal(self.config.Version.Version, '1.11.3');
    assert.equal(self.config.Region, 'global');
    const jobs = JSON.parse((await raw(sim, '/v1/jobs?namespace=*')).body) as unknown[];
    assert.equal(jobs.length, sim.sim.cluster.jobs.length);
    for (const job of jobs) valid('JobListStub', job);
    const first = sim.sim.cluster.jobs[0];
    assert.ok(first);
    const job = await raw(sim, `/v1/job/${first.id}?namespace=${first.namespace}`);
    assert.equal(job.status, 200);
    valid('Job', JSON.parse(job.body));
    assert.deepEqual(await raw(sim, `/v1/job/${first.id}?namespace=elsewhere`).then((r) => [r.status, r.body]), [404, 'job not found']);
    const node = await raw(sim, `/v1/node/${sim.sim.cluster.nodes[0]?.id}`);
    valid('Node', JSON.parse(node.body));
    assert.equal((await raw(sim, '/v1/node/00000000-0000-0000-0000-000000000000')).status, 404);
  });

  it("a stop's evaluation lists the replacement it placed; an allocation's checks are a map", async () => {
    const sim = await startSim({ allocs: 40, timeScale: 0.1 });
    const target = sim.sim.cluster.ordered.find((s) => s.alloc.ClientStatus === 'running' && s.job.type === 'service');
    assert.ok(target);
    const { EvalID } = sim.sim.stop(target.alloc.ID ?? '', false);
    await eventually(() => target.alloc.NextAllocation, 3000, 'the replacement');
    const allocs = JSON.parse((await raw(sim, `/v1/evaluation/${EvalID}/allocations`)).body) as { ID: string }[];
    assert.deepEqual(allocs.map((a) => a.ID), [target.alloc.NextAllocation]);
    for (const alloc of allocs) valid('AllocationListStub', alloc);
    const checks = JSON.parse((await raw(sim, `/v1/allocation/${target.alloc.ID}/checks`)).body) as Record<string, { ID: string }> | null;
    assert.ok(checks === null || Object.entries(checks).every(([id, check]) => check.ID === id), 'a map by check ID, or null once its services are gone');
  });
});
