// What the user has chosen, as one reducer fed key by key: the selection (by allocation ID,
// so it survives rows moving), sort, filters, namespace, focus and the open overlay. Keys of
// one terminal read are applied in order, each to the state the previous one left.
import type { AllocListStub } from '../../nomad/types.js';
import type { Copy } from '../actions/clipboard.js';
import { lineAt, type LineText } from '../input/lineEditor.js';
import type { BulkReport } from '../actions/bulkSend.js';
import type { PromptState } from '../prompts/promptState.js';
import type { LogContext, LogState } from '../logs/logState.js';
import type { Outcome } from '../actions/outcome.js';
import type { SortColumn, SortOrder } from '../listModel.js';
import { DEFAULT_SORT } from '../listModel.js';
import { visibleRows, type VisibleRows } from './visibleRows.js';
import { DEFAULT_EXEC_COMMAND } from '../prompts/execCommand.js';

export type Mode = 'list' | 'textFilter' | 'serverFilter' | 'namespace' | 'help' | 'prompt' | 'promptText' | 'zoom' | 'jobs' | 'report' | 'logs' | 'logSearch' | 'logSave' | 'logTask';
export type Focus = 'list' | 'detail' | 'services';

export interface UiState {
  mode: Mode;
  selectedId: string | undefined;
  /** Where the selection last was: used when the selected row disappears. */
  cursor: number;
  sort: SortOrder;
  textFilter: string;
  serverFilter: string;
  /** The text being edited in the filter line, with its cursor. */
  draft: LineText;
  namespace: string;
  namespaceCursor: number;
  focus: Focus;
  taskIndex: number;
  /** The services pane's cursor (its rows: services and their checks). */
  servicesCursor: number;
  /** The open action prompt: the allocation it acts on, its step and highlight (see
   * prompts/promptState.ts). */
  prompt: PromptState | undefined;
  /** The last action's result line; cleared by the next key. */
  result: Outcome | undefined;
  quit: boolean;
  /** Ctrl-Z presses so far: each one suspends the console to the shell. */
  suspends: number;
  /** The last copy asked for (y, Y): a new object each time, which the App writes out. */
  copy: Copy | undefined;
  /** How far down the help is scrolled, and the view it goes back to. */
  helpScroll: number;
  helpFrom: 'list' | 'jobs' | 'report' | 'logs';
  /** The jobs view's selected row, and the job row (namespace/job/group) the list is narrowed
   * to after Enter on it ('' for none). */
  jobsCursor: number;
  jobFilter: string;
  /** The allocation shown full screen (Enter), how far down it is scrolled, and the section
   * it opens at once drawn (`z` on the detail or services pane; see zoomView.ts anchors). */
  zoom: { id: string; scroll: number; anchor?: string } | undefined;
  /** Marked allocations by ID (state/marks.ts), and where the last Space was (v's start). */
  marks: ReadonlySet<string>;
  markAnchor: string | undefined;
  /** What the last bulk action did to each allocation (R opens it), and its scroll. */
  report: BulkReport | undefined;
  reportScroll: number;
  /** The open log view (l), and the task picker's cursor when the allocation has several. */
  logs: LogState | undefined;
  logTaskCursor: number;
  /** The last save asked for (w in the log view): a new object each time, which the App does. */
  saveLog: { path: string } | undefined;
  /** The command the exec prompt starts with: the last one run (x). */
  execCommand: string;
}

export function initialUiState(namespace: string): UiState {
  return { mode: 'list', selectedId: undefined, cursor: 0, sort: DEFAULT_SORT, textFilter: '', serverFilter: '', draft: lineAt(''), namespace, namespaceCursor: 0, focus: 'list', taskIndex: 0, servicesCursor: 0, prompt: undefined, result: undefined, quit: false, suspends: 0, copy: undefined, zoom: undefined, helpScroll: 0, helpFrom: 'list', jobsCursor: 0, jobFilter: '', marks: new Set(), markAnchor: undefined, report: undefined, reportScroll: 0, logs: undefined, logTaskCursor: 0, saveLog: undefined, execCommand: DEFAULT_EXEC_COMMAND };
}

/** What the reducer needs to know about the screen when a key arrives. The rows themselves
 * are derived from `list` and the state (visibleRows), never taken from the last render. */
export interface KeyContext {
  /** The allocation list as the store holds it (before the text filter and sort). */
  list: readonly AllocListStub[];
  pageSize: number;
  /** Options of the namespace picker. */
  namespaces: readonly string[];
  /** The allocation the detail pane shows, and how many tasks it has (their names, in the
   * detail's order). */
  detail: { id: string | undefined; taskCount: number; tasks?: readonly string[]; running?: readonly string[] };
  /** Read-only mode: action keys do not exist. */
  readOnly: boolean;
  /** Which terminal read the key came in (keys of one read share it). */
  read: number;
  /** The help as drawn: how many lines it has and how many fit. */
  help: { lines: number; page: number };
  /** Whether the services pane lists any service (else Tab skips it), and its rows (services
   * and checks) for its cursor. */
  servicesShown: boolean;
  serviceRows?: number;
  /** The list's columns on screen, left to right: what `o` sorts by in turn. */
  sortable: readonly SortColumn[];
  /** The zoomed allocation as drawn: how many lines it has, how many fit, and its links. */
  zoom: { lines: number; page: number; previous: string | undefined; next: string | undefined };
  /** The bulk report as drawn: how many lines it has and how many fit. */
  report: { lines: number; page: number };
  /** The open log view's feed as it is, and the zoomed allocation's tasks (l from the zoom). */
  logs: LogContext;
  zoomTasks?: readonly string[];
}

/** The rows as this state shows them. */
export function rowsOf(state: UiState, ctx: KeyContext): VisibleRows {
  return visibleRows(ctx.list, state.textFilter, state.sort, state.jobFilter);
}

/** The allocation under the cursor in this state (actions open on it). */
export function selectedAlloc(state: UiState, ctx: KeyContext): AllocListStub | undefined {
  const shown = rowsOf(state, ctx);
  return shown.rows[selectedIndex(state, shown)];
}

/** Tasks of the selected allocation, once the detail shows it (0 until then). */
export function taskCountOf(state: UiState, ctx: KeyContext): number {
  const selected = selectedAlloc(state, ctx);
  return selected?.ID !== undefined && selected.ID === ctx.detail.id ? ctx.detail.taskCount : 0;
}

/** The row the selection is on: the selected ID if visible, else the same position. Looked for
 * where the cursor was first (nearly always there), then along the rows. */
export function selectedIndex(state: UiState, shown: VisibleRows | readonly string[]): number {
  const ids = Array.isArray(shown) ? (shown as readonly string[]) : undefined;
  const rows = ids ? undefined : (shown as VisibleRows).rows;
  const count = ids ? ids.length : (rows as readonly AllocListStub[]).length;
  if (count === 0) return -1;
  const idAt = (i: number): string | undefined => (ids ? ids[i] : rows?.[i]?.ID);
  const { selectedId, cursor } = state;
  let at = -1;
  if (selectedId !== undefined) at = idAt(cursor) === selectedId ? cursor : ids ? ids.indexOf(selectedId) : (rows as readonly AllocListStub[]).findIndex((row) => row.ID === selectedId);
  return at !== -1 ? at : Math.min(Math.max(0, cursor), count - 1);
}

/** Pins the selection to the allocation shown under the cursor, so that rows arriving or
 * moving later never slide another allocation under it. */
export function pin(state: UiState, id: string, cursor: number): UiState {
  return state.selectedId === id ? state : { ...state, selectedId: id, cursor };
}

export function moveTo(state: UiState, ctx: KeyContext, index: number): UiState {
  const { rows } = rowsOf(state, ctx);
  if (rows.length === 0) return state;
  const cursor = Math.min(Math.max(0, index), rows.length - 1);
  return { ...state, cursor, selectedId: rows[cursor]?.ID ?? '', taskIndex: 0 };
}

export function moveBy(state: UiState, ctx: KeyContext, delta: number): UiState {
  return moveTo(state, ctx, selectedIndex(state, rowsOf(state, ctx)) + delta);
}

/** Scrolls the zoomed allocation to `scroll`, kept within its lines. */
export function scrollZoom(state: UiState, ctx: KeyContext, scroll: number): UiState {
  if (!state.zoom) return state;
  const most = Math.max(0, ctx.zoom.lines - ctx.zoom.page);
  // Scrolled by hand: the section it was opening at no longer matters.
  return { ...state, zoom: { id: state.zoom.id, scroll: Math.min(Math.max(0, scroll), most) } };
}
