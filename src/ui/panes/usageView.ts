// The detail pane's USAGE lines: for the allocation and each task, CPU as a sparkline of the
// last minutes with its percent (of one core) and MHz of the reserved MHz, memory (Usage, or RSS
// where the driver measures no Usage) as a sparkline with MiB of the reserved MiB and the
// memory_max when oversubscription is on, and "throttled" while the CPU is being throttled.
// A figure the driver does not measure shows as "–", never as 0. Pure.
import type { Allocation } from '../../nomad/types.js';
import type { StatsSample, UsagePoint } from '../../store/allocStats.js';
import { fit, sanitize } from '../format.js';
import { sparkline } from '../sparkline.js';

export interface Reservation {
  cpuMhz?: number;
  memoryMb?: number;
  memoryMaxMb?: number;
}

const MIB = 1_048_576;

function positive(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : undefined;
}

/** What each task reserved (AllocatedResources.Tasks[t]: Cpu.CpuShares, Memory.MemoryMB,
 * MemoryMaxMB), read defensively. */
export function reservations(alloc: Allocation | undefined): Map<string, Reservation> {
  const out = new Map<string, Reservation>();
  const tasks = (alloc?.AllocatedResources as { Tasks?: unknown } | null | undefined)?.Tasks;
  if (!tasks || typeof tasks !== 'object') return out;
  for (const [name, value] of Object.entries(tasks as Record<string, unknown>)) {
    const task = value as { Cpu?: { CpuShares?: unknown } | null; Memory?: { MemoryMB?: unknown; MemoryMaxMB?: unknown } | null } | null;
    out.set(name, { cpuMhz: positive(task?.Cpu?.CpuShares), memoryMb: positive(task?.Memory?.MemoryMB), memoryMaxMb: positive(task?.Memory?.MemoryMaxMB) });
  }
  return out;
}

function sum(values: (number | undefined)[]): number | undefined {
  const known = values.filter((v): v is number => v !== undefined);
  return known.length === values.length && known.length > 0 ? known.reduce((a, b) => a + b, 0) : undefined;
}

export interface UsageLine {
  text: string;
  /** The row of the task the detail has focus on. */
  focused?: boolean;
}

/** Lines for `samples` (oldest first): a header, the total, one per task (in `tasks` order). */
export function usageLines(samples: readonly StatsSample[], reserved: ReadonlyMap<string, Reservation>, tasks: readonly string[], width: number, focusedTask: string | undefined): UsageLine[] {
  const latest = samples.at(-1);
  if (!latest) return [];
  const nameWidth = Math.max(5, Math.min(14, ...tasks.map((t) => sanitize(t).length)));
  // "▸ name " cpu-spark " 12.3%" " 290/500 MHz" "  " mem-spark " 180/256 MiB (max 1024)"
  const fixed = 2 + nameWidth + 1 + 7 + 13 + 2 + 1 + 22;
  const spark = Math.max(3, Math.min(30, Math.floor((width - fixed) / 2)));
  const cpuWidth = spark + 7 + 13;
  const total: Reservation = {
    cpuMhz: sum(tasks.map((t) => reserved.get(t)?.cpuMhz)),
    memoryMb: sum(tasks.map((t) => reserved.get(t)?.memoryMb)),
  };
  const row = (label: string, pick: (sample: StatsSample) => UsagePoint | undefined, limits: Reservation | undefined, focused: boolean): UsageLine => {
    const points = samples.map(pick);
    const now = pick(latest);
    const cpuMax = limits?.cpuMhz ?? Math.max(1, ...points.map((p) => p?.cpuMhz ?? 0));
    const memMax = (limits?.memoryMb ?? 0) * MIB || Math.max(1, ...points.map((p) => p?.memory ?? 0));
    const cpu = now?.cpuMhz === undefined ? 'cpu –'.padEnd(cpuWidth) : `${sparkline(points.map((p) => p?.cpuMhz), spark, cpuMax)} ${`${(now.cpuPercent ?? 0).toFixed(1)}%`.padStart(6)} ${`${Math.round(now.cpuMhz)}${limits?.cpuMhz ? `/${limits.cpuMhz}` : ''} MHz`.padStart(12)}`;
    const max = limits?.memoryMaxMb ? ` (max ${limits.memoryMaxMb})` : '';
    const memory = now?.memory === undefined ? 'mem –' : `${sparkline(points.map((p) => p?.memory), spark, memMax)} ${Math.round(now.memory / MIB)}${limits?.memoryMb ? `/${limits.memoryMb}` : ''} MiB${max}${now.memoryKind === 'rss' ? ' rss' : ''}`;
    const previous = samples.length > 1 ? pick(samples[samples.length - 2] as StatsSample) : undefined;
    const throttled = now?.throttledPeriods !== undefined && previous?.throttledPeriods !== undefined && now.throttledPeriods > previous.throttledPeriods ? '  throttled' : '';
    return { text: `${focused ? '▸ ' : '  '}${fit(label, nameWidth)} ${cpu}  ${memory}${throttled}`, focused };
  };
  const span = Math.round((latest.at - (samples[0]?.at ?? latest.at)) / 1000);
  const lines: UsageLine[] = [{ text: `USAGE  last ${span >= 60 ? `${Math.round(span / 60)}m` : `${span}s`} · cpu: % of one core, MHz used/reserved · memory: MiB used/reserved` }];
  if (tasks.length > 1) lines.push(row('total', (s) => s.total, total, false));
  for (const task of tasks) {
    if (!latest.tasks.has(task)) continue;
    lines.push(row(sanitize(task), (s) => s.tasks.get(task), reserved.get(task), task === focusedTask));
  }
  return lines;
}
