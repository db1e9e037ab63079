// ~. at the start of a line ends an exec session, as helper/escapingio does for nomad alloc
// exec (and ssh): ~~ sends one ~, ~ before anything else goes as typed.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EscapeHatch } from '../../src/cli/escapeHatch.js';

function feed(...chunks: string[]): { sent: string; hatch: boolean } {
  const hatch = new EscapeHatch();
  let sent = '';
  for (const chunk of chunks) {
    const out = hatch.feed(chunk);
    sent += out.send;
    if (out.hatch) return { sent, hatch: true };
  }
  return { sent, hatch: false };
}

describe('escape hatch', () => {
  const cases: [string, string[], string, boolean][] = [
    ['~. first thing', ['~.'], '', true],
    ['~. after Enter, split across reads', ['sleep 9\r', '~', '.'], 'sleep 9\r', true],
    ['~. after a newline', ['a\n~.rest'], 'a\n', true],
    ['~ in the middle of a line is typed', ['echo a~.b\r'], 'echo a~.b\r', false],
    ['~~ sends one ~', ['~~.'], '~.', false],
    ['~ then another key sends both', ['~x'], '~x', false],
    ['~ then Enter sends both, and the next line starts', ['~\r~.'], '~\r', true],
    ['a held ~ waits for the next key', ['~'], '', false],
    ['multi-byte text passes whole', ['→ ✓\r'], '→ ✓\r', false],
  ];
  for (const [name, chunks, sent, hatch] of cases) {
    it(name, () => assert.deepEqual(feed(...chunks), { sent, hatch }));
  }
});
