#!/usr/bin/env node
// Exec inside the console: the real console in tmux (120x40) against the simulator on loopback.
//   - open: x, Enter on /bin/sh → the remote prompt on screen;
//   - keys: a character typed in the session → the same character on screen (tmux's capture,
//     polled every 2 ms), and within the console: the key read → the agent's echo written to
//     the terminal (ALLOCTOP_TRACE). Target: p95 ≤ 50 ms on screen.
// Prints a table and writes bench/results/exec.json.
//   npm run bench:exec           (add --quick for 40 keys instead of 200)
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimServer } from '../dist/sim/http/server.js';
import { BIN, consolePidIn, machine, printTable, summary, tearDown, tmuxServer, traceReader, writeResult } from './lib.mjs';

const quick = process.argv.includes('--quick');
const KEYS = quick ? 40 : 200;
const TARGETS = { echoP95Ms: 50 };
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const now = () => performance.timeOrigin + performance.now();
const tmux = tmuxServer(`alloctop-exec-${process.pid}`);
const screen = () => tmux('capture-pane', '-p', '-t', 'exec');

async function waitFor(check, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = screen();
    if (check(text)) return text;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}:\n${text}`);
    await sleep(2);
  }
}

const sim = await startSimServer({ port: 0, seed: 11, allocs: 1000, life: false });
const tracePath = join(tmpdir(), `alloctop-exec-${process.pid}.jsonl`);
rmSync(tracePath, { force: true });
const failures = [];
const result = { machine: machine(), keys: KEYS };
try {
  tmux('new-session', '-d', '-s', 'exec', '-x', '120', '-y', '40', `env -u CI NO_COLOR=1 ALLOCTOP_TRACE=${tracePath} ${process.execPath} ${BIN} --address ${sim.url}; sleep 3600`);
  await consolePidIn(tmux, 'exec');
  const first = await waitFor((s) => /● live/.test(s) && !/ALLOCATIONS \([^)]*loading/.test(s) && /│id [0-9a-f-]{36}/.test(s) && /TASK/.test(s), 60_000, 'the whole list and the detail');
  const id = /│id ([0-9a-f-]{36})/.exec(first)[1];
  const states = sim.sim.cluster.get(id).alloc.TaskStates;
  const names = Object.keys(states).sort();
  const task = names.find((name) => states[name].State === 'running');
  tmux('send-keys', '-t', 'exec', 'Tab');
  for (let i = 0; i < names.indexOf(task); i++) tmux('send-keys', '-t', 'exec', 'j');
  // A narrow detail cuts a long task name (log-shi…): its start is enough.
  await waitFor((s) => new RegExp(`▸ ${task.slice(0, 6)}`).test(s), 5000, 'the task focused');
  tmux('send-keys', '-t', 'exec', 'x');
  await waitFor((s) => /> \/bin\/sh/.test(s), 5000, 'the exec prompt');
  const opening = now();
  tmux('send-keys', '-t', 'exec', 'Enter');
  await waitFor((s) => /^\/ #\s*$/m.test(s), 10_000, 'the remote prompt');
  result.openMs = now() - opening;

  const read = traceReader(tracePath);
  read();
  const screenMs = [];
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  let typed = '';
  for (let i = 0; i < KEYS; i++) {
    // A line of 60 characters at most: then Ctrl-U clears it (the shell rubs them out).
    if (typed.length >= 60) {
      tmux('send-keys', '-t', 'exec', 'C-u');
      await waitFor((s) => /^\/ #\s*$/m.test(s), 5000, 'the line cleared');
      typed = '';
    }
    const letter = letters[i % letters.length];
    const sent = now();
    tmux('send-keys', '-t', 'exec', '-l', letter);
    typed += letter;
    await waitFor((s) => s.includes(`/ # ${typed}`), 5000, `the echo of ${letter}`);
    screenMs.push(now() - sent);
    await sleep(10);
  }
  // Within the console: each key read, to the first output written after it.
  const events = read();
  const consoleMs = [];
  for (let i = 0; i < events.length; i++) {
    if (events[i].ev !== 'exec-key') continue;
    const echo = events.slice(i + 1).find((e) => e.ev === 'exec-output');
    if (echo) consoleMs.push(echo.t - events[i].t);
  }
  result.screen = summary(screenMs);
  result.console = summary(consoleMs);
  tmux('send-keys', '-t', 'exec', 'C-u');
  tmux('send-keys', '-t', 'exec', '-l', 'exit 0');
  tmux('send-keys', '-t', 'exec', 'Enter');
  await waitFor((s) => /exited 0/.test(s), 5000, 'back in the console');
} catch (error) {
  failures.push(`harness: ${error instanceof Error ? error.message : String(error)}`);
} finally {
  await tearDown(tmux, tracePath, sim);
}

const ms = (s) => (s ? `${s.median.toFixed(1)} / ${s.p95.toFixed(1)} ms` : '–');
const rows = [
  { figure: 'x Enter → the remote prompt on screen', value: result.openMs ? `${result.openMs.toFixed(0)} ms` : '–', target: '–' },
  { figure: `a typed character → on screen (median / p95, ${KEYS} keys)`, value: ms(result.screen), target: `p95 ≤ ${TARGETS.echoP95Ms} ms` },
  { figure: 'in the console: key read → echo written (median / p95)', value: ms(result.console), target: '–' },
];
if (result.screen && result.screen.p95 > TARGETS.echoP95Ms) failures.push(`a typed character took ${result.screen.p95.toFixed(1)} ms to show at p95`);
if (result.screen && result.screen.n !== KEYS) failures.push(`${KEYS - result.screen.n} keys never showed`);
printTable(rows);
writeResult(quick ? 'exec-quick.json' : 'exec.json', { ...result, failures });
if (failures.length) {
  console.error(`exec FAILED:\n${failures.map((f) => `- ${f}`).join('\n')}`);
  process.exit(1);
}
