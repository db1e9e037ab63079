// The small deterministic shell the simulator runs for `exec` (the WebSocket session of
// http/execRoutes.ts): a prompt, line editing with echo as a pty gives it (tty=true), or plain
// lines (tty=false), and a handful of commands over a tiny task directory — hostname, env,
// echo, pwd, cd, ls, cat, sleep, stty size, true/false, exit. It never runs anything on the host.
// A command that is not a shell (["hostname"], ["cat","/local/app.conf"]) runs once and exits
// with its status, as `nomad alloc exec` would see it.

export interface ShellFiles {
  /** The names in a directory (absolute path), or undefined when there is none. */
  list(path: string): string[] | undefined;
  /** A file's bytes, or undefined when there is no such file. */
  read(path: string): Buffer | undefined;
}

export interface ShellHost {
  env: Readonly<Record<string, string>>;
  hostname: string;
  files: ShellFiles;
  write(stream: 'stdout' | 'stderr', data: Buffer): void;
  exit(result: { exit_code: number; signal?: number }): void;
}

const SHELLS = new Set(['sh', 'bash', 'ash', 'dash', 'zsh']);
const PROMPT_END = ' # ';
/** SIGINT ends a foreground command with 128 + 2, as shells report it. */
const INTERRUPTED = 130;

export class ExecShell {
  private line = '';
  private cwd = '/';
  private status = 0;
  private size = { height: 24, width: 80 };
  private sleeping: { timer: NodeJS.Timeout; done: () => void } | undefined;
  /** Input that arrived while a command ran: read once it ends (type-ahead). */
  private pending: string[] = [];
  private escape: '' | 'esc' | 'csi' | 'ss3' = '';
  private ended = false;
  /** A one-shot command, not an interactive shell: exit once it is done. */
  private readonly oneShot: boolean;

  constructor(
    private readonly host: ShellHost,
    private readonly command: readonly string[],
    private readonly tty: boolean,
  ) {
    const [program = '', ...args] = command;
    this.oneShot = !SHELLS.has(basename(program)) || args.length > 0;
  }

  /** Starts the program: the prompt, or the one-shot command. */
  start(): void {
    const [program = '', ...args] = this.command;
    if (!this.oneShot) {
      this.prompt();
      return;
    }
    if (SHELLS.has(basename(program))) {
      // sh -c 'script': run the script, exit with its status; sh FILE is not offered.
      const script = args[0] === '-c' ? (args[1] ?? '') : undefined;
      if (script === undefined) return this.finish(this.fail(`${basename(program)}: can't open '${args[0]}': No such file or directory`, 2));
      this.run(script, () => this.finish(this.status));
      return;
    }
    if (!COMMANDS.has(basename(program))) {
      this.err(`exec: "${program}": executable file not found in $PATH`);
      return this.finish(127);
    }
    this.runWords([basename(program), ...args], () => this.finish(this.status));
  }

  resize(height: number, width: number): void {
    this.size = { height, width };
  }

  /** Bytes typed (or pasted) on the user's side. */
  input(data: Buffer): void {
    if (this.ended) return;
    const text = data.toString('utf8');
    if (this.sleeping) {
      // A foreground command: Ctrl-C interrupts it, the rest waits its turn.
      // The tty echoes type-ahead while the shell is not reading (cooked mode), and the shell
      // shows it again when it reads it: typed-ahead text appears twice, as in a real terminal.
      const interrupt = this.tty ? text.indexOf('\x03') : -1;
      const ahead = interrupt < 0 ? text : text.slice(0, interrupt);
      if (this.tty) this.out(ahead.replace(/[\x00-\x08\x0b-\x1f\x7f]/g, '').replace(/\r/g, '\n'));
      if (interrupt < 0) {
        this.pending.push(text);
        return;
      }
      this.pending = [];
      this.out('^C\n');
      const { timer, done } = this.sleeping;
      clearTimeout(timer);
      this.sleeping = undefined;
      this.status = INTERRUPTED;
      done();
      this.feed(text.slice(interrupt + 1));
      return;
    }
    this.feed(text);
  }

  /** The user's side closed stdin (Ctrl-D on a non-tty session, or the end of a pipe). */
  closeStdin(): void {
    if (this.ended || this.sleeping) return;
    if (!this.tty && this.line) this.submit();
    if (!this.oneShot) this.finish(this.status);
  }

  /** The session's connection went: the process is gone with it, nothing more is sent. */
  hangUp(): void {
    if (this.sleeping) clearTimeout(this.sleeping.timer);
    this.sleeping = undefined;
    this.ended = true;
  }

  /** The task itself went away (stopped, killed): the exec'd process dies with it. */
  kill(): void {
    if (this.ended) return;
    if (this.sleeping) clearTimeout(this.sleeping.timer);
    this.sleeping = undefined;
    this.ended = true;
    this.host.exit({ exit_code: 137, signal: 9 });
  }

  private feed(text: string): void {
    const chars = [...text];
    for (let i = 0; i < chars.length; i++) {
      if (this.ended) return;
      if (this.sleeping) {
        // A command started mid-read: the rest is type-ahead (echoed, Ctrl-C interrupts).
        this.input(Buffer.from(chars.slice(i).join('')));
        return;
      }
      this.key(chars[i] as string);
    }
  }

  private key(ch: string): void {
    // Escape sequences (arrows, function keys) are swallowed: no history or cursor movement.
    if (this.escape === 'esc') {
      this.escape = ch === '[' ? 'csi' : ch === 'O' ? 'ss3' : '';
      return;
    }
    if (this.escape === 'csi') {
      if (ch >= '@' && ch <= '~') this.escape = '';
      return;
    }
    if (this.escape === 'ss3') {
      this.escape = '';
      return;
    }
    if (ch === '\x1b') {
      this.escape = 'esc';
      return;
    }
    if (!this.tty) {
      if (ch === '\n') this.submit();
      else this.line += ch;
      return;
    }
    switch (ch) {
      case '\r':
      case '\n':
        this.out('\n');
        this.submit();
        return;
      case '\x03':
        this.out('^C\n');
        this.line = '';
        this.status = INTERRUPTED;
        this.prompt();
        return;
      case '\x04':
        if (this.line === '') {
          this.out('\n');
          this.finish(this.status);
        }
        return;
      case '\x7f':
      case '\b':
        if (this.line) {
          this.line = [...this.line].slice(0, -1).join('');
          this.out('\b \b');
        }
        return;
      case '\x15':
        this.out('\b \b'.repeat([...this.line].length));
        this.line = '';
        return;
      default:
        if (ch < ' ') return;
        this.line += ch;
        this.out(ch);
    }
  }

  private submit(): void {
    const line = this.line;
    this.line = '';
    this.run(line, () => {
      if (this.ended) return;
      if (this.oneShot) return;
      this.prompt();
      const rest = this.pending.join('');
      this.pending = [];
      this.feed(rest);
    });
  }

  /** Runs a line: words split as a shell would (quotes, $VAR), one command. */
  private run(line: string, done: () => void): void {
    const words = splitWords(line, (name) => (name === '?' ? String(this.status) : this.env()[name] ?? ''));
    if (words.length === 0) return done();
    this.runWords(words, done);
  }

  private runWords([name = '', ...args]: string[], done: () => void): void {
    const command = COMMANDS.get(name);
    if (!command) {
      this.status = this.fail(`sh: ${name}: not found`, 127);
      return done();
    }
    const result = command(this, args);
    if (typeof result === 'number') {
      this.status = result;
      return done();
    }
    if (result === 'exit') return;
    // sleep: the only command that takes time.
    const timer = setTimeout(() => {
      this.sleeping = undefined;
      this.status = 0;
      done();
    }, result.sleepMs);
    this.sleeping = { timer, done };
  }

  private env(): Record<string, string> {
    return { ...this.host.env, HOSTNAME: this.host.hostname, PWD: this.cwd };
  }

  private prompt(): void {
    this.out(`${this.cwd}${PROMPT_END}`);
  }

  private finish(code: number): void {
    if (this.ended) return;
    this.ended = true;
    this.host.exit({ exit_code: code });
  }

  /** Output as the terminal gets it: a pty turns \n into \r\n (onlcr). */
  out(text: string): void {
    this.host.write('stdout', Buffer.from(this.tty ? text.replace(/\r?\n/g, '\r\n') : text));
  }

  err(text: string): void {
    // With a tty both streams are the one pty (stdout), as a real terminal session has them.
    const line = `${text}\n`;
    this.host.write(this.tty ? 'stdout' : 'stderr', Buffer.from(this.tty ? line.replace(/\n/g, '\r\n') : line));
  }

  private fail(text: string, code: number): number {
    this.err(text);
    return code;
  }

  // What the commands reach.
  get state(): { cwd: string; env: Record<string, string>; hostname: string; files: ShellFiles; size: { height: number; width: number } } {
    return { cwd: this.cwd, env: this.env(), hostname: this.host.hostname, files: this.host.files, size: this.size };
  }

  setCwd(path: string): void {
    this.cwd = path;
  }

  exitWith(code: number): 'exit' {
    this.finish(code);
    return 'exit';
  }

  writeBytes(data: Buffer): void {
    if (this.tty) this.out(data.toString('utf8'));
    else this.host.write('stdout', data);
  }
}

type CommandResult = number | 'exit' | { sleepMs: number };
type Command = (shell: ExecShell, args: string[]) => CommandResult;

const printEnv: Command = (shell) => (shell.out(Object.entries(shell.state.env).map(([k, v]) => `${k}=${v}\n`).join('')), 0);

const COMMANDS: ReadonlyMap<string, Command> = new Map<string, Command>([
  ['hostname', (shell) => (shell.out(`${shell.state.hostname}\n`), 0)],
  ['pwd', (shell) => (shell.out(`${shell.state.cwd}\n`), 0)],
  ['true', () => 0],
  ['false', () => 1],
  ['echo', (shell, args) => (shell.out(`${args.join(' ')}\n`), 0)],
  ['env', printEnv],
  [
    'printenv',
    (shell, args) => {
      const env = shell.state.env;
      if (args.length === 0) return printEnv(shell, []);
      const found = args.filter((name) => name in env);
      for (const name of found) shell.out(`${env[name]}\n`);
      return found.length === args.length ? 0 : 1;
    },
  ],
  [
    'exit',
    (shell, args) => {
      const code = args[0] === undefined ? 0 : Number.parseInt(args[0], 10);
      if (!Number.isInteger(code)) {
        shell.err(`sh: exit: Illegal number: ${args[0]}`);
        return 2;
      }
      return shell.exitWith(((code % 256) + 256) % 256);
    },
  ],
  [
    'cd',
    (shell, args) => {
      const path = resolvePath(shell.state.cwd, args[0] ?? '/');
      if (!shell.state.files.list(path)) {
        shell.err(`sh: cd: can't cd to ${args[0]}: No such file or directory`);
        return 2;
      }
      shell.setCwd(path);
      return 0;
    },
  ],
  [
    'ls',
    (shell, args) => {
      const paths = args.filter((arg) => !arg.startsWith('-'));
      let status = 0;
      for (const arg of paths.length ? paths : ['.']) {
        const path = resolvePath(shell.state.cwd, arg);
        const names = shell.state.files.list(path);
        if (names) {
          if (paths.length > 1) shell.out(`${arg}:\n`);
          if (names.length) shell.out(`${names.join('  ')}\n`);
        } else if (shell.state.files.read(path)) shell.out(`${arg}\n`);
        else {
          shell.err(`ls: ${arg}: No such file or directory`);
          status = 1;
        }
      }
      return status;
    },
  ],
  [
    'cat',
    (shell, args) => {
      let status = 0;
      for (const arg of args) {
        const path = resolvePath(shell.state.cwd, arg);
        const bytes = shell.state.files.read(path);
        if (bytes) shell.writeBytes(bytes);
        else {
          shell.err(`cat: can't open '${arg}': ${shell.state.files.list(path) ? 'Is a directory' : 'No such file or directory'}`);
          status = 1;
        }
      }
      return status;
    },
  ],
  [
    'sleep',
    (shell, args) => {
      const seconds = Number(args[0]);
      if (!Number.isFinite(seconds) || seconds < 0) {
        shell.err(`sleep: invalid number '${args[0] ?? ''}'`);
        return 1;
      }
      return { sleepMs: seconds * 1000 };
    },
  ],
  [
    'stty',
    (shell, args) => {
      if (args[0] !== 'size') {
        shell.err('stty: only "stty size" is known here');
        return 1;
      }
      shell.out(`${shell.state.size.height} ${shell.state.size.width}\n`);
      return 0;
    },
  ],
]);

function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** An absolute, normalised path for `path` seen from `cwd`. */
export function resolvePath(cwd: string, path: string): string {
  const parts = (path.startsWith('/') ? path : `${cwd}/${path}`).split('/');
  const out: string[] = [];
  for (const part of parts) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return `/${out.join('/')}`;
}

/** Splits a command line into words: whitespace, '…' and "…" quotes, $NAME / ${NAME} / $?
 * expanded outside single quotes. */
export function splitWords(line: string, lookup: (name: string) => string): string[] {
  const words: string[] = [];
  let word = '';
  let has = false;
  let quote: '' | "'" | '"' = '';
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quote === "'") {
      if (ch === "'") quote = '';
      else word += ch;
      continue;
    }
    if (ch === '$') {
      const m = /^\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*)|(\?))/.exec(line.slice(i));
      if (m) {
        word += lookup(m[1] ?? m[2] ?? m[3] ?? '');
        has = true;
        i += m[0].length - 1;
        continue;
      }
    }
    if (quote === '"') {
      if (ch === '"') quote = '';
      else word += ch;
      continue;
    }
    if (ch === "'" || ch === '"') {
      quote = ch;
      has = true;
    } else if (ch === ' ' || ch === '\t') {
      if (has || word) words.push(word);
      word = '';
      has = false;
    } else word += ch;
  }
  if (has || word) words.push(word);
  return words;
}
