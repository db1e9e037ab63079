// End to end: health at a glance through the real binary in tmux. The detail shows the CPU
// percent the agent's stats endpoint reports (within a refresh), at 120 and at 80 columns
// without colour; a task that stops answering turns its checks to failing in the services pane;
// the list's H column marks deployment health.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { SimServer } from '../../src/sim/http/server.js';
import { killTmuxServer, startConsole } from '../helpers/tmux.js';
import { eventually, startSim } from '../helpers/sim.js';

after(killTmuxServer);

const detailId = (screen: string): string | undefined => /│id ([0-9a-f-]{36})/.exec(screen)?.[1];

async function agentPercent(sim: SimServer, id: string, task: string): Promise<string | undefined> {
  const stats = (await fetch(`${sim.url}/v1/client/allocation/${id}/stats`).then((r) => r.json())) as { Tasks: Record<string, { ResourceUsage: { CpuStats: { Percent: number } } }> };
  return stats.Tasks[task]?.ResourceUsage.CpuStats.Percent.toFixed(1);
}

describe('health end to end (tmux)', () => {
  for (const size of [{ columns: 120, rows: 40 }, { columns: 80, rows: 40 }]) {
    it(`${size.columns} columns, NO_COLOR: the detail's CPU percent is the agent's`, async () => {
      const sim = await startSim({ allocs: 20 });
      const term = startConsole(['--address', sim.url], { NO_COLOR: '1' }, size);
      const screen = await term.waitFor((s) => /● live/.test(s) && detailId(s) !== undefined && /USAGE {2}last/.test(s), 10_000);
      const id = detailId(screen) ?? '';
      const tasks = Object.keys(sim.sim.cluster.get(id)?.alloc.TaskStates ?? {}).sort();
      const task = tasks[0] ?? '';
      // The screen and the agent agree once the console's 2 s poll has caught the agent's step.
      await eventually(async () => {
        const row = new RegExp(`│[ ▸] ${task}\\s+[▁▂▃▄▅▆▇█ ]*?\\s(\\d+\\.\\d)%\\s+\\d+/\\d+ MHz\\s+[▁▂▃▄▅▆▇█ ]*\\d+/\\d+ MiB`).exec(term.screen());
        return row?.[1] !== undefined && row[1] === (await agentPercent(sim, id, task));
      }, 10_000, 'the agent\'s percent on screen');
    });
  }

  it('a task that stops answering: its checks fail in the services pane; healthy allocations are marked ✓', async () => {
    const sim = await startSim({ allocs: 20 });
    const term = startConsole(['--address', sim.url]);
    const screen = await term.waitFor((s) => /● live/.test(s) && detailId(s) !== undefined && /SERVICES \(\d+\) · /.test(s), 10_000);
    assert.match(screen, /ID\s+NAME\s+STATUS\s+H\s+CHANGED/);
    assert.match(screen, /│[0-9a-f]{8} \S+\s+running\s+✓ /, 'a healthy allocation');
    const id = detailId(screen) ?? '';
    const target = sim.sim.cluster.get(id);
    assert.ok(target);
    for (const state of Object.values(target.alloc.TaskStates)) state.State = 'pending';
    const failing = await term.waitFor(/checks failing/, 10_000);
    assert.match(failing, /✖ \S+( \(readiness\))? failure \d+s ago · /);
  });
});
