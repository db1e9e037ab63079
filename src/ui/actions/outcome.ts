// The result line after an action: what was sent, or the agent's error in plain words.
import { NomadConnectionError, NomadError } from '../../nomad/errors.js';
import { ReadOnlyError } from '../../nomad/transport.js';
import type { AllocListStub } from '../../nomad/types.js';
import { sanitize, shortId } from '../format.js';
import { label, type ActionKind } from './eligibility.js';

export interface Outcome {
  text: string;
  ok: boolean;
}

export function successText(kind: ActionKind, alloc: AllocListStub, detail: { evalId?: string | null; what?: string }): string {
  const name = sanitize(alloc.Name) || shortId(alloc.ID);
  if (kind === 'stop') return `stop sent for ${name}${detail.evalId ? ` — eval ${shortId(detail.evalId)}` : ''}`;
  return `${kind === 'restart' ? 'restart' : 'signal'} sent for ${name}${detail.what ? ` — ${detail.what}` : ''}`;
}

export function failureText(kind: ActionKind, alloc: AllocListStub, error: unknown, task?: string): string {
  const target = label(alloc);
  if (error instanceof ReadOnlyError) return `read-only mode: nothing was sent`;
  if (error instanceof NomadError) {
    if (error.status === 403) return `${kind} refused for ${target}: your token lacks alloc-lifecycle in namespace ${sanitize(alloc.Namespace) || 'default'} (403 Permission denied)`;
    if (error.status === 404) return `${kind} failed: ${target} no longer exists, or its node is gone (404 ${sanitize(error.text)})`;
    if (/Task not running/.test(error.body)) return `${kind} failed: ${task ? `task ${sanitize(task)}` : 'the task'} is not running (Nomad: Task not running)`;
    return `${kind} failed for ${target}: ${sanitize(error.text)} (${error.status})`;
  }
  if (error instanceof NomadConnectionError) return `${kind} not sent: ${sanitize(error.message)}`;
  return `${kind} failed for ${target}: ${sanitize(error instanceof Error ? error.message : String(error))}`;
}
