// Follows one task's stdout or stderr as `nomad alloc logs -f -tail` does: the last 64 KiB
// (origin=end, offset=65536, follow=true), then every byte as it is written. Lines are cleaned
// for the screen as they arrive (logText.ts); the raw bytes are kept too (for `w`). Memory is
// bounded: at most MAX_LINES lines and MAX_BYTES raw bytes, the oldest dropped first.
//
// What Nomad can do to a follower, and what the feed says and does:
//   - a task not started yet (404 "not started yet" / no log file): waiting, asked again every 2 s;
//   - 403 (the token lacks read-logs), an unknown task: failed, said in plain words;
//   - the allocation unknown to its client (404), its directory removed ("file deleted"): ended;
//   - the stream breaking or ending (agent restart, network): reconnecting with backoff, then
//     resuming from 64 KiB before the end and skipping what it already holds (found by its last
//     bytes); when they cannot be found a line says lines may be missing there.
// Older content (`loadOlder`) is read from further back, origin=end, in CHUNK_BYTES pieces,
// the read cut off once it reaches what the feed already holds (found by its first bytes).
import { NomadError } from '../nomad/errors.js';
import type { LogFrame } from '../nomad/logFrames.js';
import type { LogStreamOptions } from '../nomad/client.js';
import { backoffDelay } from './backoff.js';
import { cleanLogLine } from './logText.js';

export const TAIL_BYTES = 64 * 1024;
export const CHUNK_BYTES = 256 * 1024;
export const MAX_LINES = 50_000;
export const MAX_BYTES = 16 * 1024 * 1024;
/** How much of the held bytes' edge is matched against a re-read to line them up. */
const MATCH_BYTES = 1024;
const WAIT_RETRY_MS = 2000;
/** After a failed read of older output, the next one waits this long. */
const OLDER_RETRY_MS = 5000;
/** Taking in frames, the feed lets other work run after this many milliseconds. */
const YIELD_MS = 4;
/** Listeners hear of changes at most this often (a busy task sends ~80 frames a second). */
const NOTIFY_MS = 50;

export interface LogTarget {
  allocId: string;
  task: string;
  type: 'stdout' | 'stderr';
  namespace: string;
}

/** What the feed needs of the Nomad client. */
export interface LogSource {
  streamLogs(allocId: string, options: LogStreamOptions): Promise<AsyncIterable<LogFrame>>;
}

export type LogStatus = 'connecting' | 'following' | 'waiting' | 'reconnecting' | 'ended' | 'failed';

export interface LogSnapshot {
  status: LogStatus;
  /** The state in plain words ('' while following). */
  message: string;
  /** Clean lines, oldest first; the last may be unfinished. Shared and appended in place:
   * `version` says when it changed. */
  lines: readonly string[];
  /** Absolute number of lines[0]: lines dropped at the front raise it, older ones loaded lower it. */
  base: number;
  version: number;
  /** Finished lines appended since the feed began (what "N new lines" counts). */
  appended: number;
  /** Raw bytes held. */
  bytes: number;
  /** Nothing older to load: the oldest file's start is here, or older was dropped. */
  atStart: boolean;
  loadingOlder: boolean;
  /** Why older content is not available, when it is not. */
  olderNote: string;
}

export class LogFeed {
  private readonly lines: string[] = [];
  private base = 0;
  private version = 0;
  private appended = 0;
  /** Raw bytes held, oldest first. */
  private raw: Buffer[] = [];
  private rawBytes = 0;
  /** The decoded text of the unfinished last line, and whether lines' last entry shows it. */
  private carry = '';
  private partial = false;
  /** The decoded text of the first held line (it may be the tail end of a longer one). */
  private firstRaw: string | undefined;
  private decoder = new TextDecoder('utf-8');
  private status: LogStatus = 'connecting';
  private message = 'connecting…';
  private atStart = false;
  private loadingOlder = false;
  private olderNote = '';
  private olderRetryAt = 0;
  private trimmed = false;
  private closed = false;
  /** The follow stream has given data (a quick tail read arriving after it is dropped). */
  private streamed = false;
  private readonly abort = new AbortController();
  private readonly listeners = new Set<() => void>();
  private notifyTimer?: NodeJS.Timeout;
  private snap: LogSnapshot;

  constructor(
    private readonly source: LogSource,
    readonly target: LogTarget,
    private readonly random: () => number = Math.random,
  ) {
    this.snap = this.build();
    void this.run();
  }

  snapshot(): LogSnapshot {
    return this.snap;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The raw bytes held, as the task wrote them (for saving to a file). */
  savedBytes(): Buffer {
    return Buffer.concat(this.raw);
  }

  close(): void {
    this.closed = true;
    this.abort.abort();
    clearTimeout(this.notifyTimer);
    this.listeners.clear();
  }

  private build(): LogSnapshot {
    return { status: this.status, message: this.message, lines: this.lines, base: this.base, version: this.version, appended: this.appended, bytes: this.rawBytes, atStart: this.atStart, loadingOlder: this.loadingOlder, olderNote: this.olderNote };
  }

  private changed(now = false): void {
    this.version += 1;
    if (now) {
      clearTimeout(this.notifyTimer);
      this.notifyTimer = undefined;
      this.emit();
      return;
    }
    this.notifyTimer ??= setTimeout(() => {
      this.notifyTimer = undefined;
      this.emit();
    }, NOTIFY_MS);
  }

  private emit(): void {
    if (this.closed) return;
    this.snap = this.build();
    for (const listener of [...this.listeners]) listener();
  }

  private setStatus(status: LogStatus, message: string): void {
    if (this.status === status && this.message === message) return;
    this.status = status;
    this.message = message;
    this.changed(true);
  }

  private async run(): Promise<void> {
    let attempt = 0;
    let resume = false;
    while (!this.closed) {
      try {
        // The first time (not on each retry while the task has not started), a plain tail read
        // runs beside the stream: it answers at once (a
        // follow stream's first frame, headers and all, waits out Nomad's 200 ms batch window),
        // and the stream is then lined up with what it gave.
        if (attempt === 0 && !resume && this.rawBytes === 0) void this.quickTail();
        const frames = await this.source.streamLogs(this.target.allocId, { task: this.target.task, type: this.target.type, origin: 'end', offset: TAIL_BYTES, follow: true, signal: this.abort.signal });
        this.setStatus('following', '');
        attempt = 0;
        let lineUp = resume ? new Resume(this.tail(MATCH_BYTES)) : undefined;
        resume = true;
        // A log shorter than the tail read comes whole at once: if the held tail was not in it
        // by now, it will not be.
        let giveUp = lineUp && !lineUp.done ? setTimeout(() => this.flushResume(lineUp), 1500) : undefined;
        let busySince = performance.now();
        try {
          for await (const frame of frames) {
            // A busy task's frames come faster than they are taken in, one after another without
            // a turn of the event loop: give keys and frames their turn every few milliseconds.
            if (performance.now() - busySince > YIELD_MS) {
              await new Promise((resolve) => setImmediate(resolve));
              busySince = performance.now();
            }
            if (!this.streamed && frame.data.length > 0) {
              this.streamed = true;
              if (this.rawBytes > 0 && !lineUp) {
                const primed = new Resume(this.tail(MATCH_BYTES));
                lineUp = primed;
                giveUp = setTimeout(() => this.flushResume(primed), 1500);
              }
            }
            if (frame.event === 'file deleted') {
              this.flushResume(lineUp);
              this.setStatus('ended', "the allocation's directory was removed (garbage collected): no more output");
              return;
            }
            if (frame.data.length === 0) continue;
            if (lineUp && !lineUp.done) {
              const rest = lineUp.feed(frame.data);
              if (rest) this.append(rest);
              else if (lineUp.overflowing) this.flushResume(lineUp);
              continue;
            }
            this.append(frame.data);
          }
        } finally {
          // A stream that broke must not flush its line-up later, into the next one's lines.
          clearTimeout(giveUp);
        }
        this.flushResume(lineUp);
        throw new Error('the agent ended the log stream');
      } catch (error) {
        if (this.closed) return;
        const verdict = this.judge(error);
        if (verdict.final) {
          this.setStatus(verdict.status, verdict.message);
          return;
        }
        attempt += 1;
        const delay = verdict.status === 'waiting' ? WAIT_RETRY_MS : Math.max(500, backoffDelay(attempt, { baseMs: 1000, capMs: 10_000 }, this.random));
        this.setStatus(verdict.status, verdict.status === 'waiting' ? verdict.message : `${verdict.message}; reconnecting in ${Math.ceil(delay / 1000)}s`);
        if (verdict.status === 'waiting') resume = false;
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  /** The last TAIL_BYTES with follow=false: shown unless the stream got there first. */
  private async quickTail(): Promise<void> {
    try {
      const frames = await this.source.streamLogs(this.target.allocId, { task: this.target.task, type: this.target.type, origin: 'end', offset: TAIL_BYTES, follow: false, signal: this.abort.signal });
      const got: Buffer[] = [];
      for await (const frame of frames) {
        if (this.streamed) return;
        if (frame.data.length) got.push(frame.data);
      }
      if (!this.streamed && got.length) {
        this.append(Buffer.concat(got));
        if (this.status === 'connecting') this.setStatus('following', '');
      }
    } catch {
      // The stream itself says what is wrong.
    }
  }

  /** A resumed stream that never reached what was held: say lines may be missing, keep all. */
  private flushResume(lineUp: Resume | undefined): void {
    if (!lineUp || lineUp.done) return;
    const all = lineUp.give();
    this.appendMarker('⋯ lines written while the log stream was down may be missing here');
    if (all.length) this.append(all);
  }

  private judge(error: unknown): { status: LogStatus; message: string; final: boolean } {
    if (error instanceof NomadError) {
      const said = error.text;
      const task = `task ${this.target.task}`;
      if (error.status === 404 && /not started yet/.test(error.body)) return { status: 'waiting', message: `${task} has not started yet: waiting for its first output`, final: false };
      if (error.status === 404 && /log entry for task/.test(error.body)) return { status: 'waiting', message: `${task} has written no ${this.target.type} yet: waiting`, final: false };
      if (error.status === 404) return { status: 'ended', message: `the allocation is no longer on its client (404 ${said})`, final: true };
      if (error.status === 403 || /Permission denied/.test(error.body)) return { status: 'failed', message: `your token lacks read-logs in namespace ${this.target.namespace} (${error.status} ${said})`, final: true };
      if (error.status === 400) return { status: 'failed', message: `Nomad refused the log request: ${said} (400)`, final: true };
      return { status: 'reconnecting', message: `the agent answered ${error.status} ${said}`, final: false };
    }
    return { status: 'reconnecting', message: error instanceof Error && error.message ? `log stream lost (${error.message})` : 'log stream lost', final: false };
  }

  /** The last `n` raw bytes held. */
  private tail(n: number): Buffer {
    const out: Buffer[] = [];
    let need = n;
    for (let i = this.raw.length - 1; i >= 0 && need > 0; i--) {
      const chunk = this.raw[i] as Buffer;
      out.unshift(chunk.subarray(Math.max(0, chunk.length - need)));
      need -= chunk.length;
    }
    return Buffer.concat(out);
  }

  /** The first `n` raw bytes held. */
  private head(n: number): Buffer {
    const out: Buffer[] = [];
    let need = n;
    for (const chunk of this.raw) {
      if (need <= 0) break;
      out.push(chunk.subarray(0, need));
      need -= chunk.length;
    }
    return Buffer.concat(out);
  }

  private appendMarker(text: string): void {
    this.endPartial();
    this.lines.push(text);
    this.appended += 1;
    this.changed();
  }

  /** Ends the unfinished line (the stream broke in its middle). */
  private endPartial(): void {
    if (this.carry === '' && !this.partial) return;
    if (this.partial) this.lines.pop();
    this.lines.push(cleanLogLine(this.carry));
    this.carry = '';
    this.partial = false;
  }

  private append(data: Buffer): void {
    const firstWasCarry = this.lines.length === 0 || (this.partial && this.lines.length === 1);
    this.raw.push(data);
    this.rawBytes += data.length;
    const text = this.carry + this.decoder.decode(data, { stream: true });
    const parts = text.split('\n');
    this.carry = parts.pop() ?? '';
    if (this.partial) {
      this.lines.pop();
      this.partial = false;
    }
    // The first held line, while it is the unfinished one, grows with it.
    if (this.firstRaw === undefined || firstWasCarry) this.firstRaw = parts[0] ?? this.carry;
    for (const part of parts) this.lines.push(cleanLogLine(part));
    this.appended += parts.length;
    if (this.carry) {
      this.lines.push(cleanLogLine(this.carry));
      this.partial = true;
    }
    this.trim();
    this.changed();
  }

  /** Drops the oldest lines and bytes past the bounds, a tenth at a time. */
  private trim(): void {
    if (this.lines.length > MAX_LINES) {
      const drop = this.lines.length - Math.floor(MAX_LINES * 0.9);
      this.lines.splice(0, drop);
      this.base += drop;
      this.firstRaw = undefined;
      this.trimmed = true;
    }
    if (this.rawBytes > MAX_BYTES) {
      while (this.rawBytes > MAX_BYTES * 0.9 && this.raw.length > 1) this.rawBytes -= (this.raw.shift() as Buffer).length;
      this.trimmed = true;
    }
    if (this.trimmed && !this.atStart) {
      this.atStart = true;
      this.olderNote = `older output is not kept (at most ${MAX_LINES.toLocaleString('en-US')} lines or ${MAX_BYTES / 1024 / 1024} MiB are held); w saves what is`;
    }
  }

  /** Reads the CHUNK_BYTES before what is held and puts them in front. */
  async loadOlder(): Promise<void> {
    if (this.loadingOlder || this.atStart || this.closed || this.rawBytes === 0) return;
    // A read that failed is not asked again at once (the view asks on every change).
    if (Date.now() < this.olderRetryAt) return;
    this.loadingOlder = true;
    this.changed(true);
    const head = this.head(MATCH_BYTES);
    const controller = new AbortController();
    const stop = (): void => controller.abort();
    this.abort.signal.addEventListener('abort', stop);
    try {
      const frames = await this.source.streamLogs(this.target.allocId, { task: this.target.task, type: this.target.type, origin: 'end', offset: this.rawBytes + CHUNK_BYTES, follow: false, signal: controller.signal });
      const got: Buffer[] = [];
      let size = 0;
      let ended = true;
      for await (const frame of frames) {
        if (frame.data.length === 0) continue;
        got.push(frame.data);
        size += frame.data.length;
        if (size >= CHUNK_BYTES + 2 * MATCH_BYTES) {
          ended = false;
          break;
        }
      }
      controller.abort();
      const fetched = Buffer.concat(got);
      // What is held starts CHUNK_BYTES in, or a little before (written since): found by its
      // first bytes, searched from there back.
      const at = fetched.lastIndexOf(head, Math.min(CHUNK_BYTES, fetched.length - head.length));
      if (at === -1) {
        this.atStart = true;
        this.olderNote = 'older output could not be lined up with what is shown (rotated or truncated meanwhile)';
      } else {
        this.prepend(fetched.subarray(0, at));
        // The log's first file began inside this read: nothing older.
        if (ended) this.atStart = true;
      }
    } catch (error) {
      if (!this.closed) this.olderNote = `older output could not be read: ${error instanceof Error ? error.message : String(error)}; asked again in 5 s`;
      this.olderRetryAt = Date.now() + OLDER_RETRY_MS;
    } finally {
      this.abort.signal.removeEventListener('abort', stop);
      this.loadingOlder = false;
      this.changed(true);
    }
  }

  private prepend(older: Buffer): void {
    if (older.length === 0) return;
    this.raw.unshift(older);
    this.rawBytes += older.length;
    const parts = new TextDecoder('utf-8').decode(older).split('\n');
    // The held first line may have been the end of a line that began in `older`.
    const joined = (parts.pop() ?? '') + (this.firstRaw ?? '');
    if (this.lines.length > 0 && this.firstRaw !== undefined) this.lines[0] = cleanLogLine(joined);
    else if (joined) parts.push(joined);
    // The first held line was the unfinished one: what follows it is appended to all of it.
    if (this.partial && this.lines.length === 1) this.carry = joined;
    this.firstRaw = parts[0] ?? joined;
    const cleaned = parts.map(cleanLogLine);
    this.lines.unshift(...cleaned);
    this.base -= cleaned.length;
    this.trim();
  }
}

/** Lines up a resumed stream with what was held: bytes are buffered until the held tail is
 * found in them, and what follows it is given; or, once more than a tail's worth came without
 * it, everything (the caller marks the gap). */
class Resume {
  private buffered: Buffer[] = [];
  private size = 0;
  done = false;

  constructor(private readonly tail: Buffer) {
    if (tail.length === 0) this.done = true;
  }

  feed(data: Buffer): Buffer | undefined {
    this.buffered.push(data);
    this.size += data.length;
    const all = Buffer.concat(this.buffered);
    const at = all.lastIndexOf(this.tail);
    if (at !== -1) {
      this.done = true;
      return all.subarray(at + this.tail.length);
    }
    return undefined;
  }

  /** More came than a tail read holds, and the held tail was not in it. */
  get overflowing(): boolean {
    return !this.done && this.size > TAIL_BYTES + MATCH_BYTES;
  }

  /** Everything buffered (the tail was never found). */
  give(): Buffer {
    this.done = true;
    return Buffer.concat(this.buffered);
  }
}
