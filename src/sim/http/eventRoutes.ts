// GET /v1/event/stream (REFERENCE §6): newline-delimited JSON from the cluster's event broker,
// filtered by topic and namespace, with a `{}` heartbeat first and then every heartbeatMs.
// Framed as the release the simulator plays (version.ts): a chunked answer before 1.11.2;
// from 1.11.2 a hijacked connection (`Connection: close`, no chunking, no gzip, its end is the
// connection's end, and a refusal is a "200 OK" that closes with no body).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Writable } from 'node:stream';
import type { BrokerEvent, BrokerItem } from '../eventBroker.js';
import type { Simulator } from '../simulator.js';
import type { NomadBehaviour } from '../version.js';
import { SimHttpError } from '../simError.js';
import { allows, type Identity } from './acl.js';
import type { HostileTransport } from './hostileTransport.js';
import type { Counters } from './respond.js';

export const HEARTBEAT_MS = 30_000;

/** Topic → keys ("*" = every key), from repeated topic=Topic[:Key] parameters. */
export type Topics = Map<string, string[]>;

/** command/agent/event_endpoint.go: index via strconv.Atoi, then topics. No topic = `*:*`. */
export function parseEventQuery(params: URLSearchParams): { index: number; topics: Topics } {
  const rawIndex = params.get('index') || '0';
  if (!/^[-+]?\d+$/.test(rawIndex)) throw new SimHttpError(400, `Unable to parse index: strconv.Atoi: parsing ${JSON.stringify(rawIndex)}: invalid syntax`);
  const index = Math.max(0, Number(rawIndex));
  const topics: Topics = new Map();
  const raw = params.getAll('topic');
  if (raw.length === 0) topics.set('*', ['*']);
  for (const topic of raw) {
    const parts = topic.split(':');
    if (parts.length > 2) throw new SimHttpError(400, `Invalid topic query: error parsing topics: Invalid key value pair for topic, topic: ${topic}`);
    const [name = '', key = '*'] = parts;
    topics.set(name, [...(topics.get(name) ?? []), key]);
  }
  return { index, topics };
}

/** Allocation events need read-job in the namespace, and for `*` in every namespace there is
 * (nomad/event_endpoint.go validateACL); any other topic (or `*`) needs a management token
 * here, since the simulator publishes nothing else a policy could grant. */
export function demandTopics(identity: Identity | undefined, topics: Topics, namespace: string, namespaces: readonly string[]): void {
  if (!identity || identity.type === 'management') return;
  for (const name of topics.keys()) {
    if (name !== 'Allocation') throw new SimHttpError(403, 'Permission denied');
    const needed = namespace === '*' ? namespaces : [namespace];
    if (!needed.every((ns) => allows(identity, 'read-job', ns))) throw new SimHttpError(403, 'Permission denied');
  }
}

function wanted(event: BrokerEvent, topics: Topics, namespace: string): boolean {
  if (namespace !== '*' && event.namespace !== namespace) return false;
  const keys = topics.get(event.topic) ?? topics.get('*');
  if (!keys) return false;
  return keys.some((key) => key === '*' || key === event.key || event.filterKeys.includes(key));
}

export interface StreamRequest {
  req: IncomingMessage;
  res: ServerResponse;
  sim: Simulator;
  counters: Counters;
  behaviour: NomadBehaviour;
  namespace: string;
  index: number;
  topics: Topics;
  heartbeatMs: number;
  /** A hostile agent's changes to the stream. */
  hostile?: HostileTransport;
  /** Region and ACL checks, run after the answer started on agents that hijack the stream. */
  authorize: () => void;
  /** A fault for this request: cut the connection after the first line, or end mid-line. */
  fault?: 'reset-mid' | 'truncated';
}

/** Where the stream's bytes go: Node's response (chunked), or the bare socket after a hijack. */
interface Sink {
  write(text: string): void;
  end(): void;
  destroy(): void;
  onClose(listener: () => void): void;
}

/** Writes to a response or a bare socket, counting bytes, never after it ended. */
function writableSink(out: Writable, counters: Counters): Sink {
  return {
    write(text) {
      if (out.destroyed || out.writableEnded) return;
      out.write(text);
      counters.bytesOut += Buffer.byteLength(text);
    },
    end: () => out.end(),
    destroy: () => out.destroy(),
    onClose: (listener) => out.on('close', listener),
  };
}

/** Agents before 1.11.2: an ordinary chunked answer, and errors as statuses before it starts. */
function responseSink(res: ServerResponse, counters: Counters): Sink {
  res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache', Vary: 'Accept-Encoding' });
  return writableSink(res, counters);
}

/** 1.11.2+: the connection is taken from net/http and a bare "200 OK" written on it, with the
 * request's protocol version (none at 1.11.2), no chunking and no gzip; the end of the stream
 * is the end of the connection. */
function hijackedSink(req: IncomingMessage, behaviour: NomadBehaviour, counters: Counters): Sink {
  const proto = behaviour.http00StatusLine ? 'HTTP/0.0' : `HTTP/${req.httpVersion}`;
  const sink = writableSink(req.socket, counters);
  sink.write(`${proto} 200 OK\r\nCache-Control: no-cache\r\nConnection: close\r\nContent-Type: application/json\r\nVary: Accept-Encoding\r\n\r\n`);
  return sink;
}

export function streamEvents(request: StreamRequest): void {
  const { req, res, sim, counters, namespace, topics, behaviour } = request;
  if (res.destroyed) return;
  let sink: Sink;
  if (behaviour.hijackedStream) {
    sink = hijackedSink(req, behaviour, counters);
    try {
      request.authorize();
    } catch (error) {
      // The RPC's 403 (or "No path to region") has nowhere to go: the connection just closes.
      if (!(error instanceof SimHttpError)) throw error;
      sink.end();
      return;
    }
  } else {
    request.authorize();
    sink = responseSink(res, counters);
  }
  // Nomad's JsonStream writes a heartbeat as soon as the subscription exists.
  sink.write('{}\n');
  if (request.fault === 'reset-mid') {
    setImmediate(() => sink.destroy());
    return;
  }
  if (request.fault === 'truncated') {
    sink.write('{"Index":');
    sink.end();
    return;
  }
  const { hostile } = request;
  hostile?.streamStart((text) => sink.write(text));
  // A namespace=* subscription on 1.9.6+ is pinned to the namespaces that exist now.
  const pinned = namespace === '*' && behaviour.pinnedNamespaces ? new Set(sim.cluster.namespaces.map((ns) => ns.Name)) : undefined;
  const deliver = (item: BrokerItem): void => {
    const events = item.events.filter((event) => wanted(event, topics, namespace) && (!pinned || pinned.has(event.namespace)));
    if (!events.length) return;
    sink.write(`{"Index":${item.index},"Events":[${events.map((event) => (hostile ? hostile.event(event.json) : event.json)).join(',')}]}\n`);
    hostile?.afterFrame((text) => sink.write(text));
  };
  const unsubscribe = sim.cluster.broker.subscribe(request.index, deliver);
  const heartbeat = setInterval(() => sink.write('{}\n'), request.heartbeatMs);
  heartbeat.unref();
  counters.streams += 1;
  sink.onClose(() => {
    counters.streams -= 1;
    clearInterval(heartbeat);
    unsubscribe();
  });
}
