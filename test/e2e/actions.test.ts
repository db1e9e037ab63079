// End to end: stop, restart and signal through the real binary in tmux, Cancel/Esc sending
// nothing, a read-only ACL token getting the 403 in plain words, and --read-only sending nothing.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { SimServer } from '../../src/sim/http/server.js';
import { killTmuxServer, startConsole, type Terminal } from '../helpers/tmux.js';
import { eventually, startSim } from '../helpers/sim.js';

after(killTmuxServer);

function detailId(screen: string): string | undefined {
  return /│id ([0-9a-f-]{36})/.exec(screen)?.[1];
}

/** Opens the console and waits until the detail shows a running allocation with its tasks. */
async function ready(sim: SimServer, args: string[] = [], env: Record<string, string> = {}): Promise<{ term: Terminal; id: string }> {
  const term = startConsole(['--address', sim.url, ...args], env);
  const screen = await term.waitFor((s) => detailId(s) !== undefined && /client running/.test(s) && /TASK/.test(s));
  return { term, id: detailId(screen) ?? '' };
}

describe('actions end to end (tmux)', () => {
  it('s, Down, Enter stops the allocation: desired stop and an eval in the sim', async () => {
    const sim = await startSim({ allocs: 30, timeScale: 0.2 });
    const { term, id } = await ready(sim);
    term.send('s');
    await term.waitFor(/▸ Cancel/);
    term.send('Down');
    await term.waitFor(/▸ Stop /);
    term.send('Enter');
    const screen = await term.waitFor(/stop sent for \S+ — eval [0-9a-f]{8}/);
    const evalShort = /stop sent for \S+ — eval ([0-9a-f]{8})/.exec(screen)?.[1] ?? '';
    const alloc = sim.sim.cluster.get(id);
    await eventually(() => alloc?.alloc.DesiredStatus === 'stop', 3000, 'desired stop');
    assert.ok([...sim.sim.cluster.evals.values()].some((e) => e.ID.startsWith(evalShort) && e.TriggeredBy === 'alloc-stop'));
    await term.waitFor(/desired stop/);
    term.send('q');
    assert.equal(await term.exitCode(), 0);
  });

  it('r restarts one task: a Restart Signaled event on that task only', async () => {
    const sim = await startSim({ allocs: 30 });
    const { term, id } = await ready(sim);
    const alloc = sim.sim.cluster.get(id);
    const tasks = Object.keys(alloc?.alloc.TaskStates ?? {}).sort();
    term.send('r');
    await term.waitFor(new RegExp(`Restart task ${tasks[0]}`));
    term.send('Down', 'Down', 'Down');
    await term.waitFor(new RegExp(`▸ Restart task ${tasks[0]}`));
    term.send('Enter');
    await term.waitFor(new RegExp(`restart sent for \\S+ — task ${tasks[0]}`));
    assert.ok(alloc?.alloc.TaskStates[tasks[0] ?? '']?.Events?.some((e) => e.Type === 'Restart Signaled'));
    for (const other of tasks.slice(1)) assert.ok(!alloc?.alloc.TaskStates[other]?.Events?.some((e) => e.Type === 'Restart Signaled'));
    await term.waitFor(/Restart Signaled/);
    term.send('q');
  });

  it('S sends SIGHUP: a Signaling event, shown in the detail', async () => {
    const sim = await startSim({ allocs: 30 });
    const { term, id } = await ready(sim);
    term.send('S');
    await term.waitFor(/which signal\?/);
    term.send('Down');
    await term.waitFor(/▸ SIGHUP/);
    term.send('Enter');
    await term.waitFor(/All running tasks/);
    term.send('Down');
    await term.waitFor(/▸ All running tasks/);
    term.send('Enter');
    await term.waitFor(/▸ Cancel[\s\S]*Send SIGHUP to all running tasks/);
    term.send('Down');
    await term.waitFor(/▸ Send SIGHUP/);
    term.send('Enter');
    await term.waitFor(/signal sent for \S+ — SIGHUP to all running tasks/);
    const states = Object.values(sim.sim.cluster.get(id)?.alloc.TaskStates ?? {});
    assert.ok(states.every((s) => s.Events?.at(-1)?.Type === 'Signaling' && s.Events.at(-1)?.TaskSignal === 'SIGHUP'));
    await term.waitFor(/Signaling\s+Task being sent signal/);
    term.send('q');
  });

  it('Cancel and Esc send nothing', async () => {
    const sim = await startSim({ allocs: 30 });
    const { term } = await ready(sim);
    for (const key of ['s', 'r', 'S']) {
      term.send(key);
      await term.waitFor(/▸ Cancel/);
      term.send('Escape');
      await term.waitFor(/cancelled — nothing was sent/);
      term.send('j');
      await term.waitFor((s) => !/cancelled — nothing was sent/.test(s));
    }
    term.send('s');
    await term.waitFor(/▸ Cancel/);
    term.send('Enter');
    await term.waitFor(/stop cancelled — nothing was sent/);
    assert.equal(sim.counters.mutating, 0);
    term.send('q');
  });

  it('with a read-only ACL token, stop gets the 403 in plain words and the console keeps running', async () => {
    const sim = await startSim({ allocs: 30, acl: { management: 'mgmt-token-0000', readOnly: 'ro-token-1111' } });
    const { term } = await ready(sim, [], { NOMAD_TOKEN: 'ro-token-1111' });
    term.send('s');
    await term.waitFor(/▸ Cancel/);
    term.send('Down');
    await term.waitFor(/▸ Stop /);
    term.send('Enter');
    const screen = await term.waitFor(/stop refused for .*: your token lacks alloc-lifecycle in namespace \w+ \(403 Permission/);
    assert.ok(!screen.includes('ro-token-1111'), 'the token is never on screen');
    term.send('j');
    await term.waitFor(/● live/);
    term.send('q');
    assert.equal(await term.exitCode(), 0);
  });

  it('--read-only: no action keys (pressed, they say they are disabled), "read-only" in the status bar, and not one write sent', async () => {
    const sim = await startSim({ allocs: 30 });
    const { term } = await ready(sim, ['--read-only']);
    await term.waitFor(/│ read-only │/);
    assert.doesNotMatch(term.screen(), /s stop/);
    term.send('s');
    await term.waitFor(/read-only: stop is disabled \(alloctop runs with --read-only\)/);
    term.send('r');
    term.send('S');
    await term.waitFor(/read-only: signal is disabled/);
    term.send('?');
    const help = await term.waitFor(/HELP/);
    assert.doesNotMatch(help, /stop the allocation|send a signal/);
    term.send('Escape');
    term.send('q');
    assert.equal(await term.exitCode(), 0);
    assert.equal(sim.counters.mutating, 0);
  });
});
