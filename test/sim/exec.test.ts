// The simulator's exec WebSocket, byte for byte as a Nomad agent speaks it: the close frames
// (code and message) of every refusal in Nomad's order, the query errors before the upgrade up
// to 2.0.2 and as close frames from 2.0.3, output frames of at most 1 KiB, the exit frame with
// zero values omitted and the connection dropped with no close frame, and the shell behind it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import WebSocket from 'ws';
import type { SimServer } from '../../src/sim/http/server.js';
import type { SimAlloc } from '../../src/sim/model.js';
import { raw, startSim } from '../helpers/sim.js';

interface Session {
  frames: Record<string, unknown>[];
  close?: { code: number; reason: string };
  http?: { status: number; body: string };
}

/** Opens the exec socket, sends `input` (JSON messages) once open, and collects everything
 * until the connection ends. */
function exec(sim: SimServer, id: string, query: Record<string, string>, input: object[] = [], token?: string): Promise<Session> {
  const url = `${sim.url.replace(/^http/, 'ws')}/v1/client/allocation/${id}/exec?${new URLSearchParams(query)}`;
  const ws = new WebSocket(url, { headers: token ? { 'X-Nomad-Token': token } : {} });
  const session: Session = { frames: [] };
  return new Promise((resolve) => {
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => {
        session.http = { status: res.statusCode ?? 0, body };
        resolve(session);
      });
    });
    ws.on('open', () => {
      for (const message of input) ws.send(JSON.stringify(message));
    });
    ws.on('message', (data) => session.frames.push(JSON.parse(String(data)) as Record<string, unknown>));
    ws.on('error', () => {});
    ws.on('close', (code, reason) => {
      session.close = { code, reason: reason.toString() };
      resolve(session);
    });
  });
}

const stdin = (text: string): object => ({ stdin: { data: Buffer.from(text).toString('base64') } });

function output(session: Session, stream = 'stdout'): string {
  return session.frames
    .map((frame) => (frame[stream] as { data?: string } | undefined)?.data)
    .filter((data): data is string => typeof data === 'string')
    .map((data) => Buffer.from(data, 'base64').toString())
    .join('');
}

function runningAlloc(sim: SimServer, driver?: string): { target: SimAlloc; task: string } {
  for (const target of sim.sim.cluster.ordered) {
    if (target.alloc.ClientStatus !== 'running') continue;
    for (const task of target.group.tasks) {
      if (target.alloc.TaskStates[task.name]?.State === 'running' && (!driver || task.driver === driver)) return { target, task: task.name };
    }
  }
  throw new Error('no running allocation');
}

const SH = JSON.stringify(['/bin/sh']);

describe('sim: exec over a WebSocket', () => {
  it('a shell with a tty: prompt and echo, hostname, the task env, stty size after a resize, exit 3', async () => {
    const sim = await startSim();
    const { target, task } = runningAlloc(sim);
    const id = target.alloc.ID ?? '';
    const session = await exec(sim, id, { task, command: SH, tty: 'true' }, [{ tty_size: { height: 33, width: 101 } }, stdin('hostname\r'), stdin('echo $NOMAD_TASK_NAME "$NOMAD_ALLOC_ID"\r'), {}, stdin('stty size\r'), stdin('nosuch\r'), stdin('echo $?\r'), stdin('exit 3\r')]);
    const text = output(session);
    assert.match(text, /^\/ # hostname\r\n/);
    assert.ok(text.includes(`\r\n${id.slice(0, 8)}\r\n`), 'hostname: the short allocation ID');
    assert.ok(text.includes(`\r\n${task} ${id}\r\n`), 'the task env');
    assert.ok(text.includes('\r\n33 101\r\n'), 'the size sent');
    assert.ok(text.includes('sh: nosuch: not found\r\n/ # echo $?\r\n127\r\n'), 'unknown commands: 127');
    assert.deepEqual(session.frames.slice(-3), [{ stdout: { close: true } }, { stderr: { close: true } }, { exited: true, result: { exit_code: 3 } }]);
    assert.equal(session.close?.code, 1006, 'the connection drops with no close frame, as gorilla Conn.Close does');
    assert.deepEqual(sim.counters.exec.sizes, [{ height: 33, width: 101 }]);
  });

  it('exit 0 gives "result":{}; without a tty there is no echo and stderr is its own stream', async () => {
    const sim = await startSim();
    const { target, task } = runningAlloc(sim);
    const session = await exec(sim, target.alloc.ID ?? '', { task, command: JSON.stringify(['/bin/sh', '-c', 'cat /local/app.conf /nope']), tty: 'false' });
    assert.match(output(session), /^# rendered by Nomad's template block\n/);
    assert.equal(output(session, 'stderr'), "cat: can't open '/nope': No such file or directory\n");
    assert.deepEqual(session.frames.at(-1), { exited: true, result: { exit_code: 1 } });
    const ok = await exec(sim, target.alloc.ID ?? '', { task, command: JSON.stringify(['hostname']), tty: 'false' });
    assert.deepEqual(ok.frames.at(-1), { exited: true, result: {} });
    assert.equal(output(ok), `${(target.alloc.ID ?? '').slice(0, 8)}\n`);
  });

  it('output goes in frames of at most 1 KiB', async () => {
    const sim = await startSim();
    const { target, task } = runningAlloc(sim);
    const long = 'x'.repeat(3000);
    const session = await exec(sim, target.alloc.ID ?? '', { task, command: JSON.stringify(['echo', long]), tty: 'false' });
    const sizes = session.frames.map((f) => (f.stdout as { data?: string } | undefined)?.data).filter((d): d is string => typeof d === 'string').map((d) => Buffer.from(d, 'base64').length);
    assert.deepEqual(sizes, [1024, 1024, 953]);
    assert.equal(output(session), `${long}\n`);
  });

  it('Ctrl-C interrupts sleep (130), and stopping the task kills the session (137, signal 9)', async () => {
    const sim = await startSim();
    const { target, task } = runningAlloc(sim);
    const id = target.alloc.ID ?? '';
    const url = `${sim.url.replace(/^http/, 'ws')}/v1/client/allocation/${id}/exec?${new URLSearchParams({ task, command: SH, tty: 'true' })}`;
    const ws = new WebSocket(url);
    const frames: Record<string, unknown>[] = [];
    const closed = new Promise<void>((resolve) => ws.on('close', () => resolve()));
    ws.on('message', (data) => frames.push(JSON.parse(String(data)) as Record<string, unknown>));
    await new Promise((resolve) => ws.on('open', resolve));
    // One read holding the command and what is typed after it: the rest is type-ahead, echoed.
    ws.send(JSON.stringify(stdin('sleep 60\rab')));
    ws.send(JSON.stringify(stdin('\x03')));
    ws.send(JSON.stringify(stdin('echo $?\r')));
    const text = async (): Promise<string> => frames.map((f) => (f.stdout as { data?: string } | undefined)?.data ?? '').map((d) => Buffer.from(d, 'base64').toString()).join('');
    for (let i = 0; i < 100 && !(await text()).includes('130'); i++) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.match(await text(), /sleep 60\r\nab\^C\r\n\/ # echo \$\?\r\n130\r\n/);
    sim.sim.stop(id, true);
    await closed;
    assert.deepEqual(frames.at(-1), { exited: true, result: { exit_code: 137, signal: 9 } });
  });

  it('refusals are close frames with the message: 1008 for 4xx, 1011 for 500 and Permission denied', async () => {
    const sim = await startSim({ acl: { management: 'root', readOnly: 'ro' } });
    const { target, task } = runningAlloc(sim);
    const id = target.alloc.ID ?? '';
    const defaultOnly = sim.acl?.tokens.defaultOnly ?? '';
    const cases: [string, string, Record<string, string>, string | undefined, number, string][] = [
      ['unknown allocation', '00000000-0000-0000-0000-000000000000', { task, command: SH }, 'root', 1008, 'Unknown allocation "00000000-0000-0000-0000-000000000000"'],
      ['read-only token', id, { task, command: SH }, 'ro', 1011, 'Permission denied'],
      ['unknown token', id, { task, command: SH }, 'who-is-this', 1011, 'Permission denied'],
      ['no token', id, { task, command: SH }, undefined, 1011, 'Permission denied'],
      ['no task', id, { command: SH }, 'root', 1008, 'must provide task name'],
      ['empty command', id, { task, command: '[]' }, 'root', 1008, 'command is not present'],
      ['unknown task', id, { task: 'ghost', command: SH }, 'root', 1008, 'unknown task name "ghost"'],
    ];
    if (target.alloc.Namespace === 'default') cases.push(['the default-namespace token (write policy) may exec there', id, { task, command: JSON.stringify(['true']) }, defaultOnly, 1006, '']);
    for (const [name, alloc, query, token, code, reason] of cases) {
      const session = await exec(sim, alloc, query, [], token);
      assert.deepEqual(session.close, { code, reason }, name);
    }
  });

  it('a task not started, a task not running, a terminal allocation, raw_exec without alloc-node-exec', async () => {
    const sim = await startSim({ acl: { management: 'root', readOnly: 'ro' } });
    const { target, task } = runningAlloc(sim);
    const id = target.alloc.ID ?? '';
    const state = target.alloc.TaskStates[task];
    assert.ok(state);
    const saved = { ...state };
    Object.assign(state, { State: 'pending', StartedAt: null });
    assert.equal((await exec(sim, id, { task, command: SH }, [], 'root')).close?.reason, `task "${task}" not started yet.`);
    Object.assign(state, { State: 'dead', StartedAt: saved.StartedAt });
    assert.deepEqual((await exec(sim, id, { task, command: SH }, [], 'root')).close, { code: 1008, reason: `task "${task}" is not running.` });
    Object.assign(state, saved);
    // raw_exec has no filesystem isolation: the write policy's alloc-exec is not enough.
    const spec = target.group.tasks.find((t) => t.name === task);
    assert.ok(spec);
    const driver = spec.driver;
    spec.driver = 'raw_exec';
    const defaultOnly = sim.acl?.tokens.defaultOnly ?? '';
    if (target.alloc.Namespace === 'default') assert.deepEqual((await exec(sim, id, { task, command: SH }, [], defaultOnly)).close, { code: 1011, reason: 'Permission denied' });
    assert.equal((await exec(sim, id, { task, command: JSON.stringify(['true']) }, [], 'root')).close?.code, 1006, 'management may');
    spec.driver = driver;
    target.alloc.ClientStatus = 'complete';
    assert.deepEqual((await exec(sim, id, { task, command: SH }, [], 'root')).close, { code: 1008, reason: `exec not possible, client status of allocation ${id} is complete` });
  });

  it('a bad command or tty: HTTP 500 before the upgrade up to 2.0.2, a 1011 close frame from 2.0.3', async () => {
    for (const [version, early] of [['2.0.2', false], ['1.10.5', false], ['2.0.3', true], ['2.0.5', true]] as const) {
      const sim = await startSim({ nomadVersion: version });
      const { target, task } = runningAlloc(sim);
      const id = target.alloc.ID ?? '';
      const cases: [Record<string, string>, string][] = [
        [{ task }, 'failed to marshal command into json: unexpected end of JSON input'],
        [{ task, command: '"/bin/sh"' }, 'failed to marshal command into json: json: cannot unmarshal string into Go value of type []string'],
        [{ task, command: SH, tty: 'yes' }, 'tty value is not a boolean: strconv.ParseBool: parsing "yes": invalid syntax'],
      ];
      for (const [query, message] of cases) {
        const session = await exec(sim, id, query);
        if (early) assert.deepEqual(session.close, { code: 1011, reason: message }, `${version} ${JSON.stringify(query)}`);
        else assert.deepEqual(session.http, { status: 500, body: message }, `${version} ${JSON.stringify(query)}`);
      }
      // Without an upgrade: gorilla's 400 up to 2.0.2; 2.0.3+ finds no connection in the context.
      const plain = await raw(sim, `/v1/client/allocation/${id}/exec?task=${task}&command=${encodeURIComponent(SH)}`);
      assert.deepEqual([plain.status, plain.body], early ? [500, 'websocket connection not found in context'] : [400, 'Bad Request']);
    }
  });

  it('serves the tokens\' policies with RulesJSON expanded, as GET /v1/acl/policy/:name does', async () => {
    const sim = await startSim({ acl: { management: 'root', readOnly: 'ro' } });
    const auth = (token: string): RequestInit => ({ headers: { 'X-Nomad-Token': token } });
    const readonly = await raw(sim, '/v1/acl/policy/readonly', auth('ro'));
    assert.equal(readonly.status, 200);
    const body = JSON.parse(readonly.body) as { Rules: string; RulesJSON: { Namespaces: { Name: string; Policy: string; Capabilities: string[] }[] } };
    assert.equal(body.Rules, 'namespace "*" {\n  policy = "read"\n}\n');
    assert.equal(body.RulesJSON.Namespaces[0]?.Name, '*');
    assert.ok(body.RulesJSON.Namespaces[0]?.Capabilities.includes('read-job'));
    assert.ok(!body.RulesJSON.Namespaces[0]?.Capabilities.includes('alloc-exec'));
    assert.equal((await raw(sim, '/v1/acl/policy/default-ns', auth('ro'))).status, 403, 'not its policy');
    assert.equal((await raw(sim, '/v1/acl/policy/default-ns', auth('root'))).status, 200, 'management reads any');
    assert.equal((await raw(sim, '/v1/acl/policy/nope', auth('root'))).body, 'ACL policy not found');
    const open = await startSim();
    assert.deepEqual(await raw(open, '/v1/acl/policy/readonly').then((r) => [r.status, r.body]), [400, 'ACL support disabled']);
  });
});

describe('sim: exec sessions end with their connection', () => {
  it('a client that goes away mid-command leaves no timer behind (the process can exit)', async () => {
    const sim = await startSim();
    const { target, task } = runningAlloc(sim);
    const url = `${sim.url.replace(/^http/, 'ws')}/v1/client/allocation/${target.alloc.ID}/exec?${new URLSearchParams({ task, command: JSON.stringify(['sleep', '600']), tty: 'true' })}`;
    const ws = new WebSocket(url);
    await new Promise((resolve) => ws.on('open', resolve));
    const before = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    ws.close();
    await new Promise((resolve) => ws.on('close', resolve));
    for (let i = 0; i < 50 && process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length >= before; i++) await new Promise((resolve) => setImmediate(resolve));
    assert.ok(process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length < before, 'the 600 s sleep was cleared');
  });
});
