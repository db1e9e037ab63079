// Shared helpers for the benchmarks: statistics, the machine description, result files,
// and starting `alloctop sim` as a child process.
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../bin/alloctop.js', import.meta.url));

export function quantile(samples, q) {
  const sorted = [...samples].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const at = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[at];
}

export function summary(samples) {
  return { n: samples.length, median: quantile(samples, 0.5), p95: quantile(samples, 0.95), max: Math.max(...samples), samples: samples.map((s) => Math.round(s * 10) / 10) };
}

/** Polls `check` every 20 ms until it returns something truthy, which it resolves with. */
export async function until(check, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A process's resident memory now and at its peak (VmRSS, VmHWM), in MB. */
export function memoryMb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

/** Linux's USER_HZ: /proc/<pid>/stat counts CPU time in these. */
const TICKS_PER_S = 100;

/** CPU seconds (user + system) a process has spent so far. */
export function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_S;
}

export function machine() {
  return { cores: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version, date: new Date().toISOString() };
}

export function writeResult(name, data) {
  const dir = fileURLToPath(new URL('./results/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  writeFileSync(`${dir}${name}`, `${JSON.stringify(data, null, 2)}\n`);
}

export function printTable(rows) {
  const widths = Object.keys(rows[0]).map((key) => Math.max(key.length, ...rows.map((row) => String(row[key]).length)));
  const line = (cells) => cells.map((cell, i) => String(cell).padEnd(widths[i])).join('  ');
  console.log(line(Object.keys(rows[0])));
  console.log(line(widths.map((w) => '-'.repeat(w))));
  for (const row of rows) console.log(line(Object.values(row)));
}

/** Starts `alloctop sim`; resolves with {child, url, startMs} when it prints its URL. */
export function startSim(args) {
  const started = performance.now();
  const child = spawn(process.execPath, [BIN, 'sim', '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const m = /listening on (\S+)/.exec(out);
      if (m) resolve({ child, url: m[1], startMs: performance.now() - started });
    });
    child.on('exit', (code) => reject(new Error(`sim exited ${code}`)));
  });
}

/** A tmux runner on its own server socket; whatever ends this process (a crash included),
 * the consoles started on it go with it. */
export function tmuxServer(socket) {
  const run = (...args) => execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  // A new session right after the server's last one ended (kill-session, kill-server) can reach
  // the server while it is still going away: tmux then says "server exited unexpectedly" (CI
  // saw it). Starting again once it is gone is what a person would do.
  const tmux = (...args) => {
    for (let attempt = 0; ; attempt++) {
      try {
        return run(...args);
      } catch (error) {
        if (args[0] !== 'new-session' || attempt >= 5 || !/server exited unexpectedly/.test(String(error.stderr ?? error.message))) throw error;
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100 * (attempt + 1));
      }
    }
  };
  process.on('exit', () => {
    try {
      execFileSync('tmux', ['-L', socket, 'kill-server'], { stdio: 'ignore' });
    } catch {
      // no server left
    }
  });
  // Ctrl-C or a kill ends the run through 'exit', so the consoles go with it.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.once(signal, () => process.exit(130));
  return tmux;
}

/** The pid of the console the tmux pane's shell started (waits up to 10 s for it). */
export async function consolePidIn(tmux, target) {
  const shellPid = tmux('display', '-p', '-t', target, '#{pane_pid}').trim();
  for (let i = 0; i < 100; i++) {
    try {
      return Number(execFileSync('pgrep', ['-P', shellPid, '-f', 'alloctop.js'], { encoding: 'utf8' }).trim().split('\n')[0]);
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error('the console did not start');
}

/** Reads an ALLOCTOP_TRACE file as it grows: each call returns the lines written since the last. */
export function traceReader(path) {
  let offset = 0;
  return () => {
    if (!existsSync(path)) return [];
    const size = statSync(path).size;
    if (size <= offset) return [];
    const fd = openSync(path, 'r');
    const buffer = Buffer.alloc(size - offset);
    readSync(fd, buffer, 0, buffer.length, offset);
    closeSync(fd);
    const text = buffer.toString('utf8');
    const end = text.lastIndexOf('\n') + 1;
    offset += Buffer.byteLength(text.slice(0, end));
    return text.slice(0, end).split('\n').filter(Boolean).map((line) => JSON.parse(line));
  };
}

/** The rows of a 'list-rows' trace line (SIGUSR2), as the truth check takes them. */
export function traceRows(line) {
  return line.rows ? line.rows.split(',').map((item) => { const [ID, ClientStatus, DesiredStatus] = item.split(' '); return { ID, ClientStatus, DesiredStatus }; }) : [];
}

/** Ends a run: its tmux consoles, its trace file and its simulator. */
export async function tearDown(tmux, tracePath, sim) {
  try {
    tmux('kill-server');
  } catch {
    // gone
  }
  rmSync(tracePath, { force: true });
  await sim.close();
}
