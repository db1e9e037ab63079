// The keymap reducer: keys of one read applied in order; filters, namespace picker, help.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseKeys } from '../../src/ui/input/keys.js';
import { bindingsFor, KEYMAP, reduceKey } from '../../src/ui/keymap.js';
import { helpLines } from '../../src/ui/Help.js';
import { initialUiState, selectedIndex, type KeyContext, type UiState } from '../../src/ui/state/uiState.js';

const running = { ID: 'c', Name: 'web.api[2]', ClientStatus: 'running', DesiredStatus: 'run', JobID: 'web', Namespace: 'default' };
const ctx: KeyContext = { rowIds: ['a', 'b', 'c', 'd', 'e'], pageSize: 3, namespaces: ['*', 'default', 'platform'], taskCount: 2, selected: running, readOnly: false };
const press = (chunk: string, state: UiState = initialUiState('default'), context = ctx): UiState => parseKeys(chunk).reduce((s, key) => reduceKey(s, key, context), state);

describe('keymap reducer', () => {
  it('moves through the list, one read or many', () => {
    assert.equal(press('jjj').selectedId, 'd');
    assert.equal(press('j\x1b[B\x1b[B').selectedId, 'd');
    assert.equal(press('jjjjjjjjk').selectedId, 'd');
    assert.equal(press('G').selectedId, 'e');
    assert.equal(press('Gg').selectedId, 'a');
    assert.equal(press('\x1b[6~').selectedId, 'c');
  });

  it('keeps the selection on the same allocation when rows move, and the position when it vanishes', () => {
    const state = press('jj');
    assert.equal(state.selectedId, 'c');
    assert.equal(selectedIndex(state, ['x', 'c', 'a']), 1);
    assert.equal(selectedIndex(state, ['a', 'b', 'd', 'e']), 2);
    assert.equal(selectedIndex(state, []), -1);
  });

  it('text filter applies as you type; Enter keeps, Esc clears', () => {
    const typing = press('/web');
    assert.equal(typing.mode, 'textFilter');
    assert.equal(typing.textFilter, 'web');
    assert.equal(press('\r', typing).textFilter, 'web');
    assert.equal(press('\x1b', typing).textFilter, '');
    assert.equal(press('\x7f', typing).textFilter, 'we');
    assert.equal(press('q', typing).quit, false, 'q is text while typing');
  });

  it('server filter applies on Enter only; Esc keeps the old one', () => {
    const typed = press('fClientStatus == "failed"');
    assert.equal(typed.serverFilter, '');
    const applied = press('\r', typed);
    assert.equal(applied.serverFilter, 'ClientStatus == "failed"');
    assert.equal(press('fxyz\x1b', applied).serverFilter, 'ClientStatus == "failed"');
    assert.equal(press('f\x15\r', applied).serverFilter, '', 'Ctrl-U then Enter clears it');
  });

  it('namespace picker: opens on the current namespace, moves, switches, cancels', () => {
    const open = press('n');
    assert.equal(open.mode, 'namespace');
    assert.equal(open.namespaceCursor, 1);
    assert.equal(press('j\r', open).namespace, 'platform');
    assert.equal(press('k\r', open).namespace, '*');
    assert.equal(press('j\x1b', open).namespace, 'default');
  });

  it('Tab walks list → each task → services → list; j/k pick tasks while the detail has focus', () => {
    const detail = press('\t');
    assert.equal(detail.focus, 'detail');
    assert.equal(press('j', detail).taskIndex, 1);
    assert.equal(press('j', detail).selectedId, undefined, 'the list selection did not move');
    assert.equal(press('\t\t', detail).focus, 'services');
    assert.equal(press('\t\t\t', detail).focus, 'list');
  });

  it('sort cycles and flips; help opens and closes; q and Ctrl-C quit', () => {
    assert.equal(press('o').sort.column, 'job');
    assert.equal(press('O').sort.descending, true);
    assert.equal(press('?').mode, 'help');
    assert.equal(press('?q').quit, false);
    assert.equal(press('?\x1b').mode, 'list');
    assert.equal(press('q').quit, true);
    assert.equal(press('/abc\x03').quit, true);
  });

  it('s, r and S open a prompt on the selected allocation; keys after it in the same read are dropped', () => {
    for (const [key, kind] of [['s', 'stop'], ['r', 'restart'], ['S', 'signal']] as const) {
      const state = press(key);
      assert.equal(state.mode, 'prompt');
      assert.deepEqual(state.prompt, { kind, alloc: running });
    }
    const fast = press('s\x1b[B\rq');
    assert.equal(fast.mode, 'prompt', 'Down, Enter and q typed with s never reached a prompt the user had not seen');
    assert.equal(fast.quit, false);
  });

  it('says why instead of opening a prompt Nomad would refuse', () => {
    const done = { ...running, ClientStatus: 'complete', DesiredStatus: 'stop' };
    const restart = press('r', undefined, { ...ctx, selected: done });
    assert.equal(restart.mode, 'list');
    assert.match(restart.result?.text ?? '', /cannot restart web\.api\[2\] \(c\): it is complete with desired stop/);
    assert.match(press('s', undefined, { ...ctx, selected: done }).result?.text ?? '', /already stopped/);
    assert.equal(press('s', undefined, { ...ctx, selected: { ...running, ClientStatus: 'complete', DesiredStatus: 'run' } }).mode, 'prompt', 'a completed batch allocation can still be stopped');
    assert.equal(press('sj', undefined, { ...ctx, selected: undefined }).result, undefined, 'the next key clears the result line');
  });

  it('read-only: action keys do not exist, in the reducer and in help', () => {
    const readOnly = { ...ctx, readOnly: true };
    for (const key of ['s', 'r', 'S']) assert.equal(press(key, undefined, readOnly).mode, 'list');
    const help = helpLines(bindingsFor(true)).join('\n');
    assert.doesNotMatch(help, /stop the allocation|restart|signal/);
    assert.match(helpLines(bindingsFor(false)).join('\n'), /stop the allocation/);
  });

  it('help lists every binding from the same table', () => {
    const lines = helpLines().join('\n');
    for (const binding of KEYMAP) assert.ok(lines.includes(binding.help), binding.help);
  });
});
