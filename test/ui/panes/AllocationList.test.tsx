// The allocation list: columns, title with counts and filters, windowing, empty text,
// missing fields, and the selection kept in view.
import assert from 'node:assert/strict';
import React from 'react';
import { describe, it } from 'node:test';
import type { AllocListStub } from '../../../src/nomad/types.js';
import { AllocationList } from '../../../src/ui/panes/AllocationList.js';
import { DEFAULT_SORT } from '../../../src/ui/listModel.js';
import { renderWithServices } from '../../helpers/render.js';

const now = Date.now();
const rows: AllocListStub[] = Array.from({ length: 1000 }, (_, i) => ({
  ID: `${String(i).padStart(8, '0')}-0000-0000-0000-000000000000`,
  Name: `web.api[${i}]`,
  JobID: 'web',
  TaskGroup: 'api',
  NodeName: 'ip-10-0-0-1',
  ClientStatus: i % 10 === 0 ? 'failed' : 'running',
  DesiredStatus: 'run',
  CreateTime: (now - 3_630_000) * 1e6,
}));
const base = { total: 1000, width: 100, height: 12, focused: true, sort: DEFAULT_SORT, textFilter: '', serverFilter: '', allNamespaces: false, emptyText: 'nothing here', now, nameLength: 14 };

function view(props: Partial<React.ComponentProps<typeof AllocationList>> = {}) {
  return renderWithServices(<AllocationList rows={rows} selected={0} {...base} {...props} />, { address: 'http://127.0.0.1:1' });
}

describe('AllocationList', () => {
  it('renders only the rows that fit (windowed), with header and counts', () => {
    const frame = view().lastFrame() ?? '';
    assert.match(frame, /ALLOCATIONS \(1,000 allocations\)/);
    assert.match(frame, /ID\s+NAME\s+STATUS\s+H\s+CHANGED↑\s+NODE\s+JOB\s+GROUP\s+AGE/);
    assert.equal((frame.match(/web\.api\[/g) ?? []).length, 8, 'height 12 - borders, title, header = 8 rows');
    assert.match(frame, /00000000 web\.api\[0\]\s+failed\s+1h\s+ip-10-0-0-1\s+web\s+api\s+1h/);
  });

  it('keeps the selection in view when it moves far down', () => {
    const frame = view({ selected: 500 }).lastFrame() ?? '';
    assert.match(frame, /web\.api\[500\]/);
    assert.doesNotMatch(frame, /web\.api\[0\]/);
  });

  it('shows filtered counts and the active filters in the title', () => {
    const frame = view({ rows: rows.slice(0, 3), textFilter: 'api', serverFilter: 'ClientStatus == "failed"' }).lastFrame() ?? '';
    assert.match(frame, /ALLOCATIONS \(3 of 1,000 allocations · \/api · expr: ClientStatus == "failed"\)/);
  });

  it('while the first read comes in: how many so far and about how many in all', () => {
    assert.match(view({ loading: { loaded: 1000, estimate: 200_000 } }).lastFrame() ?? '', /ALLOCATIONS \(loading 1,000 \/ ~200,000\)/);
    assert.match(view({ loading: { loaded: 1000 } }).lastFrame() ?? '', /ALLOCATIONS \(loading 1,000…\)/, 'no guess yet');
    assert.match(view({ rows: rows.slice(0, 3), textFilter: 'api', loading: { loaded: 1000, estimate: 4000 } }).lastFrame() ?? '', /ALLOCATIONS \(3 shown · loading 1,000 \/ ~4,000 · \/api\)/);
  });

  it('shows desired after the status when it is not run', () => {
    const frame = view({ rows: [{ ...rows[1], DesiredStatus: 'stop' } as AllocListStub], total: 1 }).lastFrame() ?? '';
    assert.match(frame, /web\.api\[1\]\s+running→stop/);
  });

  it('shows the empty text, and dashes for missing fields', () => {
    assert.match(view({ rows: [], total: 0 }).lastFrame() ?? '', /nothing here/);
    const frame = view({ rows: [{ ID: 'abcdef1234' }, {} as AllocListStub], total: 2 }).lastFrame() ?? '';
    assert.match(frame, /abcdef12 –\s+–\s+–/);
  });

  it('never lets server text put escape sequences on the terminal', () => {
    const frame = view({ rows: [{ ID: 'x', Name: '\x1b[2J\x1b[31mevil', JobID: 'j\x07' }], total: 1 }).lastFrame() ?? '';
    assert.ok(!frame.includes('\x1b[2J') && !frame.includes('\x07'));
    assert.match(frame, /�\[2J�\[31mevil/);
  });
});
