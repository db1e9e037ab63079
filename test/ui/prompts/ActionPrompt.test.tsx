// The action prompts against the simulator, moved by the keymap as in the App: Cancel first and
// highlighted, Esc, every option, Down+Enter and Up+Enter in one write, the in-flight state,
// and errors in plain words. A cancelled prompt leaves "… cancelled — nothing was sent".
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Outcome } from '../../../src/ui/actions/outcome.js';
import type { ActionKind } from '../../../src/ui/actions/eligibility.js';
import { PromptHost } from '../../helpers/promptHost.js';
import type { SimServer } from '../../../src/sim/http/server.js';
import { fakeAgent } from '../../helpers/fakeAgent.js';
import { frameMatching, renderWithServices } from '../../helpers/render.js';
import { eventually, quietFor, startSim } from '../../helpers/sim.js';

function target(sim: SimServer) {
  const found = sim.sim.cluster.ordered.find((s) => s.alloc.ClientStatus === 'running' && s.job.type === 'service' && s.group.tasks.length === 2);
  assert.ok(found, 'a running service allocation with two tasks');
  return found;
}

function open(kind: ActionKind, address: string, alloc: { ID?: string; Name?: string | null; JobID?: string | null; Namespace?: string | null }, token?: string) {
  const outcomes: (Outcome | undefined)[] = [];
  const view = renderWithServices(<PromptHost kind={kind} alloc={alloc} onClosed={(o) => outcomes.push(o)} />, { address, token }, { region: 'global' });
  return { view, outcomes, done: () => eventually(() => outcomes.length > 0, 4000, 'the prompt to finish').then(() => outcomes[0]) };
}

const CANCELLED = (kind: ActionKind): Outcome => ({ ok: true, text: `${kind} cancelled — nothing was sent` });
const mutations = (sim: SimServer): number => sim.counters.mutating;

describe('stop prompt', () => {
  it('names the allocation, job, namespace and region, with Cancel first and highlighted', async () => {
    const sim = await startSim();
    const t = target(sim);
    const { view } = open('stop', sim.url, t.alloc);
    const frame = await frameMatching(view, /Cancel/);
    assert.match(frame, new RegExp(`allocation ${t.alloc.Name?.replace(/[[\]]/g, '\\$&')} \\(${t.alloc.ID?.slice(0, 8)}\\)`));
    assert.match(frame, new RegExp(`job ${t.job.id} · namespace ${t.alloc.Namespace} · region global`));
    const lines = frame.split('\n');
    const cancel = lines.findIndex((l) => l.includes('▸ Cancel'));
    const stop = lines.findIndex((l) => /Stop .* without shutdown delay/.test(l));
    assert.ok(cancel > 0 && stop > cancel, 'Cancel is first and highlighted; actions follow below');
  });

  it('Esc and Enter-on-Cancel send nothing', async () => {
    const sim = await startSim();
    for (const keys of ['\x1b', '\r', '\x1b[B\x1b[A\r']) {
      const { view, done } = open('stop', sim.url, target(sim).alloc);
      await frameMatching(view, /▸ Cancel/);
      view.stdin.write(keys);
      assert.deepEqual(await done(), CANCELLED('stop'), JSON.stringify(keys));
    }
    assert.equal(mutations(sim), 0);
  });

  it('Down+Enter in one write stops (the option the Down highlighted)', async () => {
    const sim = await startSim({ timeScale: 0.05 });
    const t = target(sim);
    const { view, done } = open('stop', sim.url, t.alloc);
    await frameMatching(view, /▸ Cancel/);
    view.stdin.write('\x1b[B\r');
    const outcome = await done();
    assert.equal(outcome?.ok, true);
    assert.match(outcome?.text ?? '', new RegExp(`^stop sent for ${t.alloc.Name?.replace(/[[\]]/g, '\\$&')} — eval [0-9a-f]{8}$`));
    assert.equal(t.alloc.DesiredTransition?.Migrate, true);
    assert.equal(t.alloc.DesiredTransition?.NoShutdownDelay, false);
    await eventually(() => t.alloc.DesiredStatus === 'stop', 3000, 'desired stop');
  });

  it('Up+Enter in one write from the destructive option cancels', async () => {
    const sim = await startSim();
    const { view, done } = open('stop', sim.url, target(sim).alloc);
    await frameMatching(view, /▸ Cancel/);
    view.stdin.write('\x1b[B');
    await frameMatching(view, /▸ Stop/);
    view.stdin.write('\x1b[A\r');
    assert.deepEqual(await done(), CANCELLED('stop'));
    assert.equal(mutations(sim), 0);
  });

  it('the third option stops without shutdown delay', async () => {
    const sim = await startSim();
    const t = target(sim);
    const { view, done } = open('stop', sim.url, t.alloc);
    await frameMatching(view, /▸ Cancel/);
    view.stdin.write('jj\r');
    assert.equal((await done())?.ok, true);
    assert.equal(t.alloc.DesiredTransition?.NoShutdownDelay, true);
  });

  it('shows the request in flight and cannot send it twice', async () => {
    let stops = 0;
    const queries: URLSearchParams[] = [];
    const id = '11111111-2222-3333-4444-555555555555';
    const address = await fakeAgent({
      [`/v1/allocation/${id}`]: { body: JSON.stringify({ ID: id, TaskStates: {} }) },
      [`/v1/allocation/${id}/stop`]: (url) => {
        stops += 1;
        queries.push(url.searchParams);
        return { body: '{"EvalID":"5456bd7a-9fc0-c0dd-6131-cbee77f57577","Index":54}', delayMs: 600 };
      },
    });
    const { view, done, outcomes } = open('stop', address, { ID: id, Name: 'web.api[3]', JobID: 'web', Namespace: 'platform' });
    await frameMatching(view, /▸ Cancel/);
    view.stdin.write('\x1b[B\r');
    await frameMatching(view, /sending stop for web\.api\[3\] \(11111111\)…/, 500);
    view.stdin.write('\r');
    view.stdin.write('\x1b[A\r');
    assert.deepEqual(outcomes, [], 'still in flight');
    // A second send would have gone out with the keys, long before the first answer (600 ms).
    const outcome = await done();
    assert.equal(stops, 1, 'sent once');
    assert.equal(queries[0]?.get('namespace'), 'platform', "the allocation's own namespace");
    assert.equal(outcome?.text, 'stop sent for web.api[3] — eval 5456bd7a');
  });

  it('a token without alloc-lifecycle gets the 403 in plain words', async () => {
    const sim = await startSim({ acl: { management: 'm', readOnly: 'ro' } });
    const t = target(sim);
    const { view, done } = open('stop', sim.url, t.alloc, 'ro');
    await frameMatching(view, /▸ Cancel/);
    view.stdin.write('\x1b[B\r');
    const outcome = await done();
    assert.equal(outcome?.ok, false);
    assert.match(outcome?.text ?? '', new RegExp(`stop refused for .*: your token lacks alloc-lifecycle in namespace ${t.alloc.Namespace} \\(403 Permission denied\\)`));
  });
});

/** The types of the events from the last Restart Signaled on, up to the restart itself. */
function afterRestartSignaled(list: { Type?: string | null }[] | null | undefined): string[] {
  const types = (list ?? []).map((e) => e.Type ?? '');
  const at = types.lastIndexOf('Restart Signaled');
  return at === -1 ? [] : types.slice(at, at + 3);
}

describe('restart prompt', () => {
  it('offers running tasks, all tasks, and each running task; one task gets Restart Signaled', async () => {
    const sim = await startSim();
    const t = target(sim);
    const tasks = Object.keys(t.alloc.TaskStates).sort();
    const { view, done } = open('restart', sim.url, t.alloc);
    const frame = await frameMatching(view, new RegExp(`Restart task ${tasks[1]}`));
    assert.match(frame, /▸ Cancel/);
    assert.match(frame, /Restart running tasks/);
    assert.match(frame, /Restart all tasks, dead ones too/);
    view.stdin.write('\x1b[B\x1b[B\x1b[B\x1b[B\r');
    // Nomad answers a restart only once the task was killed and has exited.
    await frameMatching(view, /restarting .*: waiting for the task to exit…/);
    const outcome = await done();
    assert.match(outcome?.text ?? '', new RegExp(`restart sent for .* — task ${tasks[1]}`));
    assert.deepEqual(afterRestartSignaled(t.alloc.TaskStates[tasks[1] ?? '']?.Events), ['Restart Signaled', 'Terminated', 'Restarting'], 'the answer came after the exit');
    assert.deepEqual(afterRestartSignaled(t.alloc.TaskStates[tasks[0] ?? '']?.Events), [], 'the other task was left alone');
  });

  it('restart running tasks and all tasks each send the right body', async () => {
    const sim = await startSim();
    for (const [keys, what] of [['j\r', 'running tasks'], ['jj\r', 'all tasks']] as const) {
      const t = sim.sim.cluster.ordered.find((s) => s.alloc.ClientStatus === 'running' && !Object.values(s.alloc.TaskStates).some((st) => st.Events?.some((e) => e.Type === 'Restart Signaled')));
      assert.ok(t);
      const { view, done } = open('restart', sim.url, t.alloc);
      await frameMatching(view, /▸ Cancel/);
      view.stdin.write(keys);
      assert.match((await done())?.text ?? '', new RegExp(`— ${what}$`));
      for (const state of Object.values(t.alloc.TaskStates)) assert.deepEqual(afterRestartSignaled(state.Events), ['Restart Signaled', 'Terminated', 'Restarting']);
    }
  });
});

describe('signal prompt', () => {
  it('signal → task → confirm sends SIGHUP to one task', async () => {
    const sim = await startSim();
    const t = target(sim);
    const task = Object.keys(t.alloc.TaskStates).sort()[0] ?? '';
    const { view, done } = open('signal', sim.url, t.alloc);
    await frameMatching(view, /which signal\?/);
    view.stdin.write('\x1b[B\r');
    await frameMatching(view, /with SIGHUP: which task\?/);
    await frameMatching(view, new RegExp(`Task ${task}`));
    view.stdin.write('jj\r');
    const confirm = await frameMatching(view, new RegExp(`Send SIGHUP to task ${task} of`));
    assert.match(confirm, /▸ Cancel/);
    view.stdin.write('\x1b[B\r');
    assert.match((await done())?.text ?? '', new RegExp(`signal sent for .* — SIGHUP to task ${task}`));
    const event = t.alloc.TaskStates[task]?.Events?.at(-1);
    assert.equal(event?.Type, 'Signaling');
    assert.equal(event?.TaskSignal, 'SIGHUP');
  });

  it('another signal can be typed; a bad name is refused in the prompt', async () => {
    const sim = await startSim();
    const t = target(sim);
    const { view, done } = open('signal', sim.url, t.alloc);
    await frameMatching(view, /which signal\?/);
    view.stdin.write('G\r');
    await frameMatching(view, /type a signal name/);
    view.stdin.write('kill -9\r');
    await frameMatching(view, /Nomad does not know "kill -9": exec, raw_exec and java would send SIGINT/);
    // A name Nomad's drivers do not parse is refused too, and lower case is named for what it is.
    view.stdin.write('\x7f'.repeat(7) + 'SIGRTMIN+1\r');
    await frameMatching(view, /Nomad does not know "SIGRTMIN\+1"/);
    view.stdin.write('\x7f'.repeat(10) + 'sigwinch\r');
    await frameMatching(view, /upper case for Nomad: type SIGWINCH/);
    view.stdin.write('\x7f'.repeat(8) + 'SIGWINCH\r');
    await frameMatching(view, /with SIGWINCH: which task\?/);
    view.stdin.write('j\r');
    await frameMatching(view, /Send SIGWINCH to all running tasks/);
    view.stdin.write('j\r');
    assert.match((await done())?.text ?? '', /SIGWINCH to all running tasks/);
    assert.ok(Object.values(t.alloc.TaskStates).every((st) => st.Events?.at(-1)?.TaskSignal === 'SIGWINCH'));
  });

  it('Esc at any step cancels and sends nothing', async () => {
    const sim = await startSim();
    for (const steps of [[], ['\x1b[B\r'], ['\x1b[B\r', 'j\r']]) {
      const { view, done, outcomes } = open('signal', sim.url, target(sim).alloc);
      await frameMatching(view, /which signal\?/);
      for (const [i, keys] of steps.entries()) {
        view.stdin.write(keys);
        await frameMatching(view, i === 0 ? /which task\?/ : /Send SIGHUP to all running tasks/);
      }
      view.stdin.write('\x1b');
      assert.deepEqual(await done(), CANCELLED('signal'));
      assert.equal(outcomes.length, 1);
    }
    assert.equal(mutations(sim), 0);
  });

  it('keys typed in the same read as a step change are dropped: the next step was not seen yet', async () => {
    const sim = await startSim();
    const { view, outcomes } = open('signal', sim.url, target(sim).alloc);
    await frameMatching(view, /which signal\?/);
    view.stdin.write('\x1b[B\r\x1b[B\r\x1b[B\r');
    await frameMatching(view, /with SIGHUP: which task\?/);
    await quietFor(100);
    assert.match(view.lastFrame() ?? '', /▸ Cancel/);
    assert.deepEqual(outcomes, []);
    assert.equal(mutations(sim), 0);
  });
});
