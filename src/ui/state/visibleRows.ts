// The rows the list shows, in order: the store's list through the user's text filter and sort.
// The one function the App draws from and the key reducer moves and acts on, so a key acts on
// the rows the keys before it left even before they are drawn (`/web` Enter `j` moves among
// the filtered rows; `js` stops the row `j` moved to). One cached answer: keys that change
// neither filter nor sort (and every render between changes) reuse it.
//
// At 200,000 allocations a full sort takes hundreds of milliseconds, so:
//  - a new version of the list is followed from the last answer's (store/listDelta.ts): the
//    changed rows leave, and those that pass the filters go back in at their sorted place —
//    O(rows) copying and O(changes · log rows) comparisons;
//  - a new filter or sort of a list larger than SYNC_ROWS is worked out in slices between keys
//    (sliceSort.ts); meanwhile the answer is the last one, kept up with the list under its own
//    filter and sort, and sortPending() says so. When the new one is ready, subscribers are
//    told (the App draws again), and it is followed to the list's newest version.
import type { AllocListStub } from '../../nomad/types.js';
import { changesBetween, trackVersion, untrackVersion, type ListChanges } from '../../store/listDelta.js';
import { inJob } from '../jobsModel.js';
import { compareKeyed, keyedOf, longestName, sortAllocations, textMatcher, type Keyed, type SortOrder } from '../listModel.js';
import { SliceRunner, sortInSlices } from './sliceSort.js';

export interface VisibleRows {
  readonly rows: readonly AllocListStub[];
  readonly ids: readonly string[];
  /** The longest name among the rows shown since the last full sort (listModel.longestName),
   * plain and as namespace/name: kept up with each change, not read again from every row. */
  readonly names: NameLengths;
}

export interface NameLengths {
  readonly plain: number;
  readonly withNamespace: number;
}

/** Lists up to this long are sorted at once (a few milliseconds). */
export const SYNC_ROWS = 5_000;

/** How each new answer was made: for tests and the benchmarks. */
export const visibleRowsStats = { full: 0, followed: 0, sliced: 0, walked: 0 };

interface Inputs {
  textFilter: string;
  sort: SortOrder;
  job: string;
}

interface Answer extends Inputs {
  list: readonly AllocListStub[];
  result: VisibleRows;
}

let cached: Answer | undefined;
let pending: (Inputs & { list: readonly AllocListStub[]; runner: SliceRunner<AllocListStub[]> }) | undefined;
const listeners = new Set<() => void>();
/** Counts the answers worked out in slices: what a subscriber re-reads when told. */
let readyCount = 0;

const sameInputs = (a: Inputs, b: Inputs): boolean => a.textFilter === b.textFilter && a.job === b.job && a.sort.column === b.sort.column && a.sort.descending === b.sort.descending;

function shownBy({ textFilter, job }: Inputs): (alloc: AllocListStub) => boolean {
  const text = textMatcher(textFilter);
  return (alloc) => (!job || inJob(alloc, job)) && (!text || text(alloc));
}

function answer(list: readonly AllocListStub[], inputs: Inputs, rows: readonly AllocListStub[], names: NameLengths = longestNames(rows)): VisibleRows {
  if (cached?.list !== list) {
    if (cached && cached.list !== pending?.list) untrackVersion(cached.list);
    trackVersion(list);
  }
  let ids: string[] | undefined;
  // The IDs in order, made when asked for (a range mark, the whole shown set): not per version.
  const result: VisibleRows = {
    rows,
    names,
    get ids() {
      return (ids ??= rows.map((row) => row.ID ?? ''));
    },
  };
  cached = { list, textFilter: inputs.textFilter, sort: inputs.sort, job: inputs.job, result };
  return result;
}

/** The last answer moved on to `list` by its changes, under the answer's own inputs; false
 * when they are not known. */
function follow(list: readonly AllocListStub[]): boolean {
  if (!cached) return false;
  const changes = changesBetween(cached.list, list);
  if (!changes) return false;
  visibleRowsStats.followed += 1;
  const shown = shownBy(cached);
  const incoming: AllocListStub[] = [];
  for (const row of changes.byId.values()) if (row && shown(row)) incoming.push(row);
  for (const row of changes.added) if (row && shown(row) && !changes.byId.has(row.ID as string)) incoming.push(row);
  const names = longestNames(incoming);
  const last = cached.result.names;
  answer(list, cached, followChanges(cached.result.rows, changes, incoming, cached.sort), { plain: Math.max(last.plain, names.plain), withNamespace: Math.max(last.withNamespace, names.withNamespace) });
  return true;
}

function longestNames(rows: readonly AllocListStub[]): NameLengths {
  return { plain: longestName(rows), withNamespace: longestName(rows, true) };
}

function cancelPending(): void {
  if (!pending) return;
  pending.runner.cancel();
  if (pending.list !== cached?.list) untrackVersion(pending.list);
  pending = undefined;
}

/** `job`: a jobs-view row's key (namespace/job/group) the list is narrowed to, or ''. */
export function visibleRows(list: readonly AllocListStub[], textFilter: string, sort: SortOrder, job = ''): VisibleRows {
  const inputs: Inputs = { textFilter, sort, job };
  if (cached && sameInputs(cached, inputs)) {
    cancelPending();
    if (cached.list === list || follow(list)) return cached.result;
  }
  // At once: a short list, or one the last answer is not about (another namespace, a fresh read).
  if (!cached || list.length <= SYNC_ROWS || (cached.list !== list && !changesBetween(cached.list, list))) {
    cancelPending();
    visibleRowsStats.full += 1;
    return answer(list, inputs, sortAllocations(job || textFilter ? list.filter(shownBy(inputs)) : list, sort));
  }
  if (!pending || !sameInputs(pending, inputs)) start(list, inputs);
  // Meanwhile: the last answer, up to date with the list.
  if (cached.list !== list) follow(list);
  return cached.result;
}

function start(list: readonly AllocListStub[], inputs: Inputs): void {
  cancelPending();
  visibleRowsStats.sliced += 1;
  trackVersion(list);
  const runner = new SliceRunner(sortInSlices(list, shownBy(inputs), inputs.sort), (rows) => {
    if (pending?.runner !== runner) return;
    pending = undefined;
    answer(list, inputs, rows);
    readyCount += 1;
    for (const listener of listeners) listener();
  });
  pending = { list, textFilter: inputs.textFilter, sort: inputs.sort, job: inputs.job, runner };
}

/** A new filter or sort is being worked out: the rows shown are the last ones. */
export function sortPending(): boolean {
  return pending !== undefined;
}

/** Changes each time a filter or sort worked out in slices is ready (useSyncExternalStore's snapshot). */
export function visibleRowsReadyCount(): number {
  return readyCount;
}

/** Calls `listener` when a filter or sort worked out in slices is ready. */
export function onVisibleRowsReady(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The sorted rows after `changes`: changed rows out, the `incoming` (the changed rows shown) in at their place.
 * Each changed row is found by a binary search for the row it replaces (changes.before), not by
 * looking at every row: on this machine reading 40,000 rows' IDs costs ~5 ms (each a cache
 * miss), copying the array's references 0.3 ms. */
function followChanges(rows: readonly AllocListStub[], changes: ListChanges, incoming: readonly AllocListStub[], sort: SortOrder): readonly AllocListStub[] {
  const direction = sort.descending ? -1 : 1;
  const before = (row: AllocListStub, keyed: Keyed): boolean => compareKeyed(keyedOf(row, sort.column), keyed) * direction < 0;
  /** Where a row of this sorted order goes in `within`: after every row sorted before it. */
  const place = (within: readonly AllocListStub[], keyed: Keyed, low: number): number => {
    let high = within.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (before(within[mid] as AllocListStub, keyed)) low = mid + 1;
      else high = mid;
    }
    return low;
  };
  // Only new rows (a list loading): none of the rows shown can be among the changed.
  let kept = rows;
  if (changes.replaces) {
    const gone: number[] = [];
    for (const old of changes.before.values()) {
      const at = place(rows, keyedOf(old, sort.column), 0);
      // Not there: filtered out, or new since the rows were made.
      if (rows[at] === old) gone.push(at);
    }
    if (gone.length) {
      gone.sort((a, b) => a - b);
      const out = new Array<AllocListStub>(rows.length - gone.length);
      let at = 0;
      let from = 0;
      for (const skip of gone) {
        while (from < skip) out[at++] = rows[from++] as AllocListStub;
        from = skip + 1;
      }
      while (from < rows.length) out[at++] = rows[from++] as AllocListStub;
      kept = out;
    }
  }
  if (incoming.length === 0) return kept;
  const sorted = sortAllocations(incoming, sort);
  const out = new Array<AllocListStub>(kept.length + sorted.length);
  let from = 0;
  let at = 0;
  // Many rows at once (a loading list's pages): one walk over both, each row compared about
  // once. A few (events): a binary search each for its place, at or past the last one found.
  const walk = sorted.length * Math.log2(kept.length + 1) > kept.length;
  if (walk) visibleRowsStats.walked += 1;
  for (const row of sorted) {
    const keyed = keyedOf(row, sort.column);
    let low = from;
    if (walk) {
      while (low < kept.length && before(kept[low] as AllocListStub, keyed)) low += 1;
    } else low = place(kept, keyed, from);
    while (from < low) out[at++] = kept[from++] as AllocListStub;
    out[at++] = row;
  }
  while (from < kept.length) out[at++] = kept[from++] as AllocListStub;
  return out;
}
