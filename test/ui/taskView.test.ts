// Task rows and events as the detail pane shows them, including old agents' missing fields.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { eventMessage, eventRows, taskNames, taskRow } from '../../src/ui/panes/taskView.js';

describe('taskView', () => {
  const now = Date.parse('2026-11-23T12:00:00Z');
  it('task rows, with dashes for what an agent left out', () => {
    assert.deepEqual(taskRow('web', { State: 'running', Failed: false, Restarts: 2, StartedAt: '2026-11-23T11:58:00Z', FinishedAt: null }, now), { name: 'web', state: 'running', failed: 'no', restarts: '2', started: '2m ago', finished: '–' });
    assert.deepEqual(taskRow('old', {}, now), { name: 'old', state: '–', failed: '–', restarts: '–', started: '–', finished: '–' });
    assert.deepEqual(taskRow('none', undefined, now).state, '–');
  });
  it('task names in a stable order', () => {
    assert.deepEqual(taskNames({ TaskStates: { b: {}, a: {} } }), ['a', 'b']);
    assert.deepEqual(taskNames({ TaskStates: null }), []);
    assert.deepEqual(taskNames(undefined), []);
  });
  it('events newest first; DisplayMessage, else Message, else DriverMessage', () => {
    const rows = eventRows({ Events: [{ Type: 'Received', Time: 1e18 }, { Type: 'Driver', Time: 3e18, DriverMessage: 'Downloading image redis:7' }, { Type: 'Started', Time: 2e18, DisplayMessage: 'Task started by client' }] }, Date.now());
    assert.deepEqual(rows.map((r) => r.type), ['Driver', 'Started', 'Received']);
    assert.equal(rows[0]?.message, 'Downloading image redis:7');
    assert.equal(eventMessage({ Message: 'old style' }), 'old style');
    assert.equal(eventMessage({ DisplayMessage: '\x1b[2Jboom' }), '�[2Jboom');
  });
  it('survives junk in the events list', () => {
    assert.deepEqual(eventRows({ Events: [null, 7, { Type: 'Started' }] as never }, Date.now()).map((r) => r.type), ['Started']);
    assert.deepEqual(eventRows({ Events: null }, Date.now()), []);
  });
});
