// The namespace watch behind a pinned `namespace=*` stream: it reports a new namespace once,
// and an agent that does not block is asked every 2 s, not in a loop (virtual clock).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NamespaceWatch } from '../../src/store/namespaceWatch.js';
import { FakeClock } from '../helpers/fakeClock.js';

/** An agent that answers every read at once, blocking or not, with the same index. */
function agent() {
  const state = { requests: 0, names: ['default'], index: 5 };
  return {
    state,
    async listNamespaces() {
      state.requests += 1;
      return { data: state.names.map((Name) => ({ Name })), meta: { index: state.index, knownLeader: true, lastContact: 0 } };
    },
  };
}

describe('namespace watch', () => {
  it('an agent that answers blocking reads at once is asked every 2 s', async () => {
    const clock = new FakeClock();
    const fake = agent();
    let news = 0;
    const watch = new NamespaceWatch(fake as never, clock, 300_000, () => (news += 1));
    await watch.start(new AbortController().signal);
    await clock.advance(20_000);
    assert.ok(fake.state.requests >= 9 && fake.state.requests <= 12, `${fake.state.requests} reads in 20 s`);
    fake.state.names.push('team-b');
    await clock.advance(2_100);
    assert.equal(news, 1, 'the new namespace is reported');
    const after = fake.state.requests;
    await clock.advance(10_000);
    assert.equal(fake.state.requests, after, 'and the watch ends');
    watch.stop();
  });
});
