// Drives the real bin/alloctop.js in tmux (its own server socket, so a developer's tmux is
// untouched): send keys, read the screen, ask tmux about the terminal's modes.
import { execFileSync } from 'node:child_process';
import { after } from 'node:test';
import { BIN } from './cli.js';

const SOCKET = `alloctop-test-${process.pid}`;

/** Every console runs with this token unless told otherwise; no screen may ever show it. */
export const SECRET_TOKEN = '5ec12e70-a110-c70b-7e57-000000000001';
let sessions = 0;
let keeper = false;

function tmux(...args: string[]): string {
  return execFileSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' });
}

function quote(value: string): string {
  return `'${value.replaceAll("'", "'\\''")}'`;
}

/** How many rows of a captured screen hold something (a frame drawn whole has all of its own). */
export const drawnRows = (screen: string): number => screen.split('\n').filter((line) => line.trim() !== '').length;

export interface Terminal {
  name: string;
  send(...keys: string[]): void;
  /** Sends text literally (no key-name lookup). */
  type(text: string): void;
  screen(): string;
  /** The screen with its escape sequences (colours, inverse). */
  screenWithStyles(): string;
  resize(columns: number, rows: number): void;
  waitFor(check: RegExp | ((screen: string) => boolean), timeoutMs?: number): Promise<string>;
  alternateOn(): boolean;
  cursorVisible(): boolean;
  /** Sends a signal to the alloctop process running in the pane. */
  kill(signal: NodeJS.Signals): void;
  /** The exit code the console left, once it has exited (the shell prints it). */
  exitCode(timeoutMs?: number): Promise<number>;
  /** tmux's newest paste buffer: what an OSC 52 copy set (the server runs with
   * set-clipboard on), or undefined when there is none. */
  clipboard(): string | undefined;
}

/** Starts `alloctop ARGS` in a 120x40 tmux pane with CI unset (Ink draws nothing under CI);
 * `program` is what runs it (node and bin/alloctop.js, or the single file).
 * NO_COLOR and NOMAD_TOKEN (SECRET_TOKEN) are set unless env overrides them; undefined unsets. */
export function startConsole(args: string[], env: Record<string, string | undefined> = {}, size = { columns: 120, rows: 40 }, program: string[] = [process.execPath, BIN]): Terminal {
  if (!keeper) {
    // A session that outlives the tests: without it, killing a test's last session stops the
    // tmux server, and the next new-session races with that shutdown.
    tmux('new-session', '-d', '-s', 'keeper', 'sleep 100000');
    // OSC 52 from an application sets a tmux buffer only with set-clipboard on (default: external).
    tmux('set', '-g', 'set-clipboard', 'on');
    keeper = true;
  }
  const name = `t${process.pid}-${++sessions}`;
  const all = { NO_COLOR: '1', NOMAD_TOKEN: SECRET_TOKEN, ...env };
  const unset = ['CI', ...Object.keys(all).filter((k) => all[k as keyof typeof all] === undefined)].map((k) => `-u ${k}`).join(' ');
  const vars = Object.entries(all).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${quote(v as string)}`).join(' ');
  const command = `env ${unset} ${vars} ${program.map(quote).join(' ')} ${args.map(quote).join(' ')}; echo "EXIT=$?"; sleep 600`;
  tmux('new-session', '-d', '-s', name, '-x', String(size.columns), '-y', String(size.rows), command);
  after(() => {
    try {
      tmux('kill-session', '-t', name);
    } catch {
      // already gone
    }
  });
  const terminal: Terminal = {
    name,
    send: (...keys) => void tmux('send-keys', '-t', name, ...keys),
    type: (text) => void tmux('send-keys', '-t', name, '-l', text),
    screen: () => {
      const screen = tmux('capture-pane', '-p', '-J', '-t', name);
      if (screen.includes(SECRET_TOKEN)) throw new Error(`the ACL token is on screen:\n${screen}`);
      return screen;
    },
    screenWithStyles: () => tmux('capture-pane', '-p', '-e', '-t', name),
    resize: (columns, rows) => void tmux('resize-window', '-t', name, '-x', String(columns), '-y', String(rows)),
    async waitFor(check, timeoutMs = 8000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const screen = terminal.screen();
        if (typeof check === 'function' ? check(screen) : check.test(screen)) return screen;
        if (Date.now() > deadline) throw new Error(`screen never matched ${String(check)}:\n${screen}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    alternateOn: () => tmux('display', '-p', '-t', name, '#{alternate_on}').trim() === '1',
    kill(signal) {
      const shell = tmux('display', '-p', '-t', name, '#{pane_pid}').trim();
      const pid = execFileSync('pgrep', ['-P', shell, '-f', 'alloctop.js'], { encoding: 'utf8' }).trim().split('\n')[0];
      if (!pid) throw new Error('no alloctop process in the pane');
      process.kill(Number(pid), signal);
    },
    cursorVisible: () => tmux('display', '-p', '-t', name, '#{cursor_flag}').trim() === '1',
    clipboard() {
      try {
        return tmux('show-buffer');
      } catch {
        return undefined;
      }
    },
    async exitCode(timeoutMs = 8000) {
      const screen = await terminal.waitFor(/EXIT=\d+/, timeoutMs);
      return Number(/EXIT=(\d+)/.exec(screen)?.[1]);
    },
  };
  return terminal;
}

export function killTmuxServer(): void {
  keeper = false;
  try {
    tmux('kill-server');
  } catch {
    // no server
  }
}
