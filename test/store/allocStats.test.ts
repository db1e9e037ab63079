// Stats samples keep only what the driver measured, and the rings stay bounded.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RING_ALLOCATIONS, RING_SAMPLES, statsSample, StatsHistory, usagePoint } from '../../src/store/allocStats.js';

const usage = (cpu: string[], memory: string[]) => ({
  CpuStats: { Percent: 12.5, TotalTicks: 300, ThrottledPeriods: 7, Measured: cpu },
  MemoryStats: { RSS: 100, Usage: 150, Measured: memory },
});

describe('stats samples', () => {
  it('keeps a figure only when the driver measured it: Usage before RSS, no Percent means no CPU', () => {
    assert.deepEqual(usagePoint(usage(['Throttled Periods', 'Percent'], ['RSS', 'Usage'])), { cpuPercent: 12.5, cpuMhz: 300, throttledPeriods: 7, memory: 150, memoryKind: 'usage' });
    assert.deepEqual(usagePoint(usage(['System Mode', 'User Mode', 'Percent'], ['RSS', 'Swap'])), { cpuPercent: 12.5, cpuMhz: 300, memory: 100, memoryKind: 'rss' });
    assert.deepEqual(usagePoint(usage([], [])), {});
    assert.deepEqual(usagePoint({ CpuStats: { Percent: 'x', Measured: ['Percent'] }, MemoryStats: null }), {});
    assert.deepEqual(usagePoint(null), {});
  });

  it('reads an answer\'s tasks and totals; junk reads as nothing', () => {
    const sample = statsSample({ ResourceUsage: usage(['Percent'], ['Usage']), Tasks: { web: { ResourceUsage: usage(['Percent'], ['RSS']) }, bad: null as never }, Timestamp: 5e15 }, 1000);
    assert.equal(sample.at, 1000);
    assert.equal(sample.sampledAt, 5e15);
    assert.deepEqual([...sample.tasks.keys()], ['web']);
    assert.equal(sample.total.memory, 150);
    assert.deepEqual(statsSample({ Tasks: [] as never }, 5).tasks.size, 0);
  });

  it('a ring holds 150 samples per allocation, 64 allocations, 5 minutes; the same agent sample replaces', () => {
    let now = 1_000_000;
    const history = new StatsHistory(() => now);
    const sample = (at: number, sampledAt = at) => ({ at, sampledAt, total: {}, tasks: new Map() });
    for (let i = 0; i < RING_SAMPLES + 20; i++) history.push('a', sample(now - 100_000 + i));
    assert.equal(history.get('a').length, RING_SAMPLES);
    history.push('a', sample(now, now - 100_000 + RING_SAMPLES + 19));
    assert.equal(history.get('a').length, RING_SAMPLES, 'the same agent sample again replaces the last');
    for (let i = 0; i < RING_ALLOCATIONS + 5; i++) history.push(`x${i}`, sample(now));
    assert.equal(history.size, RING_ALLOCATIONS);
    assert.equal(history.get('a').length, 0, 'the least recently looked-at went first');
    history.push('b', sample(now));
    now += 6 * 60_000;
    assert.deepEqual(history.get('b'), [], 'older than 5 minutes');
  });
});
