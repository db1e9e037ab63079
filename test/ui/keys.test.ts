// One terminal read → the keys in it, in order.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseKeys, splitKeys } from '../../src/ui/input/keys.js';

const names = (chunk: string): string[] => parseKeys(chunk).map((k) => (k.name === 'char' ? `${k.ctrl ? 'ctrl+' : ''}${k.char}` : k.name));

describe('parseKeys', () => {
  const cases: [string, string[]][] = [
    ['j', ['j']],
    ['jjj', ['j', 'j', 'j']],
    ['\x1b[B\r', ['down', 'enter']],
    ['\x1b[A\r', ['up', 'enter']],
    ['\x1b[B\x1b[B\x1b[A', ['down', 'down', 'up']],
    ['\x1bOA\x1bOB', ['up', 'down']],
    ['\x1b[5~\x1b[6~', ['pageup', 'pagedown']],
    ['\x1b[H\x1b[F\x1b[1~\x1b[4~', ['home', 'end', 'home', 'end']],
    ['\x1b', ['escape']],
    ['\x1bq', ['escape', 'q']],
    ['\x1b[1;5B', ['down']],
    ['\t\x1b[Z', ['tab', 'backtab']],
    ['\x7f\b', ['backspace', 'backspace']],
    ['\x03', ['ctrl+c']],
    ['\x15', ['ctrl+u']],
    ['é日🚀', ['é', '日', '🚀']],
    ['s\x1b[B\r', ['s', 'down', 'enter']],
  ];
  for (const [chunk, expected] of cases) {
    it(JSON.stringify(chunk), () => assert.deepEqual(names(chunk), expected));
  }
});

describe('splitKeys', () => {
  const split = (chunk: string) => {
    const { keys, rest } = splitKeys(chunk);
    return { keys: keys.map((k) => (k.name === 'char' ? k.char : k.name)), rest };
  };
  it('holds back an escape sequence cut at the end of a read, so the next read finishes it', () => {
    assert.deepEqual(split('j\x1b'), { keys: ['j'], rest: '\x1b' });
    assert.deepEqual(split('j\x1b['), { keys: ['j'], rest: '\x1b[' });
    assert.deepEqual(split('\x1b[1;'), { keys: [], rest: '\x1b[1;' });
    assert.deepEqual(split('\x1bO'), { keys: [], rest: '\x1bO' });
    assert.deepEqual(split(`${split('j\x1b[').rest}B\r`), { keys: ['down', 'enter'], rest: '' }, 'Down split as ESC [ | B is one Down');
    assert.deepEqual(split('\x1b[B'), { keys: ['down'], rest: '' });
    assert.deepEqual(split('q\x1bq'), { keys: ['q', 'escape', 'q'], rest: '' });
  });
});
