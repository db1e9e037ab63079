// V8 is asked to favour memory only once the first list is in, all its pages (asked earlier, it
// slowed the start at 50,000 allocations and a 200,000-row read by a third), and only once.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { leanHeapAfterFirstData } from '../../src/cli/leanHeap.js';
import { Store } from '../../src/store/store.js';
import { eventually } from '../helpers/sim.js';

describe('lean heap', () => {
  it('sets --optimize-for-size once, after the list has all its data', async () => {
    let answer: (() => void) | undefined;
    let fetches = 0;
    let updates = 0;
    const store = new Store({ waitMs: 10_000, minIntervalMs: 20 });
    // The first read comes in two pages: the first answer says more is coming.
    const query = {
      key: '/v1/allocations',
      fetcher: async () => {
        fetches += 1;
        await new Promise<void>((resolve) => (answer = resolve));
        // The pages of one read answer at its first page's index (as the list feed does); later
        // answers carry a change.
        return { data: fetches >= 3 ? [{ ID: `a${fetches}` }] : [], meta: { index: fetches <= 2 ? 4 : 3 + fetches, knownLeader: true, lastContact: 0 }, progress: fetches === 1 ? { loaded: 1 } : undefined };
      },
    };
    const unsubscribe = store.subscribe(query, () => (updates += 1));
    const flags: string[] = [];
    leanHeapAfterFirstData(store, query, 60_000, (flag) => flags.push(flag));
    await eventually(() => fetches === 1, 2000, 'the first read under way');
    assert.deepEqual(flags, [], 'not while the first read is under way');
    answer?.();
    await eventually(() => fetches === 2 && store.getState(query.key).progress !== undefined, 2000, 'the first page in, the next asked for');
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(flags, [], 'not while the rest of the read comes in');
    answer?.();
    await eventually(() => flags.length > 0, 2000, 'the flag');
    // A later answer: the flag is not set again.
    await eventually(() => fetches === 3, 2000, 'the next read');
    const before = updates;
    answer?.();
    await eventually(() => updates > before, 2000, 'the second answer applied');
    assert.deepEqual(flags, ['--optimize-for-size']);
    unsubscribe();
    store.close();
  });
});
