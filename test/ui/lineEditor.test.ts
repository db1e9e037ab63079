// Readline keys in every text field: the line editor alone, then through the filter line.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseKeys } from '../../src/ui/input/keys.js';
import { editLine, lineAt, showLine, type LineText } from '../../src/ui/input/lineEditor.js';

/** Types `chunk` into `line`, ignoring keys that are not editing keys. */
const type = (chunk: string, line: LineText = lineAt('')): LineText => parseKeys(chunk).reduce((l, key) => editLine(l, key) ?? l, line);

describe('line editor', () => {
  it('inserts at the cursor; arrows, Home/End and Ctrl-A/E move it', () => {
    assert.deepEqual(type('web'), { text: 'web', cursor: 3 });
    assert.equal(showLine(type('web\x1b[D\x1b[D')), 'w█eb');
    assert.equal(type('web\x01x').text, 'xweb', 'Ctrl-A, then typing');
    assert.equal(type('web\x01\x05!').text, 'web!', 'Ctrl-A, Ctrl-E');
    assert.equal(type('ab\x1b[H1\x1b[F2').text, '1ab2');
  });

  it('Ctrl-W deletes the word before the cursor, Ctrl-U to the start, Ctrl-K to the end; Backspace and Delete', () => {
    assert.equal(type('ClientStatus == "failed"\x17').text, 'ClientStatus == ');
    assert.equal(type('one two  \x17').text, 'one ');
    assert.equal(type('one two\x1b[D\x1b[D\x1b[D\x15').text, 'two');
    assert.equal(type('one two\x01\x1b[C\x1b[C\x1b[C\x0b').text, 'one');
    assert.equal(type('abc\x7f\x7f').text, 'a');
    assert.equal(type('abc\x01\x1b[3~').text, 'bc');
    assert.equal(type('日本語\x1b[D\x7f').text, '日語', 'code points, not code units');
  });

  it('Enter, Esc and Tab are not editing keys', () => {
    for (const chunk of ['\r', '\x1b', '\t']) assert.equal(editLine(lineAt('x'), parseKeys(chunk)[0]!), undefined);
  });
});
