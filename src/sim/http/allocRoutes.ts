// The allocation endpoints of the simulator: list (namespace, prefix, filter, pagination,
// reverse, task_states, resources), read, services, stop, restart, signal, stats.
import { fullAllocation, stubJson } from '../encode.js';
import { allocStatsJson } from '../statsAndChecks.js';
import { evaluate, FilterEvalError } from '../filter/evaluate.js';
import { FilterSyntaxError, parseFilter, type Expr } from '../filter/parse.js';
import type { SimAlloc } from '../model.js';
import { SimHttpError } from '../simError.js';
import { allowedNamespaces, allows, demand } from './acl.js';
import { block, readMeta, type Reply, type RouteContext } from './context.js';
import { boolParam } from './query.js';

/** `*` lists the namespaces the token may read (all of them, or a 403 when none). */
function readableNamespaces(ctx: RouteContext): Set<string> | 'all' {
  const { query, identity } = ctx;
  if (query.namespace === '*') {
    if (!allows(identity, 'read-job')) throw new SimHttpError(403, 'Permission denied');
    if (!identity?.namespaces) return 'all';
    return new Set(allowedNamespaces(identity, 'read-job', ctx.sim.cluster.namespaces.map((ns) => ns.Name)));
  }
  demand(identity, 'read-job', query.namespace);
  return new Set([query.namespace]);
}

/** Nomad validates a list prefix as (part of) a UUID: even length, hex only. */
function checkPrefix(prefix: string): void {
  const hex = prefix.replaceAll('-', '');
  const bad = /[^0-9a-fA-F]/.exec(hex);
  if (bad) {
    const ch = bad[0];
    const code = (ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
    throw new SimHttpError(500, `alloc lookup failed: index error: Invalid UUID: encoding/hex: invalid byte: U+${code} '${ch}'`);
  }
  if (hex.length % 2 === 1) throw new SimHttpError(500, 'alloc lookup failed: index error: Input (without hyphens) must be even length');
}

function pageToken(sim: SimAlloc, byId: boolean): string {
  return byId ? (sim.alloc.ID ?? '') : `${sim.alloc.CreateIndex ?? 0}.${sim.alloc.ID ?? ''}`;
}

/** Compares an allocation with a next_token in list order (-1 before, 0 at, 1 after). */
function compareToToken(sim: SimAlloc, token: string, byId: boolean): number {
  const id = sim.alloc.ID ?? '';
  if (byId) return id < token ? -1 : id > token ? 1 : 0;
  const dot = token.indexOf('.');
  const tokenIndex = Number(dot === -1 ? token : token.slice(0, dot));
  const tokenId = dot === -1 ? '' : token.slice(dot + 1);
  const createIndex = sim.alloc.CreateIndex ?? 0;
  if (createIndex !== tokenIndex) return createIndex < tokenIndex ? -1 : 1;
  return id < tokenId ? -1 : id > tokenId ? 1 : 0;
}

export async function listAllocations(ctx: RouteContext): Promise<Reply> {
  const { query, params, sim } = ctx;
  const taskStates = boolParam(params, 'task_states', true);
  const resources = boolParam(params, 'resources', false);
  const namespaces = readableNamespaces(ctx);
  if (query.prefix) checkPrefix(query.prefix);
  let expr: Expr | undefined;
  if (query.filter) {
    try {
      expr = parseFilter(query.filter);
    } catch (error) {
      if (error instanceof FilterSyntaxError) throw new SimHttpError(400, `failed to create result paginator: failed to read filter expression: ${error.message}`);
      throw error;
    }
  }
  // One namespace: woken only by its own writes, answered with the table's index.
  const watched = namespaces === 'all' ? undefined : () => Math.max(0, ...[...namespaces].map((ns) => sim.cluster.allocsIndexByNamespace.get(ns) ?? 0));
  await block(ctx, () => sim.cluster.allocsIndex, watched);

  const byId = query.prefix !== '';
  let items = byId
    ? [...sim.cluster.ordered].filter((s) => (s.alloc.ID ?? '').startsWith(query.prefix)).sort((a, b) => ((a.alloc.ID ?? '') < (b.alloc.ID ?? '') ? -1 : 1))
    : sim.cluster.ordered;
  if (query.reverse) items = [...items].reverse();
  const direction = query.reverse ? -1 : 1;

  const parts: string[] = [];
  let nextToken: string | undefined;
  // A later page starts where its token points: Nomad seeks there in its index (go-memdb's
  // LowerBound, nomad/state/paginator), so neither it nor this walks the pages before it.
  let from = 0;
  if (query.nextToken && !query.reverse) {
    let high = items.length;
    while (from < high) {
      const mid = (from + high) >>> 1;
      if (compareToToken(items[mid] as SimAlloc, query.nextToken, byId) < 0) from = mid + 1;
      else high = mid;
    }
  }
  for (let at = from; at < items.length; at++) {
    const item = items[at] as SimAlloc;
    if (namespaces !== 'all' && !namespaces.has(item.alloc.Namespace ?? '')) continue;
    if (query.nextToken && compareToToken(item, query.nextToken, byId) * direction < 0) continue;
    if (expr) {
      try {
        if (!evaluate(expr, item.alloc)) continue;
      } catch (error) {
        if (error instanceof FilterEvalError) throw new SimHttpError(400, `failed to read result page: ${error.message}`);
        throw error;
      }
    }
    if (query.perPage > 0 && parts.length === query.perPage) {
      nextToken = pageToken(item, byId);
      break;
    }
    parts.push(stubJson(item, { taskStates, resources }));
  }
  return { items: parts, meta: readMeta(ctx, sim.cluster.allocsIndex, nextToken) };
}

function lookup(ctx: RouteContext, id: string): SimAlloc {
  const sim = ctx.sim.cluster.get(id);
  if (!sim) throw new SimHttpError(404, `Unknown allocation "${id}"`);
  return sim;
}

export async function readAllocation(ctx: RouteContext, id: string): Promise<Reply> {
  const { cluster } = ctx.sim;
  if (id.length !== 36) throw new SimHttpError(500, 'alloc lookup failed: index error: UUID must be 36 characters');
  const indexOf = (): number => cluster.get(id)?.alloc.ModifyIndex ?? cluster.allocsIndex;
  await block(ctx, indexOf);
  const sim = cluster.get(id);
  if (!sim) throw new SimHttpError(404, 'alloc not found', readMeta(ctx, cluster.allocsIndex));
  // A valid token lacking read-job: the RPC answers as if the allocation were unknown.
  if (!allows(ctx.identity, 'read-job', sim.alloc.Namespace ?? '')) throw new SimHttpError(500, `Unknown allocation "${id}"`);
  return { json: JSON.stringify(fullAllocation(sim)), meta: readMeta(ctx, indexOf()) };
}

export async function allocationServices(ctx: RouteContext, id: string): Promise<Reply> {
  const { cluster } = ctx.sim;
  demand(ctx.identity, 'read-job', ctx.query.namespace);
  const sim = cluster.get(id);
  if (!sim || sim.alloc.Namespace !== ctx.query.namespace) {
    // nomad/alloc_endpoint.go GetServiceRegistrations: the lookup runs inside the blocking
    // query, and a watch on an allocation that is not there never fires: the whole wait
    // passes, then the 404, with index 0.
    await block(ctx, () => 0);
    throw new SimHttpError(404, 'allocation not found', readMeta(ctx, 0));
  }
  // The answer carries the table's index, so a query asked below it answers at once; one asked
  // at it waits on its watch set: the allocation's own row and its registrations (AllocByID,
  // GetServiceRegistrationsByAllocID: a memdb iterator's watch on the alloc_id prefix), not
  // the whole table: another allocation's registration does not wake it (nomad/alloc_endpoint.go
  // GetServiceRegistrations, nomad/state/state_store_service_registration.go, 1.6-2.0). With no
  // registrations the prefix has no node of its own and the watch lands on an ancestor that
  // other writes touch: such a query wakes on the table.
  const indexOf = (): number => Math.max(1, cluster.servicesIndex);
  const watched = (): number => (cluster.servicesByAlloc.has(id) ? Math.max(cluster.get(id)?.alloc.ModifyIndex ?? 0, cluster.servicesChangedAt.get(id) ?? 0) : indexOf());
  await block(ctx, indexOf, watched);
  return { json: JSON.stringify(cluster.servicesByAlloc.get(id) ?? []), meta: readMeta(ctx, indexOf()) };
}

export function stopAllocation(ctx: RouteContext, id: string): Reply {
  const noShutdownDelay = boolParam(ctx.params, 'no_shutdown_delay', false);
  boolParam(ctx.params, 'reschedule', false);
  const sim = ctx.sim.cluster.get(id);
  if (!sim) throw new SimHttpError(404, 'allocation not found');
  demand(ctx.identity, 'alloc-lifecycle', sim.alloc.Namespace ?? '');
  const result = ctx.sim.stop(id, noShutdownDelay);
  return { json: JSON.stringify({ EvalID: result.EvalID, Index: result.Index }), meta: { index: result.Index } };
}

function decode(body: string): Record<string, unknown> {
  if (body.trim() === '') throw new SimHttpError(400, 'Failed to decode body: Request body is empty');
  try {
    const value = JSON.parse(body) as unknown;
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  } catch (error) {
    throw new SimHttpError(400, `Failed to decode body: invalid character ${(error as Error).message}`);
  }
}

/** Answers once the tasks were killed and exited (Simulator.restart), as a Nomad client does. */
export async function restartAllocation(ctx: RouteContext, id: string, body: string): Promise<Reply> {
  const request = body.trim() === '' ? {} : decode(body);
  demand(ctx.identity, 'alloc-lifecycle', lookup(ctx, id).alloc.Namespace ?? '');
  await ctx.sim.restart(id, { TaskName: typeof request.TaskName === 'string' ? request.TaskName : undefined, AllTasks: request.AllTasks === true });
  return { json: '{"Index":0}' };
}

export function signalAllocation(ctx: RouteContext, id: string, body: string): Reply {
  const request = decode(body);
  demand(ctx.identity, 'alloc-lifecycle', lookup(ctx, id).alloc.Namespace ?? '');
  ctx.sim.signal(id, typeof request.Signal === 'string' ? request.Signal : '', typeof request.Task === 'string' ? request.Task : '');
  return { json: '{"Index":0}' };
}

export function allocationStats(ctx: RouteContext, id: string): Reply {
  const sim = lookup(ctx, id);
  demand(ctx.identity, 'read-job', sim.alloc.Namespace ?? '');
  // Not a blocking query, and answered without X-Nomad-* headers (a client RPC's raw reply).
  return { json: allocStatsJson(sim, ctx.params.get('task') ?? '', Date.now(), ctx.sim.bootMs) };
}
