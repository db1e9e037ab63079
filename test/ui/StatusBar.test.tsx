// The top line keeps the index and the leader at any width: a long error is cut before them.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StatusBar } from '../../src/ui/StatusBar.js';
import { frameMatching, renderWithServices } from '../helpers/render.js';

describe('StatusBar', () => {
  it('a long error is cut, the index and the leader stay on the line', async () => {
    let calls = 0;
    const view = renderWithServices(<StatusBar width={80} namespace="default" now={Date.now()} />, { address: 'http://127.0.0.1:1' });
    view.services.store.subscribe(
      {
        key: '/v1/test',
        fetcher: async () => {
          calls += 1;
          if (calls === 1) return { data: [], meta: { index: 42, knownLeader: true, lastContact: 0 } };
          throw new Error(`500 ${'a very long and wordy error from the agent '.repeat(5)}(GET /v1/test)`);
        },
      },
      () => {},
    );
    const frame = await frameMatching(view, /reconnecting/);
    const line = frame.split('\n')[0] ?? '';
    assert.match(line, /^alloctop │ ◌ reconnecting .*… │ idx 42 │ leader ✓$/);
    assert.ok(line.length <= 80, line);
  });
});
