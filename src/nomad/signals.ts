// The signal names a Nomad client understands. Nomad's drivers parse a signal with
// consul-template's signals.SignalLookup (signals/signals_unix.go); a name missing from it is
// not an error everywhere: exec, raw_exec and java send SIGINT instead and answer 200
// (drivers/rawexec/driver.go SignalTask), docker answers 500 "failed to parse signal". So only
// these names may be sent. SIGNULL is left out: it is no signal to send to a task.
export const NOMAD_SIGNALS: readonly string[] = [
  'SIGABRT', 'SIGALRM', 'SIGBUS', 'SIGCONT', 'SIGFPE', 'SIGHUP', 'SIGILL', 'SIGINT', 'SIGIO',
  'SIGIOT', 'SIGKILL', 'SIGPIPE', 'SIGPROF', 'SIGQUIT', 'SIGSEGV', 'SIGSTOP', 'SIGSYS', 'SIGTERM',
  'SIGTRAP', 'SIGTSTP', 'SIGTTIN', 'SIGTTOU', 'SIGUSR1', 'SIGUSR2', 'SIGWINCH', 'SIGXCPU', 'SIGXFSZ',
];

const KNOWN = new Set(NOMAD_SIGNALS);

export function isNomadSignal(name: string): boolean {
  return KNOWN.has(name);
}
