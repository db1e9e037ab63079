// The jobs view (J): the allocation list the console already holds, grouped by namespace, job
// and task group, with how many allocations are in each client status and how many Nomad
// wants running (desired "run"). No request of its own. Pure, with one cached answer per list.
import type { AllocListStub } from '../nomad/types.js';
import { sanitize } from './format.js';

export interface JobRow {
  /** namespace/job/group: what Enter filters the list by. */
  key: string;
  namespace: string;
  job: string;
  group: string;
  running: number;
  pending: number;
  failed: number;
  complete: number;
  lost: number;
  /** Other client statuses (unknown, or what an agent invents). */
  other: number;
  /** Allocations whose desired status is "run". */
  wanted: number;
  total: number;
}

let cached: { list: readonly AllocListStub[]; rows: JobRow[] } | undefined;

export function jobRows(list: readonly AllocListStub[]): JobRow[] {
  if (cached?.list === list) return cached.rows;
  const groups = new Map<string, JobRow>();
  for (const alloc of list) {
    const namespace = sanitize(alloc.Namespace) || 'default';
    const job = sanitize(alloc.JobID);
    const group = sanitize(alloc.TaskGroup);
    const key = `${namespace}/${job}/${group}`;
    let row = groups.get(key);
    if (!row) {
      row = { key, namespace, job, group, running: 0, pending: 0, failed: 0, complete: 0, lost: 0, other: 0, wanted: 0, total: 0 };
      groups.set(key, row);
    }
    const status = alloc.ClientStatus;
    if (status === 'running' || status === 'pending' || status === 'failed' || status === 'complete' || status === 'lost') row[status] += 1;
    else row.other += 1;
    if (alloc.DesiredStatus === 'run') row.wanted += 1;
    row.total += 1;
  }
  const rows = [...groups.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  cached = { list, rows };
  return rows;
}

/** Whether an allocation belongs to the job row `key` (namespace/job/group). */
export function inJob(alloc: AllocListStub, key: string): boolean {
  return `${sanitize(alloc.Namespace) || 'default'}/${sanitize(alloc.JobID)}/${sanitize(alloc.TaskGroup)}` === key;
}
