// The messages of Nomad's exec WebSocket (api/allocations_exec.go, plugins/drivers/
// execstreaming.go), one JSON text message each. Client → agent: stdin data (base64), stdin
// close, the terminal size, and `{}` as a heartbeat. Agent → client: stdout / stderr data or
// close, and at the end `{"exited":true,"result":{"exit_code":N,"signal":N,"oom_killed":true}}`
// with zero values omitted. A frame that is not one of these is reported, never thrown.

export const EXEC_HEARTBEAT = '{}';
/** api/allocations_exec.go heartbeatInterval. */
export const EXEC_HEARTBEAT_MS = 10_000;

export function stdinFrame(data: Uint8Array): string {
  return JSON.stringify({ stdin: { data: Buffer.from(data).toString('base64') } });
}

export function stdinCloseFrame(): string {
  return JSON.stringify({ stdin: { close: true } });
}

export function ttySizeFrame(height: number, width: number): string {
  return JSON.stringify({ tty_size: { height: Math.max(0, Math.floor(height)), width: Math.max(0, Math.floor(width)) } });
}

export interface ExecResult {
  exitCode: number;
  /** The signal that ended the command, when one did. */
  signal?: number;
  oomKilled?: boolean;
}

export type ExecFrame =
  | { type: 'output'; stream: 'stdout' | 'stderr'; data: Buffer }
  | { type: 'outputClosed'; stream: 'stdout' | 'stderr' }
  | { type: 'exited'; result: ExecResult }
  /** Parsed, but none of the above: ignored, as the Go client ignores it. */
  | { type: 'other' }
  /** Not JSON, or a field of the wrong type. */
  | { type: 'malformed'; reason: string };

/** The most one frame may hold: Nomad sends ≤ 1 KiB of output each, base64'd. */
export const MAX_EXEC_FRAME = 1024 * 1024;

export function decodeExecFrame(text: string): ExecFrame {
  if (text.length > MAX_EXEC_FRAME) return { type: 'malformed', reason: `a frame of ${text.length} bytes` };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { type: 'malformed', reason: 'not JSON' };
  }
  if (!isObject(value)) return { type: 'malformed', reason: 'not an object' };
  for (const stream of ['stdout', 'stderr'] as const) {
    const op = value[stream];
    if (op === undefined || op === null) continue;
    if (!isObject(op)) return { type: 'malformed', reason: `${stream} is not an object` };
    if (op.data !== undefined && op.data !== null) {
      if (typeof op.data !== 'string') return { type: 'malformed', reason: `${stream}.data is not a string` };
      return { type: 'output', stream, data: Buffer.from(op.data, 'base64') };
    }
    if (op.close === true) return { type: 'outputClosed', stream };
    return { type: 'other' };
  }
  if (value.exited === true) {
    const result = isObject(value.result) ? value.result : {};
    const exitCode = result.exit_code === undefined || result.exit_code === null ? 0 : result.exit_code;
    if (typeof exitCode !== 'number' || !Number.isInteger(exitCode)) return { type: 'malformed', reason: 'exit_code is not an integer' };
    const out: ExecResult = { exitCode };
    if (typeof result.signal === 'number' && result.signal > 0) out.signal = result.signal;
    if (result.oom_killed === true) out.oomKilled = true;
    return { type: 'exited', result: out };
  }
  return { type: 'other' };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
