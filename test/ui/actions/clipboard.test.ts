// What y and Y put on the clipboard: the bytes of the OSC 52 sequence, and a command line that
// pastes safely whatever the agent called things.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { copyId, copyStatusCommand, osc52 } from '../../../src/ui/actions/clipboard.js';

const alloc = { ID: '50ebabd1-a02f-39e1-f1a6-9c636415ea9c', Name: 'api.api[0]', Namespace: 'default' };

describe('clipboard', () => {
  it('OSC 52 carries the text base64-encoded to the clipboard selection', () => {
    assert.equal(osc52('héllo'), '\x1b]52;c;aMOpbGxv\x07');
    assert.equal(Buffer.from(/52;c;([^\x07]*)/.exec(osc52('\x1b[2J'))?.[1] ?? '', 'base64').toString(), '\x1b[2J', 'an escape inside stays inert, encoded');
  });

  it('y copies the full ID; Y the nomad command, quoted when a name is not plain', () => {
    assert.deepEqual(copyId(alloc), { text: alloc.ID, what: `allocation ID ${alloc.ID}` });
    assert.equal(copyStatusCommand(alloc).text, `nomad alloc status -namespace=default ${alloc.ID}`);
    assert.equal(copyStatusCommand({ ...alloc, Namespace: "a b'; rm -rf ~" }).text, `nomad alloc status -namespace='a b'\\''; rm -rf ~' ${alloc.ID}`);
    assert.equal(copyStatusCommand({ ...alloc, Namespace: undefined }).text, `nomad alloc status -namespace=default ${alloc.ID}`);
  });
});
