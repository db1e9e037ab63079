// The simulator's hostile-agent cases (`alloctop sim --hostile`): each malforms what it says,
// and only that, so the console's proof (bench/hostile.mjs) tests what it claims to.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { describe, it } from 'node:test';
import { badIndex, GARBAGE_LINES, HOSTILE_CASES, hostileEvent, hostileJson, LONG_TEXT_BYTES, parseHostileCase } from '../../src/sim/hostile.js';
import { runCli } from '../helpers/cli.js';
import { raw, startSim } from '../helpers/sim.js';

const alloc = { ID: 'a1', Namespace: 'default', Name: 'web.api[0]', JobID: 'web', NodeID: 'n1', ModifyIndex: 7, Healthy: true, TaskStates: { app: { State: 'running', Events: [{ Type: 'Started', Time: 1 }] } } };

/** Reads a response's first `limit` bytes (the server may never end it), then drops it. */
function firstBytes(url: string, limit: number): Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(url, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        size += chunk.length;
        if (size >= limit) {
          req.destroy();
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) });
        }
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', (error) => (req.destroyed ? undefined : reject(error)));
    req.end();
  });
}

describe('hostile agent: JSON cases', () => {
  it('null-items puts null in every list and in the task states map, and nothing else changes', () => {
    const out = JSON.parse(hostileJson('null-items', JSON.stringify([alloc, alloc]), 0));
    assert.equal(out.length, 3);
    assert.ok(out.includes(null));
    const row = out.find(Boolean);
    assert.equal(row.TaskStates['null-task'], null);
    assert.ok(row.TaskStates.app.Events.includes(null));
    assert.equal(row.Name, 'web.api[0]');
  });

  it('wrong-types gives one field of each object another JSON type, never ID or Namespace', () => {
    for (let seq = 0; seq < 8; seq++) {
      const out = JSON.parse(hostileJson('wrong-types', JSON.stringify(alloc), seq));
      assert.equal(out.ID, 'a1');
      assert.equal(out.Namespace, 'default');
      const changed = Object.keys(alloc).filter((key) => typeof out[key] !== typeof (alloc as Record<string, unknown>)[key] || Array.isArray(out[key]) !== Array.isArray((alloc as Record<string, unknown>)[key]));
      assert.equal(changed.length, 1, `seq ${seq}: ${changed.join(',')}`);
    }
  });

  it('long-text makes names and messages 100 KB of non-ASCII text', () => {
    const out = JSON.parse(hostileJson('long-text', JSON.stringify(alloc), 0));
    assert.ok(Buffer.byteLength(out.Name) >= LONG_TEXT_BYTES);
    assert.match(out.Name, /^web\.api\[0\] → naïve/);
    assert.equal(out.NodeID, 'n1');
  });

  it('escapes wraps every string but the IDs in escape, control and zero-width characters', () => {
    const out = JSON.parse(hostileJson('escapes', JSON.stringify(alloc), 0));
    assert.match(out.Name, /\x1b\]0;pwned\x07.*web\.api\[0\].*\u200B/s);
    assert.match(out.TaskStates.app.Events[0].Type, /\x1b\[2J/);
    assert.equal(out.ID, 'a1');
    assert.equal(out.NodeID, 'n1');
  });

  it('an event keeps its frame; only its allocation is malformed', () => {
    const event = JSON.stringify({ Topic: 'Allocation', Type: 'AllocationUpdated', Key: 'a1', Index: 9, Payload: { Allocation: alloc } });
    const out = JSON.parse(hostileEvent('escapes', event, 0));
    assert.equal(out.Topic, 'Allocation');
    assert.equal(out.Type, 'AllocationUpdated');
    assert.match(out.Payload.Allocation.Name, /pwned/);
  });

  it('transport cases leave JSON alone; bad-index alternates nonsense with the real index', () => {
    assert.equal(hostileJson('trickle', '[1]', 0), '[1]');
    const sent = Array.from({ length: 14 }, (_, n) => badIndex('5000', n));
    assert.deepEqual(sent.filter((_, n) => n % 2 === 1), Array(7).fill('5000'));
    assert.deepEqual(new Set(sent.filter((_, n) => n % 2 === 0)), new Set(['abc', '0', '-5', '99999999999999999999999', '4000', '1.5', '']));
  });

  it('alloctop sim --hostile takes the named cases and answers others with one line and exit 2', () => {
    assert.equal(parseHostileCase('trickle'), 'trickle');
    const result = runCli(['sim', '--hostile', 'nope']);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /^alloctop: --hostile: unknown case "nope"; one of null-items, /);
    assert.equal(Object.keys(HOSTILE_CASES).length, 10);
  });
});

describe('hostile agent: transport cases', () => {
  it('non-blocking answers a blocking query at once', async () => {
    const sim = await startSim({ hostile: 'non-blocking' });
    const { headers } = await raw(sim, '/v1/allocations');
    const index = Number(headers.get('x-nomad-index'));
    const started = Date.now();
    await raw(sim, `/v1/allocations?index=${index + 1000}&wait=30s`);
    assert.ok(Date.now() - started < 10_000, 'a 30 s wait on an index far ahead came back at once');
  });

  it('bad-index sends nonsense indexes on every other answer', async () => {
    const sim = await startSim({ hostile: 'bad-index' });
    const seen = new Set<string>();
    for (let i = 0; i < 6; i++) seen.add((await raw(sim, '/v1/namespaces')).headers.get('x-nomad-index') ?? '');
    assert.ok(seen.has('abc'), [...seen].join(' '));
  });

  it('endless-body keeps sending list items past any sane size', async () => {
    const sim = await startSim({ hostile: 'endless-body' });
    const { status, body } = await firstBytes(`${sim.url}/v1/allocations`, 4 * 1024 * 1024);
    assert.equal(status, 200);
    assert.ok(body.length >= 4 * 1024 * 1024);
    assert.match(body.subarray(0, 40).toString(), /^\[\{"ID":/);
  });

  it('trickle sends headers, then nothing but a byte now and then', async () => {
    const sim = await startSim({ hostile: 'trickle' });
    const { status, body } = await firstBytes(`${sim.url}/v1/allocations`, 1);
    assert.equal(status, 200);
    assert.equal(body.toString(), '[');
  });

  it('long-text answers services with a 100 KB error body', async () => {
    const sim = await startSim({ hostile: 'long-text' });
    const id = sim.sim.cluster.ordered[0]?.alloc.ID;
    const { status, body } = await raw(sim, `/v1/allocation/${id}/services`);
    assert.equal(status, 500);
    assert.ok(Buffer.byteLength(body) >= LONG_TEXT_BYTES);
  });

  it('huge-event-line starts every stream with one line of more than 50 MB', async () => {
    const sim = await startSim({ hostile: 'huge-event-line' });
    const { body } = await firstBytes(`${sim.url}/v1/event/stream?topic=Allocation`, 20 * 1024 * 1024);
    const text = body.toString();
    assert.match(text, /^\{\}\n\{"Index":1,"Events":\[\{"Topic":"Allocation"/);
    assert.equal(text.indexOf('\n', 3), -1, 'no line end in the first 20 MB after the heartbeat');
  });

  it('garbage-events puts lines that are not event frames on the stream', async () => {
    const sim = await startSim({ hostile: 'garbage-events' });
    const { body } = await firstBytes(`${sim.url}/v1/event/stream?topic=Allocation`, 200);
    const lines = body.toString().split('\n');
    assert.equal(lines[0], '{}');
    assert.deepEqual(lines.slice(1, 3), GARBAGE_LINES.slice(0, 2));
  });
});
