// Task events as a Nomad client writes them: every field present, keys in the alphabetical
// order Nomad's encoder uses, and the DisplayMessage texts the client builds for each type.
import type { TaskEvent } from '../nomad/types.js';

/** Nomad's client keeps the latest 10 events per task, dropping the oldest. */
export const MAX_TASK_EVENTS = 10;

type EventFields = Partial<Omit<TaskEvent, 'Type' | 'Time' | 'DisplayMessage'>>;

export function taskEvent(type: string, timeNs: number, display: string, fields: EventFields = {}): TaskEvent {
  return {
    Details: fields.Details ?? {},
    DiskLimit: fields.DiskLimit ?? 0,
    DisplayMessage: display,
    DownloadError: fields.DownloadError ?? '',
    DriverError: fields.DriverError ?? '',
    DriverMessage: fields.DriverMessage ?? '',
    ExitCode: fields.ExitCode ?? 0,
    FailedSibling: fields.FailedSibling ?? '',
    FailsTask: fields.FailsTask ?? false,
    GenericSource: fields.GenericSource ?? '',
    KillError: fields.KillError ?? '',
    KillReason: fields.KillReason ?? '',
    KillTimeout: fields.KillTimeout ?? 0,
    Message: fields.Message ?? '',
    RestartReason: fields.RestartReason ?? '',
    SetupError: fields.SetupError ?? '',
    Signal: fields.Signal ?? 0,
    StartDelay: fields.StartDelay ?? 0,
    TaskSignal: fields.TaskSignal ?? '',
    TaskSignalReason: fields.TaskSignalReason ?? '',
    Time: timeNs,
    Type: type,
    ValidationError: fields.ValidationError ?? '',
    VaultError: fields.VaultError ?? '',
  };
}

const SECOND_NS = 1_000_000_000;

export const events = {
  received: (t: number) => taskEvent('Received', t, 'Task received by client'),
  setup: (t: number) =>
    taskEvent('Task Setup', t, 'Building Task Directory', {
      Message: 'Building Task Directory',
      Details: { message: 'Building Task Directory' },
    }),
  driver: (t: number, image: string) =>
    taskEvent('Driver', t, `Downloading image ${image}`, { DriverMessage: `Downloading image ${image}` }),
  started: (t: number) => taskEvent('Started', t, 'Task started by client'),
  terminated: (t: number, exitCode: number, signal = 0, exitMessage = '', oomKilled = false) =>
    taskEvent('Terminated', t, `Exit Code: ${exitCode}${signal ? `, Signal: ${signal}` : ''}${exitMessage ? `, Exit Message: ${JSON.stringify(exitMessage)}` : ''}`, {
      ExitCode: exitCode,
      Signal: signal,
      Message: exitMessage,
      Details: { exit_code: String(exitCode), signal: String(signal), oom_killed: String(oomKilled), ...(exitMessage ? { exit_message: exitMessage } : {}) },
    }),
  // nomad/structs PopulateEventDisplayMessage: a reason other than "Restart within policy"
  // leads the message ("User requested restart - Task restarting in 0s").
  restarting: (t: number, delayNs: number, reason: string) =>
    taskEvent('Restarting', t, reason && reason !== 'Restart within policy' ? `${reason} - Task restarting in ${formatGoDuration(delayNs)}` : `Task restarting in ${formatGoDuration(delayNs)}`, {
      StartDelay: delayNs,
      RestartReason: reason,
      Details: { restart_reason: reason, start_delay: String(delayNs) },
    }),
  notRestarting: (t: number, reason: string) =>
    taskEvent('Not Restarting', t, reason, { FailsTask: true, RestartReason: reason, Details: { fails_task: 'true', restart_reason: reason } }),
  restartSignaled: (t: number) =>
    taskEvent('Restart Signaled', t, 'User requested restart', {
      RestartReason: 'User requested restart',
      Details: { restart_reason: 'User requested restart' },
    }),
  signaling: (t: number, signal: string) =>
    taskEvent('Signaling', t, `Task being sent signal ${signal}: User-initiated signal`, {
      TaskSignal: signal,
      TaskSignalReason: 'User-initiated signal',
      Details: { signal, reason: 'User-initiated signal' },
    }),
  killing: (t: number, killTimeoutNs: number) =>
    taskEvent('Killing', t, `Sent interrupt. Waiting ${formatGoDuration(killTimeoutNs)} before force killing`, {
      KillTimeout: killTimeoutNs,
      Details: { kill_timeout: String(killTimeoutNs) },
    }),
  killed: (t: number) => taskEvent('Killed', t, 'Task successfully killed'),
  siblingFailed: (t: number, sibling: string) =>
    taskEvent('Sibling Task Failed', t, `Task's sibling ${JSON.stringify(sibling)} failed`, { FailedSibling: sibling, Details: { failed_sibling: sibling } }),
  driverFailure: (t: number, error: string) => taskEvent('Driver Failure', t, error, { DriverError: error, Details: { driver_error: error } }),
  setupFailure: (t: number, error: string) => taskEvent('Setup Failure', t, error, { SetupError: error, FailsTask: true, Details: { setup_error: error, fails_task: 'true' } }),
  artifactFailed: (t: number, error: string) => taskEvent('Failed Artifact Download', t, error, { DownloadError: error, Details: { download_error: error } }),
  skippingShutdownDelay: (t: number) => taskEvent('Skipping shutdown delay', t, 'Skipping shutdown delay'),
};


/** Formats nanoseconds the way Go's time.Duration.String does (e.g. 16.5s, 1m30s, 250ms). */
export function formatGoDuration(ns: number): string {
  if (ns === 0) return '0s';
  if (ns < 1_000) return `${ns}ns`;
  if (ns < 1_000_000) return `${trimFloat(ns / 1_000)}µs`;
  if (ns < SECOND_NS) return `${trimFloat(ns / 1_000_000)}ms`;
  let seconds = ns / SECOND_NS;
  const hours = Math.floor(seconds / 3600);
  seconds -= hours * 3600;
  const minutes = Math.floor(seconds / 60);
  seconds -= minutes * 60;
  let out = '';
  if (hours) out += `${hours}h`;
  if (hours || minutes) out += `${minutes}m`;
  return `${out}${trimFloat(seconds)}s`;
}

function trimFloat(value: number): string {
  return String(Number(value.toFixed(9)));
}

/** Appends an event, keeping the newest MAX_TASK_EVENTS. */
export function appendEvent(list: TaskEvent[], event: TaskEvent): void {
  list.push(event);
  if (list.length > MAX_TASK_EVENTS) list.splice(0, list.length - MAX_TASK_EVENTS);
}
