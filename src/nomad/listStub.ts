// The allocation list's row (AllocListStub) made from a full Allocation, as Nomad's
// Allocation.Stub() does — for rows that arrive as event payloads instead of list reads.
import type { AllocListStub, Allocation } from './types.js';

/** Task states are left out, like a list read with task_states=false. An event's allocation
 * has no Job (Nomad drops it to keep events small), so the job's type and version come from
 * the row it replaces when there is one. */
export function listStubOf(alloc: Allocation, previous?: AllocListStub): AllocListStub {
  return {
    ID: alloc.ID,
    EvalID: alloc.EvalID,
    Name: alloc.Name,
    Namespace: alloc.Namespace,
    NodeID: alloc.NodeID,
    NodeName: alloc.NodeName,
    JobID: alloc.JobID,
    JobType: alloc.Job?.Type ?? previous?.JobType ?? null,
    JobVersion: alloc.Job?.Version ?? previous?.JobVersion ?? null,
    TaskGroup: alloc.TaskGroup,
    DesiredStatus: alloc.DesiredStatus,
    DesiredDescription: alloc.DesiredDescription,
    DesiredTransition: alloc.DesiredTransition,
    ClientStatus: alloc.ClientStatus,
    ClientDescription: alloc.ClientDescription,
    TaskStates: null,
    DeploymentStatus: alloc.DeploymentStatus,
    FollowupEvalID: alloc.FollowupEvalID,
    NextAllocation: alloc.NextAllocation,
    RescheduleTracker: alloc.RescheduleTracker,
    PreemptedAllocations: alloc.PreemptedAllocations,
    PreemptedByAllocation: alloc.PreemptedByAllocation,
    CreateIndex: alloc.CreateIndex,
    ModifyIndex: alloc.ModifyIndex,
    CreateTime: alloc.CreateTime,
    ModifyTime: alloc.ModifyTime,
  };
}
