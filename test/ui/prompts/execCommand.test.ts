// The exec prompt's command: a JSON array as Nomad takes it, or words split as a shell would.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { commandText, parseExecCommand } from '../../../src/ui/prompts/execCommand.js';

describe('exec command', () => {
  const cases: [string, ReturnType<typeof parseExecCommand>][] = [
    ['/bin/sh', { words: ['/bin/sh'] }],
    ['  /bin/bash   -l ', { words: ['/bin/bash', '-l'] }],
    [`/bin/sh -c 'ls /local && echo "$HOME"'`, { words: ['/bin/sh', '-c', 'ls /local && echo "$HOME"'] }],
    ['echo "a b" c\\ d \'\'', { words: ['echo', 'a b', 'c d', ''] }],
    ['["/bin/sh","-c","ls"]', { words: ['/bin/sh', '-c', 'ls'] }],
    ['', { error: 'type a command, like /bin/sh or ["/bin/bash","-l"]' }],
    ['[]', { error: 'a command is a non-empty JSON array of strings, like ["/bin/sh"]' }],
    ['[1]', { error: 'a command is a non-empty JSON array of strings, like ["/bin/sh"]' }],
    ['[/bin/sh', { error: 'not a JSON array of strings: fix it, or type the words without brackets' }],
    ["echo 'open", { error: 'the single quote is not closed' }],
  ];
  for (const [text, expected] of cases) it(JSON.stringify(text), () => assert.deepEqual(parseExecCommand(text), expected));

  it('names a command by its words, or as JSON when a word has a space', () => {
    assert.equal(commandText(['/bin/sh']), '/bin/sh');
    assert.equal(commandText(['/bin/sh', '-c', 'ls -l']), '["/bin/sh","-c","ls -l"]');
  });
});
