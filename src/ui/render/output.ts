// A drop-in for Ink 6.8's internal Output class (ink/build/output.js) that gives the same
// frame string while skipping the work for screen rows that did not change.
//
// Why: Ink builds every frame from scratch. Output.get() makes a grid of one object per
// cell, tokenizes every written line character by character (with a string-width call per
// character), then turns the grid back into strings. At 120x40 that is 12-25 ms per frame on
// a 2-core machine (CPU profile, bench/), whatever changed — a key press moves two list rows.
// Here each row's writes (position + final text) form a key; a row whose key was seen in the
// last frames reuses its string, and a line's styled characters are tokenized once — without
// a grapheme segmenter or an object per character when the line allows (SIMPLE_LINE).
//
// scripts/bundle.mjs swaps this in for Ink's module in the bundle when ink is exactly the
// version it was written against; test/ui/render/output.test.ts checks it gives Ink's bytes.
import sliceAnsi from 'slice-ansi';
import stringWidth from 'string-width';
import { GenerationCache } from './generationCache.js';
import { GRAPHEME_CHARS } from './textWidth.js';
import { lineWidth, widestLine } from './widestLine.js';
import { ansiCodesToString, diffAnsiCodes, reduceAnsiCodesIncremental, tokenize, type AnsiCode } from '@alcalzone/ansi-tokenize';

type Transformer = (line: string, index: number) => string;
type Clip = { x1: number | undefined; x2: number | undefined; y1: number | undefined; y2: number | undefined };
type Operation = { type: 'write'; x: number; y: number; text: string; transformers: Transformer[] } | { type: 'clip'; clip: Clip } | { type: 'unclip' };

/** A line as Ink's grid takes it: one entry per grapheme, its text, columns and styles (the
 * graphemes between two escape codes share one styles array). */
type Glyphs = { values: string[]; widths: number[]; styles: AnsiCode[][] };

// A frame has about 40 rows and 100 written lines. Rows are short strings, so many frames'
// worth are kept. A line's glyphs are three arrays of a pointer per character (~3 KB for a
// 120-column line), so about the last five frames' lines are.
const rowCache = new GenerationCache<string>(2048);
const glyphCache = new GenerationCache<Glyphs>(512);
// Clipping slices every line of a clipped box on every frame, and slice-ansi 8 segments each
// line into graphemes to do it (most of what is left of a frame's cost, bench/output-stage.mjs):
// the same lines are clipped the same way frame after frame.
const clipCache = new GenerationCache<string>(2048);

function clipLine(line: string, from: number, to: number): string {
  const key = `${from}:${to}:${line}`;
  let clipped = clipCache.get(key);
  if (clipped === undefined) {
    clipped = sliceAnsi(line, from, to);
    clipCache.set(key, clipped);
  }
  return clipped;
}

// A character's columns, as Ink measures it (string-width, at least 1): a few hundred different
// characters fill a screen, each measured over and over.
const widthCache = new GenerationCache<number>(4096);

function widthOf(value: string): number {
  let width = widthCache.get(value);
  if (width === undefined) {
    width = Math.max(1, stringWidth(value));
    widthCache.set(value, width);
  }
  return width;
}

// A line of only SGR codes and characters that are each a grapheme of their own
// (textWidth.ts GRAPHEME_CHARS): read a code unit at a time, no grapheme segmenter, no token
// objects. Anything else goes the way ansi-tokenize does it.
const SIMPLE_LINE = new RegExp(`^(?:[${GRAPHEME_CHARS}]|\\x1b\\[[0-9;]*m)*$`);
/** An SGR sequence's codes as tokenize gives them (a compound one split). */
const sgrCache = new GenerationCache<AnsiCode[]>(512);

function sgrCodes(sequence: string): AnsiCode[] {
  let codes = sgrCache.get(sequence);
  if (codes === undefined) {
    codes = tokenize(sequence).filter((token): token is AnsiCode => token.type === 'ansi');
    sgrCache.set(sequence, codes);
  }
  return codes;
}

/** ansi-tokenize's tokenize and styledCharsFromTokens, as parallel arrays. */
function glyphsFrom(line: string): Glyphs {
  const glyphs: Glyphs = { values: [], widths: [], styles: [] };
  let codes: AnsiCode[] = [];
  let styles: AnsiCode[] = [];
  const apply = (tokens: readonly AnsiCode[]): void => {
    for (const token of tokens) codes = reduceAnsiCodesIncremental(codes, [token]);
    styles = [...codes];
  };
  const add = (value: string): void => {
    glyphs.values.push(value);
    glyphs.widths.push(widthOf(value));
    glyphs.styles.push(styles);
  };
  if (SIMPLE_LINE.test(line)) {
    for (let i = 0; i < line.length; i++) {
      if (line.charCodeAt(i) !== 0x1b) {
        add(line[i] as string);
        continue;
      }
      const end = line.indexOf('m', i);
      apply(sgrCodes(line.slice(i, end + 1)));
      i = end;
    }
    return glyphs;
  }
  let pending: AnsiCode[] = [];
  for (const token of tokenize(line)) {
    if (token.type === 'ansi') {
      pending.push(token);
      continue;
    }
    if (pending.length) {
      apply(pending);
      pending = [];
    }
    add(token.value);
  }
  return glyphs;
}

function glyphsOf(line: string): Glyphs {
  let glyphs = glyphCache.get(line);
  if (glyphs === undefined) {
    glyphs = glyphsFrom(line);
    glyphCache.set(line, glyphs);
  }
  return glyphs;
}

/** ansi-tokenize's styledCharsToString over a row's cells, giving the same string: the escape
 * codes between two cells are worked out only where their styles differ (the same array, or
 * both unstyled, need none — what diffAnsiCodes finds, after sets and filters, for every cell). */
function cellsToString(values: readonly string[], styles: readonly AnsiCode[][]): string {
  let out = '';
  let previous: AnsiCode[] = [];
  let first = true;
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    // A hole: a write past the width that left cells between; Ink's grid drops them.
    if (value === undefined) continue;
    const style = styles[i] as AnsiCode[];
    if (first) out += ansiCodesToString(style);
    else if (style !== previous && (style.length > 0 || previous.length > 0)) out += ansiCodesToString(diffAnsiCodes(previous, style));
    first = false;
    out += value;
    previous = style;
  }
  if (previous.length > 0) out += ansiCodesToString(diffAnsiCodes(previous, []));
  return out;
}

const UNSTYLED: AnsiCode[] = [];

const PLAIN = /^[\x20-\x7e]*$/;

/** One row from its writes (x, text pairs in write order), exactly as Ink's grid does it. */
function renderRow(width: number, writes: Array<number | string>): string {
  // Printable ASCII with no style (most log lines, most rows): one column a character, so the
  // grid is just characters laid over spaces — no tokenizing.
  let plain = true;
  for (let i = 1; i < writes.length && plain; i += 2) plain = PLAIN.test(writes[i] as string);
  if (plain) {
    // As Ink's grid: a write past the width extends the row, and holes left by one are dropped.
    const chars: string[] = new Array<string>(width).fill(' ');
    for (let i = 0; i < writes.length; i += 2) {
      const text = writes[i + 1] as string;
      const x = writes[i] as number;
      for (let c = 0; c < text.length; c++) chars[x + c] = text[c] as string;
    }
    return chars.filter((char) => char !== undefined).join('').trimEnd();
  }
  // The grid's cells as two arrays (text, styles): a wide character's second column is ''.
  const values = new Array<string>(width).fill(' ');
  const styles = new Array<AnsiCode[]>(width).fill(UNSTYLED);
  for (let i = 0; i < writes.length; i += 2) {
    const glyphs = glyphsOf(writes[i + 1] as string);
    let x = writes[i] as number;
    for (let c = 0; c < glyphs.values.length; c++) {
      const style = glyphs.styles[c] as AnsiCode[];
      const columns = glyphs.widths[c] as number;
      values[x] = glyphs.values[c] as string;
      styles[x] = style;
      for (let k = 1; k < columns; k++) {
        values[x + k] = '';
        styles[x + k] = style;
      }
      x += columns;
    }
  }
  return cellsToString(values, styles).trimEnd();
}

export default class Output {
  width: number;
  height: number;
  private readonly operations: Operation[] = [];

  constructor(options: { width: number; height: number }) {
    this.width = options.width;
    this.height = options.height;
  }

  write(x: number, y: number, text: string, options: { transformers: Transformer[] }): void {
    if (!text) return;
    this.operations.push({ type: 'write', x, y, text, transformers: options.transformers });
  }

  clip(clip: Clip): void {
    this.operations.push({ type: 'clip', clip });
  }

  unclip(): void {
    this.operations.push({ type: 'unclip' });
  }

  get(): { output: string; height: number } {
    // Per row: the writes that land on it, as flat [x, text, x, text, …], in write order.
    const rows: Array<Array<number | string>> = [];
    for (let y = 0; y < this.height; y++) rows.push([]);
    const clips: Clip[] = [];
    for (const operation of this.operations) {
      if (operation.type === 'clip') clips.push(operation.clip);
      if (operation.type === 'unclip') clips.pop();
      if (operation.type !== 'write') continue;
      // From here to the transformers: Ink's clipping, unchanged.
      const { text, transformers } = operation;
      let { x, y } = operation;
      let lines = text.split('\n');
      const clip = clips.at(-1);
      if (clip) {
        const clipHorizontally = typeof clip.x1 === 'number' && typeof clip.x2 === 'number';
        const clipVertically = typeof clip.y1 === 'number' && typeof clip.y2 === 'number';
        if (clipHorizontally) {
          const width = widestLine(text);
          if (x + width < clip.x1! || x > clip.x2!) continue;
        }
        if (clipVertically) {
          const height = lines.length;
          if (y + height < clip.y1! || y > clip.y2!) continue;
        }
        if (clipHorizontally) {
          lines = lines.map((line) => {
            const from = x < clip.x1! ? clip.x1! - x : 0;
            const width = lineWidth(line);
            const to = x + width > clip.x2! ? clip.x2! - x : width;
            return clipLine(line, from, to);
          });
          if (x < clip.x1!) x = clip.x1!;
        }
        if (clipVertically) {
          const from = y < clip.y1! ? clip.y1! - y : 0;
          const height = lines.length;
          const to = y + height > clip.y2! ? clip.y2! - y : height;
          lines = lines.slice(from, to);
          if (y < clip.y1!) y = clip.y1!;
        }
      }
      let offsetY = 0;
      // eslint-disable-next-line prefer-const -- line for line as Ink's output.js, whose loop reassigns `line`
      for (let [index, line] of lines.entries()) {
        const row = rows[y + offsetY];
        // Ink skips a missing row without moving on to the next one; so do we.
        if (!row) continue;
        for (const transformer of transformers) line = transformer(line, index);
        row.push(x, line);
        offsetY++;
      }
    }
    const output: string[] = [];
    for (const writes of rows) {
      // Each write as x, its text's length, then the text: no two different rows share a key,
      // whatever the texts hold (separators alone let "A\0" + "5\1B" alias another row).
      let key = String(this.width);
      for (let i = 0; i < writes.length; i += 2) key += `|${writes[i]}:${(writes[i + 1] as string).length}:${writes[i + 1]}`;
      let row = rowCache.get(key);
      if (row === undefined) {
        row = renderRow(this.width, writes);
        rowCache.set(key, row);
      }
      output.push(row);
    }
    return { output: output.join('\n'), height: rows.length };
  }
}
