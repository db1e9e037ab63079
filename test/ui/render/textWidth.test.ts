// textWidth answers as string-width 8 does, for every string: the characters it measures one at
// a time are each a grapheme of their own (checked for every one of them), and random strings
// on both sides of that set, with and without escape codes and options, get the same widths.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import stringWidth from 'string-width';
import textWidth, { GRAPHEME_CHARS } from '../../../src/ui/render/textWidth.js';
import { Prng } from '../../../src/sim/prng.js';

const SIMPLE_CHAR = new RegExp(`^[${GRAPHEME_CHARS}]$`);
const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

describe('textWidth', () => {
  it('measures a character at a time only characters that are graphemes of their own, each at least a column wide', () => {
    let checked = 0;
    for (let code = 0; code <= 0xffff; code++) {
      const char = String.fromCharCode(code);
      if (!SIMPLE_CHAR.test(char)) continue;
      checked += 1;
      // Between letters, doubled, and beside an escape: never joined to a neighbour.
      const segments = [...segmenter.segment(`a${char}${char}b\x1b`)].map((s) => s.segment);
      assert.deepEqual(segments, ['a', char, char, 'b', '\x1b'], `U+${code.toString(16)}`);
      assert.ok(stringWidth(char) >= 1, `U+${code.toString(16)} is ${stringWidth(char)} columns`);
    }
    assert.equal(checked, 3685, 'the ranges as written');
  });

  it('gives string-width\'s width for random strings, with and without escape codes and options', () => {
    const pieces = ['running', '│', '─', '…', '●', '✓', '✖', '↑', '↻', '███▂', 'é', 'ß', '日本', '🚀', '✅', '⚠', '\uFE0F', '\u200D', 'a\u0301', '\u0300', '\u00ad', '\u02ff', '\u0370', '\u2028', '\u205f', '\u20d0', '\u2bff', '\u2c00', '\u1100\u1161', '\ud83d', '\t', '\x07', '\x1b[31m', '\x1b[39m', '\x1b[1;31m', '\x1b[m', '\x1b[38;5;208m', '\x1b[12345m', '\x1b[;m', '\x1b]8;;http://x\x07', '\x1b', '\x9b31m', ' '];
    const generator = new Prng(20);
    const random = (): number => generator.next();
    for (let i = 0; i < 20_000; i++) {
      let text = '';
      const count = Math.floor(random() * 8);
      for (let p = 0; p < count; p++) text += pieces[Math.floor(random() * pieces.length)];
      assert.equal(textWidth(text), stringWidth(text), JSON.stringify(text));
      // Asked twice: the remembered answers are the same.
      assert.equal(textWidth(text), stringWidth(text), JSON.stringify(text));
      const options = { ambiguousIsNarrow: random() < 0.5, countAnsiEscapeCodes: random() < 0.5 };
      assert.equal(textWidth(text, options), stringWidth(text, options), `${JSON.stringify(text)} ${JSON.stringify(options)}`);
    }
  });
});
