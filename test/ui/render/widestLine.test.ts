// The remembering widest-line the bundle gives Ink answers exactly as widest-line does, for
// plain, styled, wide and multi-line text, asked once or again.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import original from 'widest-line';
import { lineWidth, widestLine } from '../../../src/ui/render/widestLine.js';

const samples = ['', 'plain', '\x1b[31mred\x1b[39m text', '漢字とかな', 'a🙂b', 'one\ntwo lines\nthree', 'x\n', '\n\n', 'é\u0301 combining', `${'─'.repeat(118)}│`];

describe('widestLine', () => {
  it('answers as widest-line 5, the first time and from its cache', () => {
    for (let pass = 0; pass < 2; pass++) {
      for (const text of samples) assert.equal(widestLine(text), original(text), JSON.stringify(text));
    }
    assert.equal(lineWidth('漢字'), 4);
  });

  it('stays right past its cache size (old answers are forgotten, not wrong)', () => {
    for (let i = 0; i < 10_000; i++) assert.equal(widestLine(`row ${i} ${'·'.repeat(i % 50)}`), original(`row ${i} ${'·'.repeat(i % 50)}`));
    for (const text of samples) assert.equal(widestLine(text), original(text));
  });
});
