// A drop-in for Ink 6.8's internal Output class (ink/build/output.js) that gives the same
// frame string while skipping the work for screen rows that did not change.
//
// Why: Ink builds every frame from scratch. Output.get() makes a grid of one object per
// cell, tokenizes every written line character by character (with a string-width call per
// character), then turns the grid back into strings. At 120x40 that is 12-25 ms per frame on
// a 2-core machine (CPU profile, bench/), whatever changed — a key press moves two list rows.
// Here each row's writes (position + final text) form a key; a row whose key was seen in the
// last frames reuses its string, and a line's styled characters are tokenized once.
//
// scripts/bundle.mjs swaps this in for Ink's module in the bundle when ink is exactly the
// version it was written against; test/ui/render/output.test.ts checks it gives Ink's bytes.
import sliceAnsi from 'slice-ansi';
import stringWidth from 'string-width';
import { GenerationCache } from './generationCache.js';
import { lineWidth, widestLine } from './widestLine.js';
import { styledCharsFromTokens, styledCharsToString, tokenize, type StyledChar } from '@alcalzone/ansi-tokenize';

type Transformer = (line: string, index: number) => string;
type Clip = { x1: number | undefined; x2: number | undefined; y1: number | undefined; y2: number | undefined };
type Operation = { type: 'write'; x: number; y: number; text: string; transformers: Transformer[] } | { type: 'clip'; clip: Clip } | { type: 'unclip' };

type Glyphs = { chars: StyledChar[]; widths: number[] };

// A frame has about 40 rows and 100 written lines. Rows are short strings, so many frames'
// worth are kept. A line's glyphs are objects per character with their own style arrays:
// ~40 KB for a 120-column line (measured), so only about the last two frames' lines are.
const rowCache = new GenerationCache<string>(2048);
const glyphCache = new GenerationCache<Glyphs>(128);
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

function glyphsOf(line: string): Glyphs {
  let glyphs = glyphCache.get(line);
  if (glyphs === undefined) {
    const chars = styledCharsFromTokens(tokenize(line));
    glyphs = { chars, widths: chars.map((c) => Math.max(1, stringWidth(c.value))) };
    glyphCache.set(line, glyphs);
  }
  return glyphs;
}

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
  const cells: StyledChar[] = [];
  for (let x = 0; x < width; x++) cells.push({ type: 'char', value: ' ', fullWidth: false, styles: [] });
  for (let i = 0; i < writes.length; i += 2) {
    const { chars, widths } = glyphsOf(writes[i + 1] as string);
    let offsetX = writes[i] as number;
    for (let c = 0; c < chars.length; c++) {
      const character = chars[c]!;
      const characterWidth = widths[c]!;
      cells[offsetX] = character;
      for (let k = 1; k < characterWidth; k++) cells[offsetX + k] = { type: 'char', value: '', fullWidth: false, styles: character.styles };
      offsetX += characterWidth;
    }
  }
  return styledCharsToString(cells.filter((cell) => cell !== undefined)).trimEnd();
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
