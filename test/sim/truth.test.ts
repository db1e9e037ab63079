// The truth check itself, on a still cluster: each kind of difference is found, and a first
// read still coming in is let off its missing rows only.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { Simulator } from '../../src/sim/simulator.js';
import { checkTruth, type TruthRow } from '../../src/sim/truth.js';

function still(): Simulator {
  const sim = new Simulator({ allocs: 30, seed: 5, life: false });
  after(() => sim.close());
  return sim;
}

const rowsOf = (sim: Simulator): TruthRow[] => sim.cluster.ordered.filter((s) => s.alloc.Namespace === 'default').map((s) => ({ ID: s.alloc.ID, ClientStatus: s.alloc.ClientStatus, DesiredStatus: s.alloc.DesiredStatus }));
/** Long after every allocation's last change, so every difference is settled. */
const later = (): number => Date.now() + 3_600_000;

describe('checkTruth', () => {
  it('the list as the cluster holds it: nothing to report', () => {
    const sim = still();
    const rows = rowsOf(sim);
    const report = checkTruth(sim.cluster, rows, 'default', later());
    assert.equal(report.rows, rows.length);
    assert.equal(report.cluster, rows.length);
    assert.deepEqual([report.ghosts, report.missing, report.wrong], [[], [], []]);
  });

  it('finds a ghost, a missing row and a wrong status, each settled once old', () => {
    const sim = still();
    const [first, second, ...rest] = rowsOf(sim);
    assert.ok(first && second);
    const rows = [{ ID: 'gone-0000', ClientStatus: 'running', DesiredStatus: 'run' }, { ...second, ClientStatus: second.ClientStatus === 'running' ? 'failed' : 'running' }, ...rest];
    const report = checkTruth(sim.cluster, rows, 'default', later());
    assert.deepEqual(report.settled, { ghosts: ['gone-0000'], missing: [first.ID], wrong: [second.ID] });
  });

  it('a read still coming in: its missing rows are not held against it, its ghosts and wrong rows are', () => {
    const sim = still();
    const all = rowsOf(sim);
    const [first, ...rest] = all.slice(0, 10);
    assert.ok(first);
    const rows = [{ ...first, DesiredStatus: 'stop' === first.DesiredStatus ? 'run' : 'stop' }, ...rest, { ID: 'gone-0000', ClientStatus: 'running', DesiredStatus: 'run' }];
    const report = checkTruth(sim.cluster, rows, 'default', later(), 10_000, true);
    assert.equal(report.missing.length, all.length - 10, 'the rows not read yet are told');
    assert.deepEqual(report.settled, { ghosts: ['gone-0000'], missing: [], wrong: [first.ID] });
  });
});
