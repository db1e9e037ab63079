// Stop, restart and signal, each behind a confirmation that names the allocation, job,
// namespace and region, with Cancel first and highlighted. Signal walks three steps: which
// signal (or another, typed), which task, then confirm. While the request is in flight the
// prompt says so and cannot send again; the outcome goes back to the App as a result line.
import React, { useCallback, useMemo, useState } from 'react';
import type { RestartTarget } from '../../nomad/client.js';
import type { AllocListStub, Allocation } from '../../nomad/types.js';
import { allocationQuery } from '../../store/queries.js';
import { label, runningTasks, type ActionKind } from '../actions/eligibility.js';
import { failureText, successText, type Outcome } from '../actions/outcome.js';
import { useServices } from '../context.js';
import { sanitize, show } from '../format.js';
import { useAllocationActions } from '../hooks/useAllocationActions.js';
import { useWatch } from '../hooks/useWatch.js';
import { SelectPrompt, type SelectOption } from './SelectPrompt.js';
import { TextPrompt } from './TextPrompt.js';
import { isNomadSignal, NOMAD_SIGNALS } from '../../nomad/signals.js';

export const SIGNALS = ['SIGHUP', 'SIGINT', 'SIGQUIT', 'SIGTERM', 'SIGUSR1', 'SIGUSR2', 'SIGKILL'] as const;

export interface ActionPromptProps {
  kind: ActionKind;
  /** The allocation as it was when the prompt opened: the prompt acts on this one only. */
  alloc: AllocListStub;
  /** Keys typed in the same read as the one that opened the prompt, ignored (unseen prompt). */
  dropped?: number;
  width: number;
  height: number;
  /** undefined when cancelled. */
  onDone: (outcome: Outcome | undefined) => void;
}

type Step = { name: 'choose' } | { name: 'signalText' } | { name: 'task'; signal: string } | { name: 'confirm'; signal: string; task: string | undefined };

/** Only names Nomad parses (nomad/signals.ts): any other is sent by exec, raw_exec and java
 * drivers as SIGINT, with a 200 that would read as success. Upper case, as Nomad compares. */
export function validateSignal(text: string): string | undefined {
  const name = text.trim();
  if (name === '') return 'type a signal name, like SIGWINCH';
  if (isNomadSignal(name)) return undefined;
  if (isNomadSignal(name.toUpperCase())) return `signal names are upper case for Nomad: type ${name.toUpperCase()}`;
  return `Nomad does not know "${sanitize(text)}": exec, raw_exec and java would send SIGINT instead. Known: ${NOMAD_SIGNALS.join(' ')}`;
}

interface Choice {
  option: SelectOption;
  run?: () => Promise<string | undefined>;
  next?: Step;
  task?: string;
}

export function ActionPrompt({ kind, alloc, dropped = 0, width, height, onDone }: ActionPromptProps): React.JSX.Element {
  const { client, info } = useServices();
  const actions = useAllocationActions();
  const full = useWatch<Allocation>(useMemo(() => allocationQuery(client, alloc.ID ?? ''), [client, alloc.ID]));
  const running = runningTasks(full.data);
  const [step, setStep] = useState<Step>({ name: 'choose' });
  const [busy, setBusy] = useState<string | undefined>();
  const id = alloc.ID ?? '';
  const name = label(alloc);
  const subject = [`allocation ${name}`, `job ${show(alloc.JobID)} · namespace ${show(alloc.Namespace)} · region ${sanitize(info.region)}`];
  // Keys that came with the one that opened the prompt never reach it: say so, so a typed-ahead
  // "s Down Enter" is pressed again, looking.
  if (dropped > 0 && step.name === 'choose') subject.push(`⚠ ${dropped === 1 ? '1 key' : `${dropped} keys`} typed before this prompt appeared ${dropped === 1 ? 'was' : 'were'} ignored: choose again`);
  const cancel = useCallback(() => onDone(undefined), [onDone]);

  let title: string;
  let choices: Choice[];
  if (kind === 'stop') {
    title = `Stop ${name}?`;
    choices = [
      { option: { label: 'Cancel' } },
      { option: { label: `Stop ${name}`, danger: true }, run: async () => (await actions.stop(id, alloc.Namespace ?? undefined, false)).evalId ?? undefined },
      { option: { label: `Stop ${name} without shutdown delay`, danger: true }, run: async () => (await actions.stop(id, alloc.Namespace ?? undefined, true)).evalId ?? undefined },
    ];
  } else if (kind === 'restart') {
    title = `Restart tasks of ${name}?`;
    const restart = (target: RestartTarget, what: string) => async () => {
      await actions.restart(id, target);
      return what;
    };
    choices = [
      { option: { label: 'Cancel' } },
      { option: { label: 'Restart running tasks', danger: true }, run: restart({ running: true }, 'running tasks') },
      { option: { label: 'Restart all tasks, dead ones too (Nomad 1.4+)', danger: true }, run: restart({ allTasks: true }, 'all tasks') },
      ...running.map((task) => ({ option: { label: `Restart task ${sanitize(task)}`, danger: true }, run: restart({ task }, `task ${sanitize(task)}`), task })),
    ];
  } else if (step.name === 'choose') {
    title = `Signal ${name}: which signal?`;
    choices = [{ option: { label: 'Cancel' } }, ...SIGNALS.map((signal) => ({ option: { label: signal }, next: { name: 'task', signal } as Step })), { option: { label: 'Another signal…' }, next: { name: 'signalText' } }];
  } else if (step.name === 'task') {
    title = `Signal ${name} with ${step.signal}: which task?`;
    choices = [
      { option: { label: 'Cancel' } },
      { option: { label: `All running tasks (${running.length})` }, next: { name: 'confirm', signal: step.signal, task: undefined } },
      ...running.map((task) => ({ option: { label: `Task ${sanitize(task)}` }, next: { name: 'confirm', signal: step.signal, task } as Step })),
    ];
  } else if (step.name === 'confirm') {
    const target = step.task === undefined ? 'all running tasks' : `task ${sanitize(step.task)}`;
    title = `Send ${step.signal} to ${target} of ${name}?`;
    const { signal, task } = step;
    choices = [
      { option: { label: 'Cancel' } },
      {
        option: { label: `Send ${signal} to ${target}`, danger: true },
        run: async () => {
          await actions.signal(id, signal, task);
          return `${signal} to ${target}`;
        },
        task,
      },
    ];
  } else {
    title = `Signal ${name}: type a signal name`;
    choices = [];
  }

  const choose = useCallback(
    (index: number) => {
      const choice = choices[index];
      if (!choice || (!choice.run && !choice.next)) {
        onDone(undefined);
        return;
      }
      if (choice.next) {
        setStep(choice.next);
        return;
      }
      const run = choice.run;
      if (!run) return;
      // A restart answers only once the tasks were killed and have exited (up to kill_timeout).
      setBusy(kind === 'restart' ? `restarting ${name}: waiting for the task to exit…` : `sending ${kind} for ${name}…`);
      run().then(
        (detail) => onDone({ ok: true, text: successText(kind, alloc, kind === 'stop' ? { evalId: detail } : { what: detail }) }),
        (error: unknown) => onDone({ ok: false, text: failureText(kind, alloc, error, choice.task) }),
      );
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [choices, kind, name, alloc, onDone],
  );

  if (step.name === 'signalText') {
    return (
      <TextPrompt
        width={width}
        height={height}
        title={title}
        subject={subject}
        validate={validateSignal}
        onSubmit={(text) => setStep({ name: 'task', signal: text.trim() })}
        onCancel={cancel}
      />
    );
  }
  return (
    <SelectPrompt
      key={`${step.name}-${'signal' in step ? step.signal : ''}`}
      width={width}
      height={height}
      title={title}
      subject={subject}
      options={choices.map((choice) => choice.option)}
      busy={busy}
      onChoose={choose}
      onCancel={cancel}
    />
  );
}
