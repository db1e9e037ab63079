// Runs an exec session in the terminal the console is drawn in, as `nomad alloc exec -i -t`
// does: the console leaves the alternate screen, stops reading keys and drawing, and the
// remote program owns the terminal — every key goes to it (Ctrl-C, Ctrl-D, arrows, pastes),
// its output comes to the screen as it is sent, the window size goes at the start and on each
// resize. `~.` after Enter ends a session that hangs (escapeHatch.ts). When the command exits,
// the terminal modes a program may have left on are reset and the console draws itself again
// on the alternate screen, at the same selection.
//
// The one place an agent's bytes reach the terminal unfiltered: the remote program's output,
// which is the point of a terminal session (ssh and `nomad alloc exec` do the same).
import type { NomadClient } from '../nomad/client.js';
import type { ExecReport, ExecTarget } from '../ui/actions/execOutcome.js';
import { commandText } from '../ui/prompts/execCommand.js';
import { sanitize } from '../ui/format.js';
import type { TokenAbilities } from '../store/tokenAbilities.js';
import { EscapeHatch } from './escapeHatch.js';
import { trace, tracing } from '../store/trace.js';

export interface HandoverTerminal {
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
  /** Writes to the terminal past the console's own output stages. */
  write(data: string | Uint8Array): void;
  /** While true the console's frames are not written (the terminal is the session's). */
  setHandedOver(on: boolean): void;
  /** Draws the whole console again (after the session). */
  repaint(): void;
}

const LEAVE_ALT_SCREEN = '\x1b[?25h\x1b[?1049l';
const ENTER_ALT_SCREEN = '\x1b[?1049h\x1b[H\x1b[?25l';
/** What a remote program may leave on and the console must not inherit: its own alternate
 * screen, SGR, application cursor keys and keypad, bracketed paste, mouse reporting, a scroll
 * region, autowrap off. */
export const RESET_MODES = '\x1b[?1049l\x1b[0m\x1b[?1l\x1b>\x1b[?2004l\x1b[?1000l\x1b[?1002l\x1b[?1003l\x1b[?1006l\x1b[?7h\x1b[r';

export function execRunner(client: Pick<NomadClient, 'exec'>, abilities: Pick<TokenAbilities, 'lacking'>, terminal: HandoverTerminal): (target: ExecTarget) => Promise<ExecReport> {
  let running = false;
  return async (target) => {
    if (running) return { kind: 'unavailable', message: 'an exec session is already open' };
    const namespace = target.alloc.Namespace || 'default';
    // Known to be refused: say so without opening a socket (raw_exec has no filesystem
    // isolation: client/alloc_endpoint.go asks for alloc-node-exec as well).
    const lacking = await abilities.lacking(namespace, target.driver === 'raw_exec' ? (['alloc-exec', 'alloc-node-exec'] as const) : (['alloc-exec'] as const));
    if (lacking) return { kind: 'denied', capability: lacking, namespace };
    running = true;
    try {
      return await handOver(client, target, terminal);
    } catch (error) {
      // The socket could not even be made (a bad address, a refused option): said, not thrown.
      return { kind: 'lost', message: `could not open the session: ${error instanceof Error ? error.message : String(error)}` };
    } finally {
      running = false;
    }
  };
}

async function handOver(client: Pick<NomadClient, 'exec'>, target: ExecTarget, terminal: HandoverTerminal): Promise<ExecReport> {
  const { stdin, stdout } = terminal;
  // Ink reads keys on 'readable': while the session runs, its listeners are set aside.
  const inkReaders = stdin.listeners('readable') as ((...args: unknown[]) => void)[];
  for (const reader of inkReaders) stdin.off('readable', reader);
  terminal.setHandedOver(true);
  const name = sanitize(target.alloc.Name) || sanitize(target.alloc.ID).slice(0, 8);
  terminal.write(`${LEAVE_ALT_SCREEN}\r\nalloctop: exec ${sanitize(commandText(target.command))} in ${name} (${sanitize(target.task)}) — ~. after Enter ends the session\r\n`);

  const hatch = new EscapeHatch();
  let session: ReturnType<typeof client.exec> | undefined;
  const resize = (): void => session?.resize(stdout.rows ?? 24, stdout.columns ?? 80);
  const onData = (chunk: string | Buffer): void => {
    if (tracing) trace('exec-key', { bytes: Buffer.byteLength(chunk) });
    const { send, hatch: out } = hatch.feed(typeof chunk === 'string' ? chunk : chunk.toString('utf8'));
    if (send) session?.write(Buffer.from(send, 'utf8'));
    if (out) session?.close();
  };
  try {
    session = client.exec(
      { allocId: target.alloc.ID ?? '', task: target.task, command: target.command, tty: true, namespace: target.alloc.Namespace ?? undefined },
      {
        output: (_stream, data) => {
          if (tracing) trace('exec-output', { bytes: data.length });
          terminal.write(data);
        },
      },
    );
    resize();
    stdout.on('resize', resize);
    stdin.on('data', onData);
    return await session.ended;
  } finally {
    // Not pause(): on a TTY that stops reading and leaves the keys to the tty's echo (measured);
    // Ink's 'readable' listeners put the stream back in paused mode themselves.
    stdin.off('data', onData);
    stdout.off('resize', resize);
    for (const reader of inkReaders) stdin.on('readable', reader);
    terminal.write(`${RESET_MODES}\r\n${ENTER_ALT_SCREEN}`);
    terminal.setHandedOver(false);
    terminal.repaint();
  }
}
