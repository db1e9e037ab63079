// Wire types of the Nomad HTTP API that alloctop reads and writes. Field names are Nomad's Go
// names. Every field is optional and may be null: older agents omit fields, a full Allocation
// omits zero values (omitempty), and nil pointers/slices/maps/zero times encode as null.

export type ClientStatus = 'pending' | 'running' | 'complete' | 'failed' | 'lost' | 'unknown';
export type DesiredStatus = 'run' | 'stop' | 'evict';

export interface TaskEvent {
  Type?: string | null;
  /** Unix nanoseconds. JSON numbers lose precision past 2^53; milliseconds stay exact enough. */
  Time?: number | null;
  Message?: string | null;
  DisplayMessage?: string | null;
  Details?: Record<string, string> | null;
  FailsTask?: boolean | null;
  RestartReason?: string | null;
  SetupError?: string | null;
  DriverError?: string | null;
  ExitCode?: number | null;
  Signal?: number | null;
  KillTimeout?: number | null;
  KillError?: string | null;
  KillReason?: string | null;
  StartDelay?: number | null;
  DownloadError?: string | null;
  ValidationError?: string | null;
  DiskLimit?: number | null;
  FailedSibling?: string | null;
  VaultError?: string | null;
  TaskSignalReason?: string | null;
  TaskSignal?: string | null;
  DriverMessage?: string | null;
  GenericSource?: string | null;
}

export interface TaskState {
  State?: string | null;
  Failed?: boolean | null;
  Restarts?: number | null;
  /** RFC3339; null (or "0001-01-01T00:00:00Z" from old agents) when zero. */
  LastRestart?: string | null;
  StartedAt?: string | null;
  FinishedAt?: string | null;
  Events?: TaskEvent[] | null;
  Paused?: string | null;
  TaskHandle?: unknown;
}

export interface DesiredTransition {
  Migrate?: boolean | null;
  Reschedule?: boolean | null;
  ForceReschedule?: boolean | null;
  NoShutdownDelay?: boolean | null;
  MigrateDisablePlacement?: boolean | null;
}

export interface RescheduleEvent {
  RescheduleTime?: number | null;
  PrevAllocID?: string | null;
  PrevNodeID?: string | null;
  /** Nanoseconds; the docs sample shows it as a string. */
  Delay?: number | string | null;
}

export interface RescheduleTracker {
  Events?: RescheduleEvent[] | null;
}

export interface AllocDeploymentStatus {
  Healthy?: boolean | null;
  Timestamp?: string | null;
  Canary?: boolean | null;
  ModifyIndex?: number | null;
}

/** Fields common to the list stub and the full allocation. */
interface AllocationCommon {
  ID?: string;
  EvalID?: string | null;
  Name?: string | null;
  Namespace?: string | null;
  NodeID?: string | null;
  NodeName?: string | null;
  JobID?: string | null;
  TaskGroup?: string | null;
  DesiredStatus?: string | null;
  DesiredDescription?: string | null;
  DesiredTransition?: DesiredTransition | null;
  ClientStatus?: string | null;
  ClientDescription?: string | null;
  TaskStates?: Record<string, TaskState> | null;
  DeploymentStatus?: AllocDeploymentStatus | null;
  FollowupEvalID?: string | null;
  NextAllocation?: string | null;
  RescheduleTracker?: RescheduleTracker | null;
  PreemptedAllocations?: string[] | null;
  PreemptedByAllocation?: string | null;
  CreateIndex?: number | null;
  ModifyIndex?: number | null;
  CreateTime?: number | null;
  ModifyTime?: number | null;
  AllocatedResources?: unknown;
}

export interface AllocListStub extends AllocationCommon {
  JobType?: string | null;
  JobVersion?: number | null;
}

export interface Job {
  ID?: string | null;
  Name?: string | null;
  Namespace?: string | null;
  Region?: string | null;
  Type?: string | null;
  Version?: number | null;
  Datacenters?: string[] | null;
  TaskGroups?: unknown[] | null;
  [field: string]: unknown;
}

export interface Allocation extends AllocationCommon {
  Job?: Job | null;
  PreviousAllocation?: string | null;
  DeploymentID?: string | null;
  AllocModifyIndex?: number | null;
  Resources?: unknown;
  SharedResources?: unknown;
  TaskResources?: unknown;
  Metrics?: unknown;
  AllocStates?: unknown[] | null;
  NetworkStatus?: unknown;
  SigningKeyID?: string | null;
}

export interface ServiceRegistration {
  ID?: string | null;
  ServiceName?: string | null;
  Namespace?: string | null;
  NodeID?: string | null;
  Datacenter?: string | null;
  JobID?: string | null;
  AllocID?: string | null;
  Tags?: string[] | null;
  Address?: string | null;
  Port?: number | null;
  CreateIndex?: number | null;
  ModifyIndex?: number | null;
}

export interface AllocStopResponse {
  EvalID?: string | null;
  Index?: number | null;
}

/** What signal and restart return: a GenericResponse ({"Index":0}); docs show {}. */
export interface GenericResponse {
  Index?: number | null;
}

export interface Namespace {
  Name?: string | null;
  Description?: string | null;
  CreateIndex?: number | null;
  ModifyIndex?: number | null;
  [field: string]: unknown;
}

export interface ACLToken {
  AccessorID?: string | null;
  Name?: string | null;
  Type?: string | null;
  Policies?: string[] | null;
  Global?: boolean | null;
  CreateIndex?: number | null;
  ModifyIndex?: number | null;
  /** ACL roles (Nomad 1.5+), each granting its own policies. */
  Roles?: { ID?: string | null; Name?: string | null }[] | null;
  // SecretID exists on the wire; alloctop never reads it, so it is not typed here.
}

export interface ACLPolicy {
  Name?: string | null;
  Rules?: string | null;
  /** The rules parsed, policies expanded into capabilities (nomad/acl_endpoint.go GetPolicy). */
  RulesJSON?: unknown;
}

export interface ResourceUsage {
  MemoryStats?: Record<string, unknown> | null;
  CpuStats?: Record<string, unknown> | null;
  DeviceStats?: unknown[] | null;
}

export interface AllocResourceUsage {
  ResourceUsage?: ResourceUsage | null;
  Tasks?: Record<string, { ResourceUsage?: ResourceUsage | null; Timestamp?: number | null; Pids?: unknown }> | null;
  Timestamp?: number | null;
}

/** One event of /v1/event/stream (REFERENCE §6). Only the Allocation topic is read here. */
export interface StreamEvent {
  Topic?: string | null;
  Type?: string | null;
  Key?: string | null;
  Namespace?: string | null;
  FilterKeys?: string[] | null;
  Index?: number | null;
  Payload?: { Allocation?: Allocation | null } | null;
}

/** One line of the event stream: `{}` is a heartbeat; otherwise a raft index and its events. */
export interface EventFrame {
  Index?: number | null;
  Events?: StreamEvent[] | null;
}
