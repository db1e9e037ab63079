// V8 is asked to favour memory only once the first list is in (asked earlier, it slowed the
// start at 50,000 allocations), and only once.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { leanHeapAfterFirstData } from '../../src/cli/leanHeap.js';
import { Store } from '../../src/store/store.js';
import { eventually } from '../helpers/sim.js';

describe('lean heap', () => {
  it('sets --optimize-for-size once, after the list has data', async () => {
    let answer: (() => void) | undefined;
    let fetches = 0;
    let updates = 0;
    const store = new Store({ waitMs: 10_000, minIntervalMs: 20 });
    const query = {
      key: '/v1/allocations',
      fetcher: async () => {
        fetches += 1;
        await new Promise<void>((resolve) => (answer = resolve));
        return { data: [], meta: { index: 3 + fetches, knownLeader: true, lastContact: 0 } };
      },
    };
    const unsubscribe = store.subscribe(query, () => (updates += 1));
    const flags: string[] = [];
    leanHeapAfterFirstData(store, query.key, 60_000, (flag) => flags.push(flag));
    await eventually(() => fetches === 1, 2000, 'the first read under way');
    assert.deepEqual(flags, [], 'not while the first read is under way');
    answer?.();
    await eventually(() => flags.length > 0, 2000, 'the flag');
    // A second answer: the flag is not set again.
    await eventually(() => fetches === 2, 2000, 'the next read');
    const before = updates;
    answer?.();
    await eventually(() => updates > before, 2000, 'the second answer applied');
    assert.deepEqual(flags, ['--optimize-for-size']);
    unsubscribe();
    store.close();
  });
});
