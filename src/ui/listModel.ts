// The allocation list as the user sees it: columns, the client-side text filter, sorting,
// and column widths for a given terminal width. Pure functions, no React.
import type { AllocListStub } from '../nomad/types.js';
import { formatAge, sanitize, shortId, show } from './format.js';

export const SORT_COLUMNS = ['name', 'job', 'group', 'node', 'status', 'desired', 'age', 'id'] as const;
export type SortColumn = (typeof SORT_COLUMNS)[number];

export interface SortOrder {
  column: SortColumn;
  descending: boolean;
}

export const DEFAULT_SORT: SortOrder = { column: 'name', descending: false };

export interface Column {
  key: SortColumn;
  title: string;
  width: number;
}

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

function sortValue(alloc: AllocListStub, column: SortColumn): string | number {
  switch (column) {
    case 'name': return sanitize(alloc.Name);
    case 'job': return sanitize(alloc.JobID);
    case 'group': return sanitize(alloc.TaskGroup);
    case 'node': return sanitize(alloc.NodeName);
    case 'status': return sanitize(alloc.ClientStatus);
    case 'desired': return sanitize(alloc.DesiredStatus);
    case 'age': return -(alloc.CreateTime ?? 0);
    case 'id': return sanitize(alloc.ID);
  }
}

export function sortAllocations(allocs: readonly AllocListStub[], order: SortOrder): AllocListStub[] {
  const direction = order.descending ? -1 : 1;
  const keyed = allocs.map((alloc) => ({ alloc, value: sortValue(alloc, order.column), id: alloc.ID ?? '' }));
  keyed.sort((a, b) => {
    const byValue = typeof a.value === 'number' && typeof b.value === 'number' ? a.value - b.value : collator.compare(String(a.value), String(b.value));
    return (byValue || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)) * direction;
  });
  return keyed.map((entry) => entry.alloc);
}

/** The text a row shows in each column. Listing every namespace, the job reads ns/job. */
export function cells(alloc: AllocListStub, nowMs: number, withNamespace = false): Record<SortColumn, string> {
  return {
    id: shortId(alloc.ID),
    job: withNamespace ? `${show(alloc.Namespace)}/${show(alloc.JobID)}` : show(alloc.JobID),
    group: show(alloc.TaskGroup),
    name: show(alloc.Name),
    node: show(alloc.NodeName),
    status: show(alloc.ClientStatus),
    desired: show(alloc.DesiredStatus),
    age: formatAge(alloc.CreateTime, nowMs),
  };
}

/** Case-insensitive match of every word of `text` against the row's visible columns. */
export function filterAllocations(allocs: readonly AllocListStub[], text: string): readonly AllocListStub[] {
  const words = text.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return allocs;
  return allocs.filter((alloc) => {
    const haystack = [alloc.ID, alloc.JobID, alloc.TaskGroup, alloc.Name, alloc.NodeName, alloc.ClientStatus, alloc.DesiredStatus, alloc.Namespace].map((v) => sanitize(v).toLowerCase()).join(' ');
    return words.every((word) => haystack.includes(word));
  });
}

/** Column widths for the list's inner width; the least useful columns go first when narrow. */
export function columnsFor(width: number): Column[] {
  const fixed: Column[] = [
    { key: 'id', title: 'ID', width: 8 },
    { key: 'status', title: 'STATUS', width: 8 },
    { key: 'age', title: 'AGE', width: 4 },
  ];
  const optional: Column[] = [
    { key: 'desired', title: 'DESIRED', width: 7 },
    { key: 'node', title: 'NODE', width: 12 },
    { key: 'group', title: 'GROUP', width: 8 },
  ];
  let columns = [...fixed, { key: 'job', title: 'JOB', width: 10 } as Column, { key: 'name', title: 'NAME', width: 14 } as Column];
  const spaced = (list: Column[]): number => list.reduce((sum, c) => sum + c.width, 0) + list.length - 1;
  for (const column of optional.reverse()) {
    if (spaced([...columns, column]) <= width) columns.push(column);
  }
  const order: SortColumn[] = ['id', 'job', 'group', 'name', 'node', 'status', 'desired', 'age'];
  columns.sort((a, b) => order.indexOf(a.key) - order.indexOf(b.key));
  // Share what is left between the name and job columns.
  let spare = width - spaced(columns);
  const grow = (key: SortColumn, share: number): void => {
    const column = columns.find((c) => c.key === key);
    if (!column || spare <= 0) return;
    const extra = Math.min(spare, share);
    column.width += extra;
    spare -= extra;
  };
  grow('name', Math.ceil(spare * 0.45));
  grow('job', Math.ceil(spare * 0.5));
  grow('node', spare);
  return columns;
}
