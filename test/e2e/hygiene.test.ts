// Terminal hygiene and hostile data, end to end in tmux: every way out leaves the shell usable;
// an agent sending escape sequences, control characters, huge allocations and 10,000 events
// neither crashes the console nor corrupts the screen.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, describe, it } from 'node:test';
import { BIN } from '../helpers/cli.js';
import { fakeAgent } from '../helpers/fakeAgent.js';
import { startSim } from '../helpers/sim.js';
import { killTmuxServer, startConsole } from '../helpers/tmux.js';

after(killTmuxServer);

describe('terminal hygiene', () => {
  it('an injected crash: one line on stderr, exit 1, alternate screen off, cursor shown', async () => {
    const sim = await startSim({ allocs: 10 });
    const term = startConsole(['--address', sim.url], { ALLOCTOP_TEST_CRASH_MS: '1500' });
    await term.waitFor(/● live/);
    assert.equal(term.alternateOn(), true);
    assert.equal(await term.exitCode(), 1);
    assert.equal(term.alternateOn(), false);
    assert.equal(term.cursorVisible(), true);
    assert.match(term.screen(), /alloctop: crashed: injected crash \(ALLOCTOP_TEST_CRASH_MS\)/);
  });

  it('after each way out, the shell prompt works (raw mode is off, echo is back)', async () => {
    const sim = await startSim({ allocs: 10 });
    const socket = `alloctop-shell-${process.pid}`;
    const tmux = (...args: string[]): string => execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
    after(() => {
      try {
        tmux('kill-server');
      } catch {
        // gone
      }
    });
    tmux('new-session', '-d', '-x', '120', '-y', '40', '-s', 'sh', 'env -u CI NO_COLOR=1 PS1="prompt$ " bash --norc --noprofile');
    const screen = (): string => tmux('capture-pane', '-p', '-J', '-t', 'sh');
    const waitFor = async (re: RegExp): Promise<void> => {
      const deadline = Date.now() + 10_000;
      while (!re.test(screen())) {
        if (Date.now() > deadline) throw new Error(`never saw ${re}:\n${screen()}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    for (const [i, how] of ['q', 'C-c', 'crash'].entries()) {
      const env = how === 'crash' ? 'ALLOCTOP_TEST_CRASH_MS=1500 ' : '';
      tmux('send-keys', '-t', 'sh', `clear; ${env}${process.execPath} ${BIN} --address ${sim.url}`, 'Enter');
      await waitFor(/● live/);
      if (how !== 'crash') tmux('send-keys', '-t', 'sh', how);
      // Back at the shell: the alternate screen is gone and a fresh prompt waits.
      const deadline = Date.now() + 10_000;
      while (tmux('display', '-p', '-t', 'sh', '#{alternate_on}').trim() !== '0' || !/prompt\$ $/.test(screen().trimEnd() + ' ')) {
        if (Date.now() > deadline) throw new Error(`${how}: no prompt after exit:\n${screen()}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      tmux('send-keys', '-t', 'sh', `echo ok-$((${i}+40))`, 'Enter');
      await waitFor(new RegExp(`^ok-${i + 40}$`, 'm'));
      assert.equal(tmux('display', '-p', '-t', 'sh', '#{alternate_on}').trim(), '0', how);
      assert.match(screen(), new RegExp(`prompt\\$ echo ok-\\$\\(\\(${i}\\+40\\)\\)`), `${how}: typed text echoes again`);
    }
  });
});

describe('hostile data from the agent', () => {
  it('escape sequences, control characters, wide text, unknown statuses, a 5 MB allocation and 10,000 events', async () => {
    const hostileId = 'aaaaaaaa-0000-0000-0000-000000000001';
    const hugeId = 'aaaaaaaa-0000-0000-0000-000000000002';
    const eventsId = 'aaaaaaaa-0000-0000-0000-000000000003';
    const nowNs = Date.now() * 1e6;
    const stub = (ID: string, Name: string, extra: Record<string, unknown> = {}) => ({ ID, Name, JobID: 'evil', TaskGroup: 'g', Namespace: 'default', NodeName: 'n', ClientStatus: 'running', DesiredStatus: 'run', CreateTime: nowNs, ModifyIndex: 7, TaskStates: null, ...extra });
    const list = [
      // Most recently changed first: the nameless stub, chatty, huge, then the hostile one.
      stub(hostileId, '\x1b[2J\x1b[H\x1b]0;pwned\x07web.api[0]', { ClientStatus: 'exploded', JobID: '日本語🚀\u202Eevil', NodeName: 'tab\there\nnewline', ModifyTime: nowNs + 1e9 }),
      stub(hugeId, 'huge.alloc[0]', { ModifyTime: nowNs + 2e9 }),
      stub(eventsId, 'chatty.task[0]', { ModifyTime: nowNs + 3e9 }),
      { ID: 'aaaaaaaa-0000-0000-0000-000000000004', ModifyTime: nowNs + 4e9 },
    ];
    const events = Array.from({ length: 10_000 }, (_, i) => ({ Type: i % 2 ? 'Restarting' : '\x1b[31mTerminated', Time: nowNs - (10_000 - i) * 1e9, DisplayMessage: `event ${i} \x1b[5mblink\x07` }));
    const address = await fakeAgent({
      '/v1/regions': { body: '["global"]' },
      '/v1/namespaces': { body: '[{"Name":"default"}]' },
      '/v1/allocations': { body: JSON.stringify(list) },
      [`/v1/allocation/${hostileId}`]: { body: JSON.stringify({ ...list[0], TaskStates: { '\x1b[2Jtask': { State: 'weird', Events: [{ Type: 'Started', DisplayMessage: '\x1b[?1049lescape the alternate screen\x1b[?25l' }] } } }) },
      [`/v1/allocation/${hugeId}`]: { body: JSON.stringify({ ...list[1], Job: { ID: 'huge', Meta: { blob: 'x'.repeat(5 * 1024 * 1024) } }, TaskStates: { main: { State: 'running', Events: [{ Type: 'Started', DisplayMessage: 'y'.repeat(100_000) }] } } }) },
      [`/v1/allocation/${eventsId}`]: { body: JSON.stringify({ ...list[2], TaskStates: { chatty: { State: 'running', Restarts: 5000, Events: events } } }) },
    });
    const term = startConsole(['--address', address]);
    const intact = (s: string): boolean => /^alloctop │ /.test(s) && /ALLOCATIONS \(4 allocations\)/.test(s) && /\? help/.test(s);
    const first = await term.waitFor((s) => intact(s) && /allocation not found/.test(s));
    assert.match(first, /│aaaaaaaa –\s+–\s+\d+s\s+–\s/, 'a stub with no other fields (a ModifyTime, for its place) shows dashes');
    assert.match(first, /│aaaaaaaa �\[2J�\[H�\]0;pwned�web\.api\[0\]\s+exploded\s/, 'escape sequences shown as text, not obeyed; unknown status shown');
    assert.equal(term.alternateOn(), true, 'no escape sequence left the alternate screen');
    term.send('j');
    const chatty = await term.waitFor((s) => intact(s) && /event 9999 �\[/.test(s), 15_000);
    assert.match(chatty, /chatty\s+running\s+–\s+5000/);
    assert.ok(chatty.split('\n').every((line) => line.length <= 120), 'no line wider than the terminal');
    term.send('j');
    await term.waitFor((s) => intact(s) && /DETAIL {2}huge\.alloc\[0\]/.test(s) && /yyyyyyyy/.test(s), 15_000);
    term.send('j');
    const hostile = await term.waitFor((s) => intact(s) && /�\[\?1049lescape/.test(s), 15_000);
    assert.match(hostile, /�\[2Jtask\s+weird/);
    assert.match(hostile, /job 日本語🚀�evil/, 'the bidi override shown as �, not obeyed');
    assert.equal(term.alternateOn(), true);
    term.send('q');
    assert.equal(await term.exitCode(), 0);
  });

  it('null items and wrong types from the agent: the console keeps running and says so once', async () => {
    const id = 'bbbbbbbb-0000-0000-0000-000000000001';
    const nowNs = Date.now() * 1e6;
    const address = await fakeAgent({
      '/v1/regions': { body: '["global"]' },
      '/v1/namespaces': { body: '[null,{"Name":"default"},7]' },
      '/v1/allocations': { body: JSON.stringify([null, { ID: id, Name: 'odd.alloc[0]', JobID: 'odd', TaskGroup: 7, Namespace: 'default', ClientStatus: ['running'], DesiredStatus: 'run', CreateTime: 'yesterday', ModifyIndex: 7 }, 42]) },
      [`/v1/allocation/${id}`]: { body: JSON.stringify({ ID: id, Name: 'odd.alloc[0]', Namespace: 'default', ClientStatus: 'running', TaskStates: { web: { State: 'running', StartedAt: 1733000000, Restarts: 'many', Events: [null, { Type: 'Started', Time: nowNs, DisplayMessage: { text: 'x' } }] } } }) },
      [`/v1/allocation/${id}/services`]: { body: '[null,{"ServiceName":5}]' },
    });
    const term = startConsole(['--address', address]);
    // The detail's task table (from the repaired allocation) is what shows the console read it.
    await term.waitFor((s) => /ALLOCATIONS \(1 allocation\)/.test(s) && /DETAIL\s+odd\.alloc\[0\]/.test(s) && /web\s+running/.test(s) && /malformed values from the agent ignored/.test(s), 15_000);
    term.send('q');
    assert.equal(await term.exitCode(), 0);
  });
});
