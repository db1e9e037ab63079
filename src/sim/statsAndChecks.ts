// The payloads of GET /v1/client/allocation/:id/stats and GET /v1/allocation/:id/checks, as a
// Nomad client builds them.
//
// Stats (client/allocrunner/alloc_runner.go LatestAllocStats): every task that has a sample
// (it started at least once; a dead task keeps its last one), totals summing the running tasks
// only (ResourceUsage.Add, Measured joined), the newest task timestamp; a `task` that matches
// none gives `Tasks: {}` and `Timestamp: 0`. Keys in Go's field order (client/structs).
//
// Checks (client/serviceregistration/checks): one result per Nomad-provider check, keyed by
// its ID (a sha256 hex, nomad/structs/checks.go NomadCheckID), with the outputs Nomad's checker
// writes ("nomad: http ok", "nomad: Get …: connect: connection refused"), pending before the
// first run; a task that is failing on and off (flapping) fails its checks meanwhile.
import { createHash } from 'node:crypto';
import type { SimAlloc } from './model.js';
import { MEASURED, taskUsage, traits, type TaskUsage } from './usage.js';

/** Task runners sample once a second (client config collection_interval). */
const SAMPLE_MS = 1000;
/** Nomad checks here run every 10 s. */
const CHECK_INTERVAL_S = 10;

interface Sample {
  usage: TaskUsage;
  atMs: number;
  running: boolean;
  driver: keyof typeof MEASURED;
}

function memoryStats(u: TaskUsage | undefined, measured: readonly string[] | null): Record<string, unknown> {
  const has = (name: string): boolean => measured?.includes(name) ?? false;
  return {
    RSS: u && has('RSS') ? u.rss : 0,
    Cache: u && has('Cache') ? u.cache : 0,
    Swap: u && has('Swap') ? u.swap : 0,
    MappedFile: 0,
    Usage: u && has('Usage') ? u.usage : 0,
    MaxUsage: 0,
    KernelUsage: 0,
    KernelMaxUsage: 0,
    Measured: measured,
  };
}

function cpuStats(u: TaskUsage | undefined, measured: readonly string[] | null): Record<string, unknown> {
  const has = (name: string): boolean => measured?.includes(name) ?? false;
  return {
    SystemMode: u && has('System Mode') ? u.systemPercent : 0,
    UserMode: u && has('User Mode') ? u.userPercent : 0,
    TotalTicks: u ? u.cpuMhz : 0,
    ThrottledPeriods: u && has('Throttled Periods') ? u.throttledPeriods : 0,
    ThrottledTime: u && has('Throttled Time') ? u.throttledTimeNs : 0,
    Percent: u && has('Percent') ? u.percent : 0,
    Measured: measured,
  };
}

/** The allocation's task samples at nowMs: running tasks now, stopped ones as they last were. */
function samples(sim: SimAlloc, nowMs: number, bootMs: number): Map<string, Sample> {
  const out = new Map<string, Sample>();
  const allocId = sim.alloc.ID ?? '';
  for (const task of sim.group.tasks) {
    const state = sim.alloc.TaskStates[task.name];
    const startedAtMs = state?.StartedAt ? Date.parse(state.StartedAt) : NaN;
    if (!state || !Number.isFinite(startedAtMs)) continue;
    const running = state.State === 'running';
    const finishedAtMs = state.FinishedAt ? Date.parse(state.FinishedAt) : NaN;
    const atMs = Math.floor((running || !Number.isFinite(finishedAtMs) ? nowMs : finishedAtMs) / SAMPLE_MS) * SAMPLE_MS;
    const reserved = { cpuMhz: task.resources.cpuMhz, memoryMb: task.resources.memoryMb };
    out.set(task.name, { usage: taskUsage(allocId, task.name, { startedAtMs, leakFromMs: Math.max(startedAtMs, bootMs) }, atMs, reserved), atMs, running, driver: task.driver });
  }
  return out;
}

export function allocStatsJson(sim: SimAlloc, taskFilter: string, nowMs: number, bootMs: number): string {
  const tasks: Record<string, unknown> = {};
  const total = { usage: undefined as TaskUsage | undefined, memory: [] as string[], cpu: [] as string[] };
  let timestamp = 0;
  for (const [name, sample] of samples(sim, nowMs, bootMs)) {
    if (taskFilter && taskFilter !== name) continue;
    const measured = MEASURED[sample.driver];
    const executor = sample.driver !== 'docker';
    const usage = { MemoryStats: memoryStats(sample.usage, measured.memory), CpuStats: cpuStats(sample.usage, measured.cpu), DeviceStats: null };
    // The executor-based drivers also report per-process usage; docker does not.
    const pid = 1000 + (parseInt((sim.alloc.ID ?? '0').slice(0, 4), 16) % 30000);
    tasks[name] = { ResourceUsage: usage, Timestamp: sample.atMs * 1_000_000, Pids: executor ? { [String(pid)]: usage } : null };
    if (!sample.running) continue;
    total.usage = add(total.usage, sample.usage);
    total.memory = [...new Set([...total.memory, ...measured.memory])];
    total.cpu = [...new Set([...total.cpu, ...measured.cpu])];
    timestamp = Math.max(timestamp, sample.atMs * 1_000_000);
  }
  const resourceUsage = {
    MemoryStats: memoryStats(total.usage, total.usage ? total.memory : null),
    CpuStats: cpuStats(total.usage, total.usage ? total.cpu : null),
    DeviceStats: [],
  };
  return JSON.stringify({ ResourceUsage: resourceUsage, Tasks: tasks, Timestamp: timestamp });
}

function add(a: TaskUsage | undefined, b: TaskUsage): TaskUsage {
  if (!a) return { ...b };
  const out = { ...a };
  for (const key of Object.keys(b) as (keyof TaskUsage)[]) out[key] = a[key] + b[key];
  return out;
}

/** A task fails its checks on and off: for 20 s of every 90 s, for a seeded one in ten. */
function flapping(allocId: string, task: string, nowMs: number): boolean {
  const t = traits(allocId, task);
  return t.noise > 0.37 && Math.floor(nowMs / 1000 + t.cpuShare * 90) % 90 < 20;
}

export function allocChecksJson(sim: SimAlloc, services: readonly { ServiceName?: string | null; Address?: string | null; Port?: number | null; Tags?: string[] | null }[], nowMs: number): string {
  const allocId = sim.alloc.ID ?? '';
  const checks: Record<string, unknown> = {};
  for (const task of sim.group.tasks) {
    if (!task.service) continue;
    const registration = services.find((s) => s.ServiceName === `${sim.job.id}-${task.service?.name}`);
    if (!registration) continue;
    const state = sim.alloc.TaskStates[task.name];
    const startedAtMs = state?.StartedAt ? Date.parse(state.StartedAt) : NaN;
    const address = `${registration.Address ?? '127.0.0.1'}:${registration.Port ?? 0}`;
    const http = task.service.tags.includes('http');
    const list = [{ name: `${task.service.name}-alive`, mode: 'healthiness', type: http ? 'http' : 'tcp' }];
    if (task.service.tags.includes('canary') || task.service.tags.includes('edge')) list.push({ name: `${task.service.name}-ready`, mode: 'readiness', type: 'http' });
    for (const check of list) {
      const id = createHash('sha256').update(`${allocId}\0${sim.alloc.Name}\0${task.name}\0${check.name}\0${check.type}`).digest('hex').slice(0, 32);
      // Checks run on 10 s ticks from the task's start: none yet in its first 10 s.
      const sinceStart = (nowMs - startedAtMs) / 1000;
      const ranAt = Math.floor(nowMs / 1000 / CHECK_INTERVAL_S) * CHECK_INTERVAL_S;
      const base = { ID: id, Mode: check.mode };
      let result: Record<string, unknown>;
      if (!Number.isFinite(startedAtMs) || sinceStart < CHECK_INTERVAL_S) {
        result = { ...base, Status: 'pending', Output: '', Timestamp: Math.floor(nowMs / 1000) };
      } else if (state?.State !== 'running' || flapping(allocId, task.name, ranAt * 1000)) {
        const refused = `dial tcp ${address}: connect: connection refused`;
        result = { ...base, Status: 'failure', Output: check.type === 'http' ? `nomad: Get "http://${address}/${check.mode === 'readiness' ? 'ready' : 'health'}": ${refused}` : refused, Timestamp: ranAt };
      } else {
        result = check.type === 'http' ? { ...base, Status: 'success', StatusCode: 200, Output: 'nomad: http ok', Timestamp: ranAt } : { ...base, Status: 'success', Output: 'nomad: tcp ok', Timestamp: ranAt };
      }
      checks[id] = { ...result, Group: sim.alloc.Name ?? '', Task: task.name, Service: registration.ServiceName ?? '', Check: check.name };
    }
  }
  return Object.keys(checks).length ? JSON.stringify(checks) : 'null';
}
