// What the console's token may do, read from the simulator's ACLs as the Nomad UI reads them:
// management and ACLs off may do anything; the read policy lacks alloc-exec; the default
// namespace's write policy has alloc-exec there but not alloc-node-exec, and nothing elsewhere.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TokenAbilities } from '../../src/store/tokenAbilities.js';
import { clientFor, startSim } from '../helpers/sim.js';

describe('token abilities', () => {
  it('knows what each of the simulator\'s tokens lacks', async () => {
    const sim = await startSim({ acl: { management: 'root', readOnly: 'ro' } });
    const lacking = (token: string, namespace: string, caps: ('alloc-exec' | 'alloc-node-exec')[]): Promise<string | undefined> => new TokenAbilities(clientFor(sim, { token })).lacking(namespace, caps);
    assert.equal(await lacking('root', 'prod', ['alloc-exec', 'alloc-node-exec']), undefined);
    assert.equal(await lacking('ro', 'default', ['alloc-exec']), 'alloc-exec');
    const defaultOnly = sim.acl?.tokens.defaultOnly ?? '';
    assert.equal(await lacking(defaultOnly, 'default', ['alloc-exec']), undefined);
    assert.equal(await lacking(defaultOnly, 'default', ['alloc-exec', 'alloc-node-exec']), 'alloc-node-exec');
    assert.equal(await lacking(defaultOnly, 'analytics', ['alloc-exec']), 'alloc-exec');
    const open = await startSim();
    assert.equal(await new TokenAbilities(clientFor(open)).lacking('default', ['alloc-exec', 'alloc-node-exec']), undefined, 'ACLs off');
  });

  it('reads once a minute, and a token it cannot read (unknown to the agent) leaves the decision to the agent', async () => {
    const sim = await startSim({ acl: { management: 'root', readOnly: 'ro' } });
    let now = 1_000;
    const abilities = new TokenAbilities(clientFor(sim, { token: 'ro' }), () => now);
    await abilities.lacking('default', ['alloc-exec']);
    await abilities.lacking('default', ['alloc-exec']);
    const reads = (): number => sim.counters.byPath.get('/v1/acl/token/self') ?? 0;
    assert.equal(reads(), 1);
    now += 61_000;
    await abilities.lacking('default', ['alloc-exec']);
    assert.equal(reads(), 2);
    assert.equal(await new TokenAbilities(clientFor(sim, { token: 'not-a-token' })).lacking('default', ['alloc-exec']), undefined);
  });
});
