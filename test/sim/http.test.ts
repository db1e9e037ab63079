// The simulator's HTTP surface, byte for byte against REFERENCE §0–§4 and §7: statuses, exact
// text/plain bodies, headers, gzip, method checks, blocking clamps, pagination tokens, ACLs.
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { request } from 'node:http';
import { describe, it } from 'node:test';
import { parseGoDuration } from '../../src/sim/http/query.js';
import { eventually, raw, startSim } from '../helpers/sim.js';

describe('simulator: request errors (§2)', () => {
  const rows: [string, string, number, string][] = [
    ['bad index', '/v1/allocations?index=abc', 400, 'Invalid index'],
    ['negative index', '/v1/allocations?index=-1', 400, 'Invalid index'],
    ['bare wait', '/v1/allocations?index=1&wait=10', 400, 'Invalid wait time'],
    ['bad stale', '/v1/allocations?stale=maybe', 400, 'Expect `true` or `false` for `stale` query string parameter'],
    ['bad per_page', '/v1/allocations?per_page=ten', 400, 'Expect a number for `per_page` query string parameter'],
    ['stale error wins over per_page', '/v1/allocations?per_page=x&stale=x', 400, 'Expect `true` or `false` for `stale` query string parameter'],
    ['bad task_states', '/v1/allocations?task_states=x', 500, 'Failed to parse value of "task_states" (x) as a bool: strconv.ParseBool: parsing "x": invalid syntax'],
    ['bad resources', '/v1/allocations?resources=yes', 500, 'Failed to parse value of "resources" (yes) as a bool: strconv.ParseBool: parsing "yes": invalid syntax'],
    ['unknown region', '/v1/allocations?region=mars', 500, 'No path to region'],
    ['odd prefix', '/v1/allocations?prefix=a', 500, 'alloc lookup failed: index error: Input (without hyphens) must be even length'],
    ['non-hex prefix', '/v1/allocations?prefix=gg', 500, "alloc lookup failed: index error: Invalid UUID: encoding/hex: invalid byte: U+0067 'g'"],
    ['short alloc id', '/v1/allocation/1234', 500, 'alloc lookup failed: index error: UUID must be 36 characters'],
    ['missing alloc', '/v1/allocation/00000000-0000-0000-0000-000000000000', 404, 'alloc not found'],
    ['unknown alloc action', '/v1/allocation/00000000-0000-0000-0000-000000000000/explode', 404, 'resource not found'],
    ['too many segments', '/v1/allocation/a/b/c', 404, 'resource not found'],
  ];
  for (const [name, path, status, body] of rows) {
    it(`${name}: ${status} ${body}`, async () => {
      const sim = await startSim({ allocs: 5 });
      const response = await raw(sim, path);
      assert.equal(response.status, status);
      assert.equal(response.body, body);
      assert.equal(response.headers.get('content-type'), 'text/plain; charset=utf-8');
    });
  }

  it('wrong method → 405 Invalid method; unknown path → 404 with an empty body', async () => {
    const sim = await startSim({ allocs: 5 });
    for (const [path, method] of [['/v1/allocations', 'PUT'], ['/v1/allocations', 'DELETE'], ['/v1/namespaces', 'POST']] as const) {
      const response = await raw(sim, path, { method });
      assert.deepEqual([response.status, response.body], [405, 'Invalid method']);
    }
    const id = sim.sim.cluster.ordered[0]?.alloc.ID;
    assert.deepEqual([(await raw(sim, `/v1/allocation/${id}/stop`, { method: 'GET' })).status], [405]);
    const unknown = await raw(sim, '/v1/no-such-thing');
    assert.deepEqual([unknown.status, unknown.body, unknown.headers.get('content-type')], [404, '', null]);
  });

  it('signal and restart bodies: empty, bad JSON, both TaskName and AllTasks', async () => {
    const sim = await startSim({ allocs: 5 });
    const id = sim.sim.cluster.ordered.find((s) => s.alloc.ClientStatus === 'running')?.alloc.ID;
    const signal = `/v1/client/allocation/${id}/signal`;
    assert.deepEqual(Object.values(await raw(sim, signal, { method: 'PUT' })).slice(0, 2), [400, 'Failed to decode body: Request body is empty']);
    const bad = await raw(sim, signal, { method: 'PUT', body: '{nope' });
    assert.equal(bad.status, 400);
    assert.match(bad.body, /^Failed to decode body: invalid character/);
    const both = await raw(sim, `/v1/client/allocation/${id}/restart`, { method: 'PUT', body: '{"TaskName":"x","AllTasks":true}' });
    assert.deepEqual([both.status, both.body], [500, 'task name cannot be set when restarting all tasks']);
  });

  it('restart of a terminal allocation and signal of a dead task', async () => {
    const sim = await startSim({ allocs: 20, timeScale: 0.02 });
    const target = sim.sim.cluster.ordered.find((s) => s.alloc.ClientStatus === 'running' && s.job.type === 'service');
    const id = target?.alloc.ID ?? '';
    sim.sim.stop(id, true);
    await eventually(() => target?.alloc.ClientStatus === 'complete', 3000, 'stop');
    const restart = await raw(sim, `/v1/client/allocation/${id}/restart`, { method: 'PUT', body: '{}' });
    assert.deepEqual([restart.status, restart.body], [500, 'restart of an alloc that should not run']);
    const task = Object.keys(target?.alloc.TaskStates ?? {})[0];
    const signal = await raw(sim, `/v1/client/allocation/${id}/signal`, { method: 'PUT', body: JSON.stringify({ Signal: 'SIGHUP', Task: task }) });
    assert.deepEqual([signal.status, signal.body], [500, 'Task not running']);
  });
});

describe('simulator: headers, gzip, pretty (§0)', () => {
  it('sends X-Nomad-* meta on reads, only X-Nomad-Index on stop, none on signal', async () => {
    const sim = await startSim({ allocs: 5 });
    const list = await raw(sim, '/v1/allocations');
    assert.equal(list.headers.get('x-nomad-index'), String(sim.sim.cluster.allocsIndex));
    assert.equal(list.headers.get('x-nomad-knownleader'), 'true');
    assert.equal(list.headers.get('x-nomad-lastcontact'), '0');
    assert.equal(list.headers.get('x-nomad-nexttoken'), null);
    assert.equal(list.headers.get('content-type'), 'application/json');
    const id = sim.sim.cluster.ordered.find((s) => s.alloc.ClientStatus === 'running')?.alloc.ID;
    const stop = await raw(sim, `/v1/allocation/${id}/stop`, { method: 'POST' });
    assert.ok(Number(stop.headers.get('x-nomad-index')) > 0);
    assert.equal(stop.headers.get('x-nomad-knownleader'), null);
    const missing = await raw(sim, '/v1/allocation/00000000-0000-0000-0000-000000000000');
    assert.ok(Number(missing.headers.get('x-nomad-index')) > 0, 'a 404 on a single allocation still carries the index');
  });

  it('gzips when asked and the body is large enough; ?pretty indents', async () => {
    const sim = await startSim({ allocs: 30 });
    const { port } = new URL(sim.url);
    const body = await new Promise<{ encoding?: string; data: Buffer }>((resolve, reject) => {
      request({ host: '127.0.0.1', port, path: '/v1/allocations', headers: { 'accept-encoding': 'gzip' } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ encoding: res.headers['content-encoding'], data: Buffer.concat(chunks) }));
      }).on('error', reject).end();
    });
    assert.equal(body.encoding, 'gzip');
    assert.ok(Array.isArray(JSON.parse(gunzipSync(body.data).toString())));
    const pretty = await raw(sim, '/v1/namespaces?pretty');
    assert.match(pretty.body, /^\[\n {4}\{\n/);
  });
});

describe('simulator: blocking queries (§3)', () => {
  it('parses Go durations and clamps a long wait to 300 s plus stagger', () => {
    assert.equal(parseGoDuration('1m30s'), 90_000);
    assert.equal(parseGoDuration('250ms'), 250);
    assert.equal(parseGoDuration('1.5h'), 5_400_000);
    assert.equal(parseGoDuration('10'), undefined);
    assert.equal(parseGoDuration('0'), 0);
  });

  it('a single allocation blocks on its own ModifyIndex, not the table', async () => {
    const sim = await startSim({ allocs: 10 });
    const [a, b] = sim.sim.cluster.ordered.filter((s) => s.alloc.ClientStatus === 'running');
    const index = a?.alloc.ModifyIndex ?? 0;
    const started = Date.now();
    const pending = raw(sim, `/v1/allocation/${a?.alloc.ID}?index=${index}&wait=600ms`);
    await eventually(() => sim.counters.recent.includes(`/v1/allocation/${a?.alloc.ID}?index=${index}&wait=600ms`), 2000, 'the blocking query to arrive');
    sim.sim.signal(b?.alloc.ID ?? '', 'SIGHUP', '');
    const response = await pending;
    assert.ok(Date.now() - started >= 590, 'a change to another allocation did not wake it');
    assert.equal(response.headers.get('x-nomad-index'), String(index));
  });

  it('index 0 never blocks', async () => {
    const sim = await startSim({ allocs: 5 });
    const started = Date.now();
    await raw(sim, '/v1/allocations?index=0&wait=5s');
    // Well under the 5 s wait (a loaded machine can take a second; a blocked one takes 5).
    assert.ok(Date.now() - started < 4000);
  });
});

describe('simulator: pagination (§4)', () => {
  it('tokens are "<CreateIndex>.<ID>", inclusive, and absent on the last page; prefix pages by ID', async () => {
    const sim = await startSim({ allocs: 25 });
    const first = await raw(sim, '/v1/allocations?namespace=*&per_page=10&task_states=false');
    const page1 = JSON.parse(first.body) as { ID: string; CreateIndex: number }[];
    const token = first.headers.get('x-nomad-nexttoken') ?? '';
    assert.equal(page1.length, 10);
    const all = JSON.parse((await raw(sim, '/v1/allocations?namespace=*&task_states=false')).body) as { ID: string; CreateIndex: number }[];
    const eleventh = all[10];
    assert.equal(token, `${eleventh?.CreateIndex}.${eleventh?.ID}`);
    const second = await raw(sim, `/v1/allocations?namespace=*&per_page=10&task_states=false&next_token=${token}`);
    assert.equal((JSON.parse(second.body) as { ID: string }[])[0]?.ID, eleventh?.ID);
    const filtered = await raw(sim, `/v1/allocations?namespace=*&per_page=3&filter=${encodeURIComponent('ClientStatus == "running"')}`);
    assert.ok((JSON.parse(filtered.body) as { ClientStatus: string }[]).every((a) => a.ClientStatus === 'running'));
    const prefix = all[0]?.ID.slice(0, 2) ?? '';
    const byId = await raw(sim, `/v1/allocations?namespace=*&prefix=${prefix}&per_page=1`);
    const next = byId.headers.get('x-nomad-nexttoken');
    if (next) assert.match(next, /^[0-9a-f-]{36}$/);
  });
});

describe('simulator: ACLs (§7)', () => {
  it('anonymous, unknown, read-only and management tokens get what Nomad gives them', async () => {
    const sim = await startSim({ allocs: 10, acl: { management: 'mgmt-secret', readOnly: 'ro-secret' } });
    const id = sim.sim.cluster.ordered.find((s) => s.alloc.ClientStatus === 'running')?.alloc.ID;
    const as = (token?: string, auth?: string): RequestInit => ({ headers: { ...(token ? { 'X-Nomad-Token': token } : {}), ...(auth ? { Authorization: auth } : {}) } });
    assert.deepEqual([(await raw(sim, '/v1/allocations', as())).status, (await raw(sim, '/v1/allocations', as())).body], [403, 'Permission denied']);
    assert.equal((await raw(sim, '/v1/allocations', as('wrong'))).body, 'Permission denied');
    assert.equal((await raw(sim, `/v1/client/allocation/${id}/stats`, as('wrong'))).body, 'ACL token not found');
    assert.equal((await raw(sim, '/v1/allocations', as('ro-secret'))).status, 200);
    assert.equal((await raw(sim, '/v1/allocations', as(undefined, 'Bearer ro-secret'))).status, 200);
    const roStop = await raw(sim, `/v1/allocation/${id}/stop`, { method: 'PUT', ...as('ro-secret') });
    assert.deepEqual([roStop.status, roStop.body], [403, 'Permission denied']);
    const missingStop = await raw(sim, '/v1/allocation/00000000-0000-0000-0000-000000000000/stop', { method: 'PUT', ...as('ro-secret') });
    assert.deepEqual([missingStop.status, missingStop.body], [404, 'allocation not found'], 'lookup comes before the capability check');
    const anonymousRead = await raw(sim, `/v1/allocation/${id}`, as());
    assert.deepEqual([anonymousRead.status, anonymousRead.body], [500, `Unknown allocation "${id}"`]);
    assert.equal((await raw(sim, `/v1/allocation/${id}/stop`, { method: 'PUT', ...as('mgmt-secret') })).status, 200);
    const self = JSON.parse((await raw(sim, '/v1/acl/token/self', as('ro-secret'))).body) as { Name: string };
    assert.equal(self.Name, 'read-only');
    assert.deepEqual(JSON.parse((await raw(sim, '/v1/namespaces', as())).body), []);
  });
});
