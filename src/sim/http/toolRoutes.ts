// The endpoints other tools read before they reach an allocation: what `nomad alloc status` and
// `nomad alloc stop` call (command/alloc_status.go, alloc_stop.go, monitor.go: the allocation,
// its checks, its evaluation and the evaluation's allocations) and what consoles such as the
// Nomad UI or wander show first (the agent, jobs, a job, a node). Shapes as Nomad's api package
// decodes them, with the fields the simulator can fill truthfully.
import { stubJson } from '../encode.js';
import type { SimJob } from '../model.js';
import { SimHttpError } from '../simError.js';
import { allows, demand } from './acl.js';
import { allocChecksJson } from '../statsAndChecks.js';
import { readMeta, type Reply, type RouteContext } from './context.js';

export function agentSelf(ctx: RouteContext, version: string): Reply {
  const { cluster } = ctx.sim;
  return {
    json: JSON.stringify({
      config: { Datacenter: 'dc1', NodeName: 'sim-server-1', Region: cluster.region, Version: { Revision: 'simulated', Version: version, VersionMetadata: '', VersionPrerelease: '' } },
      member: { Addr: '127.0.0.1', Name: `sim-server-1.${cluster.region}`, Port: 4648, Status: 'alive', Tags: { build: version, dc: 'dc1', region: cluster.region, role: 'nomad' } },
      stats: { nomad: { leader: String(ctx.leader.known), known_regions: '1', server: 'true' } },
    }),
  };
}

function jobSummary(ctx: RouteContext, job: SimJob): Record<string, unknown> {
  const summary: Record<string, Record<string, number>> = {};
  for (const group of job.groups) summary[group.name] = { Complete: 0, Failed: 0, Lost: 0, Queued: 0, Running: 0, Starting: 0, Unknown: 0 };
  for (const sim of ctx.sim.cluster.ordered) {
    if (sim.job !== job) continue;
    const counts = summary[sim.group.name];
    if (!counts) continue;
    const status = sim.alloc.ClientStatus ?? '';
    const key = status === 'pending' ? 'Starting' : status.charAt(0).toUpperCase() + status.slice(1);
    if (key in counts) counts[key] = (counts[key] ?? 0) + 1;
  }
  return { Children: { Dead: 0, Pending: 0, Running: 0 }, CreateIndex: 1, JobID: job.id, ModifyIndex: ctx.sim.cluster.allocsIndex, Namespace: job.namespace, Summary: summary };
}

export function listJobs(ctx: RouteContext): Reply {
  const { query, identity } = ctx;
  const jobs = ctx.sim.cluster.jobs.filter((job) => (query.namespace === '*' || job.namespace === query.namespace) && allows(identity, 'read-job', job.namespace));
  if (query.namespace !== '*') demand(identity, 'read-job', query.namespace);
  const stubs = jobs.map((job) => ({
    CreateIndex: 1, Datacenters: job.wire.Datacenters, ID: job.id, JobModifyIndex: 1, JobSummary: jobSummary(ctx, job), ModifyIndex: 1, Name: job.id, Namespace: job.namespace,
    ParameterizedJob: false, ParentID: '', Periodic: false, Priority: 50, Status: 'running', StatusDescription: '', Stop: false, SubmitTime: 0, Type: job.type,
  }));
  return { json: JSON.stringify(stubs), meta: readMeta(ctx, ctx.sim.cluster.index) };
}

export function readJob(ctx: RouteContext, id: string): Reply {
  demand(ctx.identity, 'read-job', ctx.query.namespace);
  const job = ctx.sim.cluster.jobs.find((candidate) => candidate.id === id && candidate.namespace === ctx.query.namespace);
  if (!job) throw new SimHttpError(404, 'job not found');
  return { json: JSON.stringify({ ...job.wire, CreateIndex: 1, JobModifyIndex: 1, ModifyIndex: 1, SubmitTime: 0 }), meta: readMeta(ctx, ctx.sim.cluster.index) };
}

export function readNode(ctx: RouteContext, id: string): Reply {
  demand(ctx.identity, 'read-job');
  const node = ctx.sim.cluster.nodes.find((candidate) => candidate.id === id);
  if (!node) throw new SimHttpError(404, 'node not found');
  return {
    json: JSON.stringify({
      Attributes: { 'kernel.name': 'linux', 'os.name': 'debian', 'unique.network.ip-address': node.address, 'driver.docker': '1', 'driver.exec': '1', 'driver.raw_exec': '1', 'driver.java': '1' },
      CreateIndex: 1, Datacenter: node.datacenter, Drain: false, DrainStrategy: null, HTTPAddr: `${node.address}:4646`, ID: node.id, ModifyIndex: 1, Name: node.name,
      NodeClass: '', NodePool: 'default', SchedulingEligibility: 'eligible', Status: 'ready', StatusDescription: '',
    }),
    meta: readMeta(ctx, 1),
  };
}

export function evaluationAllocations(ctx: RouteContext, id: string): Reply {
  const evaluation = ctx.sim.cluster.evals.get(id);
  demand(ctx.identity, 'read-job', evaluation?.Namespace);
  const stubs = ctx.sim.cluster.ordered.filter((sim) => sim.alloc.EvalID === id).map((sim) => stubJson(sim, { taskStates: true, resources: false }));
  return { json: `[${stubs.join(',')}]`, meta: readMeta(ctx, ctx.sim.cluster.allocsIndex) };
}

/** Nomad checks of the allocation's services, keyed by check ID (statsAndChecks.ts); null when
 * it has none (client/alloc_endpoint.go Checks: the check store's map for the allocation). */
export function allocationChecks(ctx: RouteContext, id: string): Reply {
  const sim = ctx.sim.cluster.get(id);
  if (!sim) throw new SimHttpError(404, `Unknown allocation "${id}"`);
  demand(ctx.identity, 'read-job', sim.alloc.Namespace ?? '');
  // The client's check store, relayed: no X-Nomad-* headers (command/agent allocChecks sets none).
  return { json: allocChecksJson(sim, ctx.sim.cluster.servicesByAlloc.get(id) ?? [], Date.now()) };
}
