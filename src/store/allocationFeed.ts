// The allocation list as one store key, kept current by Nomad's event stream instead of
// re-reading the whole list on every change. At 50,000 allocations one list read is ~30 MB
// and ~1 s of parsing; a blocking query can only say "something changed", so every change cost
// a full re-read. Here the list is read once (in pages: the first on screen at once, the rest
// published a few times a second as they come), and Allocation events from
// /v1/event/stream are applied to it as they arrive.
//
// How it stays true (every row on screen exists in the cluster, with the agent's status):
//  - The stream is opened before the list is read, so no write falls between the two. Events
//    at or below the read's index are already in it (a stream opened at index 0 replays the
//    broker's whole buffer, allocations since collected included); later ones only move a row
//    forward by ModifyIndex.
//  - Nomad publishes no event when it garbage-collects allocations. A one-row blocking read of
//    the list (the index check, at most one per checkIntervalMs) follows the allocations
//    table's index. When the table moved across a raft index the stream never carried, some
//    write was silent (GC, or a write to another table): the rows that GC could have deleted
//    are read again (a filtered read of terminal allocations, not the whole list) at most once
//    per reconcileGapMs, and those the agent no longer has leave. While a full read comes in,
//    each page's index is such a check, and the candidates read covers the pages read so far.
//  - An answer below the index it waited on, or a frame below an earlier one, is a snapshot
//    restore: start over. The check's index is judged once the events reach it, or after
//    catchUpMs (a write that had no event never gets one). A broken stream starts over too.
//  - Every namespace's events are streamed, even for one namespace's list: the table index
//    moves with every namespace's writes, and the events must account for them all. Nomad
//    1.9.6+ pins such a stream to the namespaces that existed when it opened, so a new
//    namespace reopens it (namespaceWatch.ts). A token refused every namespace streams its own.
//  - Agents that refuse the stream (older than 1.0, a token without the topic, and 1.11.2+
//    where a refusal is a 200 that closes with no bytes, or 1.11.2's "HTTP/0.0") get paged
//    blocking list reads, and the stream is tried again after streamRetryMs, never in a loop;
//    so do agents whose streams keep breaking soon after they open (garbage on the line, a
//    proxy that cuts long answers). Blocking reads that answer at once (a busy cluster) are
//    spaced a second apart after a burst of three.
//    A list with a server-side filter always uses blocking reads (the stream cannot filter).
import type { NomadClient } from '../nomad/client.js';
import { GC_CANDIDATE_FILTER } from '../nomad/gcCandidates.js';
import type { AllocListStub } from '../nomad/types.js';
import { EventLedger } from './eventLedger.js';
import { systemClock, type FeedClock } from './feedClock.js';
import { indexOf, ListRows } from './listRows.js';
import { EventTap } from './eventTap.js';
import { trace, tracing } from './trace.js';
import type { FetchParams, QueryResult } from './types.js';

export type FeedClient = Pick<NomadClient, 'listAllocations' | 'eventStream' | 'listNamespaces'>;

export interface FeedOptions {
  namespace: string;
  filter?: string;
  /** Rows per page when reading the list. */
  pageSize: number;
  /** Rows in the first page of a full read: on screen as soon as it arrives, while the rest
   * comes in (a page at a time, the console's keys live between them). */
  firstPageSize?: number;
  /** While the rest comes in, a new version is published at most this often (0: every page). */
  loadingPublishMs?: number;
  /** Least time between two index checks (each is a blocking one-row read of the list). */
  checkIntervalMs: number;
  /** How long the events may lag behind a check's answer before the gap is judged. */
  catchUpMs: number;
  /** Least time between two reads of the rows garbage collection could have deleted (it grows
   * to ten times the last such read's duration, up to 8 s). */
  reconcileGapMs: number;
  /** After the agent refused the stream, how long to follow the list with blocking reads
   * before trying the stream again. */
  streamRetryMs: number;
  clock?: FeedClock;
}

/** What the feed has cost so far, for tests and the benchmarks. */
export interface FeedStats {
  /** Reads of the whole list (the first, and each start-over). */
  fullReads: number;
  /** Reads of only the rows garbage collection could have deleted. */
  reconcileReads: number;
  /** Rows those reads found gone. */
  collectedRows: number;
  streamsOpened: number;
  streamsRefused: number;
}

type Meta = QueryResult<AllocListStub[]>['meta'];
type Page = Awaited<ReturnType<FeedClient['listAllocations']>>;

/** A full read still coming in (see AllocationFeed.loading). */
interface Loading {
  nextToken: string;
  firstCreateIndex: number;
  /** The next page, asked for as soon as its token came: the agent serves it while this side
   * parses and draws the last one. */
  ahead?: Promise<Page>;
  /** Ends the read's requests when it is given up (a restart, the feed closed). */
  controller: AbortController;
}

/** The index check in flight: the index it waits on, and its answer (or failure) once it has one. */
interface Check {
  controller: AbortController;
  from: number;
  settled?: Meta | Error;
}

/** Failed index checks or reconcile reads in a row before the key is taken for failing. */
const SOFT_FAILURES = 3;
/** A stream that breaks sooner than this after opening (garbage on the line, a proxy that cuts
 * it) costs a read of the whole list each time, and the store's backoff starts over after every
 * read that works: the second such break in a row waits 1 s before the next try, and from the
 * third the list is followed with blocking reads until streamRetryMs has passed. */
const SHORT_STREAM_MS = 30_000;
/** The longest a read of GC candidates may be put off after a silent write. */
const MAX_RECONCILE_GAP_MS = 8_000;
const SHORT_STREAM_MAX_WAIT_MS = 60_000;
/** Following the list with blocking reads: POLL_BURST reads may follow each other at once, then
 * they are spaced MIN_POLL_GAP_MS apart at least. */
const MIN_POLL_GAP_MS = 1_000;
const POLL_BURST = 3;
/** While a full read comes in, its pages are published at most this often (by default), and
 * once the list has grown past the first few pages, when the rows have doubled since the last
 * version or LOADING_PUBLISH_MAX_FACTOR times that much time has passed: each version costs the
 * screen a pass over every row, so a 200,000-row read makes ~10 versions, not one per 200 ms. */
export const LOADING_PUBLISH_MS = 200;
const LOADING_PUBLISH_MAX_FACTOR = 5;
/** Short-lived streams in a row after which the list is followed with blocking reads. */
const SHORT_STREAMS_BEFORE_POLL = 3;

export class AllocationFeed {
  readonly stats: FeedStats = { fullReads: 0, reconcileReads: 0, collectedRows: 0, streamsOpened: 0, streamsRefused: 0 };
  private mode: 'stream' | 'poll';
  private readonly clock: FeedClock;
  private readonly rows = new ListRows();
  private readonly ledger = new EventLedger();
  /** The index the rows reflect (the read's, then the newest event's), and the one last handed to the store. */
  private known = 0;
  private reported = 0;
  /** Events at or below this index are in the last full read. */
  private readAt = 0;
  /** The allocations table's index as the last check (or read) saw it. */
  private tableIndex = 0;
  private synced = false;
  private stream?: EventTap;
  private check?: Check;
  private lastCheckAt = 0;
  /** A check's answer waiting for the stream to reach it: the range of indexes it moved across. */
  private unjudged?: { from: number; to: number; at: number };
  /** Set when a silent write was seen: the rows GC could have deleted must be read again. */
  private suspect = false;
  private lastReconcileAt = 0;
  /** A reconcile during a full read judged only the pages read so far: judge all once it is done. */
  private checkAfterLoad = false;
  private reconcileGapMs: number;
  private softFailures = 0;
  private shortStreams = 0;
  private streamRetryAt = 0;
  /** When the last POLL_BURST reads of the whole list started (poll mode), and how long one takes. */
  private pollStarts: number[] = [];
  private pollReadMs = 0;
  private wake?: () => void;
  /** Every namespace's events, even for one namespace's list (see the header). */
  private streamNamespace = '*';
  /** A full read still coming in: where its next page starts, and the first row's CreateIndex
   * (the list is in CreateIndex order: how far the pages have come estimates how many remain). */
  private loading?: Loading;

  constructor(
    private readonly client: FeedClient,
    private readonly options: FeedOptions,
  ) {
    this.mode = options.filter ? 'poll' : 'stream';
    this.clock = options.clock ?? systemClock;
    this.reconcileGapMs = options.reconcileGapMs;
  }

  /** The store's fetcher: index 0 (or a lost stream) reads the list; otherwise waits for events. */
  readonly fetch = async ({ index, waitMs, signal }: FetchParams): Promise<QueryResult<AllocListStub[]>> => {
    if (this.mode === 'poll' && this.streamRetryAt && this.clock.now() >= this.streamRetryAt) {
      this.mode = 'stream';
      this.synced = false;
    }
    if (this.mode === 'poll') {
      // On a busy cluster every blocking read answers at once with the whole list: after
      // POLL_BURST reads in a row, one per second at most (or per twice a read's time: a
      // 50,000-row read takes about one), while a change on a quiet cluster shows at once.
      const gap = Math.max(MIN_POLL_GAP_MS, 2 * this.pollReadMs);
      const burstStart = this.pollStarts.length >= POLL_BURST ? this.pollStarts[this.pollStarts.length - POLL_BURST] ?? 0 : -Infinity;
      const wait = burstStart + POLL_BURST * gap - this.clock.now();
      if (index > 0 && wait > 0) await this.sleep(signal, wait);
      // Wake in time to try the stream again.
      const until = this.streamRetryAt ? Math.max(1, this.streamRetryAt - this.clock.now()) : waitMs;
      const startedAt = this.clock.now();
      this.pollStarts = [...this.pollStarts.slice(1 - POLL_BURST), startedAt];
      try {
        return await this.readList(signal, index > 0 ? { index, waitMs: Math.min(waitMs, until) } : undefined);
      } finally {
        // A blocking read's time is mostly waiting; only an answer that came at once measures the read.
        const took = this.clock.now() - startedAt;
        if (index === 0 || took < MIN_POLL_GAP_MS) this.pollReadMs = took;
      }
    }
    if (index === 0 || !this.synced) return this.start(signal, index > 0 ? { index, waitMs } : undefined);
    if (this.loading) return this.loadMore(signal, this.loading);
    return this.nextChange(signal, waitMs);
  };

  /** The store's index check while a blocking query waits: only in poll mode; the stream
   * checks for itself (undefined: nothing to verify). */
  readonly verifyIndex = async (signal: AbortSignal): Promise<number | undefined> => {
    if (this.mode === 'stream') return undefined;
    return (await this.readIndex(signal)).index;
  };

  close(): void {
    this.endLoading();
    this.dropStream();
  }

  /** Opens the stream (falling back as the agent allows) and reads the whole list. `blocking`:
   * the index the store already holds, for a stream retry that the agent refuses again. */
  private async start(signal: AbortSignal, blocking?: { index: number; waitMs: number }): Promise<QueryResult<AllocListStub[]>> {
    this.synced = false;
    try {
      await this.openStream(signal);
    } catch (error) {
      if (!refusesStream(error)) throw error;
      this.stats.streamsRefused += 1;
      if (this.streamNamespace === '*' && this.options.namespace !== '*' && mayBeAcl(error)) {
        // A token that may read only this namespace: stream just it. Other namespaces' writes
        // then look like silent ones, and cost a reconcile read now and then.
        this.streamNamespace = this.options.namespace;
        return this.start(signal, blocking);
      }
      this.fallBack();
      if (!blocking) this.stats.fullReads += 1;
      return this.readList(signal, blocking && { index: blocking.index, waitMs: Math.min(blocking.waitMs, this.options.streamRetryMs) });
    }
    return this.snapshot(signal);
  }

  /** A one-row read of the list, for its meta: the allocations table's index and the leader. */
  private async readIndex(signal: AbortSignal, blocking?: { index: number; waitMs: number }): Promise<Meta> {
    return (await this.client.listAllocations({ ...this.listParams(), perPage: 1, signal, blocking })).meta;
  }

  private listParams(filter = this.options.filter): { namespace: string; filter: string | undefined; taskStates: false } {
    return { namespace: this.options.namespace, filter: filter || undefined, taskStates: false };
  }

  /** The list in pages: the first carries the blocking index/wait and the meta; the rest follow
   * at once with next_token, so a 50,000-row list never needs one 30 MB response. */
  private async readList(signal: AbortSignal, blocking?: { index: number; waitMs: number }, filter?: string, createdBelow = Infinity): Promise<QueryResult<AllocListStub[]>> {
    const startedAt = tracing ? performance.now() : 0;
    const base = { ...this.listParams(filter), perPage: this.options.pageSize, signal };
    const first = await this.client.listAllocations({ ...base, blocking });
    const rows = first.data;
    // Pages come in CreateIndex order: once the next starts at createdBelow, all before it are read.
    for (let next = first.meta.nextToken; next && !(tokenCreateIndex(next) >= createdBelow); ) {
      const page = await this.client.listAllocations({ ...base, nextToken: next });
      for (const row of page.data) rows.push(row);
      next = page.meta.nextToken;
    }
    if (tracing) trace('list-read', { kind: filter === GC_CANDIDATE_FILTER ? 'reconcile' : blocking ? 'blocking' : 'full', rows: rows.length, ms: Math.round(performance.now() - startedAt) });
    return { data: rows, meta: { index: first.meta.index, knownLeader: first.meta.knownLeader, lastContact: first.meta.lastContact } };
  }

  /** Opens the stream unless a usable one is running; resolves once the agent accepted it. */
  private async openStream(signal: AbortSignal): Promise<void> {
    if (this.stream?.usable) return;
    this.dropStream();
    const stream = new EventTap(() => {
      if (this.stream === stream) this.wake?.();
    });
    this.stream = stream;
    try {
      await stream.open(this.client, this.clock, this.streamNamespace, signal);
      this.stats.streamsOpened += 1;
    } catch (error) {
      if (this.stream === stream) this.dropStream();
      throw error;
    }
  }

  private dropStream(): void {
    this.dropCheck();
    const stream = this.stream;
    if (!stream) return;
    this.stream = undefined;
    stream.close();
    this.wake?.();
  }

  /** Reads the list's first page, then applies the events that arrived meanwhile; the rest of
   * the pages follow in the next fetches (loadMore). */
  private async snapshot(signal: AbortSignal): Promise<QueryResult<AllocListStub[]>> {
    // Events that arrived before the read are in it; only those during the read are news.
    this.stream?.take();
    const startedAt = tracing ? performance.now() : 0;
    const first = await this.client.listAllocations({ ...this.listParams(), perPage: this.options.firstPageSize ?? this.options.pageSize, signal });
    if (tracing) trace('list-read', { kind: 'full', first: true, rows: first.data.length, ms: Math.round(performance.now() - startedAt) });
    const read = { data: first.data, meta: { index: first.meta.index, knownLeader: first.meta.knownLeader, lastContact: first.meta.lastContact } };
    this.endLoading();
    if (first.meta.nextToken) {
      this.loading = { nextToken: first.meta.nextToken, firstCreateIndex: indexOf(first.data[0]?.CreateIndex), controller: new AbortController() };
      this.loading.ahead = this.pageAt(this.loading);
    }
    this.stats.fullReads += 1;
    this.rows.load(read.data);
    // Later pages answer at later indexes; the events and the index checks start from the
    // first page's, so a write between any two pages is an event applied, or judged silent.
    this.readAt = this.known = this.tableIndex = read.meta.index;
    this.ledger.clear();
    this.unjudged = undefined;
    this.suspect = false;
    this.checkAfterLoad = false;
    this.softFailures = 0;
    this.dropCheck();
    this.applyPending();
    this.rows.commit();
    this.synced = true;
    if (tracing && !this.loading) trace('list-read', { kind: 'loaded', rows: this.rows.size });
    return this.loadingAnswer({ ...read.meta, index: this.known }, read.meta.index);
  }

  /** The next page of a full read: its rows join the list (each unless an event already
   * brought a newer one), then the events that came meanwhile. */
  private async loadMore(signal: AbortSignal, loading: Loading): Promise<QueryResult<AllocListStub[]>> {
    const stream = this.stream;
    if (stream?.failed) return this.lost(stream.failed);
    if (!stream?.usable) return this.restart();
    // Pages are published a few times a second at first, then as the rows double (at least
    // once a second), not each: every new version of a 200,000-row list costs the screen a pass
    // over it. Between pages the event loop runs (keys, frames).
    const startedAt = this.clock.now();
    const publishMs = this.options.loadingPublishMs ?? LOADING_PUBLISH_MS;
    const shown = this.rows.size;
    const due = (): boolean => {
      const elapsed = this.clock.now() - startedAt;
      return elapsed >= publishMs && (this.rows.size >= 2 * shown || elapsed >= publishMs * LOADING_PUBLISH_MAX_FACTOR);
    };
    let page: Page;
    do {
      const ahead = loading.ahead ?? this.pageAt(loading);
      loading.ahead = undefined;
      const onStop = (): void => loading.controller.abort(signal.reason);
      signal.addEventListener('abort', onStop, { once: true });
      try {
        page = await ahead;
      } finally {
        signal.removeEventListener('abort', onStop);
      }
      // Below an earlier page's index: a snapshot restore mid-read.
      if (page.meta.index < this.tableIndex) return this.restart();
      // Each page is also an index check: the table moved from the last page's index to this
      // one's, and a move the events do not account for is a silent write (GC) that may have
      // deleted rows of pages already read. A 200,000-row read can take longer than a collected
      // row may stay on screen, so this is judged (and reconciled) while the read goes on.
      if (page.meta.index > this.tableIndex) this.observe(this.tableIndex, page.meta.index);
      loading.nextToken = page.meta.nextToken ?? '';
      if (loading.nextToken) loading.ahead = this.pageAt(loading);
      this.rows.merge(page.data);
      this.applyPending();
      this.judge(this.clock.now());
      if (!loading.nextToken) {
        this.endLoading();
        // Rows a reconcile during the read could not vouch for are checked once it is done.
        if (this.checkAfterLoad) this.suspect = true;
        this.checkAfterLoad = false;
      } else if (this.suspect && this.clock.now() - this.lastReconcileAt >= this.reconcileGapMs) {
        // A token that is not "CreateIndex.ID" bounds nothing: then every candidate is read.
        const outcome = await this.reconcile(signal, tokenCreateIndex(loading.nextToken) || Infinity);
        if (outcome === 'restore') return this.restart();
      }
    } while (loading.nextToken && !due());
    this.rows.commit();
    if (tracing && !this.loading) trace('list-read', { kind: 'loaded', rows: this.rows.size });
    return this.loadingAnswer({ index: this.known, knownLeader: page.meta.knownLeader, lastContact: page.meta.lastContact }, page.meta.index);
  }

  /** The page at the read's next token (its failure is the awaiting fetch's to handle). */
  private pageAt(loading: Loading): Promise<Page> {
    const page = this.client.listAllocations({ ...this.listParams(), perPage: this.options.pageSize, nextToken: loading.nextToken, signal: loading.controller.signal });
    page.catch(() => {
      // Awaited by the next loadMore, or given up with the read.
    });
    return page;
  }

  /** Gives up a full read that is coming in (its page in flight too). */
  private endLoading(): void {
    this.loading?.controller.abort(new DOMException('list read given up', 'AbortError'));
    this.loading = undefined;
  }

  /** An answer, with how far the read has come while it goes on. */
  private loadingAnswer(meta: Meta, tableIndex: number): QueryResult<AllocListStub[]> {
    const loading = this.loading;
    if (!loading) return { ...this.answer(meta), changed: true, paced: true };
    const loaded = this.rows.size;
    // Rows so far span CreateIndex first..next (the next page's token starts with its first
    // row's CreateIndex, some of whose rows are read); the rest lie between there and the
    // table's index, taken to be about as dense. Many allocations share an index (one plan
    // places a whole group), so the guess waits until the pages cover a twentieth of the span.
    const next = tokenCreateIndex(loading.nextToken);
    const covered = next - loading.firstCreateIndex + 0.5;
    const whole = tableIndex - loading.firstCreateIndex + 1;
    const estimate = Number.isFinite(next) && covered * 20 >= whole && whole >= covered ? Math.max(loaded + 1, Math.round((loaded * whole) / covered)) : undefined;
    return { ...this.answer(meta), changed: true, paced: true, progress: { loaded, estimate } };
  }

  /** Waits for events (answering with the updated list), for the index check to find a silent
   * write (then reconciles), or for the check to bring fresh leader meta. */
  private async nextChange(signal: AbortSignal, waitMs: number): Promise<QueryResult<AllocListStub[]>> {
    const stream = this.stream;
    if (!stream) throw new Error('event stream closed');
    for (;;) {
      if (stream.failed) return this.lost(stream.failed);
      if (!stream.usable) return this.restart();
      this.applyPending();
      const now = this.clock.now();
      let leaderMeta: Meta | undefined;
      const check = this.check;
      if (check?.settled) {
        this.check = undefined;
        const settled = check.settled;
        if (settled instanceof Error) {
          // The agent's own error (no leader, ...) is a state to show; a dropped connection or a
          // cut answer is passing trouble while the stream still flows, until it repeats.
          if (answeredWithError(settled) || ++this.softFailures >= SOFT_FAILURES) throw settled;
        } else {
          this.softFailures = 0;
          // Below the index it waited on is a restore. Below `known` alone is not: events can
          // overtake the check's answer. An index of 0 is no index (Nomad never answers 0; a
          // header that is not a number reads as 0): the check tells nothing.
          if (settled.index === 0) continue;
          if (settled.index < check.from) return this.restart();
          if (settled.index > check.from) this.observe(check.from, settled.index);
          leaderMeta = settled;
        }
      }
      this.judge(now);
      if (this.suspect && now - this.lastReconcileAt >= this.reconcileGapMs) {
        const outcome = await this.reconcile(signal);
        if (outcome === 'restore') return this.restart();
        continue;
      }
      // Due checks start before any answer: on a busy cluster every pass has news to answer
      // with, and a check started only when idle would never start.
      if (!this.check && !this.unjudged && now - this.lastCheckAt >= this.options.checkIntervalMs) this.check = this.startCheck(waitMs);
      const changed = this.rows.commit();
      if (changed || this.known !== this.reported || leaderMeta) {
        return { ...this.answer({ index: this.known, knownLeader: leaderMeta?.knownLeader ?? true, lastContact: leaderMeta?.lastContact ?? 0 }), changed, paced: true };
      }
      const wakeAt = Math.min(
        this.unjudged ? this.unjudged.at + this.options.catchUpMs : Infinity,
        this.check || this.unjudged ? Infinity : this.lastCheckAt + this.options.checkIntervalMs,
        this.suspect ? this.lastReconcileAt + this.reconcileGapMs : Infinity,
        now + waitMs,
      );
      await this.sleep(signal, Math.max(1, wakeAt - now));
      if (signal.aborted) throw signal.reason instanceof Error ? signal.reason : new DOMException('aborted', 'AbortError');
    }
  }

  /** The agent answered (a check, a page) at `to`, above the `from` it was last seen at: the
   * indexes in between are judged against the events once they have caught up. */
  private observe(from: number, to: number): void {
    this.tableIndex = Math.max(this.tableIndex, to);
    if (this.unjudged) this.unjudged.to = Math.max(this.unjudged.to, to);
    else this.unjudged = { from, to, at: this.clock.now() };
  }

  /** Judges the unjudged move once the events reached its index, or after catchUpMs: events
   * that never come belong to a write that had none (a live stream loses nothing). */
  private judge(now: number): void {
    if (!this.unjudged) return;
    const { from, to, at } = this.unjudged;
    if (this.known < to && now - at < this.options.catchUpMs) return;
    if (!this.ledger.accounts(from, to)) this.suspect = true;
    this.ledger.forget(to);
    this.unjudged = undefined;
  }

  /** Reads every allocation the garbage collector could have deleted and drops the rows the
   * agent no longer has. A failure only waits for the next try (the stream is still fine).
   * `createdBelow`: while a full read comes in, only the rows of the pages read so far (created
   * below the next page's first CreateIndex) are judged, and only their candidates read; the
   * rest are judged by a whole reconcile once the read is done. */
  private async reconcile(signal: AbortSignal, createdBelow = Infinity): Promise<'done' | 'restore' | 'failed'> {
    const startedAt = this.clock.now();
    this.lastReconcileAt = startedAt;
    this.suspect = false;
    let read: QueryResult<AllocListStub[]>;
    try {
      read = await this.readList(signal, undefined, GC_CANDIDATE_FILTER, createdBelow);
    } catch (error) {
      if (signal.aborted) throw error;
      this.suspect = true;
      if (answeredWithError(error) || ++this.softFailures >= SOFT_FAILURES) throw error;
      return 'failed';
    }
    this.softFailures = 0;
    this.stats.reconcileReads += 1;
    // Reads that take long are spaced further apart (a tenth of the time at most), but never
    // so far that a collected row outlives its allocation by 10 s: one slow answer (2 s of slow
    // headers in the soak) once stretched the gap to 20 s, and 134 collected rows stayed on
    // screen past 10 s.
    this.reconcileGapMs = Math.min(MAX_RECONCILE_GAP_MS, Math.max(this.options.reconcileGapMs, 10 * (this.clock.now() - startedAt)));
    if (read.meta.index < this.tableIndex) return 'restore';
    this.applyPending();
    const removed = this.rows.reconcile(read.data, read.meta.index, createdBelow);
    if (createdBelow !== Infinity) this.checkAfterLoad = true;
    this.stats.collectedRows += removed;
    if (tracing) trace('reconcile', { removed, candidates: read.data.length });
    return 'done';
  }

  /** A blocking one-row read of the list: it returns when the allocations table's index moves
   * past the last one seen (a write, or a GC that sent no event) or when the wait ends. */
  private startCheck(waitMs: number): Check {
    const controller = new AbortController();
    this.lastCheckAt = this.clock.now();
    const check: Check = { controller, from: Math.max(1, this.tableIndex) };
    void this.readIndex(controller.signal, { index: check.from, waitMs })
      .catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))))
      .then((result) => {
        check.settled = result;
        if (this.check === check) this.wake?.();
      });
    return check;
  }

  private answer(meta: Meta): QueryResult<AllocListStub[]> {
    this.reported = meta.index;
    return { data: this.rows.rows, meta };
  }

  /** Tells the store to start over from a fresh read (a restore, or a stream that must reopen). */
  private restart(): QueryResult<AllocListStub[]> {
    this.synced = false;
    this.endLoading();
    this.dropStream();
    return { data: this.rows.rows, meta: { index: this.known, knownLeader: true, lastContact: 0 }, restart: true };
  }

  private dropCheck(): void {
    this.check?.controller.abort(new DOMException('check no longer needed', 'AbortError'));
    this.check = undefined;
    this.unjudged = undefined;
  }

  private lost(error: Error): never {
    const lived = this.clock.now() - (this.stream?.openedAt ?? 0);
    this.shortStreams = lived < SHORT_STREAM_MS ? this.shortStreams + 1 : 0;
    this.synced = false;
    this.dropStream();
    if (this.shortStreams >= SHORT_STREAMS_BEFORE_POLL) {
      // Something between here and the agent keeps breaking the stream (garbage on the line, a
      // proxy that cuts long answers): follow the list with blocking reads, which stay live
      // and true, and try the stream again after streamRetryMs.
      this.fallBack();
      throw Object.assign(error, { retryAfterMs: 1000 });
    }
    if (this.shortStreams >= 2) throw Object.assign(error, { retryAfterMs: Math.min(SHORT_STREAM_MAX_WAIT_MS, 1000 * 2 ** (this.shortStreams - 2)) });
    throw error;
  }

  /** Blocking list reads until streamRetryMs has passed, then the stream again. */
  private fallBack(): void {
    this.endLoading();
    this.streamNamespace = '*';
    this.mode = 'poll';
    this.streamRetryAt = this.clock.now() + this.options.streamRetryMs;
  }

  private async sleep(signal: AbortSignal, ms: number): Promise<void> {
    const woken = new AbortController();
    this.wake = () => woken.abort();
    try {
      await this.clock.sleep(ms, AbortSignal.any([signal, woken.signal]));
    } finally {
      this.wake = undefined;
    }
  }

  /** Applies queued events to the rows (uncommitted), moving `known` on. */
  private applyPending(): void {
    const stream = this.stream;
    if (!stream || stream.frames.length === 0) return;
    for (const frame of stream.take()) {
      const index = indexOf(frame.Index);
      // Already in the read: a replay (index 0 replays the whole buffer) or the overlap.
      if (index <= this.readAt) continue;
      this.ledger.record(index);
      for (const event of frame.Events ?? []) {
        const alloc = event?.Topic === 'Allocation' ? event.Payload?.Allocation : undefined;
        if (!alloc || typeof alloc !== 'object' || typeof alloc.ID !== 'string') continue;
        if (this.options.namespace !== '*' && alloc.Namespace !== this.options.namespace) continue;
        this.rows.applyEvent(alloc);
      }
      this.known = Math.max(this.known, index);
    }
  }
}

/** The CreateIndex a next_token starts at (Nomad's tokens for the list are "CreateIndex.ID";
 * nomad/alloc_endpoint.go List, paginator.CreateIndexAndIDTokenizer); NaN if it is not one. */
function tokenCreateIndex(token: string): number {
  const dot = token.indexOf('.');
  return dot > 0 ? Number(token.slice(0, dot)) : NaN;
}

function answeredWithError(error: unknown): boolean {
  return typeof (error as { status?: unknown }).status === 'number';
}

/** A refusal that may be the token's (a 403, or 1.11.2+'s silent close), not the agent's. */
function mayBeAcl(error: unknown): boolean {
  const { status, code } = error as { status?: unknown; code?: unknown };
  return status === 403 || code === 'STREAM_REFUSED';
}

/** Answers that mean "this agent will not stream to us", as opposed to "try again later". */
function refusesStream(error: unknown): boolean {
  const { status, code } = error as { status?: unknown; code?: unknown };
  if (code === 'STREAM_REFUSED' || code === 'BAD_HTTP_VERSION') return true;
  return typeof status === 'number' && status >= 400 && status < 500;
}
