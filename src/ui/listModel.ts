// The allocation list as the user sees it: columns, the client-side text filter, sorting,
// and column widths for a given terminal width. Pure functions, no React.
// Columns come by priority: ID, NAME (never cut while any column could give way: Nomad names
// are job.group[index], so JOB and GROUP repeat it), STATUS (client status, and desired when it
// differs: running→stop), H (deployment health from the stub: ✓ healthy, ✖ unhealthy, … pending,
// ↻ a reschedule pending), CHANGED (since ModifyTime: what just broke sorts first), NODE, then
// JOB, GROUP and AGE (since creation) as room allows.
import type { AllocListStub } from '../nomad/types.js';
import { formatAge, sanitize, shortId, show } from './format.js';
import { collationKey, compareText } from './collationKey.js';

export const SORT_COLUMNS = ['changed', 'name', 'status', 'health', 'node', 'job', 'group', 'age', 'id'] as const;
export type SortColumn = (typeof SORT_COLUMNS)[number];

export interface SortOrder {
  column: SortColumn;
  descending: boolean;
}

/** Most recently changed first: the way to find what just broke. */
export const DEFAULT_SORT: SortOrder = { column: 'changed', descending: false };

export interface Column {
  key: SortColumn;
  title: string;
  width: number;
}


function sortValue(alloc: AllocListStub, column: SortColumn): string | number {
  switch (column) {
    case 'name': return sanitize(alloc.Name);
    case 'job': return sanitize(alloc.JobID);
    case 'group': return sanitize(alloc.TaskGroup);
    case 'node': return sanitize(alloc.NodeName);
    case 'status': return sanitize(alloc.ClientStatus);
    case 'health': return HEALTH_ORDER.indexOf(healthMark(alloc));
    case 'changed': return -(alloc.ModifyTime ?? alloc.CreateTime ?? 0);
    case 'age': return -(alloc.CreateTime ?? 0);
    case 'id': return sanitize(alloc.ID);
  }
}

export interface Keyed {
  value: string | number;
  /** The string value's collation key (undefined: compare it with the collator). */
  key: string | undefined;
  id: string;
}

/** Each row's keys by text column, worked out once: rows never change (a change is a new row),
 * and a list that follows its changes compares the same rows again and again. */
const NUMERIC: ReadonlySet<SortColumn> = new Set(['changed', 'age', 'health']);
const keyedRows = new Map<SortColumn, WeakMap<AllocListStub, Keyed>>();

export function keyedOf(alloc: AllocListStub, column: SortColumn): Keyed {
  // A number (times, health) is as quick to read again as to look up.
  if (NUMERIC.has(column)) return { value: sortValue(alloc, column), key: undefined, id: alloc.ID ?? '' };
  let cache = keyedRows.get(column);
  if (!cache) keyedRows.set(column, (cache = new WeakMap()));
  let keyed = cache.get(alloc);
  if (!keyed) {
    const value = sortValue(alloc, column);
    keyed = { value, key: typeof value === 'string' ? collationKey(value) : undefined, id: alloc.ID ?? '' };
    cache.set(alloc, keyed);
  }
  return keyed;
}

export function sortAllocations(allocs: readonly AllocListStub[], order: SortOrder): AllocListStub[] {
  const direction = order.descending ? -1 : 1;
  const keyed = allocs.map((alloc) => ({ alloc, keyed: keyedOf(alloc, order.column) }));
  keyed.sort((a, b) => compareKeyed(a.keyed, b.keyed) * direction);
  return keyed.map((entry) => entry.alloc);
}

export function compareKeyed(a: Keyed, b: Keyed): number {
  const byValue = typeof a.value === 'number' && typeof b.value === 'number' ? a.value - b.value : compareText(String(a.value), a.key, String(b.value), b.key);
  return byValue || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}


/** Client status, and the desired status after an arrow when it is not "run". */
export function statusText(alloc: AllocListStub): string {
  const desired = sanitize(alloc.DesiredStatus);
  return desired && desired !== 'run' ? `${show(alloc.ClientStatus)}→${desired}` : show(alloc.ClientStatus);
}

/** The allocation's health at a glance, from its list stub alone (no request): a reschedule
 * Nomad has scheduled for later (FollowupEvalID, no replacement yet), else its deployment
 * health (DeploymentStatus.Healthy: true, false, or not yet known while it is reported). */
export function healthMark(alloc: AllocListStub): string {
  if (alloc.FollowupEvalID && !alloc.NextAllocation) return '↻';
  const status = alloc.DeploymentStatus;
  if (!status || typeof status !== 'object') return ' ';
  if (status.Healthy === true) return '✓';
  if (status.Healthy === false) return '✖';
  return '…';
}
/** Sorting by health: what needs a look first. */
const HEALTH_ORDER = ['✖', '↻', '…', '✓', ' '];

/** The text a row shows in each column. Listing every namespace, the name reads ns/name. */
export function cells(alloc: AllocListStub, nowMs: number, withNamespace = false): Record<SortColumn, string> {
  return {
    id: shortId(alloc.ID),
    job: show(alloc.JobID),
    group: show(alloc.TaskGroup),
    name: withNamespace ? `${show(alloc.Namespace)}/${show(alloc.Name)}` : show(alloc.Name),
    node: show(alloc.NodeName),
    status: statusText(alloc),
    health: healthMark(alloc),
    changed: formatAge(alloc.ModifyTime ?? alloc.CreateTime, nowMs),
    age: formatAge(alloc.CreateTime, nowMs),
  };
}

/** The longest name (ns/name when listing every namespace) in columns, for NAME's width: the
 * code-unit length, which is cheap over 50,000 rows and right for the names Nomad allows. */
export function longestName(allocs: readonly AllocListStub[], withNamespace = false): number {
  let most = 0;
  for (const alloc of allocs) {
    const length = (alloc.Name?.length ?? 1) + (withNamespace ? (alloc.Namespace?.length ?? 1) + 1 : 0);
    if (length > most) most = length;
  }
  return most;
}

/** Case-insensitive match of every word of `text` against the row's visible columns. */
export function filterAllocations(allocs: readonly AllocListStub[], text: string): readonly AllocListStub[] {
  const matches = textMatcher(text);
  return matches ? allocs.filter(matches) : allocs;
}

/** The text filter as a test of one row (words, all present in any order, any case), or
 * undefined for an empty filter. */
export function textMatcher(text: string): ((alloc: AllocListStub) => boolean) | undefined {
  const words = text.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return undefined;
  return (alloc) => {
    const haystack = [alloc.ID, alloc.JobID, alloc.TaskGroup, alloc.Name, alloc.NodeName, alloc.ClientStatus, alloc.DesiredStatus, alloc.Namespace].map((v) => sanitize(v).toLowerCase()).join(' ');
    return words.every((word) => haystack.includes(word));
  };
}

const TITLES: Record<SortColumn, string> = { id: 'ID', name: 'NAME', status: 'STATUS', health: 'H', changed: 'CHANGED', node: 'NODE', job: 'JOB', group: 'GROUP', age: 'AGE' };
/** Always shown, at least this wide. */
const ESSENTIAL: readonly [SortColumn, number][] = [['id', 8], ['name', 14], ['status', 8]];
/** Added in this order while they fit at their least width, once NAME has its full length. */
const OPTIONAL: readonly [SortColumn, number][] = [['health', 1], ['changed', 8], ['node', 12], ['job', 10], ['group', 8], ['age', 4]];
/** Left to right on screen. */
const ORDER: readonly SortColumn[] = ['id', 'name', 'status', 'health', 'changed', 'node', 'job', 'group', 'age'];
const NAME_MOST = 48;
/** running→stop, complete→stop: the widest statuses with their desired one. */
const STATUS_MOST = 13;

/** Column widths for the list's inner width, given the longest name: ID, NAME and STATUS
 * always; NAME grows to its full length (up to 48) and STATUS to room for running→stop before
 * any optional column is added; then H, CHANGED, NODE, JOB, GROUP and AGE while they fit; what is
 * left widens NODE, JOB and NAME. */
export function columnsFor(width: number, nameLength = 14): Column[] {
  const spaced = (list: Column[]): number => list.reduce((sum, c) => sum + c.width, 0) + list.length - 1;
  const columns: Column[] = ESSENTIAL.map(([key, least]) => ({ key, title: TITLES[key], width: least }));
  let spare = width - spaced(columns);
  const grow = (key: SortColumn, most: number): void => {
    const column = columns.find((c) => c.key === key);
    if (!column || spare <= 0 || column.width >= most) return;
    const extra = Math.min(spare, most - column.width);
    column.width += extra;
    spare -= extra;
  };
  grow('name', Math.min(NAME_MOST, Math.max(14, nameLength)));
  grow('status', STATUS_MOST);
  for (const [key, least] of OPTIONAL) {
    if (least + 1 > spare) continue;
    columns.push({ key, title: TITLES[key], width: least });
    spare -= least + 1;
  }
  grow('node', 24);
  grow('job', 24);
  grow('name', NAME_MOST * 2);
  return columns.sort((a, b) => ORDER.indexOf(a.key) - ORDER.indexOf(b.key));
}
