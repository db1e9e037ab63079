// The docs' sample responses, served byte for byte, decode through NomadClient's typed
// endpoints without losing or changing a field.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
import { NomadClient } from '../../src/nomad/client.js';
import type { AllocListStub, Allocation, ServiceRegistration } from '../../src/nomad/types.js';
import { NOMAD_API_DIR } from '../helpers/openapi.js';

const ROUTES: Record<string, string> = {
  '/v1/allocations': 'get-v1-allocations.json',
  '/v1/allocation/a8198d79-cfdb-6593-a999-1e9adabcba2e': 'get-v1-allocation-alloc_id.json',
  '/v1/allocation/a8198d79-cfdb-6593-a999-1e9adabcba2e/services': 'get-v1-allocation-alloc_id-services.json',
  '/v1/allocation/a8198d79-cfdb-6593-a999-1e9adabcba2e/stop': 'post-v1-allocation-alloc_id-stop.json',
  '/v1/client/allocation/a8198d79-cfdb-6593-a999-1e9adabcba2e/signal': 'post-v1-client-allocation-alloc_id-signal.json',
  '/v1/client/allocation/a8198d79-cfdb-6593-a999-1e9adabcba2e/restart': 'post-v1-client-allocation-alloc_id-restart.json',
  '/v1/client/allocation/a8198d79-cfdb-6593-a999-1e9adabcba2e/stats': 'get-v1-client-allocation-alloc_id-stats.json',
};

const text = (file: string): string => readFileSync(`${NOMAD_API_DIR}${file}`, 'utf8');

async function serveSamples(): Promise<NomadClient> {
  const server = createServer((req, res) => {
    const file = ROUTES[new URL(req.url ?? '/', 'http://x').pathname];
    if (!file) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/json', 'X-Nomad-Index': '57' }).end(text(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const client = new NomadClient({ address: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
  after(async () => {
    await client.close();
    server.close();
  });
  return client;
}

const ID = 'a8198d79-cfdb-6593-a999-1e9adabcba2e';

describe('docs samples decode through the client', () => {
  it('every sample arrives whole', async () => {
    const client = await serveSamples();
    const list = await client.listAllocations();
    assert.deepEqual(list.data, JSON.parse(text('get-v1-allocations.json')));
    assert.deepEqual((await client.getAllocation(ID)).data, JSON.parse(text('get-v1-allocation-alloc_id.json')));
    assert.deepEqual((await client.allocationServices(ID, 'default')).data, JSON.parse(text('get-v1-allocation-alloc_id-services.json')));
    assert.deepEqual((await client.stopAllocation(ID)).data, JSON.parse(text('post-v1-allocation-alloc_id-stop.json')));
    assert.deepEqual((await client.signalAllocation(ID, 'SIGUSR1', 'FOO')).data, {});
    assert.deepEqual((await client.restartAllocation(ID, { task: 'FOO' })).data, {});
    assert.deepEqual((await client.allocationStats(ID)).data, JSON.parse(text('get-v1-client-allocation-alloc_id-stats.json')));
  });

  it('the typed fields read what the samples hold', async () => {
    const client = await serveSamples();
    const stub: AllocListStub | undefined = (await client.listAllocations()).data[0];
    assert.equal(stub?.TaskStates?.redis?.Events?.[1]?.DisplayMessage, 'Building Task Directory');
    assert.equal(stub?.TaskStates?.redis?.FinishedAt, null);
    assert.equal(stub?.DeploymentStatus?.Healthy, true);
    const alloc: Allocation = (await client.getAllocation(ID)).data;
    // The sample holds PreviousAllocation twice; JSON keeps the last, empty, one.
    assert.equal(alloc.PreviousAllocation, '');
    assert.equal(alloc.NextAllocation, 'cd13d9b9-4f97-7184-c88b-7b451981616b');
    assert.equal(alloc.RescheduleTracker?.Events?.[0]?.Delay, '5000000000');
    assert.equal(alloc.TaskStates?.redis?.Events?.[1]?.DriverMessage, 'Downloading image redis:7');
    assert.equal(alloc.Job?.TaskGroups?.length, 1);
    const service: ServiceRegistration | undefined = (await client.allocationServices(ID, 'default')).data[0];
    assert.deepEqual(service?.Tags, ['db', 'cache']);
    assert.equal(service?.Port, 29702);
  });
});
