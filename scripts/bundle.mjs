#!/usr/bin/env node
// Bundles alloctop into one ESM file (dist/alloctop.mjs) with esbuild: start-up no longer
// resolves and parses hundreds of modules, and React runs its production build.
import { readFileSync } from 'node:fs';
import { build } from 'esbuild';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

// src/ui/render/output.ts replaces Ink's internal Output (the per-frame grid) with one that
// reuses unchanged rows. It mirrors ink 6.6.0's output.js line for line, so it is swapped in
// only for that version; any other ink keeps its own (correct, slower) module.
const OUTPUT_FOR_INK = '6.6.0';
const inkVersion = JSON.parse(readFileSync(new URL('../node_modules/ink/package.json', import.meta.url), 'utf8')).version;
const inkOutput = {
  name: 'ink-output',
  setup(b) {
    if (inkVersion !== OUTPUT_FOR_INK) {
      console.warn(`bundle: ink ${inkVersion} is not ${OUTPUT_FOR_INK}; keeping Ink's own output stage (slower frames)`);
      return;
    }
    const path = new URL('../src/ui/render/output.ts', import.meta.url).pathname;
    let swapped = false;
    b.onResolve({ filter: /^\.\/output\.js$/ }, (args) => {
      if (!/[\\/]ink[\\/]build[\\/]renderer\.js$/.test(args.importer)) return undefined;
      swapped = true;
      return { path };
    });
    b.onEnd(() => {
      if (!swapped) throw new Error("bundle: ink's renderer no longer imports ./output.js; update src/ui/render/output.ts");
    });
  },
};

await build({
  entryPoints: [new URL('../src/cli/main.ts', import.meta.url).pathname],
  outfile: new URL('../dist/alloctop.mjs', import.meta.url).pathname,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  jsx: 'automatic',
  legalComments: 'none',
  logLevel: 'warning',
  plugins: [inkOutput],
  // ws loads these native speed-ups only if installed; the simulator does without them.
  external: ['bufferutil', 'utf-8-validate'],
  // Ink measures every text on every frame with widest-line: ours remembers the answers
  // (src/ui/render/widestLine.ts).
  alias: { 'react-devtools-core': new URL('./devtools-stub.mjs', import.meta.url).pathname, 'widest-line': new URL('../src/ui/render/widestLine.ts', import.meta.url).pathname },
  define: { 'process.env.NODE_ENV': '"production"', ALLOCTOP_VERSION: JSON.stringify(version) },
  // CommonJS dependencies (react) call require(); give the ESM bundle one.
  banner: { js: "import { createRequire as __alloctopRequire } from 'node:module'; const require = __alloctopRequire(import.meta.url);" },
});
