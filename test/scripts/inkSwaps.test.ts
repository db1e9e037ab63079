// What the bundle changes in Ink (scripts/ink-swaps.mjs): the shipped bundle holds our output
// stage instead of Ink's and the incremental renderer's cursor fix; and that renderer, as
// bundled, brings the cursor back to the frame's top row before every frame (ink 6.8.0 alone
// stops one row short: the first row of each frame is drawn on the second).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { bundledLogUpdate } from '../helpers/inkBundle.js';

/** The row the cursor is on after `text`, from row `row`, for the moves log-update writes. */
function cursorRow(text: string, row: number): number {
  for (const m of text.matchAll(/\x1b\[(\d*)([AE])|\n/g)) {
    if (m[0] === '\n') row += 1;
    else if (m[2] === 'A') row = Math.max(0, row - Number(m[1] || 1));
    else row += Number(m[1] || 1);
  }
  return row;
}

describe('Ink as bundled', () => {
  it('dist/alloctop.mjs holds src/ui/render/output.ts, not Ink\'s output.js, and the renderer\'s cursor fix', () => {
    const bundle = readFileSync(new URL('../../dist/alloctop.mjs', import.meta.url), 'utf8');
    assert.match(bundle, /^\/\/ src\/ui\/render\/output\.ts$/m);
    // esbuild names each module by its path from here (node_modules may be a link elsewhere).
    assert.doesNotMatch(bundle, /^\/\/ (?:\S*\/)?node_modules\/ink\/build\/output\.js$/m);
    assert.match(bundle, /^\/\/ (?:\S*\/)?node_modules\/ink\/build\/log-update\.js$/m);
    assert.ok(bundle.includes('cursorUp(previousLines.length - 1)'), 'the fix is in');
    assert.ok(!bundle.includes('cursorUp(previousVisible - 1)'), 'the bug is out');
  });

  it('the incremental renderer starts every frame on the top row', async () => {
    const logUpdate = await bundledLogUpdate();
    let written = '';
    const log = logUpdate.create({ write: (chunk: string) => ((written += chunk), true) }, { incremental: true });
    let row = 0;
    const frames = ['a\nb\nc\n', 'a\nB\nc\n', 'A\nB\nc\nd\n', 'A\nB\n', 'x\ny\nz\n'];
    for (const frame of frames) {
      written = '';
      log(frame);
      const up = /^(?:\x1b\[2K\x1b\[1A)*(?:\x1b\[2K\x1b\[G)?\x1b\[(\d+)A/.exec(written);
      if (up) {
        // Erased rows first (a shorter frame) move the cursor up too; the frame starts after.
        const top = cursorRow(written.slice(0, up[0].length), row);
        assert.equal(top, 0, `${JSON.stringify(frame)} starts on the top row: ${JSON.stringify(written)}`);
      }
      row = cursorRow(written, row);
      assert.equal(row, frame.split('\n').length - 1, `after ${JSON.stringify(frame)}, on the row below it`);
    }
  });
});
