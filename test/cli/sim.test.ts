// `alloctop sim`, `--version` and `--help` through the real binary.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { runCli, spawnSim } from '../helpers/cli.js';
import { eventually } from '../helpers/sim.js';

describe('alloctop sim', () => {
  it('prints its URL, serves the API and exits 0 on SIGTERM', async () => {
    const { child, url } = await spawnSim(['--port', '0', '--allocs', '50', '--seed', '4']);
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const response = await fetch(`${url}/v1/allocations?namespace=*`);
    assert.equal(response.status, 200);
    assert.equal(((await response.json()) as unknown[]).length, 50);
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    assert.equal(code, 0);
  });

  it('serves the event stream, or 404s it like a pre-1.0 agent with --no-event-stream', async () => {
    for (const [flags, status] of [[[], 200], [['--no-event-stream'], 404]] as const) {
      const { child, url } = await spawnSim(['--port', '0', '--allocs', '5', '--still', ...flags]);
      const controller = new AbortController();
      const response = await fetch(`${url}/v1/event/stream?topic=Allocation`, { signal: controller.signal });
      assert.equal(response.status, status);
      controller.abort();
      child.kill('SIGTERM');
      assert.equal((await once(child, 'exit'))[0], 0);
    }
  });

  it('--acl prints a management and a read-only token that the server honours', async () => {
    const { child, url, output } = await spawnSim(['--port', '0', '--allocs', '5', '--acl']);
    await eventually(() => /read-only token: \S+/.test(output()), 3000, 'the tokens printed');
    const management = /management token: (\S+)/.exec(output())?.[1];
    const readOnly = /read-only token: (\S+)/.exec(output())?.[1];
    assert.ok(management && readOnly);
    assert.equal((await fetch(`${url}/v1/allocations`)).status, 403);
    assert.equal((await fetch(`${url}/v1/allocations`, { headers: { 'X-Nomad-Token': readOnly } })).status, 200);
    child.kill('SIGINT');
    assert.equal((await once(child, 'exit'))[0], 0);
  });

  it('answers bad flags with one line and exit code 2', () => {
    const cases: [string[], RegExp][] = [
      [['sim', '--bogus'], /^alloctop: unknown flag --bogus; run 'alloctop sim --help' to see the flags\n$/],
      [['sim', '--port'], /^alloctop: flag --port needs a value, like --port=VALUE\n$/],
      [['sim', '--allocs', 'many'], /^alloctop: --allocs must be a whole number from 0 to 1000000, not "many"\n$/],
      [['sim', '--port', '70000'], /^alloctop: --port must be from 0 to 65535, not 70000\n$/],
      [['sim', '--tls-cert', '/nonexistent.pem'], /^alloctop: cannot read --tls-cert \/nonexistent.pem: ENOENT\n$/],
    ];
    for (const [args, message] of cases) {
      const result = runCli(args);
      assert.equal(result.status, 2, args.join(' '));
      assert.match(result.stderr, message);
      assert.equal(result.stdout, '');
    }
  });
});

describe('alloctop --version and --help', () => {
  it('prints the package version', () => {
    const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    const result = runCli(['--version']);
    assert.equal(result.status, 0);
    assert.equal(result.stdout, `alloctop ${version}\n`);
  });

  it('lists the subcommands and every flag with its variable', () => {
    const result = runCli(['--help']);
    assert.equal(result.status, 0);
    for (const word of ['alloctop sim', '--demo', '--address', 'NOMAD_ADDR', '--token-file', 'NOMAD_TOKEN', '--ca-cert', 'NOMAD_CACERT', '--ca-path', 'NOMAD_CAPATH', '--client-cert', '--client-key', '--tls-server-name', 'NOMAD_TLS_SERVER_NAME', '--tls-skip-verify', 'NOMAD_SKIP_VERIFY', '--http-auth', 'NOMAD_HTTP_AUTH', '--namespace', 'NOMAD_NAMESPACE', '--region', 'NOMAD_REGION', '--read-only', '--wait']) {
      assert.ok(result.stdout.includes(word), `help mentions ${word}`);
    }
    const sim = runCli(['sim', '--help']);
    assert.equal(sim.status, 0);
    assert.match(sim.stdout, /--allocs N/);
  });
});
