// GET /v1/event/stream (REFERENCE §6): newline-delimited JSON from the cluster's event broker,
// filtered by topic and namespace, with a `{}` heartbeat first and then every heartbeatMs.
// Written the Nomad 2.0 way: the connection is hijacked, so the answer has `Connection: close`,
// no chunking and no gzip, and its end is the connection's end.
import type { ServerResponse } from 'node:http';
import type { BrokerEvent, BrokerItem } from '../eventBroker.js';
import type { Simulator } from '../simulator.js';
import { SimHttpError } from '../simError.js';
import type { Identity } from './acl.js';
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

/** Allocation events need read-job in the namespace; any other topic (or `*`) needs a
 * management token here, since the simulator publishes nothing else a policy could grant. */
export function demandTopics(identity: Identity | undefined, topics: Topics): void {
  if (!identity || identity.type === 'management') return;
  for (const name of topics.keys()) {
    if (name !== 'Allocation' || !identity.capabilities.has('read-job')) throw new SimHttpError(403, 'Permission denied');
  }
}

function wanted(event: BrokerEvent, topics: Topics, namespace: string): boolean {
  if (namespace !== '*' && event.namespace !== namespace) return false;
  const keys = topics.get(event.topic) ?? topics.get('*');
  if (!keys) return false;
  return keys.some((key) => key === '*' || key === event.key || event.filterKeys.includes(key));
}

export interface StreamRequest {
  res: ServerResponse;
  sim: Simulator;
  counters: Counters;
  namespace: string;
  index: number;
  topics: Topics;
  heartbeatMs: number;
  /** A fault for this request: cut the connection after the first line, or end mid-line. */
  fault?: 'reset-mid' | 'truncated';
}

export function streamEvents(request: StreamRequest): void {
  const { res, sim, counters, namespace, topics } = request;
  if (res.destroyed) return;
  res.useChunkedEncodingByDefault = false;
  res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache', Connection: 'close' });
  const write = (text: string): void => {
    if (res.destroyed || res.writableEnded) return;
    res.write(text);
    counters.bytesOut += Buffer.byteLength(text);
  };
  write('{}\n');
  if (request.fault === 'reset-mid') {
    setImmediate(() => res.socket?.destroy());
    return;
  }
  if (request.fault === 'truncated') {
    write('{"Index":');
    res.end();
    return;
  }
  const deliver = (item: BrokerItem): void => {
    const events = item.events.filter((event) => wanted(event, topics, namespace));
    if (events.length) write(`{"Index":${item.index},"Events":[${events.map((event) => event.json).join(',')}]}\n`);
  };
  const unsubscribe = sim.cluster.broker.subscribe(request.index, deliver);
  const heartbeat = setInterval(() => write('{}\n'), request.heartbeatMs);
  heartbeat.unref();
  counters.streams += 1;
  res.on('close', () => {
    counters.streams -= 1;
    clearInterval(heartbeat);
    unsubscribe();
  });
}
