#!/usr/bin/env node
// How the simulator copes at scale: start-up time with N allocations, and the time to serve
// the full list with task_states=false (plain and gzip), as the console asks for it.
// Usage: node bench/sim-scale.mjs [--allocs 50000] [--samples 5]
import { gunzipSync } from 'node:zlib';
import { request } from 'undici';
import { machine, printTable, startSim, summary, writeResult } from './lib.mjs';

const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const at = args.indexOf(`--${name}`);
  return at === -1 ? fallback : Number(args[at + 1]);
};
const allocs = flag('allocs', 50000);
const samples = flag('samples', 5);

const starts = [];
const plain = [];
const gzipped = [];
let bytes = { plain: 0, gzip: 0 };
for (let i = 0; i < Math.max(1, Math.min(3, samples)); i++) {
  const { child, url, startMs } = await startSim(['--allocs', String(allocs), '--still']);
  starts.push(startMs);
  for (let j = 0; j < samples; j++) {
    for (const gzip of [false, true]) {
      const t0 = performance.now();
      const res = await request(`${url}/v1/allocations?namespace=*&task_states=false`, { headers: gzip ? { 'accept-encoding': 'gzip' } : {} });
      const body = Buffer.from(await res.body.arrayBuffer());
      const list = JSON.parse((gzip ? gunzipSync(body) : body).toString());
      const ms = performance.now() - t0;
      if (list.length !== allocs) throw new Error(`expected ${allocs} allocations, got ${list.length}`);
      (gzip ? gzipped : plain).push(ms);
      bytes[gzip ? 'gzip' : 'plain'] = body.length;
    }
  }
  child.kill('SIGTERM');
}

const result = {
  machine: machine(),
  allocs,
  startToListeningMs: summary(starts),
  fullListPlainMs: summary(plain),
  fullListGzipMs: summary(gzipped),
  bytes,
  targets: { startMs: allocs >= 200000 ? 6000 : 5000, fullListMs: allocs >= 200000 ? 3000 : 2000 },
};
printTable([
  { figure: `sim start, ${allocs} allocs`, median: result.startToListeningMs.median.toFixed(0) + ' ms', p95: result.startToListeningMs.p95.toFixed(0) + ' ms', target: `≤ ${result.targets.startMs} ms` },
  { figure: 'full list, task_states=false', median: result.fullListPlainMs.median.toFixed(0) + ' ms', p95: result.fullListPlainMs.p95.toFixed(0) + ' ms', target: `≤ ${result.targets.fullListMs} ms` },
  { figure: 'full list, gzip', median: result.fullListGzipMs.median.toFixed(0) + ' ms', p95: result.fullListGzipMs.p95.toFixed(0) + ' ms', target: `≤ ${result.targets.fullListMs} ms` },
  { figure: 'list bytes plain / gzip', median: `${(bytes.plain / 1e6).toFixed(1)} MB`, p95: `${(bytes.gzip / 1e6).toFixed(1)} MB`, target: '' },
]);
writeResult('sim-scale.json', result);
