// The detail pane's USAGE lines from known samples: sparklines, percent, MHz and MiB of what
// was reserved, memory_max, "throttled", and "–" where the driver measured nothing.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StatsSample, UsagePoint } from '../../../src/store/allocStats.js';
import { reservations, usageLines } from '../../../src/ui/panes/usageView.js';

const MIB = 1_048_576;
const sample = (at: number, tasks: Record<string, UsagePoint>, total: UsagePoint = {}): StatsSample => ({ at, sampledAt: at, total, tasks: new Map(Object.entries(tasks)) });

describe('usage lines', () => {
  const reserved = reservations({ AllocatedResources: { Tasks: { web: { Cpu: { CpuShares: 500 }, Memory: { MemoryMB: 256, MemoryMaxMB: 512 } }, side: { Cpu: { CpuShares: 100 }, Memory: { MemoryMB: 64 } } } } });

  it('one task: its sparklines scaled to its reservation, percent, MHz and MiB of reserved, memory_max', () => {
    const samples = [125, 250, 375, 500].map((mhz, i) => sample(i * 2000, { web: { cpuMhz: mhz, cpuPercent: mhz / 24, memory: (64 + i * 64) * MIB, memoryKind: 'usage' } }));
    const lines = usageLines(samples, reserved, ['web'], 80, undefined);
    assert.equal(lines[0]?.text, 'USAGE  last 6s · cpu: % of one core, MHz used/reserved · memory: MiB used/reserved');
    // 80 columns: sparklines of 13, newest on the right; 4 samples so far.
    assert.equal(lines[1]?.text, `  web   ${' '.repeat(9)}▂▄▆█  20.8%  500/500 MHz  ${' '.repeat(9)}▂▄▆█ 256/256 MiB (max 512)`);
  });

  it('several tasks: the total first (running tasks summed against what all reserved), the focused task marked', () => {
    const samples = [sample(0, { web: { cpuMhz: 250, cpuPercent: 10.4, memory: 128 * MIB, memoryKind: 'usage' }, side: { cpuMhz: 50, cpuPercent: 2.1, memory: 32 * MIB, memoryKind: 'rss' } }, { cpuMhz: 300, cpuPercent: 12.5, memory: 160 * MIB, memoryKind: 'usage' })];
    const lines = usageLines(samples, reserved, ['side', 'web'], 80, 'web').map((l) => l.text);
    assert.match(lines[1] ?? '', /^ {2}total +▄ +12\.5% +300\/600 MHz +▄ 160\/320 MiB$/);
    assert.match(lines[2] ?? '', /^ {2}side +▄ +2\.1% +50\/100 MHz +▄ 32\/64 MiB rss$/);
    assert.match(lines[3] ?? '', /^▸ web +▄ +10\.4% +250\/500 MHz +▄ 128\/256 MiB \(max 512\)$/);
  });

  it('says "–" for what the driver does not measure, and "throttled" while the throttled count grows', () => {
    const samples = [sample(0, { web: { throttledPeriods: 5 } }), sample(2000, { web: { throttledPeriods: 9 } })];
    const [, line] = usageLines(samples, reserved, ['web'], 80, undefined);
    assert.match(line?.text ?? '', /^ {2}web +cpu – +mem – {2}throttled$/);
  });

  it('no samples, no lines; a task with no sample yet is left out', () => {
    assert.deepEqual(usageLines([], reserved, ['web'], 80, undefined), []);
    assert.equal(usageLines([sample(0, { web: {} })], reserved, ['web', 'side'], 80, undefined).length, 3, 'header, total, web');
  });
});
