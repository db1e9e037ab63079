// The single-file alloctop's entry (a Node single executable application): the ESM bundle
// travels inside the executable as an asset; it is written once to a content-addressed cache
// directory (~/.cache/alloctop/<sha256 of the bundle>/, or $XDG_CACHE_HOME) and imported from
// there. Nothing is left in a temp directory; a new version gets a new directory; a cache that
// cannot be written falls back to a private temp directory that is removed on exit.
'use strict';
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const sea = require('node:sea');

const bundle = Buffer.from(sea.getAsset('alloctop.mjs'));
const digest = createHash('sha256').update(bundle).digest('hex').slice(0, 16);

function cached(root) {
  const dir = path.join(root, 'alloctop', digest);
  const file = path.join(dir, 'alloctop.mjs');
  if (fs.existsSync(file) && fs.statSync(file).size === bundle.length) return file;
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  // Written aside and renamed: two starting at once never import half a file.
  const part = `${file}.${process.pid}.part`;
  fs.writeFileSync(part, bundle, { mode: 0o600 });
  fs.renameSync(part, file);
  // Other versions' bundles go (a running one has read its file already).
  for (const name of fs.readdirSync(path.dirname(dir))) {
    if (name !== digest) fs.rmSync(path.join(path.dirname(dir), name), { recursive: true, force: true });
  }
  return file;
}

function bundlePath() {
  const root = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  try {
    return cached(root);
  } catch {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'alloctop-'));
    process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
    const file = path.join(dir, 'alloctop.mjs');
    fs.writeFileSync(file, bundle, { mode: 0o600 });
    return file;
  }
}

// V8's compiled code for the bundle, kept beside it (Node 22.1+ module compile cache): later
// starts skip compiling 2.5 MB of JavaScript.
function compileCache(file) {
  try {
    require('node:module').enableCompileCache?.(path.join(path.dirname(file), 'compile-cache'));
  } catch {
    // A cache that cannot be written only costs start-up time.
  }
}

// `alloctop --version` names the single file and the Node inside it.
globalThis.alloctopSingleFile = true;

const file = bundlePath();
compileCache(file);
import(pathToFileURL(file).href).then(
  ({ run }) => run(process.argv.slice(2)),
  (error) => {
    process.stderr.write(`alloctop: cannot start: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
