// The shared blocking-query store: one Watcher per query key, shared by every subscriber
// (refcounted by listeners); the last unsubscribe aborts the in-flight request. Framework-free:
// src/ui binds it to React with useSyncExternalStore.
import { DEFAULT_BACKOFF } from './backoff.js';
import { initialState, type ConnectionSummary, type Fetcher, type Query, type WatchState, type WatchStatus } from './types.js';
import { trace, tracing } from './trace.js';
import { timerSleep, Watcher, type WatchOptions } from './watcher.js';

export type StoreOptions = Partial<WatchOptions>;

interface Entry {
  watcher: Watcher<unknown>;
  listeners: Set<() => void>;
  /** Left out of the summary (KeyOptions.local). */
  local: boolean;
}

/** Worst first: the status bar shows the worst status over every watched key. */
const SEVERITY: Record<WatchStatus, number> = { denied: 6, error: 5, reconnecting: 4, stale: 3, loading: 2, gone: 0, live: 0 };

const LOADING = initialState<never>();

export class Store {
  private readonly entries = new Map<string, Entry>();
  private readonly summaryListeners = new Set<() => void>();
  private summaryCache: ConnectionSummary | undefined;
  readonly options: WatchOptions;

  constructor(options: StoreOptions = {}) {
    this.options = {
      waitMs: options.waitMs ?? 300_000,
      minIntervalMs: options.minIntervalMs ?? 250,
      backoff: options.backoff ?? DEFAULT_BACKOFF,
      deniedRetryMs: options.deniedRetryMs ?? 30_000,
      notFoundIsGone: options.notFoundIsGone ?? false,
      now: options.now ?? Date.now,
      sleep: options.sleep ?? timerSleep,
      random: options.random ?? Math.random,
    };
  }

  /** Adds a listener to the query's key, starting its loop on the first one. Returns the
   * unsubscribe; the last one stops the loop and aborts its request. */
  subscribe<T>(query: Query<T>, listener: () => void): () => void {
    const { key, fetcher } = query;
    let entry = this.entries.get(key);
    if (!entry) {
      const created: Entry = {
        listeners: new Set(),
        local: query.options?.local === true,
        watcher: new Watcher<unknown>(fetcher as Fetcher<unknown>, { ...this.options, ...definedOnly(query.options ?? {}) }, () => {
          if (tracing) trace('data', { key, index: created.watcher.state.index, status: created.watcher.state.status });
          for (const notify of [...created.listeners]) notify();
          this.summaryChanged();
        }),
      };
      entry = created;
      this.entries.set(key, entry);
      entry.watcher.start();
      this.summaryChanged();
    }
    const current = entry;
    current.listeners.add(listener);
    return () => {
      if (!current.listeners.delete(listener) || current.listeners.size > 0) return;
      current.watcher.stop();
      if (this.entries.get(key) === current) this.entries.delete(key);
      this.summaryChanged();
    };
  }

  getState<T>(key: string): WatchState<T> {
    return (this.entries.get(key)?.watcher.state as WatchState<T> | undefined) ?? (LOADING as WatchState<T>);
  }

  /** The keys being watched. */
  keys(): string[] {
    return [...this.entries.keys()];
  }

  /** How many loops are running (one per watched key). */
  get activeKeys(): number {
    return this.entries.size;
  }

  onSummary(listener: () => void): () => void {
    this.summaryListeners.add(listener);
    return () => this.summaryListeners.delete(listener);
  }

  private summaryChanged(): void {
    const previous = this.summaryCache;
    this.summaryCache = undefined;
    const next = this.summary();
    if (previous && sameSummary(previous, next)) {
      this.summaryCache = previous;
      return;
    }
    for (const listener of [...this.summaryListeners]) listener();
  }

  /** The connection as the status bar shows it: the worst status over live keys. */
  summary(): ConnectionSummary {
    if (this.summaryCache) return this.summaryCache;
    let worst: WatchState<unknown> | undefined;
    let index = 0;
    let knownLeader = true;
    let lastContact = 0;
    let staleSince = 0;
    let retryAt = 0;
    let notBlocking = false;
    let keys = 0;
    for (const { watcher, local } of this.entries.values()) {
      if (local) continue;
      keys += 1;
      const state = watcher.state;
      if (state.notBlocking) notBlocking = true;
      index = Math.max(index, state.index);
      if (!state.knownLeader) knownLeader = false;
      lastContact = Math.max(lastContact, state.lastContact);
      if (state.status === 'reconnecting' || state.status === 'stale' || state.status === 'denied' || state.status === 'error') {
        if (state.okAt && (!staleSince || state.okAt < staleSince)) staleSince = state.okAt;
        if (state.retryAt && (!retryAt || state.retryAt < retryAt)) retryAt = state.retryAt;
      }
      if (!worst || SEVERITY[state.status] > SEVERITY[worst.status]) worst = state;
    }
    const status: WatchStatus = !worst ? 'loading' : SEVERITY[worst.status] === 0 ? 'live' : worst.status;
    this.summaryCache = { status, index, knownLeader, lastContact, error: worst?.error, staleSince, retryAt, notBlocking, keys };
    return this.summaryCache;
  }

  /** Stops every loop (on exit). */
  close(): void {
    for (const entry of this.entries.values()) entry.watcher.stop();
    this.entries.clear();
  }
}

function sameSummary(a: ConnectionSummary, b: ConnectionSummary): boolean {
  return a.status === b.status && a.index === b.index && a.knownLeader === b.knownLeader && a.lastContact === b.lastContact && a.error === b.error && a.staleSince === b.staleSince && a.retryAt === b.retryAt && a.notBlocking === b.notBlocking && a.keys === b.keys;
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** A stable key for a request: path plus sorted, defined params. */
export function queryKey(path: string, params: Record<string, string | number | boolean | undefined> = {}): string {
  const entries = Object.entries(params).filter(([, v]) => v !== undefined && v !== '').sort(([a], [b]) => (a < b ? -1 : 1));
  return entries.length ? `${path}?${entries.map(([k, v]) => `${k}=${String(v)}`).join('&')}` : path;
}
