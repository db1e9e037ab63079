// The rows the list shows, in order: the store's list through the user's text filter and sort.
// The one function the App draws from and the key reducer moves and acts on, so a key acts on
// the rows the keys before it left even before they are drawn (`/web` Enter `j` moves among
// the filtered rows; `js` stops the row `j` moved to). One cached answer: keys that change
// neither filter nor sort (and every render between changes) reuse it.
import type { AllocListStub } from '../../nomad/types.js';
import { inJob } from '../jobsModel.js';
import { filterAllocations, sortAllocations, type SortOrder } from '../listModel.js';

export interface VisibleRows {
  rows: readonly AllocListStub[];
  ids: readonly string[];
}

let cached: { list: readonly AllocListStub[]; textFilter: string; sort: SortOrder; job: string; result: VisibleRows } | undefined;

/** `job`: a jobs-view row's key (namespace/job/group) the list is narrowed to, or ''. */
export function visibleRows(list: readonly AllocListStub[], textFilter: string, sort: SortOrder, job = ''): VisibleRows {
  if (cached && cached.list === list && cached.textFilter === textFilter && cached.job === job && cached.sort.column === sort.column && cached.sort.descending === sort.descending) return cached.result;
  const ofJob = job ? list.filter((alloc) => inJob(alloc, job)) : list;
  const rows = sortAllocations(filterAllocations(ofJob, textFilter), sort);
  const result = { rows, ids: rows.map((row) => row.ID ?? '') };
  cached = { list, textFilter, sort, job, result };
  return result;
}
