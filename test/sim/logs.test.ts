// The simulator's task logs against Nomad's source (command/agent/fs_endpoint.go Logs,
// client/fs_endpoint.go logs and findClosest, client/lib/streamframer): the errors in their
// order, frames back to back with no separator, plain bytes equal to the frames' data,
// rotation walked across files both ways, follow with heartbeats, and "file deleted" at GC.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LogFrameDecoder, type LogFrame } from '../../src/nomad/logFrames.js';
import type { SimServer } from '../../src/sim/http/server.js';
import { raw, startSim, eventually } from '../helpers/sim.js';

function target(sim: SimServer) {
  const found = sim.sim.cluster.ordered.find((s) => s.alloc.ClientStatus === 'running' && s.group.tasks.length >= 1);
  assert.ok(found?.alloc.ID);
  return { id: found.alloc.ID, task: found.group.tasks[0]?.name ?? '', sim: found };
}

/** Reads a logs URL to its end (follow=false): the raw body and its decoded frames. */
async function readLogs(sim: SimServer, query: string): Promise<{ status: number; body: Buffer; frames: LogFrame[]; contentType: string | null }> {
  const response = await fetch(`${sim.url}${query}`);
  const body = Buffer.from(await response.arrayBuffer());
  const frames = response.status === 200 && !query.includes('plain=true') ? new LogFrameDecoder().push(body) : [];
  return { status: response.status, body, frames, contentType: response.headers.get('content-type') };
}

describe('simulator: task logs', () => {
  it('answers bad requests with fs_endpoint.go\'s errors, in its order', async () => {
    const sim = await startSim({ allocs: 10 });
    const { id, task } = target(sim);
    const pending = sim.sim.cluster.ordered.find((s) => Object.values(s.alloc.TaskStates).some((t) => !t.StartedAt));
    const rows: [string, number, string][] = [
      [`/v1/client/fs/logs/${id}`, 400, 'must provide task name'],
      [`/v1/client/fs/logs/${id}?task=${task}&follow=yes&plain=nope`, 400, 'failed to parse follow field to boolean: strconv.ParseBool: parsing "yes": invalid syntax'],
      [`/v1/client/fs/logs/${id}?task=${task}&plain=nope`, 400, 'failed to parse plain field to boolean: strconv.ParseBool: parsing "nope": invalid syntax'],
      [`/v1/client/fs/logs/${id}?task=${task}`, 400, 'must provide log type (stdout/stderr)'],
      [`/v1/client/fs/logs/${id}?task=${task}&type=stdout&offset=1k`, 400, 'error parsing offset: strconv.ParseInt: parsing "1k": invalid syntax'],
      [`/v1/client/fs/logs/${id}?task=${task}&type=stdout&origin=middle`, 400, 'origin must be start or end'],
      ['/v1/client/fs/logs/00000000-0000-0000-0000-000000000000?task=x&type=stdout', 404, 'Unknown allocation "00000000-0000-0000-0000-000000000000"'],
      [`/v1/client/fs/logs/${id}?task=nope&type=stdout`, 400, 'unknown task name "nope"'],
    ];
    if (pending) {
      const name = Object.entries(pending.alloc.TaskStates).find(([, t]) => !t.StartedAt)?.[0] ?? '';
      rows.push([`/v1/client/fs/logs/${pending.alloc.ID}?task=${name}&type=stdout`, 404, `task "${name}" not started yet. No logs available`]);
    }
    for (const [path, status, body] of rows) {
      const answer = await raw(sim, path);
      assert.equal(answer.status, status, path);
      assert.equal(answer.body.trim(), body, path);
    }
  });

  it('a token without read-logs gets 403 Permission denied; one with it reads', async () => {
    const sim = await startSim({ allocs: 10, acl: { management: 'm', readOnly: 'ro' } });
    const { id, task } = target(sim);
    const path = `/v1/client/fs/logs/${id}?task=${task}&type=stdout`;
    const denied = await raw(sim, path, { headers: { 'X-Nomad-Token': 'ro' } });
    assert.equal(denied.status, 403);
    assert.equal(denied.body.trim(), 'Permission denied');
    assert.equal((await raw(sim, path, { headers: { 'X-Nomad-Token': 'm' } })).status, 200);
  });

  it('JSON frames back to back with no separator; plain=true is their data, byte for byte', async () => {
    const sim = await startSim({ allocs: 10 });
    const { id, task } = target(sim);
    const json = await readLogs(sim, `/v1/client/fs/logs/${id}?task=${task}&type=stdout&origin=start`);
    assert.equal(json.status, 200);
    assert.equal(json.contentType, 'application/json');
    const text = json.body.toString('utf8');
    assert.match(text, /^\{"Offset":\d+,"Data":"[A-Za-z0-9+/=]+","File":"alloc\/logs\/[^"]+\.stdout\.0"\}/);
    assert.doesNotMatch(text, /\}\s+\{/, 'no separator between frames');
    const plain = await readLogs(sim, `/v1/client/fs/logs/${id}?task=${task}&type=stdout&origin=start&plain=true`);
    assert.equal(plain.contentType, 'text/plain');
    assert.ok(plain.body.length > 10_000, `${plain.body.length} bytes of history`);
    assert.deepEqual(Buffer.concat(json.frames.map((f) => f.data)), plain.body);
    assert.match(plain.body.toString('utf8'), /starting \(image /, 'a start-up banner first');
  });

  it('origin=end counts back from the end, across rotated files; origin=start walks forward', async () => {
    const sim = await startSim({ allocs: 10, logs: { limits: { maxFiles: 3, maxFileSize: 4096 } } });
    const { id, task } = target(sim);
    const all = (await readLogs(sim, `/v1/client/fs/logs/${id}?task=${task}&type=stdout&origin=start&plain=true`)).body;
    const log = sim.sim.logs.get(id, task, '', 'stdout', 0);
    assert.equal(log.files.length, 3, 'at most max_files kept');
    assert.equal(all.length, log.files.reduce((sum, f) => sum + f.size, 0));
    const tail = (await readLogs(sim, `/v1/client/fs/logs/${id}?task=${task}&type=stdout&origin=end&offset=6000&plain=true`)).body;
    assert.deepEqual(tail, all.subarray(all.length - 6000), 'the last 6000 bytes, from the file before the newest');
    const frames = (await readLogs(sim, `/v1/client/fs/logs/${id}?task=${task}&type=stdout&origin=end&offset=6000`)).frames;
    assert.ok(new Set(frames.map((f) => f.file)).size >= 2, 'frames name each file they came from');
    const from = (await readLogs(sim, `/v1/client/fs/logs/${id}?task=${task}&type=stdout&origin=start&offset=5000&plain=true`)).body;
    assert.deepEqual(from, all.subarray(5000));
    const beyond = (await readLogs(sim, `/v1/client/fs/logs/${id}?task=${task}&type=stdout&origin=end&offset=99999999&plain=true`)).body;
    assert.deepEqual(beyond, all, 'further back than there is: from the oldest file kept');
  });

  it('follow=true streams new lines, sends {} every second, and ends with "file deleted" when the allocation is collected', async () => {
    const sim = await startSim({ allocs: 10, logs: { rate: { linesPerSecond: 20 } } });
    const { id, task } = target(sim);
    const controller = new AbortController();
    const response = await fetch(`${sim.url}/v1/client/fs/logs/${id}?task=${task}&type=stdout&origin=end&offset=100&follow=true`, { signal: controller.signal });
    const reader = response.body!.getReader();
    const decoder = new LogFrameDecoder();
    const frames: LogFrame[] = [];
    let text = '';
    const read = async (until: () => boolean) => {
      while (!until()) {
        const { value, done } = await reader.read();
        if (done) return true;
        text += Buffer.from(value).toString('utf8');
        frames.push(...decoder.push(value));
      }
      return false;
    };
    await read(() => frames.reduce((n, f) => n + f.data.length, 0) > 2000);
    await read(() => text.includes('{}'));
    // The allocation stops and is collected: its directory goes.
    sim.sim.stop(id, true);
    await eventually(() => sim.sim.cluster.get(id)?.alloc.ClientStatus !== 'running', 5000, 'stopped');
    sim.sim.collectGarbage(0);
    const ended = await read(() => false);
    assert.equal(ended, true, 'the body ends');
    assert.equal(frames.at(-1)?.event, 'file deleted');
    assert.match(frames.at(-1)?.file ?? '', new RegExp(`^alloc/logs/${task}\\.stdout\\.\\d+$`));
    controller.abort();
  });
});

describe('log frame decoder', () => {
  const stream = '{"Offset":5,"Data":"aGVsbG8K","File":"alloc/logs/web.stdout.0"}{}{"Offset":11,"Data":"4oaSIG9rCg==","File":"alloc/logs/web.stdout.0"}{"File":"alloc/logs/web.stdout.0","FileEvent":"file deleted"}';
  const expected = ['hello\n', '→ ok\n', ''];
  it('decodes frames fed byte by byte, and in random splits', () => {
    const whole = new LogFrameDecoder().push(Buffer.from(stream));
    assert.deepEqual(whole.map((f) => f.data.toString('utf8')), expected);
    assert.equal(whole[2]?.event, 'file deleted');
    const bytes = Buffer.from(stream);
    const byByte = new LogFrameDecoder();
    const one = [...bytes].flatMap((b) => byByte.push(Buffer.from([b])));
    assert.deepEqual(one.map((f) => f.data.toString('utf8')), expected);
    let seed = 7;
    for (let round = 0; round < 50; round++) {
      const decoder = new LogFrameDecoder();
      const got: LogFrame[] = [];
      for (let at = 0; at < bytes.length; ) {
        seed = (seed * 1103515245 + 12345) >>> 0;
        const size = 1 + (seed % 17);
        got.push(...decoder.push(bytes.subarray(at, at + size)));
        at += size;
      }
      assert.deepEqual(got.map((f) => f.data.toString('utf8')), expected, `round ${round}`);
    }
  });

  it('keeps binary data as bytes and drops what is not a frame, without throwing', () => {
    const decoder = new LogFrameDecoder();
    const frames = decoder.push(`{"Data":"${Buffer.from([0, 0xff, 0xfe, 10]).toString('base64')}"}{"Data":5}[1,2]{"Offset":"x"}{not json}{"Data":"b2sK","File":"f"}`);
    assert.deepEqual(frames.map((f) => [...f.data]), [[0, 0xff, 0xfe, 10], [...Buffer.from('ok\n')]]);
    assert.equal(decoder.dropped, 3);
  });
});
