// The keymap reducer: keys of one read applied in order; filters, namespace picker, help.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseKeys } from '../../src/ui/input/keys.js';
import { bindingsFor, KEYMAP, reduceKey } from '../../src/ui/keymap.js';
import { uiReducer } from '../../src/ui/uiReducer.js';
import { NO_LOG_CONTEXT } from '../../src/ui/logs/logState.js';
import { footerText, helpLines } from '../../src/ui/Help.js';
import { initialUiState, selectedIndex, type KeyContext, type UiState } from '../../src/ui/state/uiState.js';

/** Five running allocations; sorted by name (the default) they read a, b, c, d, e. */
const stub = (ID: string, group: string, extra: Record<string, unknown> = {}) => ({ ID, Name: `${ID}.${group}[0]`, ClientStatus: 'running', DesiredStatus: 'run', JobID: ID, Namespace: 'default', ...extra });
const list = [stub('a', 'web'), stub('b', 'db'), stub('c', 'web'), stub('d', 'db'), stub('e', 'web')];
const ctx: KeyContext = { list, pageSize: 3, namespaces: ['*', 'default', 'platform'], detail: { id: 'a', taskCount: 2 }, readOnly: false, read: 1, zoom: { lines: 50, page: 20, previous: 'p', next: undefined }, sortable: ['id', 'name', 'status', 'changed'], servicesShown: true, help: { lines: 40, page: 10 }, report: { lines: 30, page: 10 }, logs: NO_LOG_CONTEXT };
/** One terminal read: every key of `chunk`, in order, each on the state the one before left. */
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

  it('the filter lines take readline keys: Ctrl-W, Ctrl-A, Left', () => {
    assert.equal(press('/web api\x17').textFilter, 'web ', 'Ctrl-W');
    assert.equal(press('/web\x01x\r').textFilter, 'xweb', 'Ctrl-A, then typing at the start');
    assert.equal(press('fClientStatus = "failed"\x1b[D\x1b[D\x1b[D\x1b[D\x1b[D\x1b[D\x1b[D\x1b[D\x1b[D=\r').serverFilter, 'ClientStatus == "failed"');
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
    assert.equal(press('\t\t', detail, { ...ctx, servicesShown: false }).focus, 'list', 'no services listed: Tab skips the pane');
  });

  it('sort cycles and flips; help opens and closes; q and Ctrl-C quit', () => {
    assert.equal(press('o').sort.column, 'id', 'after changed, the first column on screen');
    assert.equal(press('oo').sort.column, 'name');
    assert.equal(press('oooo').sort.column, 'changed', 'only the columns on screen, round again');
    assert.equal(press('O').sort.descending, true);
    assert.equal(press('?').mode, 'help');
    assert.equal(press('?q').quit, false);
    assert.equal(press('?\x1b').mode, 'list');
    assert.equal(press('?jjj').helpScroll, 3, 'j scrolls the help');
    assert.equal(press('?\x1b[6~\x1b[6~\x1b[6~\x1b[6~').helpScroll, 30, 'to its last page at most');
    assert.equal(press('?jjj\x1b?').helpScroll, 0, 'opens at the top again');
    assert.equal(press('q').quit, true);
    assert.equal(press('/abc\x03').quit, true);
  });

  it('s, r and S open a prompt on the selected allocation', () => {
    for (const [key, kind] of [['s', 'stop'], ['r', 'restart'], ['S', 'signal']] as const) {
      const state = press(key);
      assert.equal(state.mode, 'prompt');
      assert.equal(state.prompt?.kind, kind);
      assert.equal(state.prompt?.alloc.ID, 'a');
    }
  });

  it('keys of one read act on the state the key before left: js stops b, jjs stops c, /web Enter j moves among the filtered rows', () => {
    assert.equal(press('js').prompt?.alloc.ID, 'b');
    assert.equal(press('jjs').prompt?.alloc.ID, 'c');
    assert.equal(press('Gs').prompt?.alloc.ID, 'e');
    const filtered = press('/web\rj');
    assert.equal(filtered.textFilter, 'web');
    assert.equal(filtered.selectedId, 'c', 'the second of a, c, e: not b, the second of the unfiltered list');
    assert.equal(press('/web\rjs').prompt?.alloc.ID, 'c');
    assert.equal(press('Oj').selectedId, 'd', 'reversed (e d c b a), one down');
  });

  it('keys typed in the same read as a prompt opener are dropped and counted; the next read reaches the prompt', () => {
    const fast = press('s\x1b[B\rq');
    assert.equal(fast.mode, 'prompt', 'Down, Enter and q typed with s never reached a prompt the user had not seen');
    assert.equal(fast.quit, false);
    assert.equal(fast.prompt?.dropped, 3);
    const later = press('\x1b[B', fast, { ...ctx, read: 2 });
    assert.equal(later.prompt?.dropped, 3, 'a later read is the prompt\'s own, not dropped');
  });

  it('Tab and j pick tasks only once the detail shows the selected allocation', () => {
    assert.equal(press('\tj').taskIndex, 1);
    assert.equal(press('j\tj').taskIndex, 0, 'moved to b: the detail still shows a, whose tasks mean nothing for b');
  });

  it('y and Y copy what is selected (as the keys before left it) and say so', () => {
    const copied = press('jy');
    assert.equal(copied.copy?.text, 'b');
    assert.match(copied.result?.text ?? '', /^copied allocation ID b \(OSC 52/);
    assert.equal(press('Y').copy?.text, 'nomad alloc status -namespace=default a');
    assert.equal(press('y', undefined, { ...ctx, list: [] }).copy, undefined);
    assert.notEqual(press('y', copied).copy, copied.copy, 'each press is a new copy, written again');
  });

  it('the footer keeps "? help" and "q quit" at any width, dropping what does not fit', () => {
    for (const width of [40, 60, 80, 120, 200]) {
      const text = footerText(KEYMAP, width);
      assert.ok(text.length <= width, `${width}: ${text}`);
      assert.match(text, /\? help {2}q quit$/, `${width}: ${text}`);
    }
    assert.match(footerText(KEYMAP, 200), /^j\/k move .* s stop .* y copy {2}\? help {2}q quit$/);
    assert.equal(footerText(KEYMAP, 200, 'zoom'), 'l logs  j/k scroll  < prev  > next  y copy  Esc back  ? help  q quit');
  });

  it('Enter zooms the selected allocation; j/k, pages, g/G scroll within its lines; < follows the previous one; Esc goes back', () => {
    const zoomed = press('j\r');
    assert.equal(zoomed.mode, 'zoom');
    assert.deepEqual(zoomed.zoom, { id: 'b', scroll: 0 });
    assert.equal(press('jjj', zoomed).zoom?.scroll, 3);
    assert.equal(press('jjj', zoomed).selectedId, 'b', 'the list selection stays');
    assert.equal(press('G', zoomed).zoom?.scroll, 30, '50 lines, 20 on screen');
    assert.equal(press('Gj', zoomed).zoom?.scroll, 30);
    assert.equal(press('\x1b[6~', zoomed).zoom?.scroll, 19);
    assert.equal(press('kkk', zoomed).zoom?.scroll, 0);
    assert.deepEqual(press('G<', zoomed).zoom, { id: 'p', scroll: 0 });
    assert.match(press('>', zoomed).result?.text ?? '', /no next allocation/);
    assert.equal(press('?', zoomed).mode, 'help');
    assert.equal(press('?\x1b', zoomed).mode, 'zoom', 'help goes back to the zoom');
    const back = press('\x1b', zoomed);
    assert.equal(back.mode, 'list');
    assert.equal(back.zoom, undefined);
    assert.equal(press('zy', undefined).copy?.text, 'a');
  });

  it('J opens the jobs view; j/k pick a job; Enter shows its allocations only; Esc in the list clears it', () => {
    const jobs = press('J');
    assert.equal(jobs.mode, 'jobs');
    // Job rows, by namespace/job/group: default/a/, default/b/, default/c/, …
    const picked = press('jj\r', jobs);
    assert.equal(picked.mode, 'list');
    assert.equal(picked.jobFilter, 'default/c/', 'these stubs have no group');
    assert.equal(press('s', picked).prompt?.alloc.ID, 'c', 'the only row of that job');
    assert.equal(press('js', picked).prompt?.alloc.ID, 'c');
    assert.equal(press('\x1b', picked).jobFilter, '', 'Esc clears the job filter');
    assert.equal(press('J', picked).jobsCursor, 2, 'the jobs view opens on the job the list shows');
    assert.equal(press('G', jobs).jobsCursor, 4);
    assert.equal(press('\x1b', jobs).mode, 'list');
    assert.equal(press('?\x1b', jobs).mode, 'jobs', 'help goes back to the jobs view');
  });

  it('says why instead of opening a prompt Nomad would refuse', () => {
    const done = { ...ctx, list: [stub('a', 'web', { ClientStatus: 'complete', DesiredStatus: 'stop' }), ...list.slice(1)] };
    const restart = press('r', undefined, done);
    assert.equal(restart.mode, 'list');
    assert.match(restart.result?.text ?? '', /cannot restart a\.web\[0\] \(a\): it is complete with desired stop/);
    assert.match(press('s', undefined, done).result?.text ?? '', /already stopped/);
    assert.equal(press('js', undefined, done).mode, 'prompt', 'the next row is running');
    const batch = { ...ctx, list: [stub('a', 'web', { ClientStatus: 'complete', DesiredStatus: 'run' })] };
    assert.equal(press('s', undefined, batch).mode, 'prompt', 'a completed batch allocation can still be stopped');
    assert.equal(press('sj', undefined, { ...ctx, list: [] }).result, undefined, 'the next key clears the result line');
  });

  it('read-only: action keys do not exist, in the reducer and in help', () => {
    const readOnly = { ...ctx, readOnly: true };
    for (const [key, name] of [['s', 'stop'], ['r', 'restart'], ['S', 'signal']] as const) {
      const pressed = press(key, undefined, readOnly);
      assert.equal(pressed.mode, 'list');
      assert.equal(pressed.result?.text, `read-only: ${name} is disabled (alloctop runs with --read-only)`);
    }
    const help = helpLines(bindingsFor(true)).join('\n');
    assert.doesNotMatch(help, /stop the allocation|restart|signal/);
    assert.match(helpLines(bindingsFor(false)).join('\n'), /stop the allocation/);
  });

  it('help lists every binding from the same table', () => {
    const lines = helpLines().join('\n');
    for (const binding of KEYMAP) assert.ok(lines.includes(binding.help), binding.help);
  });

  it('prompts move by the same table, each key on the option the keys before it left', () => {
    const read = (n: number) => ({ ...ctx, read: n });
    const stop = press('s');
    assert.deepEqual(press('jj\r', stop, read(2)).prompt?.send, { kind: 'stop', noShutdownDelay: true });
    assert.deepEqual(press('jjjjjk\r', stop, read(2)).prompt?.send, { kind: 'stop', noShutdownDelay: false }, 'the highlight stops at the last option');
    const cancelled = press('\r', stop, read(2));
    assert.equal(cancelled.mode, 'list');
    assert.equal(cancelled.prompt, undefined);
    assert.equal(cancelled.result?.text, 'stop cancelled — nothing was sent');
    assert.equal(press('q', stop, read(2)).result?.text, 'stop cancelled — nothing was sent', 'q cancels a list');
    const restart = { ...press('r'), prompt: { ...press('r').prompt!, running: ['api', 'sidecar'] } };
    assert.deepEqual(press('G\r', restart, read(2)).prompt?.send, { kind: 'restart', target: { task: 'sidecar' }, what: 'task sidecar' }, 'one option per running task');
  });

  it('a prompt step change drops the rest of its read too; a typed signal takes q as text', () => {
    const read = (n: number) => ({ ...ctx, read: n });
    const signal = press('S');
    const task = press('\x1b[B\r\x1b[B\r', signal, read(2));
    assert.deepEqual(task.prompt?.step, { name: 'task', signal: 'SIGHUP' });
    assert.equal(task.prompt?.dropped, 2, 'Down and Enter came before the task step was drawn');
    assert.equal(task.prompt?.send, undefined);
    const typing = press('G\r', signal, read(2));
    assert.equal(typing.mode, 'promptText');
    assert.equal(press('q', typing, read(3)).prompt?.draft.text, 'q');
    assert.match(press('sigwinch\r', typing, read(3)).prompt?.error ?? '', /upper case for Nomad: type SIGWINCH/);
    const named = press('SIGWINCH\x01\x0bSIGUSR1\r', typing, read(3));
    assert.equal(named.mode, 'prompt');
    assert.deepEqual(named.prompt?.step, { name: 'task', signal: 'SIGUSR1' }, 'Ctrl-A, Ctrl-K: readline keys in the prompt too');
    assert.equal(press('\x1b', typing, read(3)).result?.text, 'signal cancelled — nothing was sent');
  });

  it('while a request is in flight no key but Ctrl-C acts; Ctrl-C quits from every mode', () => {
    const sending = press('j\r', press('s'), { ...ctx, read: 2 });
    assert.ok(sending.prompt?.send);
    const after = press('\x1bk\r', sending, { ...ctx, read: 3 });
    assert.equal(after.mode, 'prompt');
    assert.equal(after.prompt, sending.prompt, 'unchanged');
    for (const opener of ['', 's', '\r', 'J', '?', 'n', '/', 'f']) assert.equal(press('\x03', press(opener)).quit, true, `Ctrl-C after ${JSON.stringify(opener)}`);
  });

  it('every mode\'s keys are in the one table: help lists filter, picker, help and prompt keys', () => {
    const lines = helpLines(bindingsFor(false)).join('\n');
    for (const section of ['FILTER LINE', 'NAMESPACE PICKER', 'HELP SCREEN', 'PROMPTS']) assert.match(lines, new RegExp(`^${section}$`, 'm'));
    assert.doesNotMatch(helpLines(bindingsFor(true)).join('\n'), /^PROMPTS$/m, 'no prompts in read-only mode');
    assert.equal(footerText(KEYMAP, 80, 'prompt'), 'j/k move  Enter choose  Esc cancel');
    assert.equal(footerText(KEYMAP, 80, 'textFilter'), 'Enter apply  Esc clear');
    assert.equal(footerText(KEYMAP, 80, 'serverFilter'), 'Enter apply  Esc cancel');
  });

  it('z opens the zoom at the focused pane: the focused task\'s events, or the services; a hand scroll drops the section', () => {
    assert.equal(press('z').zoom?.anchor, undefined, 'from the list: the top');
    assert.equal(press('\tz').zoom?.anchor, 'task:0');
    assert.equal(press('\tjz').zoom?.anchor, 'task:1');
    assert.equal(press('\t\t\tz').zoom?.anchor, 'services');
    const opened = press('\tjz');
    const at = uiReducer(opened, { zoomAt: 12 });
    assert.deepEqual(at.zoom, { id: 'a', scroll: 12 }, 'the section arrived: scrolled there, once');
    const scrolled = press('j', opened);
    assert.deepEqual(uiReducer(scrolled, { zoomAt: 12 }).zoom, { id: 'a', scroll: 1 }, 'scrolled by hand first: stays');
  });

  it('Space marks and moves down; v marks a range; * marks what the filters show; u and Esc unmark', () => {
    const marked = press('  ');
    assert.deepEqual([...marked.marks], ['a', 'b']);
    assert.equal(marked.selectedId, 'c', 'each Space moves down');
    assert.deepEqual([...press(' ', press('k', marked)).marks], ['a'], 'Space again unmarks');
    assert.deepEqual([...press(' jjv').marks].sort(), ['a', 'b', 'c', 'd'], 'v: from the last Space to here');
    assert.deepEqual([...press('jjv').marks], ['c'], 'v with no Space before: the row itself');
    assert.deepEqual([...press('/web\r*').marks].sort(), ['a', 'c', 'e'], '* marks the rows the filter shows');
    assert.equal(press('/web\r**').marks.size, 0, '* again unmarks them');
    assert.equal(press('  u').marks.size, 0);
    assert.equal(press('  /x\r\x1b').marks.size, 2, 'Esc in the list clears the text filter first');
    assert.equal(press('  \x1b').marks.size, 0, 'Esc with no filter left clears the marks');
    assert.deepEqual([...press('  O').marks], ['a', 'b'], 'marks are by ID: re-sorting keeps them');
  });

  it('with marks, s opens one prompt on the marked allocations, skipping those Nomad would refuse', () => {
    const mixed = { ...ctx, list: [stub('a', 'web', { ClientStatus: 'complete', DesiredStatus: 'stop' }), ...list.slice(1)] };
    const restart = press(' j j r', undefined, mixed);
    assert.equal(restart.mode, 'prompt');
    assert.deepEqual(restart.prompt?.bulk?.targets.map((a) => a.ID), ['c', 'e'], 'a, c and e marked; a is complete');
    const prompt = press('  j r', undefined, mixed).prompt;
    assert.deepEqual(prompt?.bulk?.targets.map((a) => a.ID), ['b', 'd']);
    assert.deepEqual(prompt?.bulk?.skipped.map((skip) => skip.alloc.ID), ['a']);
    assert.match(prompt?.bulk?.skipped[0]?.reason ?? '', /cannot restart a\.web\[0\]/);
    const none = press(' r', undefined, mixed);
    assert.equal(none.mode, 'list');
    assert.match(none.result?.text ?? '', /^none of the 1 marked allocation allows restart: cannot restart/);
    const copied = press('  y');
    assert.equal(copied.copy?.text, 'a\nb');
    assert.match(copied.result?.text ?? '', /^copied 2 marked allocation IDs, one per line/);
  });

  it('a bulk prompt over 10 allocations asks for the count typed; a wrong count is refused, Esc sends nothing', () => {
    const many = { ...ctx, list: Array.from({ length: 12 }, (_, i) => stub(`m${String(i).padStart(2, '0')}`, 'web')) };
    const read = (n: number) => ({ ...many, read: n });
    const open = press('*s', undefined, many);
    assert.equal(open.prompt?.bulk?.targets.length, 12);
    const typing = press('j\r', open, read(2));
    assert.equal(typing.mode, 'promptText');
    assert.deepEqual(typing.prompt?.step, { name: 'typeCount', send: { kind: 'stop', noShutdownDelay: false } });
    assert.equal(typing.prompt?.send, undefined, 'nothing sent yet');
    assert.match(press('11\r', typing, read(3)).prompt?.error ?? '', /^type 12 to stop them, or Esc to cancel$/);
    const sending = press('12\r', typing, read(3));
    assert.deepEqual(sending.prompt?.send, { kind: 'stop', noShutdownDelay: false });
    assert.deepEqual(sending.prompt?.progress, { done: 0, failed: 0, total: 12, stopping: false });
    assert.equal(press('\x1b', sending, read(4)).prompt?.progress?.stopping, true, 'Esc while sending: send no more');
    const moved = press('jj', sending, read(4));
    assert.equal(moved.selectedId, 'm02', 'j moves the list while they are sent');
    assert.equal(moved.prompt, sending.prompt, 'and nothing else');
    assert.equal(press('\x1b', typing, read(3)).result?.text, 'stop cancelled — nothing was sent');
    const few = press('  s', undefined, many);
    assert.deepEqual(press('j\r', few, read(2)).prompt?.send, { kind: 'stop', noShutdownDelay: false }, 'two: no count to type');
  });
});

describe('UI reducer: marks and bulk results', () => {
  const state = parseKeys('  ').reduce((s, key) => reduceKey(s, key, ctx), initialUiState('default'));
  it('marks of allocations the list no longer holds go; the same set when none went', () => {
    assert.equal(uiReducer(state, { pruneMarks: list }), state);
    assert.deepEqual([...uiReducer(state, { pruneMarks: list.slice(1) }).marks], ['b']);
    // A mark made after the list arrived survives a prune sent for that list.
    const later = press(' ', state, { ...ctx, read: 9 });
    assert.ok(later.marks.size > state.marks.size);
    assert.deepEqual([...uiReducer(later, { pruneMarks: list }).marks].sort(), [...later.marks].sort());
  });
  it('a bulk action ending closes the prompt, keeps the report for R, says the summary and drops the marks', () => {
    const report = { kind: 'stop' as const, items: [{ alloc: list[0]!, outcome: { ok: true, text: 'stop sent for a.web[0]' } }], notSent: [], skipped: [] };
    const done = uiReducer({ ...state, mode: 'prompt' }, { bulkDone: report });
    assert.equal(done.mode, 'list');
    assert.equal(done.marks.size, 0);
    assert.equal(done.result?.text, '1 stopped · R: the report');
    assert.equal(reduceKey(done, parseKeys('R')[0]!, ctx).mode, 'report');
    assert.match(reduceKey(initialUiState('default'), parseKeys('R')[0]!, ctx).result?.text ?? '', /^no bulk action yet/);
  });
});

describe('keymap: the log view', () => {
  const lines = Array.from({ length: 100 }, (_, i) => (i % 10 === 3 ? `line ${i} ERROR boom` : `line ${i} ok`));
  const withLogs = { ...ctx, detail: { id: 'a', taskCount: 2, tasks: ['app', 'sidecar'] }, logs: { lines, base: 0, page: 20, appended: 100 } };
  const read = (n: number) => ({ ...withLogs, read: n });
  it('l opens the focused task, a choice of several, or says the tasks are not known yet', () => {
    const focused = press('\tjl', undefined, withLogs);
    assert.equal(focused.mode, 'logs');
    assert.equal(focused.logs?.task, 'sidecar');
    assert.equal(focused.logs?.top, undefined, 'following');
    const choice = press('l', undefined, withLogs);
    assert.equal(choice.mode, 'logTask');
    assert.equal(press('j\r', choice, withLogs).logs?.task, 'sidecar');
    assert.equal(press('\x1b', choice, withLogs).mode, 'list');
    const single = press('l', undefined, { ...withLogs, detail: { id: 'a', taskCount: 1, tasks: ['only'] } });
    assert.equal(single.logs?.task, 'only');
    assert.match(press('jl', undefined, withLogs).result?.text ?? '', /tasks of b\.db\[0\] are not known yet/);
  });

  it('k pauses (counting from there), j past the end and G follow again, g goes to the first line', () => {
    const open = press('\tl', undefined, withLogs);
    const paused = press('k', open, withLogs);
    assert.equal(paused.logs?.top, 79, 'one line above the last page');
    assert.equal(paused.logs?.pausedAt, 100);
    assert.equal(press('j', paused, withLogs).logs?.top, undefined, 'past the end: following');
    assert.equal(press('kkG', open, withLogs).logs?.top, undefined);
    assert.equal(press('g', open, withLogs).logs?.top, 0);
    assert.equal(press('e', open, withLogs).logs?.type, 'stderr');
    assert.equal(press('e\t', open, withLogs).logs?.type, 'stdout');
    assert.equal(press('W', open, withLogs).logs?.wrap, true);
    const back = press('\x1b', open, withLogs);
    assert.equal(back.mode, 'list');
    assert.equal(back.selectedId, open.selectedId, 'the same selection');
  });

  it('/ searches: Enter shows the nearest match above, n/N step, & shows only matches; w asks for a file name', () => {
    const open = press('\tl', undefined, withLogs);
    const found = press('/ERROR\r', open, read(2));
    assert.equal(found.mode, 'logs');
    assert.equal(found.logs?.match, 93, 'the last match above the bottom');
    assert.equal(press('N', found, read(3)).logs?.match, 83);
    assert.equal(press('Nn', found, read(3)).logs?.match, 93);
    assert.match(press('n', found, read(3)).result?.text ?? '', /no more matches below/);
    assert.equal(press('&', found, read(3)).logs?.filter, true);
    assert.match(press('/nothing\r', open, read(2)).result?.text ?? '', /"nothing" is not in the lines held/);
    assert.equal(press('/x\x1b', open, read(2)).logs?.search, '');
    assert.equal(press('/ERR', open, read(2)).logs?.search, 'ERR', 'applied as it is typed');
    const saving = press('w', open, read(2));
    assert.equal(saving.mode, 'logSave');
    assert.equal(saving.logs?.draft.text, 'alloctop-a-app-stdout.log');
    const asked = press('\x15out.log\r', saving, read(3));
    assert.deepEqual(asked.saveLog, { path: 'out.log' });
    assert.equal(asked.mode, 'logs');
  });
});

describe('keymap: exec', () => {
  const withTasks = (running: string[], tasks = running): KeyContext => ({ ...ctx, detail: { id: 'a', taskCount: tasks.length, tasks, running } });
  const read = (n: number, base = withTasks(['server'])): KeyContext => ({ ...base, read: n });

  it('x on one running task goes straight to the command, /bin/sh first; Enter sends it and it is offered next time', () => {
    const open = press('x', undefined, read(1));
    assert.equal(open.mode, 'promptText');
    assert.deepEqual(open.prompt?.step, { name: 'execCommand', task: 'server' });
    assert.equal(open.prompt?.draft.text, '/bin/sh');
    const sent = press("\x15/bin/bash -c 'ls /'\r", open, read(2));
    assert.deepEqual(sent.prompt?.send, { kind: 'exec', task: 'server', command: ['/bin/bash', '-c', 'ls /'] });
    assert.equal(sent.execCommand, '["/bin/bash","-c","ls /"]');
    const done = uiReducer(sent, { promptDone: { ok: true, text: 'exited 0' } });
    assert.equal(press('x', done, read(3)).prompt?.draft.text, '["/bin/bash","-c","ls /"]', 'the last command is offered first');
  });

  it('several running tasks: a choice first (Cancel first); the focused task when the detail has focus', () => {
    const ctx2 = withTasks(['app', 'server']);
    const open = press('x', undefined, read(1, ctx2));
    assert.equal(open.mode, 'prompt');
    assert.deepEqual(open.prompt?.step, { name: 'execTask' });
    const chosen = press('jj\r', open, read(2, ctx2));
    assert.deepEqual(chosen.prompt?.step, { name: 'execCommand', task: 'server' });
    assert.equal(chosen.mode, 'promptText');
    assert.equal(chosen.prompt?.draft.text, '/bin/sh');
    const focused = press('x', press('\tj', undefined, read(1, ctx2)), read(2, ctx2));
    assert.deepEqual(focused.prompt?.step, { name: 'execCommand', task: 'server' });
  });

  it('says why when there is nothing to exec into; an empty or broken command is refused under the line', () => {
    assert.match(press('x', undefined, read(1, withTasks([], ['server']))).result?.text ?? '', /none of its tasks is running/);
    assert.match(press('x', undefined, read(1, { ...ctx, detail: { id: 'a', taskCount: 0 } })).result?.text ?? '', /not known yet: press x again/);
    assert.match(press('\tx', undefined, read(1, withTasks(['app'], ['server', 'app']))).result?.text ?? '', /task server: it is not running/);
    const gone = { ...withTasks(['server']), list: [stub('a', 'web', { ClientStatus: 'complete' }), ...list.slice(1)] };
    assert.match(press('x', undefined, read(1, gone)).result?.text ?? '', /cannot exec in a\.web\[0\] \(a\): it is complete/);
    const open = press('x', undefined, read(1));
    assert.equal(press('\x15\r', open, read(2)).prompt?.error, 'type a command, like /bin/sh or ["/bin/bash","-l"]');
    assert.equal(press('\x15[nope\r', open, read(2)).prompt?.send, undefined);
  });

  it('keys in the read that opened it are dropped; while the session runs no key acts, not even Ctrl-C; read-only has no x', () => {
    const fast = press('x\r', undefined, read(1));
    assert.equal(fast.prompt?.send, undefined, 'x Enter pasted together runs nothing');
    const running = press('\r', fast, read(2));
    assert.ok(running.prompt?.send);
    for (const key of ['\x03', '\x1a', 'q', '\x1b', 'j']) assert.equal(press(key, running, read(3)), running, JSON.stringify(key));
    const readOnly = press('x', undefined, { ...read(1), readOnly: true });
    assert.equal(readOnly.result?.text, 'read-only: exec is disabled (alloctop runs with --read-only)');
    assert.doesNotMatch(helpLines(bindingsFor(true)).join('\n'), /exec/);
    assert.match(helpLines(bindingsFor(false)).join('\n'), /~\. after Enter ends a hung session/);
  });
});

describe('keymap: the services pane', () => {
  it('Tab reaches the services, j/k move its cursor within its rows, Tab goes back to the list', () => {
    const withRows: KeyContext = { ...ctx, detail: { id: 'a', taskCount: 1 }, servicesShown: true, serviceRows: 3 };
    const focused = press('\t\t', undefined, withRows);
    assert.equal(focused.focus, 'services');
    assert.equal(focused.servicesCursor, 0);
    assert.equal(press('jjjj', focused, withRows).servicesCursor, 2, 'stops at the last row');
    assert.equal(press('jjk', focused, withRows).servicesCursor, 1);
    assert.equal(press('jj', focused, withRows).selectedId, focused.selectedId, 'the list selection stays');
    assert.equal(press('\t', focused, withRows).focus, 'list');
  });
});
