// Stop, restart and signal for the prompts: the only place the UI sends a write. Components call
// these; the store then shows the effect through its blocking queries.
import { useMemo } from 'react';
import type { RestartTarget } from '../../nomad/client.js';
import { useServices } from '../context.js';

export interface AllocationActions {
  /** `namespace`: the allocation's own, sent with the request as the nomad CLI does. */
  stop(id: string, namespace: string | undefined, noShutdownDelay: boolean): Promise<{ evalId?: string | null }>;
  restart(id: string, target: RestartTarget): Promise<void>;
  signal(id: string, signal: string, task?: string): Promise<void>;
}

export function useAllocationActions(): AllocationActions {
  const { client } = useServices();
  return useMemo(
    () => ({
      async stop(id, namespace, noShutdownDelay) {
        const { data } = await client.stopAllocation(id, { noShutdownDelay, namespace });
        return { evalId: data?.EvalID };
      },
      async restart(id, target) {
        await client.restartAllocation(id, target);
      },
      async signal(id, signal, task) {
        await client.signalAllocation(id, signal, task);
      },
    }),
    [client],
  );
}
