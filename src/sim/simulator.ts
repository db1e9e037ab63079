// The simulator: a Cluster plus time. Seeds the initial allocations, runs the cluster's life
// (starts, task failures and restarts, reschedules, batch completions, GC) on a seeded PRNG,
// and carries out stop/restart/signal with the effects a real cluster shows.
import { Cluster, type ClusterOptions } from './cluster.js';
import { isTerminal, nowNs, rfc3339, type SimAlloc, type SimEval } from './model.js';
import { appendEvent, events } from './taskEvents.js';
import { deliverSignal, SIGNAL_NUMBERS } from './driverSignals.js';
import { pickFailure, type FailureKind } from './failures.js';
import { SimHttpError } from './simError.js';
import { serviceJob } from './seed.js';
import { LogStore, type LogLimits, type LogRate } from './logs.js';
import { outOfMemory, traits } from './usage.js';

export interface SimulatorOptions extends ClusterOptions {
  /** Cluster life: random changes every intervalMs; false for a still cluster (tests). */
  life?: false | { intervalMs?: number; changesPerTick?: number };
  /** Scales every simulated delay (0.1 makes a stop complete 10x faster). */
  timeScale?: number;
  /** Garbage collection: a pass every intervalMs (Nomad's core scheduler runs on timers, 5 min
   * by default) deletes terminal allocations older than thresholdMs (Nomad: 1 h), in raft
   * writes of at most MAX_UUIDS_PER_WRITE; false for none. A cluster grown past 1.1x its
   * initial size also loses its oldest collectable ones, so a long run stays bounded. */
  gc?: false | { intervalMs?: number; thresholdMs?: number };
  /** Task logs: rotation (Nomad's logs block) and how fast running tasks print. */
  logs?: { limits?: LogLimits; rate?: LogRate };
}

/** nomad/structs/uuid.go MaxUUIDsPerWriteRequest: one GC write deletes at most this many. */
export const MAX_UUIDS_PER_WRITE = 7281;

/** How often leaks and deployment health are looked at. */
const USAGE_SWEEP_MS = 2_000;
/** The update block's min_healthy_time: tasks running this long make the allocation healthy. */
const MIN_HEALTHY_MS = 10_000;

export type RestartRequest = { TaskName?: string; AllTasks?: boolean };

export class Simulator {
  readonly cluster: Cluster;
  /** Task logs, written once something reads them (sim/logs.ts). */
  readonly logs: LogStore;
  private readonly timers = new Set<NodeJS.Timeout>();
  private lifeTimer?: NodeJS.Timeout;
  private gcTimer?: NodeJS.Timeout;
  private readonly timeScale: number;
  private readonly initialCount: number;
  /** When the simulator started: tasks seeded as old leak memory only from here (usage.ts). */
  readonly bootMs = Date.now();
  private usageTimer?: NodeJS.Timeout;

  constructor(private readonly options: SimulatorOptions = {}) {
    this.cluster = new Cluster(options);
    this.logs = new LogStore({ running: (allocId, task) => this.cluster.get(allocId)?.alloc.TaskStates[task]?.State === 'running' }, options.logs?.limits, options.logs?.rate);
    this.timeScale = options.timeScale ?? 1;
    this.initialCount = options.allocs ?? 200;
    this.populate();
    this.cluster.dropUncommitted();
    if (options.life !== false) this.startLife();
    if (options.gc !== false && options.life !== false) this.startGc();
  }

  private startGc(): void {
    const gc = this.options.gc || {};
    this.gcTimer = setInterval(() => this.collectGarbage(gc.thresholdMs ?? 30_000), gc.intervalMs ?? 5_000);
    this.gcTimer.unref();
  }

  private later(ms: number, action: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      action();
    }, ms * this.timeScale);
    timer.unref();
    this.timers.add(timer);
  }

  /** One raft write: bump the index, apply, notify blocking queries. */
  private write<T>(apply: (index: number) => T): T {
    const index = this.cluster.bump();
    const result = apply(index);
    this.cluster.commit();
    return result;
  }

  private populate(): void {
    const { cluster } = this;
    const prng = cluster.prng;
    const now = nowNs();
    let nodeCursor = 0;
    for (const job of cluster.jobs) {
      const index = cluster.bump();
      for (const group of job.groups) {
        for (let slot = 0; slot < group.count; slot++) {
          const ageNs = prng.int(60, 3 * 86_400) * 1_000_000_000;
          const sim = cluster.place(job, group, slot, cluster.node(nodeCursor++), index, now - ageNs);
          const roll = prng.next();
          if (roll < 0.04) {
            this.later(prng.int(500, 3000), () => this.write((i) => cluster.startAllocation(sim, i)));
            continue;
          }
          cluster.startAllocation(sim, index, now - ageNs + 2_000_000_000);
          // Running for hours: healthy since its min_healthy_time passed.
          if (job.type === 'service') sim.alloc.DeploymentStatus = { Canary: false, Healthy: true, ModifyIndex: index, Timestamp: rfc3339((now - ageNs) / 1_000_000 + 12_000) };
          if (job.type === 'batch' && roll < 0.5) cluster.finishAllocation(sim, index, 'complete', 'All tasks have completed');
        }
      }
    }
  }

  startLife(): void {
    if (this.lifeTimer || this.options.life === false) return;
    const life = this.options.life ?? {};
    const perTick = life.changesPerTick ?? Math.max(1, Math.round(this.initialCount / 200));
    this.lifeTimer = setInterval(() => {
      for (let i = 0; i < perTick; i++) this.randomChange();
    }, life.intervalMs ?? 1000);
    this.lifeTimer.unref();
    this.usageTimer = setInterval(() => this.usageSweep(), USAGE_SWEEP_MS);
    this.usageTimer.unref();
  }

  /** Every few seconds: leaking tasks past their memory are OOM-killed, and running service
   * allocations whose tasks have run for min_healthy_time report healthy. */
  usageSweep(now = Date.now()): void {
    for (const sim of this.cluster.ordered) {
      if (sim.alloc.ClientStatus !== 'running' || sim.alloc.DesiredStatus !== 'run') continue;
      const allocId = sim.alloc.ID ?? '';
      sim.leaks ??= sim.group.tasks.filter((task) => traits(allocId, task.name).leakPerSecond > 0).map((task) => task.name);
      for (const name of sim.leaks) {
        const state = sim.alloc.TaskStates[name];
        const task = sim.group.tasks.find((t) => t.name === name);
        const startedAtMs = state?.StartedAt ? Date.parse(state.StartedAt) : NaN;
        if (!task || state?.State !== 'running' || !Number.isFinite(startedAtMs)) continue;
        if (outOfMemory(allocId, name, { startedAtMs, leakFromMs: Math.max(startedAtMs, this.bootMs) }, now, task.resources)) this.failTask(allocId, name, 'oom');
      }
      if (sim.job.type === 'service' && sim.alloc.DeploymentStatus?.Healthy == null && sim.alloc.ClientStatus === 'running') {
        const states = Object.values(sim.alloc.TaskStates);
        const startedMs = Math.max(...states.map((state) => (state.State === 'running' && state.StartedAt ? Date.parse(state.StartedAt) : Infinity)));
        if (now - startedMs >= MIN_HEALTHY_MS * this.timeScale) this.write((index) => this.cluster.setHealth(sim, true, index));
      }
    }
  }

  stopLife(): void {
    if (this.lifeTimer) clearInterval(this.lifeTimer);
    if (this.gcTimer) clearInterval(this.gcTimer);
    if (this.usageTimer) clearInterval(this.usageTimer);
    this.usageTimer = undefined;
    this.lifeTimer = undefined;
    this.gcTimer = undefined;
  }

  private randomChange(): void {
    const { prng, ordered } = this.cluster;
    if (ordered.length === 0) return;
    const sim = prng.pick(ordered);
    if (sim.alloc.ClientStatus !== 'running' || sim.alloc.DesiredStatus !== 'run') return;
    if (sim.job.type === 'batch') {
      this.completeBatch(sim);
      return;
    }
    const task = prng.pick(sim.group.tasks);
    this.failTask(sim.alloc.ID ?? '', task.name);
  }

  /** A batch allocation finishes; the job dispatches a fresh one in the same slot. */
  private completeBatch(sim: SimAlloc): void {
    this.write((index) => {
      this.cluster.finishAllocation(sim, index, 'complete', 'All tasks have completed');
      const next = this.cluster.place(sim.job, sim.group, slotOf(sim), this.cluster.prng.pick(this.cluster.nodes), index, nowNs());
      this.later(this.cluster.prng.int(500, 2000), () => this.write((i) => this.cluster.startAllocation(next, i)));
    });
  }

  /** Makes a running task fail (an exit, an OOM kill, an image pull, an artifact or a setup
   * failure): it restarts, or fails the allocation when its restart attempts are used up (a
   * setup failure at once), its siblings are killed, and the allocation is then rescheduled. */
  failTask(allocId: string, taskName: string, kind?: FailureKind): void {
    const sim = this.cluster.get(allocId);
    const state = sim?.alloc.TaskStates[taskName];
    const task = sim?.group.tasks.find((t) => t.name === taskName);
    if (!sim || !state || !task || state.State !== 'running') return;
    const failure = pickFailure(this.cluster.prng, task, kind);
    const list = state.Events ?? (state.Events = []);
    this.logs.failed(allocId, taskName, 1);
    this.write((index) => {
      const now = nowNs();
      for (const event of failure.events(now)) appendEvent(list, event);
      if (!failure.failsTask && (state.Restarts ?? 0) < sim.group.restartAttempts) {
        const delayNs = this.cluster.prng.int(10, 30) * 100_000_000;
        appendEvent(list, events.restarting(now, delayNs, 'Restart within policy'));
        state.Restarts = (state.Restarts ?? 0) + 1;
        state.LastRestart = rfc3339();
        state.State = 'pending';
        this.cluster.touch(sim, index);
        this.later(delayNs / 1_000_000, () => this.taskStarted(sim, taskName));
        return;
      }
      if (!failure.failsTask) appendEvent(list, events.notRestarting(now, `Exceeded allowed attempts ${sim.group.restartAttempts} in interval 30m0s and mode is "fail"`));
      // A task failing before its allocation was healthy makes it unhealthy (the client's
      // health watcher, client/allochealth).
      if (sim.job.type === 'service' && sim.alloc.DeploymentStatus?.Healthy == null) this.cluster.setHealth(sim, false, index);
      state.Failed = true;
      state.State = 'dead';
      state.FinishedAt = rfc3339();
      // client/allocrunner: a failed task kills its siblings (Sibling Task Failed, Killing, Killed).
      for (const [name, sibling] of Object.entries(sim.alloc.TaskStates)) {
        if (name === taskName || sibling.State === 'dead') continue;
        const siblingEvents = sibling.Events ?? (sibling.Events = []);
        appendEvent(siblingEvents, events.siblingFailed(now, taskName));
        appendEvent(siblingEvents, events.killing(now, this.killTimeoutNs(sim, name)));
        appendEvent(siblingEvents, events.killed(now));
      }
      this.cluster.finishAllocation(sim, index, 'failed', 'Failed tasks');
      this.later(2000, () => this.reschedule(sim));
    });
  }

  private killTimeoutNs(sim: SimAlloc, taskName: string): number {
    return (sim.group.tasks.find((t) => t.name === taskName)?.killTimeoutMs ?? 5_000) * 1_000_000;
  }

  /** How long a task takes to exit when told to: its own pace, at most its kill_timeout. */
  private exitMs(sim: SimAlloc, taskName: string): number {
    const task = sim.group.tasks.find((t) => t.name === taskName);
    return Math.min(task?.exitMs ?? 300, task?.killTimeoutMs ?? 5_000);
  }

  private taskStarted(sim: SimAlloc, taskName: string): void {
    const state = sim.alloc.TaskStates[taskName];
    if (!state || isTerminal(sim.alloc) || sim.alloc.DesiredStatus !== 'run') return;
    this.write((index) => {
      appendEvent(state.Events ?? (state.Events = []), events.started(nowNs()));
      state.State = 'running';
      state.StartedAt = rfc3339();
      this.cluster.touch(sim, index);
    });
    this.logs.started(sim.alloc.ID ?? '', taskName, sim.group.tasks.find((t) => t.name === taskName)?.image ?? '');
  }

  private reschedule(previous: SimAlloc): void {
    if (previous.alloc.NextAllocation || previous.alloc.DesiredStatus !== 'run') return;
    this.write((index) => {
      const next = this.cluster.place(previous.job, previous.group, slotOf(previous), this.cluster.prng.pick(this.cluster.nodes), index, nowNs(), previous);
      // Now and then the replacement is a deployment's canary: its health is pending until it
      // has run for min_healthy_time (the scheduler sets DeploymentStatus{Canary} at placement).
      if (this.cluster.prng.next() < 0.2) next.alloc.DeploymentStatus = { Canary: true, Healthy: null, ModifyIndex: index, Timestamp: null };
      this.later(this.cluster.prng.int(500, 2000), () => this.write((i) => this.cluster.startAllocation(next, i)));
    });
  }

  /** One GC pass: terminal allocations Nomad may collect (replaced, batch, or stopped) whose
   * last change is older than thresholdMs, deleted in writes of at most MAX_UUIDS_PER_WRITE;
   * no event is published for them (nomad/core_sched.go evalReap → EvalDeleteRequest). */
  collectGarbage(thresholdMs = 0): number {
    const { ordered } = this.cluster;
    const limit = Math.ceil(this.initialCount * 1.1) + 10;
    const cutoffNs = nowNs() - thresholdMs * 1_000_000;
    const doomed: string[] = [];
    for (const sim of ordered) {
      if (!isTerminal(sim.alloc) || !(sim.alloc.NextAllocation || sim.job.type === 'batch' || sim.alloc.DesiredStatus === 'stop')) continue;
      if ((sim.alloc.ModifyTime ?? 0) <= cutoffNs || ordered.length - doomed.length > limit) doomed.push(sim.alloc.ID ?? '');
    }
    for (let at = 0; at < doomed.length; at += MAX_UUIDS_PER_WRITE) {
      const batch = new Set(doomed.slice(at, at + MAX_UUIDS_PER_WRITE));
      this.write((index) => this.cluster.remove(batch, index));
      // The client removes their directories: log followers see "file deleted".
      for (const id of batch) this.logs.removed(id);
    }
    return doomed.length;
  }

  /** Creates a namespace, then a service job of `count` allocations in it (placed, then started). */
  createNamespace(name: string, count = 0): void {
    const { cluster } = this;
    cluster.addNamespace(name, `created at index ${cluster.index + 1}`);
    if (count === 0) return;
    const job = serviceJob(cluster.prng, `${name}-app`, name, count, cluster.region);
    cluster.jobs.push(job);
    this.write((index) => {
      for (const group of job.groups) {
        for (let slot = 0; slot < group.count; slot++) {
          const sim = cluster.place(job, group, slot, cluster.prng.pick(cluster.nodes), index, nowNs());
          this.later(cluster.prng.int(300, 1000), () => this.write((i) => cluster.startAllocation(sim, i)));
        }
      }
    });
  }

  // ---- lifecycle endpoints -------------------------------------------------------------

  /** PUT /v1/allocation/:id/stop */
  stop(allocId: string, noShutdownDelay: boolean): { EvalID: string; Index: number } {
    const sim = this.cluster.get(allocId);
    if (!sim) throw new SimHttpError(404, 'allocation not found');
    const evaluation = this.write((index) => {
      sim.alloc.DesiredTransition = { ForceReschedule: null, Migrate: true, MigrateDisablePlacement: null, NoShutdownDelay: noShutdownDelay, Reschedule: null };
      this.cluster.touch(sim, index, true);
      return this.cluster.createEval(sim.job, 'alloc-stop', index);
    });
    this.later(150, () => this.scheduleStop(sim, evaluation));
    return { EvalID: evaluation.ID, Index: evaluation.CreateIndex };
  }

  /** The scheduler processes the alloc-stop eval: desired stop, and a replacement for services. */
  private scheduleStop(sim: SimAlloc, evaluation: SimEval): void {
    this.write((index) => {
      sim.alloc.DesiredStatus = 'stop';
      sim.alloc.DesiredDescription = 'alloc is being migrated';
      this.cluster.touch(sim, index, true);
      evaluation.Status = 'complete';
      evaluation.ModifyIndex = index;
      this.cluster.evalsIndex = index;
      if (sim.job.type === 'service' && !sim.alloc.NextAllocation) {
        // The replacement is the alloc-stop evaluation's placement.
        const next = this.cluster.place(sim.job, sim.group, slotOf(sim), this.cluster.prng.pick(this.cluster.nodes), index, nowNs(), undefined, evaluation.ID);
        sim.alloc.NextAllocation = next.alloc.ID;
        this.later(800, () => this.write((i) => this.cluster.startAllocation(next, i)));
      }
    });
    if (!isTerminal(sim.alloc)) this.later(300, () => this.kill(sim));
  }

  /** The client kills the allocation's tasks: Killing, then (once each task has exited, at its
   * own pace, at most its kill_timeout) Terminated, Killed; client status complete. */
  private kill(sim: SimAlloc): void {
    if (isTerminal(sim.alloc)) return;
    const live = Object.entries(sim.alloc.TaskStates).filter(([, state]) => state.State !== 'dead').map(([name]) => name);
    this.write((index) => {
      const now = nowNs();
      for (const name of live) {
        const list = sim.alloc.TaskStates[name]?.Events ?? [];
        if (sim.alloc.DesiredTransition?.NoShutdownDelay) appendEvent(list, events.skippingShutdownDelay(now));
        appendEvent(list, events.killing(now, this.killTimeoutNs(sim, name)));
      }
      this.cluster.touch(sim, index);
    });
    const slowest = Math.max(0, ...live.map((name) => this.exitMs(sim, name)));
    this.later(slowest, () => {
      if (isTerminal(sim.alloc) || !this.cluster.get(sim.alloc.ID ?? '')) return;
      this.write((index) => {
        const now = nowNs();
        for (const name of live) {
          const state = sim.alloc.TaskStates[name];
          if (!state || state.State === 'dead') continue;
          const list = state.Events ?? (state.Events = []);
          appendEvent(list, events.terminated(now, 0));
          appendEvent(list, events.killed(now));
          state.State = 'dead';
          state.FinishedAt = rfc3339();
        }
        sim.alloc.ClientStatus = 'complete';
        sim.alloc.ClientDescription = 'All tasks have completed';
        this.cluster.touch(sim, index);
        this.cluster.setServices(sim.alloc.ID ?? '', [], index);
      });
    });
  }

  /** /v1/client/allocation/:id/restart. Resolves once the tasks were killed and have exited,
   * as the agent answers (client/allocrunner/taskrunner/lifecycle.go Restart waits for the
   * kill: up to the task's kill_timeout); the tasks then start again on their own. */
  async restart(allocId: string, request: RestartRequest): Promise<void> {
    const sim = this.cluster.get(allocId);
    if (!sim) throw new SimHttpError(404, `Unknown allocation "${allocId}"`);
    if (request.TaskName && request.AllTasks) throw new SimHttpError(500, 'task name cannot be set when restarting all tasks');
    if (isTerminal(sim.alloc) || sim.alloc.DesiredStatus !== 'run') throw new SimHttpError(500, 'restart of an alloc that should not run');
    let names: string[];
    if (request.TaskName) {
      const state = sim.alloc.TaskStates[request.TaskName];
      if (!state) throw new SimHttpError(500, `Could not find task runner for task: ${request.TaskName}`);
      if (state.State !== 'running') throw new SimHttpError(500, 'Task not running');
      names = [request.TaskName];
    } else {
      names = Object.entries(sim.alloc.TaskStates)
        .filter(([, state]) => request.AllTasks || state.State === 'running')
        .map(([name]) => name);
    }
    if (names.length === 0) return;
    this.write((index) => {
      for (const name of names) appendEvent(sim.alloc.TaskStates[name]?.Events ?? [], events.restartSignaled(nowNs()));
      this.cluster.touch(sim, index);
    });
    const slowest = Math.max(0, ...names.map((name) => (sim.alloc.TaskStates[name]?.State === 'running' ? this.exitMs(sim, name) : 0)));
    await new Promise<void>((resolve) => this.later(slowest, resolve));
    if (!this.cluster.get(allocId) || isTerminal(sim.alloc)) return;
    this.write((index) => {
      const now = nowNs();
      for (const name of names) {
        const state = sim.alloc.TaskStates[name];
        if (!state) continue;
        const list = state.Events ?? (state.Events = []);
        if (state.State === 'running') appendEvent(list, events.terminated(now, 0, 15));
        appendEvent(list, events.restarting(now, 0, 'User requested restart'));
        state.Restarts = (state.Restarts ?? 0) + 1;
        state.LastRestart = rfc3339();
        state.State = 'pending';
      }
      this.cluster.touch(sim, index);
      for (const name of names) this.later(400, () => this.taskStarted(sim, name));
    });
  }

  /** /v1/client/allocation/:id/signal. The Signaling event is recorded before the driver
   * gets the signal (taskrunner/lifecycle.go Signal), so it names what was asked for even when
   * an exec, raw_exec or java task gets SIGINT instead (driverSignals.ts); a signal the task does
   * not handle ends it, and it restarts by its policy. */
  signal(allocId: string, signal: string, task: string): void {
    const sim = this.cluster.get(allocId);
    if (!sim) throw new SimHttpError(404, `Unknown allocation "${allocId}"`);
    const entries = task ? [[task, sim.alloc.TaskStates[task]] as const] : Object.entries(sim.alloc.TaskStates);
    const errors: string[] = [];
    const signalled: string[] = [];
    const ended: Array<{ name: string; sent: string }> = [];
    for (const [name, state] of entries) {
      if (!state) errors.push('Task not found');
      else if (state.State !== 'running') errors.push('Task not running');
      else {
        signalled.push(name);
        const delivery = deliverSignal(sim.group.tasks.find((t) => t.name === name)?.driver ?? 'docker', signal);
        if ('error' in delivery) errors.push(delivery.error);
        else if (delivery.ends) ended.push({ name, sent: delivery.sent });
      }
    }
    if (signalled.length) {
      this.write((index) => {
        for (const name of signalled) appendEvent(sim.alloc.TaskStates[name]?.Events ?? [], events.signaling(nowNs(), signal));
        this.cluster.touch(sim, index);
      });
    }
    for (const { name, sent } of ended) this.later(this.exitMs(sim, name), () => this.endedBySignal(sim, name, sent));
    if (task && errors.length) throw new SimHttpError(500, errors[0] as string);
    // Signalling every task collects per-task errors the go-multierror way.
    if (errors.length) {
      const items = errors.map((error) => `\t* ${error}`).join('\n');
      throw new SimHttpError(500, `${errors.length} error${errors.length === 1 ? '' : 's'} occurred:\n${items}\n\n`);
    }
  }

  /** A task a signal ended: Terminated with that signal, then restarted within its policy. */
  private endedBySignal(sim: SimAlloc, taskName: string, sent: string): void {
    const state = sim.alloc.TaskStates[taskName];
    if (!state || state.State !== 'running' || isTerminal(sim.alloc)) return;
    this.write((index) => {
      const now = nowNs();
      const list = state.Events ?? (state.Events = []);
      const number = SIGNAL_NUMBERS[sent] ?? 2;
      appendEvent(list, events.terminated(now, 128 + number, number));
      const delayNs = 15_000_000_000 * this.timeScale;
      appendEvent(list, events.restarting(now, delayNs, 'Restart within policy'));
      state.Restarts = (state.Restarts ?? 0) + 1;
      state.LastRestart = rfc3339();
      state.State = 'pending';
      this.cluster.touch(sim, index);
      this.later(15_000, () => this.taskStarted(sim, taskName));
    });
  }

  close(): void {
    this.logs.close();
    this.stopLife();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}

/** The index in an allocation name like "web.api[3]". */
function slotOf(sim: SimAlloc): number {
  return Number(/\[(\d+)\]$/.exec(sim.alloc.Name ?? '')?.[1] ?? 0);
}
