// string-width 8's answers, quicker for the text a console draws. string-width segments every
// non-ASCII string into graphemes and tests each against Unicode property regexes; a frame of
// this console is full of '│', '…', '●', '✓' and '↑', so that is most of what is left of a
// frame's text measuring (a CPU profile at 10,000 allocations, 50 changes a second: 460 of
// ~3,300 busy ms in 45 s). A string of characters that are each a grapheme of their own (and
// SGR codes, which string-width strips) is measured a character at a time, each character's
// width remembered; anything else, and any call with options, goes to string-width itself.
// scripts/bundle.mjs gives this module to every importer of 'string-width' in the bundle (Ink,
// wrap-ansi, cli-truncate, ours); test/ui/render/textWidth.test.ts checks it answers the same.
import stringWidth from 'string-width';
import { GenerationCache } from './generationCache.js';

/** Characters that are each a grapheme of their own: no combining mark, joiner, variation
 * selector, surrogate, control, format character or Hangul jamo is among them, so none joins a
 * neighbour or is joined by one. ASCII, Latin-1 and Latin Extended, spacing modifiers, general
 * punctuation, super/subscripts and currency, letterlike symbols through arrows, box drawing,
 * blocks, shapes, symbols and dingbats. As the body of a regex character class. */
export const GRAPHEME_CHARS = '\\x20-\\x7e\\u00a0-\\u00ac\\u00ae-\\u02ff\\u2010-\\u2027\\u2030-\\u205e\\u2070-\\u20cf\\u2100-\\u2bff';
/** An SGR escape sequence that strip-ansi takes out whole, kept to parameters of at most four
 * digits as ansi-regex spells them (longer ones are left to string-width). */
const SGR = '\\x1b\\[(?:\\d{1,4}(?:;\\d{0,4})*)?m';

const SIMPLE = new RegExp(`^(?:[${GRAPHEME_CHARS}]|${SGR})*$`);
const SGR_ALL = new RegExp(SGR, 'g');
/** Short strings (single graphemes, mostly) and their widths. */
const known = new GenerationCache<number>(4096);

function measured(text: string): number {
  let width = known.get(text);
  if (width === undefined) {
    width = stringWidth(text);
    known.set(text, width);
  }
  return width;
}

export default function textWidth(text: string, options?: Parameters<typeof stringWidth>[1]): number {
  if (options !== undefined || typeof text !== 'string') return stringWidth(text, options);
  if (!SIMPLE.test(text)) return text.length <= 16 ? measured(text) : stringWidth(text);
  const visible = text.includes('\x1b') ? text.replace(SGR_ALL, '') : text;
  let width = 0;
  for (let i = 0; i < visible.length; i++) width += visible.charCodeAt(i) < 0x7f ? 1 : measured(visible[i] as string);
  return width;
}
