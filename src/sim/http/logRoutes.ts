// GET /v1/client/fs/logs/:alloc_id — a task's stdout or stderr, as a Nomad client streams it:
// the HTTP layer's checks and errors in command/agent/fs_endpoint.go (Logs) order, then the
// client's in client/fs_endpoint.go (logs): unknown allocation, ACL (read-logs or read-fs),
// unknown task, not started yet, no log file. Then frames from client/lib/streamframer: JSON
// objects written back to back with no separator, every field omitted when empty
// ({"Offset":n,"Data":"<base64>","File":"alloc/logs/t.stdout.0"}), data batched for 200 ms and
// at most 64 KiB a frame, a {} heartbeat every second whatever else flows, and
// {"File":…,"FileEvent":"file deleted"} when the allocation directory goes. plain=true sends the
// bytes alone. follow=false ends at the end of the newest file as it was when asked; follow=true
// never ends by itself, for a dead task too, until the directory is removed. Where it starts
// is findClosest's walk over the files (origin=end counts back across rotated ones).
import type { ServerResponse } from 'node:http';
import { SimHttpError } from '../simError.js';
import type { LogFile, TaskLog } from '../logs.js';
import { demand } from './acl.js';
import type { RouteContext } from './context.js';

/** client/fs_endpoint.go streamFrameSize, streamBatchWindow, streamHeartbeatRate. */
export const FRAME_SIZE = 64 * 1024;
const BATCH_MS = 200;
const HEARTBEAT_MS = 1000;

/** strconv.ParseBool's accepted spellings. */
function parseBool(text: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(text)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(text)) return false;
  return undefined;
}

export interface LogsQuery {
  task: string;
  type: 'stdout' | 'stderr';
  follow: boolean;
  plain: boolean;
  offset: number;
  origin: 'start' | 'end';
}

/** The HTTP layer's checks, in its order (fs_endpoint.go Logs). */
export function parseLogsQuery(params: URLSearchParams): LogsQuery {
  const task = params.get('task') ?? '';
  if (task === '') throw new SimHttpError(400, 'must provide task name');
  const flag = (name: string): boolean => {
    const text = params.get(name) ?? '';
    if (text === '') return false;
    const value = parseBool(text);
    if (value === undefined) throw new SimHttpError(400, `failed to parse ${name} field to boolean: strconv.ParseBool: parsing ${JSON.stringify(text)}: invalid syntax`);
    return value;
  };
  const follow = flag('follow');
  const plain = flag('plain');
  const type = params.get('type') ?? '';
  if (type !== 'stdout' && type !== 'stderr') throw new SimHttpError(400, 'must provide log type (stdout/stderr)');
  const offsetText = params.get('offset') ?? '';
  let offset = 0;
  if (offsetText !== '') {
    if (!/^[+-]?\d+$/.test(offsetText)) throw new SimHttpError(400, `error parsing offset: strconv.ParseInt: parsing ${JSON.stringify(offsetText)}: invalid syntax`);
    offset = Number(offsetText);
  }
  const origin = params.get('origin') || 'start';
  if (origin !== 'start' && origin !== 'end') throw new SimHttpError(400, 'origin must be start or end');
  return { task, type, follow, plain, offset, origin };
}

/** findClosest: the file at or after `desiredIndex` (the last when none), then `offset` walked
 * forward or back across the files. */
export function findClosest(files: readonly LogFile[], desiredIndex: number, desiredOffset: number): { file: LogFile; offset: number } | undefined {
  if (files.length === 0) return undefined;
  let at = files.findIndex((f) => f.index >= desiredIndex);
  if (at === -1) at = files.length - 1;
  let offset = desiredOffset;
  for (;;) {
    const size = (files[at] as LogFile).size;
    if (offset === 0) break;
    if (offset < 0) {
      if (size + offset >= 0) {
        offset = size + offset;
        break;
      }
      if (at === 0) {
        offset = 0;
        break;
      }
      offset = size + offset;
      at -= 1;
    } else {
      if (offset <= size) break;
      if (at === files.length - 1) {
        offset = size;
        break;
      }
      offset -= size;
      at += 1;
    }
  }
  return { file: files[at] as LogFile, offset };
}

/** The StreamFramer: batches data per file, sends full frames at once and the rest after the
 * batch window, and a heartbeat every second. Frame offsets follow its arithmetic: the offset
 * after the first read of a frame, moved on by each full frame sent. */
class Framer {
  private file = '';
  private event = '';
  private offset = 0;
  private data: Buffer[] = [];
  private size = 0;
  private timer?: NodeJS.Timeout;
  private readonly heartbeat: NodeJS.Timeout;

  constructor(
    private readonly write: (text: string | Buffer) => void,
    private readonly plain: boolean,
  ) {
    this.heartbeat = setInterval(() => {
      if (!this.plain) this.write('{}');
    }, HEARTBEAT_MS);
  }

  private get cleared(): boolean {
    return this.size === 0 && this.event === '' && this.file === '';
  }

  send(file: string, event: string, data: Buffer, offset: number): void {
    if (!this.cleared && (this.file !== file || this.event !== event)) this.flush();
    if (this.cleared) {
      this.offset = offset;
      this.file = file;
      this.event = event;
    }
    if (data.length) {
      this.data.push(data);
      this.size += data.length;
    }
    let force = this.size === 0 && event !== '';
    while (this.size >= FRAME_SIZE || force) {
      force = false;
      const all = Buffer.concat(this.data);
      const frame = all.subarray(0, FRAME_SIZE);
      this.data = all.length > FRAME_SIZE ? [all.subarray(FRAME_SIZE)] : [];
      this.size = all.length - frame.length;
      this.emit(frame);
      this.offset += frame.length;
      if (this.size === 0) this.clear();
    }
    if (!this.cleared && !this.timer) this.timer = setTimeout(() => this.flush(), BATCH_MS);
  }

  /** Sends what is batched now. */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.cleared) return;
    this.emit(Buffer.concat(this.data));
    this.clear();
  }

  private clear(): void {
    this.file = '';
    this.event = '';
    this.data = [];
    this.size = 0;
  }

  private emit(data: Buffer): void {
    if (this.plain) {
      if (data.length) this.write(data);
      return;
    }
    // Go's encoding with omitempty, in the struct's field order.
    const fields: string[] = [];
    if (this.offset) fields.push(`"Offset":${this.offset}`);
    if (data.length) fields.push(`"Data":"${data.toString('base64')}"`);
    if (this.file) fields.push(`"File":${JSON.stringify(this.file)}`);
    if (this.event) fields.push(`"FileEvent":${JSON.stringify(this.event)}`);
    this.write(`{${fields.join(',')}}`);
  }

  close(): void {
    clearInterval(this.heartbeat);
    clearTimeout(this.timer);
  }
}

/** Streams `log` per the query until its end (follow=false), the directory's removal, or the
 * client going away. The caller has checked everything that answers with an error status. */
export async function streamLog(ctx: RouteContext, res: ServerResponse, log: TaskLog, query: LogsQuery): Promise<void> {
  const start = findClosest(log.files, query.origin === 'start' ? 0 : Number.MAX_SAFE_INTEGER, query.origin === 'end' ? -query.offset : query.offset);
  if (!start) throw new SimHttpError(404, `log entry for task ${JSON.stringify(query.task)} and log type ${JSON.stringify(query.type)} not found`);
  const lastIndex = log.files.at(-1)?.index ?? 0;
  res.writeHead(200, { 'Content-Type': query.plain ? 'text/plain' : 'application/json' });
  let gone = false;
  void ctx.closed.then(() => (gone = true));
  const framer = new Framer((chunk) => {
    if (!gone) res.write(chunk);
  }, query.plain);
  let changed: (() => void) | undefined;
  const unsubscribe = log.subscribe(() => changed?.());
  const nextChange = (): Promise<void> =>
    new Promise<void>((resolve) => {
      changed = resolve;
      void ctx.closed.then(resolve);
    });
  try {
    let index = start.file.index;
    let offset = start.offset;
    for (;;) {
      if (gone) return;
      if (log.deleted) {
        framer.send(log.fileName(index), 'file deleted', Buffer.alloc(0), offset);
        framer.flush();
        return;
      }
      const data = log.read(index, offset, FRAME_SIZE);
      if (data.length) {
        offset += data.length;
        framer.send(log.fileName(index), '', data, offset);
        // A real read loop yields between reads; so does this one.
        await new Promise((resolve) => setImmediate(resolve));
        continue;
      }
      // At the end of this file: on to the next one, if there is one.
      const next = log.files.find((f) => f.index > index);
      if (!query.follow && index >= lastIndex) {
        framer.flush();
        return;
      }
      if (next && (query.follow || next.index <= lastIndex)) {
        // Rotated out from under us, or moved on: the next file, from its start.
        index = next.index;
        offset = 0;
        continue;
      }
      await nextChange();
    }
  } finally {
    unsubscribe();
    framer.close();
    if (!gone) res.end();
  }
}

/** The route: the HTTP layer's checks, then the client's, then the stream. */
export async function logsRoute(ctx: RouteContext, res: ServerResponse, id: string): Promise<void> {
  if (id === '') throw new SimHttpError(400, 'must provide a valid alloc id');
  const query = parseLogsQuery(ctx.params);
  const sim = ctx.sim.cluster.get(id);
  if (!sim) throw new SimHttpError(404, `Unknown allocation ${JSON.stringify(id)}`);
  // read-logs (or read-fs) in the allocation's namespace; 403 from a client agent.
  demand(ctx.authenticate(), 'read-logs', sim.alloc.Namespace ?? 'default');
  const state = sim.alloc.TaskStates[query.task];
  if (!state) throw new SimHttpError(400, `unknown task name ${JSON.stringify(query.task)}`);
  if (!state.StartedAt) throw new SimHttpError(404, `task ${JSON.stringify(query.task)} not started yet. No logs available`);
  const task = sim.group.tasks.find((t) => t.name === query.task);
  const log = ctx.sim.logs.get(id, query.task, task?.image ?? '', query.type, Date.parse(state.StartedAt) || Date.now());
  await streamLog(ctx, res, log, query);
}
