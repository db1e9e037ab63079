// What of a task's output may reach the terminal. Applications print colour (SGR: ESC [ … m),
// and that is kept; every other escape (cursor moves, screen clears, OSC titles and links,
// DCS, private modes), C0 and C1 controls, and bidi overrides are dropped, tabs become spaces,
// and a carriage return keeps what was printed after it (progress bars redraw a line that way).
// Invalid UTF-8 was already made U+FFFD by the decoder. Lines longer than MAX_LINE are cut,
// with how much was left out; the raw bytes keep them whole.

/** The longest line kept for the screen, in UTF-16 units. */
export const MAX_LINE = 16 * 1024;

const SGR = /\x1b\[[0-9;:]*m/g;
// CSI (any final byte), OSC and DCS/SOS/PM/APC up to their terminator, other two-byte escapes.
const ESCAPES = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[PX^_][^\x1b]*(?:\x1b\\)?|\x1b[@-Z\\-_]|\x1b/g;
// C0 (but tab, and ESC, handled above), DEL, C1, and the bidi embedding, override and isolate
// controls (a line must read in the order it was written).
const CONTROLS = /[\x00-\x08\x0b-\x1a\x1c-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/g;

/** Anything cleanLogLine would change (most lines have none: they are returned as they are). */
const NEEDS_CLEANING = /[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/;

/** A line of task output (no newline in it) as it may be drawn. */
export function cleanLogLine(line: string): string {
  if (line.length <= MAX_LINE && !NEEDS_CLEANING.test(line)) return line;
  let text = line;
  const cr = text.lastIndexOf('\r');
  if (cr !== -1) text = cr === text.length - 1 ? text.slice(0, -1) : text.slice(cr + 1);
  let cut = 0;
  if (text.length > MAX_LINE) {
    cut = text.length - MAX_LINE;
    text = text.slice(0, MAX_LINE);
  }
  // Keep SGR: swap it out (for NUL, once the real ones are gone), drop the rest, swap it back.
  const kept: string[] = [];
  text = text.replace(/\u0000/g, '').replace(SGR, (sgr) => {
    kept.push(sgr);
    return '\u0000';
  });
  text = text.replace(ESCAPES, '').replace(/\t/g, '    ');
  let at = 0;
  text = text.replace(CONTROLS, (c) => (c === '\u0000' ? kept[at++] ?? '' : ''));
  // Colour must not run past the line.
  if (kept.length) text += '\x1b[0m';
  return cut ? `${text} … (${cut.toLocaleString('en-US')} more characters)` : text;
}

/** The text without its colour: what search matches and widths measure. */
export function plainLogText(text: string): string {
  return text.includes('\x1b') ? text.replace(SGR, '') : text;
}
