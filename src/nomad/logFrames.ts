// Decodes the log stream of GET /v1/client/fs/logs (JSON mode): StreamFrame objects written
// back to back with no separator ({"Offset":n,"Data":"<base64>","File":"…"}{}{"FileEvent":…}),
// every field omitted when empty, {} a heartbeat. Bytes may arrive split anywhere: mid-object,
// mid-string, mid-UTF-8. A frame that is not what Nomad sends is dropped and counted, never
// thrown: the agent's bytes must not end the view.

export interface LogFrame {
  /** Nomad's offset arithmetic (the offset after the first read of the frame): kept, not
   * relied on. */
  offset: number;
  data: Buffer;
  file: string;
  /** "file deleted", "file truncated", or ''. */
  event: string;
}

/** The longest object kept waiting for its end: Nomad's frames hold at most 64 KiB of data
 * (≈ 87 KiB of base64). Anything longer is not Nomad's and is dropped. */
const MAX_OBJECT = 1024 * 1024;

/** Inside a string only an escape or the closing quote matters; outside, quotes and braces
 * (and a closing brace or other byte at depth 0, which is dropped). */
const STRING_SPECIAL = /["\\]/g;
const OUTSIDE_SPECIAL = /[{}"]/g;

export class LogFrameDecoder {
  private pending = '';
  /** Where the scan stopped in `pending`, and its state there. */
  private scanned = 0;
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** Objects dropped as not Nomad's (bad JSON, wrong types, too long). */
  dropped = 0;
  private readonly text = new TextDecoder('utf-8');

  /** The frames completed by this chunk (heartbeats are not returned). */
  push(chunk: Uint8Array | string): LogFrame[] {
    this.pending += typeof chunk === 'string' ? chunk : this.text.decode(chunk, { stream: true });
    const frames: LogFrame[] = [];
    let start = 0;
    // Jump from one character that matters to the next: a frame's base64 has none, so the
    // regex engine skips it whole.
    let i = this.scanned;
    while (i < this.pending.length) {
      if (this.inString) {
        if (this.escaped) {
          this.escaped = false;
          i += 1;
          continue;
        }
        STRING_SPECIAL.lastIndex = i;
        const m = STRING_SPECIAL.exec(this.pending);
        if (!m) break;
        i = m.index;
        if (this.pending.charCodeAt(i) === 0x5c) this.escaped = true;
        else this.inString = false;
        i += 1;
        continue;
      }
      OUTSIDE_SPECIAL.lastIndex = i;
      const m = OUTSIDE_SPECIAL.exec(this.pending);
      if (!m) {
        if (this.depth === 0) start = this.pending.length;
        break;
      }
      // Bytes outside any object before this one (whitespace, junk) are dropped.
      if (this.depth === 0 && m.index > i) start = m.index;
      i = m.index;
      const c = this.pending.charCodeAt(i);
      if (c === 0x22) this.inString = true;
      else if (c === 0x7b) {
        if (this.depth === 0) start = i;
        this.depth += 1;
      } else if (c === 0x7d && this.depth > 0) {
        this.depth -= 1;
        if (this.depth === 0) {
          const frame = this.parse(this.pending.slice(start, i + 1));
          if (frame) frames.push(frame);
          start = i + 1;
        }
      } else if (this.depth === 0) {
        start = i + 1;
      }
      i += 1;
    }
    this.pending = this.depth === 0 ? '' : this.pending.slice(start);
    this.scanned = this.pending.length;
    if (this.pending.length > MAX_OBJECT) {
      this.dropped += 1;
      this.reset();
    }
    return frames;
  }

  private reset(): void {
    this.pending = '';
    this.scanned = 0;
    this.depth = 0;
    this.inString = false;
    this.escaped = false;
  }

  private parse(text: string): LogFrame | undefined {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      this.dropped += 1;
      return undefined;
    }
    if (!value || typeof value !== 'object' || Array.isArray(value)) {
      this.dropped += 1;
      return undefined;
    }
    const { Offset, Data, File, FileEvent } = value as Record<string, unknown>;
    if ((Offset !== undefined && typeof Offset !== 'number') || (Data !== undefined && typeof Data !== 'string') || (File !== undefined && typeof File !== 'string') || (FileEvent !== undefined && typeof FileEvent !== 'string')) {
      this.dropped += 1;
      return undefined;
    }
    // {}: a heartbeat.
    if (Data === undefined && File === undefined && FileEvent === undefined) return undefined;
    return { offset: Offset ?? 0, data: Data ? Buffer.from(Data, 'base64') : Buffer.alloc(0), file: File ?? '', event: FileEvent ?? '' };
  }
}
