// Fault profiles: named ones, kind=rate lists, and the errors for anything else.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseFaultProfile, PROFILES } from '../../src/sim/faults.js';
import { runCli } from '../helpers/cli.js';

describe('fault profiles', () => {
  it('reads named profiles and kind=rate lists', () => {
    assert.deepEqual(parseFaultProfile('off'), {});
    assert.equal(parseFaultProfile('heavy'), PROFILES.heavy);
    assert.deepEqual(parseFaultProfile('reset-before=0.1,restart=0.01'), { 'reset-before': 0.1, restart: 0.01 });
  });

  it('rejects unknown kinds and rates outside 0..1', () => {
    assert.throws(() => parseFaultProfile('explode=0.1'), /unknown fault "explode"/);
    assert.throws(() => parseFaultProfile('truncated=2'), /must be from 0 to 1/);
    assert.throws(() => parseFaultProfile('truncated'), /must be from 0 to 1/);
  });

  it('alloctop sim --faults answers a bad profile with one line and exit 2', () => {
    const result = runCli(['sim', '--faults', 'explode=1']);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /^alloctop: --faults: unknown fault "explode"; use off, light, heavy/);
  });
});
