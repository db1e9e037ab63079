// Once the first list is in, V8 is asked to favour memory over speed (--optimize-for-size):
// an agent that sends megabytes of text per event (`alloctop sim --hostile long-text`) then no
// longer lets garbage pile up before V8 collects it. Measured 2026-12-01 (bench/hostile.mjs):
// peak RSS under long-text 597 → 204 MB. At 50,000 ordinary allocations it changes little (peak
// 206 → 205 MB). Asked at launch instead, it saved 35 MB more at 50,000 but slowed the start by
// a sixth and the p95 of a list change from 95 to 164 ms, so it waits for the first list, all
// of it: turned on at the first page of a read that comes in pages, it made the rest of a
// 200,000-row read take 6.0 s and 6.8 CPU-seconds instead of 4.5 s and 4.0 (its GC runs far
// more often while the heap grows; measured 2026-12-03, peak RSS 255 → 310 MB).
// Node warns that flags set after start may do nothing or misbehave; this one is read by V8's
// heap sizing and compiler as they run, and the test suite and benchmarks all run with it.
import { setFlagsFromString } from 'node:v8';
import type { Store } from '../store/store.js';
import type { Query } from '../store/types.js';

/** Turns on --optimize-for-size once `query` has all its data, not just a read's first pages
 * (or after `latestMs`, whichever first). Each answer is looked at: a read's last page may
 * bring no new index, nothing the connection summary would tell. */
export function leanHeapAfterFirstData<T>(store: Store, query: Query<T>, latestMs = 30_000, setFlags: (flags: string) => void = setFlagsFromString): void {
  let done = false;
  const lean = (): void => {
    if (done) return;
    done = true;
    clearTimeout(timer);
    unsubscribe();
    setFlags('--optimize-for-size');
  };
  const timer = setTimeout(lean, latestMs);
  timer.unref();
  const check = (): void => {
    const state = store.getState(query.key);
    if (state.data !== undefined && state.progress === undefined) setImmediate(lean);
  };
  const unsubscribe = store.subscribe(query, check);
  // The read may be in already.
  check();
}
