// The simulated cluster's state store: a raft-like index that rises on every write, table
// indexes (allocs, services, evals, namespaces), allocations kept in Nomad's list order
// (CreateIndex, then ID), and change notification for blocking queries.
import type { ServiceRegistration, TaskState } from '../nomad/types.js';
import { Prng } from './prng.js';
import { nowNs, rfc3339, type SimAlloc, type SimEval, type SimGroup, type SimJob, type SimNamespace, type SimNode } from './model.js';
import { allocationEventJson } from './encode.js';
import { EventBroker, type AllocationEventType } from './eventBroker.js';
import { makeJobs, makeNodes, NAMESPACES } from './seed.js';
import { appendEvent, events } from './taskEvents.js';

export interface ClusterOptions {
  allocs?: number;
  seed?: number;
  region?: string;
}

type Listener = () => void;

const MAX_REMOVED = 100_000;

export class Cluster {
  readonly region: string;
  readonly prng: Prng;
  readonly namespaces: SimNamespace[];
  readonly nodes: SimNode[];
  readonly jobs: SimJob[];
  readonly allocsById = new Map<string, SimAlloc>();
  /** Allocations in ascending (CreateIndex, ID) order: Nomad's list order. */
  readonly ordered: SimAlloc[] = [];
  readonly servicesByAlloc = new Map<string, ServiceRegistration[]>();
  readonly evals = new Map<string, SimEval>();
  /** When each recently collected allocation was removed (ms epoch), oldest first. */
  readonly removedAt = new Map<string, number>();

  index = 1;
  allocsIndex = 0;
  /** The last raft index that wrote an allocation of each namespace: what a namespaced
   * blocking list waits on (memdb watches the namespace's prefix of the allocs table). */
  readonly allocsIndexByNamespace = new Map<string, number>();
  servicesIndex = 0;
  /** The raft index that last changed each allocation's service registrations: what its
   * services query watches (the alloc_id index's prefix of the table, see allocRoutes.ts). */
  readonly servicesChangedAt = new Map<string, number>();
  evalsIndex = 0;
  namespacesIndex = 1;
  private readonly listeners = new Set<Listener>();
  /** The event stream's buffer; commit() publishes the allocations the write changed. */
  readonly broker = new EventBroker();
  private readonly changed = new Map<SimAlloc, AllocationEventType>();

  constructor(options: ClusterOptions = {}) {
    this.region = options.region ?? 'global';
    this.prng = new Prng(options.seed ?? 1);
    this.namespaces = NAMESPACES.map((ns) => ({ ...ns, CreateIndex: 1, ModifyIndex: 1 }));
    const count = options.allocs ?? 200;
    this.nodes = makeNodes(this.prng, count);
    this.jobs = makeJobs(this.prng, count, this.region);
  }

  /** Blocking queries register here; every write calls every listener once. */
  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }

  /** Starts a raft write: returns the new index. Call commit() when done. */
  bump(): number {
    this.index += 1;
    return this.index;
  }

  commit(): void {
    if (this.changed.size) {
      const index = this.index;
      const events = [...this.changed].map(([sim, type]) => ({
        topic: 'Allocation' as const,
        type,
        key: sim.alloc.ID ?? '',
        namespace: sim.alloc.Namespace ?? '',
        filterKeys: [sim.alloc.JobID ?? '', sim.alloc.DeploymentID ?? ''],
        index,
        json: allocationEventJson(sim, type, index),
      }));
      this.changed.clear();
      this.broker.publish({ index, events });
    }
    this.notify();
  }

  /** Forgets changes made without commit (the initial seed is not an event stream's news). */
  dropUncommitted(): void {
    this.changed.clear();
  }

  /** Notes a changed allocation for the write's event; a plan result outranks the rest. */
  private noteChange(sim: SimAlloc, type: AllocationEventType): void {
    const had = this.changed.get(sim);
    if (had === 'PlanResult' || (had === 'AllocationUpdateDesiredStatus' && type === 'AllocationUpdated')) return;
    this.changed.set(sim, type);
  }

  /** Creates a namespace (one raft write, no Allocation event). */
  addNamespace(name: string, description = ''): void {
    const index = this.bump();
    this.namespaces.push({ Name: name, Description: description, CreateIndex: index, ModifyIndex: index });
    this.namespacesIndex = index;
    this.commit();
  }

  /** Moves the raft index backwards (a snapshot restore or leader change), for fault tests. */
  regressIndex(by: number): void {
    this.index = Math.max(1, this.index - by);
    this.broker.reset();
    this.changed.clear();
    this.allocsIndex = Math.min(this.allocsIndex, this.index);
    for (const [ns, index] of this.allocsIndexByNamespace) this.allocsIndexByNamespace.set(ns, Math.min(index, this.index));
    this.servicesIndex = Math.min(this.servicesIndex, this.index);
    for (const sim of this.ordered) {
      if ((sim.alloc.ModifyIndex ?? 0) > this.index) sim.alloc.ModifyIndex = this.index;
      sim.stubJson = undefined;
    }
    this.notify();
  }

  node(i: number): SimNode {
    return this.nodes[i % this.nodes.length] as SimNode;
  }

  get(id: string): SimAlloc | undefined {
    return this.allocsById.get(id);
  }

  /** Places a new pending allocation at raft index `index` (caller commits). */
  place(job: SimJob, group: SimGroup, slot: number, node: SimNode, index: number, createNs: number, previous?: SimAlloc, evalId: string = this.prng.uuid()): SimAlloc {
    const id = this.prng.uuid();
    const taskStates: Record<string, TaskState> = {};
    for (const task of group.tasks) {
      taskStates[task.name] = { Events: [events.received(createNs)], Failed: false, FinishedAt: null, LastRestart: null, Paused: '', Restarts: 0, StartedAt: null, State: 'pending', TaskHandle: null };
    }
    const sim: SimAlloc = {
      job,
      group,
      node,
      alloc: {
        ID: id,
        EvalID: evalId,
        Name: `${job.id}.${group.name}[${slot}]`,
        Namespace: job.namespace,
        NodeID: node.id,
        NodeName: node.name,
        JobID: job.id,
        Job: job.wire,
        TaskGroup: group.name,
        DesiredStatus: 'run',
        DesiredDescription: '',
        DesiredTransition: { ForceReschedule: null, Migrate: null, Reschedule: null },
        ClientStatus: 'pending',
        ClientDescription: 'No tasks have started',
        TaskStates: taskStates,
        DeploymentStatus: null,
        FollowupEvalID: '',
        NextAllocation: '',
        PreviousAllocation: previous?.alloc.ID ?? '',
        RescheduleTracker: previous
          ? { Events: [...(previous.alloc.RescheduleTracker?.Events ?? []), { Delay: 5_000_000_000, PrevAllocID: previous.alloc.ID, PrevNodeID: previous.node.id, RescheduleTime: createNs }] }
          : null,
        PreemptedAllocations: null,
        PreemptedByAllocation: '',
        CreateIndex: index,
        ModifyIndex: index,
        AllocModifyIndex: index,
        CreateTime: createNs,
        ModifyTime: createNs,
      },
    };
    this.allocsById.set(id, sim);
    this.insertOrdered(sim);
    this.wroteAlloc(sim, index);
    this.noteChange(sim, 'PlanResult');
    if (previous) {
      previous.alloc.NextAllocation = id;
      this.touch(previous, index);
      this.noteChange(previous, 'PlanResult');
    }
    return sim;
  }

  private insertOrdered(sim: SimAlloc): void {
    const key = sim.alloc.CreateIndex ?? 0;
    const id = sim.alloc.ID ?? '';
    let lo = this.ordered.length;
    // New allocations almost always go last: walk back only over equal-or-newer ones.
    while (lo > 0) {
      const prev = this.ordered[lo - 1] as SimAlloc;
      const prevKey = prev.alloc.CreateIndex ?? 0;
      if (prevKey < key || (prevKey === key && (prev.alloc.ID ?? '') < id)) break;
      lo--;
    }
    this.ordered.splice(lo, 0, sim);
  }

  /** Records a write to an allocation at raft index `index` (caller commits), made at `atNs`
   * (the seeded cluster's history is dated in the past). */
  touch(sim: SimAlloc, index: number, serverSide = false, atNs = nowNs()): void {
    sim.alloc.ModifyIndex = index;
    sim.alloc.ModifyTime = atNs;
    if (serverSide) sim.alloc.AllocModifyIndex = index;
    sim.stubJson = undefined;
    this.wroteAlloc(sim, index);
    this.noteChange(sim, serverSide ? 'AllocationUpdateDesiredStatus' : 'AllocationUpdated');
  }

  private wroteAlloc(sim: SimAlloc, index: number): void {
    this.allocsIndex = index;
    this.allocsIndexByNamespace.set(sim.alloc.Namespace ?? '', index);
  }

  /** Removes allocations (Nomad's GC of terminal allocations). Caller commits. */
  remove(ids: ReadonlySet<string>, index: number): void {
    for (const id of ids) {
      const sim = this.allocsById.get(id);
      if (sim) this.wroteAlloc(sim, index);
      this.removedAt.set(id, Date.now());
      this.allocsById.delete(id);
      this.setServices(id, [], index);
      this.servicesChangedAt.delete(id);
    }
    // Keep the record of removals bounded (the truth check reads the recent ones).
    for (const [id] of this.removedAt) {
      if (this.removedAt.size <= MAX_REMOVED) break;
      this.removedAt.delete(id);
    }
    // In place: the list stays the same array, and no spread (200,000 arguments overflow the stack).
    let at = 0;
    for (const sim of this.ordered) if (!ids.has(sim.alloc.ID ?? '')) this.ordered[at++] = sim;
    this.ordered.length = at;
    this.allocsIndex = index;
  }

  setServices(allocId: string, registrations: ServiceRegistration[], index: number): void {
    const had = this.servicesByAlloc.get(allocId);
    if (!had?.length && !registrations.length) return;
    if (registrations.length) this.servicesByAlloc.set(allocId, registrations);
    else this.servicesByAlloc.delete(allocId);
    this.servicesIndex = index;
    this.servicesChangedAt.set(allocId, index);
  }

  /** Registers the allocation's services, as a Nomad client does once its tasks run. */
  registerServices(sim: SimAlloc, index: number): void {
    const registrations: ServiceRegistration[] = [];
    for (const task of sim.group.tasks) {
      if (!task.service) continue;
      const port = 20000 + (parseInt((sim.alloc.ID ?? '0').slice(0, 4), 16) % 12000);
      registrations.push({
        Address: sim.node.address,
        AllocID: sim.alloc.ID,
        CreateIndex: index,
        Datacenter: sim.node.datacenter,
        ID: `_nomad-task-${sim.alloc.ID}-${sim.group.name}-${task.name}-${task.service.name}-${task.service.portLabel}`,
        JobID: sim.job.id,
        ModifyIndex: index,
        Namespace: sim.job.namespace,
        NodeID: sim.node.id,
        Port: port,
        ServiceName: `${sim.job.id}-${task.service.name}`,
        Tags: [...task.service.tags],
      });
    }
    this.setServices(sim.alloc.ID ?? '', registrations, index);
  }

  createEval(job: SimJob, triggeredBy: string, index: number): SimEval {
    const now = nowNs();
    const evaluation: SimEval = {
      ID: this.prng.uuid(),
      Namespace: job.namespace,
      JobID: job.id,
      Type: job.type,
      TriggeredBy: triggeredBy,
      Status: 'pending',
      Priority: 50,
      CreateIndex: index,
      ModifyIndex: index,
      CreateTime: now,
      ModifyTime: now,
    };
    this.evals.set(evaluation.ID, evaluation);
    this.evalsIndex = index;
    return evaluation;
  }

  /** The client's deployment health report (caller commits). */
  setHealth(sim: SimAlloc, healthy: boolean, index: number): void {
    sim.alloc.DeploymentStatus = { Canary: sim.alloc.DeploymentStatus?.Canary ?? false, Healthy: healthy, ModifyIndex: index, Timestamp: rfc3339() };
    this.touch(sim, index);
  }

  /** Marks every pending task started and the allocation running (caller commits). */
  startAllocation(sim: SimAlloc, index: number, now: number = nowNs()): void {
    for (const task of sim.group.tasks) {
      const state = sim.alloc.TaskStates[task.name];
      if (!state || state.State !== 'pending') continue;
      const list = state.Events ?? (state.Events = []);
      appendEvent(list, events.setup(now));
      appendEvent(list, events.driver(now, task.image));
      appendEvent(list, events.started(now));
      state.State = 'running';
      state.StartedAt = rfc3339(now / 1_000_000);
    }
    sim.alloc.ClientStatus = 'running';
    sim.alloc.ClientDescription = 'Tasks are running';
    // Its client reported the tasks running then: ModifyTime is that moment, as in Nomad.
    this.touch(sim, index, false, now);
    if (sim.job.type === 'service') this.registerServices(sim, index);
  }

  /** Finishes every task with `exitCode` and sets the allocation's final client status. */
  finishAllocation(sim: SimAlloc, index: number, clientStatus: 'complete' | 'failed', description: string): void {
    const now = nowNs();
    for (const state of Object.values(sim.alloc.TaskStates)) {
      if (state.State === 'dead') continue;
      state.State = 'dead';
      state.FinishedAt = rfc3339();
      if (clientStatus === 'complete') appendEvent(state.Events ?? (state.Events = []), events.terminated(now, 0));
    }
    sim.alloc.ClientStatus = clientStatus;
    sim.alloc.ClientDescription = description;
    this.touch(sim, index);
    this.setServices(sim.alloc.ID ?? '', [], index);
  }
}
