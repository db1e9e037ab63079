// The HTTP transport under NomadClient: undici Agents (one for blocking queries, which hold a
// socket for minutes, one for everything else), auth headers, default region/namespace, gzip,
// timeouts that outlast a blocking query, and the mapping of failures to NomadError.
import { gunzip } from 'node:zlib';
import { promisify } from 'node:util';
import { Agent, request, WebSocket, type Dispatcher } from 'undici';
import { resolveAddress, type ClientConfig, type ResolvedAddress } from './config.js';
import { connectionHint, NomadConnectionError, NomadError } from './errors.js';

const gunzipAsync = promisify(gunzip);

export interface QueryMeta {
  /** X-Nomad-Index; 0 when the header is absent. */
  index: number;
  knownLeader: boolean;
  /** X-Nomad-LastContact in ms; 0 on the leader. */
  lastContact: number;
  /** X-Nomad-NextToken, only while more pages remain. */
  nextToken?: string;
}

export interface Response<T> {
  data: T;
  meta: QueryMeta;
}

export type QueryValue = string | number | boolean | undefined;

export interface RequestOptions {
  method?: 'GET' | 'PUT' | 'POST';
  /** An array repeats the parameter (topic=a&topic=b). */
  query?: Record<string, QueryValue | string[]>;
  body?: unknown;
  signal?: AbortSignal;
  /** Blocking query: index/wait in ms. Only sent when index > 0. */
  blocking?: { index: number; waitMs: number };
  /** Do not add the default namespace (endpoints that ignore or reject it). */
  noNamespace?: boolean;
  /** Overrides the timeout of a request that is not a blocking query. */
  timeoutMs?: number;
  /** The most bytes the answer may have, decompressed (default MAX_ANSWER_BYTES). */
  maxBytes?: number;
}

/** The most one answer may hold, decompressed: a 5,000-row page of the list is ~3 MB. */
export const MAX_ANSWER_BYTES = 64 * 1024 * 1024;
/** The most one line of the event stream may hold (one allocation's events: a few KB). */
export const MAX_STREAM_LINE = 16 * 1024 * 1024;

class TooLarge extends Error {}

/** The body, or TooLarge as soon as it passes `limit` bytes (the rest is not read). */
async function readCapped(body: AsyncIterable<unknown> & { destroy(): void }, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > limit) {
      body.destroy();
      throw new TooLarge();
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks, size);
}

export class ReadOnlyError extends Error {
  override readonly name = 'ReadOnlyError';
  constructor(method: string, path: string) {
    super(`read-only mode: refused ${method} ${path}`);
  }
}

/** Slack on top of wait + wait/16 (Nomad's stagger) before a blocking request times out. */
const BLOCKING_SLACK_MS = 15_000;
const PLAIN_TIMEOUT_MS = 30_000;

export class Transport {
  readonly address: ResolvedAddress;
  private readonly plain: Agent;
  private readonly blocking: Agent;
  /** Exec sessions hold a socket for as long as a shell is open: a pool of their own. */
  private sockets: Agent | undefined;
  private readonly headers: Record<string, string>;
  /** The agent has answered at least once: later connection trouble is not a set-up problem. */
  private answered = false;

  constructor(private readonly config: ClientConfig) {
    this.address = resolveAddress(config.address);
    const connect = this.connectOptions();
    this.plain = new Agent({ connect, keepAliveTimeout: 30_000, connections: 8 });
    // A long-poll holds its socket: blocking queries get their own pool so a stop or a
    // namespace list never queues behind five minutes of waiting.
    this.blocking = new Agent({ connect, keepAliveTimeout: 30_000, connections: 64, pipelining: 0 });
    this.headers = { 'accept-encoding': 'gzip' };
    if (config.token) this.headers['x-nomad-token'] = config.token;
    const basic = config.httpAuth ?? this.address.userinfo;
    if (basic) this.headers.authorization = `Basic ${Buffer.from(basic).toString('base64')}`;
  }

  private connectOptions(): Agent.Options['connect'] {
    const tls = this.config.tls;
    const options: Record<string, unknown> = {};
    if (this.address.socketPath) options.socketPath = this.address.socketPath;
    if (tls?.ca?.length) options.ca = tls.ca;
    if (tls?.cert) options.cert = tls.cert;
    if (tls?.key) options.key = tls.key;
    if (tls?.serverName) options.servername = tls.serverName;
    if (tls?.skipVerify) options.rejectUnauthorized = false;
    return options as Agent.Options['connect'];
  }

  async request<T>(path: string, options: RequestOptions = {}): Promise<Response<T>> {
    const method = options.method ?? 'GET';
    if (method !== 'GET' && this.config.readOnly) throw new ReadOnlyError(method, path);
    const url = this.url(path, options);
    const blocking = options.blocking && options.blocking.index > 0 ? options.blocking : undefined;
    const timeout = blocking
      ? blocking.waitMs + blocking.waitMs / 16 + BLOCKING_SLACK_MS
      : (options.timeoutMs ?? this.config.requestTimeoutMs ?? PLAIN_TIMEOUT_MS);
    const headers = { ...this.headers };
    let body: string | undefined;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] = 'application/json';
    }
    // The whole answer, headers and body, must arrive within the timeout: a body trickling a
    // byte at a time never trips undici's per-chunk timeout.
    const deadline = AbortSignal.timeout(Math.ceil(timeout));
    const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;
    let response: Dispatcher.ResponseData;
    try {
      response = await request(url, {
        method,
        headers,
        body,
        signal,
        dispatcher: blocking ? this.blocking : this.plain,
        headersTimeout: timeout,
        bodyTimeout: timeout,
      });
    } catch (error) {
      throw this.failure(error, method, path, options.signal, deadline);
    }
    const limit = options.maxBytes ?? MAX_ANSWER_BYTES;
    let raw: Buffer;
    try {
      raw = await readCapped(response.body, limit);
    } catch (error) {
      if (error instanceof TooLarge) throw this.tooLarge(method, path, limit);
      throw this.failure(error, method, path, options.signal, deadline);
    }
    if (String(response.headers['content-encoding'] ?? '').includes('gzip')) {
      try {
        raw = await gunzipAsync(raw, { maxOutputLength: limit });
      } catch (error) {
        if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw this.tooLarge(method, path, limit);
        throw this.badBody(method, path);
      }
    }
    const meta = parseMeta(response.headers);
    this.answered = true;
    if (response.statusCode < 200 || response.statusCode >= 300) {
      throw new NomadError(response.statusCode, method, path, raw.toString('utf8'), response.headers['x-nomad-index'] ? meta : undefined);
    }
    let data: T;
    try {
      data = raw.length === 0 ? (undefined as T) : (JSON.parse(raw.toString('utf8')) as T);
    } catch {
      throw this.badBody(method, path);
    }
    return { data, meta };
  }

  /** A streaming GET (the event stream): resolves once the agent answered 200, then yields
   * the body's lines as they arrive. The stream fails when no bytes arrive for idleTimeoutMs
   * (the agent sends a heartbeat every 30 s, so silence means a dead connection). No gzip is
   * asked for: a gzip writer would hold lines back until its buffer fills. */
  /** Opens a streaming GET: the body once the agent answered 200, a NomadError otherwise. */
  private async open(path: string, options: Pick<RequestOptions, 'query' | 'signal' | 'noNamespace'> & { idleTimeoutMs: number }): Promise<Dispatcher.ResponseData['body']> {
    const url = this.url(path, options);
    const headers = { ...this.headers };
    delete headers['accept-encoding'];
    let response: Dispatcher.ResponseData;
    try {
      response = await request(url, { method: 'GET', headers, signal: options.signal, dispatcher: this.blocking, headersTimeout: PLAIN_TIMEOUT_MS, bodyTimeout: options.idleTimeoutMs });
    } catch (error) {
      // Nomad 1.11.2 hijacks the stream's connection and writes "HTTP/0.0 200 OK" (fixed in
      // 1.11.3: command/agent/event_endpoint.go now copies req.Proto); undici rejects it.
      if (isBadHttpVersion(error) && !options.signal?.aborted) throw this.connectionError(Object.assign(new Error('bad HTTP version'), { code: 'BAD_HTTP_VERSION' }), 'GET', path);
      throw this.connectionError(error, 'GET', path, options.signal);
    }
    this.answered = true;
    if (response.statusCode < 200 || response.statusCode >= 300) {
      let text: string;
      try {
        text = await response.body.text();
      } catch (error) {
        throw this.connectionError(error, 'GET', path, options.signal);
      }
      throw new NomadError(response.statusCode, 'GET', path, text);
    }
    return response.body;
  }

  /** A streaming GET whose body is bytes (task logs): resolves once the agent answered 200,
   * then yields the chunks as they arrive. Fails when nothing arrives for idleTimeoutMs (Nomad
   * sends a heartbeat every second). */
  async streamChunks(path: string, options: Pick<RequestOptions, 'query' | 'signal' | 'noNamespace'> & { idleTimeoutMs: number }): Promise<AsyncIterable<Buffer>> {
    const body = await this.open(path, options);
    const failed = (error: unknown, signal?: AbortSignal): Error => this.connectionError(error, 'GET', path, signal);
    return {
      async *[Symbol.asyncIterator]() {
        try {
          for await (const chunk of body as AsyncIterable<Buffer>) yield chunk;
        } catch (error) {
          const code = errorCode(error) === 'UND_ERR_BODY_TIMEOUT' ? 'UND_ERR_BODY_TIMEOUT' : 'STREAM_ENDED';
          throw failed(Object.assign(new Error('stream failed'), { code }), options.signal);
        } finally {
          body.destroy();
        }
      },
    };
  }

  async stream(path: string, options: Pick<RequestOptions, 'query' | 'signal' | 'noNamespace'> & { idleTimeoutMs: number }): Promise<AsyncIterable<string>> {
    const body = await this.open(path, options);
    // The generator's own `this` is not the transport: bound helpers carry it.
    const tooLarge = (): Error => this.tooLarge('GET', path, MAX_STREAM_LINE);
    const badBody = (): Error => this.badBody('GET', path);
    const failed = (error: unknown, signal?: AbortSignal): Error => this.connectionError(error, 'GET', path, signal);
    return {
      async *[Symbol.asyncIterator]() {
        // The unfinished line, as the chunks it came in: a newline byte (never part of a UTF-8
        // sequence) is searched for in each new chunk only, and a line is joined and decoded
        // once. (Appending text and searching it flattened the whole line on every chunk: a
        // 5 MB line cost seconds of copying.)
        let parts: Buffer[] = [];
        let partsBytes = 0;
        let received = 0;
        try {
          for await (const chunk of body as AsyncIterable<Buffer>) {
            received += chunk.length;
            let start = 0;
            let newline: number;
            while ((newline = chunk.indexOf(0x0a, start)) !== -1) {
              const piece = chunk.subarray(start, newline);
              const line = (partsBytes ? Buffer.concat([...parts, piece]) : piece).toString('utf8');
              parts = [];
              partsBytes = 0;
              start = newline + 1;
              if (line.trim()) yield line;
            }
            if (start < chunk.length) {
              parts.push(chunk.subarray(start));
              partsBytes += chunk.length - start;
            }
            // What is left is one unfinished line: an endless one must not take all memory.
            if (partsBytes > MAX_STREAM_LINE) throw new TooLarge();
          }
        } catch (error) {
          if (error instanceof TooLarge) throw tooLarge();
          // A stream that worked and then broke is not a set-up problem (no TLS hints here).
          const code = errorCode(error) === 'UND_ERR_BODY_TIMEOUT' ? 'UND_ERR_BODY_TIMEOUT' : 'STREAM_ENDED';
          throw failed(Object.assign(new Error('stream failed'), { code }), options.signal);
        } finally {
          body.destroy();
        }
        // The agent ended the stream (it closes it on shutdown; a cut line is a broken body).
        if (partsBytes && Buffer.concat(parts).toString('utf8').trim()) throw badBody();
        // Nomad 1.11.2+ answers 200 before it checks the token, region and namespace, and a
        // refusal then closes the connection with nothing written (event_endpoint.go hijacks
        // it; the RPC's 403 has nowhere to go). An accepted stream always starts with `{}`.
        if (received === 0) throw failed(Object.assign(new Error('stream refused'), { code: 'STREAM_REFUSED' }), options.signal);
        throw failed(Object.assign(new Error('stream ended'), { code: 'STREAM_ENDED' }), options.signal);
      },
    };
  }

  private tooLarge(method: string, path: string, limit: number): NomadConnectionError {
    return new NomadConnectionError(this.address.display, 'TOO_LARGE', connectionHint('TOO_LARGE', this.address.display, limit), method, path);
  }

  /** A failed request: the deadline's own abort is a timeout, the caller's abort stays one. */
  private failure(error: unknown, method: string, path: string, signal: AbortSignal | undefined, deadline: AbortSignal): Error {
    if (!signal?.aborted && deadline.aborted) return new NomadConnectionError(this.address.display, 'DEADLINE', connectionHint('DEADLINE', this.address.display), method, path);
    return this.connectionError(error, method, path, signal);
  }

  badBody(method: string, path: string): NomadConnectionError {
    return new NomadConnectionError(this.address.display, 'BAD_BODY', connectionHint('BAD_BODY', this.address.display), method, path);
  }

  private url(path: string, options: Pick<RequestOptions, 'query' | 'noNamespace' | 'blocking'>): string {
    const params = new URLSearchParams();
    if (this.config.region) params.set('region', this.config.region);
    if (this.config.namespace && !options.noNamespace) params.set('namespace', this.config.namespace);
    for (const [key, value] of Object.entries(options.query ?? {})) {
      if (value === undefined) continue;
      if (Array.isArray(value)) {
        params.delete(key);
        for (const item of value) params.append(key, item);
      } else params.set(key, String(value));
    }
    if (options.blocking && options.blocking.index > 0) {
      params.set('index', String(options.blocking.index));
      // The Go client sends wait as "NNNms"; a bare number is rejected with 400 Invalid wait time.
      params.set('wait', `${Math.max(1, Math.round(options.blocking.waitMs))}ms`);
    }
    const query = params.toString();
    return `${this.address.origin}${path}${query ? `?${query}` : ''}`;
  }

  private connectionError(error: unknown, method: string, path: string, signal?: AbortSignal): Error {
    if (signal?.aborted) return signal.reason instanceof Error ? signal.reason : abortError();
    const code = errorCode(error);
    return new NomadConnectionError(this.address.display, code, connectionHint(code, this.address.display, 0, this.answered), method, path);
  }

  /** Opens a WebSocket (exec) with the same address, TLS and auth headers as every request;
   * the token goes as X-Nomad-Token on the upgrade, never in the URL. */
  openWebSocket(path: string, options: Pick<RequestOptions, 'query' | 'noNamespace'>): WebSocket {
    if (this.config.readOnly) throw new ReadOnlyError('EXEC', path);
    this.sockets ??= new Agent({ connect: this.connectOptions(), keepAliveTimeout: 1_000, connections: 4 });
    const headers: Record<string, string> = { ...this.headers };
    delete headers['accept-encoding'];
    return new WebSocket(this.url(path, options).replace(/^http/, 'ws'), { dispatcher: this.sockets, headers });
  }

  async close(): Promise<void> {
    await Promise.all([this.plain.destroy(), this.blocking.destroy(), this.sockets?.destroy()]);
  }
}

function isBadHttpVersion(error: unknown): boolean {
  const { name, message } = (error ?? {}) as { name?: unknown; message?: unknown };
  return name === 'HTTPParserError' && typeof message === 'string' && /Invalid HTTP version/i.test(message);
}

function abortError(): Error {
  const error = new Error('request aborted');
  error.name = 'AbortError';
  return error;
}

/** The most specific code on an undici/Node error or its causes. */
function errorCode(error: unknown): string {
  let current: unknown = error;
  let found = 'UNKNOWN';
  for (let depth = 0; current && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') found = code;
    if (typeof code === 'string' && !code.startsWith('UND_ERR')) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return found;
}

function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** A raft index as Nomad writes it (a uint64 in decimal), or 0 for anything else: "1.5", "-5",
 * "abc" or one past 2^53 sent back as ?index= would be refused (400 Invalid index) or wrong. */
function indexHeader(value: string | undefined): number {
  if (!value || !/^\d{1,16}$/.test(value)) return 0;
  const index = Number(value);
  return Number.isSafeInteger(index) ? index : 0;
}

export function parseMeta(headers: Record<string, string | string[] | undefined>): QueryMeta {
  const lastContact = Number(header(headers, 'x-nomad-lastcontact') ?? 0);
  const nextToken = header(headers, 'x-nomad-nexttoken');
  return {
    index: indexHeader(header(headers, 'x-nomad-index')),
    knownLeader: header(headers, 'x-nomad-knownleader') === 'true',
    lastContact: Number.isFinite(lastContact) && lastContact >= 0 ? lastContact : 0,
    ...(nextToken ? { nextToken } : {}),
  };
}
