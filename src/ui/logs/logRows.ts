// The log view's rows for a state and the feed's lines: which lines are on screen (following,
// paused, filtered), each cut to the width or wrapped, with search matches marked. Colour is
// kept on lines without a match; a matching line is drawn plain with its matches inverse.
import sliceAnsi from 'slice-ansi';
import stringWidth from 'string-width';
import { plainLogText } from '../../store/logText.js';
import { GenerationCache } from '../render/generationCache.js';
import { matcher, shownLines, topIndex, type LogContext, type LogState } from './logState.js';

export interface LogRow {
  /** Text with SGR colour (no other escape), at most the width. */
  text: string;
  /** For a row with matches: its plain text in pieces, the odd ones matched. */
  pieces?: string[];
  /** The line n/N landed on. */
  current?: boolean;
}

/** At most this many display columns of a line are looked at (a wrapped line shows at most
 * that many rows). */
const MOST_COLUMNS = 4096;
const pieceCache = new GenerationCache<string[]>(512);

/** The line cut into rows of `width` columns (one row when not wrapping). */
function rowsOf(text: string, width: number, wrap: boolean): string[] {
  const key = `${width}\u0000${wrap ? 1 : 0}\u0000${text}`;
  const hit = pieceCache.get(key);
  if (hit) return hit;
  // A long line is cut in UTF-16 units first (colour codes included), so nothing measures more
  // than a screenful of it.
  const bounded = text.length > MOST_COLUMNS * 4 ? text.slice(0, MOST_COLUMNS * 4) : text;
  let rows: string[];
  if (!wrap) rows = [sliceAnsi(bounded, 0, width)];
  else {
    const total = Math.min(stringWidth(bounded), MOST_COLUMNS);
    rows = [];
    for (let at = 0; at < Math.max(1, total); at += width) rows.push(sliceAnsi(bounded, at, at + width));
  }
  pieceCache.set(key, rows);
  return rows;
}

/** Splits a plain row around the matches of `needle`. */
function matchPieces(row: string, needle: string, caseSensitive: boolean): string[] | undefined {
  const hay = caseSensitive ? row : row.toLowerCase();
  let at = hay.indexOf(needle);
  if (at === -1) return undefined;
  const pieces: string[] = [];
  let from = 0;
  while (at !== -1) {
    pieces.push(row.slice(from, at), row.slice(at, at + needle.length));
    from = at + needle.length;
    at = hay.indexOf(needle, from);
  }
  pieces.push(row.slice(from));
  return pieces;
}

export function logRows(state: LogState, ctx: LogContext, width: number, page: number): { rows: LogRow[]; first: number | undefined; shownCount: number } {
  const shown = shownLines(state, ctx);
  let at = topIndex(state, shown, page);
  if (state.wrap && state.top === undefined) {
    // Following with wrapped lines: as many of the newest lines as their rows allow.
    let used = 0;
    at = shown.count;
    while (at > 0) {
      const n = shown.at(at - 1) as number;
      const rows = rowsOf(plainLogText(ctx.lines[n - ctx.base] ?? ''), width, true).length;
      if (used + rows > page && used > 0) break;
      used += rows;
      at -= 1;
    }
  }
  const caseSensitive = state.search !== state.search.toLowerCase();
  const needle = caseSensitive ? state.search : state.search.toLowerCase();
  const rows: LogRow[] = [];
  for (let i = at; i < shown.count && rows.length < page; i++) {
    const n = shown.at(i) as number;
    const line = ctx.lines[n - ctx.base] ?? '';
    const current = n === state.match;
    const matched = needle ? matchPieces(plainLogText(line), needle, caseSensitive) : undefined;
    if (matched) {
      for (const piece of rowsOf(plainLogText(line), width, state.wrap)) {
        if (rows.length >= page) break;
        rows.push({ text: piece, pieces: matchPieces(piece, needle, caseSensitive) ?? [piece], current });
      }
      continue;
    }
    for (const piece of rowsOf(line, width, state.wrap)) {
      if (rows.length >= page) break;
      rows.push({ text: piece, current });
    }
  }
  return { rows, first: shown.at(at), shownCount: shown.count };
}

/** How many held lines match the search: counted on from where the last count stopped while
 * the same lines only grew (a full recount when they were trimmed or the search changed). */
let counted = { search: '', base: 0, lines: [] as readonly string[], upTo: 0, count: 0, lastMatched: false };

export function matchCount(state: LogState, ctx: LogContext): number {
  if (!state.search) return 0;
  const test = matcher(state.search);
  if (!test) return 0;
  if (counted.search !== state.search || counted.base !== ctx.base || counted.lines !== ctx.lines || counted.upTo > ctx.lines.length) counted = { search: state.search, base: ctx.base, lines: ctx.lines, upTo: 0, count: 0, lastMatched: false };
  let { upTo, count, lastMatched } = counted;
  // The last line counted may have been unfinished then: count it again.
  if (upTo > 0) {
    upTo -= 1;
    if (lastMatched) count -= 1;
  }
  for (; upTo < ctx.lines.length; upTo++) {
    lastMatched = test(ctx.lines[upTo] as string);
    if (lastMatched) count += 1;
  }
  counted = { ...counted, upTo, count, lastMatched };
  return count;
}
