// What must be visible at the sizes bastion terminals have, from 60x16 to 250x70: the real
// console in tmux, resized through each. At every size the frame is at most rows - 1 lines,
// no line is wider than the terminal, the top line starts with the connection state and the
// footer keeps "? help" and "q quit".
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import stringWidth from 'string-width';
import { killTmuxServer, startConsole, type Terminal } from '../helpers/tmux.js';
import { startSim } from '../helpers/sim.js';

after(killTmuxServer);

async function at(term: Terminal, columns: number, rows: number, check: (screen: string) => boolean): Promise<string> {
  term.resize(columns, rows);
  const screen = await term.waitFor((s) => {
    const lines = s.replace(/\n+$/, '').split('\n');
    return lines.length <= rows - 1 && /^alloctop │ ● live/.test(s) && /\? help {2}q quit\s*$/m.test(s) && lines.every((line) => stringWidth(line) <= columns) && check(s);
  }, 10_000);
  return screen;
}

describe('layouts (tmux)', () => {
  it('60x16, 80x24, 100x30, 120x40, 200x50 and 250x70 each show what they must', async () => {
    const sim = await startSim({ allocs: 40 });
    const names = sim.sim.cluster.ordered.filter((s) => s.alloc.Namespace === 'default').map((s) => s.alloc.Name ?? '');
    const term = startConsole(['--address', sim.url]);
    await term.waitFor(/● live/);

    // Short terminals: the list and one line about the selection; Enter shows its events.
    for (const [columns, rows] of [[60, 16], [80, 24]] as const) {
      const screen = await at(term, columns, rows, (s) => /ALLOCATIONS \(/.test(s) && /^▸ \S+ · \w+/m.test(s));
      assert.doesNotMatch(screen, /DETAIL|SERVICES/, `${columns}x${rows}: no cramped side panes`);
    }
    term.send('Enter');
    await term.waitFor(/▸ ALLOCATION {2}\S+[\s\S]*EVENTS {2}\S+ \(newest first\)[\s\S]*Started/);
    term.send('Escape');

    // Stacked panes from 30 rows.
    const stacked = await at(term, 100, 30, (s) => /^│DETAIL/m.test(s));
    const lines = stacked.split('\n');
    assert.ok(lines.findIndex((l) => /^│DETAIL/.test(l)) > lines.findIndex((l) => /ALLOCATIONS \(/.test(l)), 'detail below the list');

    // Side by side: names in full at 120x40, every column at 200 and 250.
    const wide = await at(term, 120, 40, (s) => /ALLOCATIONS.*││DETAIL/.test(s));
    const shown = [...wide.matchAll(/^│[0-9a-f]{8} (\S+)/gm)].map((m) => m[1] ?? '');
    assert.ok(shown.length > 10 && shown.every((name) => names.includes(name)), `names in full: ${shown.filter((n) => !names.includes(n)).join(',')}`);
    assert.match(wide, /ID\s+NAME\s+STATUS\s+H\s+CHANGED↑\s+NODE/);
    for (const [columns, rows] of [[200, 50], [250, 70]] as const) {
      await at(term, columns, rows, (s) => /ID\s+NAME\s+STATUS\s+H\s+CHANGED↑\s+NODE\s+JOB\s+GROUP\s+AGE/.test(s) && /││DETAIL/.test(s));
    }
    // Too small: the size it needs comes first, whatever is cut.
    term.resize(40, 12);
    await term.waitFor(/^needs 60x16, this is 40x12/m);
    term.send('q');
    assert.equal(await term.exitCode(), 0);
  });
});
