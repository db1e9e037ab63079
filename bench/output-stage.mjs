#!/usr/bin/env node
// The output stage alone: Ink's own Output (ink/build/output.js) against alloctop's row-caching
// one (src/ui/render/output.ts), on the operations of a 120x40 list frame (two bordered panes,
// clipped, a header, 36 styled rows of 120 columns, a footer) where the cursor moves one row a
// frame, as a held j does. Both are bundled by esbuild the way the console's bundle is; 5 runs of
// 400 frames each, after 100 frames of warm-up. Prints a table, writes bench/results/output-stage.json.
//   npm run bench:output
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { machine, printTable, summary, writeResult } from './lib.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = mkdtempSync(join(tmpdir(), 'alloctop-output-'));
async function load(name, path) {
  const outfile = join(out, `${name}.mjs`);
  await build({ entryPoints: [join(root, path)], outfile, bundle: true, platform: 'node', format: 'esm', logLevel: 'warning' });
  return (await import(pathToFileURL(outfile).href)).default;
}
const kinds = { "Ink's Output": await load('ink', 'node_modules/ink/build/output.js'), "alloctop's Output": await load('ours', 'src/ui/render/output.ts') };

const WIDTH = 120;
const HEIGHT = 39;
const dim = (s) => `\x1b[2m${s}\x1b[22m`;
const bold = (s) => `\x1b[1m${s}\x1b[22m`;
const inverse = (s) => `\x1b[7m${s}\x1b[27m`;
const rows = Array.from({ length: 36 }, (_, i) => `${(0x1000_0000 + i * 7919).toString(16).slice(0, 8)} web.app[${i}]`.padEnd(28) + `${i % 5 ? 'running' : 'pending'}  ✓ ${i}m`.padEnd(30) + `ip-10-0-0-${i % 9}  web  app  ${i}h`.padEnd(58));

function frame(Output, cursor) {
  const output = new Output({ width: WIDTH, height: HEIGHT });
  output.write(0, 0, `${bold('alloctop │ ')}● live │ ns:default │ http://127.0.0.1:4646 │ region:global │ idx ${1000 + cursor} │ leader ✓`, { transformers: [] });
  output.write(0, 1, `┌${'─'.repeat(WIDTH - 2)}┐`, { transformers: [] });
  for (let y = 2; y < HEIGHT - 2; y++) {
    output.write(0, y, '│', { transformers: [] });
    output.write(WIDTH - 1, y, '│', { transformers: [] });
  }
  output.clip({ x1: 1, x2: WIDTH - 1, y1: 2, y2: HEIGHT - 2 });
  output.write(1, 2, bold('▸ ALLOCATIONS (36 allocations)'), { transformers: [] });
  output.write(1, 3, dim('ID       NAME                STATUS        H CHANGED↑ NODE        JOB   GROUP  AGE'), { transformers: [] });
  rows.slice(0, HEIGHT - 6).forEach((row, i) => output.write(1, 4 + i, i === cursor % (HEIGHT - 6) ? inverse(row) : row, { transformers: [] }));
  output.unclip();
  output.write(0, HEIGHT - 2, `└${'─'.repeat(WIDTH - 2)}┘`, { transformers: [] });
  output.write(0, HEIGHT - 1, dim('j/k move  Tab focus  Enter zoom  l logs  J jobs  / filter  f expr  n namespace  Space mark  s stop  ? help  q quit'), { transformers: [] });
  return output.get().output;
}

const results = {};
const table = [];
for (const [name, Output] of Object.entries(kinds)) {
  const runs = [];
  for (let run = 0; run < 5; run++) {
    for (let i = 0; i < 100; i++) frame(Output, i);
    const at = performance.now();
    for (let i = 0; i < 400; i++) frame(Output, i);
    runs.push((performance.now() - at) / 400);
  }
  results[name] = summary(runs);
  table.push({ 'output stage': name, 'ms a frame (median of 5 runs)': results[name].median.toFixed(3), 'p95 run': results[name].p95.toFixed(3) });
}
// Both must give the same frames, or the figures compare different work.
for (let i = 0; i < 50; i++) if (frame(kinds["Ink's Output"], i) !== frame(kinds["alloctop's Output"], i)) throw new Error(`frame ${i} differs`);
printTable(table);
writeResult('output-stage.json', { machine: machine(), frame: `${WIDTH}x${HEIGHT}, one row moves a frame`, results });
