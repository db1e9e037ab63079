// The simulator's HTTP server (node:http or node:https, TCP or a unix socket): routes the
// endpoints of REFERENCE §1 in Nomad's check order — method, query parse, region, leader,
// ACL — and counts requests and bytes for tests and benchmarks.
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { FaultInjector, type FaultProfile, type RequestFault } from '../faults.js';
import { Simulator, type SimulatorOptions } from '../simulator.js';
import { nomadBehaviour, type NomadBehaviour } from '../version.js';
import { SimHttpError } from '../simError.js';
import type { HostileCase } from '../hostile.js';
import { Acl } from './acl.js';
import { HostileTransport } from './hostileTransport.js';
import * as allocs from './allocRoutes.js';
import * as clusterRoutes from './clusterRoutes.js';
import * as tools from './toolRoutes.js';
import * as logs from './logRoutes.js';
import { EXEC_PATH, execServer, parseExecQuery } from './execRoutes.js';
import { demandTopics, HEARTBEAT_MS, parseEventQuery, streamEvents } from './eventRoutes.js';
import { replyJson, type LeaderState, type Reply, type RouteContext } from './context.js';
import { parseQuery } from './query.js';
import { countRequest, metaHeaders, newCounters, readBody, sendError, sendJson, sendNotFound, type Counters } from './respond.js';

type Handler = (ctx: RouteContext, id: string, body: string) => Reply | Promise<Reply>;

interface Route {
  pattern: RegExp;
  /** Methods the handler accepts; others get 405 Invalid method. null = no method check. */
  methods: readonly string[] | null;
  /** Client-local endpoints (/v1/client/...): no leader needed; unknown token → "ACL token not found". */
  client?: boolean;
  /** Writes need a leader even with ?stale. */
  write?: boolean;
  /** Answered by the agent itself, not a server RPC: no leader, no ACL. */
  local?: boolean;
  /** Answers with a stream it writes itself (the event stream), instead of one JSON body. */
  stream?: boolean;
  handler?: Handler;
  /** Writes its own answer (task logs): checks first (throwing SimHttpError before the first
   * byte), then streams. Authenticates when it gets there, through ctx.authenticate. */
  raw?: (ctx: RouteContext, res: ServerResponse, id: string) => Promise<void>;
}

const GET = ['GET'] as const;
const WRITE = ['PUT', 'POST'] as const;

const ROUTES: readonly Route[] = [
  { pattern: /^\/v1\/allocations$/, methods: GET, handler: (ctx) => allocs.listAllocations(ctx) },
  { pattern: /^\/v1\/allocation\/([^/]+)$/, methods: GET, handler: (ctx, id) => allocs.readAllocation(ctx, id) },
  { pattern: /^\/v1\/allocation\/([^/]+)\/services$/, methods: GET, handler: (ctx, id) => allocs.allocationServices(ctx, id) },
  { pattern: /^\/v1\/allocation\/([^/]+)\/stop$/, methods: WRITE, write: true, handler: (ctx, id) => allocs.stopAllocation(ctx, id) },
  { pattern: /^\/v1\/client\/allocation\/([^/]+)\/signal$/, methods: WRITE, client: true, handler: (ctx, id, body) => allocs.signalAllocation(ctx, id, body) },
  { pattern: /^\/v1\/client\/allocation\/([^/]+)\/restart$/, methods: null, client: true, handler: (ctx, id, body) => allocs.restartAllocation(ctx, id, body) },
  { pattern: /^\/v1\/client\/fs\/logs\/(.*)$/, methods: null, client: true, raw: (ctx, res, id) => logs.logsRoute(ctx, res, id) },
  // A plain GET of the exec path (no WebSocket upgrade): the query is parsed first, then
  // up to 2.0.2 gorilla's Upgrade refuses it (400 Bad Request); 2.0.3+ finds no upgraded
  // connection in the request's context (websockets.go getWebsocketConnection).
  {
    pattern: EXEC_PATH,
    methods: null,
    client: true,
    handler: (ctx) => {
      parseExecQuery(ctx.params, ctx.sim.cluster.region);
      if (ctx.behaviour.earlyWebsocketUpgrade) throw new SimHttpError(500, 'websocket connection not found in context');
      throw new SimHttpError(400, 'Bad Request');
    },
  },
  { pattern: /^\/v1\/client\/allocation\/([^/]+)\/stats$/, methods: null, client: true, handler: (ctx, id) => allocs.allocationStats(ctx, id) },
  { pattern: /^\/v1\/namespaces$/, methods: GET, handler: (ctx) => clusterRoutes.listNamespaces(ctx) },
  { pattern: /^\/v1\/regions$/, methods: null, local: true, handler: (ctx) => clusterRoutes.listRegions(ctx) },
  { pattern: /^\/v1\/status\/leader$/, methods: GET, local: true, handler: (ctx) => clusterRoutes.statusLeader(ctx) },
  { pattern: /^\/v1\/acl\/token\/self$/, methods: GET, handler: (ctx) => clusterRoutes.tokenSelf(ctx) },
  { pattern: /^\/v1\/acl\/policy\/([^/]+)$/, methods: GET, handler: (ctx, name) => clusterRoutes.readPolicy(ctx, decodeURIComponent(name)) },
  { pattern: /^\/v1\/evaluation\/([^/]+)$/, methods: GET, handler: (ctx, id) => clusterRoutes.readEvaluation(ctx, id) },
  { pattern: /^\/v1\/event\/stream$/, methods: GET, stream: true },
  { pattern: /^\/v1\/evaluation\/([^/]+)\/allocations$/, methods: GET, handler: (ctx, id) => tools.evaluationAllocations(ctx, id) },
  { pattern: /^\/v1\/allocation\/([^/]+)\/checks$/, methods: GET, handler: (ctx, id) => tools.allocationChecks(ctx, id) },
  { pattern: /^\/v1\/jobs$/, methods: GET, handler: (ctx) => tools.listJobs(ctx) },
  { pattern: /^\/v1\/job\/([^/]+)$/, methods: GET, handler: (ctx, id) => tools.readJob(ctx, id) },
  { pattern: /^\/v1\/node\/([^/]+)$/, methods: GET, handler: (ctx, id) => tools.readNode(ctx, id) },
  { pattern: /^\/v1\/agent\/self$/, methods: GET, local: true, handler: (ctx) => tools.agentSelf(ctx, ctx.behaviour.version) },
];

export interface SimServerOptions extends SimulatorOptions {
  port?: number;
  host?: string;
  /** Listen on a unix socket instead of TCP. */
  socketPath?: string;
  /** ACL mode: tokens are generated unless given. */
  acl?: boolean | { management?: string; readOnly?: string };
  tls?: { cert: string; key: string; clientCa?: string };
  faults?: FaultProfile;
  /** Play a hostile agent: every answer malformed the way the case says (hostile.ts). */
  hostile?: HostileCase;
  /** Event stream heartbeat period (Nomad: 30 s). */
  eventHeartbeatMs?: number;
  /** false: no /v1/event/stream (agents before 1.0 answer 404, as for any unknown path). */
  eventStream?: boolean;
  /** How long a request is held while there is no leader (Nomad: 5 s). */
  rpcHoldTimeoutMs?: number;
  /** The Nomad release to behave as (version.ts); default DEFAULT_NOMAD_VERSION. */
  nomadVersion?: string;
}

export interface SimServer {
  url: string;
  behaviour: NomadBehaviour;
  sim: Simulator;
  acl?: Acl;
  counters: Counters;
  leader: LeaderState;
  faults: FaultInjector;
  server: Server;
  /** Drops every connection and stops listening for downMs, then listens on the same address. */
  restart(downMs: number): Promise<void>;
  close(): Promise<void>;
}

export async function startSimServer(options: SimServerOptions = {}): Promise<SimServer> {
  const behaviour = nomadBehaviour(options.nomadVersion);
  const sim = new Simulator(options);
  const acl = options.acl ? new Acl(typeof options.acl === 'object' ? options.acl : undefined) : undefined;
  const counters = newCounters();
  const leader: LeaderState = { known: true, lostAt: 0 };
  const hostile = options.hostile ? new HostileTransport(options.hostile) : undefined;

  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    void handle(req, res).catch((error: unknown) => {
      sendError(res, counters, 500, error instanceof Error ? error.message : String(error));
    });
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sim');
    const method = req.method ?? 'GET';
    countRequest(counters, url);
    if (method !== 'GET') counters.mutating += 1;
    const fault: RequestFault | undefined = method === 'GET' && url.pathname.startsWith('/v1/') ? faults.forRequest() : undefined;
    if (fault === 'reset-before') {
      req.socket.destroy();
      return;
    }
    if (fault === 'slow-headers') await new Promise((resolve) => setTimeout(resolve, faults.slowHeadersMs));

    hostile?.rewriteQuery(url);
    if (hostile?.takeOver(res, url.pathname)) {
      await readBody(req).catch(() => '');
      return;
    }
    const found = match(url.pathname);
    if (!found || (found.route.stream && options.eventStream === false)) {
      if (url.pathname.startsWith('/v1/allocation/')) sendError(res, counters, 404, 'resource not found');
      else sendNotFound(res);
      await readBody(req).catch(() => '');
      return;
    }
    const { route, id } = found;
    const body = await readBody(req);
    if (route.stream) {
      try {
        if (route.methods && !route.methods.includes(method)) throw new SimHttpError(405, 'Invalid method');
        // event_endpoint.go parses index and topics first, then the usual region/namespace/token.
        // No leader check: any server streams from its own broker (without a leader there are
        // simply no writes, so no events).
        const { index, topics } = parseEventQuery(url.searchParams);
        const authorize = (): void => {
          if ((url.searchParams.get('region') || sim.cluster.region) !== sim.cluster.region) throw new SimHttpError(500, 'No path to region');
          demandTopics(acl ? acl.authenticate(req, false) : undefined, topics, url.searchParams.get('namespace') || 'default', sim.cluster.namespaces.map((ns) => ns.Name));
        };
        const mangle = fault === 'reset-mid' || fault === 'truncated' ? fault : undefined;
        streamEvents({ req, res, sim, counters, behaviour, hostile, namespace: url.searchParams.get('namespace') || 'default', index, topics, authorize, heartbeatMs: options.eventHeartbeatMs ?? HEARTBEAT_MS, fault: mangle });
      } catch (error) {
        if (error instanceof SimHttpError) sendError(res, counters, error.status, error.body);
        else throw error;
      }
      return;
    }
    const handler = route.handler;
    if (!handler && !route.raw) throw new Error(`route ${route.pattern.source} has no handler`);
    const closed = new Promise<void>((resolve) =>
      res.on('close', () => {
        if (!res.writableFinished) counters.abandoned += 1;
        resolve();
      }),
    );
    try {
      if (route.methods && !route.methods.includes(method)) throw new SimHttpError(405, 'Invalid method');
      const query = parseQuery(url.searchParams, sim.cluster.region);
      if (query.region !== sim.cluster.region) throw new SimHttpError(500, 'No path to region');
      if (!route.local && !route.client && !leader.known && (route.write || !query.stale)) {
        // A server without a leader holds the RPC for RPCHoldTimeout (5 s) hoping one appears
        // (nomad/rpc.go forward / nomad/config.go RPCHoldTimeout), then gives up.
        await waitForLeader(leader, options.rpcHoldTimeoutMs ?? RPC_HOLD_TIMEOUT_MS, closed);
        if (!leader.known) throw new SimHttpError(500, 'No cluster leader');
      }
      const authenticate = (): RouteContext['identity'] => (acl && !route.local ? acl.authenticate(req, route.client === true) : undefined);
      if (route.raw) {
        try {
          await route.raw({ req, method, params: url.searchParams, query, identity: undefined, authenticate, sim, leader, closed, behaviour }, res, id);
        } catch (error) {
          // An error once the stream has begun just ends its body (fs_endpoint.go).
          if (res.headersSent) res.end();
          else throw error;
        }
        return;
      }
      const identity = authenticate();
      const ctx: RouteContext = { req, method, params: url.searchParams, query, identity, authenticate, sim, leader, closed, behaviour };
      const reply = await (handler as Handler)(ctx, id, body);
      const headers = metaHeaders(reply.meta);
      await sendJson(req, res, counters, hostile ? hostile.json(replyJson(reply)) : (reply.items ?? reply.json), hostile ? hostile.headers(headers) : headers, url.searchParams.has('pretty'), fault === 'reset-mid' || fault === 'truncated' ? fault : undefined);
    } catch (error) {
      if (error instanceof SimHttpError) sendError(res, counters, error.status, error.body, metaHeaders(error.meta));
      else throw error;
    }
  }

  const server: Server = options.tls
    ? createHttpsServer({ cert: options.tls.cert, key: options.tls.key, ca: options.tls.clientCa, requestCert: Boolean(options.tls.clientCa), rejectUnauthorized: Boolean(options.tls.clientCa) }, listener)
    : createHttpServer(listener);
  // Exec sessions arrive as WebSocket upgrades (execRoutes.ts).
  const exec = execServer({ sim, acl, counters, behaviour });
  server.on('upgrade', (req: IncomingMessage, socket, head: Buffer) => exec.upgrade(req, socket, head));
  // Blocking queries hold requests for up to 5 minutes: no server-side request timeout.
  server.requestTimeout = 0;
  server.keepAliveTimeout = 30_000;

  const listen = (port: number): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      const done = (): void => {
        server.off('error', reject);
        resolve();
      };
      if (options.socketPath) server.listen(options.socketPath, done);
      else server.listen(port, options.host ?? '127.0.0.1', done);
    });
  await listen(options.port ?? 0);
  const boundPort = options.socketPath ? 0 : (server.address() as AddressInfo).port;

  let lossUntil = 0;
  let lossTimer: NodeJS.Timeout | undefined;
  const faults = new FaultInjector(
    {
      loseLeader(durationMs) {
        // Losses that overlap are one loss lasting until the later end: a short one must not
        // bring the leader back in the middle of a longer one.
        const end = Date.now() + durationMs;
        lossUntil = leader.known ? end : Math.max(lossUntil, end);
        if (leader.known) leader.lostAt = Date.now();
        leader.known = false;
        if (lossTimer) clearTimeout(lossTimer);
        lossTimer = setTimeout(() => (leader.known = true), lossUntil - Date.now());
        lossTimer.unref();
      },
      regressIndex() {
        sim.cluster.regressIndex(Math.ceil(sim.cluster.index / 2));
      },
      restart: (downMs) => restart(downMs),
    },
    options.seed,
  );
  if (options.faults) faults.setProfile(options.faults);

  let closing = false;
  let restarting: Promise<void> | undefined;
  /** One restart at a time: a second request while one is under way shares it. */
  function restart(downMs: number): Promise<void> {
    if (closing) return Promise.resolve();
    restarting ??= (async () => {
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      exec.closeAll();
      await stopped;
      await new Promise((resolve) => setTimeout(resolve, downMs));
      if (!closing) await listen(boundPort);
    })().finally(() => (restarting = undefined));
    return restarting;
  }
  const scheme = options.tls ? 'https' : 'http';
  let url: string;
  if (options.socketPath) url = `unix://${options.socketPath}`;
  else {
    const address = server.address() as AddressInfo;
    url = `${scheme}://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
  }

  return {
    url,
    behaviour,
    sim,
    acl,
    counters,
    leader,
    faults,
    server,
    restart,
    async close() {
      closing = true;
      faults.close();
      sim.close();
      server.closeAllConnections();
      exec.closeAll();
      if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const RPC_HOLD_TIMEOUT_MS = 5_000;

/** Resolves when the leader is back, the hold time is over, or the request went away. */
async function waitForLeader(leader: LeaderState, holdMs: number, closed: Promise<void>): Promise<void> {
  const deadline = Date.now() + holdMs;
  let gone = false;
  void closed.then(() => (gone = true));
  while (!leader.known && !gone && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, Math.min(100, deadline - Date.now())));
}

function match(pathname: string): { route: Route; id: string } | undefined {
  for (const route of ROUTES) {
    const m = route.pattern.exec(pathname);
    if (m) return { route, id: decodeURIComponent(m[1] ?? '') };
  }
  return undefined;
}
