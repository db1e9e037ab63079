// The queries the console watches, each a store key plus a fetcher bound to NomadClient, so
// every pane asking for the same thing shares one long-poll loop.
import type { NomadClient } from '../nomad/client.js';
import type { AllocListStub, Allocation, Namespace, ServiceRegistration } from '../nomad/types.js';
import { queryKey } from './store.js';
import type { Query } from './types.js';

export interface AllocationListParams {
  namespace: string;
  /** A Nomad filter expression, evaluated by the agent. */
  filter?: string;
}

/** The allocation list without task states: what a 50,000-row list can afford to re-read. */
export function allocationListQuery(client: NomadClient, params: AllocationListParams, minIntervalMs?: number): Query<AllocListStub[]> {
  return {
    key: queryKey('/v1/allocations', { namespace: params.namespace, filter: params.filter, task_states: false }),
    fetcher: ({ index, waitMs, signal }) => client.listAllocations({ namespace: params.namespace, filter: params.filter || undefined, taskStates: false, signal, blocking: { index, waitMs } }),
    options: { minIntervalMs },
  };
}

export function allocationQuery(client: NomadClient, id: string): Query<Allocation> {
  return {
    key: queryKey(`/v1/allocation/${id}`),
    fetcher: ({ index, waitMs, signal }) => client.getAllocation(id, { signal, blocking: { index, waitMs } }),
    options: { notFoundIsGone: true },
  };
}

export function servicesQuery(client: NomadClient, id: string, namespace: string): Query<ServiceRegistration[]> {
  return {
    key: queryKey(`/v1/allocation/${id}/services`, { namespace }),
    fetcher: ({ index, waitMs, signal }) => client.allocationServices(id, namespace, { signal, blocking: { index, waitMs } }),
    options: { notFoundIsGone: true },
  };
}

export function namespacesQuery(client: NomadClient): Query<Namespace[]> {
  return {
    key: queryKey('/v1/namespaces'),
    fetcher: ({ index, waitMs, signal }) => client.listNamespaces({ signal, blocking: { index, waitMs } }),
  };
}
