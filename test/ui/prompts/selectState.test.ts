// The select list reducer: Cancel (index 0) highlighted first; keys of one read applied in
// order, so Enter acts on what the keys before it highlighted.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseKeys } from '../../../src/ui/input/keys.js';
import { reduceSelect, START, type SelectState } from '../../../src/ui/prompts/selectState.js';

const press = (chunk: string, count = 3, state: SelectState = START, busy = false): SelectState => parseKeys(chunk).reduce((s, key) => reduceSelect(s, key, count, busy), state);

describe('reduceSelect', () => {
  const cases: [string, SelectState['outcome'], number][] = [
    ['\r', 'chosen', 0],
    ['\x1b[B\r', 'chosen', 1],
    ['\x1b[B\x1b[B\r', 'chosen', 2],
    ['\x1b[B\x1b[A\r', 'chosen', 0],
    ['jjjjj\r', 'chosen', 2],
    ['\x1b', 'cancelled', 0],
    ['\x1b[B\x1b', 'cancelled', 1],
    ['q', 'cancelled', 0],
    ['\x1b[B', 'choosing', 1],
    ['G\r', 'chosen', 2],
    ['Gg\r', 'chosen', 0],
  ];
  for (const [chunk, outcome, highlight] of cases) {
    it(`${JSON.stringify(chunk)} → ${outcome} ${highlight}`, () => assert.deepEqual(press(chunk), { outcome, highlight }));
  }
  it('Up+Enter in one read from a destructive option lands on the option moved to', () => {
    const onStop = press('\x1b[B');
    assert.deepEqual(press('\x1b[A\r', 3, onStop), { outcome: 'chosen', highlight: 0 });
  });
  it('nothing happens after a choice, or while busy', () => {
    const chosen = press('\x1b[B\r');
    assert.deepEqual(press('\x1b[B\r', 3, chosen), chosen);
    assert.deepEqual(press('\x1b[B\r', 3, START, true), START);
  });
});
