// NomadClient: the typed endpoints alloctop uses, over one Transport. Read endpoints accept a
// blocking {index, waitMs} and return the body plus X-Nomad-* meta; writes use PUT like the Go
// client does.
import type { ClientConfig } from './config.js';
import { LogFrameDecoder, type LogFrame } from './logFrames.js';
import { ExecSession, type ExecHandlers, type ExecRequest } from './exec.js';
import { ALLOC_STUB, ALLOCATION, decodeList, decodeOne, EVENT_FRAME, NAMESPACE, SERVICE, STRING, type RepairCounter } from './decode.js';
import { Transport, type QueryValue, type RequestOptions, type Response } from './transport.js';
import type {
  ACLPolicy,
  ACLToken,
  AllocListStub,
  AllocResourceUsage,
  AllocStopResponse,
  Allocation,
  EventFrame,
  GenericResponse,
  Namespace,
  ServiceRegistration,
} from './types.js';

export interface ReadOptions {
  signal?: AbortSignal;
  blocking?: { index: number; waitMs: number };
  stale?: boolean;
}

export interface ListAllocationsOptions extends ReadOptions {
  /** Overrides the client's namespace; `*` lists every namespace. */
  namespace?: string;
  prefix?: string;
  /** A go-bexpr expression evaluated by the agent. */
  filter?: string;
  perPage?: number;
  nextToken?: string;
  reverse?: boolean;
  taskStates?: boolean;
  resources?: boolean;
}

export interface LogStreamOptions {
  task: string;
  type: 'stdout' | 'stderr';
  origin: 'start' | 'end';
  offset: number;
  follow: boolean;
  signal?: AbortSignal;
  idleTimeoutMs?: number;
}

/** Nomad sends a {} heartbeat every second on a log stream: ten silent seconds is a dead one. */
export const LOG_IDLE_TIMEOUT_MS = 10_000;

export interface EventStreamOptions {
  /** topic=Topic[:Key] values, e.g. ["Allocation"]. */
  topics: string[];
  /** Overrides the client's namespace; `*` streams every namespace. */
  namespace?: string;
  /** Start at the first buffered event with this index or later; 0 = from now. */
  index?: number;
  signal?: AbortSignal;
  idleTimeoutMs?: number;
}

/** Nomad sends a heartbeat every 30 s: two missed ones and the stream is taken for dead. */
export const EVENT_IDLE_TIMEOUT_MS = 65_000;

export interface StopOptions {
  noShutdownDelay?: boolean;
  namespace?: string;
}

/** A restart answers only after the tasks were killed and exited: up to their kill_timeout,
 * which a client caps at max_kill_timeout (30 s by default). Well past that, then. */
export const RESTART_TIMEOUT_MS = 120_000;

export type RestartTarget = { task: string } | { allTasks: true } | { running: true };

export class NomadClient {
  readonly transport: Transport;
  /** Values the agent sent malformed, repaired at this boundary (decode.ts). */
  readonly repairs: RepairCounter = { repaired: 0 };

  constructor(readonly config: ClientConfig) {
    this.transport = new Transport(config);
  }

  /** The address as shown to users (no password, never the token). */
  get address(): string {
    return this.transport.address.display;
  }

  private read<T>(path: string, options: ReadOptions, query: Record<string, QueryValue> = {}, extra: Partial<RequestOptions> = {}): Promise<Response<T>> {
    return this.transport.request<T>(path, {
      query: { ...query, stale: options.stale ? 'true' : undefined },
      signal: options.signal,
      blocking: options.blocking,
      ...extra,
    });
  }

  listAllocations(options: ListAllocationsOptions = {}): Promise<Response<AllocListStub[]>> {
    return this.read<unknown>('/v1/allocations', options, {
      namespace: options.namespace,
      prefix: options.prefix,
      filter: options.filter,
      per_page: options.perPage,
      next_token: options.nextToken,
      reverse: options.reverse ? 'true' : undefined,
      task_states: options.taskStates === undefined ? undefined : String(options.taskStates),
      resources: options.resources ? 'true' : undefined,
    }).then((response) => this.list(response, ALLOC_STUB));
  }

  /** Walks every page of a list (per_page/next_token) and returns all items and the last meta. */
  async listAllAllocations(options: Omit<ListAllocationsOptions, 'nextToken' | 'blocking'> & { perPage: number }): Promise<Response<AllocListStub[]>> {
    const items: AllocListStub[] = [];
    let nextToken: string | undefined;
    for (;;) {
      const page = await this.listAllocations({ ...options, nextToken });
      items.push(...page.data);
      nextToken = page.meta.nextToken;
      if (!nextToken) return { data: items, meta: page.meta };
    }
  }

  getAllocation(id: string, options: ReadOptions = {}): Promise<Response<Allocation>> {
    // Nomad ignores namespace on this endpoint; sending none keeps cross-namespace reads simple.
    const path = `/v1/allocation/${encodeURIComponent(id)}`;
    return this.read<unknown>(path, options, {}, { noNamespace: true }).then((response) => {
      const data = decodeOne<Allocation>(response.data, ALLOCATION, this.repairs);
      if (!data) throw this.transport.badBody('GET', path);
      return { ...response, data };
    });
  }

  /** The allocation's namespace must be given: the agent answers 404 when it differs. */
  allocationServices(id: string, namespace: string, options: ReadOptions = {}): Promise<Response<ServiceRegistration[]>> {
    return this.read<unknown>(`/v1/allocation/${encodeURIComponent(id)}/services`, options, { namespace }).then((response) => this.list<ServiceRegistration>(response, SERVICE));
  }

  /** Nomad service checks (1.4+): a map by check ID, or null when there are none. */
  allocationChecks(id: string, options: ReadOptions = {}): Promise<Response<unknown>> {
    return this.read<unknown>(`/v1/allocation/${encodeURIComponent(id)}/checks`, options, {}, { noNamespace: true });
  }

  allocationStats(id: string, options: ReadOptions & { task?: string } = {}): Promise<Response<AllocResourceUsage>> {
    return this.read<AllocResourceUsage>(`/v1/client/allocation/${encodeURIComponent(id)}/stats`, options, { task: options.task }, { noNamespace: true });
  }

  stopAllocation(id: string, options: StopOptions = {}): Promise<Response<AllocStopResponse>> {
    return this.transport.request<AllocStopResponse>(`/v1/allocation/${encodeURIComponent(id)}/stop`, {
      method: 'PUT',
      query: {
        namespace: options.namespace,
        no_shutdown_delay: options.noShutdownDelay ? 'true' : undefined,
      },
    });
  }

  restartAllocation(id: string, target: RestartTarget): Promise<Response<GenericResponse>> {
    const body = 'task' in target ? { TaskName: target.task } : 'allTasks' in target ? { AllTasks: true } : {};
    return this.transport.request<GenericResponse>(`/v1/client/allocation/${encodeURIComponent(id)}/restart`, {
      method: 'PUT',
      body,
      noNamespace: true,
      timeoutMs: RESTART_TIMEOUT_MS,
    });
  }

  /** Sends `signal` to `task`, or to every task when task is undefined. */
  signalAllocation(id: string, signal: string, task?: string): Promise<Response<GenericResponse>> {
    return this.transport.request<GenericResponse>(`/v1/client/allocation/${encodeURIComponent(id)}/signal`, {
      method: 'PUT',
      body: { Signal: signal, Task: task ?? '' },
      noNamespace: true,
    });
  }

  /** Subscribes to /v1/event/stream. Resolves once the agent sent its first line (Nomad
   * writes a `{}` heartbeat as soon as the subscription exists), so a refusal is an error here
   * even from agents that answer 200 first; then yields each line as a frame (heartbeats
   * included, so a caller can tell the stream is alive). A line that is not JSON fails the
   * stream with a bad-body error. */
  async eventStream(options: EventStreamOptions): Promise<AsyncIterable<EventFrame>> {
    const lines = await this.transport.stream('/v1/event/stream', {
      query: { topic: options.topics, namespace: options.namespace, index: options.index ? String(options.index) : undefined },
      signal: options.signal,
      idleTimeoutMs: options.idleTimeoutMs ?? EVENT_IDLE_TIMEOUT_MS,
    });
    const badBody = (): Error => this.transport.badBody('GET', '/v1/event/stream');
    const decode = (line: string): EventFrame => {
      let frame: unknown;
      try {
        frame = JSON.parse(line);
      } catch {
        throw badBody();
      }
      if (!frame || typeof frame !== 'object' || Array.isArray(frame)) throw badBody();
      return decodeOne<EventFrame>(frame, EVENT_FRAME, this.repairs) ?? {};
    };
    const iterator = lines[Symbol.asyncIterator]();
    const first = await iterator.next();
    if (first.done) throw badBody();
    const head = decode(first.value);
    return {
      async *[Symbol.asyncIterator]() {
        yield head;
        for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield decode(next.value);
      },
    };
  }

  /** Streams a task's stdout or stderr (GET /v1/client/fs/logs/:alloc, JSON frames): resolves
   * once the agent answered 200 (its errors — unknown task, not started yet, no log file,
   * permission — are NomadErrors here), then yields each frame with data or a file event.
   * `origin: 'end', offset: n` starts n bytes before the end, across rotated files. */
  async streamLogs(allocId: string, options: LogStreamOptions): Promise<AsyncIterable<LogFrame>> {
    const path = `/v1/client/fs/logs/${encodeURIComponent(allocId)}`;
    const chunks = await this.transport.streamChunks(path, {
      query: { task: options.task, type: options.type, origin: options.origin, offset: String(options.offset), follow: String(options.follow) },
      signal: options.signal,
      noNamespace: true,
      idleTimeoutMs: options.idleTimeoutMs ?? LOG_IDLE_TIMEOUT_MS,
    });
    return {
      async *[Symbol.asyncIterator]() {
        const decoder = new LogFrameDecoder();
        for await (const chunk of chunks) yield* decoder.push(chunk);
      },
    };
  }

  listNamespaces(options: ReadOptions = {}): Promise<Response<Namespace[]>> {
    return this.read<unknown>('/v1/namespaces', options, {}, { noNamespace: true }).then((response) => this.list<Namespace>(response, NAMESPACE));
  }

  listRegions(options: ReadOptions = {}): Promise<Response<string[]>> {
    return this.read<unknown>('/v1/regions', options, {}, { noNamespace: true }).then((response) => this.list<string>(response, STRING));
  }

  /** The leader's RPC address ("" when there is none). */
  leader(options: ReadOptions = {}): Promise<Response<string>> {
    return this.read<string>('/v1/status/leader', options, {}, { noNamespace: true });
  }

  tokenSelf(options: ReadOptions = {}): Promise<Response<ACLToken>> {
    return this.read<ACLToken>('/v1/acl/token/self', options, {}, { noNamespace: true });
  }

  /** A policy (readable by management tokens and by tokens that hold it), RulesJSON included. */
  readPolicy(name: string, options: ReadOptions = {}): Promise<Response<ACLPolicy>> {
    return this.read<ACLPolicy>(`/v1/acl/policy/${encodeURIComponent(name)}`, options, {}, { noNamespace: true });
  }

  /** Opens `nomad alloc exec`'s WebSocket: GET /v1/client/allocation/:id/exec?task=…&command=[…]&tty=…. */
  exec(request: ExecRequest, handlers: ExecHandlers): ExecSession {
    const ws = this.transport.openWebSocket(`/v1/client/allocation/${encodeURIComponent(request.allocId)}/exec`, {
      query: { task: request.task, command: JSON.stringify(request.command), tty: String(request.tty), namespace: request.namespace },
    });
    return new ExecSession(ws, handlers);
  }

  close(): Promise<void> {
    return this.transport.close();
  }

  /** A list answer, checked item by item (null from very old agents reads as empty). */
  private list<T>(response: Response<unknown>, spec: Parameters<typeof decodeList>[1]): Response<T[]> {
    return { ...response, data: decodeList<T>(response.data, spec, this.repairs) };
  }
}
