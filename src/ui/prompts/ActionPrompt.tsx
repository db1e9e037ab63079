// Stop, restart and signal, each behind a confirmation that names the allocation, job,
// namespace and region, with Cancel first and highlighted. Signal walks three steps: which
// signal (or another, typed), which task, then confirm. The prompt's state lives in the UI
// state and is moved by the keymap (prompts/promptState.ts); this draws it, reports the
// allocation's running tasks as they arrive, and sends the chosen request once, handing the
// outcome back to the App as a result line.
import React, { useEffect, useMemo, useRef } from 'react';
import type { AllocListStub, Allocation } from '../../nomad/types.js';
import { allocationQuery } from '../../store/queries.js';
import { label, runningTasks } from '../actions/eligibility.js';
import { failureText, successText, type Outcome } from '../actions/outcome.js';
import { useServices } from '../context.js';
import { sanitize, show } from '../format.js';
import { useAllocationActions, type AllocationActions } from '../hooks/useAllocationActions.js';
import { useWatch } from '../hooks/useWatch.js';
import { promptView, signalTarget, type PromptState, type Send } from './promptState.js';
import { SelectPrompt } from './SelectPrompt.js';
import { TextPrompt } from './TextPrompt.js';

export interface ActionPromptProps {
  prompt: PromptState;
  width: number;
  height: number;
  /** The allocation's running tasks, each time its full record changes. */
  onRunning: (running: readonly string[]) => void;
  /** The outcome of the request the prompt sent. */
  onDone: (outcome: Outcome) => void;
}

/** What the prompt says while its request is in flight. */
export function busyText(prompt: PromptState): string | undefined {
  if (!prompt.send) return undefined;
  // A restart answers only once the tasks were killed and have exited (up to kill_timeout).
  return prompt.kind === 'restart' ? `restarting ${label(prompt.alloc)}: waiting for the task to exit…` : `sending ${prompt.kind} for ${label(prompt.alloc)}…`;
}

/** Sends one chosen request and says how it went, in the result line's words. */
export async function sendRequest(actions: AllocationActions, alloc: AllocListStub, send: Send): Promise<Outcome> {
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
    await actions.signal(id, send.signal, send.task);
    return { ok: true, text: successText('signal', alloc, { what: `${send.signal} to ${signalTarget(send.task)}` }) };
  } catch (error) {
    const task = send.kind === 'signal' ? send.task : send.kind === 'restart' && 'task' in send.target ? send.target.task : undefined;
    return { ok: false, text: failureText(send.kind, alloc, error, task) };
  }
}

export function ActionPrompt({ prompt, width, height, onRunning, onDone }: ActionPromptProps): React.JSX.Element {
  const { client, info } = useServices();
  const actions = useAllocationActions();
  const { alloc } = prompt;
  const full = useWatch<Allocation>(useMemo(() => allocationQuery(client, alloc.ID ?? ''), [client, alloc.ID]));
  const running = useMemo(() => runningTasks(full.data), [full.data]);
  useEffect(() => onRunning(running), [running, onRunning]);
  // One request per prompt: the state keeps `send` until the outcome closes the prompt.
  const sent = useRef(false);
  useEffect(() => {
    if (!prompt.send || sent.current) return;
    sent.current = true;
    void sendRequest(actions, alloc, prompt.send).then(onDone);
  }, [prompt.send, actions, alloc, onDone]);

  const subject = [`allocation ${label(alloc)}`, `job ${show(alloc.JobID)} · namespace ${show(alloc.Namespace)} · region ${sanitize(info.region)}`];
  // Keys that came with the one that opened the prompt (or changed its step) never act: say
  // so, so a typed-ahead "s Down Enter" is pressed again, looking.
  const { dropped } = prompt;
  if (dropped > 0) subject.push(`⚠ ${dropped === 1 ? '1 key' : `${dropped} keys`} typed before this prompt appeared ${dropped === 1 ? 'was' : 'were'} ignored: choose again`);
  const view = promptView(prompt);
  if (prompt.step.name === 'signalText') {
    return <TextPrompt width={width} height={height} title={view.title} subject={subject} draft={prompt.draft} error={prompt.error} />;
  }
  return <SelectPrompt width={width} height={height} title={view.title} subject={subject} options={view.options} highlight={prompt.highlight} busy={busyText(prompt)} />;
}
