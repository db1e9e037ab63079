// The simulator's event broker (REFERENCE §6): every raft write that changed allocations
// publishes one item {Index, Events}; the last BUFFER_ITEMS items are kept so a subscriber can
// start from an index. Like Nomad's EventBroker.Subscribe (nomad/stream/event_buffer.go,
// StartAtClosest): a subscription starts at the first kept item with Index >= index, so index
// 0, or an index older than the buffer, replays every item the buffer holds, allocations
// collected since included. Deletions (GC) publish nothing, as in Nomad's eventsFromChanges,
// which emits no Allocation event for a deleted row.

/** Nomad's default event_buffer_size. */
export const BUFFER_ITEMS = 100;

export type AllocationEventType = 'PlanResult' | 'AllocationUpdated' | 'AllocationUpdateDesiredStatus';

export interface BrokerEvent {
  topic: 'Allocation';
  type: AllocationEventType;
  key: string;
  namespace: string;
  filterKeys: string[];
  index: number;
  /** The event's JSON, encoded when it was published (the allocation as it was then). */
  json: string;
}

export interface BrokerItem {
  index: number;
  events: BrokerEvent[];
}

type Subscriber = (item: BrokerItem) => void;

export class EventBroker {
  private items: BrokerItem[] = [];
  private readonly subscribers = new Set<Subscriber>();

  publish(item: BrokerItem): void {
    if (item.events.length === 0) return;
    this.items.push(item);
    if (this.items.length > BUFFER_ITEMS) this.items.splice(0, this.items.length - BUFFER_ITEMS);
    for (const subscriber of [...this.subscribers]) subscriber(item);
  }

  /** A snapshot restore: the buffer starts over (the items' indexes are no longer valid). */
  reset(): void {
    this.items = [];
  }

  /** Replays the buffered items from `index` to `deliver`, then every new one until the
   * returned unsubscribe is called. */
  subscribe(index: number, deliver: Subscriber): () => void {
    // Items are in index order, so "Index >= index" is also "closest" when index is too old.
    const backlog = this.items.filter((item) => item.index >= index);
    for (const item of backlog) deliver(item);
    this.subscribers.add(deliver);
    return () => this.subscribers.delete(deliver);
  }
}
