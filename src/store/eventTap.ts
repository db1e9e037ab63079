// One subscription to /v1/event/stream for the list feed: the frames that arrived and are not
// yet applied, and what ended its usefulness — the stream failed, a frame came with a lower
// raft index than one before it (a snapshot restore), or a namespace appeared that a pinned
// namespace=* stream will never carry (namespaceWatch.ts). Whoever waits on it is woken by
// each of those.
import type { EventFrame } from '../nomad/types.js';
import type { FeedClient } from './allocationFeed.js';
import type { FeedClock } from './feedClock.js';
import { indexOf } from './listRows.js';
import { NamespaceWatch } from './namespaceWatch.js';

/** How long the namespace watch's blocking reads wait. */
const NAMESPACE_WAIT_MS = 300_000;

export class EventTap {
  /** Frames received and not yet taken, heartbeats left out. */
  readonly frames: EventFrame[] = [];
  failed?: Error;
  /** A frame came with a lower index than one before it: what we hold is from another history. */
  regressed = false;
  /** A namespace appeared that this stream will never carry. */
  pinned = false;
  /** When the agent accepted it (ms, the feed's clock). */
  openedAt = 0;
  private readonly controller = new AbortController();
  private maxIndex = 0;
  private namespaces?: NamespaceWatch;

  constructor(private readonly onNews: () => void) {}

  /** False once the stream cannot be used any more: read again and open another. */
  get usable(): boolean {
    return !this.failed && !this.regressed && !this.pinned;
  }

  /** Subscribes; resolves once the agent accepted. For `*`, the namespaces are read first, so
   * every namespace the watch knows is one the stream carries. */
  async open(client: FeedClient, clock: FeedClock, namespace: string, signal: AbortSignal): Promise<void> {
    const opened = AbortSignal.any([signal, this.controller.signal]);
    if (namespace === '*') {
      this.namespaces = new NamespaceWatch(client, clock, NAMESPACE_WAIT_MS, () => {
        this.pinned = true;
        this.onNews();
      });
      await this.namespaces.start(opened);
    }
    const frames = await client.eventStream({ topics: ['Allocation'], namespace, signal: this.controller.signal });
    this.openedAt = clock.now();
    void this.pump(frames);
  }

  /** Takes the frames received so far. */
  take(): EventFrame[] {
    return this.frames.splice(0);
  }

  close(): void {
    this.namespaces?.stop();
    this.controller.abort(new DOMException('feed closed', 'AbortError'));
  }

  private async pump(frames: AsyncIterable<EventFrame>): Promise<void> {
    try {
      for await (const frame of frames) {
        if (!Array.isArray(frame.Events) || frame.Events.length === 0) continue;
        const index = indexOf(frame.Index);
        if (index < this.maxIndex) this.regressed = true;
        this.maxIndex = index;
        this.frames.push(frame);
        this.onNews();
      }
    } catch (error) {
      this.failed = error instanceof Error ? error : new Error(String(error));
      this.onNews();
    }
  }
}
