// What the log keys do to the UI state (the keymap's logs, logSearch, logSave and logTask
// bindings, and l opening the view): pick the task, scroll and follow, switch streams, search
// and filter, wrap, and ask for a save.
import { lineAt } from '../input/lineEditor.js';
import { selectedAlloc, taskCountOf, type KeyContext, type UiState } from '../state/uiState.js';
import { sanitize } from '../format.js';
import { defaultLogFile, follow, jumpToMatch, openLogState, scrollLogs, toTop, type LogState } from './logState.js';

const withLogs = (state: UiState, logs: LogState): UiState => ({ ...state, logs });

/** l: the logs of the focused task, the only task, or a picker of the tasks. */
export function openLogs(state: UiState, ctx: KeyContext): UiState {
  const fromZoom = state.mode === 'zoom' && state.zoom !== undefined;
  const alloc = fromZoom ? ctx.list.find((row) => row.ID === state.zoom?.id) ?? { ID: state.zoom?.id } : selectedAlloc(state, ctx);
  if (!alloc?.ID) return { ...state, result: { ok: false, text: 'no allocation selected' } };
  const tasks = fromZoom ? ctx.zoomTasks ?? [] : taskCountOf(state, ctx) > 0 ? ctx.detail.tasks ?? [] : [];
  if (tasks.length === 0) return { ...state, result: { ok: false, text: `the tasks of ${sanitize(alloc.Name) || alloc.ID.slice(0, 8)} are not known yet: press l again in a moment` } };
  const open = (task: string): UiState => ({ ...state, mode: 'logs', logs: openLogState(alloc.ID as string, sanitize(alloc.Name), sanitize(alloc.Namespace) || 'default', task, fromZoom ? 'zoom' : 'list') });
  if (!fromZoom && state.focus === 'detail' && tasks[state.taskIndex] !== undefined) return open(tasks[state.taskIndex] as string);
  if (tasks.length === 1) return open(tasks[0] as string);
  // Several: the picker, on a placeholder view until a task is chosen.
  return { ...open(tasks[0] as string), mode: 'logTask', logTaskCursor: 0 };
}

export function pickLogTask(state: UiState, ctx: KeyContext): UiState {
  const tasks = state.logs?.from === 'zoom' ? ctx.zoomTasks ?? [] : ctx.detail.tasks ?? [];
  const task = tasks[state.logTaskCursor];
  if (!state.logs || task === undefined) return closeLogs(state);
  return { ...state, mode: 'logs', logs: { ...state.logs, task } };
}

export function moveLogTask(state: UiState, ctx: KeyContext, delta: number): UiState {
  const count = (state.logs?.from === 'zoom' ? ctx.zoomTasks : ctx.detail.tasks)?.length ?? 0;
  return { ...state, logTaskCursor: Math.min(Math.max(0, state.logTaskCursor + delta), Math.max(0, count - 1)) };
}

/** Esc: back to exactly where the user was (the list with its selection, or the zoom). */
export function closeLogs(state: UiState): UiState {
  return { ...state, mode: state.logs?.from === 'zoom' && state.zoom ? 'zoom' : 'list', logs: undefined };
}

export const scrollBy = (lines: (ctx: KeyContext) => number) => (state: UiState, ctx: KeyContext): UiState => (state.logs ? withLogs(state, scrollLogs(state.logs, ctx.logs, lines(ctx))) : state);

export function followEnd(state: UiState): UiState {
  return state.logs ? withLogs(state, follow(state.logs)) : state;
}

export function logsTop(state: UiState, ctx: KeyContext): UiState {
  return state.logs ? withLogs(state, toTop(state.logs, ctx.logs)) : state;
}

/** o / e / Tab: stdout, stderr, or the other one; the view follows the new stream's end. */
export function stream(type: 'stdout' | 'stderr' | 'other') {
  return (state: UiState): UiState => {
    if (!state.logs) return state;
    const next = type === 'other' ? (state.logs.type === 'stdout' ? 'stderr' : 'stdout') : type;
    return next === state.logs.type ? state : withLogs(state, { ...state.logs, type: next, top: undefined, match: undefined });
  };
}

export function startSearch(state: UiState): UiState {
  return state.logs ? { ...state, mode: 'logSearch', logs: { ...state.logs, draft: lineAt(state.logs.search) } } : state;
}

/** Enter on the search: kept, and the nearest match above the view's bottom shown. */
export function submitSearch(state: UiState, ctx: KeyContext): UiState {
  if (!state.logs) return closeLogs(state);
  const logs = { ...state.logs, search: state.logs.draft.text, match: undefined };
  if (!logs.search) return { ...state, mode: 'logs', logs: { ...logs, filter: false } };
  const { state: jumped, found } = jumpToMatch(logs, ctx.logs, -1);
  return { ...state, mode: 'logs', logs: jumped, result: found ? undefined : { ok: false, text: `"${sanitize(logs.search)}" is not in the lines held` } };
}

export function cancelSearch(state: UiState): UiState {
  return state.logs ? { ...state, mode: 'logs', logs: { ...state.logs, search: '', filter: false, match: undefined } } : state;
}

export function nextMatch(direction: 1 | -1) {
  return (state: UiState, ctx: KeyContext): UiState => {
    if (!state.logs) return state;
    if (!state.logs.search) return { ...state, result: { ok: false, text: 'no search yet: / to search' } };
    const { state: jumped, found } = jumpToMatch(state.logs, ctx.logs, direction);
    return found ? withLogs(state, jumped) : { ...state, result: { ok: false, text: `no more matches ${direction === 1 ? 'below' : 'above'}` } };
  };
}

export function toggleFilter(state: UiState): UiState {
  if (!state.logs) return state;
  if (!state.logs.search) return { ...state, result: { ok: false, text: '& shows only the lines matching a search: / first' } };
  return withLogs(state, { ...state.logs, filter: !state.logs.filter });
}

export function toggleWrap(state: UiState): UiState {
  return state.logs ? withLogs(state, { ...state.logs, wrap: !state.logs.wrap }) : state;
}

export function startSave(state: UiState): UiState {
  return state.logs ? { ...state, mode: 'logSave', logs: { ...state.logs, draft: lineAt(defaultLogFile(state.logs)) } } : state;
}

export function submitSave(state: UiState): UiState {
  if (!state.logs) return closeLogs(state);
  const path = state.logs.draft.text.trim();
  if (!path) return { ...state, result: { ok: false, text: 'type a file name, or Esc' } };
  return { ...state, mode: 'logs', saveLog: { path } };
}
