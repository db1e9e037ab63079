// Which raft indexes the event stream has accounted for. Nomad's garbage collector deletes
// allocations in raft writes that publish no event (nomad/state/events.go: EvalDeleteRequest
// has no event type), so when the allocations table's index moved across an index the stream
// never carried, a write may have deleted rows: the list must be checked against the agent.

/** More unjudged indexes than this means nothing is being judged: give up and suspect. */
const MAX_TRACKED = 100_000;

export class EventLedger {
  private readonly seen = new Set<number>();
  private overflowed = false;

  record(index: number): void {
    if (this.seen.size >= MAX_TRACKED) {
      this.seen.clear();
      this.overflowed = true;
    }
    this.seen.add(index);
  }

  /** True when every raft index in (from, to] carried events: no silent write in between. A
   * gap may also be a write to another table (an evaluation, a job), which only costs a check. */
  accounts(from: number, to: number): boolean {
    if (this.overflowed || to - from > this.seen.size) return false;
    for (let index = from + 1; index <= to; index++) if (!this.seen.has(index)) return false;
    return true;
  }

  /** Drops what is judged: indexes up to and including `index`. */
  forget(index: number): void {
    for (const seen of this.seen) if (seen <= index) this.seen.delete(seen);
    this.overflowed = false;
  }

  clear(): void {
    this.seen.clear();
    this.overflowed = false;
  }
}
