// Pure formatting for the panes: short IDs, relative times, fixed-width cells, and making
// server text safe to print (no escape sequences from the server ever reach the terminal).
import stringWidth from 'string-width';

export const MISSING = '–';

/** The most of one server text kept for display (the widest screen line is far shorter):
 * every width measurement after this is bounded, however long what the agent sent. */
export const MAX_TEXT = 1024;

/** Characters whose width terminals and string-width disagree on, or that move or hide what
 * follows: controls (C0, DEL, C1), format characters (zero-width joiners and spaces, bidi
 * controls, the Arabic letter mark, the BOM, the soft hyphen), line and paragraph separators,
 * variation selectors, Hangul fillers and Thai SARA AM. */
const UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\uFE00-\uFE0F\u115F\u1160\u3164\uFFA0\u0E33]|\uDB40[\uDD00-\uDDEF]/gu;

/** Makes server text safe to print and to measure: tabs and newlines become spaces, every
 * character in UNSAFE becomes �, and the text is cut to MAX_TEXT first. */
export function sanitize(text: unknown): string {
  if (text === null || text === undefined || text === '') return '';
  let value = typeof text === 'string' ? text : String(text);
  if (value.length > MAX_TEXT) value = `${wholeCodePoints(value.slice(0, MAX_TEXT))}…`;
  return value.replace(/[\t\n\r]/g, ' ').replace(UNSAFE, '�');
}

/** Drops a high surrogate left alone at the end by a cut. */
function wholeCodePoints(text: string): string {
  const last = text.charCodeAt(text.length - 1);
  return last >= 0xd800 && last <= 0xdbff ? text.slice(0, -1) : text;
}

/** Server text or the missing-field dash. */
export function show(text: unknown): string {
  const clean = sanitize(text);
  return clean === '' ? MISSING : clean;
}

export function shortId(id: string | null | undefined): string {
  return id ? sanitize(id).slice(0, 8) : MISSING;
}

/** Age of a nanosecond timestamp, like k9s: 45s, 12m, 3h, 5d. */
export function formatAge(timeNs: number | null | undefined, nowMs: number): string {
  if (!timeNs || !Number.isFinite(timeNs)) return MISSING;
  return formatDuration(nowMs - timeNs / 1e6);
}

export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86_400)}d`;
}

/** "2m ago" for an RFC3339 time; – for null, zero (0001-01-01) or unparsable times. */
export function formatSince(rfc3339: string | null | undefined, nowMs: number): string {
  if (!rfc3339 || rfc3339.startsWith('0001-01-01')) return MISSING;
  const at = Date.parse(rfc3339);
  if (!Number.isFinite(at)) return MISSING;
  return `${formatDuration(nowMs - at)} ago`;
}

/** HH:MM:SS of a nanosecond timestamp, local time. */
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** An event's local time, with as much date as it needs to be read right: "09:54:41" today,
 * "Nov 29 09:54:41" this year, "2025-11-29 09:54:41" before (an event from two days ago must not
 * read as this morning's). */
export function formatEventTime(timeNs: number | null | undefined, nowMs: number): string {
  const clock = formatClock(timeNs);
  if (!timeNs || !Number.isFinite(timeNs)) return clock;
  const date = new Date(timeNs / 1e6);
  const now = new Date(nowMs);
  if (date.getFullYear() !== now.getFullYear()) return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')} ${clock}`;
  if (date.getMonth() === now.getMonth() && date.getDate() === now.getDate()) return clock;
  return `${MONTHS[date.getMonth()]} ${String(date.getDate()).padStart(2, ' ')} ${clock}`;
}

export function formatClock(timeNs: number | null | undefined): string {
  if (!timeNs || !Number.isFinite(timeNs)) return '--:--:--';
  const date = new Date(timeNs / 1e6);
  return [date.getHours(), date.getMinutes(), date.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}

/** At most what `width` columns can show (two code units a column, and some slack): string-width
 * is slow on long non-ASCII text, so nothing longer is ever measured. */
function bounded(text: string, width: number): string {
  const most = width * 2 + 16;
  return text.length > most ? wholeCodePoints(text.slice(0, most)) : text;
}

/** Cuts or pads to exactly `width` terminal columns (wide characters counted as two). */
export function fit(full: string, width: number): string {
  if (width <= 0) return '';
  const clipped = clip(full, width);
  const w = stringWidth(clipped);
  return w < width ? clipped + ' '.repeat(width - w) : clipped;
}

/** Cuts to at most `width` columns without padding: Ink has less text to measure and draw. */
export function clip(full: string, width: number): string {
  if (width <= 0) return '';
  const text = bounded(full, width);
  const w = stringWidth(text);
  // Shorter than the width only because the rest was never measured: still cut, visibly.
  if (text.length < full.length) return w < width ? `${text}…` : cut(text, width);
  return w <= width ? text : cut(text, width);
}

function cut(text: string, width: number): string {
  if (/^[\x20-\x7e]*$/.test(text)) return `${text.slice(0, width - 1)}…`;
  let out = '';
  let used = 0;
  for (const ch of text) {
    const cw = stringWidth(ch);
    if (used + cw > width - 1) break;
    out += ch;
    used += cw;
  }
  return out + '…' + ' '.repeat(Math.max(0, width - used - 1));
}

/** Breaks (sanitized, bounded) text into lines of at most `width` columns, at spaces where it
 * can, mid-word where a word is wider than a line. */
export function wrap(text: string, width: number): string[] {
  if (width <= 0) return [];
  const lines: string[] = [];
  let line = '';
  let used = 0;
  let lastSpace = -1;
  for (const ch of text) {
    const cw = stringWidth(ch);
    if (used + cw > width && ch === ' ') {
      lines.push(line.trimEnd());
      line = '';
      used = 0;
      lastSpace = -1;
      continue;
    }
    if (used + cw > width) {
      if (lastSpace > 0) {
        lines.push(line.slice(0, lastSpace).trimEnd());
        line = line.slice(lastSpace + 1);
      } else {
        lines.push(line);
        line = '';
      }
      used = stringWidth(line);
      lastSpace = -1;
    }
    if (ch === ' ') lastSpace = line.length;
    line += ch;
    used += cw;
  }
  if (line !== '' || lines.length === 0) lines.push(line);
  return lines;
}

export function plural(count: number, word: string): string {
  return `${count.toLocaleString('en-US')} ${word}${count === 1 ? '' : 's'}`;
}
