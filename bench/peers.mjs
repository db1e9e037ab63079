#!/usr/bin/env node
// alloctop against its peers' strategies on a changing cluster (issue #20): the real console in
// tmux, a 2 s poller and a client that re-lists on every event (bench/peerClient.mjs), each
// alone against a fresh simulator changing N/200 times a second, watched for a window from 5 s
// after it holds the whole list: bytes the agent sent, CPU seconds the client spent, its RSS. alloctop's
// figures are also given as ratios to each peer's. Each client runs RUNS times, in turn; the
// table gives medians, bench/results/peers.json every run.
//   npm run bench:peers                      1,000 and 10,000 allocations, 3 runs of 30 s
//   npm run bench:peers -- --sizes 10000 --seconds 30 --clients alloctop
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSimServer } from '../dist/sim/http/server.js';
import { BIN, consolePidIn, cpuSeconds, machine, memoryMb, printTable, tmuxServer, traceReader, until, writeResult } from './lib.mjs';

const option = (name, fallback) => {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? fallback : process.argv[at + 1];
};
const SIZES = option('sizes', '1000,10000').split(',').map(Number);
const WINDOW_MS = Number(option('seconds', 30)) * 1000;
const CLIENTS = option('clients', 'alloctop,poll,relist').split(',');
const RUNS = Number(option('runs', 3));
/** From holding the list to the window's start. */
const SETTLE_MS = 5_000;
const PEER = fileURLToPath(new URL('./peerClient.mjs', import.meta.url));
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const tmux = tmuxServer(`alloctop-peers-${process.pid}`);

/** Starts a client against `url`; resolves once it holds the whole list, with its pid and stop(). */
async function startClient(kind, url) {
  if (kind === 'alloctop') {
    const tracePath = join(tmpdir(), `alloctop-peers-${process.pid}.jsonl`);
    rmSync(tracePath, { force: true });
    tmux('new-session', '-d', '-s', 'console', '-x', '120', '-y', '40', `env -u CI NO_COLOR=1 ALLOCTOP_TRACE=${tracePath} ${process.execPath} ${BIN} --address ${url}; sleep 3600`);
    const pid = await consolePidIn(tmux, 'console');
    const lines = traceReader(tracePath);
    let loaded = false;
    await until(() => (loaded ||= lines().some((line) => line.ev === 'list-read' && line.kind === 'loaded')), 120_000, 'alloctop to load the list');
    return { pid, stop: () => { tmux('kill-session', '-t', 'console'); rmSync(tracePath, { force: true }); } };
  }
  const child = spawn(process.execPath, [PEER, kind, url], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (chunk) => (out += chunk));
  await until(() => /^ready/m.test(out) || child.exitCode !== null, 120_000, `the ${kind} client's first list`);
  if (child.exitCode !== null) throw new Error(`the ${kind} client exited ${child.exitCode}`);
  return { pid: child.pid, stop: () => child.kill() };
}

async function measure(kind, allocs) {
  const rate = allocs / 200;
  const changesPerTick = Math.max(1, Math.round(rate / 10));
  const sim = await startSimServer({ port: 0, allocs, seed: 11, life: { intervalMs: Math.round((1000 * changesPerTick) / rate), changesPerTick }, gc: false });
  try {
    const client = await startClient(kind, sim.url);
    try {
      // Past the start: the window is the steady state's.
      await sleep(SETTLE_MS);
      const before = { bytes: sim.counters.bytesOut, requests: sim.counters.requests, cpu: cpuSeconds(client.pid) };
      await sleep(WINDOW_MS);
      const memory = memoryMb(client.pid);
      return {
        client: kind,
        allocs,
        changesPerSecond: rate,
        windowS: WINDOW_MS / 1000,
        mbReceived: (sim.counters.bytesOut - before.bytes) / 1e6,
        requests: sim.counters.requests - before.requests,
        cpuSeconds: cpuSeconds(client.pid) - before.cpu,
        rssMb: memory.rss,
        peakRssMb: memory.peak,
      };
    } finally {
      client.stop();
    }
  } finally {
    await sim.close();
  }
}

const runs = [];
try {
  for (const allocs of SIZES) {
    for (let run = 0; run < RUNS; run++) {
      for (const kind of CLIENTS) {
        process.stderr.write(`${kind} at ${allocs} allocations, run ${run + 1}/${RUNS}…\n`);
        runs.push(await measure(kind, allocs));
      }
    }
  }
} finally {
  try {
    tmux('kill-server');
  } catch {
    // gone
  }
}

const round = (value, places = 1) => Math.round(value * 10 ** places) / 10 ** places;
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)];
/** Per size and client: the median of each figure over the runs. */
const results = SIZES.flatMap((allocs) => CLIENTS.map((kind) => {
  const mine = runs.filter((r) => r.allocs === allocs && r.client === kind);
  const of = (field) => median(mine.map((r) => r[field]));
  return { client: kind, allocs, changesPerSecond: mine[0].changesPerSecond, runs: mine.length, mbReceived: of('mbReceived'), requests: of('requests'), cpuSeconds: of('cpuSeconds'), rssMb: of('rssMb'), peakRssMb: of('peakRssMb') };
}));
const ratios = !['alloctop', 'poll', 'relist'].every((kind) => CLIENTS.includes(kind)) ? [] : SIZES.map((allocs) => {
  const of = (kind) => results.find((r) => r.allocs === allocs && r.client === kind);
  const own = of('alloctop');
  const vs = (peer) => ({ bytes: round(own.mbReceived / Math.max(of(peer).mbReceived, 1e-6), 3), cpu: round(own.cpuSeconds / Math.max(of(peer).cpuSeconds, 0.01), 2), rss: round(own.rssMb / of(peer).rssMb, 2) });
  return { allocs, vsPoll: vs('poll'), vsRelist: vs('relist') };
});
printTable(results.map((r) => ({
  client: r.client,
  allocs: r.allocs,
  'changes/s': r.changesPerSecond,
  [`MB in ${WINDOW_MS / 1000} s`]: round(r.mbReceived, 2),
  requests: r.requests,
  'CPU s': round(r.cpuSeconds, 2),
  'CPU s/min': round((r.cpuSeconds * 60_000) / WINDOW_MS, 1),
  'RSS MB': Math.round(r.rssMb),
})));
if (ratios.length) console.log('');
if (ratios.length) printTable(ratios.flatMap((r) => [
  { allocs: r.allocs, 'alloctop / peer': '2 s poller', bytes: r.vsPoll.bytes, 'CPU s': r.vsPoll.cpu, RSS: r.vsPoll.rss },
  { allocs: r.allocs, 'alloctop / peer': 're-list on every event', bytes: r.vsRelist.bytes, 'CPU s': r.vsRelist.cpu, RSS: r.vsRelist.rss },
]));
writeResult('peers.json', { machine: machine(), windowS: WINDOW_MS / 1000, results, ratios, runs });
