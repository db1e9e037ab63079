// Marked allocations (Space, v, *): a set of allocation IDs, so marks survive re-sorting,
// filtering and the list changing. Only marks of allocations the list still holds count; the
// App prunes the others as the list changes, so one that leaves the cluster leaves the marks.
import type { AllocListStub } from '../../nomad/types.js';
import { sortAllocations } from '../listModel.js';
import { moveBy, rowsOf, selectedAlloc, selectedIndex, type KeyContext, type UiState } from './uiState.js';

export const NO_MARKS: ReadonlySet<string> = new Set();

/** Space: marks or unmarks the selected row, remembers it as the range's start, moves down. */
export function toggleMark(state: UiState, ctx: KeyContext): UiState {
  const id = selectedAlloc(state, ctx)?.ID;
  if (!id) return state;
  const marks = new Set(state.marks);
  if (marks.has(id)) marks.delete(id);
  else marks.add(id);
  return moveBy({ ...state, marks, markAnchor: id }, ctx, 1);
}

/** v: marks every row from the range's start (the last row Space marked) to the selection. */
export function markRange(state: UiState, ctx: KeyContext): UiState {
  const shown = rowsOf(state, ctx);
  const here = selectedIndex(state, shown);
  const { ids } = shown;
  if (here === -1) return state;
  const anchored = state.markAnchor === undefined ? -1 : ids.indexOf(state.markAnchor);
  const from = anchored === -1 ? here : anchored;
  const marks = new Set(state.marks);
  for (let i = Math.min(from, here); i <= Math.max(from, here); i++) marks.add(ids[i] as string);
  return { ...state, marks, markAnchor: ids[here] };
}

/** *: marks every row the filters show; when all of them already are, unmarks them. */
export function markShown(state: UiState, ctx: KeyContext): UiState {
  const { ids } = rowsOf(state, ctx);
  const all = ids.length > 0 && ids.every((id) => state.marks.has(id));
  const marks = new Set(state.marks);
  for (const id of ids) {
    if (all) marks.delete(id);
    else marks.add(id);
  }
  return { ...state, marks };
}

export function clearMarks(state: UiState): UiState {
  return state.marks.size ? { ...state, marks: NO_MARKS, markAnchor: undefined } : state;
}

/** The marked allocations the list holds, in the list's sort order. */
export function markedAllocations(state: UiState, list: readonly AllocListStub[]): AllocListStub[] {
  if (state.marks.size === 0) return [];
  return sortAllocations(list.filter((alloc) => alloc.ID !== undefined && state.marks.has(alloc.ID)), state.sort);
}

/** The marks without those the list no longer holds (the same set when none went). */
export function pruneMarks(marks: ReadonlySet<string>, list: readonly AllocListStub[]): ReadonlySet<string> {
  if (marks.size === 0) return marks;
  const present = new Set<string>();
  for (const alloc of list) if (alloc.ID !== undefined && marks.has(alloc.ID)) present.add(alloc.ID);
  return present.size === marks.size ? marks : present;
}
