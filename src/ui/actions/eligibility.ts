// Which actions Nomad allows on an allocation, and why not otherwise. Restart and signal need
// running tasks on an allocation that should run; stop is refused only when it already is;
// exec only when the client says the allocation ended (nomad/client_alloc_endpoint.go exec).
import type { AllocListStub, Allocation } from '../../nomad/types.js';
import { sanitize, shortId, show } from '../format.js';

export type ActionKind = 'stop' | 'restart' | 'signal' | 'exec';

/** Client statuses of an allocation that has ended. */
export const TERMINAL_STATUSES: ReadonlySet<string> = new Set(['complete', 'failed', 'lost']);
const TERMINAL = TERMINAL_STATUSES;

export function label(alloc: AllocListStub): string {
  return `${show(alloc.Name)} (${shortId(alloc.ID)})`;
}

/** Why `kind` cannot be done on `alloc`, or undefined when Nomad allows it. */
export function refusal(kind: ActionKind, alloc: AllocListStub | undefined): string | undefined {
  if (!alloc?.ID) return 'no allocation selected';
  const client = sanitize(alloc.ClientStatus);
  const desired = sanitize(alloc.DesiredStatus);
  const terminal = TERMINAL.has(client);
  if (kind === 'stop') {
    return terminal && desired !== 'run' ? `${label(alloc)} is already stopped (${client}, desired ${desired})` : undefined;
  }
  if (kind === 'exec') return terminal ? `cannot exec in ${label(alloc)}: it is ${client}, and Nomad execs only into allocations still on their client` : undefined;
  if (terminal || (desired !== '' && desired !== 'run')) {
    const verb = kind === 'restart' ? 'restart' : 'signal';
    return `cannot ${verb} ${label(alloc)}: it is ${client || 'not running'}${desired && desired !== 'run' ? ` with desired ${desired}` : ''}, and Nomad only ${verb}s allocations that should run`;
  }
  return undefined;
}

/** Tasks that are running: the only ones a single-task restart or a signal can reach. */
export function runningTasks(alloc: Pick<Allocation, 'TaskStates'> | undefined): string[] {
  return Object.entries(alloc?.TaskStates ?? {})
    .filter(([, state]) => state?.State === 'running')
    .map(([name]) => name)
    .sort();
}
