// The whole console against the simulator through ink-testing-library: the list fills, keys
// (one read or many) move the selection and the detail follows, filters and namespaces work,
// a rejected filter expression shows in the filter line, and a bad token shows as denied.
import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, it } from 'node:test';
import { FIRST_PAGE_SIZE } from '../../src/store/queries.js';
import { App } from '../../src/ui/App.js';
import { DEFAULT_SORT, sortAllocations } from '../../src/ui/listModel.js';
import { frameMatching, renderWithServices } from '../helpers/render.js';
import { eventually, startSim } from '../helpers/sim.js';

function open(address: string, options: { token?: string; namespace?: string } = {}) {
  let quit = false;
  const view = renderWithServices(<App namespace={options.namespace ?? 'default'} onQuit={() => (quit = true)} />, { address, token: options.token });
  return { view, quit: () => quit };
}

/** A simulator whose seeded allocations have all started: the list's order (most recently
 * changed first) holds still while a test reads it. */
async function settledSim(allocs: number) {
  const sim = await startSim({ allocs });
  await eventually(() => sim.sim.cluster.ordered.every((s) => s.alloc.ClientStatus !== 'pending'), 8000, 'the seeded allocations started');
  return sim;
}

const selectedName = (frame: string): string | undefined => /DETAIL {2}(\S+)/.exec(frame)?.[1];

describe('App', () => {
  it('shows the live list; j moves (also three in one read) and the detail follows', async () => {
    const sim = await settledSim(60);
    const { view } = open(sim.url);
    const first = await frameMatching(view, (f) => /ALLOCATIONS \(\d+ allocations\)/.test(f) && /● live/.test(f) && selectedName(f) !== undefined && /TASK/.test(f));
    const stubs = sim.sim.cluster.ordered.filter((s) => s.alloc.Namespace === 'default').map((s) => s.alloc);
    const names = sortAllocations(stubs, DEFAULT_SORT).map((a) => a.Name);
    assert.equal(selectedName(first), names[0]);
    view.stdin.write('j');
    await frameMatching(view, (f) => selectedName(f) === names[1]);
    view.stdin.write('jjj');
    await frameMatching(view, (f) => selectedName(f) === names[4]);
    view.stdin.write('\x1b[A');
    await frameMatching(view, (f) => selectedName(f) === names[3]);
  });

  it('a list read in pages: until a key is pressed, the selection is the top row of the whole list', async () => {
    const sim = await settledSim(1500);
    const { view } = open(sim.url);
    const stubs = sim.sim.cluster.ordered.filter((s) => s.alloc.Namespace === 'default').map((s) => s.alloc);
    assert.ok(stubs.length > 400, 'more rows than the first page holds');
    const top = sortAllocations(stubs, DEFAULT_SORT)[0]?.Name;
    const loaded = await frameMatching(view, (f) => new RegExp(`ALLOCATIONS \\(${stubs.length.toLocaleString('en-US')} allocations\\)`).test(f) && selectedName(f) === top, 10_000);
    assert.match(loaded, new RegExp(`│▸?\\s*\\S{8} ${top?.replace(/[[\].]/g, '\\$&')}`), 'the top row, highlighted');
  });

  it('while the first read comes in, the detail pane names the top row and opens its watches once the row rests, not for each page\'s top row', async () => {
    const sim = await settledSim(1500);
    const stubs = sim.sim.cluster.ordered.filter((s) => s.alloc.Namespace === 'default').map((s) => s.alloc);
    const firstPageTop = sortAllocations(stubs.slice(0, FIRST_PAGE_SIZE), DEFAULT_SORT)[0];
    const top = sortAllocations(stubs, DEFAULT_SORT)[0];
    assert.ok(stubs.length > FIRST_PAGE_SIZE && firstPageTop && top && firstPageTop.ID !== top.ID, 'the first page has another top row than the whole list');
    // The later page comes 700 ms late: the first page's top row is on top meanwhile.
    const [handle] = sim.server.listeners('request') as Array<(req: IncomingMessage, res: ServerResponse) => void>;
    assert.ok(handle);
    const detailReads: string[] = [];
    sim.server.removeAllListeners('request');
    sim.server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      const url = new URL(req.url ?? '/', 'http://sim');
      const id = /^\/v1\/allocation\/([^/]+)$/.exec(url.pathname)?.[1];
      if (id) detailReads.push(id);
      if (url.pathname === '/v1/allocations' && url.searchParams.has('next_token')) setTimeout(() => handle.call(sim.server, req, res), 700);
      else handle.call(sim.server, req, res);
    });
    const { view } = open(sim.url);
    const waiting = await frameMatching(view, (f) => /loading [\d,]+/.test(f) && selectedName(f) === firstPageTop.Name);
    assert.match(waiting, /loading allocation…/, 'named from the list, its watches not open');
    await frameMatching(view, (f) => selectedName(f) === top.Name && /TASK/.test(f), 10_000);
    assert.deepEqual([...new Set(detailReads)], [top.ID], 'the detail read only the row that rested on top');
  });

  it('keys in one write act on the state the key before left: js opens the stop prompt on the second row, and typed-ahead keys are counted', async () => {
    const sim = await settledSim(60);
    const { view } = open(sim.url);
    await frameMatching(view, (f) => /● live/.test(f) && selectedName(f) !== undefined);
    const stubs = sim.sim.cluster.ordered.filter((s) => s.alloc.Namespace === 'default' && s.alloc.ClientStatus === 'running').map((s) => s.alloc);
    const all = sortAllocations(sim.sim.cluster.ordered.filter((s) => s.alloc.Namespace === 'default').map((s) => s.alloc), DEFAULT_SORT);
    assert.ok(all[1] && stubs.some((a) => a.ID === all[1]?.ID), 'the second row is running (stoppable)');
    view.stdin.write('js\x1b[B\r');
    const prompt = await frameMatching(view, /Stop .*\?/);
    assert.match(prompt, new RegExp(`Stop ${all[1]?.Name?.replace(/[[\].]/g, '\\$&')}?`));
    assert.match(prompt, /⚠ 2 keys typed before this prompt appeared were ignored: choose again/);
    assert.equal(sim.counters.mutating, 0, 'nothing was sent');
  });

  it('z on the detail pane opens the zoom at the focused task\'s events; scrolling by hand stays where it was put', async () => {
    const sim = await startSim({ allocs: 20, timeScale: 0.05 });
    const target = sim.sim.cluster.ordered.find((s) => s.alloc.ClientStatus === 'running' && s.group.tasks.length === 2);
    assert.ok(target?.alloc.ID);
    const tasks = Object.keys(target.alloc.TaskStates).sort();
    // Restarts give the first task its most events (10), so more follow its section than fit.
    for (let i = 0; i < 3; i++) {
      await eventually(() => target.alloc.TaskStates[tasks[0] ?? '']?.State === 'running', 4000, 'the task running again');
      const answer = await fetch(`${sim.url}/v1/client/allocation/${target.alloc.ID}/restart`, { method: 'PUT', body: JSON.stringify({ TaskName: tasks[0] }) });
      assert.equal(answer.status, 200, await answer.text());
    }
    const { view } = open(sim.url);
    // 30 rows, the smallest with side panes: the zoom's page (24 lines) is shorter than its lines
    // (Nomad keeps a task's last 10 events, so a zoom is never much longer than that).
    Object.assign(view.stdout, { rows: 30 });
    view.stdout.emit('resize');
    await frameMatching(view, /● live/);
    view.stdin.write(`/${target.alloc.ID.slice(0, 8)}\r`);
    await frameMatching(view, (f) => selectedName(f) === target.alloc.Name && new RegExp(`│ +${tasks[1]} `).test(f));
    view.stdin.write('\t');
    await frameMatching(view, new RegExp(`▸ ${tasks[0]}`));
    view.stdin.write('z');
    // Scrolled to the section, as far as the lines go (the last page, here).
    const zoomed = await frameMatching(view, (f) => /ALLOCATION .*lines \d+–\d+ of \d+/.test(f) && !/lines 1–/.test(f));
    const first = Number(/lines (\d+)–/.exec(zoomed)?.[1]);
    const shown = zoomed.split('\n').slice(2);
    assert.ok(shown.some((line) => line.startsWith(`│EVENTS  ${tasks[0]} (newest first)`)), zoomed);
    assert.ok(!shown.some((line) => line.startsWith('│TASKS')), 'opened past the allocation\'s head, at the events');
    view.stdin.write('k');
    await frameMatching(view, new RegExp(`lines ${first - 1}–`));
  });

  it('the focused pane is marked in its title (focus shows without colour): Tab moves the mark', async () => {
    const sim = await startSim({ allocs: 20 });
    const { view } = open(sim.url);
    const first = await frameMatching(view, (f) => /● live/.test(f) && selectedName(f) !== undefined);
    assert.match(first, /▸ ALLOCATIONS/);
    assert.doesNotMatch(first, /▸ DETAIL|▸ SERVICES/);
    view.stdin.write('\t');
    const detail = await frameMatching(view, /▸ DETAIL/);
    assert.doesNotMatch(detail, /▸ ALLOCATIONS/);
  });

  it('an escape sequence split across reads is one key (Down), and a lone Esc is still Esc', async () => {
    const sim = await settledSim(60);
    const { view } = open(sim.url);
    const first = await frameMatching(view, (f) => /● live/.test(f) && selectedName(f) !== undefined);
    const names = sortAllocations(sim.sim.cluster.ordered.filter((s) => s.alloc.Namespace === 'default').map((s) => s.alloc), DEFAULT_SORT).map((a) => a.Name);
    assert.equal(selectedName(first), names[0]);
    view.stdin.write('\x1b[');
    view.stdin.write('B');
    await frameMatching(view, (f) => selectedName(f) === names[1]);
    view.stdin.write('?');
    await frameMatching(view, /HELP — Esc/);
    view.stdin.write('\x1b');
    const closed = await frameMatching(view, (f) => !/HELP — Esc/.test(f));
    assert.equal(selectedName(closed), names[1], 'no stray "[" or "B" moved anything');
  });

  it('/ filters as you type; Esc clears', async () => {
    const sim = await startSim({ allocs: 60 });
    const { view } = open(sim.url);
    await frameMatching(view, /● live/);
    const job = sim.sim.cluster.ordered.find((s) => s.alloc.Namespace === 'default')?.job.id ?? '';
    view.stdin.write(`/${job}`);
    const filtered = await frameMatching(view, new RegExp(`of \\d+ allocations · /${job}`));
    assert.match(filtered, new RegExp(`^/${job}█`, 'm'));
    view.stdin.write('\x1b');
    await frameMatching(view, (f) => !f.includes(` of `) && /ALLOCATIONS \(\d+ allocations\)/.test(f));
  });

  it('n switches namespace; * lists every namespace as ns/job', async () => {
    const sim = await startSim({ allocs: 60 });
    const { view } = open(sim.url);
    await frameMatching(view, /● live/);
    view.stdin.write('n');
    await frameMatching(view, /NAMESPACE — j\/k choose/);
    view.stdin.write('kk\r');
    const all = await frameMatching(view, /ns:\*/);
    await frameMatching(view, /│\S{8} (default|platform|analytics)\//);
    assert.match(all, /ns:\*/);
  });

  it('a filter expression Nomad rejects is shown in the filter line, and the console keeps running', async () => {
    const sim = await startSim({ allocs: 20 });
    const { view } = open(sim.url);
    await frameMatching(view, /● live/);
    view.stdin.write('fNoSuchField == 1\r');
    await frameMatching(view, /filter rejected: failed to read result page: error finding value in datum: \/NoSuchField/);
    view.stdin.write('f\x15ClientStatus == "running"\r');
    await frameMatching(view, (f) => /expr: ClientStatus == "running"/.test(f) && !/filter rejected/.test(f) && /running/.test(f));
  });

  it('a rejected token shows "permission denied — check NOMAD_TOKEN" and nothing crashes', async () => {
    const sim = await startSim({ allocs: 5, acl: true });
    const token = 'ffffffff-not-the-token';
    const { view } = open(sim.url, { token });
    const frame = await frameMatching(view, /permission denied — check NOMAD_TOKEN/);
    assert.ok(!frame.includes(token));
  });

  it('? opens help from the keymap, q quits', async () => {
    const sim = await startSim({ allocs: 5 });
    const { view, quit } = open(sim.url);
    await frameMatching(view, /● live/);
    view.stdin.write('?');
    await frameMatching(view, /HELP — Esc, \? or q closes/);
    view.stdin.write('q');
    await frameMatching(view, (f) => !/HELP/.test(f));
    assert.equal(quit(), false, 'q in help closes help');
    view.stdin.write('q');
    await eventually(() => quit(), 2000, 'q to quit');
  });
});

describe('App: following the selection', () => {
  it('a held j (20 in one read, as SSH delivers a held key) opens watches only where the selection settles', async () => {
    const sim = await startSim({ allocs: 80 });
    const { view } = open(sim.url);
    const first = await frameMatching(view, (f) => /● live/.test(f) && /TASK/.test(f));
    const read = (): string[] => [...sim.counters.byPath.keys()].filter((p) => /^\/v1\/allocation\/[^/]+$/.test(p));
    const before = read();
    const name = (frame: string): string | undefined => /DETAIL {2}(\S+)/.exec(frame)?.[1];
    view.stdin.write('j'.repeat(20));
    // The detail follows once the selection rests: then the rows passed were never read.
    await frameMatching(view, (f) => name(f) !== undefined && name(f) !== name(first) && /TASK/.test(f));
    const opened = read().filter((path) => !before.includes(path));
    assert.equal(opened.length, 1, `allocations read while passing 20 rows: ${opened.join(' ')}`);
  });
});

describe('App: states that are not exits', () => {
  it('a namespace that does not exist says so and how to pick another', async () => {
    const sim = await startSim({ allocs: 10 });
    const { view } = open(sim.url, { namespace: 'no-such-ns' });
    await frameMatching(view, /namespace no-such-ns does not exist, or your token cannot see it: press n to pick one/);
  });

  it('an unknown region says what to check, and the console keeps running', async () => {
    const sim = await startSim({ allocs: 10 });
    const view = renderWithServices(<App namespace="default" onQuit={() => {}} />, { address: sim.url, region: 'mars' });
    await frameMatching(view, /region unknown to this agent \(No path to region\) — check NOMAD_REGION/);
    view.stdin.write('?');
    await frameMatching(view, /HELP/);
  });

  it('the agent going away after start shows reconnecting with the last data, then live again', async () => {
    const sim = await startSim({ allocs: 10 });
    const { view } = open(sim.url);
    const live = await frameMatching(view, (f) => /● live/.test(f) && /ALLOCATIONS \(\d+ allocations\)/.test(f));
    const count = /ALLOCATIONS \((\d+) allocations\)/.exec(live)?.[1];
    const restarted = sim.restart(1500);
    const down = await frameMatching(view, /◌ reconnecting in \d+s · stale since \d\d:\d\d:\d\d · connection refused/);
    assert.match(down, new RegExp(`ALLOCATIONS \\(${count} allocations\\)`), 'the last data stays on screen');
    await restarted;
    await frameMatching(view, /● live/, 8000);
  });
});
