// The action prompt as state, fed key by key by the keymap (keymap.ts, modes `prompt` and
// `promptText`): which step it is on, the highlighted option, the typed signal, and — once an
// option that sends was chosen — the request the App sends (`send`). Pure: the options are
// derived from the state and the allocation's running tasks, so a key always acts on the
// options the keys before it left, never on the last render's.
import type { RestartTarget } from '../../nomad/client.js';
import type { AllocListStub } from '../../nomad/types.js';
import { isNomadSignal, NOMAD_SIGNALS } from '../../nomad/signals.js';
import { label, runningTasks, type ActionKind } from '../actions/eligibility.js';
import { plural, sanitize, show } from '../format.js';
import { lineAt, type LineText } from '../input/lineEditor.js';
import { DEFAULT_EXEC_COMMAND, parseExecCommand } from './execCommand.js';

export const SIGNALS = ['SIGHUP', 'SIGINT', 'SIGQUIT', 'SIGTERM', 'SIGUSR1', 'SIGUSR2', 'SIGKILL'] as const;

export type Step =
  | { name: 'choose' }
  | { name: 'signalText' }
  | { name: 'task'; signal: string }
  | { name: 'confirm'; signal: string; task: string | undefined }
  /** Bulk, more than CONFIRM_OVER allocations: the count must be typed before `send` goes. */
  | { name: 'typeCount'; send: Send }
  /** Exec: which running task (when several), then the command to run in it. */
  | { name: 'execTask' }
  | { name: 'execCommand'; task: string };

/** A bulk action on more allocations than this asks for their count to be typed. */
export const CONFIRM_OVER = 10;

/** The marked allocations a bulk prompt acts on, and those Nomad would refuse, with why (they
 * are skipped, never sent). */
export interface BulkTargets {
  targets: readonly AllocListStub[];
  skipped: readonly { alloc: AllocListStub; reason: string }[];
}

/** A bulk request in flight: how many were answered, how many of those failed, and whether Esc
 * asked to send no more. */
export interface BulkProgress {
  done: number;
  failed: number;
  total: number;
  stopping: boolean;
}

/** The request a chosen option sends. */
export type Send =
  | { kind: 'stop'; noShutdownDelay: boolean }
  | { kind: 'restart'; target: RestartTarget; what: string }
  | { kind: 'signal'; signal: string; task: string | undefined }
  /** A session in the task: the console hands the terminal over until the command exits. */
  | { kind: 'exec'; task: string; command: readonly string[] };

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
   * outcome. Every key but Ctrl-C (and Esc, for a bulk send) is ignored meanwhile. */
  send: Send | undefined;
  /** Set when the prompt acts on the marked allocations rather than `alloc`. */
  bulk?: BulkTargets;
  progress?: BulkProgress;
  /** Exec: the command line the command step starts with (the last one used). */
  execDefault?: string;
}

export interface PromptOption {
  label: string;
  /** Destructive: drawn in the danger colour when highlighted. */
  danger?: boolean;
  next?: Step;
  send?: Send;
}

export function openPromptState(kind: ActionKind, alloc: AllocListStub, read: number, bulk?: BulkTargets): PromptState {
  const prompt: PromptState = { kind, alloc, read, dropped: 0, step: { name: 'choose' }, highlight: 0, draft: lineAt(''), error: undefined, running: undefined, send: undefined };
  return bulk ? { ...prompt, bulk } : prompt;
}

/** The exec prompt on `alloc`: straight at the command when the task is known (the focused
 * one, or the only one running), else the choice of running task first. */
export function openExecState(alloc: AllocListStub, read: number, running: readonly string[], task: string | undefined, lastCommand: string): PromptState {
  const prompt: PromptState = { ...openPromptState('exec', alloc, read), running, execDefault: lastCommand };
  return task === undefined ? { ...prompt, step: { name: 'execTask' } } : { ...prompt, step: { name: 'execCommand', task }, draft: lineAt(lastCommand) };
}

/** The keymap mode a prompt at this step takes: a list of options, or a line to type. */
export function promptMode(prompt: PromptState): 'prompt' | 'promptText' {
  const { name } = prompt.step;
  return name === 'signalText' || name === 'typeCount' || name === 'execCommand' ? 'promptText' : 'prompt';
}

/** The allocations `send` goes to: the targets, or for a signal to one task, those running it. */
export function recipients(prompt: PromptState, send: Send): readonly AllocListStub[] {
  const targets = prompt.bulk?.targets ?? [prompt.alloc];
  if (send.kind !== 'signal' || send.task === undefined) return targets;
  const task = send.task;
  return targets.filter((alloc) => runningTasks(alloc).includes(task));
}

/** Running task names across the targets, each with how many targets run it. */
function taskCounts(targets: readonly AllocListStub[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const alloc of targets) for (const task of runningTasks(alloc)) counts.set(task, (counts.get(task) ?? 0) + 1);
  return [...counts].sort(([a], [b]) => a.localeCompare(b));
}

const VERBS: Record<ActionKind, string> = { stop: 'stop', restart: 'restart', signal: 'signal', exec: 'exec' };

/** "web.api ×8 (default), web.worker ×4 (default)": the targets by job, group and namespace. */
export function groupSummary(targets: readonly AllocListStub[], most = 4): string {
  const groups = new Map<string, number>();
  for (const alloc of targets) {
    const key = `${show(alloc.JobID)}.${show(alloc.TaskGroup)} (${show(alloc.Namespace)})`;
    groups.set(key, (groups.get(key) ?? 0) + 1);
  }
  const parts = [...groups].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([key, count]) => key.replace(' (', ` ×${count} (`));
  return parts.length > most ? `${parts.slice(0, most).join(', ')} and ${parts.length - most} more groups` : parts.join(', ');
}

/** The bulk view: titles and options for `count` allocations. */
function bulkView(prompt: PromptState, bulk: BulkTargets): { title: string; options: PromptOption[] } {
  const cancel: PromptOption = { label: 'Cancel' };
  const { step } = prompt;
  const n = bulk.targets.length;
  const many = plural(n, 'allocation');
  if (step.name === 'typeCount') {
    const count = recipients(prompt, step.send).length;
    return { title: `Type ${count} to ${VERBS[prompt.kind]} ${plural(count, 'allocation')}`, options: [] };
  }
  if (prompt.kind === 'stop') {
    return { title: `Stop ${many}?`, options: [cancel, { label: `Stop ${many}`, danger: true, send: { kind: 'stop', noShutdownDelay: false } }, { label: `Stop ${many} without shutdown delay`, danger: true, send: { kind: 'stop', noShutdownDelay: true } }] };
  }
  if (prompt.kind === 'restart') {
    return {
      title: `Restart tasks of ${many}?`,
      options: [cancel, { label: `Restart running tasks of ${many}`, danger: true, send: { kind: 'restart', target: { running: true }, what: 'running tasks' } }, { label: `Restart all tasks of ${many}, dead ones too (Nomad 1.4+)`, danger: true, send: { kind: 'restart', target: { allTasks: true }, what: 'all tasks' } }],
    };
  }
  if (step.name === 'choose' || step.name === 'signalText') return singleView({ ...prompt, bulk: undefined }, many);
  if (step.name === 'task') {
    return {
      title: `Signal ${many} with ${step.signal}: which task?`,
      options: [
        cancel,
        { label: `All running tasks (${many})`, next: { name: 'confirm', signal: step.signal, task: undefined } },
        ...taskCounts(bulk.targets).map(([task, count]): PromptOption => ({ label: `Task ${sanitize(task)} (running in ${count} of ${n})`, next: { name: 'confirm', signal: step.signal, task } })),
      ],
    };
  }
  // Exec never acts on marks (it opens on the selected allocation only).
  if (step.name !== 'confirm') return singleView({ ...prompt, bulk: undefined }, many);
  const send: Send = { kind: 'signal', signal: step.signal, task: step.task };
  const count = recipients(prompt, send).length;
  const target = `${signalTarget(step.task)} of ${plural(count, 'allocation')}`;
  return { title: `Send ${step.signal} to ${target}?`, options: [cancel, { label: `Send ${step.signal} to ${target}`, danger: true, send }] };
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
  return prompt.bulk ? bulkView(prompt, prompt.bulk) : singleView(prompt, label(prompt.alloc));
}

/** One allocation's view; `name` says what the prompt acts on (the signal list is the same for
 * many). */
function singleView(prompt: PromptState, name: string): { title: string; options: PromptOption[] } {
  const running = prompt.running ?? [];
  const cancel: PromptOption = { label: 'Cancel' };
  const { kind, step } = prompt;
  if (step.name === 'execTask') {
    return { title: `Exec in ${name}: which task?`, options: [cancel, ...running.map((task): PromptOption => ({ label: `Task ${sanitize(task)}`, next: { name: 'execCommand', task } }))] };
  }
  if (step.name === 'execCommand') return { title: `Exec in ${name}, task ${sanitize(step.task)}: the command to run`, options: [] };
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
  if (step.name === 'signalText') return { title: `Signal ${name}: type a signal name`, options: [] };
  return { title: `Type ${recipients(prompt, step.send).length} to confirm`, options: [] };
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
  if (option?.next) return atStep(prompt, option.next, read);
  if (option?.send) {
    // Many allocations at once: the count typed, so a stray Enter cannot send them.
    if (prompt.bulk && recipients(prompt, option.send).length > CONFIRM_OVER) return atStep(prompt, { name: 'typeCount', send: option.send }, read);
    return sending(prompt, option.send);
  }
  return undefined;
}

/** The prompt sending `send`; a bulk one counts its answers from 0. */
function sending(prompt: PromptState, send: Send): PromptState {
  return prompt.bulk ? { ...prompt, send, progress: { done: 0, failed: 0, total: recipients(prompt, send).length, stopping: false } } : { ...prompt, send };
}

/** The prompt at `step`, seen from the next read on. */
function atStep(prompt: PromptState, step: Step, read: number): PromptState {
  const draft = lineAt(step.name === 'execCommand' ? (prompt.execDefault ?? DEFAULT_EXEC_COMMAND) : '');
  return { ...prompt, step, highlight: 0, read, dropped: 0, draft, error: undefined };
}

/** Enter in the prompt's text line: the typed signal or the typed count. */
export function submitText(prompt: PromptState, read: number): PromptState {
  const { step } = prompt;
  if (step.name === 'execCommand') {
    const parsed = parseExecCommand(prompt.draft.text);
    if ('error' in parsed) return { ...prompt, error: parsed.error };
    return sending({ ...prompt, error: undefined }, { kind: 'exec', task: step.task, command: parsed.words });
  }
  if (step.name !== 'typeCount') return submitSignal(prompt, read);
  const count = recipients(prompt, step.send).length;
  if (prompt.draft.text.trim() !== String(count)) return { ...prompt, error: `type ${count} to ${VERBS[prompt.kind]} them, or Esc to cancel` };
  return sending({ ...prompt, error: undefined }, step.send);
}

/** Enter on the typed signal: on to the task step, or the reason it is refused. */
function submitSignal(prompt: PromptState, read: number): PromptState {
  const error = validateSignal(prompt.draft.text);
  if (error) return { ...prompt, error };
  return atStep(prompt, { name: 'task', signal: prompt.draft.text.trim() }, read);
}
