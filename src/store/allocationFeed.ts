// The allocation list as one store key, kept current by Nomad's event stream instead of
// re-reading the whole list on every change. At 50,000 allocations one list read is ~30 MB
// and ~1 s of parsing; a blocking query can only say "something changed", so every change cost
// a full re-read. Here the list is read once (in pages), and Allocation events from
// /v1/event/stream are applied to it as they arrive.
//
// How it stays honest:
//  - The stream is opened before the list is read, so no write falls between the two. Rows
//    only move forward: an event older than the row (by ModifyIndex) is ignored, which makes
//    replays and the overlap with the read harmless.
//  - Nomad publishes no event when an allocation is garbage-collected, and its event buffer
//    holds only ~100 raft indexes. So a one-row blocking read of the list waits on the
//    allocations table's index (at most one per checkIntervalMs): lower than ours is a
//    snapshot restore (start over); higher for longer than catchUpMs is a change we will
//    never hear of (re-read the list). Idle, it is one request per wait (5 minutes).
//  - The stream carries every namespace's events even for one namespace's list (rows of other
//    namespaces are skipped): the table index the check reads moves with every namespace's
//    writes, and the events must account for all of them.
//  - Any failure of the stream is a failure of the key: the watcher backs off and the next
//    fetch starts over with a fresh read.
//  - A token refused every namespace's events streams its own namespace. Agents that refuse
//    the stream altogether (older than 1.0, a token without the topic, a proxy that 404s it)
//    get the plain paged blocking query, as does a list with a server-side filter (the
//    stream cannot filter with go-bexpr).
import type { NomadClient } from '../nomad/client.js';
import { listStubOf } from '../nomad/listStub.js';
import type { AllocListStub, EventFrame } from '../nomad/types.js';
import type { FetchParams, QueryResult } from './types.js';

export interface FeedOptions {
  namespace: string;
  filter?: string;
  /** Rows per page when reading the list. */
  pageSize: number;
  /** Least time between two index checks (each is a blocking one-row read of the list). */
  checkIntervalMs: number;
  /** How long the table index may stay ahead of the events before the list is re-read. */
  catchUpMs: number;
}

type Meta = QueryResult<AllocListStub[]>['meta'];

/** The index check in flight: the index it waits on, and its answer (or failure) once it has one. */
interface Check {
  controller: AbortController;
  from: number;
  settled?: Meta | Error;
}

interface Stream {
  controller: AbortController;
  frames: EventFrame[];
  /** The raft index of the last frame on this stream. */
  maxIndex: number;
  /** Set when a frame came with a lower index than one before it: a snapshot restore. */
  regressedTo?: number;
  failed?: Error;
  wake?: () => void;
}

export class AllocationFeed {
  private mode: 'stream' | 'poll';
  private rows: AllocListStub[] = [];
  private readonly positions = new Map<string, number>();
  /** A row per job, for the job type and version an event's allocation does not carry. */
  private readonly jobRows = new Map<string, AllocListStub>();
  /** The index the rows reflect, and the one last handed to the store. */
  private known = 0;
  private reported = 0;
  private synced = false;
  private stream?: Stream;
  /** Set when the table's index was seen ahead of the events: since when, and how far. */
  private behind?: { index: number; since: number };
  private check?: Check;
  private lastCheckAt = 0;
  /** Every namespace's events, even for one namespace's list: the index check reads the
   * allocations table's index, which every namespace's writes move, so the events must
   * account for them all or each foreign write would look like a missed change. */
  private streamNamespace = '*';

  constructor(
    private readonly client: NomadClient,
    private readonly options: FeedOptions,
  ) {
    this.mode = options.filter ? 'poll' : 'stream';
  }

  /** The store's fetcher: index 0 (or a lost stream) reads the list; otherwise waits for events. */
  readonly fetch = async ({ index, waitMs, signal }: FetchParams): Promise<QueryResult<AllocListStub[]>> => {
    if (this.mode === 'poll') return this.readList(signal, index > 0 ? { index, waitMs } : undefined);
    if (index === 0 || !this.synced) {
      this.synced = false;
      try {
        await this.openStream(signal);
      } catch (error) {
        if (!refusesStream(error)) throw error;
        if ((error as { status?: number }).status === 403 && this.streamNamespace === '*' && this.options.namespace !== '*') {
          // A token that may read only this namespace: stream just it. The index check then
          // also sees other namespaces' writes, so those cost a re-read (at most one per
          // catchUpMs): blocking-query cost, but only while they happen.
          this.streamNamespace = this.options.namespace;
          return this.fetch({ index: 0, waitMs, signal });
        }
        this.mode = 'poll';
        return this.readList(signal);
      }
      return this.snapshot(signal);
    }
    return this.nextChange(signal, waitMs);
  };

  /** The store's index check while a blocking query waits. The stream checks for itself. */
  readonly verifyIndex = async (signal: AbortSignal): Promise<number> => {
    if (this.mode === 'stream') return Number.MAX_SAFE_INTEGER;
    return (await this.readIndex(signal)).index;
  };

  /** A one-row read of the list, for its meta: the allocations table's index and the leader. */
  private async readIndex(signal: AbortSignal, blocking?: { index: number; waitMs: number }): Promise<Meta> {
    return (await this.client.listAllocations({ ...this.listParams(), perPage: 1, signal, blocking })).meta;
  }

  close(): void {
    this.dropStream();
  }

  private listParams(): { namespace: string; filter: string | undefined; taskStates: false } {
    return { namespace: this.options.namespace, filter: this.options.filter || undefined, taskStates: false };
  }

  /** The list in pages: the first carries the blocking index/wait and the meta; the rest follow
   * at once with next_token, so a 50,000-row list never needs one 30 MB response. */
  private async readList(signal: AbortSignal, blocking?: { index: number; waitMs: number }): Promise<QueryResult<AllocListStub[]>> {
    const base = { ...this.listParams(), perPage: this.options.pageSize, signal };
    const first = await this.client.listAllocations({ ...base, blocking });
    const rows = first.data;
    for (let next = first.meta.nextToken; next; ) {
      const page = await this.client.listAllocations({ ...base, nextToken: next });
      for (const row of page.data) rows.push(row);
      next = page.meta.nextToken;
    }
    return { data: rows, meta: { index: first.meta.index, knownLeader: first.meta.knownLeader, lastContact: first.meta.lastContact } };
  }

  /** Opens the stream unless one is running; resolves once the agent has subscribed. */
  private async openStream(signal: AbortSignal): Promise<void> {
    if (this.stream && !this.stream.failed) return;
    this.dropStream();
    const stream: Stream = { controller: new AbortController(), frames: [], maxIndex: 0 };
    this.stream = stream;
    const abort = (): void => stream.controller.abort(signal.reason);
    signal.addEventListener('abort', abort, { once: true });
    let frames: AsyncIterable<EventFrame>;
    try {
      frames = await this.client.eventStream({ topics: ['Allocation'], namespace: this.streamNamespace, signal: stream.controller.signal });
    } catch (error) {
      if (this.stream === stream) this.stream = undefined;
      throw error;
    } finally {
      signal.removeEventListener('abort', abort);
    }
    void this.pump(stream, frames);
  }

  private async pump(stream: Stream, frames: AsyncIterable<EventFrame>): Promise<void> {
    try {
      for await (const frame of frames) {
        if (!Array.isArray(frame.Events) || frame.Events.length === 0) continue;
        const index = indexOf(frame.Index);
        if (index < stream.maxIndex) {
          // The raft index went backwards mid-stream: what we hold is from another history.
          stream.regressedTo = index;
          stream.frames.length = 0;
        }
        stream.maxIndex = index;
        stream.frames.push(frame);
        stream.wake?.();
      }
    } catch (error) {
      stream.failed = error instanceof Error ? error : new Error(String(error));
      stream.wake?.();
    }
  }

  private dropStream(): void {
    this.dropCheck();
    if (!this.stream) return;
    this.stream.controller.abort(new DOMException('feed closed', 'AbortError'));
    this.stream.wake?.();
    this.stream = undefined;
  }

  /** Reads the whole list, then applies the events that arrived meanwhile. */
  private async snapshot(signal: AbortSignal): Promise<QueryResult<AllocListStub[]>> {
    // Events that arrived before the read are in it; only those during the read are news.
    if (this.stream) {
      this.stream.frames.length = 0;
      this.stream.regressedTo = undefined;
    }
    const read = await this.readList(signal);
    this.rows = read.data;
    this.positions.clear();
    this.jobRows.clear();
    this.rows.forEach((row, i) => {
      if (row?.ID) this.positions.set(row.ID, i);
      if (row) this.jobRows.set(jobKey(row), row);
    });
    this.known = read.meta.index;
    this.behind = undefined;
    this.dropCheck();
    this.applyPending();
    this.synced = true;
    return this.answer({ ...read.meta, index: this.known });
  }

  /** Waits for events (answering with the updated list), for the index check to find the
   * table somewhere the events did not take us, or for the check to bring fresh leader meta. */
  private async nextChange(signal: AbortSignal, waitMs: number): Promise<QueryResult<AllocListStub[]>> {
    const stream = this.stream;
    if (!stream) throw new Error('event stream closed');
    for (;;) {
      if (stream.failed) return this.lost(stream.failed);
      if (stream.regressedTo !== undefined) return this.restartFrom(stream.regressedTo);
      // Rows changed, or only the index moved (other namespaces' events): either way, news.
      if (stream.frames.length) this.applyPending();
      if (this.known !== this.reported && !this.behind) return this.answer({ index: this.known, knownLeader: true, lastContact: 0 });
      const now = Date.now();
      const check = this.check;
      const settled = check?.settled;
      if (check && settled) {
        this.check = undefined;
        if (settled instanceof Error) throw settled;
        // Below the index it waited on is a restore. Below `known` alone is not: events can
        // overtake the check's answer.
        if (settled.index < check.from) return this.restartFrom(settled.index);
        if (settled.index > this.known) this.behind ??= { index: settled.index, since: now };
        if (!this.behind) return this.answer({ index: this.known, knownLeader: settled.knownLeader, lastContact: settled.lastContact });
      }
      if (this.behind && now - this.behind.since >= this.options.catchUpMs) return this.snapshot(signal);
      // While behind, a check would come straight back: wait for the events to catch up.
      if (!this.check && !this.behind && now - this.lastCheckAt >= this.options.checkIntervalMs) this.check = this.startCheck(waitMs);
      const wakeAt = Math.min(this.behind ? this.behind.since + this.options.catchUpMs : Infinity, this.check ? Infinity : this.lastCheckAt + this.options.checkIntervalMs, now + waitMs);
      await this.until(stream, signal, Math.max(1, wakeAt - now));
      if (signal.aborted) throw signal.reason instanceof Error ? signal.reason : new DOMException('aborted', 'AbortError');
    }
  }

  /** A blocking one-row read of the list: it returns when the allocations table's index moves
   * past what the rows reflect (a write, or a GC that sent no event) or when the wait ends. */
  private startCheck(waitMs: number): Check {
    const controller = new AbortController();
    this.lastCheckAt = Date.now();
    const check: Check = { controller, from: Math.max(1, this.known) };
    this.readIndex(controller.signal, { index: check.from, waitMs })
      .catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))))
      .then((result) => {
        check.settled = result;
        this.stream?.wake?.();
      });
    return check;
  }

  private answer(meta: Meta): QueryResult<AllocListStub[]> {
    this.reported = meta.index;
    return { data: this.rows, meta };
  }

  /** A snapshot restore: answer with a lower index, so the watcher starts over from 0. */
  private restartFrom(index: number): QueryResult<AllocListStub[]> {
    this.synced = false;
    this.dropCheck();
    return { data: this.rows, meta: { index: Math.max(0, Math.min(index, this.known - 1)), knownLeader: true, lastContact: 0 } };
  }

  private dropCheck(): void {
    this.check?.controller.abort(new DOMException('check no longer needed', 'AbortError'));
    this.check = undefined;
  }

  private lost(error: Error): never {
    this.synced = false;
    this.stream = undefined;
    this.dropCheck();
    throw error;
  }

  private until(stream: Stream, signal: AbortSignal, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        stream.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done, { once: true });
      stream.wake = done;
    });
  }

  /** Applies queued events to a copy of the rows, moving `known` on. */
  private applyPending(): void {
    const stream = this.stream;
    if (!stream || stream.frames.length === 0) return;
    const frames = stream.frames.splice(0);
    let next: AllocListStub[] | undefined;
    for (const frame of frames) {
      for (const event of frame.Events ?? []) {
        const alloc = event?.Topic === 'Allocation' ? event.Payload?.Allocation : undefined;
        if (!alloc || typeof alloc !== 'object' || typeof alloc.ID !== 'string') continue;
        if (this.options.namespace !== '*' && alloc.Namespace !== this.options.namespace) continue;
        const at = this.positions.get(alloc.ID);
        const previous = at === undefined ? undefined : this.rows[at];
        if (previous && indexOf(alloc.ModifyIndex) < indexOf(previous.ModifyIndex)) continue;
        const row = listStubOf(alloc, previous ?? this.jobRows.get(jobKey(alloc)));
        next ??= this.rows.slice();
        if (at === undefined) {
          this.positions.set(alloc.ID, next.length);
          next.push(row);
        } else next[at] = row;
        this.jobRows.set(jobKey(row), row);
      }
      this.known = Math.max(this.known, indexOf(frame.Index));
    }
    if (next) this.rows = next;
    if (this.behind && this.known >= this.behind.index) this.behind = undefined;
  }
}

function indexOf(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

function jobKey(row: { Namespace?: string | null; JobID?: string | null }): string {
  return `${row.Namespace ?? ''}\u0000${row.JobID ?? ''}`;
}

/** Answers that mean "this agent will not stream to us", as opposed to "try again later". */
function refusesStream(error: unknown): boolean {
  const status = (error as { status?: unknown }).status;
  return typeof status === 'number' && status >= 400 && status < 500;
}
