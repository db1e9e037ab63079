#!/usr/bin/env node
// The log view under load: the real console in tmux (120x40) against the simulator.
//   - open: l → the first lines on screen, at 1,000 and 50,000 allocations (target ≤ 300 ms);
//   - bytes: while following a task printing 5 lines a second, terminal bytes written per new
//     line, against the line's own size (target: at most twice the line, no redraw a line);
//   - load: a task printing 5 MB/s — key → frame while following (target p95 ≤ 16 ms), how far
//     the screen is behind the task (the newest line shown carries the time it was written;
//     target ≤ 250 ms), and RSS over the run (bounded: the feed keeps at most 50,000 lines /
//     16 MiB).
// Prints a table and writes bench/results/logs.json.
//   npm run bench:logs            (add --quick for the 1,000-allocation open only)
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimServer } from '../dist/sim/http/server.js';
import { BIN, consolePidIn, machine, printTable, quantile, tmuxServer, traceReader, writeResult } from './lib.mjs';

const quick = process.argv.includes('--quick');
const TARGETS = { openMs: 300, keyP95Ms: 16, markerMs: 250 };
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const now = () => performance.timeOrigin + performance.now();
const tmux = tmuxServer(`alloctop-logs-${process.pid}`);
const rssMb = (pid) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
const screen = (session) => tmux('capture-pane', '-p', '-t', session);

async function waitFor(session, check, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = screen(session);
    if (check(text)) return text;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}:\n${text}`);
    await sleep(5);
  }
}

/** A console in tmux on a fresh sim, with the detail pane focused on the first row's first task. */
async function setUp(name, simOptions) {
  const sim = await startSimServer({ port: 0, seed: 9, life: false, ...simOptions });
  const trace = join(tmpdir(), `alloctop-logs-${process.pid}-${name}.jsonl`);
  rmSync(trace, { force: true });
  tmux('new-session', '-d', '-s', name, '-x', '120', '-y', '40', `env -u CI NO_COLOR=1 ALLOCTOP_TRACE=${trace} ${process.execPath} ${process.env.LOGS_PROFILE ? `--cpu-prof --cpu-prof-dir=${process.env.LOGS_PROFILE}` : ""} ${BIN} --address ${sim.url}; sleep 3600`);
  const pid = await consolePidIn(tmux, name);
  const first = await waitFor(name, (s) => /● live/.test(s) && /│id [0-9a-f-]{36}/.test(s) && /TASK/.test(s), 60_000, 'the list and detail');
  const id = /│id ([0-9a-f-]{36})/.exec(first)[1];
  tmux('send-keys', '-t', name, 'Tab');
  await waitFor(name, (s) => /│▸ \S/.test(s), 5000, 'the task focused');
  const task = Object.keys(sim.sim.cluster.get(id).alloc.TaskStates).sort()[0];
  return { sim, trace, pid, id, task, read: traceReader(trace) };
}

async function tearDown(name, run) {
  try {
    tmux('kill-session', '-t', name);
  } catch {
    // gone
  }
  rmSync(run.trace, { force: true });
  await run.sim.close();
}

const hasLines = (s) => /following/.test(s) && s.split('\n').filter((row) => /^10\.0\./.test(row)).length >= 5;

async function measureOpen(allocs) {
  const name = `open${allocs}`;
  const run = await setUp(name, { allocs });
  const samples = [];
  try {
    for (let i = 0; i < 5; i++) {
      const at = now();
      tmux('send-keys', '-t', name, 'l');
      await waitFor(name, hasLines, 10_000, 'the first lines');
      samples.push(now() - at);
      tmux('send-keys', '-t', name, 'Escape');
      await waitFor(name, (s) => /ALLOCATIONS \(/.test(s), 5000, 'back to the list');
    }
  } finally {
    await tearDown(name, run);
  }
  return samples;
}

async function measureBytes() {
  const name = 'bytes';
  const run = await setUp(name, { allocs: 1000, logs: { rate: { linesPerSecond: 0 } } });
  try {
    tmux('send-keys', '-t', name, 'l');
    await waitFor(name, hasLines, 10_000, 'the first lines');
    await sleep(500);
    run.read();
    const log = run.sim.sim.logs.get(run.id, run.task, '', 'stdout', 0);
    let lineBytes = 0;
    const count = 60;
    for (let i = 0; i < count; i++) {
      const line = `10.0.0.${i % 250} - - [bench] "GET /api/v1/items/${1000 + i} HTTP/1.1" 200 ${500 + i} 0.0${i % 10}\n`;
      lineBytes += line.length - 1;
      log.append(Buffer.from(line));
      await sleep(200);
    }
    await sleep(500);
    const frames = run.read().filter((e) => e.ev === 'frame');
    const bytes = frames.reduce((sum, e) => sum + e.bytes, 0);
    return { lines: count, lineBytes: lineBytes / count, frameBytesPerLine: bytes / count, frames: frames.length };
  } finally {
    await tearDown(name, run);
  }
}

async function measureLoad() {
  const name = 'load';
  const run = await setUp(name, { allocs: 1000, logs: { rate: { bytesPerSecond: 5 * 1024 * 1024 } } });
  try {
    tmux('send-keys', '-t', name, 'l');
    await waitFor(name, (s) => /following/.test(s), 10_000, 'following');
    const rssStart = rssMb(run.pid);
    // How far behind the screen is: the newest line on it carries the time the task wrote it.
    const lagMs = [];
    const keyMs = [];
    const keyPauseMs = [];
    const keyFollowMs = [];
    const rss = [];
    const started = Date.now();
    for (let round = 0; Date.now() - started < 20_000; round++) {
      const text = screen(name);
      const at = Date.now();
      const stamps = [...text.matchAll(/\[(\d{4}-\d\d-\d\dT[\d:.]+Z)\]/g)].map((m) => Date.parse(m[1]));
      if (/following/.test(text) && stamps.length) lagMs.push(at - Math.max(...stamps));
      // A key that changes the screen: k pauses (from following), G follows again (from paused).
      run.read();
      const sent = now();
      tmux('send-keys', '-t', name, round % 2 ? 'G' : 'k');
      // The input and its frame may come in different reads of the trace.
      let input;
      for (const deadline = Date.now() + 2000; Date.now() < deadline; ) {
        const events = run.read();
        input ??= events.find((e) => e.ev === 'input' && e.t >= sent - 1);
        const frame = input && events.find((e) => e.ev === 'frame' && e.t >= input.t);
        if (frame) {
          keyMs.push(frame.t - input.t);
          (round % 2 ? keyFollowMs : keyPauseMs).push(frame.t - input.t);
          break;
        }
        await sleep(5);
      }
      rss.push(rssMb(run.pid));
      await sleep(150);
    }
    const feedRead = run.sim.counters.bytesOut;
    return { lagMs, keyMs, keyPauseMs, keyFollowMs, rssStartMb: rssStart, rssPeakMb: Math.max(...rss), rssEndMb: rss.at(-1), seconds: (Date.now() - started) / 1000, agentBytesOut: feedRead };
  } finally {
    await tearDown(name, run);
  }
}

const failures = [];
const result = { machine: machine() };
try {
  // --load-only: the 5 MB/s part alone (for profiling).
  if (!process.argv.includes('--load-only')) result.open1k = await measureOpen(1000);
  if (!quick && !process.argv.includes('--load-only')) {
    result.open50k = await measureOpen(50_000);
    result.bytes = await measureBytes();
  }
  if (!quick) result.load = await measureLoad();
} catch (error) {
  failures.push(`harness: ${error instanceof Error ? error.message : String(error)}`);
}

const ms = (samples) => (samples?.length ? `${quantile(samples, 0.5).toFixed(0)} / ${quantile(samples, 0.95).toFixed(0)} ms` : '–');
const rows = [{ figure: 'l → first lines on screen, 1k (median / p95)', value: ms(result.open1k), target: `≤ ${TARGETS.openMs} ms` }];
if (result.open1k?.length && quantile(result.open1k, 0.95) > TARGETS.openMs) failures.push(`opening logs at 1k took ${quantile(result.open1k, 0.95).toFixed(0)} ms at p95`);
if (!quick) {
  rows.push({ figure: 'l → first lines on screen, 50k (median / p95)', value: ms(result.open50k), target: `≤ ${TARGETS.openMs} ms` });
  if (result.open50k?.length && quantile(result.open50k, 0.95) > TARGETS.openMs) failures.push(`opening logs at 50k took ${quantile(result.open50k, 0.95).toFixed(0)} ms at p95`);
  if (result.bytes) {
    rows.push({ figure: 'terminal bytes per new line, following (the line itself)', value: `${result.bytes.frameBytesPerLine.toFixed(0)} B (${result.bytes.lineBytes.toFixed(0)} B)`, target: '≤ 2× the line' });
    if (result.bytes.frameBytesPerLine > 2 * result.bytes.lineBytes) failures.push(`a new line cost ${result.bytes.frameBytesPerLine.toFixed(0)} B for ${result.bytes.lineBytes.toFixed(0)} B of text`);
  }
  if (result.load) {
    const { lagMs, keyMs } = result.load;
    rows.push({ figure: '5 MB/s: key → frame while following (median / p95)', value: `${ms(keyMs)} (${keyMs.length} keys)`, target: `p95 ≤ ${TARGETS.keyP95Ms} ms` });
    rows.push({ figure: '5 MB/s: the screen behind the task (newest line shown, median / p95)', value: `${ms(lagMs)} (${lagMs.length} looks)`, target: `≤ ${TARGETS.markerMs} ms` });
    rows.push({ figure: '5 MB/s: RSS start / peak / end', value: `${result.load.rssStartMb.toFixed(0)} / ${result.load.rssPeakMb.toFixed(0)} / ${result.load.rssEndMb.toFixed(0)} MB over ${result.load.seconds.toFixed(0)} s`, target: 'bounded' });
    if (quantile(keyMs, 0.95) > TARGETS.keyP95Ms) failures.push(`key → frame p95 ${quantile(keyMs, 0.95).toFixed(1)} ms at 5 MB/s`);
    if (quantile(lagMs, 0.95) > TARGETS.markerMs) failures.push(`the screen was ${quantile(lagMs, 0.95).toFixed(0)} ms behind the task at p95 at 5 MB/s`);
  }
}
printTable(rows);
writeResult(quick ? 'logs-quick.json' : 'logs.json', { ...result, failures });
if (failures.length) {
  console.error(`logs FAILED:\n${failures.map((f) => `- ${f}`).join('\n')}`);
  process.exit(1);
}
