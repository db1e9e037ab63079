// A watchdog for a console whose terminal is gone while its main thread is stuck: signal
// handlers run on the main thread, so a busy one never hears SIGHUP and would run on, orphaned,
// for ever. A worker thread watches a heartbeat the main thread writes every BEAT_MS; when the
// terminal is gone (a zero-byte write to it fails: EIO once the pty is hung up; or the process
// was orphaned, its shell gone) and the heartbeat is older than STUCK_MS, the worker kills the
// process. A responsive console exits by itself on SIGHUP long before that, through the normal
// path that restores the terminal.
import { Worker } from 'node:worker_threads';

const BEAT_MS = 250;
const STUCK_MS = 1_000;

const WORKER_SOURCE = `
const { writeSync } = require('node:fs');
const { workerData } = require('node:worker_threads');
const beat = new Float64Array(workerData.beat);
const terminalGone = () => {
  if (process.ppid !== workerData.parent) return true;
  if (!workerData.tty) return false;
  try {
    writeSync(1, '');
    return false;
  } catch (error) {
    return error.code === 'EIO' || error.code === 'EPIPE' || error.code === 'EBADF';
  }
};
setInterval(() => {
  if (Date.now() - beat[0] > ${STUCK_MS} && terminalGone()) process.kill(process.pid, 'SIGKILL');
}, ${BEAT_MS});
`;

/** Starts the watchdog; returns a stop function. The worker holds no event loop open. */
export function startWatchdog(): () => void {
  const shared = new SharedArrayBuffer(8);
  const beat = new Float64Array(shared);
  beat[0] = Date.now();
  const timer = setInterval(() => (beat[0] = Date.now()), BEAT_MS);
  timer.unref();
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { beat: shared, parent: process.ppid, tty: process.stdout.isTTY === true } });
  worker.unref();
  return () => {
    clearInterval(timer);
    void worker.terminate();
  };
}
