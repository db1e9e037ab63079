#!/usr/bin/env node
// The hostile-agent proof: the real console in tmux (120x40) against `alloctop sim --hostile`
// for every case (src/sim/hostile.ts), one after another. For each, while keys are pressed
// (move, open the detail, Tab, back), it measures what issue #13 asks of a console facing a
// broken or malicious agent, and fails the run when any case misses:
//   - it keeps running (no exit, no crash line in the trace);
//   - `?` draws the help within 1 s;
//   - peak RSS stays under 400 MB;
//   - with the detail open and no key pressed for 10 s, no path is asked more than 2 times a
//     second (a path is one watch: the list, the namespaces, one allocation, its services, the
//     stream);
//   - the screen's rows keep their width: every row of the panes has its borders at the same
//     columns as the first, measured with the same string-width the console uses;
//   - the pane title never changes (no escape reached the terminal).
//   npm run bench:hostile            (npm test runs it too)
//   npm run bench:hostile -- trickle escapes   (some cases only)
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import stringWidth from 'string-width';
import { HOSTILE_CASES } from '../dist/sim/hostile.js';
import { startSimServer } from '../dist/sim/http/server.js';
import { BIN, consolePidIn, machine, printTable, tmuxServer, writeResult } from './lib.mjs';

const TARGETS = { helpMs: 1000, rssMb: 400, perWatchPerSecond: 2 };
const WARMUP_MS = 4_000;
const WINDOW_MS = 10_000;
const COLUMNS = 120;
const ROWS = 40;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const asked = process.argv.slice(2);
for (const name of asked) {
  if (!Object.hasOwn(HOSTILE_CASES, name)) {
    console.error(`bench:hostile: unknown case "${name}"; one of ${Object.keys(HOSTILE_CASES).join(', ')}`);
    process.exit(2);
  }
}
const cases = asked.length ? asked : Object.keys(HOSTILE_CASES);
const tmux = tmuxServer(`alloctop-hostile-${process.pid}`);
const rssMb = (pid) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
const BORDER = new Set(['│', '┌', '┐', '└', '┘', '├', '┤']);

/** The display columns of border characters on a captured row. */
function borderColumns(row) {
  const columns = [];
  let column = 0;
  for (const { segment } of new Intl.Segmenter().segment(row)) {
    if (BORDER.has(segment)) columns.push(column);
    column += stringWidth(segment);
  }
  return columns.join(',');
}

/** Rows between the top bar and the footer whose border columns differ from the first such row. */
function misaligned(screen) {
  const rows = screen.split('\n').slice(1, ROWS - 1).filter((row) => BORDER.has(row[0]));
  const expected = borderColumns(rows[0] ?? '');
  return rows.filter((row) => borderColumns(row) !== expected || stringWidth(row.trimEnd()) > COLUMNS);
}


async function runCase(kind) {
  const sim = await startSimServer({ port: 0, allocs: 30, seed: 3, life: { intervalMs: 500, changesPerTick: 1 }, hostile: kind });
  const trace = join(tmpdir(), `alloctop-hostile-${process.pid}-${kind}.jsonl`);
  rmSync(trace, { force: true });
  const session = `h-${kind}`;
  tmux('new-session', '-d', '-s', session, '-x', String(COLUMNS), '-y', String(ROWS), `env -u CI NO_COLOR=1 ALLOCTOP_TRACE=${trace} ${process.execPath} ${BIN} --address ${sim.url}; echo EXIT=$?; sleep 3600`);
  const screen = () => tmux('capture-pane', '-p', '-t', session);
  const send = (key) => tmux('send-keys', '-t', session, key);
  const result = { case: kind, alive: true, crashes: 0, helpMs: Infinity, rssPeakMb: 0, busiestWatch: '', busiestPerSecond: 0, misalignedRows: 0, titleChanged: false, statusLine: '' };
  const failures = [];
  try {
    const pid = await consolePidIn(tmux, session);
    const title = tmux('display', '-p', '-t', session, '#{pane_title}').trim();
    const keys = ['j', 'Enter', 'Tab', 'j', 'Tab', 'Escape', 'k', 'Enter', 'Escape'];
    // Keys while warming up; then still, with the detail open, so each watch's rate is its own
    // loop's and not the keys' (every move opens a new detail watch).
    const press = async (until, still) => {
      for (let i = 0; Date.now() < until; i++) {
        if (/EXIT=\d+/.test(screen())) return;
        if (!still) send(keys[i % keys.length]);
        result.rssPeakMb = Math.max(result.rssPeakMb, rssMb(pid));
        // A capture can land while Ink redraws the whole screen (Enter and Esc switch to the zoom
        // and back): rows lost their width only if they still have, a moment later, no key sent.
        let bad = misaligned(screen());
        if (bad.length) {
          await sleep(200);
          bad = misaligned(screen());
        }
        if (bad.length > result.misalignedRows) {
          result.misalignedRows = bad.length;
          result.misalignedExample = bad[0];
        }
        await sleep(400);
      }
    };
    await press(Date.now() + WARMUP_MS, false);
    send('Escape');
    send('Enter');
    await sleep(500);
    const before = new Map(sim.counters.byPath);
    const windowStart = Date.now();
    await press(windowStart + WINDOW_MS, true);
    const seconds = (Date.now() - windowStart) / 1000;
    const perWatch = new Map();
    for (const [path, count] of sim.counters.byPath) perWatch.set(path, count - (before.get(path) ?? 0));
    for (const [watch, count] of perWatch) {
      if (count / seconds > result.busiestPerSecond) Object.assign(result, { busiestWatch: watch.replace(/^(\/v1\/allocation\/)[^/]+/, '$1:id'), busiestPerSecond: Math.round((count / seconds) * 100) / 100 });
    }
    // `?` from the list: the help's title, timed by polling the pane.
    send('Escape');
    send('Escape');
    await sleep(300);
    const asked = performance.now();
    send('?');
    while (performance.now() - asked < 5_000 && !/HELP — Esc/.test(screen())) await sleep(5);
    if (/HELP — Esc/.test(screen())) result.helpMs = Math.round(performance.now() - asked);
    send('Escape');
    result.statusLine = screen().split('\n')[0].replace(/\s+$/, '');
    result.alive = !/EXIT=\d+/.test(screen());
    result.titleChanged = tmux('display', '-p', '-t', session, '#{pane_title}').trim() !== title;
    result.crashes = readFileSync(trace, 'utf8').split('\n').filter((line) => line.includes('"ev":"crash"')).length;
  } catch (error) {
    failures.push(`harness: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    try {
      tmux('kill-session', '-t', session);
    } catch {
      // gone
    }
    rmSync(trace, { force: true });
    await sim.close();
  }
  if (!result.alive) failures.push(`the console exited:\n${result.statusLine}`);
  if (result.crashes) failures.push(`${result.crashes} crash lines traced`);
  if (!(result.helpMs <= TARGETS.helpMs)) failures.push(`? drew the help in ${result.helpMs} ms (target ≤ ${TARGETS.helpMs} ms)`);
  if (result.rssPeakMb > TARGETS.rssMb) failures.push(`peak RSS ${result.rssPeakMb.toFixed(0)} MB (target < ${TARGETS.rssMb} MB)`);
  if (result.busiestPerSecond > TARGETS.perWatchPerSecond) failures.push(`${result.busiestWatch} asked ${result.busiestPerSecond}/s (target ≤ ${TARGETS.perWatchPerSecond}/s)`);
  if (result.misalignedRows) failures.push(`${result.misalignedRows} rows lost their width, e.g. ${JSON.stringify(result.misalignedExample)}`);
  if (result.titleChanged) failures.push('an escape sequence changed the pane title');
  return { ...result, failures };
}

const results = [];
for (const kind of cases) {
  process.stderr.write(`hostile: ${kind}…\n`);
  results.push(await runCase(kind));
}
printTable(results.map((r) => ({
  case: r.case,
  'alive': r.alive ? 'yes' : 'NO',
  '? → help (ms)': r.helpMs === Infinity ? 'never' : r.helpMs,
  'peak RSS (MB)': r.rssPeakMb.toFixed(0),
  'busiest watch (req/s)': `${r.busiestPerSecond} ${r.busiestWatch}`,
  'rows misaligned': r.misalignedRows,
  'status bar': r.statusLine.replace(/^alloctop │ /, '').slice(0, 60),
})));
console.log(`targets: ? → help ≤ ${TARGETS.helpMs} ms, RSS < ${TARGETS.rssMb} MB, ≤ ${TARGETS.perWatchPerSecond} requests/s per watch, no misaligned row, alive, title unchanged`);
if (!asked.length) writeResult('hostile.json', { machine: machine(), targets: TARGETS, windowMs: WINDOW_MS, results });
const failed = results.filter((r) => r.failures.length);
if (failed.length) {
  console.error(`hostile FAILED:\n${failed.map((r) => `- ${r.case}: ${r.failures.join('; ')}`).join('\n')}`);
  process.exitCode = 1;
} else {
  console.log(`hostile passed: ${results.length} cases`);
}
