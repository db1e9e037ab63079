// Ink's incremental renderer walks the cursor over every unchanged row with one "next line"
// (ESC [ E, 3 bytes) each: a frame that changes one row of 40 sends ~120 bytes of walking. A
// run of them is one ESC [ n E, which moves the same way (down n rows, to column 1, never
// scrolling), so a new log line costs the terminal about its own size.
const RUN = /(?:\x1b\[E){2,}/g;

export function compactCursorMoves(text: string): string {
  return text.includes('\x1b[E\x1b[E') ? text.replace(RUN, (run) => `\x1b[${run.length / 3}E`) : text;
}
