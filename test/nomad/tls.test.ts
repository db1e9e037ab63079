// TLS, mutual TLS and unix sockets for real: the simulator serves HTTPS with certificates made
// at test time, and the client verifies, presents a client certificate, or says what to fix.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { NomadConnectionError } from '../../src/nomad/errors.js';
import { pki } from '../helpers/certs.js';
import { clientFor, startSim } from '../helpers/sim.js';

async function fails(promise: Promise<unknown>, code: string | RegExp, message: RegExp): Promise<void> {
  const error = await promise.then(() => assert.fail('expected a failure'), (e: unknown) => e);
  assert.ok(error instanceof NomadConnectionError, String(error));
  if (typeof code === 'string') assert.equal(error.code, code);
  else assert.match(error.code, code);
  assert.match(error.message, message);
}

describe('TLS', () => {
  it('verifies the agent against NOMAD_CACERT', async () => {
    const p = pki();
    const sim = await startSim({ allocs: 3, tls: { cert: p.read('server.pem'), key: p.read('server.key') } });
    assert.match(sim.url, /^https:/);
    const { data } = await clientFor(sim, { tls: { ca: [p.read('ca.pem')] } }).listAllocations();
    assert.ok(data.length > 0);
  });

  it('a wrong CA (or none) fails with what to set', async () => {
    const p = pki();
    const sim = await startSim({ allocs: 3, tls: { cert: p.read('server.pem'), key: p.read('server.key') } });
    await fails(clientFor(sim, { tls: { ca: [p.read('other-ca.pem')] } }).listAllocations(), /UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED/, /TLS certificate not trusted .*; set NOMAD_CACERT or --ca-cert to the agent's CA/);
    await fails(clientFor(sim).listAllocations(), /UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED/, /set NOMAD_CACERT/);
  });

  it('--tls-server-name verifies a certificate whose name differs from the address', async () => {
    const p = pki();
    const sim = await startSim({ allocs: 3, tls: { cert: p.read('internal.pem'), key: p.read('internal.key') } });
    await fails(clientFor(sim, { tls: { ca: [p.read('ca.pem')] } }).listAllocations(), 'ERR_TLS_CERT_ALTNAME_INVALID', /does not match the host name; set NOMAD_TLS_SERVER_NAME or --tls-server-name/);
    const { data } = await clientFor(sim, { tls: { ca: [p.read('ca.pem')], serverName: 'nomad.internal' } }).listAllocations();
    assert.ok(data.length > 0);
  });

  it('skip-verify connects to an agent it cannot verify', async () => {
    const p = pki();
    const sim = await startSim({ allocs: 3, tls: { cert: p.read('internal.pem'), key: p.read('internal.key') } });
    const { data } = await clientFor(sim, { tls: { skipVerify: true } }).listAllocations();
    assert.ok(data.length > 0);
  });

  it('mutual TLS: without a client certificate it fails clearly; with one it works', async () => {
    const p = pki();
    const sim = await startSim({ allocs: 3, tls: { cert: p.read('server.pem'), key: p.read('server.key'), clientCa: p.read('ca.pem') } });
    await fails(clientFor(sim, { tls: { ca: [p.read('ca.pem')] } }).listAllocations(), /UND_ERR_SOCKET|ECONNRESET|CERTIFICATE_REQUIRED/, /requires client certificates, set NOMAD_CLIENT_CERT and NOMAD_CLIENT_KEY/);
    const { data } = await clientFor(sim, { tls: { ca: [p.read('ca.pem')], cert: p.read('client.pem'), key: p.read('client.key') } }).listAllocations();
    assert.ok(data.length > 0);
  });

  it('plain HTTP behind an https:// address, and HTTPS behind http://, each say which to use', async () => {
    const p = pki();
    const plain = await startSim({ allocs: 3 });
    await fails(clientFor(plain.url.replace('http:', 'https:')).listAllocations(), /WRONG_VERSION_NUMBER|EPROTO/, /is the agent serving plain HTTP\? Try an http:\/\/ address/);
    const secure = await startSim({ allocs: 3, tls: { cert: p.read('server.pem'), key: p.read('server.key') } });
    await fails(clientFor(secure.url.replace('https:', 'http:')).listAllocations(), /UND_ERR_SOCKET|ECONNRESET|HPE/, /if it serves HTTPS, use an https:\/\/ address/);
  });
});

describe('unix sockets', () => {
  it('the simulator listens on a socket and the client reaches it via unix://', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'alloctop-sock-')), 'nomad.sock');
    const sim = await startSim({ allocs: 4, socketPath: path });
    assert.equal(sim.url, `unix://${path}`);
    const client = clientFor(sim);
    const { data, meta } = await client.listAllocations({ namespace: '*' });
    assert.equal(data.length, 4);
    assert.ok(meta.index > 0);
    assert.equal(client.address, `unix://${path}`);
  });

  it('a socket path with nothing there says so', async () => {
    await fails(clientFor('unix:///nonexistent/nomad.sock').listAllocations(), 'ENOENT', /no socket at that path; check NOMAD_ADDR/);
  });
});
