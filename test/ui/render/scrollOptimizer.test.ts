// The scroll optimizer against a small terminal: Ink's frames (as its bundled log-update writes them)
// and the optimizer's rewrites must leave the same screen and cursor, frame after frame, for
// blocks moving up and down, rows changing beside them, frames shrinking and writes it cannot
// read; and a moved block must cost about its new rows, not all of them.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { biggestMove, ScrollOptimizer } from '../../../src/ui/render/scrollOptimizer.js';
import { bundledLogUpdate } from '../../helpers/inkBundle.js';

/** A terminal: rows of text, a cursor, a scroll region; just the sequences in play here. */
class Terminal {
  rows: string[];
  row = 0;
  col = 0;
  top = 0;
  bottom: number;
  constructor(readonly height: number) {
    this.rows = Array.from({ length: height }, () => '');
    this.bottom = height - 1;
  }
  private scrollUp(): void {
    this.rows.splice(this.top, 1);
    this.rows.splice(this.bottom, 0, '');
  }
  private scrollDown(): void {
    this.rows.splice(this.bottom, 1);
    this.rows.splice(this.top, 0, '');
  }
  write(text: string): void {
    for (let i = 0; i < text.length; ) {
      const rest = text.slice(i);
      let m: RegExpExecArray | null;
      if ((m = /^\x1b\[(\d*)A/.exec(rest))) this.row = Math.max(0, this.row - Number(m[1] || 1));
      else if ((m = /^\x1b\[(\d*)E/.exec(rest))) {
        this.row = Math.min(this.height - 1, this.row + Number(m[1] || 1));
        this.col = 0;
      } else if ((m = /^\x1b\[(\d*)G/.exec(rest))) this.col = Number(m[1] || 1) - 1;
      else if ((m = /^\x1b\[2K/.exec(rest))) this.rows[this.row] = '';
      else if ((m = /^\x1b\[K/.exec(rest))) this.rows[this.row] = (this.rows[this.row] ?? '').slice(0, this.col);
      else if ((m = /^\x1b\[(\d+);(\d+)r/.exec(rest))) {
        this.top = Number(m[1]) - 1;
        this.bottom = Number(m[2]) - 1;
        this.row = 0;
        this.col = 0;
      } else if ((m = /^\x1b\[r/.exec(rest))) {
        this.top = 0;
        this.bottom = this.height - 1;
        this.row = 0;
        this.col = 0;
      } else if ((m = /^\x1b\[(\d+);(\d+)H/.exec(rest))) {
        this.row = Number(m[1]) - 1;
        this.col = Number(m[2]) - 1;
      } else if ((m = /^\x1bM/.exec(rest))) {
        if (this.row === this.top) this.scrollDown();
        else this.row = Math.max(0, this.row - 1);
      } else if ((m = /^\x1b\[2J/.exec(rest))) this.rows = this.rows.map(() => '');
      else if ((m = /^\x1b\[H/.exec(rest))) {
        this.row = 0;
        this.col = 0;
      } else if ((m = /^\x1b\[\?(?:25|2026)[hl]/.exec(rest)) || (m = /^\x1b\[[\d;]*m/.exec(rest)) || (m = /^\x1b\[3J/.exec(rest))) {
        // cursor shown or hidden, synchronized output, colour, scrollback erased
      } else if (rest[0] === '\n') {
        m = ['\n'] as unknown as RegExpExecArray;
        if (this.row === this.bottom) this.scrollUp();
        else this.row = Math.min(this.height - 1, this.row + 1);
        this.col = 0;
      } else {
        const line = this.rows[this.row] ?? '';
        this.rows[this.row] = line.padEnd(this.col, ' ').slice(0, this.col) + rest[0] + line.slice(this.col + 1);
        this.col += 1;
        i += 1;
        continue;
      }
      i += m[0].length;
    }
  }
}

/** Ink's incremental renderer as the bundle ships it (scripts/ink-swaps.mjs), writing to a
 * string; each frame between the synchronized-output marks Ink 6.8 writes on their own. */
const logUpdate = await bundledLogUpdate();
class InkLog {
  private written: string[] = [];
  private readonly log = logUpdate.create({ write: (chunk: string) => (this.written.push(chunk), true) }, { incremental: true });
  /** The writes for one frame, in order ([] when nothing changed). */
  render(frame: string[]): string[] {
    this.written = [];
    this.log(`${frame.join('\n')}\n`);
    return this.written.length ? [BSU, ...this.written, ESU] : [];
  }
  /** What Ink writes after a frame as tall as the terminal: all cleared, then the frame from
   * the top without its last newline (ink/build/ink.js onRender), and log-update told. */
  clearTerminal(frame: string[]): string[] {
    const output = frame.join('\n');
    this.log.sync(`${output}\n`);
    return [BSU, `\x1b[2J\x1b[3J\x1b[H${output}`, ESU];
  }
}
const BSU = '\x1b[?2026h';
const ESU = '\x1b[?2026l';

function run(frames: string[][], height = 12): { ink: Terminal; optimized: Terminal; inkBytes: number; optimizedBytes: number } {
  const ink = new Terminal(height);
  const optimized = new Terminal(height);
  const log = new InkLog();
  const optimizer = new ScrollOptimizer();
  let inkBytes = 0;
  let optimizedBytes = 0;
  for (const [n, frame] of frames.entries()) {
    for (const chunk of log.render(frame)) {
      ink.write(chunk);
      const rewritten = optimizer.rewrite(chunk);
      optimized.write(rewritten);
      // The synchronized-output marks cost both the same.
      if (chunk === BSU || chunk === ESU) continue;
      inkBytes += chunk.length;
      optimizedBytes += rewritten.length;
    }
    assert.deepEqual(optimized.rows, ink.rows, `frame ${n}: the same screen`);
    assert.deepEqual([optimized.row, optimized.col], [ink.row, ink.col], `frame ${n}: the same cursor`);
  }
  return { ink, optimized, inkBytes, optimizedBytes };
}

const logFrame = (first: number, rows = 8, title = 'LOGS  web.api[0] · app · stdout'): string[] => [title, 'following', ...Array.from({ length: rows }, (_, i) => `line ${first + i} ${'x'.repeat((first + i) % 30)}`), 'j/k scroll  ? help  q quit'];

describe('ScrollOptimizer', () => {
  it('a log following its task, a line at a time: the same screen, a fraction of the bytes', () => {
    const frames = Array.from({ length: 40 }, (_, i) => logFrame(i));
    const { inkBytes, optimizedBytes } = run(frames);
    assert.ok(optimizedBytes < inkBytes / 3, `${optimizedBytes} B vs Ink's ${inkBytes} B`);
  });

  it('blocks moving down, by several rows, beside rows that change on their own', () => {
    const frames: string[][] = [];
    for (let i = 30; i > 0; i -= 3) frames.push([`top ${i % 2}`, ...logFrame(i).slice(2, 9), `bottom ${i}`]);
    for (let i = 0; i < 20; i += 5) frames.push([`top ${i}`, ...logFrame(i).slice(2, 9), 'bottom']);
    run(frames);
  });

  it('random frames: shifts, edits, shrinking and growing frames, and writes it cannot read', () => {
    let seed = 11;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed / 2 ** 32;
    };
    const ink = new Terminal(14);
    const optimized = new Terminal(14);
    const log = new InkLog();
    const optimizer = new ScrollOptimizer(() => 14);
    let base = 0;
    let rows = 8;
    for (let n = 0; n < 400; n++) {
      const roll = random();
      if (roll < 0.5) base += 1 + Math.floor(random() * 4);
      else if (roll < 0.7) base -= 1 + Math.floor(random() * 3);
      else if (roll < 0.8) rows = 5 + Math.floor(random() * 6);
      const frame = logFrame(base, rows, `title ${Math.floor(random() * 3)}`);
      if (random() < 0.1) frame[3] = `edited ${n}`;
      // Now and then the terminal shrank under a frame as tall as it: Ink clears it and redraws.
      const chunks = random() < 0.05 ? log.clearTerminal(frame) : log.render(frame);
      if (random() < 0.03) {
        // A write the optimizer cannot read (it moves nothing): it forgets the screen.
        ink.write('\x1b[0m');
        optimized.write(optimizer.rewrite('\x1b[0m'));
      }
      if (chunks.length === 0) continue;
      for (const chunk of chunks) {
        ink.write(chunk);
        optimized.write(optimizer.rewrite(chunk));
      }
      assert.deepEqual(optimized.rows, ink.rows, `frame ${n}`);
      assert.deepEqual([optimized.row, optimized.col], [ink.row, ink.col], `frame ${n}: cursor`);
    }
  });

  it('finds the biggest block moved, up or down', () => {
    const previous = ['a', '1', '2', '3', '4', '5', 'z'];
    assert.deepEqual(biggestMove(previous, ['a', '2', '3', '4', '5', '6', 'z']), { top: 1, bottom: 5, shift: 1 });
    assert.deepEqual(biggestMove(previous, ['a', '0', '1', '2', '3', '4', 'z']), { top: 1, bottom: 5, shift: -1 });
    assert.equal(biggestMove(previous, ['b', 'x', 'y', 'w', 'v', 'u', 'z']), undefined);
  });
});
