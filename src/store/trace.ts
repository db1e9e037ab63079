// Opt-in tracing for benchmarks (ALLOCTOP_TRACE=file): JSON lines with a wall-clock time in ms
// for input received, frames written (with their byte count) and data applied from the store.
// Off by default; when off, each call site costs one boolean check.
import { closeSync, openSync, writeSync } from 'node:fs';

let fd: number | undefined;

/** True while a trace file is open. Call sites check this before building fields. */
export let tracing = false;

export function openTrace(path: string | undefined): void {
  if (!path || fd !== undefined) return;
  fd = openSync(path, 'a');
  tracing = true;
}

export function trace(event: string, fields: Record<string, string | number | boolean | undefined> = {}): void {
  if (fd === undefined) return;
  const t = performance.timeOrigin + performance.now();
  writeSync(fd, `${JSON.stringify({ t, ev: event, ...fields })}\n`);
}

export function closeTrace(): void {
  if (fd !== undefined) closeSync(fd);
  fd = undefined;
  tracing = false;
}
