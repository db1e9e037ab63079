// Formatting helpers: sanitising server text, ages, fixed-width cells.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import stringWidth from 'string-width';
import { fit, formatAge, formatClock, formatEventTime, formatDuration, formatSince, sanitize, shortId, show, MAX_TEXT, clip } from '../../src/ui/format.js';

describe('sanitize and show', () => {
  const cases: [unknown, string][] = [
    ['plain', 'plain'],
    ['\x1b[31mred\x1b[0m', '�[31mred�[0m'],
    ['a\nb\tc\rd', 'a b c d'],
    ['bell\x07 del\x7f c1\x9b', 'bell� del� c1�'],
    ['abc\u202Edef\u2066x\u200F', 'abc�def�x�'],
    ['日本語🚀', '日本語🚀'],
    [null, ''],
    [undefined, ''],
    [42, '42'],
  ];
  for (const [input, expected] of cases) it(`sanitize(${JSON.stringify(input)})`, () => assert.equal(sanitize(input), expected));
  it('shows a dash for missing fields', () => {
    assert.equal(show(undefined), '–');
    assert.equal(show(''), '–');
    assert.equal(shortId(null), '–');
    assert.equal(shortId('9f1ce2a1-0000-0000-0000-000000000000'), '9f1ce2a1');
  });
});

describe('times', () => {
  const now = Date.UTC(2026, 10, 23, 12, 0, 0);
  const cases: [number, string][] = [[0, '0s'], [59_999, '59s'], [60_000, '1m'], [3_599_999, '59m'], [3_600_000, '1h'], [86_400_000 * 3, '3d'], [-5000, '0s']];
  for (const [ms, text] of cases) it(`formatDuration(${ms}) = ${text}`, () => assert.equal(formatDuration(ms), text));
  it('ages from nanoseconds, since from RFC3339, clock from nanoseconds', () => {
    assert.equal(formatAge((now - 90_000) * 1e6, now), '1m');
    assert.equal(formatAge(null, now), '–');
    assert.equal(formatSince('2026-11-23T11:58:00Z', now), '2m ago');
    assert.equal(formatSince('0001-01-01T00:00:00Z', now), '–');
    assert.equal(formatSince('not a time', now), '–');
    assert.match(formatClock(now * 1e6), /^\d\d:\d\d:\d\d$/);
    assert.equal(formatClock(undefined), '--:--:--');
  });

  it('event times carry the date unless they are from today', () => {
    const now = new Date(2026, 11, 2, 10, 0, 0).getTime();
    const at = (...parts: [number, number, number, number, number, number]) => new Date(...parts).getTime() * 1e6;
    assert.equal(formatEventTime(at(2026, 11, 2, 9, 54, 41), now), '09:54:41');
    assert.equal(formatEventTime(at(2026, 10, 29, 9, 54, 41), now), 'Nov 29 09:54:41', 'two days ago is not this morning');
    assert.equal(formatEventTime(at(2026, 11, 1, 23, 59, 59), now), 'Dec  1 23:59:59');
    assert.equal(formatEventTime(at(2025, 11, 2, 9, 0, 0), now), '2025-12-02 09:00:00', 'a year ago says which year');
    assert.equal(formatEventTime(undefined, now), '--:--:--');
  });
});

describe('fit', () => {
  const cases: [string, number, string][] = [
    ['abc', 5, 'abc  '],
    ['abcdef', 4, 'abc…'],
    ['日本語', 4, '日… '],
    ['', 2, '  '],
    ['abc', 0, ''],
  ];
  for (const [text, width, expected] of cases) it(`fit(${text}, ${width})`, () => assert.equal(fit(text, width), expected));
});

describe('server text of any length and any characters', () => {
  it('a 100 KB non-ASCII text is cut to what a screen can show before anything measures it', () => {
    const huge = `→${'ü'.repeat(100_000)}`;
    const clean = sanitize(huge);
    assert.ok(clean.length <= MAX_TEXT + 1, `sanitize keeps ${clean.length} characters`);
    assert.ok(clean.endsWith('…'));
    const cell = fit(huge, 120);
    assert.equal(stringWidth(cell), 120);
    assert.ok(cell.endsWith('…'));
    assert.equal(clip('日'.repeat(50_000), 10).trimEnd(), '日日日日…');
  });

  it('a cut never leaves half of a surrogate pair', () => {
    const emoji = '😀'.repeat(MAX_TEXT);
    assert.doesNotMatch(sanitize(emoji), /[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
    assert.doesNotMatch(clip(emoji, 7), /[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });

  it('zero-width, format, separator and filler characters become � so columns stay where they are', () => {
    for (const ch of ['\u200b', '\u200d', '\ufe0f', '\u2028', '\u2029', '\u061c', '\u0e33', '\u115f', '\u1160', '\u3164', '\uffa0', '\ufeff', '\u00ad', '\u202e']) {
      assert.equal(sanitize(`a${ch}b`), 'a�b', `U+${ch.codePointAt(0)?.toString(16).toUpperCase()}`);
    }
    assert.equal(sanitize('👨\u200d👩'), '👨�👩', 'a ZWJ sequence is shown as its parts, each measurable');
    assert.equal(sanitize('tab\there\nnext'), 'tab here next');
    assert.equal(sanitize('café é'), 'café é', 'combining accents stay');
  });
});
