#!/usr/bin/env node
// Runs every test/**/*.test.ts(x) with node's test runner through tsx. Node 20 has no --test
// glob expansion, so the files are listed here. Pass a substring to run only matching files.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

const only = process.argv.slice(2);
const files = walk('test')
  .filter((path) => /\.test\.tsx?$/.test(path))
  .filter((path) => only.length === 0 || only.some((part) => path.includes(part)))
  .sort();
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-reporter=spec', ...files], {
  stdio: 'inherit',
  env: { ...process.env, NO_COLOR: process.env.NO_COLOR ?? '' },
});
process.exit(result.status ?? 1);
