// Pure formatting for the panes: short IDs, relative times, fixed-width cells, and making
// server text safe to print (no escape sequences from the server ever reach the terminal).
import stringWidth from 'string-width';

export const MISSING = '–';

/** Replaces control characters (C0, DEL, C1) so server data cannot move the cursor or
 * change colours, and bidi controls so it cannot reorder what the terminal shows; tabs and
 * newlines become spaces. */
export function sanitize(text: unknown): string {
  if (text === null || text === undefined || text === '') return '';
  const value = typeof text === 'string' ? text : String(text);
  // eslint-disable-next-line no-control-regex
  return value.replace(/[\t\n\r]/g, ' ').replace(/[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '�');
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
export function formatClock(timeNs: number | null | undefined): string {
  if (!timeNs || !Number.isFinite(timeNs)) return '--:--:--';
  const date = new Date(timeNs / 1e6);
  return [date.getHours(), date.getMinutes(), date.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}

/** Cuts or pads to exactly `width` terminal columns (wide characters counted as two). */
export function fit(text: string, width: number): string {
  if (width <= 0) return '';
  const w = stringWidth(text);
  if (w <= width) return text + ' '.repeat(width - w);
  return cut(text, width, w);
}

/** Cuts to at most `width` columns without padding: Ink has less text to measure and draw. */
export function clip(text: string, width: number): string {
  if (width <= 0) return '';
  const w = stringWidth(text);
  return w <= width ? text : cut(text, width, w);
}

function cut(text: string, width: number, w: number): string {
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

export function plural(count: number, word: string): string {
  return `${count.toLocaleString('en-US')} ${word}${count === 1 ? '' : 's'}`;
}
