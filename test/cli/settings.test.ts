// Settings precedence: flags beat NOMAD_* variables beat defaults; basic auth from the URL or
// NOMAD_HTTP_AUTH reaches the agent; the address shown never carries the password.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
import { resolveSettings } from '../../src/cli/settings.js';
import { clientFor } from '../helpers/sim.js';

describe('resolveSettings', () => {
  it('flags beat the environment, which beats defaults', () => {
    const env = { NOMAD_ADDR: 'http://env:4646', NOMAD_NAMESPACE: 'envns', NOMAD_REGION: 'eu', NOMAD_TOKEN: 'env-token' };
    const fromEnv = resolveSettings({}, env);
    assert.deepEqual([fromEnv.client.address, fromEnv.client.namespace, fromEnv.client.region, fromEnv.client.token], ['http://env:4646', 'envns', 'eu', 'env-token']);
    const fromFlags = resolveSettings({ address: 'https://flag:4646', namespace: 'flagns', region: 'us' }, env);
    assert.deepEqual([fromFlags.client.address, fromFlags.client.namespace, fromFlags.client.region], ['https://flag:4646', 'flagns', 'us']);
    const defaults = resolveSettings({}, {});
    assert.deepEqual([defaults.client.address, defaults.client.namespace, defaults.client.token, defaults.waitMs, defaults.readOnly], ['http://127.0.0.1:4646', undefined, undefined, 300_000, false]);
  });

  it('read-only from the flag or ALLOCTOP_READ_ONLY, wait from --wait', () => {
    assert.equal(resolveSettings({ 'read-only': true }, {}).client.readOnly, true);
    assert.equal(resolveSettings({}, { ALLOCTOP_READ_ONLY: '1' }).readOnly, true);
    assert.equal(resolveSettings({}, { ALLOCTOP_READ_ONLY: 'false' }).readOnly, false);
    assert.equal(resolveSettings({ wait: '1m30s' }, {}).waitMs, 90_000);
  });
});

describe('basic auth', () => {
  it('URL userinfo and NOMAD_HTTP_AUTH are sent as basic auth; the shown address has no password', async () => {
    const seen: (string | undefined)[] = [];
    const server = createServer((req, res) => {
      seen.push(req.headers.authorization);
      res.writeHead(200, { 'Content-Type': 'application/json', 'X-Nomad-Index': '1' }).end('["global"]');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    after(() => server.close());
    const port = (server.address() as AddressInfo).port;
    const withUserinfo = resolveSettings({ address: `http://ops:s3cret@127.0.0.1:${port}` }, {});
    const client = clientFor(withUserinfo.client.address, withUserinfo.client);
    await client.listRegions();
    assert.equal(client.address, `http://127.0.0.1:${port}`);
    const withEnv = resolveSettings({ address: `http://127.0.0.1:${port}` }, { NOMAD_HTTP_AUTH: 'admin:pw' });
    await clientFor(withEnv.client.address, withEnv.client).listRegions();
    assert.deepEqual(seen, [`Basic ${Buffer.from('ops:s3cret').toString('base64')}`, `Basic ${Buffer.from('admin:pw').toString('base64')}`]);
  });
});
