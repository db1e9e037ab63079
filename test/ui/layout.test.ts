// Pane sizes: never taller than the terminal minus one line, wide and narrow arrangements.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { layoutFor, MIN_COLUMNS, MIN_ROWS } from '../../src/ui/layout.js';
import { columnsFor } from '../../src/ui/listModel.js';

describe('layoutFor', () => {
  for (const [columns, rows] of [[80, 24], [120, 40], [200, 60], [60, 16], [109, 30], [110, 30]] as const) {
    it(`${columns}x${rows}`, () => {
      const layout = layoutFor(columns, rows);
      assert.ok(layout);
      assert.equal(layout.frameHeight, rows - 1);
      assert.equal(layout.wide, columns >= 110);
      assert.equal(layout.compact, rows < 30 && columns < 110, 'short stacked terminals: the list and a summary line');
      if (layout.wide) {
        assert.equal(layout.list.width + layout.side.width, columns);
        assert.equal(layout.detail.height + layout.services.height, layout.list.height);
      } else if (layout.compact) {
        assert.equal(layout.list.height, rows - 4, 'the list takes all but the summary line');
        assert.equal(layout.side.height, rows - 3, 'overlays take the whole body');
      } else {
        assert.equal(layout.list.height + layout.detail.height + layout.services.height, rows - 3);
      }
      if (!layout.compact) assert.ok(layout.detail.height >= 4);
    });
  }
  it('side by side, the list takes what ID, the full NAME, STATUS, H, CHANGED and NODE need, leaving the side 46 columns', () => {
    for (const [name, columns, rows] of [[16, 120, 40], [24, 120, 40], [40, 120, 40], [24, 200, 60]] as const) {
      const layout = layoutFor(columns, rows, name);
      assert.ok(layout?.wide);
      const keys = columnsFor(layout.list.width - 2, name).map((c) => c.key);
      if (layout.list.width < columns - 46) assert.deepEqual(keys.slice(0, 6), ['id', 'name', 'status', 'health', 'changed', 'node'], `${name} at ${columns}`);
      assert.ok(layout.side.width >= 46, `${name} at ${columns}: side ${layout.side.width}`);
    }
    assert.equal(layoutFor(120, 40, 16)?.list.width, 65, 'short names leave the side more room');
  });

  it('is undefined below the minimum', () => {
    assert.equal(layoutFor(MIN_COLUMNS - 1, 40), undefined);
    assert.equal(layoutFor(120, MIN_ROWS - 1), undefined);
  });
});
