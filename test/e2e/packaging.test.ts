// The single file (npm run package) on a machine without Node's environment: built here, then
// run in tmux with `env -i PATH=/usr/bin:/bin`: --version names it, --demo draws live, a key
// moves, q leaves the terminal as it was; and the package npm would publish installs and runs.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { killTmuxServer, startConsole } from '../helpers/tmux.js';

after(killTmuxServer);

const root = fileURLToPath(new URL('../..', import.meta.url));
const binary = join(root, 'dist', `alloctop-linux-${process.arch === 'arm64' ? 'arm64' : 'x64'}`);
const home = mkdtempSync(join(tmpdir(), 'alloctop-home-'));
const bare = ['env', '-i', 'PATH=/usr/bin:/bin', `HOME=${home}`, 'TERM=xterm-256color'];

describe('the single file (tmux)', () => {
  before(() => {
    execFileSync(process.execPath, [join(root, 'scripts', 'package.mjs')], { stdio: ['ignore', 'ignore', 'pipe'] });
  });

  it('--version names the single file and its Node; the bundle is cached by its content, once', () => {
    const out = execFileSync(bare[0] as string, [...bare.slice(1), binary, '--version'], { encoding: 'utf8' });
    assert.match(out, /^alloctop \d+\.\d+\.\d+ \(single file, Node v24\.\d+\.\d+\)\n$/);
    execFileSync(bare[0] as string, [...bare.slice(1), binary, '--version']);
    const cached = readdirSync(join(home, '.cache', 'alloctop'));
    assert.equal(cached.length, 1, 'one content-addressed directory');
    assert.ok(existsSync(join(home, '.cache', 'alloctop', cached[0] ?? '', 'alloctop.mjs')));
  });

  it('--demo draws live, a key moves the selection, q restores the terminal', async () => {
    const term = startConsole(['--demo'], {}, undefined, [...bare, binary]);
    const first = await term.waitFor(/● live[\s\S]*DETAIL {2}(\S+)/, 15_000);
    const name = /DETAIL {2}(\S+)/.exec(first)?.[1];
    term.send('j');
    await term.waitFor((s) => /DETAIL {2}(\S+)/.exec(s)?.[1] !== name);
    term.send('q');
    assert.equal(await term.exitCode(), 0);
    assert.equal(term.alternateOn(), false);
    assert.equal(term.cursorVisible(), true);
  });
});

describe('npm pack', () => {
  it('the tarball installs into a fresh prefix and runs', () => {
    const dir = mkdtempSync(join(tmpdir(), 'alloctop-pack-'));
    const tarball = execFileSync('npm', ['pack', '--silent', '--pack-destination', dir], { cwd: root, encoding: 'utf8' }).trim().split('\n').at(-1) ?? '';
    const listing = execFileSync('tar', ['tzf', join(dir, tarball)], { encoding: 'utf8' });
    assert.match(listing, /^package\/dist\/alloctop\.mjs$/m, 'the bundle is in it');
    assert.match(listing, /^package\/bin\/alloctop\.js$/m);
    assert.doesNotMatch(listing, /alloctop-linux|\.cache\/|sea/, 'not the single file, nor its build');
    const prefix = join(dir, 'prefix');
    execFileSync('npm', ['install', '--global', '--prefix', prefix, '--no-audit', '--no-fund', '--silent', join(dir, tarball)], { stdio: ['ignore', 'ignore', 'pipe'] });
    assert.match(execFileSync(join(prefix, 'bin', 'alloctop'), ['--version'], { encoding: 'utf8' }), /^alloctop \d+\.\d+\.\d+\n$/);
    assert.match(execFileSync(join(prefix, 'bin', 'alloctop'), ['sim', '--help'], { encoding: 'utf8' }), /alloctop sim/);
  });
});
