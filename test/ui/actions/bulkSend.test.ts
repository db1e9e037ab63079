// Bulk actions without a screen: a few requests at a time, Esc stops what is not yet sent, the
// summary counts failures by cause and namespace; the bulk prompt's groups and task choices.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NomadError } from '../../../src/nomad/errors.js';
import { bulkSummary, reportLines, runBulk } from '../../../src/ui/actions/bulkSend.js';
import type { AllocationActions } from '../../../src/ui/hooks/useAllocationActions.js';
import { groupSummary, openPromptState, promptView, recipients } from '../../../src/ui/prompts/promptState.js';

const alloc = (i: number, namespace = 'default', tasks: Record<string, string> = { app: 'running' }) => ({
  ID: `${String(i).padStart(8, '0')}-0000-0000-0000-000000000000`,
  Name: `web.api[${i}]`,
  JobID: 'web',
  TaskGroup: 'api',
  Namespace: namespace,
  ClientStatus: 'running',
  DesiredStatus: 'run',
  TaskStates: Object.fromEntries(Object.entries(tasks).map(([name, State]) => [name, { State }])),
});

/** Actions that answer after a turn of the event loop, counting how many are in flight. */
function fakeActions(fail: (id: string) => Error | undefined = () => undefined) {
  const seen = { inFlight: 0, most: 0, stops: [] as { id: string; namespace: string | undefined }[] };
  const answer = async (id: string) => {
    seen.inFlight += 1;
    seen.most = Math.max(seen.most, seen.inFlight);
    await new Promise((resolve) => setImmediate(resolve));
    seen.inFlight -= 1;
    const error = fail(id);
    if (error) throw error;
  };
  const actions: AllocationActions = {
    stop: async (id, namespace) => {
      seen.stops.push({ id, namespace });
      await answer(id);
      return { evalId: 'e0000000-0000-0000-0000-000000000000' };
    },
    restart: async (id) => answer(id),
    signal: async (id) => answer(id),
  };
  return { actions, seen };
}

describe('bulk sending', () => {
  it('sends one request per allocation, at most 4 at a time, each with its own namespace', async () => {
    const targets = Array.from({ length: 20 }, (_, i) => alloc(i, i % 2 ? 'billing' : 'default'));
    const { actions, seen } = fakeActions();
    const progress: number[] = [];
    const report = await runBulk('stop', targets, { kind: 'stop', noShutdownDelay: false }, [], { actions, stopped: () => false, onProgress: (done) => progress.push(done) });
    assert.equal(seen.stops.length, 20);
    assert.ok(seen.most <= 4 && seen.most > 1, `in flight at most: ${seen.most}`);
    assert.deepEqual(seen.stops.map((stop) => stop.namespace), targets.map((t) => t.Namespace));
    assert.deepEqual(progress, Array.from({ length: 20 }, (_, i) => i + 1));
    assert.equal(bulkSummary(report), '20 stopped · R: the report');
  });

  it('stops sending once asked; what was sent stays in the report, the rest is "not sent"', async () => {
    const targets = Array.from({ length: 20 }, (_, i) => alloc(i));
    const { actions, seen } = fakeActions();
    let stop = false;
    const report = await runBulk('restart', targets, { kind: 'restart', target: { running: true }, what: 'running tasks' }, [], { actions, stopped: () => stop, onProgress: (done) => (stop = done >= 6) });
    assert.ok(report.items.length >= 6 && report.items.length < 10, `answered ${report.items.length}`);
    assert.equal(report.items.length + report.notSent.length, 20);
    assert.equal(seen.stops.length, 0);
    assert.match(bulkSummary(report), new RegExp(`^${report.items.length} restarted, ${report.notSent.length} not sent \\(stopped by Esc\\) · R: the report$`));
  });

  it('counts failures by cause and namespace, and the report names each allocation', async () => {
    const targets = [alloc(1), alloc(2, 'billing'), alloc(3, 'billing'), alloc(4)];
    const { actions } = fakeActions((id) => (id.startsWith('0000000') && !id.startsWith('00000001') && !id.startsWith('00000004') ? new NomadError(403, 'POST', '/v1/allocation/x/stop', 'Permission denied') : undefined));
    const report = await runBulk('stop', targets, { kind: 'stop', noShutdownDelay: false }, [{ alloc: alloc(9), reason: 'web.api[9] (00000009) is already stopped (complete, desired stop)' }], { actions, stopped: () => false, onProgress: () => {} });
    assert.equal(bulkSummary(report), '2 stopped, 2 failed: 403 on 2 in namespace billing, 1 skipped · R: the report');
    const lines = reportLines(report);
    assert.match(lines[0] ?? '', /^STOP REPORT {2}2 stopped, 2 failed/);
    assert.equal(lines.filter((line) => line.startsWith('✖')).length, 2);
    assert.ok(lines.some((line) => /^✖ stop refused for web\.api\[2\] .*403 Permission denied/.test(line)), lines.join('\n'));
    assert.ok(lines.includes('– web.api[9] (00000009): skipped — web.api[9] (00000009) is already stopped (complete, desired stop)'));
  });
});

describe('bulk prompt', () => {
  it('names the marked allocations by group and namespace', () => {
    const targets = [alloc(1), alloc(2), alloc(3, 'billing'), { ...alloc(4), JobID: 'mail', TaskGroup: 'worker' }];
    assert.equal(groupSummary(targets), 'web.api ×2 (default), mail.worker ×1 (default), web.api ×1 (billing)');
    assert.equal(groupSummary(targets, 2), 'web.api ×2 (default), mail.worker ×1 (default) and 1 more groups');
  });

  it('a signal to one task goes to the marked allocations running it; the task list says in how many', () => {
    const targets = [alloc(1, 'default', { app: 'running', sidecar: 'running' }), alloc(2, 'default', { app: 'running', sidecar: 'dead' }), alloc(3)];
    const prompt = { ...openPromptState('signal', targets[0] as never, 0, { targets, skipped: [] }), step: { name: 'task' as const, signal: 'SIGHUP' } };
    assert.deepEqual(promptView(prompt).options.map((o) => o.label), ['Cancel', 'All running tasks (3 allocations)', 'Task app (running in 3 of 3)', 'Task sidecar (running in 1 of 3)']);
    assert.deepEqual(recipients(prompt, { kind: 'signal', signal: 'SIGHUP', task: 'sidecar' }).map((a) => a.ID), [targets[0]?.ID]);
    const confirm = { ...prompt, step: { name: 'confirm' as const, signal: 'SIGHUP', task: 'sidecar' } };
    assert.equal(promptView(confirm).title, 'Send SIGHUP to task sidecar of 1 allocation?');
  });
});
