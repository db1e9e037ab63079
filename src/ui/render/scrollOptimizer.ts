// Turns a shift of many rows into a terminal scroll. Ink's incremental renderer (ink 6
// log-update) rewrites every row whose text changed; when a block of rows moved up or down by a
// few (a log view following its task, a list moving past its edge) that is the whole block each
// time. The terminal can move them itself: a scroll region (DECSTBM) and line feeds (or reverse
// index), then only the rows that are really new are written.
//
// It reads Ink's frames as they are written (each frame is one write, between the synchronized-
// output marks Ink 6.8 writes on their own): a full frame (eraseLines, then the lines, or after
// a shrink the whole terminal cleared, then the lines) gives what the screen holds; an incremental one (cursor up to the
// top, then for each row "next line" or "column 1, text, erase to end, newline") gives the next
// screen. When the next screen is the last one with a block moved, the frame is written as the
// scroll plus the rows that differ after it — only when that is shorter. The screen it ends on
// and the cursor are exactly Ink's. Anything it cannot read makes it forget the screen until
// Ink's next full frame, and pass writes on untouched meanwhile. Frames start at the screen's
// top row (the console draws on the alternate screen from its home position).

const ESC = '\x1b';
const NEXT_LINE = `${ESC}[E`;
const LINE_START = `${ESC}[1G`;
const LINE_END = `${ESC}[K\n`;
const ERASE_LINES = /^(?:\x1b\[2K\x1b\[1A)*\x1b\[2K\x1b\[G/;
const CURSOR_UP = /^\x1b\[(\d+)A/;
/** ansi-escapes' clearTerminal, which Ink writes before a frame when the last one was as tall
 * as the terminal (it shrank): the frame follows from the top, without a last newline. */
const CLEAR_TERMINAL = '\x1b[2J\x1b[3J\x1b[H';
/** Writes that change nothing on screen: cursor shown or hidden, synchronized output begun or
 * ended (BSU/ESU, mode 2026), OSC strings (clipboard). */
const HARMLESS = /^(?:\x1b\[\?(?:25|2026)[hl]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\))+$/;
/** Any escape that moves the cursor or edits the screen (colour alone does neither). */
const MOVES = /\x1b(?:\[[\d;?]*[@-ln-~]|[^[])/;
/** A block must be this many rows to be worth a scroll. */
const MIN_BLOCK = 3;
/** The largest shift looked for. */
const MOST_SHIFT = 40;

export class ScrollOptimizer {
  /** What the screen holds (Ink's visible rows), or undefined when not known. */
  private screen: string[] | undefined;

  /** `rows`: the terminal's height now (a frame as tall scrolls it, and is not known). */
  constructor(private readonly rows: () => number = () => Infinity) {}

  rewrite(chunk: string): string {
    if (HARMLESS.test(chunk)) return chunk;
    if (chunk.startsWith(CLEAR_TERMINAL)) {
      const rest = chunk.slice(CLEAR_TERMINAL.length);
      const lines = rest.split('\n');
      this.screen = MOVES.test(rest) || lines.length >= this.rows() ? undefined : lines;
      return chunk;
    }
    const erased = ERASE_LINES.exec(chunk);
    let rest = erased ? chunk.slice(erased[0].length) : chunk;
    const up = CURSOR_UP.exec(rest);
    if (!up) {
      // A full frame: the lines, each ended by a newline (the first has nothing to erase, and
      // no escape in it but colour).
      if ((erased || !MOVES.test(rest)) && rest.endsWith('\n')) this.screen = rest.slice(0, -1).split('\n');
      else this.screen = undefined;
      return chunk;
    }
    const previous = this.screen;
    rest = rest.slice(up[0].length);
    const next = this.parseRows(rest, previous);
    this.screen = next;
    // A frame that shrank (it erased rows first) is left as it is.
    if (!next || !previous || erased || next.length !== previous.length) return chunk;
    const better = this.scrolled(previous, next);
    return better !== undefined && better.length < chunk.length ? better : chunk;
  }

  /** The rows after an incremental frame, or undefined when it is not one Ink writes. */
  private parseRows(text: string, previous: string[] | undefined): string[] | undefined {
    const rows: string[] = [];
    let at = 0;
    while (at < text.length) {
      if (text.startsWith(NEXT_LINE, at)) {
        const kept = previous?.[rows.length];
        if (kept === undefined) return undefined;
        rows.push(kept);
        at += NEXT_LINE.length;
        continue;
      }
      if (!text.startsWith(LINE_START, at)) return undefined;
      const end = text.indexOf(LINE_END, at);
      if (end === -1) return undefined;
      rows.push(text.slice(at + LINE_START.length, end));
      at = end + LINE_END.length;
    }
    return rows;
  }

  /** The frame as a scroll of the biggest moved block plus the rows still different. */
  private scrolled(previous: readonly string[], next: readonly string[]): string | undefined {
    const move = biggestMove(previous, next);
    if (!move) return undefined;
    const { top, bottom, shift } = move;
    const screen = [...previous];
    let out: string;
    if (shift > 0) {
      // Up by `shift`: rows top..bottom-shift take the ones below them; new blank rows under.
      for (let i = top; i <= bottom; i++) screen[i] = i + shift <= bottom ? (previous[i + shift] as string) : '';
      out = `${ESC}[${top + 1};${bottom + 1}r${ESC}[${bottom + 1};1H${'\n'.repeat(shift)}`;
    } else {
      const by = -shift;
      for (let i = bottom; i >= top; i--) screen[i] = i - by >= top ? (previous[i - by] as string) : '';
      out = `${ESC}[${top + 1};${bottom + 1}r${ESC}[${top + 1};1H${`${ESC}M`.repeat(by)}`;
    }
    // Resetting the region puts the cursor home: the frame's top row, where Ink's own frame
    // would have begun after its cursor-up.
    out += `${ESC}[r`;
    for (let i = 0; i < next.length; i++) out += screen[i] === next[i] ? NEXT_LINE : `${LINE_START}${next[i]}${LINE_END}`;
    return out;
  }
}

/** The largest block of rows that moved by one shift between two screens (at least MIN_BLOCK
 * rows land where they belong), as the rows it spans and the shift (positive: up). */
export function biggestMove(previous: readonly string[], next: readonly string[]): { top: number; bottom: number; shift: number } | undefined {
  // Most frames change a row or two (a key, a status): no block to look for.
  let changed = 0;
  for (let i = 0; i < next.length && changed < MIN_BLOCK; i++) if (next[i] !== previous[i]) changed += 1;
  if (changed < MIN_BLOCK) return undefined;
  let best: { top: number; bottom: number; shift: number; rows: number } | undefined;
  const count = next.length;
  for (let shift = -MOST_SHIFT; shift <= MOST_SHIFT; shift++) {
    if (shift === 0) continue;
    // Runs of rows i with next[i] === previous[i + shift] (a changed row, moved).
    let start = -1;
    for (let i = 0; i <= count; i++) {
      const source = i + shift;
      const moved = i < count && source >= 0 && source < count && next[i] === previous[source] && next[i] !== previous[i];
      if (moved && start === -1) start = i;
      if (!moved && start !== -1) {
        const rows = i - start;
        if (rows >= MIN_BLOCK && (!best || rows > best.rows)) {
          // The region spans the rows moved and the rows they left (up) or enter from (down).
          const top = shift > 0 ? start : start + shift;
          const bottom = shift > 0 ? i - 1 + shift : i - 1;
          best = { top: Math.max(0, top), bottom: Math.min(count - 1, bottom), shift, rows };
        }
        start = -1;
      }
    }
  }
  return best && { top: best.top, bottom: best.bottom, shift: best.shift };
}
