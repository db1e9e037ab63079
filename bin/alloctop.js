#!/usr/bin/env node
// Tiny launcher: everything lives in dist/cli (built by `npm run build`).
import { main } from '../dist/cli/main.js';

main(process.argv.slice(2)).then(
  (code) => {
    if (typeof code === 'number') process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`alloctop: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
