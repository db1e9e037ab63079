// How a simulated task driver takes a signal name, as Nomad's drivers do. They look the name
// up in consul-template's signals.SignalLookup (signals/signals_unix.go). docker upper-cases
// it and refuses an unknown one (drivers/docker/driver.go SignalTask: "failed to parse signal",
// whose text carries Go's %!q(<nil>), since it formats the nil signal); exec, raw_exec and java
// look it up as given and send SIGINT for anything unknown, answering as if all went well
// (drivers/rawexec/driver.go SignalTask logs "unknown signal to send to task, using SIGINT").
import type { SimDriver } from './model.js';

const SIGNAL_LOOKUP: readonly string[] = [
  'SIGNULL', 'SIGABRT', 'SIGALRM', 'SIGBUS', 'SIGCONT', 'SIGFPE', 'SIGHUP', 'SIGILL', 'SIGINT', 'SIGIO',
  'SIGIOT', 'SIGKILL', 'SIGPIPE', 'SIGPROF', 'SIGQUIT', 'SIGSEGV', 'SIGSTOP', 'SIGSYS', 'SIGTERM',
  'SIGTRAP', 'SIGTSTP', 'SIGTTIN', 'SIGTTOU', 'SIGUSR1', 'SIGUSR2', 'SIGWINCH', 'SIGXCPU', 'SIGXFSZ',
];
const KNOWN = new Set(SIGNAL_LOOKUP);
const VALID = [...SIGNAL_LOOKUP].sort();

/** Signals whose default action ends a process that does not handle them. */
const ENDS_PROCESS = new Set(['SIGINT', 'SIGTERM', 'SIGKILL', 'SIGQUIT', 'SIGABRT', 'SIGSEGV', 'SIGBUS', 'SIGILL', 'SIGFPE', 'SIGSYS', 'SIGTRAP', 'SIGPIPE', 'SIGALRM', 'SIGUSR1', 'SIGUSR2', 'SIGXCPU', 'SIGXFSZ', 'SIGPROF', 'SIGIO', 'SIGIOT']);

/** Apps catch these and go on (reload, log rotation, window size) instead of exiting. */
const HANDLED = new Set(['SIGHUP', 'SIGUSR1', 'SIGUSR2', 'SIGWINCH', 'SIGCONT', 'SIGNULL']);

export type Delivery = { sent: string; ends: boolean } | { error: string };

export function deliverSignal(driver: SimDriver, requested: string): Delivery {
  if (driver === 'docker') {
    const upper = requested.toUpperCase();
    if (!KNOWN.has(upper)) return { error: `failed to parse signal: invalid signal %!q(<nil>) - valid signals are [${VALID.map((s) => JSON.stringify(s)).join(' ')}]` };
    return { sent: upper, ends: ENDS_PROCESS.has(upper) && !HANDLED.has(upper) };
  }
  const sent = KNOWN.has(requested) ? requested : 'SIGINT';
  return { sent, ends: ENDS_PROCESS.has(sent) && !HANDLED.has(sent) };
}

/** Signal numbers on Linux, for the Terminated event of a task a signal ended. */
export const SIGNAL_NUMBERS: Readonly<Record<string, number>> = {
  SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGILL: 4, SIGTRAP: 5, SIGABRT: 6, SIGIOT: 6, SIGBUS: 7, SIGFPE: 8, SIGKILL: 9, SIGUSR1: 10,
  SIGSEGV: 11, SIGUSR2: 12, SIGPIPE: 13, SIGALRM: 14, SIGTERM: 15, SIGXCPU: 24, SIGXFSZ: 25, SIGPROF: 27, SIGIO: 29, SIGSYS: 31,
};
