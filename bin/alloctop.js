#!/usr/bin/env node
// Tiny launcher: the esbuild bundle when built (fast start), else the tsc output in dist/cli.
import { existsSync } from 'node:fs';

const bundle = new URL('../dist/alloctop.mjs', import.meta.url);
const { main } = await import(existsSync(bundle) ? bundle.href : '../dist/cli/main.js');

main(process.argv.slice(2)).then(
  (code) => {
    if (typeof code === 'number') process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`alloctop: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
