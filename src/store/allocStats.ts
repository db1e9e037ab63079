// An allocation's resource usage over time: each answer of /v1/client/allocation/:id/stats read
// into a sample of only what the driver measured (its Measured lists: a figure it did not
// measure is absent, never a 0), kept in a small ring per allocation so the pictures survive
// switching away and back. Bounded: 150 samples (5 minutes at 2 s) per allocation, the 64
// allocations looked at last, samples older than 5 minutes dropped.
import type { AllocResourceUsage, ResourceUsage } from '../nomad/types.js';

export const STATS_INTERVAL_MS = 2_000;
export const RING_SAMPLES = 150;
export const RING_ALLOCATIONS = 64;
export const RING_MAX_AGE_MS = 5 * 60_000;

export interface UsagePoint {
  /** TotalTicks: MHz used (present when the driver measures Percent, which it derives from). */
  cpuMhz?: number;
  /** Percent of one core. */
  cpuPercent?: number;
  /** Memory in bytes, and which figure it is: Usage when measured, else RSS. */
  memory?: number;
  memoryKind?: 'usage' | 'rss';
  /** Cumulative throttled periods, when measured. */
  throttledPeriods?: number;
}

export interface StatsSample {
  /** When it arrived (ms, this machine's clock: the ring's age is judged by it). */
  at: number;
  /** The agent's Timestamp (ns; 0 when it gave none): the same twice is the same sample. */
  sampledAt: number;
  total: UsagePoint;
  /** The tasks with a sample, and whether they were counted in the total (running). */
  tasks: ReadonlyMap<string, UsagePoint>;
}

function finite(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function measured(stats: Record<string, unknown> | null | undefined): ReadonlySet<string> {
  const list = stats?.Measured;
  return new Set(Array.isArray(list) ? list.filter((m): m is string => typeof m === 'string') : []);
}

/** One ResourceUsage as a point, with only the measured figures. */
export function usagePoint(usage: ResourceUsage | null | undefined): UsagePoint {
  const point: UsagePoint = {};
  const cpu = usage?.CpuStats && typeof usage.CpuStats === 'object' ? usage.CpuStats : undefined;
  const memory = usage?.MemoryStats && typeof usage.MemoryStats === 'object' ? usage.MemoryStats : undefined;
  const cpuMeasured = measured(cpu);
  const memoryMeasured = measured(memory);
  if (cpuMeasured.has('Percent')) {
    const percent = finite(cpu?.Percent);
    const mhz = finite(cpu?.TotalTicks);
    if (percent !== undefined) point.cpuPercent = percent;
    if (mhz !== undefined) point.cpuMhz = mhz;
  }
  if (cpuMeasured.has('Throttled Periods')) {
    const periods = finite(cpu?.ThrottledPeriods);
    if (periods !== undefined) point.throttledPeriods = periods;
  }
  const usageBytes = memoryMeasured.has('Usage') ? finite(memory?.Usage) : undefined;
  const rss = memoryMeasured.has('RSS') ? finite(memory?.RSS) : undefined;
  if (usageBytes !== undefined) {
    point.memory = usageBytes;
    point.memoryKind = 'usage';
  } else if (rss !== undefined) {
    point.memory = rss;
    point.memoryKind = 'rss';
  }
  return point;
}

/** A stats answer, received at `receivedAt`, as a sample. */
export function statsSample(answer: AllocResourceUsage | null | undefined, receivedAt: number): StatsSample {
  const tasks = new Map<string, UsagePoint>();
  const raw = answer?.Tasks;
  if (raw && typeof raw === 'object' && !Array.isArray(raw)) {
    for (const [name, task] of Object.entries(raw)) {
      if (task && typeof task === 'object') tasks.set(name, usagePoint(task.ResourceUsage));
    }
  }
  return { at: receivedAt, sampledAt: finite(answer?.Timestamp) ?? 0, total: usagePoint(answer?.ResourceUsage), tasks };
}

/** The rings of every allocation looked at lately. */
export class StatsHistory {
  private readonly rings = new Map<string, StatsSample[]>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Adds a sample (the agent's same sample again replaces the last) and returns the ring. */
  push(allocId: string, sample: StatsSample): readonly StatsSample[] {
    const ring = this.rings.get(allocId) ?? [];
    this.rings.delete(allocId);
    const last = ring.at(-1);
    if (last && sample.sampledAt > 0 && last.sampledAt === sample.sampledAt) ring[ring.length - 1] = sample;
    else ring.push(sample);
    if (ring.length > RING_SAMPLES) ring.splice(0, ring.length - RING_SAMPLES);
    this.rings.set(allocId, ring);
    // The least recently looked-at allocations go first.
    for (const key of this.rings.keys()) {
      if (this.rings.size <= RING_ALLOCATIONS) break;
      this.rings.delete(key);
    }
    return this.get(allocId);
  }

  /** The allocation's samples of the last 5 minutes, oldest first. */
  get(allocId: string): readonly StatsSample[] {
    const ring = this.rings.get(allocId);
    if (!ring) return [];
    const cutoff = this.now() - RING_MAX_AGE_MS;
    const first = ring.findIndex((sample) => sample.at >= cutoff);
    if (first < 0) {
      this.rings.delete(allocId);
      return [];
    }
    if (first > 0) ring.splice(0, first);
    return [...ring];
  }

  get size(): number {
    return this.rings.size;
  }
}
