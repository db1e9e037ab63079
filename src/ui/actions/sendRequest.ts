// Sends one chosen request (stop, restart, signal) for one allocation and says how it went, in
// the result line's words; a failure also names its cause briefly (the HTTP status) so a bulk
// summary can count failures by cause.
import { NomadError } from '../../nomad/errors.js';
import type { AllocListStub } from '../../nomad/types.js';
import type { AllocationActions } from '../hooks/useAllocationActions.js';
import { signalTarget, type Send } from '../prompts/promptState.js';
import { failureText, successText, type Outcome } from './outcome.js';

export interface SendOutcome extends Outcome {
  /** For a failure: its HTTP status, or "no answer". */
  cause?: string;
}

export async function sendRequest(actions: AllocationActions, alloc: AllocListStub, send: Send): Promise<SendOutcome> {
  const id = alloc.ID ?? '';
  try {
    if (send.kind === 'stop') {
      const { evalId } = await actions.stop(id, alloc.Namespace ?? undefined, send.noShutdownDelay);
      return { ok: true, text: successText('stop', alloc, { evalId }) };
    }
    if (send.kind === 'restart') {
      await actions.restart(id, send.target);
      return { ok: true, text: successText('restart', alloc, { what: send.what }) };
    }
    if (send.kind === 'exec') throw new Error('an exec session is not a request: the console runs it');
    await actions.signal(id, send.signal, send.task);
    return { ok: true, text: successText('signal', alloc, { what: `${send.signal} to ${signalTarget(send.task)}` }) };
  } catch (error) {
    const task = send.kind === 'signal' ? send.task : send.kind === 'restart' && 'task' in send.target ? send.target.task : undefined;
    return { ok: false, text: failureText(send.kind, alloc, error, task), cause: error instanceof NomadError ? String(error.status) : 'no answer' };
  }
}
