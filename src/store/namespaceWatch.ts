// Watches /v1/namespaces for namespaces created after an event stream was opened. Nomad 1.9.6+
// and 1.10+ pin a `namespace=*` subscription to the namespaces that existed when it opened
// (nomad/event_endpoint.go validateACL, the CVE-2025-0937 fix): allocations of a namespace made
// later never get events, so the stream must be opened again. One blocking read at a time,
// never more than one a second (one per 2 s when the agent does not block), and a failed read only waits: the stream itself is unaffected.
import type { NomadClient } from '../nomad/client.js';
import type { FeedClock } from './feedClock.js';
import { NOT_BLOCKING_FLOOR_MS } from './watcher.js';

const FLOOR_MS = 1_000;
const RETRY_MS = 30_000;

export class NamespaceWatch {
  private readonly controller = new AbortController();
  private known?: Set<string>;

  constructor(
    private readonly client: Pick<NomadClient, 'listNamespaces'>,
    private readonly clock: FeedClock,
    private readonly waitMs: number,
    /** Called once, when a namespace appears that the stream does not know. */
    private readonly onNew: () => void,
  ) {}

  /** Reads the namespaces as they are now (before the stream subscribes), then watches. A
   * failure leaves nothing to compare with: the watch is off for this stream. */
  async start(signal: AbortSignal): Promise<void> {
    let index: number;
    try {
      const first = await this.client.listNamespaces({ signal: AbortSignal.any([signal, this.controller.signal]) });
      this.known = names(first.data);
      index = Math.max(1, first.meta.index);
    } catch (error) {
      if (signal.aborted) throw error;
      return;
    }
    void this.loop(index);
  }

  stop(): void {
    this.controller.abort(new DOMException('namespace watch closed', 'AbortError'));
  }

  private async loop(index: number): Promise<void> {
    const { signal } = this.controller;
    while (!signal.aborted) {
      const startedAt = this.clock.now();
      let pause = FLOOR_MS;
      try {
        const answer = await this.client.listNamespaces({ signal, blocking: { index, waitMs: this.waitMs } });
        if (signal.aborted) return;
        if ([...names(answer.data)].some((name) => !this.known?.has(name))) {
          this.onNew();
          return;
        }
        // An answer at once with the index it waited on: the agent does not block; ask every
        // 2 s, as the store does such keys.
        if (answer.meta.index === index && this.clock.now() - startedAt < this.waitMs / 10) pause = NOT_BLOCKING_FLOOR_MS;
        // Backwards is a restore: the feed sees it too; just wait from the new index.
        index = Math.max(1, answer.meta.index);
      } catch {
        if (signal.aborted) return;
        pause = RETRY_MS;
      }
      await this.clock.sleep(Math.max(0, pause - (this.clock.now() - startedAt)), signal);
    }
  }
}

function names(list: unknown): Set<string> {
  const out = new Set<string>();
  if (Array.isArray(list)) for (const item of list) if (item && typeof (item as { Name?: unknown }).Name === 'string') out.add((item as { Name: string }).Name);
  return out;
}
