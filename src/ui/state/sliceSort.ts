// A full filter and sort of a large list in slices of a few milliseconds, so keys keep flowing
// while 200,000 rows are put in a new order (one pass of them at once holds the keys for
// hundreds of milliseconds). The work is a generator that yields every few hundred rows: keys
// of each row once, sorted runs, then merges of the runs; a runner steps it for SLICE_MS at a
// time and gives the event loop back between slices.
import type { AllocListStub } from '../../nomad/types.js';
import { compareKeyed, keyedOf, type Keyed, type SortOrder } from '../listModel.js';

/** Work done per turn of the event loop. */
export const SLICE_MS = 4;
/** Rows sorted at once before the merges. */
const RUN = 1024;
/** Rows between two chances to stop. */
const STEP = 512;

interface Entry {
  alloc: AllocListStub;
  keyed: Keyed;
}

/** The rows that pass `shown`, sorted by `order` (as sortAllocations), a little at a time. */
export function* sortInSlices(list: readonly AllocListStub[], shown: (alloc: AllocListStub) => boolean, order: SortOrder): Generator<void, AllocListStub[]> {
  const direction = order.descending ? -1 : 1;
  const compare = (a: Entry, b: Entry): number => compareKeyed(a.keyed, b.keyed) * direction;
  let source: Entry[] = [];
  for (let i = 0; i < list.length; i++) {
    const alloc = list[i] as AllocListStub;
    if (shown(alloc)) source.push({ alloc, keyed: keyedOf(alloc, order.column) });
    if (i % STEP === STEP - 1) yield;
  }
  const count = source.length;
  for (let at = 0; at < count; at += RUN) {
    const run = source.slice(at, at + RUN).sort(compare);
    for (let i = 0; i < run.length; i++) source[at + i] = run[i] as Entry;
    yield;
  }
  let target: Entry[] = new Array<Entry>(count);
  for (let width = RUN; width < count; width *= 2) {
    for (let low = 0; low < count; low += 2 * width) {
      const middle = Math.min(low + width, count);
      const high = Math.min(low + 2 * width, count);
      let left = low;
      let right = middle;
      for (let out = low; out < high; out++) {
        // Stable: on a tie the left run's row first.
        if (left < middle && (right >= high || compare(source[left] as Entry, source[right] as Entry) <= 0)) target[out] = source[left++] as Entry;
        else target[out] = source[right++] as Entry;
        if (out % STEP === STEP - 1) yield;
      }
    }
    [source, target] = [target, source];
  }
  return source.map((entry) => entry.alloc);
}

/** Steps a generator SLICE_MS at a time, one slice per turn of the event loop. */
export class SliceRunner<T> {
  private timer: NodeJS.Immediate | undefined;
  private cancelled = false;

  constructor(
    private readonly work: Generator<void, T>,
    private readonly done: (value: T) => void,
  ) {
    this.timer = setImmediate(this.step);
  }

  cancel(): void {
    this.cancelled = true;
    if (this.timer) clearImmediate(this.timer);
    this.timer = undefined;
  }

  private readonly step = (): void => {
    this.timer = undefined;
    if (this.cancelled) return;
    const until = performance.now() + SLICE_MS;
    do {
      const next = this.work.next();
      if (next.done) {
        this.done(next.value);
        return;
      }
    } while (performance.now() < until);
    this.timer = setImmediate(this.step);
  };
}
