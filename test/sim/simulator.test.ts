// The simulated cluster's life and lifecycle effects, as a real cluster shows them.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { Simulator } from '../../src/sim/simulator.js';
import { MAX_TASK_EVENTS } from '../../src/sim/taskEvents.js';
import { eventually } from '../helpers/sim.js';

function simulator(options: ConstructorParameters<typeof Simulator>[0] = {}): Simulator {
  const sim = new Simulator({ allocs: 40, seed: 3, life: false, timeScale: 0.02, ...options });
  after(() => sim.close());
  return sim;
}

const types = (sim: Simulator, id: string, task: string): string[] =>
  (sim.cluster.get(id)?.alloc.TaskStates[task]?.Events ?? []).map((e) => e.Type ?? '');

function runningService(sim: Simulator) {
  const found = sim.cluster.ordered.find((s) => s.alloc.ClientStatus === 'running' && s.job.type === 'service');
  assert.ok(found, 'a running service allocation');
  return { sim: found, id: found.alloc.ID ?? '', task: Object.keys(found.alloc.TaskStates)[0] ?? '' };
}

describe('simulator seeding', () => {
  it('the same seed builds the same cluster; another seed another', () => {
    const names = (s: Simulator) => s.cluster.ordered.map((a) => `${a.alloc.ID}:${a.alloc.Name}:${a.alloc.NodeName}`);
    assert.deepEqual(names(simulator({ seed: 9 })), names(simulator({ seed: 9 })));
    assert.notDeepEqual(names(simulator({ seed: 9 })), names(simulator({ seed: 10 })));
  });

  it('has the asked number of allocations, both job types, several namespaces, and list order', () => {
    const sim = simulator({ allocs: 500 });
    assert.equal(sim.cluster.ordered.length, 500);
    assert.ok(new Set(sim.cluster.jobs.map((j) => j.type)).size === 2);
    assert.ok(new Set(sim.cluster.ordered.map((s) => s.alloc.Namespace)).size >= 2);
    const keys = sim.cluster.ordered.map((s) => [s.alloc.CreateIndex ?? 0, s.alloc.ID ?? ''] as const);
    for (let i = 1; i < keys.length; i++) {
      const [pi, pid] = keys[i - 1] ?? [0, ''];
      const [ci, cid] = keys[i] ?? [0, ''];
      assert.ok(pi < ci || (pi === ci && pid < cid), 'ascending CreateIndex then ID');
    }
  });
});

describe('simulator lifecycle effects', () => {
  it('stop: eval, desired stop, Killing/Terminated/Killed, complete, and a replacement', async () => {
    const sim = simulator();
    const { sim: target, id, task } = runningService(sim);
    const before = sim.cluster.index;
    const result = sim.stop(id, false);
    assert.ok(result.Index > before);
    assert.equal(sim.cluster.evals.get(result.EvalID)?.TriggeredBy, 'alloc-stop');
    assert.equal(target.alloc.DesiredTransition?.Migrate, true);
    await eventually(() => target.alloc.ClientStatus === 'complete', 3000, 'complete');
    assert.equal(target.alloc.DesiredStatus, 'stop');
    assert.deepEqual(types(sim, id, task).slice(-3), ['Killing', 'Terminated', 'Killed']);
    const replacement = sim.cluster.get(target.alloc.NextAllocation ?? '');
    assert.ok(replacement, 'a replacement allocation');
    assert.equal(replacement.alloc.Name, target.alloc.Name);
    await eventually(() => replacement.alloc.ClientStatus === 'running', 3000, 'replacement running');
    assert.equal(sim.cluster.servicesByAlloc.has(id), false, 'services deregistered');
  });

  it('stop without shutdown delay records it and skips the delay', async () => {
    const sim = simulator();
    const { sim: target, id, task } = runningService(sim);
    sim.stop(id, true);
    await eventually(() => target.alloc.ClientStatus === 'complete', 3000, 'complete');
    assert.ok(types(sim, id, task).includes('Skipping shutdown delay'));
  });

  it('restart: Restart Signaled, Terminated, Restarting, Started; Restarts counts it', async () => {
    const sim = simulator();
    const { sim: target, id, task } = runningService(sim);
    // Not awaited: it answers once the task has exited; the events are what is checked.
    void sim.restart(id, { TaskName: task });
    await eventually(() => types(sim, id, task).at(-1) === 'Started' && target.alloc.TaskStates[task]?.State === 'running', 3000, 'started');
    assert.deepEqual(types(sim, id, task).slice(-4), ['Restart Signaled', 'Terminated', 'Restarting', 'Started']);
    assert.equal(target.alloc.TaskStates[task]?.Restarts, 1);
    assert.ok(target.alloc.TaskStates[task]?.LastRestart);
  });

  it('signal: a Signaling event naming the signal', () => {
    const sim = simulator();
    const { id, task } = runningService(sim);
    sim.signal(id, 'SIGUSR1', task);
    const event = sim.cluster.get(id)?.alloc.TaskStates[task]?.Events?.at(-1);
    assert.equal(event?.Type, 'Signaling');
    assert.equal(event?.TaskSignal, 'SIGUSR1');
  });

  it('a failing task restarts, then fails the allocation, which is rescheduled', async () => {
    const sim = simulator();
    const { sim: target, id, task } = runningService(sim);
    for (let attempt = 0; attempt < target.group.restartAttempts; attempt++) {
      sim.failTask(id, task, 'exit');
      assert.deepEqual(types(sim, id, task).slice(-2), ['Terminated', 'Restarting']);
      assert.equal(target.alloc.TaskStates[task]?.State, 'pending', 'pending while it waits to restart');
      await eventually(() => target.alloc.TaskStates[task]?.Events?.at(-1)?.Type === 'Started', 3000, 'restarted');
    }
    sim.failTask(id, task, 'exit');
    assert.equal(target.alloc.ClientStatus, 'failed');
    assert.equal(target.alloc.TaskStates[task]?.Failed, true);
    assert.equal(types(sim, id, task).at(-1), 'Not Restarting');
    const next = await eventually(() => sim.cluster.get(target.alloc.NextAllocation ?? ''), 3000, 'rescheduled');
    assert.equal(next.alloc.PreviousAllocation, id);
    assert.equal(next.alloc.RescheduleTracker?.Events?.at(-1)?.PrevAllocID, id);
  });

  it('failure kinds record what a Nomad client records', () => {
    const sim = simulator();
    const expected: Record<string, [string, RegExp]> = {
      oom: ['Terminated', /^Exit Code: 137, Exit Message: "OOM Killed"$/],
      driver: ['Driver Failure', /^Failed to pull `.+`: API error \(404\)/],
      artifact: ['Failed Artifact Download', /^GET error: bad response code: 404$/],
      setup: ['Setup Failure', /^failed to setup alloc: pre-run hook "network" failed/],
    };
    const targets = sim.cluster.ordered.filter((s) => s.alloc.ClientStatus === 'running' && s.job.type === 'service' && s.group.tasks[0]?.driver === 'docker');
    for (const [n, [kind, [type, display]]] of Object.entries(expected).entries()) {
      const id = targets[n]?.alloc.ID ?? '';
      const task = targets[n]?.group.tasks[0]?.name ?? '';
      sim.failTask(id, task, kind as 'oom');
      const list = sim.cluster.get(id)?.alloc.TaskStates[task]?.Events ?? [];
      const event = list.find((e) => e.Type === type && display.test(e.DisplayMessage ?? ''));
      assert.ok(event, `${kind}: ${list.map((e) => `${e.Type}: ${e.DisplayMessage}`).join(' | ')}`);
      if (kind === 'oom') assert.equal(event.Details?.oom_killed, 'true');
      if (kind === 'setup') assert.equal(sim.cluster.get(id)?.alloc.ClientStatus, 'failed', 'a setup failure is not retried');
    }
  });

  it('a task that fails its allocation kills its siblings', () => {
    const sim = simulator({ allocs: 200 });
    const target = sim.cluster.ordered.find((s) => s.alloc.ClientStatus === 'running' && s.group.tasks.length > 1);
    assert.ok(target, 'an allocation with two tasks');
    const [first, second] = target.group.tasks.map((t) => t.name) as [string, string];
    sim.failTask(target.alloc.ID ?? '', first, 'setup');
    const sibling = target.alloc.TaskStates[second]?.Events?.slice(-3).map((e) => [e.Type, e.DisplayMessage]);
    assert.deepEqual(sibling, [['Sibling Task Failed', `Task's sibling "${first}" failed`], ['Killing', 'Sent interrupt. Waiting 5s before force killing'], ['Killed', 'Task successfully killed']]);
    assert.equal(target.alloc.ClientStatus, 'failed');
  });

  it('an unknown signal: docker refuses it, raw_exec sends SIGINT and the task ends and restarts', async () => {
    const sim = simulator({ allocs: 200 });
    const docker = sim.cluster.ordered.find((s) => s.alloc.ClientStatus === 'running' && s.group.tasks[0]?.driver === 'docker');
    const rawExec = sim.cluster.ordered.find((s) => s.alloc.ClientStatus === 'running' && s.group.tasks[0]?.driver === 'raw_exec');
    assert.ok(docker && rawExec);
    const dockerTask = docker.group.tasks[0]?.name ?? '';
    assert.throws(() => sim.signal(docker.alloc.ID ?? '', 'SIGFOO', dockerTask), (error: { status: number; body: string }) => error.status === 500 && error.body.startsWith('failed to parse signal: invalid signal %!q(<nil>) - valid signals are ["SIGABRT" "SIGALRM"'));
    const rawTask = rawExec.group.tasks[0]?.name ?? '';
    sim.signal(rawExec.alloc.ID ?? '', 'SIGFOO', rawTask);
    const state = rawExec.alloc.TaskStates[rawTask];
    assert.equal(state?.Events?.at(-1)?.TaskSignal, 'SIGFOO', 'the event names what was asked for');
    await eventually(() => state?.Events?.some((e) => e.Type === 'Terminated' && e.Signal === 2), 3000, 'ended by SIGINT');
    assert.equal(state?.State, 'pending');
  });

  it('restart answers only after the task exited, at its own pace up to its kill_timeout', async () => {
    const sim = simulator({ allocs: 200, timeScale: 0.1 });
    const slow = sim.cluster.ordered.find((s) => s.alloc.ClientStatus === 'running' && s.group.tasks[0]?.name === 'envoy');
    assert.ok(slow, 'an envoy allocation (it drains until its kill timeout)');
    const task = 'envoy';
    let answered = false;
    // The simulator's timers do not hold the process open (a server does): this test must.
    const hold = setInterval(() => {}, 1000);
    const restart = sim.restart(slow.alloc.ID ?? '', { TaskName: task }).then(() => (answered = true)).finally(() => clearInterval(hold));
    await eventually(() => slow.alloc.TaskStates[task]?.Events?.at(-1)?.Type === 'Restart Signaled', 1000, 'signalled');
    assert.equal(answered, false);
    await restart;
    assert.deepEqual(slow.alloc.TaskStates[task]?.Events?.slice(-2).map((e) => e.Type), ['Terminated', 'Restarting'], 'exited before the answer');
    assert.equal(slow.alloc.TaskStates[task]?.Events?.at(-1)?.DisplayMessage, 'User requested restart - Task restarting in 0s');
  });

  it('keeps only the latest 10 events per task', () => {
    const sim = simulator();
    const { id, task } = runningService(sim);
    for (let i = 0; i < 25; i++) sim.signal(id, 'SIGHUP', task);
    assert.equal(types(sim, id, task).length, MAX_TASK_EVENTS);
  });

  it('lives by itself: indexes rise and batch allocations complete', async () => {
    const sim = simulator({ allocs: 100, life: { intervalMs: 20, changesPerTick: 5 } });
    const start = sim.cluster.index;
    await eventually(() => sim.cluster.index > start + 20, 5000, 'changes');
    await eventually(() => sim.cluster.ordered.some((s) => s.job.type === 'batch' && s.alloc.ClientStatus === 'complete'), 5000, 'a completed batch allocation');
    assert.ok(sim.cluster.ordered.length <= Math.ceil(100 * 1.1) + 10 + 5, 'garbage collection bounds the cluster');
  });
});

describe('simulator at scale', () => {
  it('garbage collection takes rows out of a list of 200,000 in place, the rest in order', () => {
    const sim = simulator({ allocs: 10 });
    const { cluster } = sim;
    const [first] = cluster.ordered;
    assert.ok(first);
    // Copies of one allocation under other IDs: the ordered list as 200,000 would make it.
    const extra = Array.from({ length: 200_000 }, (_, i) => ({ ...first, alloc: { ...first.alloc, ID: `extra-${i}` } }));
    for (const copy of extra) cluster.ordered.push(copy);
    const before = cluster.ordered.length;
    cluster.remove(new Set(['extra-7', 'extra-199998', first.alloc.ID ?? '']), cluster.bump());
    assert.equal(cluster.ordered.length, before - 3);
    const left = cluster.ordered.map((s) => s.alloc.ID ?? '').filter((id) => id.startsWith('extra-'));
    assert.deepEqual(left, extra.map((s) => s.alloc.ID ?? '').filter((id) => id !== 'extra-7' && id !== 'extra-199998'));
    assert.equal(cluster.ordered.some((s) => s.alloc.ID === first.alloc.ID), false);
  });
});
