// What the detail pane says about tasks and events: pure, table-tested, no React.
import type { Allocation, TaskEvent, TaskState } from '../../nomad/types.js';
import { formatEventTime, formatSince, MISSING, sanitize, show } from '../format.js';

export interface TaskRow {
  name: string;
  state: string;
  failed: string;
  restarts: string;
  started: string;
  finished: string;
}

/** Task names in a stable order (Go maps have none): alphabetical. */
export function taskNames(alloc: Allocation | undefined): string[] {
  return Object.keys(alloc?.TaskStates ?? {}).sort();
}

export function taskRow(name: string, state: TaskState | undefined, nowMs: number): TaskRow {
  return {
    name: sanitize(name),
    state: show(state?.State),
    failed: state?.Failed === true ? 'yes' : state?.Failed === false ? 'no' : MISSING,
    restarts: typeof state?.Restarts === 'number' ? String(state.Restarts) : MISSING,
    started: formatSince(state?.StartedAt, nowMs),
    finished: formatSince(state?.FinishedAt, nowMs),
  };
}

/** DisplayMessage, or Message / DriverMessage when it is empty (older agents). */
export function eventMessage(event: TaskEvent): string {
  return sanitize(event.DisplayMessage) || sanitize(event.Message) || sanitize(event.DriverMessage) || sanitize(event.RestartReason) || '';
}

export interface EventRow {
  time: string;
  type: string;
  message: string;
}

/** The task's events, newest first (ties: the later-reported first). */
export function sortedEvents(state: TaskState | undefined): TaskEvent[] {
  const list = Array.isArray(state?.Events) ? state.Events : [];
  return list
    .filter((event): event is TaskEvent => Boolean(event) && typeof event === 'object')
    .map((event, i) => ({ event, i }))
    .sort((a, b) => (b.event.Time ?? 0) - (a.event.Time ?? 0) || b.i - a.i)
    .map(({ event }) => event);
}

/** The task's events, newest first. */
/** `time` carries a date unless the event is from today (format.ts formatEventTime). */
export function eventRows(state: TaskState | undefined, nowMs: number): EventRow[] {
  return sortedEvents(state).map((event) => ({ time: formatEventTime(event.Time, nowMs), type: show(event.Type), message: eventMessage(event) }));
}
