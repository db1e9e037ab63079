// What changed in the allocation list since a version a reader holds, so the list's readers
// (the sorted, filtered rows on screen) can follow a change of a few rows without redoing all
// of them: at 200,000 allocations a full sort takes hundreds of milliseconds, following a
// change a few. A reader tracks the version it last computed from; every commit after it adds
// its changes to that version's account (an ID's newest row, or undefined once it left), until
// the reader asks for them and moves its mark on. A fresh read of the list forgets every mark.
import type { AllocListStub } from '../nomad/types.js';

type Version = readonly AllocListStub[];
export interface ListChanges {
  /** Each changed ID's newest row, or undefined once it left. */
  readonly byId: ReadonlyMap<string, AllocListStub | undefined>;
  /** Rows new since then, appended at the list's end (its order unchanged by any removal):
   * not in byId unless changed again since (byId then holds the same, newest row). */
  readonly added: readonly AllocListStub[];
  /** Some change replaced or removed a row (false: only new rows came, as while a list loads). */
  readonly replaces: boolean;
  /** Each changed ID's row in the version followed from, when that version had one: where a
   * sorted reader finds it (a binary search) instead of looking at every row it holds. */
  readonly before: ReadonlyMap<string, AllocListStub>;
}

/** What one commit changed. */
export interface Commit {
  /** The rows put: a row new since the last version too, unless it was appended. */
  readonly upserted: Iterable<AllocListStub>;
  /** IDs the last version had and this one has not. */
  readonly removed: Iterable<string>;
  /** Some row put took the place of one the last version had. */
  readonly replaced: boolean;
  /** Rows from here on are appended, and not among `upserted`; undefined when rows moved (a
   * removal, even one undone by the row coming back): every new row is then in `upserted`. */
  readonly appendedFrom: number | undefined;
  /** The last version's rows this one replaced or removed. */
  readonly replacedRows: Iterable<AllocListStub>;
}

interface Account {
  byId: Map<string, AllocListStub | undefined>;
  before: Map<string, AllocListStub>;
  replaces: boolean;
  /** Rows from here on in the newest version are new since the tracked one (until a removal
   * moves rows: then they are in byId). */
  tail?: number;
}

/** At most this many versions are tracked per list (a reader forgetting to untrack leaks none). */
const MOST_TRACKED = 4;

const logs = new WeakMap<Version, ChangeLog>();

/** One list's versions: the newest, and the changes since each tracked one. */
export class ChangeLog {
  private current: Version | undefined;
  private readonly since = new Map<Version, Account>();

  /** A fresh read: nothing before it can be followed to it. */
  load(version: Version): void {
    this.since.clear();
    this.current = version;
    logs.set(version, this);
  }

  /** A new version made of the last one by `commit`'s changes. */
  commit(version: Version, commit: Commit): void {
    if (this.since.size) {
      const rows = [...commit.upserted];
      const ids = [...commit.removed];
      const olds = [...commit.replacedRows];
      const moved = commit.appendedFrom === undefined;
      const previous = this.current ?? [];
      for (const account of this.since.values()) {
        // First changed since the tracked version: the row it had then (a row new since then
        // is told by byId already, or is in the tail, which no reader holds).
        for (const old of olds) if (!account.byId.has(old.ID as string) && !account.before.has(old.ID as string)) account.before.set(old.ID as string, old);
        if (moved && account.tail !== undefined) {
          // Rows move: the ones new since the tracked version are told by ID from now on.
          for (let at = account.tail; at < previous.length; at++) account.byId.set(previous[at]?.ID as string, previous[at]);
          account.tail = undefined;
        }
        for (const id of ids) account.byId.set(id, undefined);
        for (const row of rows) account.byId.set(row.ID as string, row);
        if (account.tail === undefined && commit.appendedFrom !== undefined) for (let at = commit.appendedFrom; at < version.length; at++) account.byId.set(version[at]?.ID as string, version[at]);
        if (commit.replaced || moved) account.replaces = true;
      }
    }
    this.current = version;
    logs.set(version, this);
  }

  track(version: Version): void {
    if (version !== this.current || this.since.has(version)) return;
    this.since.set(version, { byId: new Map(), before: new Map(), replaces: false, tail: version.length });
    if (this.since.size > MOST_TRACKED) this.since.delete(this.since.keys().next().value as Version);
  }

  untrack(version: Version): void {
    this.since.delete(version);
  }

  changes(from: Version, to: Version): ListChanges | undefined {
    if (to !== this.current) return undefined;
    if (from === to) return { byId: new Map(), before: new Map(), replaces: false, added: [] };
    const account = this.since.get(from);
    return account && { byId: account.byId, before: account.before, replaces: account.replaces, added: account.tail === undefined ? [] : to.slice(account.tail) };
  }
}

/** Starts counting the changes after `version` (the newest of its list; otherwise nothing). */
export function trackVersion(version: Version): void {
  logs.get(version)?.track(version);
}

/** Stops counting the changes after `version`. */
export function untrackVersion(version: Version): void {
  logs.get(version)?.untrack(version);
}

/** The changes from tracked `from` to `to` (the newest version of the same list); undefined
 * when they are not known. They are live while `from` is tracked: read them before the next
 * commit. */
export function changesBetween(from: Version, to: Version): ListChanges | undefined {
  const log = logs.get(to);
  return log && logs.get(from) === log ? log.changes(from, to) : undefined;
}
