// Stop, restart and signal, each behind a confirmation that names the allocation, job,
// namespace and region, with Cancel first and highlighted. Signal walks three steps: which
// signal (or another, typed), which task, then confirm. The prompt's state lives in the UI
// state and is moved by the keymap (prompts/promptState.ts); this draws it, reports the
// allocation's running tasks as they arrive, and sends the chosen request once, handing the
// outcome back to the App as a result line.
import React, { useEffect, useMemo, useRef } from 'react';
import type { Allocation } from '../../nomad/types.js';
import { allocationQuery } from '../../store/queries.js';
import { label, runningTasks } from '../actions/eligibility.js';
import type { Outcome } from '../actions/outcome.js';
import { runBulk, type BulkReport } from '../actions/bulkSend.js';
import { sendRequest } from '../actions/sendRequest.js';
import { execOutcome, type ExecReport, type ExecTarget } from '../actions/execOutcome.js';
import { useServices } from '../context.js';
import { plural, sanitize, show } from '../format.js';
import { useAllocationActions } from '../hooks/useAllocationActions.js';
import { useWatch } from '../hooks/useWatch.js';
import { groupSummary, promptMode, promptView, recipients, type PromptState } from './promptState.js';
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
  /** A bulk send's answers so far, and its end. */
  onProgress: (progress: { done: number; failed: number }) => void;
  onBulkDone: (report: BulkReport) => void;
}

/** How often a bulk send's progress line is redrawn, at most. */
const PROGRESS_MS = 100;

const DOING: Record<PromptState['kind'], string> = { stop: 'stopping', restart: 'restarting', signal: 'signalling', exec: 'in an exec session' };

/** What the prompt says while its request is in flight. */
export function busyText(prompt: PromptState): string | undefined {
  if (!prompt.send) return undefined;
  const { progress } = prompt;
  if (progress) {
    const failed = progress.failed ? `, ${progress.failed} failed` : '';
    return `${DOING[prompt.kind]} ${progress.done}/${progress.total}${failed} … ${progress.stopping ? 'sending no more: waiting for those in flight' : 'Esc: send no more'}`;
  }
  // A restart answers only once the tasks were killed and have exited (up to kill_timeout).
  if (prompt.kind === 'exec') return `exec in ${label(prompt.alloc)}: the terminal is the task's until the command exits…`;
  return prompt.kind === 'restart' ? `restarting ${label(prompt.alloc)}: waiting for the task to exit…` : `sending ${prompt.kind} for ${label(prompt.alloc)}…`;
}

/** What a prompt names before it acts: the allocation, or the marked ones by group, and those
 * Nomad would refuse (skipped). */
function subjectLines(prompt: PromptState, region: string): string[] {
  const { alloc, bulk } = prompt;
  if (!bulk) return [`allocation ${label(alloc)}`, `job ${show(alloc.JobID)} · namespace ${show(alloc.Namespace)} · region ${sanitize(region)}`];
  const lines = [`${plural(bulk.targets.length, 'marked allocation')}: ${groupSummary(bulk.targets)} · region ${sanitize(region)}`];
  if (bulk.skipped.length) lines.push(`skipped, Nomad would refuse them: ${bulk.skipped.slice(0, 2).map((skip) => skip.reason).join('; ')}${bulk.skipped.length > 2 ? `; and ${bulk.skipped.length - 2} more` : ''}`);
  return lines;
}

export function ActionPrompt({ prompt, width, height, onRunning, onDone, onProgress, onBulkDone }: ActionPromptProps): React.JSX.Element {
  const { client, info, exec } = useServices();
  const actions = useAllocationActions();
  const { alloc, bulk } = prompt;
  // One allocation: its full record, for the tasks restart and signal offer (a bulk prompt
  // reads them from the list's stubs).
  const full = useWatch<Allocation>(useMemo(() => (bulk ? undefined : allocationQuery(client, alloc.ID ?? '')), [client, alloc.ID, bulk]));
  const running = useMemo(() => runningTasks(full.data), [full.data]);
  useEffect(() => {
    if (!bulk) onRunning(running);
  }, [running, onRunning, bulk]);
  // Esc during a bulk send: read by the sender before each next request.
  const stopping = useRef(false);
  stopping.current = prompt.progress?.stopping ?? false;
  // One request (or one bulk run) per prompt: the state keeps `send` until the end closes it.
  const sent = useRef(false);
  useEffect(() => {
    const { send } = prompt;
    if (!send || sent.current) return;
    sent.current = true;
    if (send.kind === 'exec') {
      const target: ExecTarget = { alloc, task: send.task, command: send.command, driver: taskDriver(full.data, alloc.TaskGroup, send.task) };
      void (exec ? exec(target) : Promise.resolve<ExecReport>({ kind: 'unavailable', message: 'this console has no terminal to hand over' })).then((report) => onDone(execOutcome(report, target)));
      return;
    }
    if (!prompt.bulk) {
      void sendRequest(actions, alloc, send).then(onDone);
      return;
    }
    const to = recipients(prompt, send);
    const notRunning = prompt.bulk.targets.filter((target) => !to.includes(target)).map((target) => ({ alloc: target, reason: `${label(target)} does not run task ${send.kind === 'signal' ? sanitize(send.task) : ''}` }));
    // Progress is drawn at most every PROGRESS_MS: 200 answers in a second must not mean 200
    // renders competing with the keys.
    let latest = { done: 0, failed: 0 };
    let shownAt = 0;
    let timer: NodeJS.Timeout | undefined;
    const show = (): void => {
      timer = undefined;
      shownAt = Date.now();
      onProgress(latest);
    };
    const progress = (done: number, failed: number): void => {
      latest = { done, failed };
      if (Date.now() - shownAt >= PROGRESS_MS) show();
      else timer ??= setTimeout(show, PROGRESS_MS - (Date.now() - shownAt));
    };
    void runBulk(prompt.kind, to, send, [...prompt.bulk.skipped, ...notRunning], { actions, stopped: () => stopping.current, onProgress: progress }).then((report) => {
      clearTimeout(timer);
      onBulkDone(report);
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- full.data is read once, when the send starts
  }, [prompt, actions, alloc, onDone, onProgress, onBulkDone, exec]);

  const subject = subjectLines(prompt, info.region);
  if (prompt.kind === 'exec' && prompt.step.name === 'execCommand') subject.push('words (quotes group them) or a JSON array; it runs with a terminal until it exits — ~. after Enter ends a hung session');
  // Keys that came with the one that opened the prompt (or changed its step) never act: say
  // so, so a typed-ahead "s Down Enter" is pressed again, looking.
  const { dropped } = prompt;
  if (dropped > 0) subject.push(`⚠ ${dropped === 1 ? '1 key' : `${dropped} keys`} typed before this prompt appeared ${dropped === 1 ? 'was' : 'were'} ignored: choose again`);
  const view = promptView(prompt);
  if (promptMode(prompt) === 'promptText') {
    return <TextPrompt width={width} height={height} title={view.title} subject={subject} draft={prompt.draft} error={prompt.error} busy={busyText(prompt)} />;
  }
  return <SelectPrompt width={width} height={height} title={view.title} subject={subject} options={view.options} highlight={prompt.highlight} busy={busyText(prompt)} />;
}

/** The task's driver from the allocation's job (Job.TaskGroups[].Tasks[].Driver), if known. */
export function taskDriver(alloc: Allocation | undefined, group: string | null | undefined, task: string): string | undefined {
  const groups = Array.isArray(alloc?.Job?.TaskGroups) ? (alloc.Job.TaskGroups as { Name?: unknown; Tasks?: unknown }[]) : [];
  const tasks = groups.find((g) => g?.Name === group)?.Tasks;
  const found = Array.isArray(tasks) ? (tasks as { Name?: unknown; Driver?: unknown }[]).find((t) => t?.Name === task) : undefined;
  return typeof found?.Driver === 'string' ? found.Driver : undefined;
}
