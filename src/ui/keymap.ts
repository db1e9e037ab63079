// The one keymap: every shortcut is defined here, once. The reducer dispatches through it and
// the help screen and footer are generated from it.
import { copyId, copyStatusCommand, type Copy } from './actions/clipboard.js';
import { jobRows } from './jobsModel.js';
import type { Key } from './input/keys.js';
import { editLine, lineAt } from './input/lineEditor.js';
import { markRange, markShown, markedAllocations, clearMarks, toggleMark } from './state/marks.js';
import { plural, sanitize } from './format.js';
import { cancelSearch, closeLogs, followEnd, logsTop, moveLogTask, nextMatch, openLogs, pickLogTask, scrollBy as logScroll, startSave, startSearch, stream, submitSave, submitSearch, toggleFilter, toggleWrap } from './logs/logKeys.js';
import { cancelPrompt, choosePrompt, movePrompt, openExec, openPrompt, submitPrompt, withPrompt } from './prompts/promptKeys.js';
import { SORT_COLUMNS } from './listModel.js';
import { moveBy, moveTo, rowsOf, scrollZoom, selectedAlloc, taskCountOf, type KeyContext, type Mode, type UiState } from './state/uiState.js';

export type Section = 'Navigate' | 'View' | 'Marks' | 'Actions' | 'General' | 'Zoomed allocation' | 'Jobs view' | 'Bulk report' | 'Logs' | 'Help screen' | 'Filter line' | 'Namespace picker' | 'Prompts';

export interface Binding {
  /** Key specs: a character ("j", "G", "/"), a key name ("down", "pagedown"), "ctrl+c", or
   * "edit" for every line-editing key (typing and readline's keys, input/lineEditor.ts). */
  keys: readonly string[];
  /** How the help screen and footer name the keys. */
  label: string;
  help: string;
  section: Section;
  /** Shown in the footer's short list. */
  footer?: string;
  modes: readonly Mode[];
  /** Sends a write to Nomad: absent in read-only mode (keys, help and footer alike). */
  mutating?: boolean;
  action: (state: UiState, ctx: KeyContext, key: Key) => UiState;
}

const LIST: readonly Mode[] = ['list'];
const ZOOM: readonly Mode[] = ['zoom'];
const LIST_OR_ZOOM: readonly Mode[] = ['list', 'zoom', 'jobs', 'report', 'logs'];
const LOGS: readonly Mode[] = ['logs'];
const LOG_TASK: readonly Mode[] = ['logTask'];
const REPORT: readonly Mode[] = ['report'];
const JOBS: readonly Mode[] = ['jobs'];
const HELP: readonly Mode[] = ['help'];
const NAMESPACE: readonly Mode[] = ['namespace'];
const FILTERS: readonly Mode[] = ['textFilter', 'serverFilter'];
const PROMPT: readonly Mode[] = ['prompt'];
const PROMPT_TEXT: readonly Mode[] = ['promptText'];
const PROMPTS: readonly Mode[] = ['prompt', 'promptText'];
export const MODES: readonly Mode[] = ['list', 'textFilter', 'serverFilter', 'namespace', 'help', 'prompt', 'promptText', 'zoom', 'jobs', 'report', 'logs', 'logSearch', 'logSave', 'logTask'];
const ANYWHERE: readonly Mode[] = MODES;
/** Modes whose first key clears the last action's result line. */
const CLEARS_RESULT: ReadonlySet<Mode> = new Set(['list', 'zoom', 'jobs', 'report', 'logs']);

export function matches(spec: string, key: Key): boolean {
  if (spec === 'edit') return editLine(lineAt(''), key) !== undefined;
  if (spec.startsWith('ctrl+')) return key.ctrl && key.char === spec.slice(5);
  if (spec.length === 1) return key.name === 'char' && !key.ctrl && key.char === spec;
  return key.name === spec;
}

/** A typing key in a text field: the filter line (the text filter applies as it is typed) or
 * the prompt's signal name. */
function editField(state: UiState, _ctx: KeyContext, key: Key): UiState {
  if ((state.mode === 'logSearch' || state.mode === 'logSave') && state.logs) {
    const draft = editLine(state.logs.draft, key);
    if (!draft) return state;
    // The search applies as it is typed: its matches are marked at once.
    return { ...state, logs: state.mode === 'logSearch' ? { ...state.logs, draft, search: draft.text, match: undefined } : { ...state.logs, draft } };
  }
  if (state.mode === 'promptText' && state.prompt) {
    const draft = editLine(state.prompt.draft, key);
    return draft ? withPrompt(state, { ...state.prompt, draft }) : state;
  }
  const draft = editLine(state.draft, key);
  if (!draft) return state;
  return state.mode === 'textFilter' ? { ...state, draft, textFilter: draft.text } : { ...state, draft };
}

/** Moves the namespace picker's cursor, within its options. */
function moveNamespace(state: UiState, ctx: KeyContext, to: (at: number, count: number) => number): UiState {
  const count = ctx.namespaces.length;
  return { ...state, namespaceCursor: Math.min(Math.max(0, to(state.namespaceCursor, count)), Math.max(0, count - 1)) };
}

function pickNamespace(state: UiState, ctx: KeyContext): UiState {
  const namespace = ctx.namespaces[state.namespaceCursor];
  return namespace === undefined ? { ...state, mode: 'list' } : { ...state, mode: 'list', namespace, cursor: 0 };
}

/** Scrolls the help to `to(scroll)`, kept within its lines. */
const scrollHelp = (to: (at: number, ctx: KeyContext) => number) => (state: UiState, ctx: KeyContext): UiState => ({ ...state, helpScroll: Math.min(Math.max(0, to(state.helpScroll, ctx)), Math.max(0, ctx.help.lines - ctx.help.page)) });

function focusNext(state: UiState, ctx: KeyContext): UiState {
  if (state.focus === 'list') return { ...state, focus: 'detail', taskIndex: 0 };
  if (state.focus === 'detail' && state.taskIndex + 1 < taskCountOf(state, ctx)) return { ...state, taskIndex: state.taskIndex + 1 };
  // The services pane has nothing to select: a Tab stop only when it lists some (Nomad 1.3+).
  if (state.focus === 'detail' && ctx.servicesShown) return { ...state, focus: 'services', servicesCursor: 0 };
  return { ...state, focus: 'list' };
}

function moveOrTask(delta: number) {
  return (state: UiState, ctx: KeyContext): UiState => {
    if (state.focus === 'services') return { ...state, servicesCursor: Math.min(Math.max(0, state.servicesCursor + delta), Math.max(0, (ctx.serviceRows ?? 0) - 1)) };
    const tasks = state.focus === 'detail' ? taskCountOf(state, ctx) : 0;
    if (tasks > 0) return { ...state, taskIndex: Math.min(Math.max(0, state.taskIndex + delta), tasks - 1) };
    return moveBy(state, ctx, delta);
  };
}

/** Puts what `make` says of an allocation (the selected one, or what `pick` names) on the
 * clipboard, with a result line. */
function copy(make: (alloc: NonNullable<ReturnType<typeof selectedAlloc>>) => Copy, pick: (state: UiState, ctx: KeyContext) => ReturnType<typeof selectedAlloc> = selectedAlloc) {
  return (state: UiState, ctx: KeyContext): UiState => {
    const selected = pick(state, ctx);
    if (!selected?.ID) return { ...state, result: { ok: false, text: 'no allocation selected' } };
    const made = make(selected);
    return { ...state, copy: made, result: { ok: true, text: `copied ${made.what} (OSC 52: the terminal's clipboard; in tmux, set -g set-clipboard on)` } };
  };
}

/** y with marks: every marked allocation's ID, one per line. */
function copyMarked(state: UiState, ctx: KeyContext): UiState | undefined {
  const marked = markedAllocations(state, ctx.list);
  if (marked.length === 0) return undefined;
  const made = { text: marked.map((alloc) => sanitize(alloc.ID)).join('\n'), what: `${plural(marked.length, 'marked allocation ID')}` };
  return { ...state, copy: made, result: { ok: true, text: `copied ${made.what}, one per line (OSC 52: the terminal's clipboard; in tmux, set -g set-clipboard on)` } };
}

/** Scrolls the bulk report to `to(scroll)`, kept within its lines. */
const scrollReport = (to: (at: number, ctx: KeyContext) => number) => (state: UiState, ctx: KeyContext): UiState => ({ ...state, reportScroll: Math.min(Math.max(0, to(state.reportScroll, ctx)), Math.max(0, ctx.report.lines - ctx.report.page)) });

/** Opens the selected allocation full screen, at the focused pane's section: the focused
 * task's events, or the services. */
function openZoom(state: UiState, ctx: KeyContext): UiState {
  const selected = selectedAlloc(state, ctx);
  if (!selected?.ID) return { ...state, result: { ok: false, text: 'no allocation selected' } };
  const anchor = state.focus === 'services' ? 'services' : state.focus === 'detail' && taskCountOf(state, ctx) > 0 ? `task:${state.taskIndex}` : undefined;
  return { ...state, mode: 'zoom', zoom: anchor ? { id: selected.ID, scroll: 0, anchor } : { id: selected.ID, scroll: 0 } };
}

/** Follows a link of the zoomed allocation (its previous or next allocation). */
function follow(link: 'previous' | 'next') {
  return (state: UiState, ctx: KeyContext): UiState => {
    const id = ctx.zoom[link];
    if (!id) return { ...state, result: { ok: false, text: `this allocation has no ${link} allocation` } };
    return { ...state, zoom: { id, scroll: 0 }, result: undefined };
  };
}

/** Moves the jobs view's cursor, within its rows. */
function moveJob(state: UiState, ctx: KeyContext, to: (cursor: number, count: number) => number): UiState {
  const count = jobRows(ctx.list).length;
  return { ...state, jobsCursor: Math.min(Math.max(0, to(state.jobsCursor, count)), Math.max(0, count - 1)) };
}

/** Enter on a job row: the list, narrowed to that job's group. */
function pickJob(state: UiState, ctx: KeyContext): UiState {
  const row = jobRows(ctx.list)[state.jobsCursor];
  if (!row) return { ...state, mode: 'list' };
  return { ...state, mode: 'list', jobFilter: row.key, cursor: 0, selectedId: undefined };
}

const scrollBy = (lines: (ctx: KeyContext) => number) => (state: UiState, ctx: KeyContext): UiState => scrollZoom(state, ctx, (state.zoom?.scroll ?? 0) + lines(ctx));

export const KEYMAP: readonly Binding[] = [
  { keys: ['j', 'down'], label: 'j/↓', help: 'next allocation (next task when the detail has focus, next service or check when the services have it)', section: 'Navigate', footer: 'j/k move', modes: LIST, action: moveOrTask(1) },
  { keys: ['k', 'up'], label: 'k/↑', help: 'previous allocation (previous task when the detail has focus)', section: 'Navigate', modes: LIST, action: moveOrTask(-1) },
  { keys: ['pagedown', 'ctrl+f'], label: 'PgDn', help: 'one page down', section: 'Navigate', modes: LIST, action: (s, c) => moveBy(s, c, Math.max(1, c.pageSize - 1)) },
  { keys: ['pageup', 'ctrl+b'], label: 'PgUp', help: 'one page up', section: 'Navigate', modes: LIST, action: (s, c) => moveBy(s, c, -Math.max(1, c.pageSize - 1)) },
  { keys: ['g', 'home'], label: 'g/Home', help: 'first allocation', section: 'Navigate', modes: LIST, action: (s, c) => moveTo(s, c, 0) },
  { keys: ['G', 'end'], label: 'G/End', help: 'last allocation', section: 'Navigate', modes: LIST, action: (s, c) => moveTo(s, c, rowsOf(s, c).rows.length - 1) },
  { keys: ['tab'], label: 'Tab', help: 'focus the next pane or task', section: 'Navigate', footer: 'Tab focus', modes: LIST, action: focusNext },
  { keys: ['enter', 'z'], label: 'Enter/z', help: 'open full screen: the allocation, at the focused task\'s events or the services; every event in full, links', section: 'View', footer: 'Enter zoom', modes: LIST, action: openZoom },
  { keys: ['l'], label: 'l', help: "the task's logs, following (the focused task, the only one, or a choice)", section: 'View', footer: 'l logs', modes: ['list', 'zoom'], action: openLogs },
  { keys: ['J'], label: 'J', help: 'jobs view: allocations grouped by job and group, counted by status', section: 'View', footer: 'J jobs', modes: LIST, action: (s, c) => ({ ...s, mode: 'jobs', jobsCursor: Math.max(0, jobRows(c.list).findIndex((row) => row.key === s.jobFilter)) }) },
  { keys: ['/'], label: '/', help: 'filter the list by text (Enter keeps, Esc clears)', section: 'View', footer: '/ filter', modes: LIST, action: (s) => ({ ...s, mode: 'textFilter', draft: lineAt(s.textFilter) }) },
  { keys: ['f'], label: 'f', help: 'edit the server-side Nomad filter expression', section: 'View', footer: 'f expr', modes: LIST, action: (s) => ({ ...s, mode: 'serverFilter', draft: lineAt(s.serverFilter) }) },
  { keys: ['n'], label: 'n', help: 'switch namespace (* for all)', section: 'View', footer: 'n namespace', modes: LIST, action: (s, c) => ({ ...s, mode: 'namespace', namespaceCursor: Math.max(0, c.namespaces.indexOf(s.namespace)) }) },
  {
    keys: ['o'], label: 'o', help: 'sort by the next column on screen (the header marks it)', section: 'View', modes: LIST,
    action: (s, c) => {
      const columns = c.sortable.length ? c.sortable : SORT_COLUMNS;
      return { ...s, sort: { ...s.sort, column: columns[(columns.indexOf(s.sort.column) + 1) % columns.length] ?? 'changed' } };
    },
  },
  { keys: ['O'], label: 'O', help: 'reverse the sort order', section: 'View', modes: LIST, action: (s) => ({ ...s, sort: { ...s.sort, descending: !s.sort.descending } }) },
  { keys: ['escape'], label: 'Esc', help: 'clear the text filter, then the job, then the marks', section: 'View', modes: LIST, action: (s) => (s.textFilter || s.focus !== 'list' ? { ...s, textFilter: '', focus: 'list' } : s.jobFilter ? { ...s, jobFilter: '' } : clearMarks(s)) },
  { keys: [' '], label: 'Space', help: 'mark or unmark the allocation, and move down: s, r and S then act on every marked one', section: 'Marks', footer: 'Space mark', modes: LIST, action: toggleMark },
  { keys: ['v', 'ctrl+`'], label: 'v/Ctrl-Space', help: 'mark every row from the last one Space marked to here', section: 'Marks', modes: LIST, action: markRange },
  { keys: ['*'], label: '*', help: 'mark every row the filters show (again: unmark them)', section: 'Marks', modes: LIST, action: markShown },
  { keys: ['u'], label: 'u', help: 'unmark all (Esc does too, once no filter is left to clear)', section: 'Marks', modes: LIST, action: clearMarks },
  { keys: ['R'], label: 'R', help: 'the last bulk action\'s report: what happened to each allocation', section: 'Marks', modes: LIST, action: (s) => (s.report ? { ...s, mode: 'report', reportScroll: 0 } : { ...s, result: { ok: false, text: 'no bulk action yet: mark allocations with Space, then s, r or S' } }) },
  { keys: ['s'], label: 's', help: 'stop the allocation (asks first)', section: 'Actions', footer: 's stop', modes: LIST, mutating: true, action: openPrompt('stop') },
  { keys: ['r'], label: 'r', help: 'restart running tasks, all tasks, or one task (asks first)', section: 'Actions', footer: 'r restart', modes: LIST, mutating: true, action: openPrompt('restart') },
  { keys: ['S'], label: 'S', help: 'send a signal to one task or all (asks first)', section: 'Actions', footer: 'S signal', modes: LIST, mutating: true, action: openPrompt('signal') },
  { keys: ['x'], label: 'x', help: 'exec: a shell (or any command) in the task, the terminal handed over until it exits; ~. after Enter ends a hung session', section: 'Actions', footer: 'x exec', modes: LIST, mutating: true, action: openExec },
  { keys: ['y'], label: 'y', help: 'copy the full allocation ID to the clipboard (with marks: every marked ID)', section: 'Actions', footer: 'y copy', modes: LIST, action: (s, c) => copyMarked(s, c) ?? copy(copyId)(s, c) },
  { keys: ['Y'], label: 'Y', help: 'copy the "nomad alloc status" command for it', section: 'Actions', modes: LIST, action: copy(copyStatusCommand) },
  { keys: ['?'], label: '?', help: 'this help', section: 'General', footer: '? help', modes: LIST_OR_ZOOM, action: (s) => ({ ...s, mode: 'help', helpScroll: 0, helpFrom: s.mode === 'jobs' || s.mode === 'report' || s.mode === 'logs' ? s.mode : 'list' }) },
  { keys: ['q'], label: 'q', help: 'quit', section: 'General', footer: 'q quit', modes: LIST_OR_ZOOM, action: (s) => ({ ...s, quit: true }) },
  { keys: ['ctrl+c'], label: 'Ctrl-C', help: 'quit from anywhere', section: 'General', modes: ANYWHERE, action: (s) => ({ ...s, quit: true }) },
  { keys: ['ctrl+z'], label: 'Ctrl-Z', help: 'suspend to the shell; fg brings the console back', section: 'General', modes: ANYWHERE, action: (s) => ({ ...s, suspends: s.suspends + 1 }) },
  { keys: ['j', 'down'], label: 'j/k ↓/↑', help: 'scroll a line', section: 'Zoomed allocation', footer: 'j/k scroll', modes: ZOOM, action: scrollBy(() => 1) },
  { keys: ['k', 'up'], label: '', help: '', section: 'Zoomed allocation', modes: ZOOM, action: scrollBy(() => -1) },
  { keys: ['pagedown', 'ctrl+f', ' '], label: 'PgDn/PgUp', help: 'scroll a page', section: 'Zoomed allocation', modes: ZOOM, action: scrollBy((c) => Math.max(1, c.zoom.page - 1)) },
  { keys: ['pageup', 'ctrl+b'], label: '', help: '', section: 'Zoomed allocation', modes: ZOOM, action: scrollBy((c) => -Math.max(1, c.zoom.page - 1)) },
  { keys: ['g', 'home'], label: 'g/G', help: 'top / bottom', section: 'Zoomed allocation', modes: ZOOM, action: (s, c) => scrollZoom(s, c, 0) },
  { keys: ['G', 'end'], label: '', help: '', section: 'Zoomed allocation', modes: ZOOM, action: (s, c) => scrollZoom(s, c, c.zoom.lines) },
  { keys: ['<'], label: '<', help: 'go to the previous allocation (the one this replaced)', section: 'Zoomed allocation', footer: '< prev', modes: ZOOM, action: follow('previous') },
  { keys: ['>'], label: '>', help: 'go to the next allocation (its replacement)', section: 'Zoomed allocation', footer: '> next', modes: ZOOM, action: follow('next') },
  { keys: ['y'], label: 'y', help: 'copy its full ID', section: 'Zoomed allocation', footer: 'y copy', modes: ZOOM, action: copy(copyId, (s) => (s.zoom ? { ID: s.zoom.id } : undefined)) },
  { keys: ['escape', 'enter'], label: 'Esc', help: 'back to the list', section: 'Zoomed allocation', footer: 'Esc back', modes: ZOOM, action: (s) => ({ ...s, mode: 'list', zoom: undefined }) },
  { keys: ['j', 'down'], label: 'j/k ↓/↑', help: 'next / previous job', section: 'Jobs view', footer: 'j/k move', modes: JOBS, action: (s, c) => moveJob(s, c, (at) => at + 1) },
  { keys: ['k', 'up'], label: '', help: '', section: 'Jobs view', modes: JOBS, action: (s, c) => moveJob(s, c, (at) => at - 1) },
  { keys: ['pagedown', 'ctrl+f'], label: 'PgDn/PgUp', help: 'a page down / up', section: 'Jobs view', modes: JOBS, action: (s, c) => moveJob(s, c, (at) => at + Math.max(1, c.pageSize - 1)) },
  { keys: ['pageup', 'ctrl+b'], label: '', help: '', section: 'Jobs view', modes: JOBS, action: (s, c) => moveJob(s, c, (at) => at - Math.max(1, c.pageSize - 1)) },
  { keys: ['g', 'home'], label: 'g/G', help: 'first / last job', section: 'Jobs view', modes: JOBS, action: (s, c) => moveJob(s, c, () => 0) },
  { keys: ['G', 'end'], label: '', help: '', section: 'Jobs view', modes: JOBS, action: (s, c) => moveJob(s, c, (_at, count) => count - 1) },
  { keys: ['enter'], label: 'Enter', help: "the job's allocations (Esc in the list clears it)", section: 'Jobs view', footer: 'Enter allocations', modes: JOBS, action: pickJob },
  { keys: ['escape', 'J'], label: 'Esc', help: 'back to the list', section: 'Jobs view', footer: 'Esc back', modes: JOBS, action: (s) => ({ ...s, mode: 'list' }) },
  { keys: ['j', 'down'], label: 'j/k ↓/↑', help: 'scroll a line', section: 'Bulk report', footer: 'j/k scroll', modes: REPORT, action: scrollReport((at) => at + 1) },
  { keys: ['k', 'up'], label: '', help: '', section: 'Bulk report', modes: REPORT, action: scrollReport((at) => at - 1) },
  { keys: ['pagedown', 'ctrl+f', ' '], label: 'PgDn/PgUp', help: 'scroll a page', section: 'Bulk report', modes: REPORT, action: scrollReport((at, c) => at + Math.max(1, c.report.page - 1)) },
  { keys: ['pageup', 'ctrl+b'], label: '', help: '', section: 'Bulk report', modes: REPORT, action: scrollReport((at, c) => at - Math.max(1, c.report.page - 1)) },
  { keys: ['g', 'home'], label: 'g/G', help: 'top / bottom', section: 'Bulk report', modes: REPORT, action: scrollReport(() => 0) },
  { keys: ['G', 'end'], label: '', help: '', section: 'Bulk report', modes: REPORT, action: scrollReport((_at, c) => c.report.lines) },
  { keys: ['escape', 'R'], label: 'Esc', help: 'back to the list', section: 'Bulk report', footer: 'Esc back', modes: REPORT, action: (s) => ({ ...s, mode: 'list' }) },
  { keys: ['j', 'down'], label: 'j/k ↓/↑', help: 'scroll a line (up pauses following; down past the end follows again)', section: 'Logs', footer: 'j/k scroll', modes: LOGS, action: logScroll(() => 1) },
  { keys: ['k', 'up'], label: '', help: '', section: 'Logs', modes: LOGS, action: logScroll(() => -1) },
  { keys: ['pagedown', 'ctrl+f', ' '], label: 'PgDn/PgUp', help: 'scroll a page', section: 'Logs', modes: LOGS, action: logScroll((c) => Math.max(1, c.logs.page - 1)) },
  { keys: ['pageup', 'ctrl+b'], label: '', help: '', section: 'Logs', modes: LOGS, action: logScroll((c) => -Math.max(1, c.logs.page - 1)) },
  { keys: ['g', 'home'], label: 'g', help: 'the first line held; older output loads from there', section: 'Logs', modes: LOGS, action: logsTop },
  { keys: ['G', 'end'], label: 'G/End', help: 'follow the end again', section: 'Logs', footer: 'G follow', modes: LOGS, action: followEnd },
  { keys: ['o'], label: 'o/e/Tab', help: 'stdout / stderr / the other one', section: 'Logs', footer: 'o/e stdout/stderr', modes: LOGS, action: stream('stdout') },
  { keys: ['e'], label: '', help: '', section: 'Logs', modes: LOGS, action: stream('stderr') },
  { keys: ['tab'], label: '', help: '', section: 'Logs', modes: LOGS, action: stream('other') },
  { keys: ['/'], label: '/', help: 'search as you type, matches marked (Enter keeps it and shows the nearest match above; Esc clears)', section: 'Logs', footer: '/ search', modes: LOGS, action: startSearch },
  { keys: ['n'], label: 'n/N', help: 'next / previous match', section: 'Logs', modes: LOGS, action: nextMatch(1) },
  { keys: ['N'], label: '', help: '', section: 'Logs', modes: LOGS, action: nextMatch(-1) },
  { keys: ['&'], label: '&', help: 'show only the lines that match the search (again: all)', section: 'Logs', modes: LOGS, action: toggleFilter },
  { keys: ['W'], label: 'W', help: 'wrap long lines (again: cut them)', section: 'Logs', modes: LOGS, action: toggleWrap },
  { keys: ['w'], label: 'w', help: 'write what is loaded to a file you name (never over an existing one)', section: 'Logs', footer: 'w save', modes: LOGS, action: startSave },
  { keys: ['escape'], label: 'Esc', help: 'back to where you were', section: 'Logs', footer: 'Esc back', modes: LOGS, action: closeLogs },
  { keys: ['enter'], label: 'Enter', help: 'keep the search / save to that file', section: 'Logs', footer: 'Enter keep', modes: ['logSearch'], action: submitSearch },
  { keys: ['escape'], label: '', help: '', section: 'Logs', footer: 'Esc clear', modes: ['logSearch'], action: cancelSearch },
  { keys: ['enter'], label: '', help: '', section: 'Logs', footer: 'Enter save', modes: ['logSave'], action: submitSave },
  { keys: ['escape'], label: '', help: '', section: 'Logs', footer: 'Esc cancel', modes: ['logSave'], action: (s) => ({ ...s, mode: 'logs' }) },
  { keys: ['j', 'down'], label: 'j/k', help: 'pick the task whose logs to show (Enter), Esc cancels', section: 'Logs', footer: 'j/k choose', modes: LOG_TASK, action: (s, c) => moveLogTask(s, c, 1) },
  { keys: ['k', 'up'], label: '', help: '', section: 'Logs', modes: LOG_TASK, action: (s, c) => moveLogTask(s, c, -1) },
  { keys: ['enter'], label: '', help: '', section: 'Logs', footer: 'Enter show', modes: LOG_TASK, action: pickLogTask },
  { keys: ['escape', 'q'], label: '', help: '', section: 'Logs', footer: 'Esc cancel', modes: LOG_TASK, action: closeLogs },
  // Back to where help was opened: the zoomed allocation, the jobs view or the list.
  { keys: ['escape', '?', 'q'], label: 'Esc/?/q', help: 'close the help', section: 'Help screen', footer: 'Esc close', modes: HELP, action: (s) => ({ ...s, mode: s.helpFrom === 'logs' && s.logs ? 'logs' : s.zoom ? 'zoom' : s.helpFrom }) },
  { keys: ['j', 'down'], label: 'j/k ↓/↑', help: 'scroll a line', section: 'Help screen', footer: 'j/k scroll', modes: HELP, action: scrollHelp((at) => at + 1) },
  { keys: ['k', 'up'], label: '', help: '', section: 'Help screen', modes: HELP, action: scrollHelp((at) => at - 1) },
  { keys: ['pagedown', 'ctrl+f', ' '], label: 'PgDn/PgUp', help: 'scroll a page', section: 'Help screen', modes: HELP, action: scrollHelp((at, c) => at + c.help.page) },
  { keys: ['pageup', 'ctrl+b'], label: '', help: '', section: 'Help screen', modes: HELP, action: scrollHelp((at, c) => at - c.help.page) },
  { keys: ['g', 'home'], label: 'g/G', help: 'top / bottom', section: 'Help screen', modes: HELP, action: scrollHelp(() => 0) },
  { keys: ['G', 'end'], label: '', help: '', section: 'Help screen', modes: HELP, action: scrollHelp((_at, c) => c.help.lines) },
  { keys: ['enter'], label: 'Enter', help: 'apply the filter (the text filter applies as you type)', section: 'Filter line', footer: 'Enter apply', modes: FILTERS, action: (s) => (s.mode === 'textFilter' ? { ...s, mode: 'list', textFilter: s.draft.text } : { ...s, mode: 'list', serverFilter: s.draft.text.trim() }) },
  { keys: ['escape'], label: 'Esc', help: 'clear the text filter; leave the Nomad filter as it was', section: 'Filter line', footer: 'Esc clear', modes: ['textFilter'], action: (s) => ({ ...s, mode: 'list', textFilter: '', draft: lineAt('') }) },
  { keys: ['escape'], label: '', help: '', section: 'Filter line', footer: 'Esc cancel', modes: ['serverFilter'], action: (s) => ({ ...s, mode: 'list', draft: lineAt(s.serverFilter) }) },
  { keys: ['edit'], label: 'Ctrl-A/E …', help: 'edit as in a shell: ←/→ Ctrl-A/E move, Ctrl-U/K delete to start/end, Ctrl-W a word (every text field)', section: 'Filter line', modes: [...FILTERS, ...PROMPT_TEXT, 'logSearch', 'logSave'], action: editField },
  { keys: ['j', 'down'], label: 'j/k ↓/↑', help: 'next / previous namespace', section: 'Namespace picker', footer: 'j/k choose', modes: NAMESPACE, action: (s, c) => moveNamespace(s, c, (at) => at + 1) },
  { keys: ['k', 'up'], label: '', help: '', section: 'Namespace picker', modes: NAMESPACE, action: (s, c) => moveNamespace(s, c, (at) => at - 1) },
  { keys: ['g', 'home'], label: 'g/G', help: 'first / last', section: 'Namespace picker', modes: NAMESPACE, action: (s, c) => moveNamespace(s, c, () => 0) },
  { keys: ['G', 'end'], label: '', help: '', section: 'Namespace picker', modes: NAMESPACE, action: (s, c) => moveNamespace(s, c, (_at, count) => count - 1) },
  { keys: ['enter'], label: 'Enter', help: 'switch to it', section: 'Namespace picker', footer: 'Enter switch', modes: NAMESPACE, action: pickNamespace },
  { keys: ['escape', 'q'], label: 'Esc', help: 'keep the namespace', section: 'Namespace picker', footer: 'Esc cancel', modes: NAMESPACE, action: (s) => ({ ...s, mode: 'list' }) },
  // Prompts send writes: in read-only mode they never open, and help leaves them out.
  { keys: ['j', 'down', 'tab'], label: 'j/k ↓/↑', help: 'highlight the next / previous option (Cancel is first)', section: 'Prompts', footer: 'j/k move', modes: PROMPT, mutating: true, action: movePrompt((at) => at + 1) },
  { keys: ['k', 'up', 'backtab'], label: '', help: '', section: 'Prompts', modes: PROMPT, mutating: true, action: movePrompt((at) => at - 1) },
  { keys: ['g', 'home'], label: 'g/G', help: 'first / last option', section: 'Prompts', modes: PROMPT, mutating: true, action: movePrompt(() => 0) },
  { keys: ['G', 'end'], label: '', help: '', section: 'Prompts', modes: PROMPT, mutating: true, action: movePrompt((_at, count) => count - 1) },
  { keys: ['enter'], label: 'Enter', help: 'choose the highlighted option (only this sends anything)', section: 'Prompts', footer: 'Enter choose', modes: PROMPT, mutating: true, action: choosePrompt },
  { keys: ['enter'], label: '', help: '', section: 'Prompts', footer: 'Enter continue', modes: PROMPT_TEXT, mutating: true, action: submitPrompt },
  { keys: ['escape', 'q'], label: 'Esc/q', help: 'cancel: nothing is sent (q types in a text field); while marked ones are being sent, send no more (j/k still move the list)', section: 'Prompts', footer: 'Esc cancel', modes: PROMPT, mutating: true, action: cancelPrompt },
  { keys: ['escape'], label: '', help: '', section: 'Prompts', footer: 'Esc cancel', modes: PROMPT_TEXT, mutating: true, action: cancelPrompt },
];

/** The bindings that exist in this session: no action keys in read-only mode. */
export function bindingsFor(readOnly: boolean): readonly Binding[] {
  return readOnly ? KEYMAP.filter((binding) => !binding.mutating) : KEYMAP;
}

/** Each mode's bindings, in the table's order, the keys that act everywhere first. */
const BY_MODE: ReadonlyMap<Mode, readonly Binding[]> = new Map(MODES.map((mode) => [mode, [...KEYMAP.filter((b) => b.modes === ANYWHERE), ...KEYMAP.filter((b) => b.modes !== ANYWHERE && b.modes.includes(mode))]]));

/** Applies one key to the state: the first binding of the state's mode that matches it. */
export function reduceKey(state: UiState, key: Key, ctx: KeyContext): UiState {
  // An exec session owns the terminal: no key is the console's until it ends (its runner does
  // not let the console read them; this holds if one slips through).
  if (state.prompt?.send?.kind === 'exec') return state;
  const binding = BY_MODE.get(state.mode)?.find((b) => b.keys.some((spec) => matches(spec, key)));
  if (binding?.modes === ANYWHERE) return binding.action(state, ctx, key);
  if (state.prompt && PROMPTS.includes(state.mode)) {
    // Keys that came in the same read as the one that opened the prompt (or changed its step)
    // are dropped: the user has not seen what they would act on (a pasted "s\r" must not
    // stop anything). The prompt says how many. While its request is in flight, none acts.
    if (ctx.read === state.prompt.read) return withPrompt(state, { ...state.prompt, dropped: state.prompt.dropped + 1 });
    // A bulk send in flight: Esc sends no more (what was sent stays sent), and the list can be
    // moved through meanwhile.
    if (state.prompt.send && state.prompt.progress) {
      if (key.name === 'escape') return withPrompt(state, { ...state.prompt, progress: { ...state.prompt.progress, stopping: true } });
      const move = BY_MODE.get('list')?.find((b) => b.section === 'Navigate' && b.keys.some((spec) => matches(spec, key)));
      return move ? move.action(state, ctx, key) : state;
    }
    if (state.prompt.send) return state;
  }
  const cleared = state.result && CLEARS_RESULT.has(state.mode) ? { ...state, result: undefined } : state;
  // Read-only: the action keys are gone from help and footer; pressed anyway, they say why.
  if (binding?.mutating && ctx.readOnly) return { ...cleared, result: { ok: false, text: `read-only: ${binding.footer?.split(' ').slice(1).join(' ') ?? binding.label} is disabled (alloctop runs with --read-only)` } };
  return binding ? binding.action(cleared, ctx, key) : cleared;
}
