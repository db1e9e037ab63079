// End to end: marks and bulk actions through the real binary in tmux — three marked
// allocations stopped with exactly three requests, each with its own namespace; a filter-wide
// mark of many cancelled at the typed count with nothing sent; a token without
// alloc-lifecycle getting a 403 summary and a report, the console running on.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { SimServer } from '../../src/sim/http/server.js';
import { killTmuxServer, startConsole, type Terminal } from '../helpers/tmux.js';
import { eventually, startSim } from '../helpers/sim.js';

after(killTmuxServer);

/** The stop requests the sim received: allocation ID and the namespace sent with it. */
function stops(sim: SimServer): { id: string; namespace: string | null }[] {
  return sim.counters.recent
    .map((url) => /^\/v1\/allocation\/([0-9a-f-]{36})\/stop(\?.*)?$/.exec(url))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ id: m[1] ?? '', namespace: new URLSearchParams(m[2] ?? '').get('namespace') }));
}

/** Narrows the list with a Nomad filter to the running allocations and waits until it shows
 * all of them (a key pressed before would act on the list as it was). */
async function filterRunning(term: Terminal, sim: SimServer, namespace: string | undefined): Promise<number> {
  // A few seeded allocations start up to 3 s late: count once every one has.
  await eventually(() => sim.sim.cluster.ordered.every((s) => s.alloc.ClientStatus !== 'pending'), 10_000, 'the seeded allocations started');
  const count = sim.sim.cluster.ordered.filter((s) => (namespace === undefined || s.alloc.Namespace === namespace) && s.alloc.ClientStatus === 'running').length;
  term.type('f');
  term.type('ClientStatus == "running"');
  term.send('Enter');
  await term.waitFor(new RegExp(`ALLOCATIONS \\(${count} allocations · expr`));
  return count;
}

/** IDs of the marked rows on screen (the ✓ column). */
const markedOnScreen = (screen: string): string[] => [...screen.matchAll(/│✓ ([0-9a-f]{8}) /g)].map((m) => m[1] ?? '');

describe('bulk actions end to end (tmux)', () => {
  it('Space marks three running allocations in every namespace; s stops exactly those three, each with its namespace', async () => {
    const sim = await startSim({ allocs: 40, timeScale: 0.2 });
    const term = startConsole(['--address', sim.url, '--namespace', '*']);
    await term.waitFor(/● live[\s\S]*ALLOCATIONS \(\d+ allocations\)/);
    await filterRunning(term, sim, undefined);
    term.send('Space');
    await term.waitFor(/1 marked/);
    term.send('Space');
    await term.waitFor(/2 marked/);
    term.send('Space');
    const screen = await term.waitFor(/3 marked/);
    const marked = markedOnScreen(screen);
    assert.equal(marked.length, 3, screen);
    term.send('s');
    await term.waitFor(/Stop 3 allocations\?[\s\S]*▸ Cancel/);
    term.send('Down');
    await term.waitFor(/▸ Stop 3 allocations/);
    term.send('Enter');
    await term.waitFor(/3 stopped · R: the report/);
    const sent = stops(sim);
    assert.deepEqual(sent.map((stop) => stop.id.slice(0, 8)).sort(), [...marked].sort(), 'exactly the marked three');
    for (const stop of sent) assert.equal(stop.namespace, sim.sim.cluster.get(stop.id)?.alloc.Namespace, 'sent with its own namespace');
    assert.equal(sim.counters.mutating, 3);
    await eventually(() => sent.every((stop) => sim.sim.cluster.get(stop.id)?.alloc.DesiredStatus === 'stop'), 3000, 'desired stop');
    const after = await term.waitFor((s) => !/marked/.test(s.split('\n')[0] ?? ''));
    assert.equal(markedOnScreen(after).length, 0, 'the marks went with the action');
    term.send('q');
    assert.equal(await term.exitCode(), 0);
  });

  it('* marks every row the filter shows; restarting more than 10 asks for the count, and Esc there sends nothing', async () => {
    const sim = await startSim({ allocs: 60 });
    const term = startConsole(['--address', sim.url]);
    await term.waitFor(/● live[\s\S]*ALLOCATIONS \(\d+ allocations\)/);
    const count = await filterRunning(term, sim, 'default');
    assert.ok(count > 10, `${count} running`);
    term.type('*');
    await term.waitFor(new RegExp(`│ ${count} marked`));
    term.type('r');
    await term.waitFor(new RegExp(`Restart tasks of ${count} allocations\\?`));
    term.send('Down');
    await term.waitFor(/▸ Restart running tasks of/);
    term.send('Enter');
    await term.waitFor(new RegExp(`Type ${count} to restart ${count} allocations`));
    term.type(String(count - 1));
    term.send('Enter');
    await term.waitFor(new RegExp(`type ${count} to restart them, or Esc to cancel`));
    term.send('Escape');
    await term.waitFor(/restart cancelled — nothing was sent/);
    assert.equal(sim.counters.mutating, 0);
    term.send('q');
    assert.equal(await term.exitCode(), 0);
  });

  it('a token without alloc-lifecycle: the bulk stop sums up the 403s, R shows each, nothing crashes', async () => {
    const sim = await startSim({ allocs: 30, acl: { management: 'm', readOnly: 'ro' } });
    const term = startConsole(['--address', sim.url], { NOMAD_TOKEN: 'ro' });
    await term.waitFor(/● live[\s\S]*ALLOCATIONS \(\d+ allocations\)/);
    await filterRunning(term, sim, 'default');
    term.send('Space');
    await term.waitFor(/1 marked/);
    term.send('Space');
    await term.waitFor(/2 marked/);
    term.send('s');
    await term.waitFor(/Stop 2 allocations\?/);
    term.send('Down');
    await term.waitFor(/▸ Stop 2 allocations/);
    term.send('Enter');
    await term.waitFor(/0 stopped, 2 failed: 403 on 2 in namespace default · R: the report/);
    term.type('R');
    const report = await term.waitFor(/STOP REPORT/);
    assert.equal([...report.matchAll(/│✖ stop refused for .*: your token lacks alloc-lifecycle in namespace default/g)].length, 2, report);
    const text = report.split('\n').map((line) => line.replace(/^│|│$/g, '').trim()).join(' ');
    assert.equal([...text.matchAll(/\(403 Permission denied\)/g)].length, 2, `the whole message, wrapped: ${report}`);
    term.send('Escape');
    await term.waitFor(/ALLOCATIONS \(/);
    term.send('q');
    assert.equal(await term.exitCode(), 0);
  });
});
