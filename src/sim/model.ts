// The simulator's cluster records: jobs, nodes, allocations and evaluations as the state store
// holds them. Wire-shaped where Nomad's state is (Allocation), plus the links the simulation needs.
import type { Allocation, Job, Namespace, TaskState } from '../nomad/types.js';

export type SimDriver = 'docker' | 'exec' | 'raw_exec' | 'java';

export interface SimTask {
  name: string;
  image: string;
  driver: SimDriver;
  /** How long the task takes to exit once told to (SIGINT), in ms: most exit at once, some
   * drain until their kill_timeout. */
  exitMs: number;
  /** The task's kill_timeout in ms (Nomad's default is 5 s). */
  killTimeoutMs: number;
  /** Its resources block: cpu (MHz), memory (MB), memory_max (MB, 0 without oversubscription). */
  resources: { cpuMhz: number; memoryMb: number; memoryMaxMb: number };
  service?: { name: string; portLabel: string; tags: string[] };
}

export interface SimGroup {
  name: string;
  count: number;
  tasks: SimTask[];
  /** Restart policy: attempts before the task fails the allocation. */
  restartAttempts: number;
}

export interface SimJob {
  id: string;
  namespace: string;
  type: 'service' | 'batch';
  groups: SimGroup[];
  /** The Job object embedded in every full Allocation of this job (shared, never mutated). */
  wire: Job;
}

export interface SimNode {
  id: string;
  name: string;
  datacenter: string;
  address: string;
}

export interface SimAlloc {
  alloc: Allocation & { TaskStates: Record<string, TaskState> };
  job: SimJob;
  group: SimGroup;
  node: SimNode;
  /** Its tasks that leak memory (usage.ts), worked out once. */
  leaks?: string[];
  /** Cached list-stub JSON, cleared on every write to this allocation. */
  stubJson?: { withTasks?: string; withoutTasks?: string };
}

export interface SimEval {
  ID: string;
  Namespace: string;
  JobID: string;
  Type: string;
  TriggeredBy: string;
  Status: string;
  Priority: number;
  CreateIndex: number;
  ModifyIndex: number;
  CreateTime: number;
  ModifyTime: number;
}

export interface SimNamespace extends Namespace {
  Name: string;
}

export const TERMINAL_CLIENT_STATUSES: ReadonlySet<string> = new Set(['complete', 'failed', 'lost']);

export function isTerminal(alloc: Allocation): boolean {
  return TERMINAL_CLIENT_STATUSES.has(alloc.ClientStatus ?? '');
}

/** Nanoseconds since the epoch, as Nomad encodes CreateTime/ModifyTime/event Time. */
export function nowNs(): number {
  return Date.now() * 1_000_000;
}

/** RFC3339 with sub-second precision, as Go's time.Time marshals. */
export function rfc3339(ms: number = Date.now()): string {
  return new Date(ms).toISOString();
}
