// End to end: the log view through the real binary in tmux — l shows what the agent's endpoint
// returns (compared with a plain read), a new line appears while following, / finds it, Esc
// returns to the list with the same selection, the ACL token never shows, and q or Ctrl-C
// from the view leave the terminal as it was.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { SimServer } from '../../src/sim/http/server.js';
import { cleanLogLine, plainLogText } from '../../src/store/logText.js';
import { killTmuxServer, startConsole } from '../helpers/tmux.js';
import { startSim } from '../helpers/sim.js';

after(killTmuxServer);

const TOKEN = '7d1e5a0c-5b2f-4c1e-9d7a-logs-secret-token';

const detailName = (screen: string): string | undefined => /DETAIL {2}(\S+)/.exec(screen)?.[1];
const detailId = (screen: string): string | undefined => /│id ([0-9a-f-]{36})/.exec(screen)?.[1];

/** The task's stdout as the agent returns it (plain), cleaned and cut as the view draws it. */
async function agentTail(sim: SimServer, id: string, task: string, width: number): Promise<string[]> {
  const response = await fetch(`${sim.url}/v1/client/fs/logs/${id}?task=${task}&type=stdout&origin=end&offset=65536&plain=true`, { headers: { 'X-Nomad-Token': TOKEN } });
  const lines = Buffer.from(await response.arrayBuffer()).toString('utf8').split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines.map((line) => plainLogText(cleanLogLine(line)).slice(0, width).trimEnd());
}

describe('logs end to end (tmux)', () => {
  it('l follows the task: the agent\'s lines, a new one as it comes, / finds it, Esc back to the same row', async () => {
    const sim = await startSim({ allocs: 20, acl: { management: TOKEN, readOnly: 'ro' }, logs: { rate: { linesPerSecond: 0 } } });
    const term = startConsole(['--address', sim.url], { NOMAD_TOKEN: TOKEN, NO_COLOR: '1' });
    const list = await term.waitFor((s) => /● live/.test(s) && detailId(s) !== undefined && /TASK/.test(s));
    const id = detailId(list) ?? '';
    const name = detailName(list);
    const task = Object.keys(sim.sim.cluster.get(id)?.alloc.TaskStates ?? {}).sort()[0] ?? '';
    term.send('Tab');
    await term.waitFor(new RegExp(`▸ ${task}`));
    term.type('l');
    const shown = await term.waitFor(new RegExp(`LOGS {2}${name?.replace(/[[\].]/g, '\\$&')} · ${task} · stdout[\\s\\S]*following`));
    // The rows on screen are the agent's last lines, in order.
    // Under the status bar, the title and the state line: the rows, no borders, then the footer.
    const rows = shown.split('\n').slice(3).map((row) => row.trimEnd()).filter((row) => row && !/^j\/k scroll/.test(row));
    const tail = await agentTail(sim, id, task, 120);
    const at = tail.indexOf(rows[0] ?? '');
    assert.ok(at >= 0, `the first row is one of the agent's lines: ${rows[0]}`);
    assert.deepEqual(rows, tail.slice(at, at + rows.length));
    // A new line while following.
    sim.sim.logs.get(id, task, '', 'stdout', 0).append(Buffer.from('deploy marker 42 reached\n'));
    await term.waitFor(/deploy marker 42 reached/, 3000);
    term.type('/');
    term.type('marker 42');
    term.send('Enter');
    await term.waitFor(/\/marker 42: 1 matching line/);
    // g: the first line held; the log is shorter than the tail read, so older output ends there.
    term.type('g');
    await term.waitFor(/paused at line 1 of [\s\S]*the start of the log/);
    term.send('Escape');
    const back = await term.waitFor((s) => /ALLOCATIONS \(/.test(s) && detailName(s) !== undefined);
    assert.equal(detailName(back), name, 'the same allocation is selected');
    for (const screen of [list, shown, back]) assert.ok(!screen.includes(TOKEN) && !screen.includes('logs-secret'), 'the token never shows');
    term.send('q');
    assert.equal(await term.exitCode(), 0);
  });

  it('q and Ctrl-C from the log view leave the terminal in normal mode', async () => {
    const sim = await startSim({ allocs: 10 });
    for (const how of ['q', 'C-c'] as const) {
      const term = startConsole(['--address', sim.url]);
      await term.waitFor((s) => /● live/.test(s) && /TASK/.test(s));
      term.send('Tab');
      await term.waitFor(/▸ DETAIL|│▸ \S/);
      term.type('l');
      await term.waitFor(/LOGS {2}[\s\S]*following/);
      term.send(how);
      assert.equal(await term.exitCode(), 0, how);
      assert.equal(term.alternateOn(), false, `alternate screen off after ${how}`);
      assert.equal(term.cursorVisible(), true, `cursor visible after ${how}`);
    }
  });

  it('a token without read-logs: the view says so in plain words and the console runs on', async () => {
    const sim = await startSim({ allocs: 10, acl: { management: 'm', readOnly: 'ro' } });
    const term = startConsole(['--address', sim.url], { NOMAD_TOKEN: 'ro' });
    await term.waitFor((s) => /● live/.test(s) && /TASK/.test(s));
    term.send('Tab');
    await term.waitFor(/│▸ \S/);
    term.type('l');
    await term.waitFor(/your token lacks read-logs in namespace default \(403 Permission denied\)/);
    term.send('Escape');
    await term.waitFor(/ALLOCATIONS \(/);
    term.send('q');
    assert.equal(await term.exitCode(), 0);
  });
});
