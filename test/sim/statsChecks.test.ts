// The simulator's stats and checks as a Nomad client answers them, its usage model (a spike
// after a start, leaks that end in an OOM kill) and its deployment health.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SimServer } from '../../src/sim/http/server.js';
import type { SimAlloc } from '../../src/sim/model.js';
import { outOfMemory, taskUsage, traits } from '../../src/sim/usage.js';
import { raw, startSim } from '../helpers/sim.js';

interface Usage {
  MemoryStats: Record<string, unknown> & { Measured: string[] | null; RSS: number; Usage: number };
  CpuStats: Record<string, unknown> & { Measured: string[] | null; TotalTicks: number; Percent: number };
  DeviceStats: unknown;
}
interface Stats {
  ResourceUsage: Usage;
  Tasks: Record<string, { ResourceUsage: Usage; Timestamp: number; Pids: unknown }>;
  Timestamp: number;
}

function runningService(sim: SimServer, driver = 'docker'): SimAlloc {
  const found = sim.sim.cluster.ordered.find((s) => s.alloc.ClientStatus === 'running' && s.job.type === 'service' && s.group.tasks.length > 1 && s.group.tasks.some((t) => t.driver === driver));
  assert.ok(found, `a running service allocation with a ${driver} task`);
  return found;
}

describe('sim: allocation stats', () => {
  it('every started task, totals of the running ones, Go field order, no X-Nomad headers', async () => {
    const sim = await startSim({ allocs: 60 });
    const target = runningService(sim);
    const [dead, ...alive] = target.group.tasks.map((t) => t.name);
    const deadState = target.alloc.TaskStates[dead ?? ''];
    assert.ok(deadState);
    Object.assign(deadState, { State: 'dead', FinishedAt: new Date(Date.now() - 5000).toISOString() });
    const answer = await raw(sim, `/v1/client/allocation/${target.alloc.ID}/stats`);
    assert.equal(answer.headers.get('x-nomad-index'), null);
    const stats = JSON.parse(answer.body) as Stats;
    assert.deepEqual(Object.keys(stats), ['ResourceUsage', 'Tasks', 'Timestamp']);
    assert.deepEqual(Object.keys(stats.ResourceUsage.MemoryStats), ['RSS', 'Cache', 'Swap', 'MappedFile', 'Usage', 'MaxUsage', 'KernelUsage', 'KernelMaxUsage', 'Measured']);
    assert.deepEqual(Object.keys(stats.ResourceUsage.CpuStats), ['SystemMode', 'UserMode', 'TotalTicks', 'ThrottledPeriods', 'ThrottledTime', 'Percent', 'Measured']);
    assert.deepEqual(Object.keys(stats.Tasks).sort(), [dead, ...alive].sort(), 'the dead task keeps its last sample');
    const sum = (field: 'TotalTicks'): number => alive.reduce((total, name) => total + (stats.Tasks[name]?.ResourceUsage.CpuStats[field] ?? 0), 0);
    assert.ok(Math.abs(stats.ResourceUsage.CpuStats.TotalTicks - sum('TotalTicks')) < 1e-6, 'totals: running tasks only');
    assert.ok((stats.Tasks[dead ?? '']?.Timestamp ?? 0) < stats.Timestamp);
    assert.deepEqual(stats.ResourceUsage.DeviceStats, []);
    const task = target.group.tasks.find((t) => t.name === alive[0]);
    const measured = stats.Tasks[alive[0] ?? '']?.ResourceUsage;
    if (task?.driver === 'docker') {
      assert.deepEqual(measured?.MemoryStats.Measured, ['RSS', 'Cache', 'Swap', 'Usage']);
      assert.deepEqual(measured?.CpuStats.Measured, ['Throttled Periods', 'Throttled Time', 'Percent']);
      assert.equal(stats.Tasks[alive[0] ?? '']?.Pids, null);
    }
    // Percent is of one 2,400 MHz core.
    const one = stats.Tasks[alive[0] ?? '']?.ResourceUsage.CpuStats;
    assert.ok(one && Math.abs(one.Percent - (one.TotalTicks / 2400) * 100) < 1e-6);
  });

  it('a task that never started has no sample; a task filter matching none answers Tasks {} and Timestamp 0', async () => {
    const sim = await startSim({ allocs: 60 });
    const target = runningService(sim);
    const first = target.group.tasks[0]?.name ?? '';
    const state = target.alloc.TaskStates[first];
    assert.ok(state);
    Object.assign(state, { State: 'pending', StartedAt: null });
    const stats = JSON.parse((await raw(sim, `/v1/client/allocation/${target.alloc.ID}/stats`)).body) as Stats;
    assert.ok(!(first in stats.Tasks));
    const none = JSON.parse((await raw(sim, `/v1/client/allocation/${target.alloc.ID}/stats?task=ghost`)).body) as Stats;
    assert.deepEqual(none.Tasks, {});
    assert.equal(none.Timestamp, 0);
    assert.equal(none.ResourceUsage.CpuStats.TotalTicks, 0);
    assert.equal(none.ResourceUsage.MemoryStats.Measured, null);
    assert.equal((await raw(sim, '/v1/client/allocation/00000000-0000-0000-0000-000000000000/stats')).status, 404);
  });

  it('raw_exec measures less: no Usage, no throttling, never reported as a measured 0', async () => {
    const sim = await startSim({ allocs: 60 });
    const target = runningService(sim);
    const spec = target.group.tasks[0];
    assert.ok(spec);
    spec.driver = 'raw_exec';
    const stats = JSON.parse((await raw(sim, `/v1/client/allocation/${target.alloc.ID}/stats?task=${spec.name}`)).body) as Stats;
    const usage = stats.Tasks[spec.name]?.ResourceUsage;
    assert.deepEqual(usage?.MemoryStats.Measured, ['RSS', 'Swap']);
    assert.deepEqual(usage?.CpuStats.Measured, ['System Mode', 'User Mode', 'Percent']);
    assert.equal(usage?.MemoryStats.Usage, 0);
    assert.ok(typeof stats.Tasks[spec.name]?.Pids === 'object' && stats.Tasks[spec.name]?.Pids !== null, 'executor drivers report pids');
  });
});

describe('sim: usage model', () => {
  const reserved = { cpuMhz: 500, memoryMb: 256 };
  it('a start spikes the CPU for 15 s; the same moment always gives the same figures', () => {
    const clock = { startedAtMs: 1_000_000, leakFromMs: 1_000_000 };
    const early = taskUsage('a1', 'web', clock, 1_000_500, reserved);
    const later = taskUsage('a1', 'web', clock, 1_000_500 + 60_000, reserved);
    assert.ok(early.cpuMhz > later.cpuMhz * 1.5, `${early.cpuMhz} vs ${later.cpuMhz}`);
    assert.deepEqual(taskUsage('a1', 'web', clock, 1_000_500, reserved), early);
  });

  it('a leaking task outgrows its memory in minutes; one that does not, never', () => {
    const ids = Array.from({ length: 400 }, (_, i) => `alloc-${i}`);
    const leaker = ids.find((id) => traits(id, 'web').leakPerSecond > 0) ?? '';
    const steady = ids.find((id) => traits(id, 'web').leakPerSecond === 0) ?? '';
    const clock = { startedAtMs: 0, leakFromMs: 0 };
    assert.equal(outOfMemory(leaker, 'web', clock, 10_000, reserved), false);
    assert.equal(outOfMemory(leaker, 'web', clock, 600_000, reserved), true);
    assert.equal(outOfMemory(steady, 'web', clock, 86_400_000, reserved), false);
  });

  it('the sweep OOM-kills a leaker past its memory (exit 137, OOM Killed), and reports health after min_healthy_time', async () => {
    const sim = await startSim({ allocs: 200 });
    const leaking = sim.sim.cluster.ordered.find((s) => s.alloc.ClientStatus === 'running' && s.group.tasks.some((t) => traits(s.alloc.ID ?? '', t.name).leakPerSecond > 0 && s.alloc.TaskStates[t.name]?.State === 'running'));
    assert.ok(leaking);
    const task = leaking.group.tasks.find((t) => traits(leaking.alloc.ID ?? '', t.name).leakPerSecond > 0) ?? leaking.group.tasks[0];
    sim.sim.usageSweep(Date.now() + 3_600_000);
    const events = leaking.alloc.TaskStates[task?.name ?? '']?.Events ?? [];
    assert.ok(events.some((e) => e.Type === 'Terminated' && /OOM Killed/.test(e.DisplayMessage ?? '') && e.ExitCode === 137), 'an OOM kill');
    // A fresh service allocation has no health until its tasks have run 10 s.
    const fresh = sim.sim.cluster.ordered.find((s) => s.alloc.ClientStatus === 'running' && s.job.type === 'service' && s !== leaking && Object.values(s.alloc.TaskStates).every((t) => t.State === 'running'));
    assert.ok(fresh);
    fresh.alloc.DeploymentStatus = null;
    for (const state of Object.values(fresh.alloc.TaskStates)) state.StartedAt = new Date().toISOString();
    sim.sim.usageSweep(Date.now() + 2000);
    assert.equal(fresh.alloc.DeploymentStatus, null);
    sim.sim.usageSweep(Date.now() + 11_000);
    assert.equal((fresh.alloc as { DeploymentStatus?: { Healthy?: boolean | null } | null }).DeploymentStatus?.Healthy, true);
  });

  it('a task failing before its allocation is healthy makes it unhealthy', async () => {
    const sim = await startSim({ allocs: 60 });
    const target = runningService(sim);
    target.alloc.DeploymentStatus = null;
    target.group.restartAttempts = 0;
    sim.sim.failTask(target.alloc.ID ?? '', target.group.tasks[0]?.name ?? '', 'exit');
    assert.equal((target.alloc as { DeploymentStatus?: { Healthy?: boolean | null } | null }).DeploymentStatus?.Healthy, false);
  });
});

describe('sim: Nomad checks', () => {
  it('a map by check ID in Go field order: success for a running task, failure when it is not, none for an allocation without services', async () => {
    const sim = await startSim({ allocs: 60 });
    const target = runningService(sim);
    const answer = await raw(sim, `/v1/allocation/${target.alloc.ID}/checks`);
    assert.equal(answer.headers.get('x-nomad-index'), null);
    const checks = JSON.parse(answer.body) as Record<string, Record<string, unknown>>;
    const all = Object.entries(checks);
    assert.ok(all.length > 0);
    for (const [id, check] of all) {
      assert.match(id, /^[0-9a-f]{32}$/);
      assert.equal(check.ID, id);
      assert.equal(check.Group, target.alloc.Name);
      const keys = Object.keys(check).filter((k) => k !== 'StatusCode');
      assert.deepEqual(keys, ['ID', 'Mode', 'Status', 'Output', 'Timestamp', 'Group', 'Task', 'Service', 'Check']);
      assert.ok(['healthiness', 'readiness'].includes(String(check.Mode)));
      assert.ok(sim.sim.cluster.servicesByAlloc.get(target.alloc.ID ?? '')?.some((s) => s.ServiceName === check.Service), 'names a registered service');
    }
    const task = String(all[0]?.[1].Task);
    const state = target.alloc.TaskStates[task];
    assert.ok(state);
    state.State = 'pending';
    const failing = JSON.parse((await raw(sim, `/v1/allocation/${target.alloc.ID}/checks`)).body) as Record<string, Record<string, unknown>>;
    const mine = Object.values(failing).filter((c) => c.Task === task);
    assert.ok(mine.every((c) => c.Status === 'failure' && /connect: connection refused$/.test(String(c.Output))), JSON.stringify(mine));
    const batch = sim.sim.cluster.ordered.find((s) => s.job.type === 'batch');
    assert.ok(batch);
    assert.equal((await raw(sim, `/v1/allocation/${batch.alloc.ID}/checks`)).body, 'null');
  });

  it('a task that just started has its checks pending', async () => {
    const sim = await startSim({ allocs: 60 });
    const target = runningService(sim);
    for (const state of Object.values(target.alloc.TaskStates)) state.StartedAt = new Date().toISOString();
    const checks = JSON.parse((await raw(sim, `/v1/allocation/${target.alloc.ID}/checks`)).body) as Record<string, Record<string, unknown>>;
    assert.ok(Object.values(checks).every((c) => c.Status === 'pending' && c.Output === '' && !('StatusCode' in c)));
  });
});
