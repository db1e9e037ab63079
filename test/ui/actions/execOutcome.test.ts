// The result line after exec, for every way a session ends and every refusal the agent sends.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { execOutcome, type ExecReport } from '../../../src/ui/actions/execOutcome.js';

const alloc = { ID: '3c1f9d2a-1111-2222-3333-444455556666', Name: 'web.api[3]', Namespace: 'prod' };
const target = { alloc, task: 'server', command: ['/bin/sh'] };

describe('exec outcome', () => {
  const cases: [string, ExecReport, boolean, string, string?][] = [
    ['exit 0', { kind: 'exited', result: { exitCode: 0 } }, true, 'exec /bin/sh in web.api[3] (server) exited 0'],
    ['exit 3', { kind: 'exited', result: { exitCode: 3 } }, false, 'exec /bin/sh in web.api[3] (server) exited 3'],
    ['a signal', { kind: 'exited', result: { exitCode: 137, signal: 9 } }, false, 'exec /bin/sh in web.api[3] (server) exited 137, killed by signal 9 (SIGKILL)'],
    ['OOM', { kind: 'exited', result: { exitCode: 137, oomKilled: true } }, false, 'exec /bin/sh in web.api[3] (server) exited 137: OOM killed'],
    ['~.', { kind: 'closed' }, true, 'exec /bin/sh in web.api[3] (server): you ended the session with ~.'],
    ['lost', { kind: 'lost', message: 'the connection closed before the command exited' }, false, 'exec /bin/sh in web.api[3] (server): the connection closed before the command exited'],
    ['known to lack alloc-exec', { kind: 'denied', capability: 'alloc-exec', namespace: 'prod' }, false, 'exec not opened: your token lacks alloc-exec in namespace prod'],
    ['known to lack alloc-node-exec', { kind: 'denied', capability: 'alloc-node-exec', namespace: 'prod' }, false, 'exec not opened: your token lacks alloc-node-exec in namespace prod (task server runs with raw_exec, which has no filesystem isolation)', 'raw_exec'],
    ['Permission denied', { kind: 'refused', code: 1011, message: 'Permission denied' }, false, 'exec refused in web.api[3]: your token lacks alloc-exec in namespace prod (Permission denied)'],
    ['Permission denied, raw_exec', { kind: 'refused', code: 1011, message: 'Permission denied' }, false, 'exec refused in web.api[3]: your token lacks alloc-exec in namespace prod (and alloc-node-exec: server runs with raw_exec) (Permission denied)', 'raw_exec'],
    ['gone', { kind: 'refused', code: 1008, message: `Unknown allocation "${alloc.ID}"` }, false, `exec failed: web.api[3] no longer exists (Unknown allocation "${alloc.ID}")`],
    ['terminal', { kind: 'refused', code: 1008, message: `exec not possible, client status of allocation ${alloc.ID} is complete` }, false, `cannot exec in web.api[3]: it has ended (exec not possible, client status of allocation ${alloc.ID} is complete)`],
    ['not started', { kind: 'refused', code: 1008, message: 'task "server" not started yet.' }, false, 'cannot exec in web.api[3]: task server has not started yet'],
    ['not running', { kind: 'refused', code: 1008, message: 'task "server" is not running.' }, false, 'cannot exec in web.api[3]: task server is not running (it may be restarting)'],
    ['unknown task', { kind: 'refused', code: 1008, message: 'unknown task name "server"' }, false, 'cannot exec in web.api[3]: it has no task server'],
    ['another error, with escapes', { kind: 'refused', code: 1011, message: 'rpc error: \x1b[31mboom' }, false, 'exec failed in web.api[3] (server): rpc error: �[31mboom'],
  ];
  for (const [name, report, ok, text, driver] of cases) {
    it(name, () => assert.deepEqual(execOutcome(report, driver ? { ...target, driver } : target), { ok, text }));
  }
});
