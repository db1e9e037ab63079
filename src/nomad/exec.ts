// One exec session: `nomad alloc exec` over Nomad's WebSocket (api/allocations_exec.go).
// Input typed before the socket opens waits for it; a `{}` heartbeat goes every 10 s; the end
// is the agent's `exited` frame (the connection then drops with no close frame, which is
// normal), a close frame carrying the agent's error (1008 / 1011 with its message), or a
// connection lost before either.
import type { WebSocket } from 'undici';
import { decodeExecFrame, EXEC_HEARTBEAT, EXEC_HEARTBEAT_MS, stdinCloseFrame, stdinFrame, ttySizeFrame, type ExecResult } from './execFrames.js';

export interface ExecRequest {
  allocId: string;
  task: string;
  /** The command as words, sent as Nomad takes it: a JSON array. */
  command: readonly string[];
  tty: boolean;
  /** The allocation's namespace, sent as the nomad CLI does. */
  namespace?: string;
}

export type ExecEnd =
  | { kind: 'exited'; result: ExecResult }
  /** The agent closed the socket with a reason (its error message) before the command ran or
   * while it ran: Unknown allocation, Permission denied, task not running… */
  | { kind: 'refused'; code: number; message: string }
  /** The connection failed or dropped before an exit code arrived. */
  | { kind: 'lost'; message: string }
  /** This side ended it (the escape key, or the console going away). */
  | { kind: 'closed' };

export interface ExecHandlers {
  output(stream: 'stdout' | 'stderr', data: Buffer): void;
}

/** How long the upgrade may take before the session counts as lost. */
export const EXEC_OPEN_TIMEOUT_MS = 30_000;

export class ExecSession {
  readonly ended: Promise<ExecEnd>;
  private finish: (end: ExecEnd) => void = () => {};
  private done = false;
  private opened = false;
  private readonly queue: string[] = [];
  private readonly heartbeat: NodeJS.Timeout;
  private readonly openTimer: NodeJS.Timeout;

  constructor(
    private readonly ws: WebSocket,
    handlers: ExecHandlers,
  ) {
    this.ended = new Promise((resolve) => (this.finish = resolve));
    ws.binaryType = 'arraybuffer';
    this.openTimer = setTimeout(() => this.end({ kind: 'lost', message: `no answer within ${EXEC_OPEN_TIMEOUT_MS / 1000} s` }), EXEC_OPEN_TIMEOUT_MS);
    this.heartbeat = setInterval(() => this.send(EXEC_HEARTBEAT), EXEC_HEARTBEAT_MS);
    this.heartbeat.unref();
    ws.addEventListener('open', () => {
      this.opened = true;
      clearTimeout(this.openTimer);
      for (const frame of this.queue.splice(0)) ws.send(frame);
    });
    ws.addEventListener('message', (event) => {
      if (this.done) return;
      const text = typeof event.data === 'string' ? event.data : Buffer.from(event.data as ArrayBuffer).toString('utf8');
      const frame = decodeExecFrame(text);
      if (frame.type === 'output') handlers.output(frame.stream, frame.data);
      else if (frame.type === 'exited') this.end({ kind: 'exited', result: frame.result });
      // Anything else (a close of one stream, a frame that is not one) is ignored, as the Go
      // client ignores it.
    });
    ws.addEventListener('error', () => {
      // The close event that follows says how it ended; an upgrade refused (not 101) has only this.
      if (!this.opened) this.end({ kind: 'lost', message: 'the agent did not accept the WebSocket upgrade (no 101 answer)' });
    });
    ws.addEventListener('close', (event) => {
      if (event.reason) this.end({ kind: 'refused', code: event.code, message: event.reason });
      else this.end({ kind: 'lost', message: this.opened ? 'the connection closed before the command exited' : 'the agent did not accept the WebSocket upgrade' });
    });
  }

  /** Bytes for the remote program's stdin (keys, pastes). */
  write(data: Uint8Array): void {
    if (data.length > 0) this.send(stdinFrame(data));
  }

  closeStdin(): void {
    this.send(stdinCloseFrame());
  }

  resize(height: number, width: number): void {
    this.send(ttySizeFrame(height, width));
  }

  /** Ends the session from this side (the agent ends the command when its socket goes). */
  close(): void {
    this.end({ kind: 'closed' });
  }

  private send(frame: string): void {
    if (this.done) return;
    if (this.opened) this.ws.send(frame);
    else this.queue.push(frame);
  }

  private end(end: ExecEnd): void {
    if (this.done) return;
    this.done = true;
    clearTimeout(this.openTimer);
    clearInterval(this.heartbeat);
    try {
      this.ws.close();
    } catch {
      // Already closing.
    }
    this.finish(end);
  }
}
