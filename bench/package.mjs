#!/usr/bin/env node
// The single file against `node bin/alloctop.js`: its size, `--version` (10 runs), and start →
// the first frame with rows for `--demo` in tmux (5 runs each). Builds the single file first.
// Prints a table and writes bench/results/package.json.
//   npm run bench:package
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BIN, machine, printTable, summary, tmuxServer, writeResult } from './lib.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
execFileSync(process.execPath, [join(root, 'scripts', 'package.mjs')], { stdio: ['ignore', 'ignore', 'inherit'] });
const single = join(root, 'dist', `alloctop-linux-${process.arch === 'arm64' ? 'arm64' : 'x64'}`);
const home = mkdtempSync(join(tmpdir(), 'alloctop-bench-home-'));
const tmux = tmuxServer(`alloctop-package-${process.pid}`);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const programs = { 'node bin/alloctop.js': [process.execPath, BIN], 'single file': [single] };

function versionMs(program) {
  const times = [];
  for (let i = 0; i < 10; i++) {
    const at = performance.now();
    spawnSync(program[0], [...program.slice(1), '--version'], { env: { PATH: '/usr/bin:/bin', HOME: home } });
    times.push(performance.now() - at);
  }
  return summary(times);
}

async function demoMs(program, run) {
  const name = `d${run}`;
  const at = performance.now();
  tmux('new-session', '-d', '-s', name, '-x', '120', '-y', '40', `env -i PATH=/usr/bin:/bin HOME=${home} TERM=xterm-256color ${program.join(' ')} --demo`);
  for (;;) {
    if (/│[0-9a-f]{8} \S+\s+running/.test(tmux('capture-pane', '-p', '-t', name))) break;
    if (performance.now() - at > 20_000) throw new Error('no rows within 20 s');
    await sleep(5);
  }
  const ms = performance.now() - at;
  tmux('kill-session', '-t', name);
  return ms;
}

const result = { machine: machine(), sizeMb: statSync(single).size / 2 ** 20 };
for (const [label, program] of Object.entries(programs)) {
  const demo = [];
  for (let run = 0; run < 5; run++) demo.push(await demoMs(program, `${label.length}-${run}`));
  result[label] = { versionMs: versionMs(program), demoFirstRowsMs: summary(demo) };
}
const ms = (s) => `${s.median.toFixed(0)} / ${s.p95.toFixed(0)} ms`;
printTable([
  { figure: 'single file size', value: `${result.sizeMb.toFixed(0)} MB` },
  ...Object.keys(programs).flatMap((label) => [
    { figure: `${label}: --version (median / p95)`, value: ms(result[label].versionMs) },
    { figure: `${label}: --demo → first rows on screen`, value: ms(result[label].demoFirstRowsMs) },
  ]),
]);
writeResult('package.json', result);
