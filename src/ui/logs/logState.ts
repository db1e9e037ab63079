// The log view as UI state, moved by the keymap (modes logs, logSearch, logSave, logTask):
// which allocation's task and stream, where the view is (following the end, or paused at a
// line), the search and whether it filters, wrap, and the file name being typed for `w`.
// Lines are numbered absolutely (the feed's `base`), so a paused view stays on its lines while
// the feed drops old ones or loads older ones in front.
import { lineAt, type LineText } from '../input/lineEditor.js';
import { plainLogText } from '../../store/logText.js';

export interface LogState {
  allocId: string;
  /** The allocation's name and namespace, for the title and the token's errors. */
  name: string;
  namespace: string;
  task: string;
  type: 'stdout' | 'stderr';
  /** The first line shown (absolute), or undefined while following the end. */
  top: number | undefined;
  /** The feed's count of finished lines when the view paused (for "N new lines"). */
  pausedAt: number;
  search: string;
  /** Only lines matching the search are shown (`&`). */
  filter: boolean;
  wrap: boolean;
  /** The line the last n/N landed on (absolute), highlighted. */
  match: number | undefined;
  /** The search or file name being typed. */
  draft: LineText;
  /** Where Esc goes back to. */
  from: 'list' | 'zoom';
}

/** What the log keys need of the feed as it is when the key arrives. */
export interface LogContext {
  lines: readonly string[];
  base: number;
  /** Rows of text the view shows. */
  page: number;
  appended: number;
}

export const NO_LOG_CONTEXT: LogContext = { lines: [], base: 0, page: 1, appended: 0 };

export function openLogState(allocId: string, name: string, namespace: string, task: string, from: 'list' | 'zoom'): LogState {
  return { allocId, name, namespace, task, type: 'stdout', top: undefined, pausedAt: 0, search: '', filter: false, wrap: false, match: undefined, draft: lineAt(''), from };
}

/** Whether `line` matches `search` (case-insensitive unless the search has a capital). */
export function matcher(search: string): ((line: string) => boolean) | undefined {
  if (!search) return undefined;
  const caseSensitive = search !== search.toLowerCase();
  const needle = caseSensitive ? search : search.toLowerCase();
  return (line) => (caseSensitive ? plainLogText(line) : plainLogText(line).toLowerCase()).includes(needle);
}

/** The lines the view can show, by absolute number: all of them (a range, no array: 50,000
 * lines a second may arrive), or the matching ones. */
export interface ShownLines {
  count: number;
  /** The absolute number of the i-th shown line. */
  at(i: number): number | undefined;
  /** The index of the first shown line numbered n or more (count when none). */
  from(n: number): number;
}

export function shownLines(state: LogState, ctx: LogContext): ShownLines {
  const test = state.filter ? matcher(state.search) : undefined;
  if (!test) {
    const count = ctx.lines.length;
    return { count, at: (i) => (i >= 0 && i < count ? ctx.base + i : undefined), from: (n) => Math.min(count, Math.max(0, n - ctx.base)) };
  }
  const numbers: number[] = [];
  for (let i = 0; i < ctx.lines.length; i++) if (test(ctx.lines[i] as string)) numbers.push(ctx.base + i);
  return {
    count: numbers.length,
    at: (i) => numbers[i],
    from: (n) => {
      let lo = 0;
      let hi = numbers.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if ((numbers[mid] as number) < n) lo = mid + 1;
        else hi = mid;
      }
      return lo;
    },
  };
}

/** While following, the newest line is the last row: each new line moves the view up one,
 * which the terminal does itself as a scroll (render/scrollOptimizer.ts), so a new line costs
 * about its own bytes. */
export function followTop(count: number, page: number): number {
  return Math.max(0, count - page);
}

/** The first shown line's index for this state (following: see followTop). */
export function topIndex(state: LogState, shown: ShownLines, page: number): number {
  const last = Math.max(0, shown.count - page);
  if (state.top === undefined) return state.wrap ? last : followTop(shown.count, page);
  let at = shown.from(state.top);
  if (at >= shown.count) at = shown.count - 1;
  return Math.max(0, Math.min(at, last));
}

/** Scrolls by `delta` lines; past the end it follows again, anywhere else it is paused. */
export function scrollLogs(state: LogState, ctx: LogContext, delta: number): LogState {
  const shown = shownLines(state, ctx);
  const last = Math.max(0, shown.count - ctx.page);
  const at = topIndex(state, shown, ctx.page) + delta;
  if (at >= last && delta > 0) return follow(state);
  const top = shown.at(Math.max(0, Math.min(at, last)));
  if (top === undefined) return state;
  return { ...state, top, pausedAt: state.top === undefined ? ctx.appended : state.pausedAt };
}

export function follow(state: LogState): LogState {
  return { ...state, top: undefined, match: undefined };
}

/** To the first line held (older ones load from there). */
export function toTop(state: LogState, ctx: LogContext): LogState {
  return { ...state, top: ctx.base, pausedAt: state.top === undefined ? ctx.appended : state.pausedAt };
}

/** n / N: the next match below (or above) the last one; with none yet, from the top (or the
 * bottom) of the view. The match is shown a third of the way down, the view paused. */
export function jumpToMatch(state: LogState, ctx: LogContext, direction: 1 | -1): { state: LogState; found: boolean } {
  const test = matcher(state.search);
  if (!test) return { state, found: false };
  const shown = shownLines(state, ctx);
  const at = topIndex(state, shown, ctx.page);
  const viewTop = shown.at(at) ?? ctx.base;
  const viewBottom = shown.at(Math.min(shown.count - 1, at + ctx.page - 1)) ?? viewTop;
  const start = state.match !== undefined ? state.match + direction : direction === 1 ? viewTop : viewBottom;
  for (let n = start; n >= ctx.base && n < ctx.base + ctx.lines.length; n += direction) {
    if (!test(ctx.lines[n - ctx.base] as string)) continue;
    const top = Math.max(ctx.base, n - Math.floor(ctx.page / 3));
    return { state: { ...state, match: n, top, pausedAt: state.top === undefined ? ctx.appended : state.pausedAt }, found: true };
  }
  return { state, found: false };
}

/** `w`'s default file name, in the current directory. */
export function defaultLogFile(state: LogState): string {
  const safe = (text: string): string => text.replace(/[^A-Za-z0-9._-]+/g, '_');
  return `alloctop-${safe(state.allocId.slice(0, 8))}-${safe(state.task)}-${state.type}.log`;
}
