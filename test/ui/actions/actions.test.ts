// Eligibility and result lines for actions.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NomadConnectionError, NomadError } from '../../../src/nomad/errors.js';
import { refusal, runningTasks } from '../../../src/ui/actions/eligibility.js';
import { failureText, successText } from '../../../src/ui/actions/outcome.js';
import { validateSignal } from '../../../src/ui/prompts/promptState.js';

const alloc = { ID: '9f1ce2a1-0000-0000-0000-000000000000', Name: 'web.api[3]', JobID: 'web', Namespace: 'prod', ClientStatus: 'running', DesiredStatus: 'run' };

describe('refusal', () => {
  const cases: [string, Partial<typeof alloc>, 'stop' | 'restart' | 'signal', RegExp | undefined][] = [
    ['running: stop', {}, 'stop', undefined],
    ['running: restart', {}, 'restart', undefined],
    ['running: signal', {}, 'signal', undefined],
    ['pending: restart', { ClientStatus: 'pending' }, 'restart', undefined],
    ['complete+stop: stop', { ClientStatus: 'complete', DesiredStatus: 'stop' }, 'stop', /already stopped/],
    ['failed+run: stop allowed', { ClientStatus: 'failed' }, 'stop', undefined],
    ['failed: restart', { ClientStatus: 'failed' }, 'restart', /cannot restart web\.api\[3\] \(9f1ce2a1\): it is failed, and Nomad only restarts allocations that should run/],
    ['lost: signal', { ClientStatus: 'lost' }, 'signal', /cannot signal .* it is lost/],
    ['running+stop: restart', { DesiredStatus: 'stop' }, 'restart', /with desired stop/],
  ];
  for (const [name, patch, kind, expected] of cases) {
    it(name, () => {
      const reason = refusal(kind, { ...alloc, ...patch });
      if (expected) assert.match(reason ?? '', expected);
      else assert.equal(reason, undefined);
    });
  }
  it('running tasks only', () => assert.deepEqual(runningTasks({ TaskStates: { b: { State: 'running' }, a: { State: 'dead' }, c: { State: 'running' } } }), ['b', 'c']));
});

describe('result lines', () => {
  it('success names the allocation and the eval', () => {
    assert.equal(successText('stop', alloc, { evalId: '5456bd7a-9fc0-c0dd-6131-cbee77f57577' }), 'stop sent for web.api[3] — eval 5456bd7a');
    assert.equal(successText('signal', alloc, { what: 'SIGHUP to task server' }), 'signal sent for web.api[3] — SIGHUP to task server');
  });
  it('errors in plain words', () => {
    assert.match(failureText('stop', alloc, new NomadError(403, 'PUT', '/v1/allocation/x/stop', 'Permission denied')), /your token lacks alloc-lifecycle in namespace prod/);
    assert.match(failureText('restart', alloc, new NomadError(404, 'PUT', '/x', 'Unknown allocation "x"')), /no longer exists/);
    assert.match(failureText('signal', alloc, new NomadError(500, 'PUT', '/x', 'Task not running'), 'server'), /task server is not running \(Nomad: Task not running\)/);
    assert.match(failureText('restart', alloc, new NomadError(500, 'PUT', '/x', 'restart of an alloc that should not run')), /restart failed for web\.api\[3\] \(9f1ce2a1\): restart of an alloc that should not run \(500\)/);
    assert.match(failureText('stop', alloc, new NomadConnectionError('http://n:4646', 'ECONNREFUSED', 'connection refused', 'PUT', '/x')), /^stop not sent: cannot reach Nomad/);
  });
  it('signal names', () => {
    assert.equal(validateSignal('SIGWINCH'), undefined);
    assert.equal(validateSignal(' SIGUSR2 '), undefined);
    // Names Nomad's drivers do not parse: exec/raw_exec/java would send SIGINT and answer 200.
    for (const unknown of ['SIGRTMIN+1', 'SIGFOO', 'SIGNULL', 'kill -9', 'HUP']) assert.match(validateSignal(unknown) ?? '', /Nomad does not know .*would send SIGINT instead/, unknown);
    assert.match(validateSignal('sighup') ?? '', /upper case for Nomad: type SIGHUP/);
    assert.match(validateSignal('') ?? '', /type a signal name/);
  });
});
