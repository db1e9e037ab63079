// Runs of ESC [ E (next line) become one ESC [ n E; nothing else changes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compactCursorMoves } from '../../../src/ui/render/compactCursor.js';

describe('compactCursorMoves', () => {
  it('joins runs of next-line moves and leaves the rest alone', () => {
    assert.equal(compactCursorMoves('\x1b[39A' + '\x1b[E'.repeat(34) + '\x1b[1Gtext\x1b[K\r\n' + '\x1b[E'.repeat(4)), '\x1b[39A\x1b[34E\x1b[1Gtext\x1b[K\r\n\x1b[4E');
    assert.equal(compactCursorMoves('a\x1b[Eb'), 'a\x1b[Eb', 'a single one stays');
    assert.equal(compactCursorMoves('plain text'), 'plain text');
    assert.equal(compactCursorMoves('\x1b[E[E\x1b[E\x1b[E'), '\x1b[E[E\x1b[2E');
  });
});
