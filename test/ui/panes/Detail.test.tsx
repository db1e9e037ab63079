// The detail pane in every state: live with tasks and events, loading, gone, denied,
// unreachable, an old agent's allocation with most fields missing, and its USAGE lines from
// the agent's stats (none asked for an allocation that is not running).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Detail } from '../../../src/ui/panes/Detail.js';
import { fakeAgent } from '../../helpers/fakeAgent.js';
import { frameMatching, renderWithServices } from '../../helpers/render.js';
import { startSim } from '../../helpers/sim.js';

const props = { width: 90, height: 20, focused: true, taskIndex: 0, now: Date.now() };

describe('Detail pane', () => {
  it('shows identity, statuses, the task table and the focused task\'s events, newest first', async () => {
    const sim = await startSim();
    const target = sim.sim.cluster.ordered.find((s) => s.alloc.ClientStatus === 'running' && s.job.type === 'service');
    assert.ok(target);
    const task = Object.keys(target.alloc.TaskStates).sort()[0] ?? '';
    sim.sim.signal(target.alloc.ID ?? '', 'SIGHUP', task);
    const view = renderWithServices(<Detail allocId={target.alloc.ID} stub={undefined} {...props} />, { address: sim.url });
    const frame = await frameMatching(view, /Signaling/);
    assert.match(frame, new RegExp(`DETAIL  ${target.alloc.Name?.replace(/[[\]]/g, '\\$&')}`));
    assert.match(frame, new RegExp(`id ${target.alloc.ID}  eval ${target.alloc.EvalID?.slice(0, 8)}`));
    assert.match(frame, new RegExp(`job ${target.job.id}  group ${target.group.name}`));
    assert.match(frame, /desired run/);
    assert.match(frame, /client running \(Tasks are running\)/);
    assert.match(frame, new RegExp(`▸ ${task}\\s+running\\s+no\\s+0`));
    const lines = frame.split('\n');
    const signaling = lines.findIndex((l) => l.includes('Signaling'));
    const received = lines.findIndex((l) => l.includes('Received'));
    assert.ok(signaling > 0 && received > signaling, 'newest event first');
    // Today's event reads as a time; the seeded one (two days ago) with its date; types line up.
    assert.match(lines[signaling] ?? '', /│ +\d\d:\d\d:\d\d {2}Signaling/);
    assert.match(lines[received] ?? '', /│[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d {2}Received/);
    assert.equal(lines[signaling]?.indexOf('Signaling'), lines[received]?.indexOf('Received'));
    assert.match(frame, /Task being sent signal SIGHUP/);
  });

  it('says "loading" before the first answer, and "not found" for an allocation that is gone', async () => {
    const sim = await startSim();
    const view = renderWithServices(<Detail allocId="00000000-0000-0000-0000-000000000000" stub={{ ID: '00000000-0000-0000-0000-000000000000', Name: 'web.api[9]' }} {...props} />, { address: sim.url });
    assert.match(view.lastFrame() ?? '', /loading allocation/);
    await frameMatching(view, /allocation not found: it may have been garbage-collected/);
  });

  it('says permission denied and what to check', async () => {
    const sim = await startSim({ acl: true });
    const id = sim.sim.cluster.ordered[0]?.alloc.ID;
    const view = renderWithServices(<Detail allocId={id} stub={{ ID: id, Name: 'x' }} {...props} />, { address: sim.url, token: 'wrong-token' });
    await frameMatching(view, /permission denied: check NOMAD_TOKEN/);
  });

  it('names the problem when the agent cannot be reached', async () => {
    const sim = await startSim();
    const address = sim.url;
    await sim.close();
    const view = renderWithServices(<Detail allocId="00000000-0000-0000-0000-000000000001" stub={{ ID: '00000000-0000-0000-0000-000000000001' }} {...props} />, { address });
    await frameMatching(view, /cannot reach Nomad at .*connection refused/);
  });

  it('renders an old agent\'s allocation with missing fields as dashes, without crashing', async () => {
    const id = '11111111-2222-3333-4444-555555555555';
    const address = await fakeAgent({
      [`/v1/allocation/${id}`]: { body: JSON.stringify({ ID: id, TaskStates: { web: { Events: [{ Type: 'Started', Time: 1495747379525667800, Message: 'old message' }, null] }, db: null } }) },
    });
    const view = renderWithServices(<Detail allocId={id} stub={{ ID: id }} {...props} taskIndex={1} />, { address });
    const frame = await frameMatching(view, /old message/);
    assert.match(frame, /EVENTS {2}web/);
    assert.match(frame, /DETAIL {2}–/);
    assert.match(frame, /id 11111111-2222-3333-4444-555555555555 {2}eval –/);
    assert.match(frame, /job – {2}group – {2}node – {2}ns –/);
    assert.match(frame, /db\s+–\s+–\s+–/);
  });

  it('USAGE: the percent, MHz and MiB the agent reports, of what the task reserved', async () => {
    const id = '33333333-2222-3333-4444-555555555555';
    const alloc = {
      ID: id, Name: 'web.api[0]', ClientStatus: 'running', DesiredStatus: 'run', Namespace: 'default',
      TaskStates: { server: { State: 'running', StartedAt: new Date(Date.now() - 60_000).toISOString(), Events: [] } },
      AllocatedResources: { Tasks: { server: { Cpu: { CpuShares: 500 }, Memory: { MemoryMB: 256, MemoryMaxMB: 0 } } } },
    };
    const usage = { CpuStats: { Percent: 12.5, TotalTicks: 300, Measured: ['Throttled Periods', 'Throttled Time', 'Percent'] }, MemoryStats: { RSS: 90 * 1048576, Usage: 100 * 1048576, Measured: ['RSS', 'Cache', 'Swap', 'Usage'] } };
    const address = await fakeAgent({
      [`/v1/allocation/${id}`]: { body: JSON.stringify(alloc) },
      [`/v1/client/allocation/${id}/stats`]: { body: JSON.stringify({ ResourceUsage: usage, Tasks: { server: { ResourceUsage: usage, Timestamp: 1, Pids: null } }, Timestamp: 1 }) },
    });
    const view = renderWithServices(<Detail allocId={id} stub={undefined} {...props} />, { address });
    // 300 of 500 MHz is a ▅, 100 of 256 MiB a ▄ (once the first stats answer is in).
    await frameMatching(view, /▸ server +▅ +12\.5% +300\/500 MHz +▄ 100\/256 MiB/);
  });

  it('an allocation that is not running: "no stats", and no stats request', async () => {
    const sim = await startSim();
    const target = sim.sim.cluster.ordered.find((s) => s.alloc.ClientStatus === 'complete' || s.alloc.ClientStatus === 'failed');
    assert.ok(target);
    const view = renderWithServices(<Detail allocId={target.alloc.ID} stub={undefined} {...props} />, { address: sim.url });
    await frameMatching(view, /USAGE {2}no stats: not running/);
    assert.equal(sim.counters.byPath.get(`/v1/client/allocation/${target.alloc.ID}/stats`) ?? 0, 0);
  });
});
