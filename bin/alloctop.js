#!/usr/bin/env node
// Tiny launcher: the esbuild bundle when built (fast start), else the tsc output in dist/cli.
import { existsSync } from 'node:fs';

const bundle = new URL('../dist/alloctop.mjs', import.meta.url);
const { run } = await import(existsSync(bundle) ? bundle.href : '../dist/cli/main.js');
await run(process.argv.slice(2));
