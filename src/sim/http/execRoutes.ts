// `GET /v1/client/allocation/:id/exec` as a Nomad agent serves it: a WebSocket whose text
// messages are the driver's exec stream (command/agent/alloc_endpoint.go allocExec and
// execStreamImpl, plugins/drivers/execstreaming.go), with a small deterministic shell behind
// it (../execShell.ts) instead of a process.
//
// Checked in Nomad's order: the query (`command` JSON, `tty` bool; before the upgrade as an
// HTTP 500 up to 2.0.2, after it as a close frame from 2.0.3, websockets.go), then the server's
// checks (nomad/client_alloc_endpoint.go exec: token, Unknown allocation, alloc-exec, a terminal
// allocation), then the client's (client/alloc_endpoint.go execImpl: task name, command,
// alloc-node-exec for drivers without filesystem isolation, unknown task, not started, not
// running). Errors are close frames carrying the message: 1011 for a 500-class code — and for
// "Permission denied", whose RPC error has no code, so execStreamImpl takes it as 500 — and 1008
// for the rest (toWsCode). Output goes in frames of at most 1 KiB; the end is
// {"stdout":{"close":true}}, the same for stderr, then {"exited":true,"result":{…}}, and the TCP
// connection is dropped with no close frame (gorilla's Conn.Close).
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Simulator } from '../simulator.js';
import type { SimAlloc } from '../model.js';
import { isTerminal } from '../model.js';
import { ExecShell, type ShellFiles } from '../execShell.js';
import type { NomadBehaviour } from '../version.js';
import { SimHttpError } from '../simError.js';
import { allows, type Acl, type Identity } from './acl.js';
import { countRequest, type Counters } from './respond.js';

export const EXEC_PATH = /^\/v1\/client\/allocation\/([^/]+)\/exec$/;

/** Output frames carry at most this many bytes (execstreaming.go reads 1024 at a time). */
const FRAME_BYTES = 1024;
/** How often a session looks whether its task still runs. */
const TASK_CHECK_MS = 250;

class CloseError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/** toWsCode: 500 → 1011 (CloseInternalServerErr), anything else → 1008 (ClosePolicyViolation). */
const fail = (status: number, message: string): CloseError => new CloseError(status >= 500 ? 1011 : 1008, message);
const DENIED = (): CloseError => fail(500, 'Permission denied');

export interface ExecServer {
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Drops every open session (the agent restarts or goes away). */
  closeAll(): void;
}

interface ExecDeps {
  sim: Simulator;
  acl: Acl | undefined;
  counters: Counters;
  behaviour: NomadBehaviour;
}

export function execServer({ sim, acl, counters, behaviour }: ExecDeps): ExecServer {
  const wss = new WebSocketServer({ noServer: true });
  const open = new Set<WebSocket>();

  return {
    upgrade(req, socket, head) {
      const url = new URL(req.url ?? '/', 'http://sim');
      const found = EXEC_PATH.exec(url.pathname);
      countRequest(counters, url);
      if (!found) {
        socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
        return;
      }
      counters.exec.upgrades += 1;
      const id = decodeURIComponent(found[1] ?? '');
      let query: { task: string; command: string[]; tty: boolean } | undefined;
      let queryError: Error | undefined;
      try {
        query = parseExecQuery(url.searchParams, sim.cluster.region);
      } catch (error) {
        queryError = error as Error;
      }
      if (queryError && !behaviour.earlyWebsocketUpgrade) {
        const status = queryError instanceof SimHttpError ? queryError.status : 500;
        const body = Buffer.from(queryError instanceof SimHttpError ? queryError.body : queryError.message);
        socket.end(`HTTP/1.1 ${status} Internal Server Error\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body.toString('latin1')}`, 'latin1');
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => {
        open.add(ws);
        ws.on('close', () => open.delete(ws));
        try {
          if (queryError || !query) throw fail(500, queryError?.message ?? 'bad query');
          const identity = acl ? authenticate(acl, req) : undefined;
          const target = checkTarget(sim, identity, id, query);
          startSession(ws, sim, target, query, counters);
        } catch (error) {
          const close = error instanceof CloseError ? error : fail(500, (error as Error).message);
          ws.close(close.code, close.message);
        }
      });
    },
    closeAll() {
      for (const ws of open) ws.terminate();
      open.clear();
    },
  };
}

/** allocExec: `command` must be a JSON array of strings and `tty` a Go bool, as Nomad's Go
 * decoding says; a region not this one has no path. */
export function parseExecQuery(params: URLSearchParams, region: string): { task: string; command: string[]; tty: boolean } {
  const raw = params.get('command') ?? '';
  let command: unknown;
  try {
    command = JSON.parse(raw);
  } catch {
    throw new Error(`failed to marshal command into json: ${raw === '' ? 'unexpected end of JSON input' : `invalid character '${raw.trim()[0] ?? ' '}' looking for beginning of value`}`);
  }
  if (command !== null && (!Array.isArray(command) || command.some((word) => typeof word !== 'string'))) {
    const what = Array.isArray(command) ? `${typeof command.find((word) => typeof word !== 'string')} into Go value of type string` : `${Array.isArray(command) ? 'array' : typeof command === 'object' ? 'object' : typeof command} into Go value of type []string`;
    throw new Error(`failed to marshal command into json: json: cannot unmarshal ${what}`);
  }
  let tty = false;
  const ttyText = params.get('tty') ?? '';
  if (ttyText !== '') {
    const parsed = GO_BOOLS.get(ttyText);
    if (parsed === undefined) throw new Error(`tty value is not a boolean: strconv.ParseBool: parsing ${JSON.stringify(ttyText)}: invalid syntax`);
    tty = parsed;
  }
  if ((params.get('region') || region) !== region) throw new SimHttpError(500, 'No path to region');
  return { task: params.get('task') ?? '', command: (command as string[] | null) ?? [], tty };
}

/** strconv.ParseBool's spellings. */
const GO_BOOLS = new Map<string, boolean>([
  ['1', true], ['t', true], ['T', true], ['TRUE', true], ['true', true], ['True', true],
  ['0', false], ['f', false], ['F', false], ['FALSE', false], ['false', false], ['False', false],
]);

/** A token the agent does not know fails the RPC's Authenticate: "Permission denied". */
function authenticate(acl: Acl, req: IncomingMessage): Identity {
  try {
    return acl.authenticate(req, true);
  } catch {
    throw DENIED();
  }
}

function checkTarget(sim: Simulator, identity: Identity | undefined, id: string, query: { task: string; command: string[] }): SimAlloc {
  // Server side (nomad/client_alloc_endpoint.go exec).
  const target = sim.cluster.get(id);
  if (!target) throw fail(404, `Unknown allocation "${id}"`);
  const { alloc } = target;
  if (!allows(identity, 'alloc-exec', alloc.Namespace ?? 'default')) throw DENIED();
  if (isTerminal(alloc)) throw fail(400, `exec not possible, client status of allocation ${alloc.ID} is ${alloc.ClientStatus}`);
  // Client side (client/alloc_endpoint.go execImpl).
  if (query.task === '') throw fail(400, 'must provide task name');
  if (query.command.length === 0) throw fail(400, 'command is not present');
  const task = target.group.tasks.find((t) => t.name === query.task);
  // raw_exec has no filesystem isolation (fsisolation.None): alloc-node-exec too.
  if (task?.driver === 'raw_exec' && !allows(identity, 'alloc-node-exec', alloc.Namespace ?? 'default')) throw DENIED();
  const state = alloc.TaskStates[query.task];
  if (!task || !state) throw fail(400, `unknown task name ${JSON.stringify(query.task)}`);
  if (!state.StartedAt) throw fail(404, `task ${JSON.stringify(query.task)} not started yet.`);
  if (state.State !== 'running') throw fail(404, `task ${JSON.stringify(query.task)} is not running.`);
  return target;
}

function startSession(ws: WebSocket, sim: Simulator, target: SimAlloc, query: { task: string; command: string[]; tty: boolean }, counters: Counters): void {
  counters.exec.sessions += 1;
  const { alloc } = target;
  const allocId = alloc.ID ?? '';
  let ended = false;
  const send = (message: object): void => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
  };
  const shell = new ExecShell(
    {
      env: taskEnv(sim, target, query.task),
      hostname: allocId.slice(0, 8),
      files: taskFiles(sim, target, query.task),
      write(stream, data) {
        for (let at = 0; at < data.length; at += FRAME_BYTES) send({ [stream]: { data: data.subarray(at, at + FRAME_BYTES).toString('base64') } });
      },
      exit(result) {
        if (ended) return;
        ended = true;
        clearInterval(watch);
        send({ stdout: { close: true } });
        send({ stderr: { close: true } });
        // exit_code 0, signal 0 and oom_killed false are omitted (omitempty).
        const wire: Record<string, unknown> = {};
        if (result.exit_code) wire.exit_code = result.exit_code;
        if (result.signal) wire.signal = result.signal;
        send({ exited: true, result: wire });
        // execStreamImpl ends with ws.Close(): the connection goes, with no close frame.
        ws.once('error', () => {});
        setImmediate(() => ws.terminate());
      },
    },
    query.command,
    query.tty,
  );
  const watch = setInterval(() => {
    const state = sim.cluster.get(allocId)?.alloc.TaskStates[query.task];
    if (state?.State !== 'running') shell.kill();
  }, TASK_CHECK_MS);
  watch.unref();
  ws.on('close', () => {
    ended = true;
    clearInterval(watch);
    shell.hangUp();
  });
  ws.on('message', (data, isBinary) => {
    if (ended) return;
    let message: { stdin?: { data?: string; close?: boolean }; tty_size?: { height?: number; width?: number } };
    try {
      message = JSON.parse(isBinary ? Buffer.from(data as Buffer).toString('latin1') : String(data)) as typeof message;
    } catch (error) {
      // forwardExecInput: a frame ReadJSON cannot decode ends the session with a 500.
      ended = true;
      clearInterval(watch);
      ws.close(1011, (error as Error).message);
      return;
    }
    if (message?.stdin && !message.stdin.close) {
      const bytes = Buffer.from(message.stdin.data ?? '', 'base64');
      counters.exec.stdinBytes += bytes.length;
      shell.input(bytes);
    } else if (message?.stdin?.close) shell.closeStdin();
    else if (message?.tty_size) {
      const size = { height: Number(message.tty_size.height) || 0, width: Number(message.tty_size.width) || 0 };
      counters.exec.sizes.push(size);
      shell.resize(size.height, size.width);
    }
    // Anything else is a heartbeat ({}), as isHeartbeat reads it.
  });
  shell.start();
}

/** The environment Nomad gives a task (client/taskenv), as far as the simulator knows it. */
function taskEnv(sim: Simulator, target: SimAlloc, task: string): Record<string, string> {
  const { alloc, job, group, node } = target;
  const index = /\[(\d+)\]$/.exec(alloc.Name ?? '')?.[1] ?? '0';
  return {
    PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    HOME: '/root',
    NOMAD_ALLOC_DIR: '/alloc',
    NOMAD_TASK_DIR: '/local',
    NOMAD_SECRETS_DIR: '/secrets',
    NOMAD_ALLOC_ID: alloc.ID ?? '',
    NOMAD_SHORT_ALLOC_ID: (alloc.ID ?? '').slice(0, 8),
    NOMAD_ALLOC_NAME: alloc.Name ?? '',
    NOMAD_ALLOC_INDEX: index,
    NOMAD_GROUP_NAME: group.name,
    NOMAD_JOB_ID: job.id,
    NOMAD_JOB_NAME: job.id,
    NOMAD_NAMESPACE: job.namespace,
    NOMAD_REGION: sim.cluster.region,
    NOMAD_DC: node.datacenter,
    NOMAD_TASK_NAME: task,
  };
}

/** The task's directory as the task sees it: alloc/ (logs, data, tmp), local/, secrets/, tmp/. */
function taskFiles(sim: Simulator, target: SimAlloc, task: string): ShellFiles {
  const allocId = target.alloc.ID ?? '';
  const conf = Buffer.from(`# rendered by Nomad's template block\ntask = "${task}"\nlisten = "0.0.0.0:8080"\nlog_level = "info"\n`);
  const logs = (): Map<string, Buffer> => {
    const files = new Map<string, Buffer>();
    for (const t of target.group.tasks) {
      const state = target.alloc.TaskStates[t.name];
      if (!state?.StartedAt) continue;
      for (const type of ['stderr', 'stdout'] as const) {
        const log = sim.logs.get(allocId, t.name, t.image, type, Date.parse(state.StartedAt) || Date.now());
        for (const file of log.files) files.set(log.fileName(file.index).slice('alloc/logs/'.length), Buffer.concat(file.chunks));
      }
    }
    return files;
  };
  const dirs: Record<string, () => string[]> = {
    '/': () => ['alloc', 'bin', 'etc', 'local', 'secrets', 'tmp'],
    '/alloc': () => ['data', 'logs', 'tmp'],
    '/alloc/data': () => [],
    '/alloc/tmp': () => [],
    '/alloc/logs': () => [...logs().keys()].sort(),
    '/bin': () => ['cat', 'echo', 'hostname', 'ls', 'printenv', 'pwd', 'sh', 'sleep', 'stty'],
    '/etc': () => ['hostname'],
    '/local': () => ['app.conf'],
    '/secrets': () => [],
    '/tmp': () => [],
  };
  return {
    list: (path) => dirs[path]?.(),
    read(path) {
      if (path === '/local/app.conf') return conf;
      if (path === '/etc/hostname') return Buffer.from(`${allocId.slice(0, 8)}\n`);
      if (path.startsWith('/alloc/logs/')) return logs().get(path.slice('/alloc/logs/'.length));
      return undefined;
    },
  };
}
