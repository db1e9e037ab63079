// End to end: exec through the real binary in tmux. x on the focused task opens /bin/sh there:
// the console leaves the alternate screen, hostname prints the short allocation ID, the task's
// env is there, a resize of the window reaches the agent, `exit 3` brings the console back with
// "exited 3" on the same allocation; ~. ends a hung session and the keys are the console's
// again; q then leaves the terminal as it was. Read-only mode and a token without alloc-exec
// never open a socket (the simulator counts upgrades).
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { SimServer } from '../../src/sim/http/server.js';
import { drawnRows, killTmuxServer, SECRET_TOKEN, startConsole, type Terminal } from '../helpers/tmux.js';
import { eventually, startSim } from '../helpers/sim.js';

after(killTmuxServer);

const detailName = (screen: string): string | undefined => /DETAIL {2}(\S+)/.exec(screen)?.[1];
const detailId = (screen: string): string | undefined => /│id ([0-9a-f-]{36})/.exec(screen)?.[1];

/** Waits for the list with the detail on a running allocation, focuses its first running task
 * (Tab), and says which allocation and task that is. */
async function focusRunningTask(term: Terminal, sim: SimServer): Promise<{ id: string; name: string; task: string }> {
  const screen = await term.waitFor((s) => /● live/.test(s) && detailId(s) !== undefined && /TASK/.test(s));
  const id = detailId(screen) ?? '';
  const states = sim.sim.cluster.get(id)?.alloc.TaskStates ?? {};
  const names = Object.keys(states).sort();
  const task = names.find((name) => states[name]?.State === 'running');
  assert.ok(task, 'the first allocation runs a task');
  term.send('Tab');
  for (let i = 0; i < names.indexOf(task); i++) term.send('j');
  await term.waitFor(new RegExp(`▸ ${task}`));
  return { id, name: detailName(screen) ?? '', task };
}

describe('exec end to end (tmux)', () => {
  it('a shell in the focused task: hostname, its env, a resize, exit 3 back to the same allocation; q restores the terminal', async () => {
    const sim = await startSim({ allocs: 20, acl: { management: SECRET_TOKEN, readOnly: 'ro' } });
    const term = startConsole(['--address', sim.url]);
    const { id, name, task } = await focusRunningTask(term, sim);
    term.type('x');
    await term.waitFor(/command to run[\s\S]*> \/bin\/sh/);
    term.send('Enter');
    await term.waitFor(new RegExp(`alloctop: exec /bin/sh in ${name.replace(/[[\].]/g, '\\$&')} \\(${task}\\)[\\s\\S]*/ # `));
    assert.equal(term.alternateOn(), false, 'the session has the main screen');
    term.type('hostname');
    term.send('Enter');
    await term.waitFor(new RegExp(`\\n${id.slice(0, 8)}\\n`));
    term.type('echo "$NOMAD_TASK_NAME in $NOMAD_JOB_NAME"');
    term.send('Enter');
    await term.waitFor(new RegExp(`\\n${task} in ${sim.sim.cluster.get(id)?.job.id}\\n`));
    // The window changes size mid-session: the agent is told.
    term.resize(100, 30);
    await eventually(() => sim.counters.exec.sizes.some((size) => size.width === 100 && size.height === 30), 5000, 'the new size at the agent');
    assert.deepEqual(sim.counters.exec.sizes[0], { height: 40, width: 120 }, 'the size at the start');
    term.type('stty size');
    term.send('Enter');
    await term.waitFor(/\n30 100\n/);
    term.type('exit 3');
    term.send('Enter');
    const back = await term.waitFor(new RegExp(`exec /bin/sh in ${name.replace(/[[\].]/g, '\\$&')} \\(${task}\\) exited 3`));
    assert.equal(term.alternateOn(), true, 'the console is back on the alternate screen');
    assert.equal(detailName(back), name, 'the same allocation is selected');
    term.send('q');
    assert.equal(await term.exitCode(), 0);
    assert.equal(term.alternateOn(), false);
    assert.equal(term.cursorVisible(), true);
  });

  it('~. after Enter ends a session that hangs; the keys are the console\'s again', async () => {
    const sim = await startSim({ allocs: 20 });
    const term = startConsole(['--address', sim.url]);
    await focusRunningTask(term, sim);
    const before = drawnRows(term.screen());
    term.type('x');
    await term.waitFor(/> \/bin\/sh/);
    term.send('Enter');
    await term.waitFor(/alloctop: exec \/bin\/sh[\s\S]*\/ # /);
    term.type('sleep 600');
    term.send('Enter');
    // q goes to the task (its terminal echoes it), not to the console.
    term.type('q');
    await term.waitFor(/sleep 600\nq/);
    term.send('Enter');
    term.type('~.');
    // Back on a blank alternate screen: every row is drawn again, not only the changed ones.
    await term.waitFor((screen) => /you ended the session with ~\./.test(screen) && drawnRows(screen) >= before);
    term.type('?');
    await term.waitFor(/HELP/);
    term.send('Escape');
    term.send('C-c');
    assert.equal(await term.exitCode(), 0, 'Ctrl-C is the quit key of the console again');
    assert.equal(term.alternateOn(), false);
    assert.equal(term.cursorVisible(), true);
  });

  it('read-only mode has no exec, and a token without alloc-exec is told so: neither opens a socket', async () => {
    const sim = await startSim({ allocs: 20, acl: { management: 'root', readOnly: 'ro-token' } });
    const readOnly = startConsole(['--address', sim.url, '--read-only'], { NOMAD_TOKEN: 'root' });
    await focusRunningTask(readOnly, sim);
    readOnly.type('x');
    await readOnly.waitFor(/read-only: exec is disabled \(alloctop runs with --read-only\)/);
    const limited = startConsole(['--address', sim.url], { NOMAD_TOKEN: 'ro-token' });
    await focusRunningTask(limited, sim);
    limited.type('x');
    await limited.waitFor(/> \/bin\/sh/);
    limited.send('Enter');
    await limited.waitFor(/exec not opened: your token lacks alloc-exec in namespace \w+/);
    assert.equal(sim.counters.exec.upgrades, 0, 'no socket was opened');
    assert.equal(limited.alternateOn(), true, 'the console never left its screen');
  });
});
