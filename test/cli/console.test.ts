// The console's start-up checks through the real binary: each bad input is one line saying
// what to do, exit code 2, no stack trace — and never the token.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { killTmuxServer, startConsole } from '../helpers/tmux.js';
import { startSim } from '../helpers/sim.js';

after(killTmuxServer);

const TOKEN = 'c0ffee00-dead-beef-cafe-000000000042';

describe('alloctop console: bad input', () => {
  const cases: [string, string[], Record<string, string>, RegExp][] = [
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
  for (const [name, args, env, message] of cases) {
    it(name, () => {
      const result = runCli(args, { NOMAD_TOKEN: TOKEN, ...env });
      assert.equal(result.status, 2, `${name}: ${result.stderr}`);
      assert.match(result.stderr.trimEnd(), message);
      assert.equal(result.stderr.trim().split('\n').length, 1, 'one line');
      assert.ok(!result.stderr.includes('    at '), 'no stack trace');
      assert.ok(!`${result.stdout}${result.stderr}`.includes(TOKEN), 'the token never appears');
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
