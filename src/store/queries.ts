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

/** How often a waiting list query checks that the agent's index did not go backwards. */
export const INDEX_CHECK_MS = 15_000;

/** Rows per page when reading the list: bounds the memory one response needs in flight. */
export const LIST_PAGE_SIZE = 5000;

/** The allocation list without task states, read in pages (Nomad 1.3+; older agents ignore
 * per_page and send it all). The first page carries the blocking index/wait and the meta; the
 * rest follow at once with next_token, so a 50,000-row list never needs one 30 MB response. */
export function allocationListQuery(client: NomadClient, params: AllocationListParams): Query<AllocListStub[]> {
  const base = { namespace: params.namespace, filter: params.filter || undefined, taskStates: false, perPage: LIST_PAGE_SIZE };
  return {
    key: queryKey('/v1/allocations', { namespace: params.namespace, filter: params.filter, task_states: false }),
    fetcher: async ({ index, waitMs, signal }) => {
      const first = await client.listAllocations({ ...base, signal, blocking: { index, waitMs } });
      const rows = first.data;
      for (let next = first.meta.nextToken; next; ) {
        const page = await client.listAllocations({ ...base, signal, nextToken: next });
        for (const row of page.data) rows.push(row);
        next = page.meta.nextToken;
      }
      return { data: rows, meta: first.meta };
    },
    options: {
      verifyIndex: async (signal) => (await client.listAllocations({ ...base, perPage: 1, signal })).meta.index,
      verifyEveryMs: INDEX_CHECK_MS,
    },
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
