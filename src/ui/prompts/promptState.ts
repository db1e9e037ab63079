// The action prompt as state, fed key by key by the keymap (keymap.ts, modes `prompt` and
// `promptText`): which step it is on, the highlighted option, the typed signal, and — once an
// option that sends was chosen — the request the App sends (`send`). Pure: the options are
// derived from the state and the allocation's running tasks, so a key always acts on the
// options the keys before it left, never on the last render's.
import type { RestartTarget } from '../../nomad/client.js';
import type { AllocListStub } from '../../nomad/types.js';
import { isNomadSignal, NOMAD_SIGNALS } from '../../nomad/signals.js';
import { label, type ActionKind } from '../actions/eligibility.js';
import { sanitize } from '../format.js';
import { lineAt, type LineText } from '../input/lineEditor.js';

export const SIGNALS = ['SIGHUP', 'SIGINT', 'SIGQUIT', 'SIGTERM', 'SIGUSR1', 'SIGUSR2', 'SIGKILL'] as const;

export type Step = { name: 'choose' } | { name: 'signalText' } | { name: 'task'; signal: string } | { name: 'confirm'; signal: string; task: string | undefined };

/** The request a chosen option sends. */
export type Send =
  | { kind: 'stop'; noShutdownDelay: boolean }
  | { kind: 'restart'; target: RestartTarget; what: string }
  | { kind: 'signal'; signal: string; task: string | undefined };

export interface PromptState {
  kind: ActionKind;
  /** The allocation as it was when the prompt opened: the prompt acts on this one only. */
  alloc: AllocListStub;
  /** The terminal read that opened the prompt or changed its step: keys later in that read
   * are dropped, since the user has not seen what they would act on. */
  read: number;
  /** How many keys were dropped so (shown, so the user presses them again, looking). */
  dropped: number;
  step: Step;
  highlight: number;
  /** The signal being typed (step signalText), and why Enter refused it. */
  draft: LineText;
  error: string | undefined;
  /** The allocation's running tasks, once its full record arrived (restart and signal list
   * them as options). */
  running: readonly string[] | undefined;
  /** Set by the choice that sends: the App sends it once and closes the prompt with the
   * outcome. Every key but Ctrl-C is ignored meanwhile. */
  send: Send | undefined;
}

export interface PromptOption {
  label: string;
  /** Destructive: drawn in the danger colour when highlighted. */
  danger?: boolean;
  next?: Step;
  send?: Send;
}

export function openPromptState(kind: ActionKind, alloc: AllocListStub, read: number): PromptState {
  return { kind, alloc, read, dropped: 0, step: { name: 'choose' }, highlight: 0, draft: lineAt(''), error: undefined, running: undefined, send: undefined };
}

/** Only names Nomad parses (nomad/signals.ts): any other is sent by exec, raw_exec and java
 * drivers as SIGINT, with a 200 that would read as success. Upper case, as Nomad compares. */
export function validateSignal(text: string): string | undefined {
  const name = text.trim();
  if (name === '') return 'type a signal name, like SIGWINCH';
  if (isNomadSignal(name)) return undefined;
  if (isNomadSignal(name.toUpperCase())) return `signal names are upper case for Nomad: type ${name.toUpperCase()}`;
  return `Nomad does not know "${sanitize(text)}": exec, raw_exec and java would send SIGINT instead. Known: ${NOMAD_SIGNALS.join(' ')}`;
}

/** The prompt's title and options at its current step (Cancel first). */
export function promptView(prompt: PromptState): { title: string; options: PromptOption[] } {
  const name = label(prompt.alloc);
  const running = prompt.running ?? [];
  const cancel: PromptOption = { label: 'Cancel' };
  const { kind, step } = prompt;
  if (kind === 'stop') {
    return {
      title: `Stop ${name}?`,
      options: [cancel, { label: `Stop ${name}`, danger: true, send: { kind: 'stop', noShutdownDelay: false } }, { label: `Stop ${name} without shutdown delay`, danger: true, send: { kind: 'stop', noShutdownDelay: true } }],
    };
  }
  if (kind === 'restart') {
    return {
      title: `Restart tasks of ${name}?`,
      options: [
        cancel,
        { label: 'Restart running tasks', danger: true, send: { kind: 'restart', target: { running: true }, what: 'running tasks' } },
        { label: 'Restart all tasks, dead ones too (Nomad 1.4+)', danger: true, send: { kind: 'restart', target: { allTasks: true }, what: 'all tasks' } },
        ...running.map((task): PromptOption => ({ label: `Restart task ${sanitize(task)}`, danger: true, send: { kind: 'restart', target: { task }, what: `task ${sanitize(task)}` } })),
      ],
    };
  }
  if (step.name === 'choose') {
    return {
      title: `Signal ${name}: which signal?`,
      options: [cancel, ...SIGNALS.map((signal): PromptOption => ({ label: signal, next: { name: 'task', signal } })), { label: 'Another signal…', next: { name: 'signalText' } }],
    };
  }
  if (step.name === 'task') {
    return {
      title: `Signal ${name} with ${step.signal}: which task?`,
      options: [
        cancel,
        { label: `All running tasks (${running.length})`, next: { name: 'confirm', signal: step.signal, task: undefined } },
        ...running.map((task): PromptOption => ({ label: `Task ${sanitize(task)}`, next: { name: 'confirm', signal: step.signal, task } })),
      ],
    };
  }
  if (step.name === 'confirm') {
    const target = signalTarget(step.task);
    return { title: `Send ${step.signal} to ${target} of ${name}?`, options: [cancel, { label: `Send ${step.signal} to ${target}`, danger: true, send: { kind: 'signal', signal: step.signal, task: step.task } }] };
  }
  return { title: `Signal ${name}: type a signal name`, options: [] };
}

export function signalTarget(task: string | undefined): string {
  return task === undefined ? 'all running tasks' : `task ${sanitize(task)}`;
}

/** Moves the highlight to `to(highlight, count)`, kept within the options. */
export function highlightTo(prompt: PromptState, to: (at: number, count: number) => number): PromptState {
  const count = promptView(prompt).options.length;
  return { ...prompt, highlight: Math.min(Math.max(0, to(prompt.highlight, count)), Math.max(0, count - 1)) };
}

/** Enter on the highlighted option: the next step (seen from the next read on), the request to
 * send, or undefined for Cancel. */
export function choose(prompt: PromptState, read: number): PromptState | undefined {
  const option = promptView(prompt).options[prompt.highlight];
  if (option?.next) return { ...prompt, step: option.next, highlight: 0, read, dropped: 0, draft: lineAt(''), error: undefined };
  if (option?.send) return { ...prompt, send: option.send };
  return undefined;
}

/** Enter on the typed signal: on to the task step, or the reason it is refused. */
export function submitSignal(prompt: PromptState, read: number): PromptState {
  const error = validateSignal(prompt.draft.text);
  if (error) return { ...prompt, error };
  return { ...prompt, step: { name: 'task', signal: prompt.draft.text.trim() }, highlight: 0, read, dropped: 0, error: undefined };
}
