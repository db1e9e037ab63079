// Encodes simulator records the way Nomad's JSON encoder does: struct keys in alphabetical
// order, a list stub with every field, a full Allocation without zero-valued top-level fields
// (Allocation carries `codec:",omitempty"`), and AllocatedResources only when asked for.
import type { AllocListStub, Allocation } from '../nomad/types.js';
import type { SimAlloc } from './model.js';

export interface StubOptions {
  taskStates: boolean;
  resources: boolean;
}

function allocatedResources(sim: SimAlloc): unknown {
  const tasks: Record<string, unknown> = {};
  for (const task of sim.group.tasks) {
    tasks[task.name] = { Cpu: { CpuShares: task.resources.cpuMhz, ReservedCores: null }, Devices: null, Memory: { MemoryMB: task.resources.memoryMb, MemoryMaxMB: task.resources.memoryMaxMb }, Networks: null };
  }
  return { Shared: { DiskMB: 300, Networks: null, Ports: null }, TaskLifecycles: null, Tasks: tasks };
}

export function stub(sim: SimAlloc, options: StubOptions): AllocListStub {
  const a = sim.alloc;
  const out: AllocListStub = {
    ...(options.resources ? { AllocatedResources: allocatedResources(sim) } : {}),
    ClientDescription: a.ClientDescription ?? '',
    ClientStatus: a.ClientStatus ?? '',
    CreateIndex: a.CreateIndex ?? 0,
    CreateTime: a.CreateTime ?? 0,
    DeploymentStatus: a.DeploymentStatus ?? null,
    DesiredDescription: a.DesiredDescription ?? '',
    DesiredStatus: a.DesiredStatus ?? '',
    DesiredTransition: a.DesiredTransition ?? {},
    EvalID: a.EvalID ?? '',
    FollowupEvalID: a.FollowupEvalID ?? '',
    ID: a.ID,
    JobID: a.JobID ?? '',
    JobType: sim.job.type,
    JobVersion: sim.job.wire.Version ?? 0,
    ModifyIndex: a.ModifyIndex ?? 0,
    ModifyTime: a.ModifyTime ?? 0,
    Name: a.Name ?? '',
    Namespace: a.Namespace ?? '',
    NextAllocation: a.NextAllocation ?? '',
    NodeID: a.NodeID ?? '',
    NodeName: a.NodeName ?? '',
    PreemptedAllocations: a.PreemptedAllocations ?? null,
    PreemptedByAllocation: a.PreemptedByAllocation ?? '',
    RescheduleTracker: a.RescheduleTracker ?? null,
    TaskGroup: a.TaskGroup ?? '',
    TaskStates: options.taskStates ? a.TaskStates : null,
  };
  return out;
}

/** The stub's JSON, cached on the record until its next write (lists re-encode only changes). */
export function stubJson(sim: SimAlloc, options: StubOptions): string {
  if (options.resources) return JSON.stringify(stub(sim, options));
  const cache = (sim.stubJson ??= {});
  if (options.taskStates) return (cache.withTasks ??= JSON.stringify(stub(sim, options)));
  return (cache.withoutTasks ??= JSON.stringify(stub(sim, options)));
}

function isZero(value: unknown): boolean {
  if (value === null || value === undefined || value === '' || value === 0 || value === false) return true;
  if (Array.isArray(value)) return value.length === 0;
  return false;
}

/** The full Allocation for GET /v1/allocation/:id: sorted keys, zero values omitted. With
 * withJob false, the Job is left out as in an event payload (Nomad sets alloc.Job = nil there
 * to keep events small). */
export function fullAllocation(sim: SimAlloc, withJob = true): Allocation {
  const a = sim.alloc;
  const fields: Record<string, unknown> = {
    ...a,
    Job: withJob ? a.Job : undefined,
    AllocatedResources: allocatedResources(sim),
    Metrics: { AllocationTime: 31_729, CoalescedFailures: 0, NodesAvailable: { [sim.node.datacenter]: 1 }, NodesEvaluated: 1, NodesFiltered: 0, NodesInPool: 1 },
  };
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(fields).sort()) {
    const value = fields[key];
    if (!isZero(value)) out[key] = value;
  }
  return out as Allocation;
}

/** One Allocation event as Nomad's event stream encodes it (structs.Event field order). */
export function allocationEventJson(sim: SimAlloc, type: string, index: number): string {
  const a = sim.alloc;
  const head = JSON.stringify({ Topic: 'Allocation', Type: type, Key: a.ID, Namespace: a.Namespace ?? '', FilterKeys: [a.JobID ?? '', a.DeploymentID ?? ''], Index: index });
  return `${head.slice(0, -1)},"Payload":{"Allocation":${JSON.stringify(fullAllocation(sim, false))}}}`;
}
