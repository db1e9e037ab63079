// The terminal's life around the console: Ctrl-Z and fg give the shell a sane terminal and
// bring the console back drawn whole; when the terminal goes away, a console whose main thread
// is stuck is still gone within 2 s (its watchdog), and a responsive one ends by SIGHUP
// without Node's abort on the dead tty.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { BIN } from '../helpers/cli.js';
import { eventually, startSim } from '../helpers/sim.js';
import { drawnRows } from '../helpers/tmux.js';

const SOCKET = `alloctop-loss-${process.pid}`;
const tmux = (...args: string[]): string => execFileSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' });
after(() => {
  try {
    tmux('kill-server');
  } catch {
    // gone
  }
});

/** Whether the process runs (not gone, not a zombie). It may go between two looks at /proc. */
const alive = (pid: number): boolean => {
  try {
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
};

/** Starts the console as a pane's own process (exec), with its stderr in a file. */
async function paneConsole(name: string, address: string, env: string): Promise<{ pid: number; stderr: () => string }> {
  const errPath = join(tmpdir(), `alloctop-loss-${process.pid}-${name}.err`);
  rmSync(errPath, { force: true });
  after(() => rmSync(errPath, { force: true }));
  try {
    tmux('has-session', '-t', 'keeper');
  } catch {
    tmux('new-session', '-d', '-s', 'keeper', 'sleep 100000');
  }
  tmux('new-session', '-d', '-s', name, '-x', '120', '-y', '40', `exec env -u CI NO_COLOR=1 ${env} ${process.execPath} ${BIN} --address ${address} 2>${errPath}`);
  const pid = Number(tmux('display', '-p', '-t', name, '#{pane_pid}').trim());
  await eventually(() => /● live/.test(tmux('capture-pane', '-p', '-t', name)), 10_000, 'live');
  return { pid, stderr: () => (existsSync(errPath) ? readFileSync(errPath, 'utf8') : '') };
}

describe('terminal loss', () => {
  it('a console frozen on its main thread is gone within 2 s of its tmux session being killed', async () => {
    const sim = await startSim({ allocs: 20 });
    const { pid } = await paneConsole('frozen', sim.url, 'ALLOCTOP_TEST_FREEZE_MS=2000');
    // Frozen: spinning on the CPU (state R) every time we look, so SIGHUP cannot be handled.
    let running = 0;
    await eventually(() => (running = /^State:\s+R/m.test(readFileSync(`/proc/${pid}/status`, 'utf8')) ? running + 1 : 0) >= 8, 10_000, 'the main thread to spin');
    tmux('kill-session', '-t', 'frozen');
    const killedAt = Date.now();
    await eventually(() => !alive(pid), 4_000, 'the frozen console to be gone');
    assert.ok(Date.now() - killedAt < 2_000, `gone after ${Date.now() - killedAt} ms`);
  });

  it('a responsive console ends on the hang-up, with no abort from Node restoring the dead terminal', async () => {
    const sim = await startSim({ allocs: 20 });
    const { pid, stderr } = await paneConsole('closed', sim.url, '');
    tmux('kill-session', '-t', 'closed');
    await eventually(() => !alive(pid), 4_000, 'the console to be gone');
    assert.doesNotMatch(stderr(), /Assertion|ResetStdio|Native stack trace/);
  });

  it('Ctrl-Z suspends to the shell (echo works, alternate screen off); fg repaints and keys work', async () => {
    const sim = await startSim({ allocs: 20 });
    try {
      tmux('has-session', '-t', 'keeper');
    } catch {
      tmux('new-session', '-d', '-s', 'keeper', 'sleep 100000');
    }
    tmux('new-session', '-d', '-s', 'job', '-x', '120', '-y', '40', 'env -u CI NO_COLOR=1 PS1="prompt$ " bash --norc --noprofile -i');
    const screen = (): string => tmux('capture-pane', '-p', '-J', '-t', 'job');
    const alternate = (): string => tmux('display', '-p', '-t', 'job', '#{alternate_on}').trim();
    tmux('send-keys', '-t', 'job', `${process.execPath} ${BIN} --address ${sim.url}`, 'Enter');
    await eventually(() => /● live/.test(screen()), 10_000, 'live');
    // Every row the console draws is on screen again after fg, not only the ones that changed
    // while it was stopped (the alternate screen comes back blank).
    const before = drawnRows(screen());
    tmux('send-keys', '-t', 'job', 'C-z');
    await eventually(() => alternate() === '0' && /Stopped/.test(screen()), 5_000, 'the shell back, the job stopped');
    tmux('send-keys', '-t', 'job', 'echo typed-$((20+22))', 'Enter');
    await eventually(() => /^typed-42$/m.test(screen()), 5_000, 'the shell echoing again');
    tmux('send-keys', '-t', 'job', 'fg', 'Enter');
    await eventually(() => alternate() === '1' && /● live/.test(screen()) && /ALLOCATIONS/.test(screen()) && drawnRows(screen()) >= before, 5_000, 'the console drawn whole again');
    tmux('send-keys', '-t', 'job', '?');
    await eventually(() => /HELP — Esc, \? or q closes/.test(screen()), 5_000, 'help, from a key after fg');
    tmux('send-keys', '-t', 'job', 'Escape');
    tmux('send-keys', '-t', 'job', 'q');
    await eventually(() => alternate() === '0' && /prompt\$ $/.test(screen().trimEnd() + ' '), 5_000, 'quit to the prompt');
  });
});
