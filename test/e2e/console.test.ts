// End to end: the real binary in tmux against a simulator this test owns.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { killTmuxServer, startConsole } from '../helpers/tmux.js';
import { eventually, startSim } from '../helpers/sim.js';
import type { SimServer } from '../../src/sim/http/server.js';

after(killTmuxServer);

/** The allocation the detail pane shows: full ID from its title line. */
function detailId(screen: string): string | undefined {
  return /│id ([0-9a-f-]{36})/.exec(screen)?.[1];
}

function runningService(sim: SimServer, id?: string) {
  const found = sim.sim.cluster.ordered.find((s) => (id ? s.alloc.ID === id : s.alloc.ClientStatus === 'running' && s.job.type === 'service'));
  assert.ok(found);
  return found;
}

describe('console end to end (tmux)', () => {
  it('lists allocations; j/k move and the detail follows; / filters; services show', async () => {
    const sim = await startSim({ allocs: 80 });
    const term = startConsole(['--address', sim.url]);
    const first = await term.waitFor((s) => /● live/.test(s) && /ALLOCATIONS \(\d+ allocations\)/.test(s) && detailId(s) !== undefined);
    const start = detailId(first);
    term.send('j');
    const moved = await term.waitFor((s) => detailId(s) !== undefined && detailId(s) !== start);
    term.send('k');
    await term.waitFor((s) => detailId(s) === start);
    assert.notEqual(detailId(moved), start);
    // Services of the selected allocation.
    const selected = sim.sim.cluster.get(start ?? '');
    const registrations = sim.sim.cluster.servicesByAlloc.get(start ?? '') ?? [];
    if (registrations.length) await term.waitFor(new RegExp(`${registrations[0]?.ServiceName}\\s+\\S+:${registrations[0]?.Port}`));
    else await term.waitFor(/no services registered/);
    // Text filter on the selected allocation's job.
    term.type(`/${selected?.job.id}`);
    term.send('Enter');
    const filtered = await term.waitFor(new RegExp(`of \\d+ allocations · /${selected?.job.id}`));
    const names = [...filtered.matchAll(/│[0-9a-f]{8} (\S+)/g)].map((m) => m[1]);
    assert.ok(names.length > 0 && names.every((name) => name?.startsWith(`${selected?.job.id}.`)), `only ${selected?.job.id}: ${names.join(',')}`);
    term.send('q');
    assert.equal(await term.exitCode(), 0);
  });

  it('y copies the full allocation ID through OSC 52 (tmux keeps it as a buffer); Y the nomad command', async () => {
    const sim = await startSim({ allocs: 20 });
    const term = startConsole(['--address', sim.url]);
    const first = await term.waitFor((s) => /● live/.test(s) && detailId(s) !== undefined);
    const id = detailId(first) ?? '';
    term.send('y');
    await term.waitFor(new RegExp(`copied allocation ID ${id}`));
    assert.equal(term.clipboard(), id);
    term.send('Y');
    await term.waitFor(/copied "nomad alloc status/);
    assert.equal(term.clipboard(), `nomad alloc status -namespace=default ${id}`);
    term.send('q');
    assert.equal(await term.exitCode(), 0);
  });

  it('at 80x24: find a failed allocation, read its failing event in full, copy its ID, jump to its replacement, open the jobs view and back', async () => {
    const sim = await startSim({ allocs: 30 });
    const target = runningService(sim);
    const id = target.alloc.ID ?? '';
    const task = Object.keys(target.alloc.TaskStates).sort()[0] ?? '';
    // A setup failure fails the task at once; the allocation fails and is rescheduled 2 s later.
    sim.sim.failTask(id, task, 'setup');
    const term = startConsole(['--address', sim.url], {}, { columns: 80, rows: 24 });
    await term.waitFor(/● live/);
    // The filter finds it; Enter in the same keystrokes opens it on the row the filter left.
    term.type(`/${id.slice(0, 8)}`);
    term.send('Enter', 'Enter');
    const zoomed = await term.waitFor(/▸ ALLOCATION {2}\S+/);
    assert.match(zoomed, new RegExp(`id {6}${id}`));
    // The whole failing message, wrapped, however narrow the terminal.
    const events = await term.waitFor(/Setup Failure/);
    const text = events.split('\n').map((line) => line.replace(/^│|│$/g, '').trim()).join(' ');
    assert.match(text, /failed to setup alloc: pre-run hook "network" failed: failed to configure networking for alloc: failed to set up port mapping/);
    assert.match(events, /j\/k scroll .*Esc back {2}\? help {2}q quit/);
    term.send('y');
    await term.waitFor(new RegExp(`copied allocation ID ${id}`));
    assert.equal(term.clipboard(), id);
    // Its replacement, once the reschedule placed it.
    const next = await eventually(() => sim.sim.cluster.get(id)?.alloc.NextAllocation, 10_000, 'the replacement');
    await term.waitFor(new RegExp(`> next ${next.slice(0, 8)}`), 10_000);
    term.type('>');
    await term.waitFor(new RegExp(`id {6}${next}`));
    await term.waitFor(new RegExp(`< previous ${id.slice(0, 8)}`));
    term.type('<');
    await term.waitFor(new RegExp(`id {6}${id}`));
    term.send('Escape');
    await term.waitFor(/ALLOCATIONS \(/);
    // The jobs view, from the list the console holds; Enter shows one job's allocations (the
    // text filter cleared first: the two would combine).
    term.send('Escape');
    await term.waitFor((screen) => /ALLOCATIONS \(\d+ allocations\)/.test(screen));
    const keys = [...new Set(sim.sim.cluster.ordered.filter((s) => s.alloc.Namespace === 'default').map((s) => `default/${s.alloc.JobID}/${s.alloc.TaskGroup}`))].sort();
    term.type('J');
    const jobs = await term.waitFor(/▸ JOBS \(\d+ job groups/);
    assert.match(jobs, new RegExp(`│${keys[0]?.replace(/[[\].]/g, '\\$&')}\\s+\\d`));
    term.send('Enter');
    const narrowed = await term.waitFor(new RegExp(`job ${keys[0]}`));
    assert.ok(narrowed.split('\n')[0]?.includes(`│ ns:default │ job:${keys[0]} │`), `the status bar names the job: ${narrowed.split('\n')[0]}`);
    const names = [...narrowed.matchAll(/│[0-9a-f]{8} (\S+)/g)].map((m) => m[1]);
    assert.ok(names.length > 0 && names.every((name) => name?.startsWith(`${keys[0]?.split('/')[1]}.${keys[0]?.split('/')[2]}[`)), narrowed);
    term.send('Escape');
    await term.waitFor((screen) => /ALLOCATIONS \(\d+ allocations\)/.test(screen));
    term.send('q');
    assert.equal(await term.exitCode(), 0);
  });

  it('a task failure in the sim appears in the detail events with no key pressed', async () => {
    const sim = await startSim({ allocs: 40 });
    const term = startConsole(['--address', sim.url]);
    const screen = await term.waitFor((s) => detailId(s) !== undefined && /EVENTS/.test(s));
    const target = runningService(sim, detailId(screen));
    const task = Object.keys(target.alloc.TaskStates).sort()[0] ?? '';
    assert.ok(target.alloc.ClientStatus === 'running', 'the first row is running');
    sim.sim.failTask(target.alloc.ID ?? '', task);
    const after = await term.waitFor(/Restarting\s+Task restarting in/, 3000);
    assert.match(after, /Terminated\s+Exit Code: 1/);
    term.send('q');
  });

  it('stopping an allocation through the HTTP API changes its status on screen, with no key pressed (bench/ times how soon)', async () => {
    const sim = await startSim({ allocs: 40, timeScale: 0.5 });
    const term = startConsole(['--address', sim.url]);
    const screen = await term.waitFor((s) => detailId(s) !== undefined && /client running/.test(s));
    const id = detailId(screen) ?? '';
    const response = await fetch(`${sim.url}/v1/allocation/${id}/stop`, { method: 'PUT' });
    assert.equal(response.status, 200);
    // The list row (left pane, up to its border) and the detail both show the stop.
    const stopped = await term.waitFor((s) => new RegExp(`│${id.slice(0, 8)} [^│]* complete→stop `).test(s) && /desired stop/.test(s));
    assert.equal(detailId(stopped), id, 'the selection stayed on the stopped allocation when its replacement arrived');
    assert.match(stopped, /desired stop \(alloc/);
    term.send('q');
  });

  it('q, Ctrl-C, SIGTERM and SIGHUP leave the terminal in normal mode with the cursor shown', async () => {
    const sim = await startSim({ allocs: 10 });
    for (const [how, expectedCode] of [['q', 0], ['C-c', 0], ['SIGTERM', 143], ['SIGHUP', 129]] as const) {
      const term = startConsole(['--address', sim.url]);
      await term.waitFor(/● live/);
      assert.equal(term.alternateOn(), true, 'the console runs on the alternate screen');
      if (how.startsWith('SIG')) term.kill(how as NodeJS.Signals);
      else term.send(how);
      assert.equal(await term.exitCode(), expectedCode, how);
      assert.equal(term.alternateOn(), false, `alternate screen off after ${how}`);
      assert.equal(term.cursorVisible(), true, `cursor visible after ${how}`);
    }
  });

  it('alloctop --demo opens the console against its embedded simulator', async () => {
    const term = startConsole(['--demo', '--allocs', '50']);
    const screen = await term.waitFor((s) => /● live/.test(s) && /ALLOCATIONS \(\d+ allocations\)/.test(s) && /http:\/\/127\.0\.0\.1:\d+/.test(s));
    assert.match(screen, /running/);
    term.send('q');
    assert.equal(await term.exitCode(), 0);
  });
});

describe('console display end to end (tmux)', () => {
  it('redraws for a new size: side by side at 120 columns, stacked at 90', async () => {
    const sim = await startSim({ allocs: 20 });
    const term = startConsole(['--address', sim.url]);
    const wide = await term.waitFor((s) => /● live/.test(s) && /DETAIL/.test(s));
    assert.match(wide, /ALLOCATIONS.*││DETAIL|┐┌/, 'panes side by side');
    term.resize(90, 30);
    const narrow = await term.waitFor((s) => s.split('\n').some((line) => /^│DETAIL/.test(line)));
    const lines = narrow.split('\n');
    assert.ok(lines.findIndex((l) => /^│DETAIL/.test(l)) > lines.findIndex((l) => /^│(▸ )?ALLOCATIONS/.test(l)), 'detail below the list');
    assert.ok(lines.every((l) => l.length <= 90), 'nothing wider than the terminal');
    assert.ok(narrow.trimEnd().split('\n').length <= 29, 'the frame is at most rows - 1 tall');
    term.send('q');
    assert.equal(await term.exitCode(), 0);
  });

  it('colours statuses, and NO_COLOR turns colour off', async () => {
    const sim = await startSim({ allocs: 20 });
    const coloured = startConsole(['--address', sim.url], { NO_COLOR: undefined, TERM: 'xterm-256color', FORCE_COLOR: '1' });
    await coloured.waitFor(/● live/);
    assert.match(coloured.screenWithStyles(), /\x1b\[32mrunning/, 'running is green');
    coloured.send('q');
    const plain = startConsole(['--address', sim.url], { NO_COLOR: '1', TERM: 'xterm-256color', FORCE_COLOR: '1' });
    await plain.waitFor(/● live/);
    assert.doesNotMatch(plain.screenWithStyles(), /\x1b\[(3[0-7]|9[0-7]|38;)/, 'no foreground colour at all');
    plain.send('q');
  });
});
