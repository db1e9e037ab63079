#!/usr/bin/env node
// npm run package: alloctop as one executable file, dist/alloctop-linux-<arch>, for a bastion
// without Node: a Node single executable application built on the current LTS Node (from npm's
// node-linux-<arch> package, the binary the `node` package installs), with the esbuild bundle
// as an asset (scripts/sea-main.cjs starts it) and postject injecting the blob.
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { arch } from 'node:os';
import { fileURLToPath } from 'node:url';

export const LTS_NODE = '24.21.0';
const root = fileURLToPath(new URL('..', import.meta.url));
const cpu = arch() === 'arm64' ? 'arm64' : 'x64';
const out = `${root}dist/alloctop-linux-${cpu}`;
const work = `${root}dist/sea`;

/** The LTS node binary, unpacked once into .cache/ from the npm registry. */
export function ltsNode() {
  const dir = `${root}.cache/node-${LTS_NODE}-${cpu}`;
  const binary = `${dir}/package/bin/node`;
  if (existsSync(binary)) return binary;
  mkdirSync(dir, { recursive: true });
  execFileSync('npm', ['pack', `node-linux-${cpu}@${LTS_NODE}`, '--pack-destination', dir, '--silent'], { stdio: ['ignore', 'ignore', 'inherit'] });
  const tarball = readdirSync(dir).find((name) => name.endsWith('.tgz'));
  if (!tarball) throw new Error(`npm pack node-linux-${cpu}@${LTS_NODE} left no tarball`);
  execFileSync('tar', ['xzf', `${dir}/${tarball}`, '-C', dir]);
  rmSync(`${dir}/${tarball}`);
  return binary;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (!existsSync(`${root}dist/alloctop.mjs`)) throw new Error('package: run npm run build first (dist/alloctop.mjs is missing)');
  const node = ltsNode();
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const config = `${work}/sea-config.json`;
  writeFileSync(config, JSON.stringify({ main: `${root}scripts/sea-main.cjs`, output: `${work}/sea-prep.blob`, disableExperimentalSEAWarning: true, useCodeCache: false, assets: { 'alloctop.mjs': `${root}dist/alloctop.mjs` } }, null, 2));
  execFileSync(node, ['--experimental-sea-config', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  copyFileSync(node, out);
  chmodSync(out, 0o755);
  // postject's ELF reader warns about Node's .note sections; said only if injecting fails.
  try {
    execFileSync(process.execPath, [`${root}node_modules/postject/dist/cli.js`, out, 'NODE_SEA_BLOB', `${work}/sea-prep.blob`, '--sentinel-fuse', 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2'], { stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    process.stderr.write(String(error.stderr ?? error.message));
    throw new Error('package: postject could not inject the blob', { cause: error });
  }
  rmSync(work, { recursive: true, force: true });
  console.log(`package: ${out.slice(root.length)} (${(statSync(out).size / 2 ** 20).toFixed(0)} MB, Node ${LTS_NODE})`);
}
