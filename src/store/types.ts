// The shapes the blocking-query store hands out: one WatchState per query key, and the
// connection summary the status bar shows.

export type WatchStatus =
  /** No answer yet. */
  | 'loading'
  /** The last request succeeded; data is current. */
  | 'live'
  /** The last request failed; data (if any) is kept and a retry is scheduled at retryAt. */
  | 'reconnecting'
  /** The agent answers but knows no leader: data may be behind (KnownLeader false). */
  | 'stale'
  /** 403: the token may not read this; retried slowly. */
  | 'denied'
  /** The thing watched does not exist (404 on one allocation): a state, not an error loop. */
  | 'gone'
  /** A request the agent rejects as malformed (400), or a failure before any data arrived. */
  | 'error';

export interface WatchState<T> {
  data: T | undefined;
  /** Last X-Nomad-Index seen. */
  index: number;
  status: WatchStatus;
  error: Error | undefined;
  knownLeader: boolean;
  /** ms since the server last heard from the leader. */
  lastContact: number;
  /** When data last changed (ms epoch); 0 before any data. */
  updatedAt: number;
  /** When the last request succeeded (ms epoch); staleness is measured from here. */
  okAt: number;
  /** When the next retry is due after a failure (ms epoch); 0 when none is pending. */
  retryAt: number;
  /** The agent answers blocking queries at once with nothing new (an old proxy, a bad
   * index): the key is slowed to one request per NOT_BLOCKING_FLOOR_MS. */
  notBlocking: boolean;
  /** A first read that is still coming in, page by page: the rows so far, and about how many
   * there will be (undefined until it can be told). */
  progress?: LoadProgress;
}

export interface LoadProgress {
  loaded: number;
  estimate?: number;
}

export interface QueryResult<T> {
  data: T;
  meta: { index: number; knownLeader: boolean; lastContact: number };
  /** The fetcher lost its place (a snapshot restore, a stream that must be reopened): keep the
   * data shown, and ask again from index 0. */
  restart?: boolean;
  /** The data changed though the index did not (rows found gone by a read that moved no
   * index): the store must take it all the same. */
  changed?: boolean;
  /** The fetcher waited by its own rules (the event stream), not as a blocking query: an
   * early answer with the same index says nothing about the agent. */
  paced?: boolean;
  /** Part of a read that goes on: publish this, and ask again at once (no pause). */
  progress?: LoadProgress;
}

export interface FetchParams {
  index: number;
  waitMs: number;
  signal: AbortSignal;
}

export type Fetcher<T> = (params: FetchParams) => Promise<QueryResult<T>>;

export interface KeyOptions {
  /** Least time between two requests of this key (default: the store's). */
  minIntervalMs?: number;
  /** A cheap non-blocking read of the key's current index. While a blocking query waits, it is
   * asked every verifyEveryMs: an index lower than the one held means a snapshot restore or
   * leader change, which a blocking query would only reveal when its wait ends. */
  verifyIndex?: (signal: AbortSignal) => Promise<number | undefined>;
  verifyEveryMs?: number;
  /** Treat 404 as the state "gone" and block on it (one allocation, its services). */
  notFoundIsGone?: boolean;
  /** Called once when the key's loop stops (its last subscriber left): release what the
   * fetcher holds between requests, such as an open event stream. */
  onStop?: () => void;
  /** A read of one client agent (stats, checks): its trouble is the pane's to show, not the
   * connection's — it is left out of the status bar's summary. */
  local?: boolean;
}

/** A watchable query: its store key (path + params), how to fetch it, and per-key options. */
export interface Query<T> {
  key: string;
  fetcher: Fetcher<T>;
  options?: KeyOptions;
}

export interface ConnectionSummary {
  status: WatchStatus;
  /** The newest X-Nomad-Index over every watched key. */
  index: number;
  knownLeader: boolean;
  lastContact: number;
  /** The error behind the worst status, if any. */
  error: Error | undefined;
  /** Oldest successful answer among failing keys: "stale since". 0 when none. */
  staleSince: number;
  /** Soonest retry among failing keys. 0 when none. */
  retryAt: number;
  /** Some key's agent answers blocking queries at once. */
  notBlocking: boolean;
  keys: number;
}

export function initialState<T>(): WatchState<T> {
  return { data: undefined, index: 0, status: 'loading', error: undefined, knownLeader: true, lastContact: 0, updatedAt: 0, okAt: 0, retryAt: 0, notBlocking: false };
}
