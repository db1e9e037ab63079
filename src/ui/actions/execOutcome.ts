// The result line after an exec session: how the command ended (`exec /bin/sh in web.api[3]
// (server) exited 0`, a signal, an OOM kill), or why there was no session, in plain words —
// the agent's close-frame errors (command/agent/alloc_endpoint.go, client/alloc_endpoint.go
// execImpl) and a token the console already knew lacks the capability. Pure, table-tested.
import type { ExecEnd } from '../../nomad/exec.js';
import type { AllocListStub } from '../../nomad/types.js';
import { commandText } from '../prompts/execCommand.js';
import { sanitize, shortId } from '../format.js';
import type { Outcome } from './outcome.js';

/** How a session went, as the console's exec runner reports it. */
export type ExecReport =
  | ExecEnd
  /** The token's policies lack a capability exec needs here: no socket was opened. */
  | { kind: 'denied'; capability: 'alloc-exec' | 'alloc-node-exec'; namespace: string }
  /** This console cannot hand its terminal over (no runner). */
  | { kind: 'unavailable'; message: string };

export interface ExecTarget {
  alloc: AllocListStub;
  task: string;
  command: readonly string[];
  /** The task's driver, when the allocation's job is known: raw_exec needs alloc-node-exec. */
  driver?: string;
}

const SIGNAL_NAMES: Readonly<Record<number, string>> = { 1: 'SIGHUP', 2: 'SIGINT', 3: 'SIGQUIT', 6: 'SIGABRT', 9: 'SIGKILL', 11: 'SIGSEGV', 13: 'SIGPIPE', 14: 'SIGALRM', 15: 'SIGTERM' };

export function execOutcome(report: ExecReport, target: ExecTarget): Outcome {
  const name = sanitize(target.alloc.Name) || shortId(target.alloc.ID);
  const task = sanitize(target.task);
  const namespace = sanitize(target.alloc.Namespace) || 'default';
  const session = `exec ${sanitize(commandText(target.command))} in ${name} (${task})`;
  switch (report.kind) {
    case 'exited': {
      const { exitCode, signal, oomKilled } = report.result;
      const how = signal ? `, killed by signal ${signal}${SIGNAL_NAMES[signal] ? ` (${SIGNAL_NAMES[signal]})` : ''}` : '';
      return { ok: exitCode === 0 && !signal && !oomKilled, text: `${session} exited ${exitCode}${how}${oomKilled ? ': OOM killed' : ''}` };
    }
    case 'closed':
      return { ok: true, text: `${session}: you ended the session with ~.` };
    case 'lost':
      return { ok: false, text: `${session}: ${sanitize(report.message)}` };
    case 'denied':
      return { ok: false, text: `exec not opened: your token lacks ${report.capability} in namespace ${sanitize(report.namespace)}${report.capability === 'alloc-node-exec' ? ` (task ${task} runs with ${sanitize(target.driver)}, which has no filesystem isolation)` : ''}` };
    case 'unavailable':
      return { ok: false, text: `exec not opened: ${sanitize(report.message)}` };
    case 'refused':
      return { ok: false, text: refusedText(report.message, { name, task, namespace, driver: target.driver }) };
  }
}

function refusedText(message: string, at: { name: string; task: string; namespace: string; driver: string | undefined }): string {
  const said = sanitize(message);
  if (/^Permission denied/.test(message)) {
    const node = at.driver === 'raw_exec' ? ` (and alloc-node-exec: ${at.task} runs with raw_exec)` : '';
    return `exec refused in ${at.name}: your token lacks alloc-exec in namespace ${at.namespace}${node} (Permission denied)`;
  }
  if (/^Unknown allocation/.test(message)) return `exec failed: ${at.name} no longer exists (${said})`;
  if (/^exec not possible/.test(message)) return `cannot exec in ${at.name}: it has ended (${said})`;
  if (/not started yet/.test(message)) return `cannot exec in ${at.name}: task ${at.task} has not started yet`;
  if (/is not running/.test(message)) return `cannot exec in ${at.name}: task ${at.task} is not running (it may be restarting)`;
  if (/^unknown task name/.test(message)) return `cannot exec in ${at.name}: it has no task ${at.task}`;
  return `exec failed in ${at.name} (${at.task}): ${said}`;
}
