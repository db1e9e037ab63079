// The selected allocation: identity, desired and client status with descriptions, previous and
// next allocation, reschedules, a task table, and the focused task's events, newest first.
import React, { useMemo } from 'react';
import { Text } from 'ink';
import stringWidth from 'string-width';
import type { AllocListStub, Allocation } from '../../nomad/types.js';
import { allocationQuery, allocationStatsQuery } from '../../store/queries.js';
import type { StatsSample } from '../../store/allocStats.js';
import { TERMINAL_STATUSES } from '../actions/eligibility.js';
import { reservations, usageLines } from './usageView.js';
import type { WatchState } from '../../store/types.js';
import { useServices } from '../context.js';
import { clip, fit, sanitize, shortId, show } from '../format.js';
import { useWatch } from '../hooks/useWatch.js';
import { Line } from '../Line.js';
import { Pane, paneTitle } from '../Pane.js';
import { statusColour } from '../theme.js';
import { eventRows, taskNames, taskRow } from './taskView.js';

export interface DetailProps {
  /** The settled selection (what the watch follows). */
  allocId: string | undefined;
  /** The list's stub for the row under the cursor: shown at once, before the full read. */
  stub: AllocListStub | undefined;
  width: number;
  height: number;
  focused: boolean;
  taskIndex: number;
  now: number;
}

export function describeWatch(state: WatchState<unknown>, what: string): string | undefined {
  switch (state.status) {
    case 'loading': return `loading ${what}…`;
    case 'gone': return `${what} not found: it may have been garbage-collected`;
    case 'denied': return 'permission denied: check NOMAD_TOKEN (needs read-job)';
    default: return state.data === undefined && state.error ? sanitize(state.error.message) : undefined;
  }
}

export function Detail({ allocId, stub, width, height, focused, taskIndex, now }: DetailProps): React.JSX.Element {
  const { client, theme } = useServices();
  const query = useMemo(() => (allocId ? allocationQuery(client, allocId) : undefined), [client, allocId]);
  const state = useWatch<Allocation>(query);
  const inner = width - 2;
  const alloc: Allocation | undefined = state.data?.ID === stub?.ID || !stub ? state.data : undefined;
  // Stats only while this pane shows a running allocation: polled every 2 s, stopped at once
  // when the selection moves or the allocation ends.
  const running = alloc !== undefined && !TERMINAL_STATUSES.has(alloc.ClientStatus ?? '');
  const stats = useWatch<readonly StatsSample[]>(useMemo(() => (allocId && running ? allocationStatsQuery(client, allocId) : undefined), [client, allocId, running]));
  const head = alloc ?? stub;
  const lines: React.JSX.Element[] = [];
  const push = (key: string, element: React.JSX.Element): void => void lines.push(React.cloneElement(element, { key }));

  push('title', <Line width={inner} bold color={theme.accent} text={paneTitle(head ? `DETAIL  ${show(head.Name)}` : 'DETAIL', focused)} />);
  if (!head) {
    push('none', <Line width={inner} dim text="no allocation selected" />);
  } else {
    push('id', <Line width={inner} text={`id ${show(head.ID)}  eval ${shortId(alloc?.EvalID ?? head.EvalID)}`} />);
    push('ids', <Line width={inner} text={`job ${show(head.JobID)}  group ${show(head.TaskGroup)}  node ${show(head.NodeName)}  ns ${show(head.Namespace)}`} />);
    const desired = `desired ${show(head.DesiredStatus)}${head.DesiredDescription ? ` (${sanitize(head.DesiredDescription)})` : ''}`;
    push('status', (
      <Text wrap="truncate">
        {fit(desired, Math.min(inner, Math.floor(inner / 2)))}
        <Text color={statusColour(theme, head.ClientStatus)}>{fit(`client ${show(head.ClientStatus)}${head.ClientDescription ? ` (${sanitize(head.ClientDescription)})` : ''}`, inner - Math.min(inner, Math.floor(inner / 2)))}</Text>
      </Text>
    ));
    const links = [
      alloc?.PreviousAllocation ? `prev ${shortId(alloc.PreviousAllocation)}` : '',
      head.NextAllocation ? `next ${shortId(head.NextAllocation)}` : '',
      head.RescheduleTracker?.Events?.length ? `rescheduled ${head.RescheduleTracker.Events.length}× (last from ${shortId(head.RescheduleTracker.Events.at(-1)?.PrevAllocID)})` : '',
    ].filter(Boolean);
    if (links.length) push('links', <Line width={inner} text={links.join('  ')} />);
    const problem = describeWatch(state, 'allocation');
    if (!alloc || problem) {
      push('state', <Line width={inner} dim text={problem ?? 'loading allocation…'} color={state.status === 'denied' ? theme.danger : undefined} />);
    }
    if (alloc) {
      const names = taskNames(alloc);
      const focusIndex = Math.min(taskIndex, Math.max(0, names.length - 1));
      const w = [Math.max(8, Math.min(18, inner - 50)), 8, 6, 8, 12, 12];
      const row = (cols: string[]): string => cols.map((c, i) => fit(c, w[i] ?? 8)).join(' ');
      push('taskhead', <Line width={inner} dim text={`  ${row(['TASK', 'STATE', 'FAILED', 'RESTARTS', 'STARTED', 'FINISHED'])}`} />);
      names.forEach((name, i) => {
        const t = taskRow(name, alloc.TaskStates?.[name], now);
        const marker = focused && i === focusIndex ? '▸ ' : '  ';
        push(`task-${name}`, <Line width={inner} text={`${marker}${row([t.name, t.state, t.failed, t.restarts, t.started, t.finished])}`} color={statusColour(theme, t.state === 'dead' && t.failed === 'yes' ? 'failed' : t.state)} />);
      });
      if (names.length === 0) push('notasks', <Line width={inner} dim text="no task states reported" />);
      if (!running) push('usage', <Line width={inner} dim text="USAGE  no stats: not running" />);
      else if (stats.data?.length) {
        for (const [i, line] of usageLines(stats.data, reservations(alloc), names, inner, focused ? names[focusIndex] : undefined).entries()) {
          push(`usage-${i}`, <Line width={inner} bold={i === 0} text={line.text} />);
        }
      } else {
        const problem = stats.status === 'gone' ? 'the client no longer reports this allocation' : stats.error ? sanitize(stats.error.message) : undefined;
        push('usage', <Line width={inner} dim text={problem ? `USAGE  stats unavailable: ${problem}` : 'USAGE  reading stats…'} />);
      }
      const focusName = names[focusIndex];
      if (focusName !== undefined) {
        push('eventhead', <Line width={inner} bold text={`EVENTS  ${sanitize(focusName)}${names.length > 1 ? '  (Tab: next task)' : ''}`} />);
        const events = eventRows(alloc.TaskStates?.[focusName], now);
        const room = Math.max(0, height - 2 - lines.length);
        // Times with a date and without one line up, and the type column is as wide as the
        // longest type shown (at most 18): the messages keep the room a date takes.
        const shown = events.slice(0, room);
        const timeWidth = Math.max(0, ...shown.map((event) => event.time.length));
        const typeWidth = Math.min(18, Math.max(0, ...shown.map((event) => stringWidth(clip(event.type, 19)))));
        for (const [i, event] of shown.entries()) {
          push(`event-${i}`, <Line width={inner} text={`${event.time.padStart(timeWidth)}  ${fit(event.type, typeWidth)}  ${event.message}`} />);
        }
        if (events.length === 0) push('noevents', <Line width={inner} dim text="no events" />);
      }
    }
  }
  return (
    <Pane width={width} height={height} focused={focused}>
      {lines.slice(0, Math.max(0, height - 2))}
    </Pane>
  );
}
