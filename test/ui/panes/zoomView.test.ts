// The zoomed allocation's lines: full IDs, both statuses with descriptions, links and the
// reschedule chain, every task's every event with its date and whole message wrapped.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Allocation } from '../../../src/nomad/types.js';
import { formatStamp, zoomLines, zoomLinks } from '../../../src/ui/panes/zoomView.js';
import { wrap } from '../../../src/ui/format.js';

const ns = (iso: string): number => Date.parse(iso) * 1e6;
const long = 'Exceeded allowed attempts 2 in interval 30m0s and mode is "fail" — the task kept exiting with code 1 while its health check failed';
const alloc: Allocation = {
  ID: '50ebabd1-a02f-39e1-f1a6-9c636415ea9c', Name: 'api.api[0]', Namespace: 'default', JobID: 'api', TaskGroup: 'api', NodeName: 'ip-10-0-0-4', NodeID: 'node-1',
  EvalID: '9532d326-0000-0000-0000-000000000000', DesiredStatus: 'run', ClientStatus: 'failed', ClientDescription: 'Failed tasks',
  PreviousAllocation: 'prev-0000', NextAllocation: 'next-0000', CreateTime: ns('2026-11-29T09:54:41Z'), ModifyTime: ns('2026-12-01T10:00:00Z'),
  RescheduleTracker: { Events: [{ PrevAllocID: 'first-000', RescheduleTime: 1 }, { PrevAllocID: 'prev-0000', RescheduleTime: 2 }] },
  TaskStates: {
    app: { State: 'dead', Failed: true, Restarts: 2, Events: [{ Type: 'Received', Time: ns('2026-11-29T09:54:41Z') }, { Type: 'Not Restarting', Time: ns('2026-12-01T09:59:59Z'), DisplayMessage: long }] },
    sidecar: { State: 'dead', Failed: false, Events: [] },
  },
} as Allocation;

describe('zoom view', () => {
  it('has full IDs, both statuses, the links and the reschedule chain', () => {
    const text = zoomLines(alloc, undefined, [], 100, Date.now()).map((l) => l.text).join('\n');
    assert.match(text, /^ALLOCATION {2}api\.api\[0\]/);
    assert.match(text, /id {6}50ebabd1-a02f-39e1-f1a6-9c636415ea9c/);
    assert.match(text, /eval {4}9532d326-0000-0000-0000-000000000000/);
    assert.match(text, /client {2}failed — Failed tasks/);
    assert.match(text, /< previous prev-0000 {3}> next next-0000/);
    assert.match(text, /rescheduled 2×: first-000 → prev-0000 → 50ebabd1/);
    assert.deepEqual(zoomLinks(alloc), { previous: 'prev-0000', next: 'next-0000' });
  });

  it('shows every event of every task newest first, with its date, the whole message wrapped to the width', () => {
    const lines = zoomLines(alloc, undefined, [], 60, Date.now()).map((l) => l.text);
    const at = lines.findIndex((l) => l.includes('Not Restarting'));
    assert.ok(at > 0 && lines.indexOf('EVENTS  app (newest first)') < at);
    assert.ok(lines[at]?.startsWith(formatStamp(ns('2026-12-01T09:59:59Z'))), lines[at]);
    assert.match(formatStamp(ns('2026-12-01T09:59:59Z')), /^2026-12-0[12] \d\d:59:59$/);
    const joined = lines.slice(at, at + 5).map((l) => l.trim()).join(' ');
    assert.ok(joined.includes(long), 'the whole message, across lines');
    assert.deepEqual(lines.filter((l) => l.length > 60), [], 'no line wider than the pane');
    assert.ok(lines.indexOf('EVENTS  sidecar (newest first)') > at);
    assert.equal(lines[lines.indexOf('EVENTS  sidecar (newest first)') + 1], 'no events');
    assert.ok(lines.includes('no services registered'));
  });

  it('before the full read: the stub and what is happening', () => {
    const lines = zoomLines(undefined, { ID: 'abc', Name: 'web[1]' }, undefined, 60, Date.now(), 'loading allocation…').map((l) => l.text);
    assert.equal(lines[0], 'ALLOCATION  web[1]');
    assert.ok(lines.includes('loading allocation…'));
  });

  it('wrap: at spaces, mid-word when a word is wider than the line, wide characters as two', () => {
    assert.deepEqual(wrap('Exceeded allowed attempts 2', 12), ['Exceeded', 'allowed', 'attempts 2']);
    assert.deepEqual(wrap('aaaaaaaaaaaa bb', 5), ['aaaaa', 'aaaaa', 'aa bb']);
    assert.deepEqual(wrap('日本語日本', 4), ['日本', '語日', '本']);
    assert.deepEqual(wrap('', 4), ['']);
  });
});
