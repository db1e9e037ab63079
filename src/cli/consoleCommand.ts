// `alloctop [--demo]`: resolves settings, checks the terminal and the agent, then runs the Ink
// console on the alternate screen, restoring the terminal on q, Ctrl-C, SIGTERM, SIGHUP and
// on any crash.
import { writeSync } from 'node:fs';
import React from 'react';
import { NomadClient } from '../nomad/client.js';
import { NomadConnectionError, NomadError } from '../nomad/errors.js';
import type { SimServer } from '../sim/http/server.js';
import { Store } from '../store/store.js';
import { startWatchdog } from './watchdog.js';
import type { AllocListStub } from '../nomad/types.js';
import { closeTrace, openTrace, trace, tracing } from '../store/trace.js';
import { HELP } from './help.js';
import { parseFlags } from './flags.js';
import { CONSOLE_FLAGS, demoAllocs, resolveSettings, type Settings } from './settings.js';
import { leanHeapAfterFirstData } from './leanHeap.js';
import { UsageError } from './usageError.js';
import { compactCursorMoves } from '../ui/render/compactCursor.js';
import { ScrollOptimizer } from '../ui/render/scrollOptimizer.js';
import { execRunner } from './execHandover.js';
import { TokenAbilities } from '../store/tokenAbilities.js';

const PROBE_TIMEOUT_MS = 8000;

/** Asks the agent for its regions: proves it is reachable and names the region to show. */
async function probe(client: NomadClient, settings: Settings): Promise<string> {
  try {
    const { data } = await client.listRegions({ signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    return settings.client.region ?? (data.length === 1 ? String(data[0]) : 'default');
  } catch (error) {
    if (error instanceof NomadConnectionError) throw new UsageError(error.message);
    if (error instanceof NomadError) return settings.client.region ?? 'default';
    if ((error as Error).name === 'TimeoutError' || (error as Error).name === 'AbortError') {
      throw new UsageError(`cannot reach Nomad at ${client.address}: no answer within ${PROBE_TIMEOUT_MS / 1000} s; check NOMAD_ADDR or --address`);
    }
    throw error;
  }
}

export async function consoleCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, CONSOLE_FLAGS, 'alloctop');
  if (positionals.length > 0) throw new UsageError(`unknown command "${positionals[0]}"; run 'alloctop --help' to see the commands`);
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  try {
    openTrace(process.env.ALLOCTOP_TRACE);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot write the trace file ${process.env.ALLOCTOP_TRACE} (${code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : code === 'ENOENT' ? 'no such directory' : code ?? 'unwritable'}); check ALLOCTOP_TRACE`);
  }
  const demo = values.demo === true;
  if (demo && typeof values.address === 'string') throw new UsageError('--demo runs its own simulated cluster: drop --address, or drop --demo to reach that agent');
  // The demo talks to its own simulator: the user's NOMAD_* settings (and token) stay out of it.
  const settings = resolveSettings(demo ? { ...values, address: undefined } : values, demo ? {} : process.env);
  const allocs = demo ? demoAllocs(values) : 0;

  const { stdin, stdout } = process;
  if (!stdout.isTTY || !stdin.isTTY) {
    throw new UsageError(`the console needs a terminal, but ${stdout.isTTY ? 'stdin' : 'stdout'} is not one; run alloctop in a terminal (alloctop sim runs the simulator alone)`);
  }
  const { MIN_COLUMNS, MIN_ROWS } = await import('../ui/layout.js');
  if ((stdout.columns ?? 0) < MIN_COLUMNS || (stdout.rows ?? 0) < MIN_ROWS) {
    throw new UsageError(`the terminal is ${stdout.columns}x${stdout.rows}; alloctop needs at least ${MIN_COLUMNS}x${MIN_ROWS}`);
  }
  for (const warning of settings.warnings) process.stderr.write(`alloctop: warning: ${warning}\n`);

  let sim: SimServer | undefined;
  if (demo) {
    const { startSimServer } = await import('../sim/http/server.js');
    sim = await startSimServer({ port: 0, allocs, seed: Date.now() % 100_000 });
    settings.client.address = sim.url;
  }
  const client = new NomadClient(settings.client);
  const store = new Store({ waitMs: settings.waitMs });
  // Ask for the first screen's data now, beside the probe and while the UI modules load: the
  // App subscribes to the same keys and shares these loops; the early listeners go once it has.
  const { allocationListQuery, namespacesQuery } = await import('../store/queries.js');
  const list = allocationListQuery(client, { namespace: settings.client.namespace ?? 'default' });
  const early = [list, namespacesQuery(client)].map((query) => store.subscribe(query, () => {}));
  let region: string;
  try {
    region = await probe(client, settings);
  } catch (error) {
    early.forEach((unsubscribe) => unsubscribe());
    store.close();
    await client.close();
    await sim?.close();
    throw error;
  }
  leanHeapAfterFirstData(store, list);
  setTimeout(() => early.forEach((unsubscribe) => unsubscribe()), 2000).unref();
  return runConsole({ client, store, settings, region, sim });
}

interface Running {
  client: NomadClient;
  store: Store;
  settings: Settings;
  region: string;
  sim: SimServer | undefined;
}

/** One 'list-rows' trace line per allocation list key: its status, how far a first read that
 * is still coming in has got, and "ID ClientStatus DesiredStatus" rows. */
function traceLists(store: Store): void {
  for (const key of store.keys()) {
    if (!key.startsWith('/v1/allocations')) continue;
    const state = store.getState<AllocListStub[]>(key);
    const rows = (state.data ?? []).map((row) => `${row?.ID} ${row?.ClientStatus} ${row?.DesiredStatus}`).join(',');
    trace('list-rows', { key, status: state.status, okAt: state.okAt, loading: state.progress?.loaded, rows });
  }
}

/** A zero-byte write to the terminal fails (EIO) once its pty was hung up. */
function terminalAlive(): boolean {
  try {
    writeSync(1, '');
    return true;
  } catch {
    return false;
  }
}

const ENTER_ALT_SCREEN = '\x1b[?1049h\x1b[H';
const LEAVE_ALT_SCREEN = '\x1b[?25h\x1b[?1049l';

async function runConsole({ client, store, settings, region, sim }: Running): Promise<number> {
  const [{ render }, { App }, { AppContext }, { themeFor }, { CrashBoundary }, { RepaintBridge }] = await Promise.all([
    import('ink'),
    import('../ui/App.js'),
    import('../ui/context.js'),
    import('../ui/theme.js'),
    import('../ui/CrashBoundary.js'),
    import('../ui/render/RepaintBridge.js'),
  ]);
  const { stdout } = process;
  let instance: ReturnType<typeof render> | undefined;
  let restored = false;
  let finish: (code: number) => void = () => {};
  // eslint-disable-next-line prefer-const -- shutdown(), defined before the watchdog starts, calls it
  let stopWatchdog: (() => void) | undefined;
  /** An exec session owns the terminal (execHandover.ts): the console's frames are not written. */
  let handedOver = false;
  const done = new Promise<number>((resolve) => (finish = resolve));
  /** Ink's last frame written whole (RepaintBridge.tsx), once the tree is mounted. */
  let replayFrame: (() => void) | undefined;
  /** The screen came back blank (fg, the end of an exec session): lay out again for a size
   * that changed meanwhile, then write every row, not only the ones that changed. */
  const repaint = (): void => {
    stdout.emit('resize');
    replayFrame?.();
  };

  /** Puts the terminal back: raw mode off (Ink's unmount), cursor shown, main screen. */
  const restore = (): void => {
    if (restored) return;
    restored = true;
    handedOver = false;
    try {
      instance?.unmount();
    } catch {
      // Unmounting a crashed tree can throw; the terminal must be restored regardless.
    }
    if (process.stdin.isTTY) process.stdin.setRawMode?.(false);
    stdout.write(LEAVE_ALT_SCREEN);
  };
  const shutdown = (code: number): void => {
    stopWatchdog?.();
    restore();
    store.close();
    void client.close().catch(() => {});
    void sim?.close().catch(() => {});
    closeTrace();
    finish(code);
  };
  const crash = (error: unknown): void => {
    restore();
    const message = error instanceof Error ? error.message : String(error);
    if (tracing) trace('crash', { message: message.slice(0, 200) });
    // One line, no terminal controls (the message may quote an agent's text), never the token.
    const line = message.replaceAll(settings.client.token ?? '\u0000', '<token>').replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').slice(0, 500);
    process.stderr.write(`alloctop: crashed: ${line}\n`);
    process.exit(1);
  };
  const exitWith = (code: number) => () => {
    shutdown(code);
    process.exit(code);
  };
  // A hang-up (the terminal or the SSH session went away), or a write that fails because the
  // terminal is gone: clean up, then end the way a hung-up process ends, by SIGHUP's default
  // action (exit status 129). Exiting normally would run Node 20's restore of the dead
  // terminal's modes, which aborts (nodejs/node#58200, fixed in later releases). A SIGHUP sent
  // while the terminal still works (kill -HUP) exits normally, with the same status.
  let hungUp = false;
  const hangUp = (): void => {
    if (hungUp) return;
    hungUp = true;
    if (terminalAlive()) {
      exitWith(129)();
      return;
    }
    try {
      shutdown(129);
    } finally {
      process.removeAllListeners('SIGHUP');
      process.kill(process.pid, 'SIGHUP');
    }
  };
  // Ctrl-Z (a key in raw mode) or SIGTSTP: give the shell a sane terminal, then stop; on
  // SIGCONT (fg) take the terminal back and draw the whole screen again.
  const suspend = (): void => {
    if (restored) return;
    if (process.stdin.isTTY) process.stdin.setRawMode?.(false);
    stdout.write(LEAVE_ALT_SCREEN);
    process.kill(process.pid, 'SIGSTOP');
  };
  const resume = (): void => {
    if (restored) return;
    if (handedOver) {
      // Back into an exec session: the remote program redraws on its own.
      if (process.stdin.isTTY) process.stdin.setRawMode?.(true);
      return;
    }
    stdout.write(ENTER_ALT_SCREEN);
    if (process.stdin.isTTY) process.stdin.setRawMode?.(true);
    repaint();
  };
  const handlers: [NodeJS.Signals, () => void][] = [
    ['SIGTERM', exitWith(143)],
    ['SIGHUP', hangUp],
    ['SIGINT', exitWith(130)],
    ['SIGTSTP', suspend],
    ['SIGCONT', resume],
  ];
  for (const [signal, handler] of handlers) process.on(signal, handler);
  // The terminal went away without a SIGHUP (EIO or EPIPE on write): there is no one left to tell.
  stdout.on('error', hangUp);
  // When the terminal's shell is gone and the main thread is stuck, nothing above can run.
  stopWatchdog = startWatchdog();
  process.on('uncaughtException', crash);
  process.on('unhandledRejection', crash);

  if (tracing) {
    // The soak's truth check: SIGUSR2 writes what every allocation list holds to the trace,
    // to be compared with a fresh read from the agent.
    process.on('SIGUSR2', () => traceLists(store));
    // Count every byte written to the terminal: one 'frame' line per write.
    const write = stdout.write.bind(stdout) as (chunk: string | Uint8Array, ...rest: unknown[]) => boolean;
    stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      trace('frame', { bytes: typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length });
      return write(chunk, ...rest);
    }) as typeof stdout.write;
  }
  // Blocks of rows that moved are scrolled by the terminal (render/scrollOptimizer.ts), and runs
  // of Ink's row-by-row cursor moves are sent as one (render/compactCursor.ts); outermost, so the
  // trace counts the bytes the terminal gets.
  const terminalWrite = stdout.write.bind(stdout) as (chunk: string | Uint8Array, ...rest: unknown[]) => boolean;
  {
    const scroller = new ScrollOptimizer(() => stdout.rows ?? 24);
    stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      if (handedOver) return true;
      return terminalWrite(typeof chunk === 'string' ? compactCursorMoves(scroller.rewrite(chunk)) : chunk, ...rest);
    }) as typeof stdout.write;
  }
  stdout.write(ENTER_ALT_SCREEN);
  const services = {
    store,
    client,
    info: { address: client.address, region, readOnly: settings.readOnly, warnings: settings.warnings },
    theme: themeFor(),
    // Exec hands the terminal over; read-only mode never offers it.
    exec: settings.readOnly
      ? undefined
      : execRunner(client, new TokenAbilities(client), {
          stdin: process.stdin,
          stdout,
          write: (data) => terminalWrite(data),
          setHandedOver: (on) => (handedOver = on),
          repaint: () => repaint(),
        }),
  };
  try {
    instance = render(
      React.createElement(CrashBoundary, { onCrash: crash }, React.createElement(AppContext.Provider, { value: services }, React.createElement(RepaintBridge, { onReady: (replay) => (replayFrame = replay) }), React.createElement(App, { namespace: settings.client.namespace ?? 'default', onQuit: () => shutdown(0), onSuspend: suspend }))),
      { exitOnCtrlC: false, patchConsole: false, incrementalRendering: true, maxFps: 1000, onRender: tracing ? ({ renderTime }) => trace('render', { ms: Math.round(renderTime * 100) / 100 }) : undefined },
    );
  } catch (error) {
    crash(error);
  }
  // Fault injection for the terminal-hygiene tests: an uncaught exception after N ms.
  const crashAfter = Number(process.env.ALLOCTOP_TEST_CRASH_MS ?? 0);
  if (crashAfter > 0) {
    setTimeout(() => {
      throw new Error('injected crash (ALLOCTOP_TEST_CRASH_MS)');
    }, crashAfter).unref();
  }
  // ... and a main thread that never yields again after N ms (the terminal-loss tests).
  const freezeAfter = Number(process.env.ALLOCTOP_TEST_FREEZE_MS ?? 0);
  if (freezeAfter > 0) {
    setTimeout(() => {
      for (;;) Math.random();
    }, freezeAfter).unref();
  }
  const code = await done;
  stdout.off('error', hangUp);
  for (const [signal, handler] of handlers) process.off(signal, handler);
  process.off('uncaughtException', crash);
  process.off('unhandledRejection', crash);
  return code;
}
