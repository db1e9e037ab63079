// What each simulated task uses, as a function of the task and the time: a seeded baseline of
// its reserved CPU and memory, noise in 2 s steps, a CPU spike in the first 15 s after a
// (re)start, and for a few tasks a slow memory leak that ends in an OOM kill (the simulator
// kills them when usage passes the reservation). The figures are what a driver reports
// (client/structs CpuStats, MemoryStats): TotalTicks in MHz, Percent of one core, cumulative
// throttling; which of them a driver really measures is its Measured list
// (drivers/docker/util/stats_posix.go, drivers/shared/executor: cgroups v2; raw_exec here as the
// basic executor without cgroups).
import { createHash } from 'node:crypto';
import type { SimDriver } from './model.js';

/** MHz of one core of the simulated nodes: Percent = TotalTicks / this × 100. */
export const CORE_MHZ = 2400;
const MIB = 1_048_576;
const SPIKE_MS = 15_000;

export interface Reserved {
  cpuMhz: number;
  memoryMb: number;
}

export interface TaskUsage {
  cpuMhz: number;
  percent: number;
  userPercent: number;
  systemPercent: number;
  rss: number;
  cache: number;
  usage: number;
  swap: number;
  throttledPeriods: number;
  throttledTimeNs: number;
}

export const MEASURED: Record<SimDriver, { memory: string[]; cpu: string[] }> = {
  docker: { memory: ['RSS', 'Cache', 'Swap', 'Usage'], cpu: ['Throttled Periods', 'Throttled Time', 'Percent'] },
  exec: { memory: ['RSS', 'Cache', 'Swap', 'Usage'], cpu: ['System Mode', 'User Mode', 'Throttled Periods', 'Throttled Time', 'Percent'] },
  java: { memory: ['RSS', 'Cache', 'Swap', 'Usage'], cpu: ['System Mode', 'User Mode', 'Throttled Periods', 'Throttled Time', 'Percent'] },
  raw_exec: { memory: ['RSS', 'Swap'], cpu: ['System Mode', 'User Mode', 'Percent'] },
};

/** A number in [0, 1) from the key. */
function unit(key: string): number {
  return createHash('sha256').update(key).digest().readUInt32BE(0) / 2 ** 32;
}

/** The task's fixed traits: its share of its reservation, how noisy, whether it leaks. */
export function traits(allocId: string, task: string): { cpuShare: number; memShare: number; noise: number; leakPerSecond: number } {
  const key = `${allocId}/${task}`;
  const leaks = unit(`${key}/leak`) < 0.06;
  return {
    cpuShare: 0.04 + unit(`${key}/cpu`) * 0.6,
    memShare: 0.15 + unit(`${key}/mem`) * 0.5,
    noise: 0.1 + unit(`${key}/noise`) * 0.3,
    // A leaker gains 0.4–1.2 % of its reservation a second: an OOM kill in a few minutes.
    leakPerSecond: leaks ? 0.004 + unit(`${key}/rate`) * 0.008 : 0,
  };
}

/** When a task (re)started, and since when its leak (if it leaks) has grown: the later of its
 * start and the simulator's, so a cluster seeded with old allocations does not start out of
 * memory. */
export interface TaskClock {
  startedAtMs: number;
  leakFromMs: number;
}

/** Usage of a task at `nowMs`. */
export function taskUsage(allocId: string, task: string, clock: TaskClock, nowMs: number, reserved: Reserved): TaskUsage {
  const t = traits(allocId, task);
  const step = Math.floor(nowMs / 2000);
  const wobble = (unit(`${allocId}/${task}/${step}`) - 0.5) * 2 * t.noise + Math.sin(nowMs / 47_000) * t.noise * 0.5;
  const sinceStart = Math.max(0, nowMs - clock.startedAtMs);
  const leaking = Math.max(0, nowMs - clock.leakFromMs);
  const spike = sinceStart < SPIKE_MS ? 1 + 2 * (1 - sinceStart / SPIKE_MS) : 1;
  const cpuShare = Math.max(0.005, Math.min(1.3, t.cpuShare * (1 + wobble) * spike));
  const cpuMhz = cpuShare * reserved.cpuMhz;
  const percent = (cpuMhz / CORE_MHZ) * 100;
  const memShare = t.memShare * (1 + wobble * 0.1) + t.leakPerSecond * (leaking / 1000);
  const usage = Math.round(memShare * reserved.memoryMb * MIB);
  const rss = Math.round(usage * 0.85);
  // Over its CPU share a task is throttled: the count grows with how far over and how long.
  const over = Math.max(0, cpuShare - 0.9);
  const throttledPeriods = Math.floor(over * (sinceStart / 100));
  return { cpuMhz, percent, userPercent: percent * 0.8, systemPercent: percent * 0.2, rss, cache: usage - rss, usage, swap: 0, throttledPeriods, throttledTimeNs: throttledPeriods * 4_000_000 };
}

/** Whether the task's memory has outgrown its reservation (the kernel's OOM killer's turn). */
export function outOfMemory(allocId: string, task: string, clock: TaskClock, nowMs: number, reserved: Reserved): boolean {
  return traits(allocId, task).leakPerSecond > 0 && taskUsage(allocId, task, clock, nowMs, reserved).usage > reserved.memoryMb * MIB;
}
