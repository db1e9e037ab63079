// The exec WebSocket's messages: what alloctop sends is byte for byte what the Go client sends
// (api/allocations_exec.go), and every frame an agent may send decodes — or is reported
// malformed, never thrown.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeExecFrame, EXEC_HEARTBEAT, stdinCloseFrame, stdinFrame, ttySizeFrame } from '../../src/nomad/execFrames.js';

describe('exec frames', () => {
  it('encodes stdin, stdin close, the terminal size and the heartbeat as Nomad reads them', () => {
    assert.equal(stdinFrame(Buffer.from('ls\r')), '{"stdin":{"data":"bHMN"}}');
    assert.equal(stdinFrame(Buffer.from([0xff, 0x00, 0x1b])), '{"stdin":{"data":"/wAb"}}');
    assert.equal(stdinCloseFrame(), '{"stdin":{"close":true}}');
    assert.equal(ttySizeFrame(40, 120), '{"tty_size":{"height":40,"width":120}}');
    assert.equal(ttySizeFrame(39.7, -3), '{"tty_size":{"height":39,"width":0}}');
    assert.equal(EXEC_HEARTBEAT, '{}');
  });

  it('decodes output, its end, and the exit with its zero values omitted', () => {
    assert.deepEqual(decodeExecFrame('{"stdout":{"data":"aGkK"}}'), { type: 'output', stream: 'stdout', data: Buffer.from('hi\n') });
    assert.deepEqual(decodeExecFrame('{"stderr":{"data":"b29wcw=="}}'), { type: 'output', stream: 'stderr', data: Buffer.from('oops') });
    assert.deepEqual(decodeExecFrame('{"stdout":{"close":true}}'), { type: 'outputClosed', stream: 'stdout' });
    assert.deepEqual(decodeExecFrame('{"exited":true,"result":{}}'), { type: 'exited', result: { exitCode: 0 } });
    assert.deepEqual(decodeExecFrame('{"exited":true,"result":{"exit_code":3}}'), { type: 'exited', result: { exitCode: 3 } });
    assert.deepEqual(decodeExecFrame('{"exited":true,"result":{"exit_code":137,"signal":9,"oom_killed":true}}'), { type: 'exited', result: { exitCode: 137, signal: 9, oomKilled: true } });
    assert.deepEqual(decodeExecFrame('{"exited":true}'), { type: 'exited', result: { exitCode: 0 } });
  });

  it('anything else is "other" or "malformed", never an exception', () => {
    assert.deepEqual(decodeExecFrame('{}'), { type: 'other' });
    assert.deepEqual(decodeExecFrame('{"exited":false}'), { type: 'other' });
    assert.deepEqual(decodeExecFrame('{"stdout":{}}'), { type: 'other' });
    for (const text of ['', 'nope', '[1]', 'null', '"x"', '{"stdout":"aGk="}', '{"stdout":{"data":5}}', '{"exited":true,"result":{"exit_code":"3"}}', '{"exited":true,"result":{"exit_code":1.5}}', `{"stdout":{"data":"${'A'.repeat(2 * 1024 * 1024)}"}}`]) {
      assert.equal(decodeExecFrame(text).type, 'malformed', text.slice(0, 40));
    }
  });
});
