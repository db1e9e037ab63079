// An in-memory Nomad agent for the list feed (FeedClient), on a FakeClock: allocations, a raft
// index, blocking one-row and full list reads (with the GC-candidate filter), an event stream
// that starts with `{}` and carries each published write, and silent writes (GC). Every
// request is logged, so a test can count what the feed asked for.
import { GC_CANDIDATE_FILTER, mayBeCollected } from '../../src/nomad/gcCandidates.js';
import type { ListAllocationsOptions, ReadOptions } from '../../src/nomad/client.js';
import type { Response } from '../../src/nomad/transport.js';
import type { AllocListStub, EventFrame, Namespace } from '../../src/nomad/types.js';
import type { FeedClient } from '../../src/store/allocationFeed.js';
import type { FakeClock } from './fakeClock.js';

type Stream = { push: (frame: EventFrame) => void; end: () => void };

export class MemoryAgent implements FeedClient {
  index = 10;
  readonly rows = new Map<string, AllocListStub>();
  readonly log: string[] = [];
  /** What the index check's answer says the index is (a lying agent), given the real one. */
  checkIndex?: (real: number) => number;
  /** When set, the stream is refused the 1.11.2+ way (a 200 that closes with no byte). */
  refuseStream = false;
  /** When set, every stream breaks right after its first line (garbage, a cutting proxy). */
  cutStreams = false;
  /** How long a read of GC candidates takes (a slow agent), on the fake clock. */
  candidatesDelayMs = 0;
  /** How long each later page of a read (one with a next_token) takes, on the fake clock. */
  pageDelayMs = 0;
  private readonly streams = new Set<Stream>();
  /** The broker's buffer: a new stream (index 0) replays all of it, as Nomad's does. */
  private readonly buffer: EventFrame[] = [];
  private readonly waiters = new Set<() => void>();

  constructor(private readonly clock: FakeClock) {}

  /** One raft write that changes `rows` and publishes their events (or, silent, none: GC). */
  write(rows: Array<Partial<AllocListStub> & { ID: string }>, options: { silent?: boolean; remove?: string[] } = {}): number {
    const index = ++this.index;
    for (const id of options.remove ?? []) this.rows.delete(id);
    const changed = rows.map((row) => ({ Namespace: 'default', DesiredStatus: 'run', ClientStatus: 'running', CreateIndex: index, ...this.rows.get(row.ID), ...row, ModifyIndex: index }) as AllocListStub);
    for (const row of changed) this.rows.set(row.ID as string, row);
    if (!options.silent && changed.length) {
      const frame: EventFrame = { Index: index, Events: changed.map((row) => ({ Topic: 'Allocation', Type: 'AllocationUpdated', Key: row.ID, Index: index, Payload: { Allocation: row } })) as EventFrame['Events'] };
      this.buffer.push(frame);
      if (this.buffer.length > 100) this.buffer.shift();
      for (const stream of this.streams) stream.push(frame);
    }
    for (const wake of [...this.waiters]) wake();
    return index;
  }

  /** Garbage collection: the rows go in a write that publishes nothing. */
  collect(ids: string[]): number {
    return this.write([], { silent: true, remove: ids });
  }

  async listAllocations(options: ListAllocationsOptions = {}): Promise<Response<AllocListStub[]>> {
    const { blocking, filter, perPage, nextToken, signal } = options;
    this.log.push(`list ${perPage === 1 ? 'check' : filter === GC_CANDIDATE_FILTER ? 'candidates' : 'full'}${blocking ? ` index=${blocking.index}` : ''}${nextToken ? ` page=${nextToken}` : ''}`);
    if (blocking && blocking.index >= this.index) await this.block(blocking.waitMs, signal, blocking.index);
    if (filter === GC_CANDIDATE_FILTER && this.candidatesDelayMs) await this.clock.sleep(this.candidatesDelayMs, signal ?? new AbortController().signal);
    if (nextToken && this.pageDelayMs) await this.clock.sleep(this.pageDelayMs, signal ?? new AbortController().signal);
    if (signal?.aborted) throw signal.reason;
    // Nomad's order and tokens: CreateIndex then ID, "CreateIndex.ID" (paginator.CreateIndexAndIDTokenizer).
    const token = (row: AllocListStub): string => `${String(row.CreateIndex).padStart(12, '0')}.${row.ID}`;
    let rows = [...this.rows.values()].sort((a, b) => (token(a) < token(b) ? -1 : 1));
    if (filter === GC_CANDIDATE_FILTER) rows = rows.filter((row) => mayBeCollected(row));
    if (nextToken) {
      const [at = '0', id = ''] = nextToken.split('.');
      const from = `${at.padStart(12, '0')}.${id}`;
      rows = rows.filter((row) => token(row) >= from);
    }
    const limit = perPage && perPage > 0 ? perPage : rows.length;
    const next = rows[limit];
    rows = rows.slice(0, limit);
    const index = perPage === 1 && this.checkIndex ? this.checkIndex(this.index) : this.index;
    return { data: rows.map((row) => ({ ...row })), meta: { index, knownLeader: true, lastContact: 0, nextToken: next ? `${next.CreateIndex}.${next.ID}` : undefined } };
  }

  async eventStream(options: { signal?: AbortSignal }): Promise<AsyncIterable<EventFrame>> {
    this.log.push('stream');
    if (this.refuseStream) throw Object.assign(new Error('stream refused'), { code: 'STREAM_REFUSED' });
    const queue: EventFrame[] = [{}, ...this.buffer];
    let wake: (() => void) | undefined;
    let ended = this.cutStreams;
    const stream: Stream = { push: (frame) => (queue.push(frame), wake?.()), end: () => ((ended = true), wake?.()) };
    this.streams.add(stream);
    options.signal?.addEventListener('abort', () => stream.end(), { once: true });
    const streams = this.streams;
    return {
      async *[Symbol.asyncIterator]() {
        try {
          for (;;) {
            while (queue.length) yield queue.shift() as EventFrame;
            if (ended) throw new Error('stream closed');
            await new Promise<void>((resolve) => (wake = resolve));
          }
        } finally {
          streams.delete(stream);
        }
      },
    };
  }

  async listNamespaces(options: ReadOptions = {}): Promise<Response<Namespace[]>> {
    this.log.push(`namespaces${options.blocking ? ' blocking' : ''}`);
    if (options.blocking) await this.block(options.blocking.waitMs, options.signal, Infinity);
    if (options.signal?.aborted) throw options.signal.reason;
    return { data: [{ Name: 'default' }], meta: { index: 1, knownLeader: true, lastContact: 0 } };
  }

  /** Publishes a frame as is (an index the agent's history does not have, say). */
  publish(frame: EventFrame): void {
    for (const stream of this.streams) stream.push(frame);
  }

  /** Ends every open stream (a dropped connection). */
  dropStreams(): void {
    for (const stream of this.streams) stream.end();
  }

  get openStreams(): number {
    return this.streams.size;
  }

  count(entry: string): number {
    return this.log.filter((line) => line.startsWith(entry)).length;
  }

  /** Waits for a write past `index` or for the wait to end (on the fake clock). */
  private block(waitMs: number, signal: AbortSignal | undefined, index: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const stop = new AbortController();
      const done = (): void => {
        this.waiters.delete(wake);
        stop.abort();
        resolve();
      };
      const wake = (): void => {
        if (this.index > index) done();
      };
      this.waiters.add(wake);
      signal?.addEventListener('abort', done, { once: true });
      void this.clock.sleep(waitMs, stop.signal).then(done);
    });
  }
}
