// Cluster-level endpoints the console reads: namespaces, regions, leader, token self, and
// evaluations (so tests can see the eval a stop created).
import { SimHttpError } from '../simError.js';
import { allows, demand, POLICIES, policyJson } from './acl.js';
import { block, readMeta, type Reply, type RouteContext } from './context.js';

export async function listNamespaces(ctx: RouteContext): Promise<Reply> {
  const { cluster } = ctx.sim;
  await block(ctx, () => cluster.namespacesIndex);
  // With ACLs on, Nomad lists only namespaces the token has some capability in.
  const visible = cluster.namespaces.filter((ns) => allows(ctx.identity, 'read-job', ns.Name));
  const list = [...visible]
    .sort((a, b) => (a.Name < b.Name ? -1 : 1))
    .map((ns) => ({ Capabilities: null, CreateIndex: ns.CreateIndex, Description: ns.Description, Meta: null, ModifyIndex: ns.ModifyIndex, Name: ns.Name, NodePoolConfiguration: null, Quota: '' }));
  return { json: JSON.stringify(list), meta: readMeta(ctx, cluster.namespacesIndex) };
}

export function listRegions(ctx: RouteContext): Reply {
  return { json: JSON.stringify([ctx.sim.cluster.region]) };
}

export function statusLeader(ctx: RouteContext): Reply {
  return { json: JSON.stringify(ctx.leader.known ? '127.0.0.1:4647' : '') };
}

export function tokenSelf(ctx: RouteContext): Reply {
  const identity = ctx.identity;
  const meta = readMeta(ctx, ctx.sim.cluster.index);
  if (!identity) {
    return { json: JSON.stringify({ AccessorID: 'acls-disabled', CreateIndex: 0, Global: false, ModifyIndex: 0, Name: 'ACLs disabled', Policies: null, Type: 'management' }), meta };
  }
  // SecretID is part of Nomad's answer; this endpoint echoes only the caller's own secret.
  const secret = String(ctx.req.headers['x-nomad-token'] ?? '');
  return {
    json: JSON.stringify({ AccessorID: identity.accessorId, CreateIndex: 1, Global: true, ModifyIndex: 1, Name: identity.name, Policies: identity.policies, SecretID: identity.anonymous ? 'anonymous' : secret, Type: identity.type }),
    meta,
  };
}

export function readEvaluation(ctx: RouteContext, id: string): Reply {
  demand(ctx.identity, 'read-job');
  const evaluation = ctx.sim.cluster.evals.get(id);
  if (!evaluation) throw new SimHttpError(404, 'eval not found');
  return { json: JSON.stringify(evaluation), meta: readMeta(ctx, evaluation.ModifyIndex) };
}

/** GET /v1/acl/policy/:name (nomad/acl_endpoint.go GetPolicy): ACLs off → 400; management
 * tokens and tokens holding the policy may read it, others get 403; unknown → 404. */
export function readPolicy(ctx: RouteContext, name: string): Reply {
  const identity = ctx.identity;
  if (!identity) throw new SimHttpError(400, 'ACL support disabled');
  if (identity.type !== 'management' && name !== 'anonymous' && !identity.policies.includes(name)) throw new SimHttpError(403, 'Permission denied');
  const policy = POLICIES.find((p) => p.name === name);
  if (!policy) throw new SimHttpError(404, 'ACL policy not found');
  return { json: policyJson(policy), meta: readMeta(ctx, 1) };
}
