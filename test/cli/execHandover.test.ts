// The terminal hand-over, with a fake terminal and session: keys go to the session (not to
// Ink's listeners), ~. ends it, the terminal modes are reset and Ink's readers come back; a
// session that cannot even be opened is said, and leaves the console as it was.
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { describe, it } from 'node:test';
import { execRunner, RESET_MODES } from '../../src/cli/execHandover.js';
import type { ExecEnd } from '../../src/nomad/exec.js';

function fakeTerminal() {
  const stdin = new EventEmitter() as EventEmitter & NodeJS.ReadStream;
  const stdout = Object.assign(new EventEmitter(), { rows: 30, columns: 100 }) as unknown as NodeJS.WriteStream;
  const inkReader = (): void => {};
  stdin.on('readable', inkReader);
  const written: string[] = [];
  const states: boolean[] = [];
  let repaints = 0;
  return { stdin, stdout, inkReader, written, states, repaints: () => repaints, terminal: { stdin, stdout, write: (d: string | Uint8Array) => void written.push(String(d)), setHandedOver: (on: boolean) => void states.push(on), repaint: () => void (repaints += 1) } };
}

const target = { alloc: { ID: 'a1b2c3d4-0000-0000-0000-000000000000', Name: 'web.api[0]', Namespace: 'default' }, task: 'server', command: ['/bin/sh'] };
const allowAll = { lacking: async () => undefined };

describe('exec hand-over', () => {
  it('keys go to the session, not to Ink; ~. after Enter ends it; the console gets its terminal back', async () => {
    const t = fakeTerminal();
    const sent: string[] = [];
    const sizes: string[] = [];
    let finish: (end: ExecEnd) => void = () => {};
    const session = { ended: new Promise<ExecEnd>((resolve) => (finish = resolve)), write: (d: Uint8Array) => void sent.push(Buffer.from(d).toString()), resize: (h: number, w: number) => void sizes.push(`${h}x${w}`), close: () => finish({ kind: 'closed' }) };
    const run = execRunner({ exec: () => session as never }, allowAll, t.terminal);
    const report = run(target);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(t.stdin.listenerCount('readable'), 0, "Ink's reader is set aside");
    t.stdin.emit('data', 'ls\r');
    t.stdout.emit('resize');
    t.stdin.emit('data', '~.');
    assert.deepEqual(await report, { kind: 'closed' });
    assert.deepEqual(sent, ['ls\r']);
    assert.deepEqual(sizes, ['30x100', '30x100']);
    assert.deepEqual(t.states, [true, false]);
    assert.equal(t.repaints(), 1);
    assert.ok(t.written.at(-1)?.startsWith(RESET_MODES), 'modes reset before the console draws again');
    assert.deepEqual(t.stdin.listeners('readable'), [t.inkReader], "Ink's reader is back");
    assert.equal(t.stdin.listenerCount('data'), 0);
  });

  it('a session that cannot be opened is said, and the terminal is the console\'s again', async () => {
    const t = fakeTerminal();
    const run = execRunner({ exec: () => { throw new Error('bad address'); } }, allowAll, t.terminal);
    const report = await run(target);
    assert.deepEqual(report, { kind: 'lost', message: 'could not open the session: bad address' });
    assert.deepEqual(t.states, [true, false]);
    assert.deepEqual(t.stdin.listeners('readable'), [t.inkReader]);
  });

  it('a token known to lack alloc-exec is told so, and nothing is handed over', async () => {
    const t = fakeTerminal();
    let opened = 0;
    const run = execRunner({ exec: () => { opened += 1; throw new Error('never'); } }, { lacking: (async () => 'alloc-exec') as never }, t.terminal);
    assert.deepEqual(await run(target), { kind: 'denied', capability: 'alloc-exec', namespace: 'default' });
    assert.equal(opened, 0);
    assert.deepEqual(t.states, []);
  });
});
