// What a simulator route handler gets: the parsed request, the caller's identity, the
// simulator, and a blocking-query helper implementing REFERENCE §3.
import type { IncomingMessage } from 'node:http';
import type { Simulator } from '../simulator.js';
import type { NomadBehaviour } from '../version.js';
import type { Identity } from './acl.js';
import type { QueryOptions } from './query.js';
import type { Meta } from './respond.js';

export interface LeaderState {
  known: boolean;
  /** When the leader was last heard from (ms epoch); LastContact = now - this when not known. */
  lostAt: number;
}

export interface RouteContext {
  req: IncomingMessage;
  method: string;
  params: URLSearchParams;
  query: QueryOptions;
  /** undefined when ACLs are off. */
  identity: Identity | undefined;
  /** Resolves the caller's token now (routes that check their query first, as Nomad does). */
  authenticate: () => Identity | undefined;
  sim: Simulator;
  leader: LeaderState;
  /** Resolves when the request's connection closes. */
  closed: Promise<void>;
  /** The Nomad release the simulator plays. */
  behaviour: NomadBehaviour;
}

/** A JSON answer: raw JSON text (or, for a list, its items' texts: a long one is written a
 * batch at a time, never one string) plus meta headers (read meta, index only, or none). */
export type Reply = ({ json: string; items?: undefined } | { items: readonly string[]; json?: undefined }) & { meta?: Meta | { index: number } };

/** The answer's JSON text, whole. */
export function replyJson(reply: Reply): string {
  return reply.json ?? `[${reply.items.join(',')}]`;
}

export const MAX_BLOCK_MS = 300_000;

/** REFERENCE §3: with index > 0, wait until indexOf() > index, or wait (clamped to 300 s, ≤0 →
 * 300 s) plus a stagger in [0, wait/16); then answer with whatever is current.
 * `watched`: what the query's memdb watch set covers, when that is narrower than indexOf: a
 * namespaced list watches its namespace's prefix of the table, so a write elsewhere moves the
 * table's index (the answer's) without waking it (nomad/state: AllocsByNamespace). */
export async function block(ctx: RouteContext, indexOf: () => number, watched: () => number = indexOf): Promise<void> {
  const { index, waitMs } = ctx.query;
  if (index <= 0 || indexOf() > index) return;
  const watchedAtStart = watched();
  const wait = waitMs <= 0 || waitMs > MAX_BLOCK_MS ? MAX_BLOCK_MS : waitMs;
  const timeout = wait + Math.random() * (wait / 16);
  await new Promise<void>((resolve) => {
    let unsubscribe = (): void => {};
    const timer = setTimeout(done, timeout);
    function done(): void {
      clearTimeout(timer);
      unsubscribe();
      resolve();
    }
    unsubscribe = ctx.sim.cluster.onChange(() => {
      if (watched() !== watchedAtStart && indexOf() > index) done();
    });
    void ctx.closed.then(done);
  });
}

export function readMeta(ctx: RouteContext, index: number, nextToken?: string): Meta {
  return {
    index,
    knownLeader: ctx.leader.known,
    lastContactMs: ctx.leader.known ? 0 : Math.max(0, Date.now() - ctx.leader.lostAt),
    ...(nextToken ? { nextToken } : {}),
  };
}
