// The log view as drawn from known feed snapshots: following, paused with its count of new
// lines, the feed's and the task's states in words, search matches, colour under NO_COLOR, and
// the task choice.
import assert from 'node:assert/strict';
import React from 'react';
import { describe, it } from 'node:test';
import type { LogSnapshot } from '../../../src/store/logFeed.js';
import { openLogState } from '../../../src/ui/logs/logState.js';
import { LogView } from '../../../src/ui/panes/LogView.js';
import { frameMatching, renderWithServices } from '../../helpers/render.js';

const lines = Array.from({ length: 60 }, (_, i) => (i === 40 ? '\x1b[31mERROR\x1b[0m disk full' : `line ${i}`));
const snapshot = (over: Partial<LogSnapshot> = {}): LogSnapshot => ({ status: 'following', message: '', lines, base: 0, version: 1, appended: 60, bytes: 600, atStart: false, loadingOlder: false, olderNote: '', ...over });
const logs = openLogState('a1b2c3d4-0000-0000-0000-000000000000', 'web.api[0]', 'default', 'app', 'list');

function draw(element: React.ReactElement) {
  return renderWithServices(element, { address: 'http://127.0.0.1:1' });
}

describe('LogView', () => {
  it('following: the title, a still state line, the newest lines', async () => {
    const view = draw(<LogView logs={logs} snapshot={snapshot()} width={80} height={20} task={{ State: 'running' }} />);
    const frame = await frameMatching(view, /following/);
    assert.match(frame, /^▸ LOGS {2}web\.api\[0\] · app · stdout/m);
    assert.match(frame, /^following \(k or \/ to look back\)$/m);
    assert.match(frame, /^line 59$/m, 'the newest line is on screen');
    assert.doesNotMatch(frame, /│/, 'no borders');
  });

  it('paused: where, how many new lines wait, and G; NO_COLOR drops the task\'s colour', async () => {
    const view = draw(<LogView logs={{ ...logs, top: 30, pausedAt: 50 }} snapshot={snapshot()} width={80} height={20} task={{ State: 'running' }} />);
    const frame = await frameMatching(view, /paused/);
    assert.match(frame, /paused at line 31 of 60 lines · 10 new lines · G follows/);
    assert.match(frame, /^ERROR disk full$/m);
    assert.doesNotMatch(frame, /\x1b\[31m/);
  });

  it('says what the feed and the task are doing, and how many lines match the search', async () => {
    const waiting = draw(<LogView logs={logs} snapshot={snapshot({ status: 'waiting', message: 'task app has not started yet: waiting for its first output', lines: [] })} width={100} height={10} task={{ State: 'pending' }} />);
    await frameMatching(waiting, /task app has not started yet: waiting for its first output/);
    const dead = draw(<LogView logs={{ ...logs, search: 'error' }} snapshot={snapshot()} width={120} height={20} task={{ State: 'dead', Failed: true }} />);
    const frame = await frameMatching(dead, /task dead/);
    assert.match(frame, /task dead \(failed\): no more output expected · \/error: 1 matching line · n\/N/);
  });

  it('several tasks: a choice first', async () => {
    const view = draw(<LogView logs={logs} snapshot={undefined} width={80} height={10} task={undefined} picker={{ tasks: ['app', 'sidecar'], cursor: 1 }} />);
    const frame = await frameMatching(view, /which task/);
    assert.match(frame, /▸ sidecar/);
    assert.match(frame, / {2}app/);
  });
});
