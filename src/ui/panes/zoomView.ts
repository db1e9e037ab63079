// What the zoomed allocation (Enter on a row) says, as lines for the full screen: identity with
// full IDs, desired and client status with their descriptions, links (previous and next
// allocation, the reschedule chain), every task, every event of every task newest first with
// its date and its whole message wrapped, and the services. Pure, table-tested, no React.
import type { AllocListStub, Allocation, ServiceRegistration } from '../../nomad/types.js';
import { MISSING, sanitize, show, wrap } from '../format.js';
import { eventMessage, sortedEvents, taskNames, taskRow } from './taskView.js';

export type ZoomTone = 'title' | 'heading' | 'dim' | 'status';

export interface ZoomLine {
  text: string;
  tone?: ZoomTone;
  /** For 'status' lines: the status whose colour the line takes. */
  status?: string;
  /** Where `z` on a pane opens the zoom: `task:N` (the Nth task's events), `services`. */
  anchor?: string;
}

/** The first line of the section `anchor` names, if the lines have it. */
export function anchorLine(lines: readonly ZoomLine[], anchor: string): number | undefined {
  const at = lines.findIndex((line) => line.anchor === anchor);
  return at === -1 ? undefined : at;
}

/** The zoomed allocation's links, for the keys that follow them. */
export interface ZoomLinks {
  previous: string | undefined;
  next: string | undefined;
}

export function zoomLinks(alloc: Allocation | undefined): ZoomLinks {
  return { previous: alloc?.PreviousAllocation || undefined, next: alloc?.NextAllocation || undefined };
}

/** "2026-12-01 09:54:41" (local time) of a nanosecond timestamp: events from days ago read as such. */
export function formatStamp(timeNs: number | null | undefined): string {
  if (!timeNs || !Number.isFinite(timeNs)) return '----------  --:--:--';
  const date = new Date(timeNs / 1e6);
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())} ${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`;
}

export function zoomLines(alloc: Allocation | undefined, stub: AllocListStub | undefined, services: readonly ServiceRegistration[] | undefined, width: number, nowMs: number, problem?: string): ZoomLine[] {
  const head = alloc ?? stub;
  const lines: ZoomLine[] = [];
  const add = (text: string, tone?: ZoomTone, status?: string): void => void lines.push({ text, tone, status });
  const wrapped = (text: string, indent: string, tone?: ZoomTone, status?: string): void => {
    for (const [i, part] of wrap(text, Math.max(10, width - indent.length)).entries()) add(`${i === 0 ? '' : indent}${part}`, tone, status);
  };
  add(`ALLOCATION  ${show(head?.Name)}`, 'title');
  if (!head) {
    add(problem ?? 'loading allocation…', 'dim');
    return lines;
  }
  add(`id      ${show(head.ID)}`);
  add(`eval    ${show(alloc?.EvalID ?? head.EvalID)}`);
  add(`job     ${show(head.JobID)}  group ${show(head.TaskGroup)}  namespace ${show(head.Namespace)}`);
  add(`node    ${show(head.NodeName)}  ${show(head.NodeID)}`);
  add(`created ${formatStamp(head.CreateTime)}  modified ${formatStamp(head.ModifyTime)}`);
  wrapped(`desired ${show(head.DesiredStatus)}${head.DesiredDescription ? ` — ${sanitize(head.DesiredDescription)}` : ''}`, '        ');
  wrapped(`client  ${show(head.ClientStatus)}${head.ClientDescription ? ` — ${sanitize(head.ClientDescription)}` : ''}`, '        ', 'status', sanitize(head.ClientStatus));
  if (problem) add(problem, 'dim');
  if (!alloc) return lines;

  const { previous, next } = zoomLinks(alloc);
  const chain = (alloc.RescheduleTracker?.Events ?? []).filter((event) => event && typeof event === 'object').map((event) => show(event.PrevAllocID));
  add(`links   < previous ${previous ? sanitize(previous) : MISSING}   > next ${next ? sanitize(next) : MISSING}`);
  if (chain.length) wrapped(`rescheduled ${chain.length}×: ${[...chain, show(alloc.ID)].join(' → ')}`, '        ');

  add('');
  add('TASKS', 'heading');
  const names = taskNames(alloc);
  if (names.length === 0) add('no task states reported', 'dim');
  for (const name of names) {
    const t = taskRow(name, alloc.TaskStates?.[name], nowMs);
    wrapped(`  ${t.name}  ${t.state}  failed ${t.failed}  restarts ${t.restarts}  started ${t.started}  finished ${t.finished}`, '    ', 'status', t.state === 'dead' && t.failed === 'yes' ? 'failed' : t.state);
  }
  for (const [index, name] of names.entries()) {
    add('');
    lines.push({ text: `EVENTS  ${sanitize(name)} (newest first)`, tone: 'heading', anchor: `task:${index}` });
    const events = sortedEvents(alloc.TaskStates?.[name]);
    if (events.length === 0) add('no events', 'dim');
    for (const event of events) {
      const message = eventMessage(event);
      wrapped(`${formatStamp(event.Time)}  ${show(event.Type)}${message ? `  ${message}` : ''}`, '                     ');
    }
  }
  add('');
  lines.push({ text: 'SERVICES', tone: 'heading', anchor: 'services' });
  if (!services) add('loading services…', 'dim');
  else if (services.length === 0) add('no services registered', 'dim');
  for (const service of services ?? []) {
    add(`  ${show(service.ServiceName)}  ${show(service.Address)}:${typeof service.Port === 'number' ? service.Port : MISSING}  ${(service.Tags ?? []).map((tag) => sanitize(tag)).join(',')}`);
  }
  return lines;
}
