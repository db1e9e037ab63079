// The allocation list's rows as the feed holds them: by ID, new rows last (Nomad's list order
// for new allocations), each row only ever replaced by a newer one (by ModifyIndex).
// Copy-on-write: a batch of changes makes one new array, so a list handed to the store never
// changes under its readers; each new array comes with what changed (listDelta.ts).
import { mayBeCollected } from '../nomad/gcCandidates.js';
import { listStubOf } from '../nomad/listStub.js';
import type { AllocListStub, Allocation } from '../nomad/types.js';
import { ChangeLog } from './listDelta.js';

const MAX_GONE = 50_000;

export class ListRows {
  private current: AllocListStub[] = [];
  private draft?: AllocListStub[];
  /** The draft's changes: rows put (by ID) and IDs removed, disjoint. New rows are not in
   * `upserted` while the draft only appended them (no removal): they are its tail, from
   * `base` (a loading page costs no map of its rows). */
  private readonly upserted = new Map<string, AllocListStub>();
  private base = 0;
  private appending = true;
  private readonly removed = new Set<string>();
  /** The draft replaced a row the last commit had. */
  private replaced = false;
  /** The last commit's rows the draft replaced or removed, by ID. */
  private readonly replacedRows = new Map<string, AllocListStub>();
  private readonly changes = new ChangeLog();
  private readonly positions = new Map<string, number>();
  /** A row per job, for the job type and version an event's allocation does not carry. */
  private readonly jobRows = new Map<string, AllocListStub>();
  /** Rows a reconcile found gone, with the index of that read: an event from before it that
   * arrives late must not bring the row back (collected allocations never return). */
  private readonly gone = new Map<string, number>();

  /** The rows as last committed. */
  get rows(): AllocListStub[] {
    return this.current;
  }

  get size(): number {
    return (this.draft ?? this.current).length;
  }

  /** Replaces every row with a fresh read. */
  load(rows: AllocListStub[]): void {
    this.draft = undefined;
    this.upserted.clear();
    this.removed.clear();
    this.replaced = false;
    this.replacedRows.clear();
    this.current = rows;
    this.changes.load(rows);
    this.positions.clear();
    this.jobRows.clear();
    this.gone.clear();
    rows.forEach((row, i) => {
      if (row && typeof row.ID === 'string') this.positions.set(row.ID, i);
      if (row) this.jobRows.set(jobKey(row), row);
    });
  }

  /** An event's allocation (no Job, full task states): becomes a row unless ours is newer. */
  applyEvent(alloc: Allocation): void {
    const previous = this.get(alloc.ID);
    if (previous && indexOf(alloc.ModifyIndex) < indexOf(previous.ModifyIndex)) return;
    if (!previous && indexOf(alloc.ModifyIndex) <= (this.gone.get(alloc.ID as string) ?? -1)) return;
    this.put(listStubOf(alloc, previous ?? this.jobRows.get(jobKey(alloc))));
  }

  /** Adds a page of a read that goes on: each row unless ours (from an event) is newer. */
  merge(page: AllocListStub[]): void {
    for (const row of page) {
      if (!row || typeof row.ID !== 'string') continue;
      const previous = this.get(row.ID);
      if (!previous || indexOf(row.ModifyIndex) > indexOf(previous.ModifyIndex)) this.put(row);
    }
  }

  /** Merges a read of every allocation the garbage collector could have deleted, taken at
   * `readIndex`: newer rows replace ours, rows we lacked are added, and our rows that could
   * have been collected, were last changed at or before the read, and are not in it, are gone
   * (only those created below `createdBelow` when the read covered only those).
   * Returns how many rows were removed. */
  reconcile(candidates: AllocListStub[], readIndex: number, createdBelow = Infinity): number {
    const present = new Set<string>();
    for (const row of candidates) {
      if (!row || typeof row.ID !== 'string') continue;
      present.add(row.ID);
      const previous = this.get(row.ID);
      if (!previous || indexOf(row.ModifyIndex) > indexOf(previous.ModifyIndex)) this.put(row);
    }
    const doomed = new Set<string>();
    for (const row of this.draft ?? this.current) {
      if (row && typeof row.ID === 'string' && !present.has(row.ID) && mayBeCollected(row) && indexOf(row.ModifyIndex) <= readIndex && indexOf(row.CreateIndex) < createdBelow) doomed.add(row.ID);
    }
    if (doomed.size) this.remove(doomed);
    for (const id of doomed) this.gone.set(id, readIndex);
    for (const [id] of this.gone) {
      if (this.gone.size <= MAX_GONE) break;
      this.gone.delete(id);
    }
    return doomed.size;
  }

  /** Publishes the changes made since the last commit; false when there were none. */
  commit(): boolean {
    if (!this.draft) return false;
    this.changes.commit(this.draft, {
      upserted: this.upserted.values(),
      removed: this.removed,
      replaced: this.replaced,
      appendedFrom: this.appending ? this.base : undefined,
      replacedRows: this.replacedRows.values(),
    });
    this.upserted.clear();
    this.removed.clear();
    this.replaced = false;
    this.replacedRows.clear();
    this.current = this.draft;
    this.draft = undefined;
    return true;
  }

  private get(id: string | null | undefined): AllocListStub | undefined {
    const at = typeof id === 'string' ? this.positions.get(id) : undefined;
    return at === undefined ? undefined : (this.draft ?? this.current)[at];
  }

  /** The draft, begun from the last commit when there is none. */
  private begin(): AllocListStub[] {
    if (this.draft) return this.draft;
    this.base = this.current.length;
    this.appending = true;
    return (this.draft = this.current.slice());
  }

  private put(row: AllocListStub): void {
    const draft = this.begin();
    const id = row.ID as string;
    const at = this.positions.get(id);
    if (at === undefined) {
      this.positions.set(id, draft.length);
      draft.push(row);
      // Back after a removal in this same draft: the last version had it.
      if (this.removed.has(id)) this.replaced = true;
      if (!this.appending) this.upserted.set(id, row);
    } else {
      this.keepReplaced(id, at);
      draft[at] = row;
      // A row this draft appended is still in its tail; any other was in the last commit.
      if (!this.appending || at < this.base) {
        this.replaced = true;
        this.upserted.set(id, row);
      }
    }
    this.removed.delete(id);
    this.jobRows.set(jobKey(row), row);
  }

  /** Notes the row at `at` as one the last commit had, unless this draft put it there. */
  private keepReplaced(id: string, at: number): void {
    const fromDraft = this.draft !== undefined && ((this.appending && at >= this.base) || this.upserted.has(id) || this.replacedRows.has(id));
    const old = (this.draft ?? this.current)[at];
    if (!fromDraft && old) this.replacedRows.set(id, old);
  }

  private remove(ids: ReadonlySet<string>): void {
    for (const id of ids) {
      const at = this.positions.get(id);
      if (at !== undefined) this.keepReplaced(id, at);
    }
    // The rows move: the tail appended so far is told by ID from here on.
    if (this.draft && this.appending) for (let at = this.base; at < this.draft.length; at++) this.upserted.set(this.draft[at]?.ID as string, this.draft[at] as AllocListStub);
    this.appending = false;
    const kept = (this.draft ?? this.current).filter((row) => !(row && typeof row.ID === 'string' && ids.has(row.ID)));
    for (const id of ids) {
      this.upserted.delete(id);
      this.removed.add(id);
    }
    this.draft = kept;
    this.positions.clear();
    kept.forEach((row, i) => {
      if (row && typeof row.ID === 'string') this.positions.set(row.ID, i);
    });
  }
}

export function indexOf(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

function jobKey(row: { Namespace?: string | null; JobID?: string | null }): string {
  return `${row.Namespace ?? ''}\u0000${row.JobID ?? ''}`;
}
