// Pane sizes: never taller than the terminal minus one line, wide and narrow arrangements.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { layoutFor, MIN_COLUMNS, MIN_ROWS } from '../../src/ui/layout.js';

describe('layoutFor', () => {
  for (const [columns, rows] of [[80, 24], [120, 40], [200, 60], [60, 16], [109, 30], [110, 30]] as const) {
    it(`${columns}x${rows}`, () => {
      const layout = layoutFor(columns, rows);
      assert.ok(layout);
      assert.equal(layout.frameHeight, rows - 1);
      assert.equal(layout.wide, columns >= 110);
      if (layout.wide) {
        assert.equal(layout.list.width + layout.side.width, columns);
        assert.equal(layout.detail.height + layout.services.height, layout.list.height);
      } else {
        assert.equal(layout.list.height + layout.detail.height + layout.services.height, rows - 3);
      }
      assert.ok(layout.detail.height >= 4);
    });
  }
  it('is undefined below the minimum', () => {
    assert.equal(layoutFor(MIN_COLUMNS - 1, 40), undefined);
    assert.equal(layoutFor(120, MIN_ROWS - 1), undefined);
  });
});
