// Collation keys give the collator's order: for many random printable-ASCII strings (digits,
// punctuation, both cases, spaces), comparing keys agrees with Intl.Collator's numeric,
// base-sensitivity compare every time; strings it cannot key fall back to the collator.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { collationKey, collator, compareText } from '../../src/ui/collationKey.js';
import { Prng } from '../../src/sim/prng.js';

/** The simulator's seeded generator (mulberry32), as a function: a failure names a seed to replay. */
const prng = (seed: number): (() => number) => {
  const generator = new Prng(seed);
  return () => generator.next();
};

const sign = (n: number): number => (n < 0 ? -1 : n > 0 ? 1 : 0);

describe('collationKey', () => {
  it('orders 200,000 random pairs of printable ASCII as the collator does', () => {
    const random = prng(5);
    // Mostly the characters allocation names are made of, but every printable one shows up.
    const common = 'aAbBzZ09123-_.[] ';
    const pick = (): string => (random() < 0.8 ? (common[Math.floor(random() * common.length)] as string) : String.fromCharCode(32 + Math.floor(random() * 95)));
    const text = (): string => Array.from({ length: Math.floor(random() * 8) }, pick).join('');
    for (let i = 0; i < 200_000; i++) {
      const a = text();
      const b = random() < 0.3 ? a.replace(/\d/, (d) => `0${d}`) : text();
      const expected = sign(collator.compare(a, b));
      assert.equal(sign(compareText(a, collationKey(a), b, collationKey(b))), expected, `${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
    }
  });

  it('numbers as numbers, case folded; no key for what is not printable ASCII', () => {
    const order = ['web[2]', 'web[10]', 'Web[11]', 'web-api', 'web.api', 'webapi'].sort((a, b) => compareText(a, collationKey(a), b, collationKey(b)));
    assert.deepEqual(order, ['web[2]', 'web[10]', 'Web[11]', 'web-api', 'web.api', 'webapi'].sort((a, b) => collator.compare(a, b)));
    assert.equal(collationKey('job01'), collationKey('JOB1'));
    assert.equal(collationKey('café'), undefined);
    assert.equal(sign(compareText('café', undefined, 'cafe', collationKey('cafe'))), sign(collator.compare('café', 'cafe')));
  });
});
