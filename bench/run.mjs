#!/usr/bin/env node
// The console's benchmark: the real bin/alloctop.js in tmux against a simulator in this process,
// measured through ALLOCTOP_TRACE (input received, frame written + bytes, data applied) and the
// simulator's byte counters. Prints a table and writes bench/results/latest.json.
//   npm run bench                 1,000 / 10,000 / 50,000 allocations, 60 s idle window
//   npm run bench -- --quick      1,000 allocations, short windows (CI keeps the harness working)
//   npm run bench -- --sizes 50000   one size only
import { readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { startSimServer } from '../dist/sim/http/server.js';
import { DEFAULT_SORT, sortAllocations } from '../dist/ui/listModel.js';
import { BIN, machine, memoryMb, printTable, summary, tmuxServer, until, writeResult } from './lib.mjs';

const quick = process.argv.includes('--quick');
const sizesAt = process.argv.indexOf('--sizes');
const SIZES = sizesAt !== -1 ? process.argv[sizesAt + 1].split(',').map(Number) : quick ? [1000] : [1000, 10000, 50000];
const IDLE_AT = quick ? 1000 : 10000;
const IDLE_MS = quick ? 10_000 : 60_000;
const STARTS = quick ? 2 : 3;
const KEYS = quick ? 12 : 30;
const CHANGES = quick ? 6 : 16;
const SORTS = quick ? 2 : 4;
/** Changes a second in the churn phase (the 50/s). */
const CHURN_PER_S = 50;
const SOCKET = `alloctop-bench-${process.pid}`;

const now = () => performance.timeOrigin + performance.now();
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const tmux = tmuxServer(SOCKET);

/** The trace's complete lines: the console may be in the middle of writing the last one. */
function readTrace(path) {
  if (!existsSync(path)) return [];
  const text = readFileSync(path, 'utf8');
  return text.slice(0, text.lastIndexOf('\n') + 1).split('\n').filter(Boolean).map((line) => JSON.parse(line));
}

/** Starts the console in a 120x40 tmux pane, tracing to a file. */
function startConsole(url, name) {
  const tracePath = join(tmpdir(), `alloctop-trace-${process.pid}-${name}.jsonl`);
  rmSync(tracePath, { force: true });
  const started = now();
  tmux('new-session', '-d', '-s', name, '-x', '120', '-y', '40', `exec env -u CI ALLOCTOP_TRACE=${tracePath} ${process.execPath} ${BIN} --address ${url}`);
  const pid = Number(tmux('display', '-p', '-t', name, '#{pane_pid}').trim());
  return { name, tracePath, started, pid, events: () => readTrace(tracePath) };
}

function stopConsole(c) {
  try {
    tmux('kill-session', '-t', c.name);
  } catch {
    // gone
  }
  rmSync(c.tracePath, { force: true });
}

const peakRssMb = (pid) => memoryMb(pid).peak;

const LIST_KEY = '/v1/allocations?namespace=default&task_states=false';

/** ms from `from` to the first frame written after the first data event matching `match`. */
function frameAfterData(events, from, match) {
  const data = events.find((e) => e.ev === 'data' && e.t >= from && match(e));
  if (!data) return undefined;
  const frame = events.find((e) => e.ev === 'frame' && e.t >= data.t && e.bytes > 100);
  return frame ? { ms: frame.t - from, bytes: frame.bytes, frame } : undefined;
}

/** The first frame written after the first key input at or after `at`. */
function keyFrame(events, at) {
  const input = events.find((e) => e.ev === 'input' && e.t >= at - 1);
  const frame = input && events.find((e) => e.ev === 'frame' && e.t >= input.t && e.bytes > 20);
  return frame ? { input, frame } : undefined;
}

/** Presses `count` keys (cycling through `keys`), `gapMs` apart: key read → next frame, in ms. */
async function pressKeys(c, count, gapMs, keys, what) {
  const samples = [];
  for (let i = 0; i < count; i++) {
    const at = now();
    tmux('send-keys', '-t', c.name, keys[i % keys.length]);
    const pair = await until(() => keyFrame(c.events(), at), 5000, what);
    samples.push(pair.frame.t - pair.input.t);
    await sleep(gapMs);
  }
  return samples;
}

/** The list sorts most recently changed first by default, so every change would move a row to
 * the top (and the selection with it): the changes are measured sorted by name, which holds
 * still, set with `o` as a user would. */
const BY_NAME = { column: 'name', descending: false };

function visibleDefaultRows(sim) {
  const stubs = sim.sim.cluster.ordered.filter((s) => s.alloc.Namespace === 'default').map((s) => s.alloc);
  return sortAllocations(stubs, BY_NAME).slice(0, 30);
}

/** Presses `o` until the list is sorted by name (the header says NAME↑), and `g` for its top. */
async function sortByName(c) {
  for (let i = 0; i < 12 && !/NAME↑/.test(tmux('capture-pane', '-p', '-t', c.name)); i++) {
    tmux('send-keys', '-t', c.name, 'o');
    await sleep(150);
  }
  if (!/NAME↑/.test(tmux('capture-pane', '-p', '-t', c.name))) throw new Error('could not sort the list by name');
  // A large list is sorted between keys: g goes to the top of the order on screen.
  await until(() => !/sorting…/.test(tmux('capture-pane', '-p', '-t', c.name)), 30_000, 'the list sorted by name');
  tmux('send-keys', '-t', c.name, 'g');
  await sleep(500);
}

/** Keys while the cluster changes, and the sort key, on the console `c` (after the other phases). */
async function churnAndSorts(c, sim, result) {
  // Keys while the cluster changes CHURN_PER_S times a second.
  sim.sim.startLife();
  await sleep(2000);
  const churnKeys = await pressKeys(c, KEYS, 100, ['j', 'k'], 'frame after key during churn');
  sim.sim.stopLife();
  result.keyDuringChurnMs = summary(churnKeys);

  // The sort key (o, to the next column): the frame right after it, and until the new order is
  // drawn (a large list is sorted between keys, "sorting…" in the title meanwhile).
  const sortKey = [];
  const sortReady = [];
  for (let i = 0; i < SORTS; i++) {
    const at = now();
    tmux('send-keys', '-t', c.name, 'o');
    const pair = await until(() => keyFrame(c.events(), at), 5000, 'frame after the sort key');
    sortKey.push(pair.frame.t - pair.input.t);
    await until(() => !/sorting…/.test(tmux('capture-pane', '-p', '-t', c.name)), 30_000, 'the new order');
    sortReady.push(now() - pair.input.t);
    await sleep(300);
  }
  result.sortKeyToFrameMs = summary(sortKey);
  result.sortKeyToOrderMs = summary(sortReady);
  result.peakRssMb = summary([...result.peakRssMb.samples, peakRssMb(c.pid)]);
}

async function measureSize(allocs) {
  // Life is set up for the churn phase (CHURN_PER_S changes a second) and held still until then.
  const sim = await startSimServer({ port: 0, allocs, seed: 11, life: { intervalMs: 100, changesPerTick: CHURN_PER_S / 10 }, gc: false });
  sim.sim.stopLife();
  const result = { allocs };
  try {
    // Start to first frame with data, to the whole list loaded, and peak RSS, over several
    // starts; keys pressed while the list loads (every 50 ms from the first frame).
    const startups = [];
    const loaded = [];
    const loadingKeys = [];
    const rss = [];
    for (let i = 0; i < STARTS; i++) {
      const c = startConsole(sim.url, `s${allocs}-${i}`);
      const hit = await until(() => frameAfterData(c.events(), c.started, (e) => e.key === LIST_KEY), 120_000, 'first frame with data');
      startups.push(hit.ms);
      const loadedAt = () => c.events().find((e) => e.ev === 'list-read' && e.kind === 'loaded');
      while (!loadedAt()) {
        const at = now();
        tmux('send-keys', '-t', c.name, i % 2 ? 'k' : 'j');
        const pair = await until(() => keyFrame(c.events(), at), 5000, 'frame after key while loading').catch(() => undefined);
        const done = loadedAt();
        if (pair && (!done || pair.input.t < done.t)) loadingKeys.push(pair.frame.t - pair.input.t);
        await sleep(50);
      }
      loaded.push(loadedAt().t - c.started);
      await sleep(500);
      rss.push(peakRssMb(c.pid));
      if (i < STARTS - 1) stopConsole(c);
      else result.console = c;
    }
    const c = result.console;
    delete result.console;
    result.startupMs = summary(startups);
    result.loadedMs = summary(loaded);
    result.keyWhileLoadingMs = loadingKeys.length ? summary(loadingKeys) : undefined;

    // The default sort (most recently changed first): a visible row that changes moves to the
    // top and every row above it shifts down one. What that costs on the wire, per change.
    const movedBytes = [];
    for (let i = 0; i < Math.min(CHANGES, 6); i++) {
      const rows = sortAllocations(sim.sim.cluster.ordered.filter((s) => s.alloc.Namespace === 'default').map((s) => s.alloc), DEFAULT_SORT).slice(0, 30);
      const target = rows.slice(5).find((a) => a.ClientStatus === 'running');
      if (!target) continue;
      const sa = sim.sim.cluster.get(target.ID);
      const task = Object.keys(sa.alloc.TaskStates).sort()[0];
      const at = now();
      sa.alloc.TaskStates[task].Restarts = sa.group.restartAttempts;
      sim.sim.failTask(target.ID, task);
      const index = sim.sim.cluster.index;
      const hit = await until(() => frameAfterData(c.events(), at, (e) => e.key === LIST_KEY && e.index >= index), 10_000, 'frame after change, default sort');
      movedBytes.push(hit.bytes);
      await sleep(1200);
    }
    result.movedRowFrameBytes = summary(movedBytes);
    await sortByName(c);

    // A change in the sim → the frame showing it: the selected allocation (its own watch) and
    // a visible row of the list (the list watch), alternately.
    const detail = [];
    const list = [];
    const rowBytes = [];
    for (let i = 0; i < CHANGES; i++) {
      const rows = visibleDefaultRows(sim);
      const selected = rows[0];
      const onList = i % 2 === 1;
      const target = onList ? rows.slice(2).find((a) => a.ClientStatus === 'running') : selected;
      if (!target) continue;
      const sa = sim.sim.cluster.get(target.ID);
      const task = Object.keys(sa.alloc.TaskStates).sort()[0];
      const at = now();
      if (onList) {
        // A visible row turns failed: its task used up its restarts (one write, status changes).
        sa.alloc.TaskStates[task].Restarts = sa.group.restartAttempts;
        sim.sim.failTask(target.ID, task);
      } else {
        sim.sim.signal(target.ID, 'SIGHUP', '');
      }
      const index = sim.sim.cluster.index;
      const key = onList ? LIST_KEY : `/v1/allocation/${target.ID}`;
      const hit = await until(() => frameAfterData(c.events(), at, (e) => e.key === key && e.index >= index), 10_000, 'frame after change');
      (onList ? list : detail).push(hit.ms);
      if (onList) rowBytes.push(hit.bytes);
      await sleep(1200);
    }
    result.changeSelectedMs = summary(detail);
    result.changeListRowMs = summary(list);
    result.changedRowFrameBytes = summary(rowBytes);

    // Key press → frame written.
    result.keyToFrameMs = summary(await pressKeys(c, KEYS, 150, ['j'], 'frame after key'));

    result.peakRssMb = summary([...rss, peakRssMb(c.pid)]);

    // Idle: what the console costs the agent when nothing changes, vs a 2 s polling baseline.
    if (allocs === IDLE_AT) {
      await sleep(1000);
      // The detail pane polls the selected allocation's stats and checks (every 2 s, by design:
      // those endpoints do not block); counted apart from what keeps the list live.
      const panes = () => {
        let requests = 0;
        let bytes = 0;
        for (const [path, count] of sim.counters.byPath) if (/\/(stats|checks)$/.test(path)) requests += count;
        for (const [path, count] of sim.counters.bytesByPath) if (/\/(stats|checks)$/.test(path)) bytes += count;
        return { requests, bytes };
      };
      const before = { requests: sim.counters.requests, bytes: sim.counters.bytesOut, panes: panes() };
      await sleep(IDLE_MS);
      const after = panes();
      const panesUsed = { requests: after.requests - before.panes.requests, bytes: after.bytes - before.panes.bytes };
      result.idle = { windowMs: IDLE_MS, console: { requests: sim.counters.requests - before.requests - panesUsed.requests, bytes: sim.counters.bytesOut - before.bytes - panesUsed.bytes }, panes: panesUsed };
      // The churn and the sorts after the idle window: the changes they set off go on a while.
      await churnAndSorts(c, sim, result);
      stopConsole(c);
      const base = { requests: sim.counters.requests, bytes: sim.counters.bytesOut };
      const end = Date.now() + IDLE_MS;
      while (Date.now() < end) {
        const res = await request(`${sim.url}/v1/allocations?namespace=default`, { headers: { 'accept-encoding': 'gzip' } });
        await res.body.arrayBuffer();
        await sleep(2000);
      }
      result.idle.baseline = { requests: sim.counters.requests - base.requests, bytes: sim.counters.bytesOut - base.bytes };
      result.idle.bytesRatio = result.idle.console.bytes / Math.max(1, result.idle.baseline.bytes);
    } else {
      await churnAndSorts(c, sim, result);
      stopConsole(c);
    }
  } finally {
    await sim.close();
  }
  return result;
}

const results = [];
try {
  tmux('new-session', '-d', '-s', 'keeper', 'sleep 100000');
  for (const allocs of SIZES) {
    process.stderr.write(`measuring ${allocs} allocations…\n`);
    results.push(await measureSize(allocs));
  }
} finally {
  try {
    tmux('kill-server');
  } catch {
    // none
  }
}

const fmt = (s, unit = 'ms') => (s ? `${s.median.toFixed(unit === 'ms' ? 0 : 1)} / ${s.p95.toFixed(unit === 'ms' ? 0 : 1)} ${unit}` : '–');
const rows = [];
for (const r of results) {
  const k = `${r.allocs / 1000}k`;
  rows.push({ figure: `start → first frame with data, ${k}`, 'median / p95': fmt(r.startupMs), target: r.allocs >= 10000 ? '≤ 300 ms' : '' });
  rows.push({ figure: `start → whole list loaded, ${k}`, 'median / p95': fmt(r.loadedMs), target: r.allocs >= 200000 ? '≤ 4000 ms' : '' });
  rows.push({ figure: `key press → frame, ${k}`, 'median / p95': fmt(r.keyToFrameMs), target: r.allocs >= 50000 ? 'p95 ≤ 16 ms' : '' });
  rows.push({ figure: `key press → frame while the list loads, ${k}`, 'median / p95': fmt(r.keyWhileLoadingMs), target: r.allocs >= 200000 ? 'p95 ≤ 16 ms' : '' });
  rows.push({ figure: `key press → frame, ${CHURN_PER_S} changes/s, ${k}`, 'median / p95': fmt(r.keyDuringChurnMs), target: r.allocs >= 200000 ? 'p95 ≤ 16 ms' : '' });
  rows.push({ figure: `sort key → frame, ${k}`, 'median / p95': fmt(r.sortKeyToFrameMs), target: r.allocs >= 200000 ? 'p95 ≤ 16 ms' : '' });
  rows.push({ figure: `sort key → new order drawn, ${k}`, 'median / p95': fmt(r.sortKeyToOrderMs), target: '' });
  rows.push({ figure: `change → frame, selected allocation, ${k}`, 'median / p95': fmt(r.changeSelectedMs), target: r.allocs >= 50000 ? 'p95 ≤ 1000 ms' : 'p95 ≤ 250 ms' });
  rows.push({ figure: `change → frame, list row, ${k}`, 'median / p95': fmt(r.changeListRowMs), target: r.allocs >= 200000 ? 'p95 ≤ 500 ms' : 'p95 ≤ 250 ms' });
  rows.push({ figure: `bytes written for one changed row, ${k}`, 'median / p95': fmt(r.changedRowFrameBytes, 'B'), target: '≤ 2048 B' });
  rows.push({ figure: `bytes for a change that moves a row to the top (default sort), ${k}`, 'median / p95': fmt(r.movedRowFrameBytes, 'B'), target: '' });
  rows.push({ figure: `peak RSS, ${k}`, 'median / p95': fmt(r.peakRssMb, 'MB'), target: r.allocs >= 200000 ? '≤ 500 MB' : r.allocs >= 50000 ? '≤ 250 MB' : r.allocs >= 10000 ? '≤ 150 MB' : '≤ 100 MB' });
  if (r.idle) {
    rows.push({ figure: `idle ${r.idle.windowMs / 1000}s at ${k}: console requests / bytes`, 'median / p95': `${r.idle.console.requests} / ${r.idle.console.bytes} B`, target: '' });
    rows.push({ figure: `idle ${r.idle.windowMs / 1000}s at ${k}: 2 s poller requests / bytes`, 'median / p95': `${r.idle.baseline.requests} / ${r.idle.baseline.bytes} B`, target: '' });
    rows.push({ figure: `idle bytes, console vs poller`, 'median / p95': `${(r.idle.bytesRatio * 100).toFixed(3)} %`, target: '≤ 1 %' });
    rows.push({ figure: `idle ${r.idle.windowMs / 1000}s at ${k}: the detail's stats and checks requests / bytes`, 'median / p95': `${r.idle.panes.requests} / ${r.idle.panes.bytes} B`, target: `≤ ${r.idle.windowMs / 1000} (one each per 2 s)` });
  }
}
printTable(rows);
writeResult(quick ? 'quick.json' : 'latest.json', { machine: machine(), quick, results });
