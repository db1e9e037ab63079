// widest-line with its answers remembered. Ink measures the width of every text it draws on
// every frame (render-node-to-output, measure-text, the output stage's clipping), and
// string-width is the largest cost of a frame once the list changes often (a CPU profile of
// bench/bulk.mjs: 370 of 1,600 busy ms). The texts of one frame are mostly last frame's, so a
// bounded cache answers nearly all of them. The bundle (scripts/bundle.mjs) gives Ink this
// module for 'widest-line'; it answers exactly as widest-line 5 does.
import stringWidth from 'string-width';
import { GenerationCache } from './generationCache.js';

const widths = new GenerationCache<number>(4096);

/** The display width of one line (no newline in it). */
export function lineWidth(line: string): number {
  let width = widths.get(line);
  if (width === undefined) {
    width = stringWidth(line);
    widths.set(line, width);
  }
  return width;
}

/** The width of the widest line of `text`. */
export function widestLine(text: string): number {
  if (!text.includes('\n')) return lineWidth(text);
  let widest = 0;
  for (const line of text.split('\n')) widest = Math.max(widest, lineWidth(line));
  return widest;
}

export default widestLine;
