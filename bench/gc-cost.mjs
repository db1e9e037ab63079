#!/usr/bin/env node
// What staying true costs: the real console in tmux against a 50,000-allocation simulator with
// steady churn and garbage collection (which sends no events), for a few minutes. Counts the
// list reads the console made (from its trace: whole-list reads, reads of GC candidates), the
// bytes the simulator sent, and runs the truth check on the console's rows every 2 s (how long
// the oldest collected allocation was still on the console's list is the figure to watch), and
// the console's RSS: after the first minute, at the end, and its peak. The figures start once
// the first read is all in; while it loads, the rows it holds are judged, the rows it has not
// read yet are not "missing".
//   npm run bench:gc -- --minutes 3 --allocs 50000
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimServer } from '../dist/sim/http/server.js';
import { checkTruth } from '../dist/sim/truth.js';
import { BIN, consolePidIn, tearDown, machine, memoryMb, printTable, tmuxServer, traceReader, traceRows, writeResult } from './lib.mjs';

const arg = (name, fallback) => {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? fallback : Number(process.argv[at + 1]);
};
const minutes = arg('minutes', 3);
const allocs = arg('allocs', 50_000);
const changesPerSecond = arg('rate', 50);
const tracePath = join(tmpdir(), `alloctop-gc-cost-${process.pid}.jsonl`);
const tmux = tmuxServer(`alloctop-gc-cost-${process.pid}`);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const LIST_KEY = '/v1/allocations?namespace=default&task_states=false';

const sim = await startSimServer({ port: 0, allocs, seed: 9, life: { intervalMs: 100, changesPerTick: Math.max(1, Math.round(changesPerSecond / 10)) }, gc: { intervalMs: 5_000, thresholdMs: 20_000 } });
rmSync(tracePath, { force: true });
tmux('new-session', '-d', '-s', 'gc', '-x', '120', '-y', '40', `env -u CI NO_COLOR=1 ALLOCTOP_TRACE=${tracePath} ${process.execPath} ${BIN} --address ${sim.url}; sleep 3600`);
const consolePid = await consolePidIn(tmux, 'gc');

const newLines = traceReader(tracePath);

const reads = { full: [], reconcile: [], blocking: [] };
const truth = { samples: 0, settledGhosts: 0, settledMissing: 0, settledWrong: 0, maxGhostSeenMs: 0 };
let loaded = false;
function consume() {
  for (const line of newLines()) {
    if (line.ev === 'list-read') (reads[line.kind] ??= []).push({ rows: line.rows, ms: line.ms });
    if (line.ev !== 'list-rows' || line.key !== LIST_KEY) continue;
    // While the first read still comes in, the rows it lacks are not missing (the console says
    // "loading"); the rows it holds are judged all the same.
    const report = checkTruth(sim.sim.cluster, traceRows(line), 'default', line.t, 10_000, line.loading !== undefined);
    if (line.loading === undefined) loaded = true;
    truth.samples += 1;
    truth.settledGhosts += report.settled.ghosts.length;
    truth.settledMissing += report.settled.missing.length;
    truth.settledWrong += report.settled.wrong.length;
    for (const id of report.ghosts) truth.maxGhostSeenMs = Math.max(truth.maxGhostSeenMs, line.t - (sim.sim.cluster.removedAt.get(id) ?? line.t));
  }
}

try {
  const started = Date.now();
  while (Date.now() - started < 60_000 && !/● live/.test(tmux('capture-pane', '-p', '-t', 'gc'))) await sleep(250);
  // The figures are the steady state's: they start once the first read is all in.
  while (Date.now() - started < 120_000 && !loaded) {
    process.kill(consolePid, 'SIGUSR2');
    await sleep(1_000);
    consume();
  }
  if (!loaded) throw new Error('the console did not finish its first read of the list in 2 minutes');
  const measureFrom = Date.now();
  const bytesBefore = sim.counters.bytesOut;
  const removedBefore = sim.sim.cluster.removedAt.size;
  consume();
  const startReads = { full: reads.full.length, reconcile: reads.reconcile.length };
  let rssAfterMinuteMb;
  while (Date.now() - measureFrom < minutes * 60_000) {
    await sleep(2_000);
    consume();
    if (rssAfterMinuteMb === undefined && Date.now() - measureFrom >= 60_000) rssAfterMinuteMb = memoryMb(consolePid).rss;
    process.kill(consolePid, 'SIGUSR2');
  }
  await sleep(500);
  consume();
  const elapsedMin = (Date.now() - measureFrom) / 60_000;
  const full = reads.full.length - startReads.full;
  const reconcile = reads.reconcile.slice(startReads.reconcile);
  const result = {
    machine: machine(),
    allocs,
    changesPerSecond,
    minutes: Math.round(elapsedMin * 100) / 100,
    collected: sim.sim.cluster.removedAt.size - removedBefore,
    fullReadsPerMinute: Math.round((full / elapsedMin) * 100) / 100,
    candidateReadsPerMinute: Math.round((reconcile.length / elapsedMin) * 100) / 100,
    candidateRowsMedian: reconcile.map((r) => r.rows).sort((a, b) => a - b)[Math.floor(reconcile.length / 2)] ?? 0,
    candidateReadMsMedian: reconcile.map((r) => r.ms).sort((a, b) => a - b)[Math.floor(reconcile.length / 2)] ?? 0,
    simBytesPerMinute: Math.round((sim.counters.bytesOut - bytesBefore) / elapsedMin),
    rssMb: { afterFirstMinute: rssAfterMinuteMb, end: memoryMb(consolePid).rss, peak: memoryMb(consolePid).peak },
    truth,
  };
  printTable([
    { what: 'allocations / changes per second', value: `${allocs} / ${changesPerSecond}` },
    { what: 'allocations collected (no event)', value: String(result.collected) },
    { what: 'whole-list reads per minute', value: String(result.fullReadsPerMinute) },
    { what: 'GC-candidate reads per minute (median rows, ms)', value: `${result.candidateReadsPerMinute} (${result.candidateRowsMedian} rows, ${result.candidateReadMsMedian} ms)` },
    { what: 'bytes from the agent per minute', value: `${(result.simBytesPerMinute / 1e6).toFixed(1)} MB` },
    { what: 'truth samples; rows past 10 s (ghost/missing/wrong)', value: `${truth.samples}; ${truth.settledGhosts}/${truth.settledMissing}/${truth.settledWrong}` },
    { what: 'oldest ghost seen', value: `${Math.round(truth.maxGhostSeenMs)} ms` },
    { what: 'console RSS after 1 min / at the end / peak', value: `${Math.round(result.rssMb.afterFirstMinute ?? 0)} / ${Math.round(result.rssMb.end)} / ${Math.round(result.rssMb.peak)} MB` },
  ]);
  writeResult('gc-cost.json', result);
  const failed = truth.settledGhosts + truth.settledMissing + truth.settledWrong > 0 || result.fullReadsPerMinute > 6;
  if (failed) {
    console.error('gc-cost FAILED: rows outlived their allocations by 10 s, or more than one whole-list read per 10 s');
    process.exitCode = 1;
  }
} finally {
  await tearDown(tmux, tracePath, sim);
}
