// The one line a short terminal shows about the selection under the list (compact layout):
// name, client status (and desired when it differs), node, and the newest event of any task,
// so why something failed reads at a glance; Enter shows the rest. Pure.
import type { AllocListStub, Allocation } from '../../nomad/types.js';
import { show } from '../format.js';
import { statusText } from '../listModel.js';
import { eventMessage, sortedEvents, taskNames } from './taskView.js';

export function summaryLine(stub: AllocListStub | undefined, alloc: Allocation | undefined): string {
  if (!stub) return 'no allocation selected';
  const parts = [`▸ ${show(stub.Name)}`, statusText(stub), `node ${show(stub.NodeName)}`];
  if (alloc && alloc.ID === stub.ID) {
    const newest = taskNames(alloc)
      .flatMap((name) => sortedEvents(alloc.TaskStates?.[name]).slice(0, 1).map((event) => ({ name, event })))
      .sort((a, b) => (b.event.Time ?? 0) - (a.event.Time ?? 0))[0];
    if (newest) parts.push(`${newest.name}: ${show(newest.event.Type)}${eventMessage(newest.event) ? ` — ${eventMessage(newest.event)}` : ''}`);
  }
  return `${parts.join(' · ')}  (Enter: all of it)`;
}
