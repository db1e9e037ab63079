// Leader loss in the simulator: losses that overlap are one loss lasting until the later end,
// as a real cluster's single outage would be (a short loss must not end a longer one).
import assert from 'node:assert/strict';
import { describe, it, mock } from 'node:test';
import { startSim } from '../helpers/sim.js';

describe('simulator: leader loss', () => {
  it('a short loss during a longer one does not bring the leader back early', async () => {
    const sim = await startSim({ allocs: 3 });
    mock.timers.enable({ apis: ['setTimeout', 'Date'], now: Date.now() });
    try {
      await sim.faults.trigger('no-leader', 15_000);
      mock.timers.tick(4_000);
      await sim.faults.trigger('no-leader', 2_000);
      mock.timers.tick(2_000);
      assert.equal(sim.leader.known, false, 'the 2 s loss ended the 15 s one');
      mock.timers.tick(8_999);
      assert.equal(sim.leader.known, false);
      mock.timers.tick(1);
      assert.equal(sim.leader.known, true);
    } finally {
      mock.timers.reset();
    }
  });

  it('a longer loss during a short one lasts its whole length', async () => {
    const sim = await startSim({ allocs: 3 });
    mock.timers.enable({ apis: ['setTimeout', 'Date'], now: Date.now() });
    try {
      await sim.faults.trigger('no-leader', 2_000);
      mock.timers.tick(1_000);
      await sim.faults.trigger('no-leader', 5_000);
      mock.timers.tick(4_999);
      assert.equal(sim.leader.known, false);
      mock.timers.tick(1);
      assert.equal(sim.leader.known, true);
    } finally {
      mock.timers.reset();
    }
  });
});
