// The log feed against the simulator: the last 64 KiB then new lines, the states Nomad can put
// a follower in (not started, denied, collected, agent restart), resuming without duplicates,
// and older output lined up with what is held.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SimServer } from '../../src/sim/http/server.js';
import { LogFeed, TAIL_BYTES, type LogTarget } from '../../src/store/logFeed.js';
import { cleanLogLine } from '../../src/store/logText.js';
import { clientFor, eventually, startSim } from '../helpers/sim.js';

function running(sim: SimServer) {
  const found = sim.sim.cluster.ordered.find((s) => s.alloc.ClientStatus === 'running');
  assert.ok(found?.alloc.ID);
  return { id: found.alloc.ID, allocId: found.alloc.ID, task: found.group.tasks[0]?.name ?? '', namespace: found.alloc.Namespace ?? 'default' };
}

/** Every line of the task's stdout as the agent holds it now, cleaned as the feed cleans. */
async function agentLines(sim: SimServer, id: string, task: string): Promise<string[]> {
  const text = Buffer.from(await (await fetch(`${sim.url}/v1/client/fs/logs/${id}?task=${task}&type=stdout&origin=start&plain=true`)).arrayBuffer()).toString('utf8');
  const parts = text.split('\n');
  if (parts.at(-1) === '') parts.pop();
  return parts.map(cleanLogLine);
}

function open(sim: SimServer, target: Omit<LogTarget, 'type'>, token?: string): LogFeed {
  const feed = new LogFeed(clientFor(sim, token ? { token } : {}), { ...target, type: 'stdout' }, () => 0.5);
  return feed;
}

describe('log feed', () => {
  it('starts with the last 64 KiB and follows what the task prints next', async () => {
    const sim = await startSim({ allocs: 10, logs: { rate: { linesPerSecond: 20 } } });
    const target = running(sim);
    const feed = open(sim, target);
    try {
      await eventually(() => feed.snapshot().status === 'following' && feed.snapshot().lines.length > 10, 4000, 'following');
      const first = feed.snapshot().appended;
      await eventually(() => feed.snapshot().appended >= first + 5, 4000, 'new lines');
      const all = await agentLines(sim, target.id, target.task);
      const held = feed.snapshot().lines.slice(1).filter((line) => line !== '');
      // What is held is the agent's last lines (the first may have been cut by the 64 KiB).
      const at = all.indexOf(held[0] ?? '');
      assert.ok(at > 0, 'the first held line is in the log');
      assert.deepEqual(held.slice(0, all.length - at), all.slice(at, at + held.length));
      assert.ok(feed.snapshot().bytes <= TAIL_BYTES + 64 * 1024);
    } finally {
      feed.close();
    }
  });

  it('waits for a task that has not started, then follows it', async () => {
    const sim = await startSim({ allocs: 40 });
    const pending = sim.sim.cluster.ordered.find((s) => Object.values(s.alloc.TaskStates).some((t) => !t.StartedAt));
    if (!pending) return; // this seed starts every task at once
    const task = Object.entries(pending.alloc.TaskStates).find(([, t]) => !t.StartedAt)?.[0] ?? '';
    const feed = open(sim, { allocId: pending.alloc.ID ?? '', task, namespace: 'default' });
    try {
      await eventually(() => feed.snapshot().status === 'waiting', 3000, 'waiting');
      assert.match(feed.snapshot().message, new RegExp(`task ${task} has not started yet`));
      await eventually(() => feed.snapshot().status === 'following', 10_000, 'following once it started');
    } finally {
      feed.close();
    }
  });

  it('a token without read-logs: failed, in plain words; a collected allocation: ended', async () => {
    const sim = await startSim({ allocs: 10, acl: { management: 'm', readOnly: 'ro' } });
    const target = running(sim);
    const denied = open(sim, target, 'ro');
    try {
      await eventually(() => denied.snapshot().status === 'failed', 3000, 'failed');
      assert.equal(denied.snapshot().message, `your token lacks read-logs in namespace ${target.namespace} (403 Permission denied)`);
    } finally {
      denied.close();
    }
    const feed = open(sim, target, 'm');
    try {
      await eventually(() => feed.snapshot().status === 'following', 3000, 'following');
      sim.sim.stop(target.id, true);
      await eventually(() => sim.sim.cluster.get(target.id)?.alloc.ClientStatus !== 'running', 5000, 'stopped');
      sim.sim.collectGarbage(0);
      await eventually(() => feed.snapshot().status === 'ended', 3000, 'ended');
      assert.match(feed.snapshot().message, /directory was removed \(garbage collected\)/);
    } finally {
      feed.close();
    }
  });

  it('an agent restart: reconnecting, then following again with no line twice and none lost', async () => {
    const sim = await startSim({ allocs: 10, logs: { rate: { linesPerSecond: 10 } } });
    const target = running(sim);
    const feed = open(sim, target);
    try {
      await eventually(() => feed.snapshot().status === 'following', 3000, 'following');
      await sim.restart(800);
      await eventually(() => feed.snapshot().status === 'reconnecting' || feed.snapshot().appended > 0, 3000, 'noticed');
      await eventually(() => feed.snapshot().status === 'following', 8000, 'following again');
      const before = feed.snapshot().appended;
      await eventually(() => feed.snapshot().appended >= before + 5, 4000, 'more lines');
      const all = await agentLines(sim, target.id, target.task);
      const held = feed.snapshot().lines.slice(1, -1);
      assert.ok(!held.some((line) => line.startsWith('⋯')), 'lined up: no gap marker');
      const at = all.indexOf(held[0] ?? '');
      assert.deepEqual(held, all.slice(at, at + held.length), 'the held lines are the log, in order, none twice');
    } finally {
      feed.close();
    }
  });

  it('loads older output in front, lined up with what is held, until the start of the log', async () => {
    const sim = await startSim({ allocs: 10, logs: { rate: { linesPerSecond: 0 }, limits: { maxFiles: 20, maxFileSize: 64 * 1024 } } });
    const target = running(sim);
    // More history than the tail read: the first read holds only its end.
    const log = sim.sim.logs.get(target.id, target.task, '', 'stdout', Date.now() - 1000);
    for (let i = 0; i < 4000; i++) log.append(Buffer.from(`extra line ${i} ${'x'.repeat(i % 60)}\n`));
    const feed = open(sim, target);
    try {
      await eventually(() => feed.snapshot().status === 'following' && feed.snapshot().lines.length > 100, 3000, 'following');
      const all = await agentLines(sim, target.id, target.task);
      assert.ok(feed.snapshot().lines.length < all.length);
      while (!feed.snapshot().atStart) await feed.loadOlder();
      // The tail's last frame may still be on its way (200 ms batches).
      await eventually(() => feed.snapshot().lines.length >= all.length, 3000, 'the whole tail');
      assert.deepEqual([...feed.snapshot().lines], all, 'every line, once, in order');
      assert.ok(feed.snapshot().base < 0, 'older lines are numbered before the first held one');
    } finally {
      feed.close();
    }
  });
});

describe('log feed: bytes split anywhere', () => {
  it('a character split between two frames, and a line split across many, come out whole', async () => {
    const text = Buffer.from('first → line\nsecond ✓ line\nthird\n');
    // Frames cut inside "→" (3 bytes) and inside "✓".
    const cuts = [7, 8, 21, 22, 30];
    const pieces: Buffer[] = [];
    let at = 0;
    for (const cut of cuts) {
      pieces.push(text.subarray(at, cut));
      at = cut;
    }
    pieces.push(text.subarray(at));
    let served = false;
    const source = {
      async streamLogs(_id: string, options: { follow: boolean; signal?: AbortSignal }) {
        if (!options.follow || served) return (async function* () {})();
        served = true;
        return (async function* () {
          for (const data of pieces) yield { offset: 0, data, file: 'alloc/logs/t.stdout.0', event: '' };
          await new Promise((resolve) => options.signal?.addEventListener('abort', resolve));
        })();
      },
    };
    const feed = new LogFeed(source, { allocId: 'a', task: 't', type: 'stdout', namespace: 'default' }, () => 0.5);
    try {
      await eventually(() => feed.snapshot().lines.length >= 3 && feed.snapshot().lines[2] === 'third', 2000, 'three lines');
      assert.deepEqual(feed.snapshot().lines.slice(0, 3), ['first → line', 'second ✓ line', 'third']);
    } finally {
      feed.close();
    }
  });
});

describe('log feed: the first held line and older output', () => {
  const words = (n: number, tag: string) => Array.from({ length: n }, (_, i) => `${tag}${i.toString(36)}`).join(' ');
  const full = `old line\n${words(1800, 'b')}\n${words(9000, 'c')}\nlast\n`;
  /** A fake agent over `full`: the follow stream sends its tail in two frames, the first ending
   * inside a line; the quick tail read fails; older reads (origin=end, offset) answer or fail. */
  function source(olderFails = false) {
    const calls = { older: 0 };
    const bytes = Buffer.from(full);
    return {
      calls,
      async streamLogs(_id: string, options: { follow: boolean; offset: number; signal?: AbortSignal }) {
        if (options.follow) {
          const tail = bytes.subarray(bytes.length - TAIL_BYTES);
          return (async function* () {
            yield { offset: 0, data: tail.subarray(0, 3000), file: 'f', event: '' };
            yield { offset: 0, data: tail.subarray(3000), file: 'f', event: '' };
            await new Promise((resolve) => options.signal?.addEventListener('abort', resolve));
          })();
        }
        if (options.offset <= TAIL_BYTES) throw new Error('no quick tail here');
        calls.older += 1;
        if (olderFails) throw new Error('agent away');
        const data = bytes.subarray(Math.max(0, bytes.length - options.offset));
        return (async function* () {
          yield { offset: 0, data, file: 'f', event: '' };
        })();
      },
    };
  }

  it('a first line held in pieces is joined whole with the older output before it', async () => {
    assert.ok(full.indexOf('\nc0 ') > full.length - TAIL_BYTES + 3000, 'the first frame ends inside the b line');
    const feed = new LogFeed(source(), { allocId: 'a', task: 't', type: 'stdout', namespace: 'default' }, () => 0.5);
    try {
      await eventually(() => feed.snapshot().lines.includes('last'), 2000, 'the tail');
      while (!feed.snapshot().atStart) await feed.loadOlder();
      const expected = full.split('\n').slice(0, -1).map(cleanLogLine);
      assert.deepEqual([...feed.snapshot().lines], expected);
    } finally {
      feed.close();
    }
  });

  it('a failed read of older output is not asked again at once', async () => {
    const fake = source(true);
    const feed = new LogFeed(fake, { allocId: 'a', task: 't', type: 'stdout', namespace: 'default' }, () => 0.5);
    try {
      await eventually(() => feed.snapshot().lines.includes('last'), 2000, 'the tail');
      await feed.loadOlder();
      await feed.loadOlder();
      assert.equal(fake.calls.older, 1);
      assert.match(feed.snapshot().olderNote, /could not be read: agent away; asked again in 5 s/);
      assert.equal(feed.snapshot().atStart, false, 'it may still be read later');
    } finally {
      feed.close();
    }
  });
});
