// What of a task's output may reach the terminal: colour (SGR) kept, every other escape,
// control and bidi override dropped, tabs as spaces, a carriage return keeping what follows it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cleanLogLine, MAX_LINE, plainLogText } from '../../src/store/logText.js';

describe('cleanLogLine', () => {
  const rows: [string, string, string][] = [
    ['colour kept, reset at the end', '\x1b[31mred\x1b[0m ok', '\x1b[31mred\x1b[0m ok\x1b[0m'],
    ['OSC title dropped', 'a\x1b]0;pwned\x07b', 'ab'],
    ['OSC 8 link dropped', '\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\', 'link'],
    ['screen clear dropped', 'x\x1b[2Jy\x1b[H', 'xy'],
    ['private mode dropped', '\x1b[?1049hz', 'z'],
    ['DCS dropped', '\x1bPq#0;2;0;0;0\x1b\\ok', 'ok'],
    ['progress bar: what follows the last CR', 'fetch 10%\rfetch 50%\rfetch done', 'fetch done'],
    ['CRLF', 'windows line\r', 'windows line'],
    ['bidi override dropped', 'abc\u202edcb', 'abcdcb'],
    ['C0 and C1 dropped', 'a\x07b\x00c\x9bd\x85e', 'abcde'],
    ['tab to spaces', 'k\tv', 'k    v'],
    ['NUL next to colour does not misplace it', '\x00\x1b[1mB\x00', '\x1b[1mB\x1b[0m'],
  ];
  for (const [what, input, expected] of rows) it(what, () => assert.equal(cleanLogLine(input), expected));

  it('a line past MAX_LINE is cut and says by how much', () => {
    const cleaned = cleanLogLine('y'.repeat(MAX_LINE + 500));
    assert.ok(cleaned.startsWith('y'.repeat(MAX_LINE)));
    assert.match(cleaned, / … \(500 more characters\)$/);
  });

  it('plain text drops only the colour', () => {
    assert.equal(plainLogText(cleanLogLine('\x1b[32mINFO\x1b[0m ready')), 'INFO ready');
  });
});
