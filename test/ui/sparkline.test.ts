// Sparklines: known samples to known block characters, newest on the right, gaps as spaces.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sparkline } from '../../src/ui/sparkline.js';

describe('sparkline', () => {
  const cases: [string, (number | undefined)[], number, number, string][] = [
    ['eight levels up to the max', [1, 2, 3, 4, 5, 6, 7, 8], 8, 8, '▁▂▃▄▅▆▇█'],
    ['zero is the lowest block, above the max is full', [0, 4, 16], 3, 8, '▁▄█'],
    ['fewer samples than room: padded on the left', [8, 8], 5, 8, '   ██'],
    ['more samples than room: the newest kept', [1, 1, 1, 8, 8], 2, 8, '██'],
    ['a gap (not measured) is a space', [4, undefined, 4], 3, 8, '▄ ▄'],
    ['no max: scaled to the largest', [1, 2], 2, 0, '▄█'],
    ['nothing at all', [], 3, 10, '   '],
  ];
  for (const [name, values, width, max, out] of cases) it(name, () => assert.equal(sparkline(values, width, max), out));
});
