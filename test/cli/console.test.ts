// The console's start-up checks through the real binary: each bad input is one line saying
// what to do, exit code 2, no stack trace — and never the token.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { killTmuxServer, startConsole } from '../helpers/tmux.js';
import { startSim } from '../helpers/sim.js';
import { pki } from '../helpers/certs.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

after(killTmuxServer);

const TOKEN = 'c0ffee00-dead-beef-cafe-000000000042';

describe('alloctop console: bad input', () => {
  const cases: [string, string[], Record<string, string | undefined>, RegExp][] = [
    ['unknown flag', ['--bogus'], {}, /^alloctop: unknown flag --bogus; run 'alloctop --help' to see the flags$/],
    ['missing flag value', ['--address'], {}, /^alloctop: flag --address needs a value, like --address=VALUE$/],
    ['unknown command', ['frobnicate'], {}, /^alloctop: unknown command "frobnicate"; run 'alloctop --help'/],
    ['bad address scheme', ['--address', 'ftp://nomad:4646'], {}, /^alloctop: address scheme "ftp" is not supported; use http:\/\/, https:\/\/ or unix:\/\/ \(from --address or NOMAD_ADDR\)$/],
    ['address with no host', [], { NOMAD_ADDR: 'http://' }, /^alloctop: address "http:\/\/" is not a URL/],
    ['not a URL', ['--address', 'nomad.internal:4646'], {}, /^alloctop: address scheme "nomad.internal" is not supported/],
    ['relative unix socket', ['--address', 'unix://nomad.sock'], {}, /^alloctop: address unix:\/\/nomad.sock needs an absolute socket path/],
    ['token file missing', ['--token-file', '/nonexistent/token'], {}, /^alloctop: cannot read token file \/nonexistent\/token \(no such file\); check --token-file or NOMAD_TOKEN$/],
    ['CA file missing', [], { NOMAD_CACERT: '/nonexistent/ca.pem' }, /^alloctop: cannot read CA certificate \/nonexistent\/ca.pem \(no such file\); check --ca-cert or NOMAD_CACERT$/],
    ['skip-verify not a boolean', [], { NOMAD_SKIP_VERIFY: 'maybe' }, /^alloctop: NOMAD_SKIP_VERIFY must be true or false, not "maybe"$/],
    ['bad wait', ['--wait', '10'], {}, /^alloctop: --wait must be a duration like 30s or 5m, not "10"$/],
    ['wait too long', ['--wait', '10m'], {}, /^alloctop: --wait must be from 1s to 5m/],
    ['http-auth without colon', ['--http-auth', 'admin'], {}, /^alloctop: --http-auth \/ NOMAD_HTTP_AUTH must be user:password$/],
    ['client cert without key', [], { NOMAD_CLIENT_CERT: '/etc/hosts' }, /^alloctop: a client certificate and key go together/],
    ['not a TTY', ['--address', 'http://127.0.0.1:4646'], { NOMAD_TOKEN: TOKEN }, /^alloctop: the console needs a terminal, but stdout is not one; run alloctop in a terminal/],
  ];
  const p = pki();
  const scratch = mkdtempSync(join(tmpdir(), 'alloctop-cli-'));
  writeFileSync(join(scratch, 'empty-token'), '\n');
  writeFileSync(join(scratch, 'emoji-token'), '5ec12e70-🙂-token\n');
  writeFileSync(join(scratch, 'latin1-token'), Buffer.from([0x35, 0x65, 0xe9, 0x7f, 0x0a]));
  const broken = mkdtempSync(join(tmpdir(), 'alloctop-cli-pem-'));
  writeFileSync(join(broken, 'bad-base64.pem'), '-----BEGIN CERTIFICATE-----\n!!!not base64!!!\n-----END CERTIFICATE-----\n');
  cases.push(
    ['a password in an address that does not parse is not echoed', [], { NOMAD_ADDR: 'http://admin:hunter2@[::1' }, /^alloctop: address "http:\/\/admin:\*\*\*@\[::1" is not a URL/],
    ['token with an emoji', ['--token-file', join(scratch, 'emoji-token')], {}, /^alloctop: the ACL token has characters an HTTP header cannot carry \(only printable ASCII\); check NOMAD_TOKEN or --token-file$/],
    ['token with DEL and invalid UTF-8', ['--token-file', join(scratch, 'latin1-token')], {}, /^alloctop: the ACL token (contains spaces or control characters|has characters an HTTP header cannot carry)/],
    ['CA certificate with bad base64', ['--ca-cert', join(broken, 'bad-base64.pem')], {}, /^alloctop: CA certificate \S+ holds a certificate that does not parse \(bad base64 or not X\.509\); check --ca-cert or NOMAD_CACERT$/],
    ['token from /dev/zero', ['--token-file', '/dev/zero'], {}, /^alloctop: token file \/dev\/zero is not a regular file/],
    ['CA from /dev/zero', [], { NOMAD_CACERT: '/dev/zero' }, /^alloctop: CA certificate \/dev\/zero is not a regular file/],
    ['--token with --token-file', ['--token', 'x', '--token-file', join(scratch, 'empty-token')], {}, /^alloctop: give the ACL token once: --token-file or --token, not both$/],
    ['--demo with --address', ['--demo', '--address', 'http://127.0.0.1:1'], {}, /^alloctop: --demo runs its own simulated cluster: drop --address/],
    ['ALLOCTOP_TRACE to a directory', ['--address', 'http://127.0.0.1:1'], { ALLOCTOP_TRACE: scratch }, /^alloctop: cannot write the trace file \S+ \(it is a directory\); check ALLOCTOP_TRACE$/],
    ['CA file not PEM', ['--ca-cert', p.path('garbage.pem')], {}, /^alloctop: CA certificate \S+garbage.pem is not a PEM certificate; check --ca-cert or NOMAD_CACERT$/],
    ['client cert not PEM', [], { NOMAD_CLIENT_CERT: p.path('garbage.pem'), NOMAD_CLIENT_KEY: p.path('client.key') }, /^alloctop: client certificate \S+ is not a PEM certificate; check --client-cert or NOMAD_CLIENT_CERT$/],
    ['client key not PEM', ['--client-cert', p.path('client.pem'), '--client-key', p.path('client.pem')], {}, /^alloctop: client key \S+ is not a PEM private key; check --client-key or NOMAD_CLIENT_KEY$/],
    ['cert and key do not match', ['--client-cert', p.path('client.pem'), '--client-key', p.path('server.key')], {}, /^alloctop: the client certificate and key do not match; check NOMAD_CLIENT_CERT and NOMAD_CLIENT_KEY/],
    ['token file is a directory', ['--token-file', scratch], {}, /^alloctop: cannot read token file \S+ \(it is a directory\); check --token-file or NOMAD_TOKEN$/],
    ['token file empty', ['--token-file', join(scratch, 'empty-token')], {}, /^alloctop: token file \S+ is empty; put the ACL token's secret ID in it$/],
    ['CA path missing', [], { NOMAD_CAPATH: '/nonexistent/certs' }, /^alloctop: cannot read CA path \/nonexistent\/certs; check --ca-path or NOMAD_CAPATH$/],
    ['CA path without certificates', ['--ca-path', scratch], {}, /^alloctop: CA path \S+ holds no .pem or .crt files; check --ca-path or NOMAD_CAPATH$/],
  );
  for (const [name, args, env, message] of cases) {
    it(name, () => {
      const result = runCli(args, { NOMAD_TOKEN: TOKEN, ...env });
      assert.equal(result.status, 2, `${name}: ${result.stderr}`);
      assert.match(result.stderr.trimEnd(), message);
      assert.equal(result.stderr.trim().split('\n').length, 1, 'one line');
      assert.ok(!result.stderr.includes('    at '), 'no stack trace');
      assert.ok(!`${result.stdout}${result.stderr}`.includes(TOKEN), 'the token never appears');
      assert.ok(!result.stderr.includes('hunter2'), 'no password either');
    });
  }

  it('an unreachable agent at start: names the address and suggests NOMAD_ADDR', async () => {
    const sim = await startSim({ allocs: 1 });
    const address = sim.url;
    await sim.close();
    const term = startConsole([], { NOMAD_ADDR: address, NOMAD_TOKEN: TOKEN });
    const screen = await term.waitFor(/EXIT=\d+/);
    assert.match(screen, new RegExp(`alloctop: cannot reach Nomad at ${address.replaceAll('.', '\\.')}: connection refused; is the agent running there\\? Check NOMAD_ADDR or --address`));
    assert.equal(await term.exitCode(), 2);
    assert.ok(!screen.includes(TOKEN));
  });

  it('a terminal smaller than the minimum: one line, exit 2', async () => {
    const sim = await startSim({ allocs: 1 });
    const term = startConsole(['--address', sim.url], {}, { columns: 50, rows: 12 });
    const screen = await term.waitFor(/EXIT=\d+/);
    assert.match(screen, /alloctop: the terminal is 50x12; alloctop needs at least 60x16/);
    assert.equal(await term.exitCode(), 2);
  });
});

describe('alloctop console: TLS and sockets at start (tmux)', () => {
  it('a TLS handshake failure at start (wrong CA): one line, exit 2', async () => {
    const p = pki();
    const sim = await startSim({ allocs: 1, tls: { cert: p.read('server.pem'), key: p.read('server.key') } });
    const term = startConsole([], { NOMAD_ADDR: sim.url, NOMAD_CACERT: p.path('other-ca.pem'), NOMAD_TOKEN: TOKEN });
    const screen = await term.waitFor(/EXIT=\d+/);
    assert.match(screen, /alloctop: cannot reach Nomad at https:\/\/127\.0\.0\.1:\d+: TLS certificate not trusted \(\w+\); set NOMAD_CACERT or --ca-cert to the agent's CA/);
    assert.equal(await term.exitCode(), 2);
    assert.ok(!screen.includes(TOKEN));
  });

  it('plain HTTP behind https:// and HTTPS behind http://: one line each, exit 2', async () => {
    const p = pki();
    const plain = await startSim({ allocs: 1 });
    const secure = await startSim({ allocs: 1, tls: { cert: p.read('server.pem'), key: p.read('server.key') } });
    const a = startConsole(['--address', plain.url.replace('http:', 'https:')], { NOMAD_TOKEN: TOKEN });
    assert.match(await a.waitFor(/EXIT=\d+/), /TLS handshake failed; is the agent serving plain HTTP\? Try an http:\/\/ address/);
    assert.equal(await a.exitCode(), 2);
    const b = startConsole(['--address', secure.url.replace('https:', 'http:')], { NOMAD_TOKEN: TOKEN });
    assert.match(await b.waitFor(/EXIT=\d+/), /connection closed by the agent; if it serves HTTPS, use an https:\/\/ address/);
    assert.equal(await b.exitCode(), 2);
  });

  it('mTLS with a server name, through flags: the console runs live', async () => {
    const p = pki();
    const sim = await startSim({ allocs: 5, tls: { cert: p.read('internal.pem'), key: p.read('internal.key'), clientCa: p.read('ca.pem') } });
    const term = startConsole(['--address', sim.url, '--ca-cert', p.path('ca.pem'), '--client-cert', p.path('client.pem'), '--client-key', p.path('client.key'), '--tls-server-name', 'nomad.internal'], { NOMAD_TOKEN: TOKEN });
    const screen = await term.waitFor(/● live/);
    assert.match(screen, /https:\/\/127\.0\.0\.1:\d+/);
    assert.ok(!screen.includes(TOKEN));
    term.send('q');
    assert.equal(await term.exitCode(), 0);
  });

  it('skip-verify works and warns', async () => {
    const p = pki();
    const sim = await startSim({ allocs: 5, tls: { cert: p.read('internal.pem'), key: p.read('internal.key') } });
    const term = startConsole(['--address', sim.url], { NOMAD_SKIP_VERIFY: 'true' });
    await term.waitFor(/● live/);
    term.send('q');
    assert.equal(await term.exitCode(), 0);
    assert.match(term.screen(), /alloctop: warning: TLS verification is off \(--tls-skip-verify \/ NOMAD_SKIP_VERIFY\): the agent is not authenticated/);
  });

  it('a unix socket address: the console runs live', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'alloctop-sock-')), 'nomad.sock');
    const sim = await startSim({ allocs: 5, socketPath: path });
    const term = startConsole([], { NOMAD_ADDR: `unix://${path}` });
    const screen = await term.waitFor((s) => /● live/.test(s) && /ALLOCATIONS \(\d+ allocations\)/.test(s));
    assert.ok(screen.includes(`unix://${path}`));
    term.send('q');
    assert.equal(await term.exitCode(), 0);
    assert.ok(sim.counters.requests > 0);
  });

  it('--token works but warns that ps shows it; the token itself is never printed', async () => {
    const sim = await startSim({ allocs: 5, acl: { management: TOKEN, readOnly: 'ro' } });
    const term = startConsole(['--address', sim.url, '--token', TOKEN]);
    const screen = await term.waitFor(/● live/);
    assert.ok(!screen.includes(TOKEN));
    term.send('q');
    assert.equal(await term.exitCode(), 0);
    const after = term.screen();
    assert.match(after, /warning: --token is visible to other users in the process list; prefer --token-file or NOMAD_TOKEN/);
    assert.ok(!after.includes(TOKEN));
  });
});
