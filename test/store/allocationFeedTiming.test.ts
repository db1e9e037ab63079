// The list feed's timing rules on a virtual clock (FakeClock) against an in-memory agent: what
// makes it read again, how soon, and what it never does (loop, re-read the whole list for a
// collected row, bring a collected row back from a replay).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AllocListStub } from '../../src/nomad/types.js';
import { AllocationFeed, type FeedOptions } from '../../src/store/allocationFeed.js';
import type { QueryResult } from '../../src/store/types.js';
import { FakeClock } from '../helpers/fakeClock.js';
import { MemoryAgent } from '../helpers/memoryAgent.js';

const TIMING = { checkIntervalMs: 1_000, catchUpMs: 2_000, reconcileGapMs: 5_000, streamRetryMs: 300_000 };

/** The feed driven as the store's watcher drives it: fetch, take the answer, fetch again. */
function harness(options: Partial<FeedOptions> = {}, seed?: (agent: MemoryAgent) => void) {
  const clock = new FakeClock();
  const agent = new MemoryAgent(clock);
  if (seed) seed(agent);
  else agent.write([{ ID: 'run-1' }, { ID: 'run-2' }, { ID: 'done-1', ClientStatus: 'complete' }, { ID: 'done-2', ClientStatus: 'failed', DesiredStatus: 'stop' }]);
  const feed = new AllocationFeed(agent, { namespace: 'default', pageSize: 5000, ...TIMING, clock, ...options });
  const controller = new AbortController();
  const answers: QueryResult<AllocListStub[]>[] = [];
  /** When each answer came, on the virtual clock. */
  const answeredAt: number[] = [];
  const errors: unknown[] = [];
  let index = 0;
  let pending: Promise<void> | undefined;
  const pump = (): void => {
    if (controller.signal.aborted) return;
    pending = feed.fetch({ index, waitMs: 300_000, signal: controller.signal }).then(
      (result) => {
        answers.push(result);
        answeredAt.push(clock.now());
        index = result.restart ? 0 : Math.max(1, result.meta.index);
        // The watcher's least interval between two requests of a key (minIntervalMs); a read
        // still coming in goes on at once.
        void clock.sleep(result.progress ? 0 : 250, controller.signal).then(pump);
      },
      (error: unknown) => {
        errors.push(error);
        index = 0;
        // The watcher backs off after a failure (a second here, on the virtual clock), longer
        // when the fetcher asks for it.
        const asked = (error as { retryAfterMs?: number }).retryAfterMs ?? 0;
        void clock.sleep(Math.max(1_000, asked), controller.signal).then(pump);
      },
    );
  };
  pump();
  const ids = (): string[] => (answers.at(-1)?.data ?? []).map((row) => row.ID as string).sort();
  return { clock, agent, feed, answers, answeredAt, errors, ids, stop: () => (controller.abort(), feed.close(), pending) };
}

/** Moves the virtual clock on until the read is in (60 s at most: then the test fails, not hangs). */
async function untilLoaded(h: ReturnType<typeof harness>): Promise<void> {
  const from = h.clock.now();
  while ((h.answers.length === 0 || h.answers.at(-1)?.progress) && h.clock.now() - from < 60_000) await h.clock.advance(100);
  assert.ok(h.answers.length > 0 && h.answers.at(-1)?.progress === undefined, 'the whole list read');
}

describe('list feed timing (virtual clock)', () => {
  it('a collection hidden behind a later write is found by the gap it leaves, and costs one candidates read, not a full one', async () => {
    const h = harness();
    await h.clock.advance(10);
    assert.deepEqual(h.ids(), ['done-1', 'done-2', 'run-1', 'run-2']);
    // GC (no event) and, right after, a write that has one: the index check only sees the
    // second, whose event we have; the raft index between the two carried nothing.
    h.agent.collect(['done-1']);
    h.agent.write([{ ID: 'run-1', ClientDescription: 'changed' }]);
    await h.clock.advance(1_100);
    assert.deepEqual(h.ids(), ['done-2', 'run-1', 'run-2']);
    assert.equal(h.agent.count('list full'), 1, 'the whole list was read once, at the start');
    assert.equal(h.agent.count('list candidates'), 1);
    assert.equal(h.feed.stats.collectedRows, 1);
    await h.stop();
  });

  it('a row collected while a long first read comes in leaves before the read is done; the candidates read stops at the pages read', async () => {
    // 60 allocations in 12 writes (half of them complete), read 5 at a time, each later page a
    // second (a slow link): the read takes 11 s, longer than a collected row may stay.
    const h = harness({ pageSize: 5, firstPageSize: 5, loadingPublishMs: 0 }, (agent) => {
      agent.pageDelayMs = 1_000;
      for (let w = 0; w < 12; w++) agent.write(Array.from({ length: 5 }, (_, i) => ({ ID: `a${String(w * 5 + i).padStart(2, '0')}`, ClientStatus: i % 2 ? 'complete' : 'running' })));
    });
    await h.clock.advance(10);
    assert.deepEqual(h.ids(), ['a00', 'a01', 'a02', 'a03', 'a04']);
    await h.clock.advance(2_000);
    const collectedAt = h.clock.now();
    h.agent.collect(['a01']);
    while (h.ids().includes('a01') && h.clock.now() - collectedAt < 20_000) await h.clock.advance(100);
    const last = h.answers.at(-1);
    assert.ok(last?.progress, `gone while the read still comes in (${last?.data.length} of 59 rows)`);
    // A page for the agent to show the move (1 s), the events' catch-up (2 s), then the
    // candidates read (its two later pages 1 s each on this link).
    assert.ok(h.clock.now() - collectedAt <= 5_000, `gone after ${h.clock.now() - collectedAt} ms`);
    // Only the candidates of the pages read so far (complete rows of the first ~5 of 12 writes).
    const candidatePages = h.agent.log.filter((line) => line.startsWith('list candidates')).length;
    assert.ok(candidatePages >= 1 && candidatePages <= 4, `candidate pages read: ${candidatePages} (all would be 6)`);
    await untilLoaded(h);
    assert.deepEqual(h.ids(), [...h.agent.rows.keys()].sort());
    assert.equal(h.agent.log.filter((line) => line.startsWith('list full') && !line.includes('page=')).length, 1, 'one read of the list');
    await h.stop();
  });

  it('while a long first read comes in, a version is published when its rows have doubled, or at least every 5 × loadingPublishMs', async () => {
    const h = harness({ pageSize: 5, firstPageSize: 5, loadingPublishMs: 200 }, (agent) => {
      agent.pageDelayMs = 100;
      for (let w = 0; w < 100; w++) agent.write(Array.from({ length: 5 }, (_, i) => ({ ID: `a${String(w * 5 + i).padStart(3, '0')}` })));
    });
    await untilLoaded(h);
    const loading = h.answers.map((answer, i) => ({ rows: answer.data.length, at: h.answeredAt[i] as number, progress: answer.progress }));
    const versions = loading.filter((v) => v.progress).length;
    for (let i = 1; i < loading.length; i++) {
      const [before, after] = [loading[i - 1], loading[i]] as [(typeof loading)[0], (typeof loading)[0]];
      if (!after.progress) continue;
      const gap = after.at - before.at;
      assert.ok(after.rows >= 2 * before.rows || gap >= 1_000, `version ${i}: ${before.rows} → ${after.rows} rows after ${gap} ms`);
      // A page (two in flight: each ~50 ms) past the due time at most.
      assert.ok(gap <= 1_100, `version ${i} came ${gap} ms after the one before`);
    }
    // 500 rows at 50 a second (a page of 5 each 100 ms): the rows double while they are few,
    // then a version a second. One each 200 ms would be ~50.
    assert.ok(versions <= 15, `${versions} versions while loading`);
    assert.deepEqual(h.ids(), [...h.agent.rows.keys()].sort());
    await h.stop();
  });

  it('a row an event brought during a long first read and collected during it leaves once the read is done', async () => {
    const h = harness({ pageSize: 5, firstPageSize: 5, loadingPublishMs: 0 }, (agent) => {
      agent.pageDelayMs = 1_000;
      for (let w = 0; w < 8; w++) agent.write(Array.from({ length: 5 }, (_, i) => ({ ID: `a${w * 5 + i}`, ClientStatus: i % 2 ? 'complete' : 'running' })));
    });
    await h.clock.advance(10);
    h.agent.write([{ ID: 'new', ClientStatus: 'complete' }]);
    await h.clock.advance(1_100);
    assert.ok(h.ids().includes('new'), 'the event brought it');
    // One collection: a row of the first page and the new one (created after the pages read so
    // far: a reconcile during the read cannot vouch for it).
    h.agent.collect(['a1', 'new']);
    const collectedAt = h.clock.now();
    while (h.ids().includes('a1') && h.clock.now() - collectedAt < 20_000) await h.clock.advance(100);
    assert.ok(!h.ids().includes('a1') && h.answers.at(-1)?.progress, 'the first page\'s row left during the read');
    await untilLoaded(h);
    const doneAt = h.clock.now();
    while (h.ids().includes('new') && h.clock.now() - doneAt < 20_000) await h.clock.advance(100);
    // The next candidates read, once the reconcile gap has passed (8 s at most).
    assert.ok(h.clock.now() - doneAt <= 8_000, `the new row left ${h.clock.now() - doneAt} ms after the read was done`);
    assert.deepEqual(h.ids(), [...h.agent.rows.keys()].sort());
    await h.stop();
  });

  it('reads of collection candidates are spaced by reconcileGapMs, and a collected row leaves within that', async () => {
    const h = harness();
    await h.clock.advance(10);
    h.agent.collect(['done-1']);
    await h.clock.advance(3_100);
    assert.equal(h.agent.count('list candidates'), 1);
    const firstAt = h.clock.now();
    h.agent.collect(['done-2']);
    await h.clock.advance(2_000);
    assert.ok(h.ids().includes('done-2'), 'not yet: the last read was less than 5 s ago');
    assert.equal(h.agent.count('list candidates'), 1);
    await h.clock.advance(firstAt + 5_000 - h.clock.now() + 10);
    assert.equal(h.ids().includes('done-2'), false);
    assert.equal(h.agent.count('list candidates'), 2);
    assert.equal(h.agent.count('list full'), 1);
    await h.stop();
  });

  it('a slow read of GC candidates puts the next one off by 8 s at most, so a collected row still leaves within 10 s', async () => {
    const h = harness();
    await h.clock.advance(10);
    h.agent.candidatesDelayMs = 3_000;
    h.agent.collect(['done-1']);
    await h.clock.advance(7_000);
    assert.equal(h.ids().includes('done-1'), false, 'the first, slow read took 3 s');
    h.agent.candidatesDelayMs = 0;
    const collectedAt = h.clock.now();
    h.agent.collect(['done-2']);
    while (h.ids().includes('done-2') && h.clock.now() - collectedAt < 30_000) await h.clock.advance(250);
    assert.ok(h.clock.now() - collectedAt <= 10_000, `gone after ${h.clock.now() - collectedAt} ms (30 s without the cap)`);
    await h.stop();
  });

  it('on a busy cluster (a write every 100 ms) the index check still runs, and a collection is still found', async () => {
    const h = harness();
    await h.clock.advance(10);
    h.agent.collect(['done-1']);
    for (let i = 0; i < 50; i++) {
      h.agent.write([{ ID: 'run-2', ClientDescription: `change ${i}` }]);
      await h.clock.advance(100);
    }
    assert.ok(h.agent.count('list check') >= 4, `checks ran: ${h.agent.count('list check')}`);
    assert.equal(h.ids().includes('done-1'), false);
    await h.stop();
  });

  it('writes that all carried events cost nothing but the index check', async () => {
    const h = harness();
    await h.clock.advance(10);
    for (let i = 0; i < 20; i++) {
      h.agent.write([{ ID: 'run-2', ClientDescription: `change ${i}` }]);
      await h.clock.advance(500);
    }
    assert.equal(h.agent.count('list candidates'), 0);
    assert.equal(h.agent.count('list full'), 1);
    assert.ok(h.agent.count('list check') <= 11, `at most one check a second: ${h.agent.count('list check')}`);
    await h.stop();
  });

  it('a replay (a stream opened at index 0 gets the whole buffer) cannot bring a collected row back', async () => {
    const clock = new FakeClock();
    const agent = new MemoryAgent(clock);
    agent.write([{ ID: 'run-1' }, { ID: 'gone', ClientStatus: 'complete' }]);
    agent.write([{ ID: 'gone', ClientStatus: 'complete', ClientDescription: 'an event in the buffer' }]);
    agent.collect(['gone']);
    const feed = new AllocationFeed(agent, { namespace: 'default', pageSize: 5000, ...TIMING, clock });
    const controller = new AbortController();
    const first = await feed.fetch({ index: 0, waitMs: 300_000, signal: controller.signal });
    assert.deepEqual(first.data.map((r) => r.ID), ['run-1']);
    const next = feed.fetch({ index: first.meta.index, waitMs: 300_000, signal: controller.signal });
    agent.write([{ ID: 'run-1', ClientDescription: 'later' }]);
    await clock.advance(10);
    assert.deepEqual((await next).data.map((r) => r.ID), ['run-1']);
    controller.abort();
    feed.close();
  });

  it('a lone silent write is judged once catchUpMs passed: a candidates read, never a full one', async () => {
    const h = harness();
    await h.clock.advance(10);
    h.agent.collect(['done-1']);
    await h.clock.advance(1_100);
    assert.equal(h.agent.count('list candidates'), 0, 'the events may still be on their way');
    await h.clock.advance(2_000);
    assert.equal(h.agent.count('list candidates'), 1);
    assert.deepEqual(h.ids(), ['done-2', 'run-1', 'run-2']);
    assert.equal(h.agent.count('list full'), 1);
    await h.stop();
  });

  it('a frame below an earlier one (a restore) asks the store to start over; the list is read again', async () => {
    const h = harness();
    await h.clock.advance(10);
    h.agent.write([{ ID: 'run-2', ClientDescription: 'after' }]);
    await h.clock.advance(300);
    h.agent.publish({ Index: 5, Events: [{ Topic: 'Allocation', Payload: { Allocation: { ID: 'run-1', Namespace: 'default', ModifyIndex: 5 } } }] } as never);
    await h.clock.advance(600);
    assert.ok(h.answers.some((a) => a.restart), 'a restart answer');
    assert.equal(h.agent.count('list full'), 2);
    assert.equal(h.agent.count('stream'), 2, 'the stream was opened again');
    await h.stop();
  });

  it('a refused stream (a 200 closed with no byte) falls back to blocking reads and is tried again after streamRetryMs, never in a loop', async () => {
    const clock = new FakeClock();
    const agent = new MemoryAgent(clock);
    agent.write([{ ID: 'run-1' }]);
    agent.refuseStream = true;
    const feed = new AllocationFeed(agent, { namespace: 'default', pageSize: 5000, ...TIMING, clock });
    const controller = new AbortController();
    let result = await feed.fetch({ index: 0, waitMs: 300_000, signal: controller.signal });
    assert.deepEqual(result.data.map((r) => r.ID), ['run-1']);
    // All namespaces, then (a refusal may be the token's) this one: then blocking reads.
    assert.equal(agent.count('stream'), 2);
    let next = feed.fetch({ index: result.meta.index, waitMs: 300_000, signal: controller.signal });
    agent.write([{ ID: 'run-1', ClientStatus: 'failed' }]);
    await clock.advance(10);
    result = await next;
    assert.equal(result.data[0]?.ClientStatus, 'failed', 'a blocking read brings the change');
    next = feed.fetch({ index: result.meta.index, waitMs: 300_000, signal: controller.signal });
    await clock.advance(299_000);
    assert.equal(agent.count('stream'), 2, 'no stream request for five minutes');
    await clock.advance(1_100);
    result = await next;
    agent.refuseStream = false;
    next = feed.fetch({ index: result.meta.index, waitMs: 300_000, signal: controller.signal });
    await clock.advance(10);
    result = await next;
    assert.equal(agent.count('stream'), 3, 'tried again once the five minutes passed, and it worked');
    next = feed.fetch({ index: result.meta.index, waitMs: 300_000, signal: controller.signal });
    agent.write([{ ID: 'run-1', ClientStatus: 'running' }]);
    await clock.advance(10);
    assert.equal((await next).data[0]?.ClientStatus, 'running');
    assert.ok(agent.openStreams >= 1, 'on the stream now');
    controller.abort();
    feed.close();
  });

  it('a stream that keeps breaking right after it opens gives way to blocking reads, which keep the list live, until the retry time', async () => {
    const h = harness();
    // The agent (or a proxy before it) cuts every stream right after it opens.
    h.agent.cutStreams = true;
    await h.clock.advance(60_000);
    assert.equal(h.agent.count('stream'), 3, 'the third break in a row ends the tries');
    const unblocked = h.agent.log.filter((line) => line === 'list full').length;
    assert.ok(unblocked <= 4, `${unblocked} whole-list reads without an index: one per opening, then one to start the blocking reads`);
    // Changes still arrive, through blocking reads of the list.
    h.agent.write([{ ID: 'run-1', ClientStatus: 'failed' }]);
    await h.clock.advance(1_000);
    assert.equal(h.answers.at(-1)?.data.find((r) => r.ID === 'run-1')?.ClientStatus, 'failed');
    // The stream is tried again once streamRetryMs (5 min) has passed, and once it holds it carries changes.
    h.agent.cutStreams = false;
    await h.clock.advance(250_000);
    assert.equal(h.agent.count('stream'), 4, 'tried once more, after the retry time');
    h.agent.write([{ ID: 'run-1', ClientStatus: 'running' }]);
    await h.clock.advance(1_000);
    assert.equal(h.answers.at(-1)?.data.find((r) => r.ID === 'run-1')?.ClientStatus, 'running');
    assert.ok(h.agent.openStreams >= 1, 'on the stream again');
    await h.stop();
  });

  it('blocking reads of a busy cluster come at most once a second after a burst of three; a quiet one shows a change at once', async () => {
    const h = harness({ filter: 'ClientStatus != "lost"' });
    await h.clock.advance(10);
    // 10 s of a write every 100 ms: each blocking read would answer at once.
    for (let i = 0; i < 100; i++) {
      h.agent.write([{ ID: 'run-1', ClientDescription: `change ${i}` }]);
      await h.clock.advance(100);
    }
    const reads = h.agent.count('list full');
    assert.ok(reads >= 10 && reads <= 14, `${reads} whole-list reads in 10 s of changes (3 at once, then one a second)`);
    assert.equal(h.answers.at(-1)?.data.find((r) => r.ID === 'run-1')?.ClientDescription?.startsWith('change 9'), true, 'the rows keep up');
    // Quiet for a while, then one change: it is read at once.
    await h.clock.advance(30_000);
    h.agent.write([{ ID: 'run-2', ClientStatus: 'failed' }]);
    await h.clock.advance(20);
    assert.equal(h.answers.at(-1)?.data.find((r) => r.ID === 'run-2')?.ClientStatus, 'failed');
    await h.stop();
  });

  it('an index check that reads 0 (a header that is not a number) is no index: it costs no whole-list read', async () => {
    const h = harness();
    await h.clock.advance(10);
    h.agent.checkIndex = () => 0;
    for (let i = 0; i < 30; i++) {
      h.agent.write([{ ID: 'run-2', ClientDescription: `change ${i}` }]);
      await h.clock.advance(1_000);
    }
    assert.equal(h.agent.count('list full'), 1, 'only the first read');
    assert.equal(h.answers.at(-1)?.data.find((r) => r.ID === 'run-2')?.ClientDescription, 'change 29', 'the events still flow');
    await h.stop();
  });
});

