// Which allocations Nomad's garbage collector may delete: the only rows that can leave the list
// without an event (nomad/core_sched.go allocGCEligible: TerminalStatus() and not running on
// the client; nomad/state/events.go emits nothing for a deleted allocation). A superset, as a
// go-bexpr filter for the agent and as the same test on a row.
import type { AllocListStub } from './types.js';

const STAYING_CLIENT_STATUSES = ['running', 'pending', 'unknown'] as const;

/** Every allocation except those the servers want running and the client runs or starts. */
export const GC_CANDIDATE_FILTER = `not (DesiredStatus == "run" and (${STAYING_CLIENT_STATUSES.map((s) => `ClientStatus == "${s}"`).join(' or ')}))`;

export function mayBeCollected(row: Pick<AllocListStub, 'DesiredStatus' | 'ClientStatus'>): boolean {
  return !(row.DesiredStatus === 'run' && (STAYING_CLIENT_STATUSES as readonly string[]).includes(row.ClientStatus ?? ''));
}
