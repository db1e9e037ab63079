// The queries the console watches, each a store key plus a fetcher bound to NomadClient, so
// every pane asking for the same thing shares one long-poll loop.
import type { NomadClient } from '../nomad/client.js';
import type { AllocListStub, Allocation, Namespace, ServiceRegistration } from '../nomad/types.js';
import { AllocationFeed, type FeedOptions } from './allocationFeed.js';
import { STATS_INTERVAL_MS, statsSample, StatsHistory, type StatsSample } from './allocStats.js';
import { checkResults, type CheckResult } from './allocChecks.js';
import { queryKey } from './store.js';
import type { Query } from './types.js';

export interface AllocationListParams {
  namespace: string;
  /** A Nomad filter expression, evaluated by the agent. */
  filter?: string;
}

/** How often a list waiting in a blocking query checks that the index did not go backwards. */
export const INDEX_CHECK_MS = 15_000;

/** Least time between two index checks of a list that follows the event stream. */
export const STREAM_CHECK_INTERVAL_MS = 1_000;

/** How long the events may lag behind an index check's answer before its gap is judged. */
export const CATCH_UP_MS = 2_000;

/** Least time between two reads of the rows garbage collection could have deleted: a
 * collected allocation leaves the screen within about this long (plus one index check). */
export const RECONCILE_GAP_MS = 5_000;

/** How long a list whose stream the agent refused follows blocking reads before trying again. */
export const STREAM_RETRY_MS = 300_000;

/** Rows per page when reading the list: bounds the memory one response needs in flight, and
 * the time one page's parse holds the keys up while a large list loads (bench, 200k: key →
 * frame p95 while loading 20–25 ms with 2,000, 15–17 with 1,000, 12–16 with 500, the whole
 * load the same with 1,000 and ~0.3 s longer with 500; each page is a round trip). */
export const LIST_PAGE_SIZE = 1000;
/** Rows in a full read's first page: enough for the first screen, there at once. */
export const FIRST_PAGE_SIZE = 200;

/** The allocation list without task states: read in pages, then kept current from the event
 * stream (or by blocking list reads where the stream is refused or a filter is set). */
export function allocationListQuery(client: NomadClient, params: AllocationListParams, timing: Partial<Omit<FeedOptions, 'namespace' | 'filter'>> & { verifyEveryMs?: number } = {}): Query<AllocListStub[]> & { feed: AllocationFeed } {
  const feed = new AllocationFeed(client, {
    namespace: params.namespace,
    filter: params.filter,
    pageSize: timing.pageSize ?? LIST_PAGE_SIZE,
    firstPageSize: timing.firstPageSize ?? FIRST_PAGE_SIZE,
    loadingPublishMs: timing.loadingPublishMs,
    checkIntervalMs: timing.checkIntervalMs ?? STREAM_CHECK_INTERVAL_MS,
    catchUpMs: timing.catchUpMs ?? CATCH_UP_MS,
    reconcileGapMs: timing.reconcileGapMs ?? RECONCILE_GAP_MS,
    streamRetryMs: timing.streamRetryMs ?? STREAM_RETRY_MS,
    clock: timing.clock,
  });
  return {
    feed,
    key: queryKey('/v1/allocations', { namespace: params.namespace, filter: params.filter, task_states: false }),
    fetcher: feed.fetch,
    options: { verifyIndex: feed.verifyIndex, verifyEveryMs: timing.verifyEveryMs ?? INDEX_CHECK_MS, onStop: () => feed.close() },
  };
}

export function allocationQuery(client: NomadClient, id: string): Query<Allocation> {
  return {
    key: queryKey(`/v1/allocation/${id}`),
    fetcher: ({ index, waitMs, signal }) => client.getAllocation(id, { signal, blocking: { index, waitMs } }),
    options: { notFoundIsGone: true },
  };
}

/** An allocation's services answer with the registrations table's index, so on a busy cluster
 * (a registration somewhere every few hundred ms) each blocking read answers at once, with the
 * same data: asked once a second at most, not four times. */
export const SERVICES_INTERVAL_MS = 1_000;

export function servicesQuery(client: NomadClient, id: string, namespace: string): Query<ServiceRegistration[]> {
  return {
    key: queryKey(`/v1/allocation/${id}/services`, { namespace }),
    fetcher: ({ index, waitMs, signal }) => client.allocationServices(id, namespace, { signal, blocking: { index, waitMs } }),
    options: { notFoundIsGone: true, minIntervalMs: SERVICES_INTERVAL_MS },
  };
}

export function namespacesQuery(client: NomadClient): Query<Namespace[]> {
  return {
    key: queryKey('/v1/namespaces'),
    fetcher: ({ index, waitMs, signal }) => client.listNamespaces({ signal, blocking: { index, waitMs } }),
  };
}

/** Each client's stats rings (allocStats.ts): samples outlive the watch that took them. */
const histories = new WeakMap<NomadClient, StatsHistory>();
export function statsHistoryFor(client: NomadClient): StatsHistory {
  let history = histories.get(client);
  if (!history) histories.set(client, (history = new StatsHistory()));
  return history;
}

/** A read that does not block (a client agent's stats, checks): asked every STATS_INTERVAL_MS
 * while watched, each answer a new snapshot; left out of the status bar (KeyOptions.local). */
function polledQuery<T>(key: string, read: (signal: AbortSignal) => Promise<T>): Query<T> {
  return {
    key,
    fetcher: async ({ signal }) => ({ data: await read(signal), meta: { index: 0, knownLeader: true, lastContact: 0 }, changed: true, paced: true }),
    options: { minIntervalMs: STATS_INTERVAL_MS, notFoundIsGone: true, local: true },
  };
}

/** The allocation's stats, the samples so far as the data (the ring outlives the watch). */
export function allocationStatsQuery(client: NomadClient, id: string): Query<readonly StatsSample[]> {
  const history = statsHistoryFor(client);
  return polledQuery(queryKey(`/v1/client/allocation/${id}/stats`), async (signal) => history.push(id, statsSample((await client.allocationStats(id, { signal })).data, Date.now())));
}

/** The allocation's Nomad checks. */
export function allocationChecksQuery(client: NomadClient, id: string): Query<CheckResult[]> {
  return polledQuery(queryKey(`/v1/allocation/${id}/checks`), async (signal) => checkResults((await client.allocationChecks(id, { signal })).data));
}
