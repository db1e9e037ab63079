#!/usr/bin/env node
// Bundles alloctop into one ESM file (dist/alloctop.mjs) with esbuild: start-up no longer
// resolves and parses hundreds of modules, and React runs its production build.
import { readFileSync } from 'node:fs';
import { build } from 'esbuild';
import { inkLogUpdateFix, inkOutput, quickTextWidth } from './ink-swaps.mjs';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

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
  plugins: [inkOutput, inkLogUpdateFix, quickTextWidth],
  // ws loads these native speed-ups only if installed; the simulator does without them.
  external: ['bufferutil', 'utf-8-validate'],
  // Ink measures every text on every frame with widest-line: ours remembers the answers
  // (src/ui/render/widestLine.ts).
  alias: { 'react-devtools-core': new URL('./devtools-stub.mjs', import.meta.url).pathname, 'widest-line': new URL('../src/ui/render/widestLine.ts', import.meta.url).pathname },
  define: { 'process.env.NODE_ENV': '"production"', ALLOCTOP_VERSION: JSON.stringify(version) },
  // CommonJS dependencies (react) call require(); give the ESM bundle one.
  banner: { js: "import { createRequire as __alloctopRequire } from 'node:module'; const require = __alloctopRequire(import.meta.url);" },
});
