// ACL mode for the simulator (REFERENCE §7): a management token, a read-only token (the read
// policy in every namespace), a token for the default namespace only (the write policy there),
// anonymous requests with no policy, and the 403 texts. The two policies are served as Nomad
// serves them (GET /v1/acl/policy/:name, with RulesJSON expanded as acl/policy.go Parse does),
// and the tokens' capabilities are derived from those same rules.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { SimHttpError } from '../simError.js';

export type Capability = 'read-job' | 'alloc-lifecycle' | 'read-logs' | 'alloc-exec' | 'alloc-node-exec';

/** acl/policy.go expandNamespacePolicy: what `policy = "read"` and `"write"` grant (the
 * capabilities the simulator knows of; alloc-node-exec is in neither, it must be named). */
const READ = ['list-jobs', 'parse-job', 'read-job', 'csi-list-volume', 'csi-read-volume', 'read-job-scaling', 'list-scaling-policies', 'read-scaling-policy', 'host-volume-read'];
const WRITE = [...READ, 'scale-job', 'submit-job', 'dispatch-job', 'read-logs', 'read-fs', 'alloc-exec', 'alloc-lifecycle', 'csi-mount-volume', 'csi-write-volume', 'submit-recommendation', 'host-volume-create'];

export interface SimPolicy {
  name: string;
  description: string;
  namespace: string;
  policy: 'read' | 'write';
}

/** The policies the simulator's tokens carry. */
export const POLICIES: readonly SimPolicy[] = [
  { name: 'readonly', description: 'Read jobs and allocations in every namespace', namespace: '*', policy: 'read' },
  { name: 'default-ns', description: 'Operate the default namespace', namespace: 'default', policy: 'write' },
];

/** The capabilities the simulator checks. */
const CAPABILITIES: ReadonlySet<string> = new Set(['read-job', 'alloc-lifecycle', 'read-logs', 'alloc-exec', 'alloc-node-exec']);

function capabilitiesOf(policy: SimPolicy): Set<Capability> {
  return new Set((policy.policy === 'write' ? WRITE : READ).filter((cap): cap is Capability => CAPABILITIES.has(cap)));
}

/** GET /v1/acl/policy/:name as Nomad answers it: Rules as written, RulesJSON parsed with the
 * policy expanded into Capabilities (nomad/acl_endpoint.go GetPolicy, acl/policy.go Parse). */
export function policyJson(policy: SimPolicy): string {
  const rules = `namespace "${policy.namespace}" {\n  policy = "${policy.policy}"\n}\n`;
  const capabilities = policy.policy === 'write' ? WRITE : READ;
  return JSON.stringify({
    Name: policy.name,
    Description: policy.description,
    Rules: rules,
    RulesJSON: { Namespaces: [{ Name: policy.namespace, Policy: policy.policy, Capabilities: capabilities, Variables: null }], NodePools: null, HostVolumes: null, Agent: null, Node: null, Operator: null, Quota: null, Plugin: null },
    JobACL: null,
    Hash: 'c2ltdWxhdGVk',
    CreateIndex: 1,
    ModifyIndex: 1,
  });
}

export interface Identity {
  accessorId: string;
  name: string;
  type: 'management' | 'client';
  policies: string[];
  capabilities: ReadonlySet<Capability>;
  /** The namespaces its policy covers; undefined: every one. */
  namespaces?: ReadonlySet<string>;
  anonymous: boolean;
}

export interface AclTokens {
  management: string;
  readOnly: string;
  defaultOnly: string;
}

const ANONYMOUS: Identity = {
  accessorId: 'anonymous',
  name: 'Anonymous Token',
  type: 'client',
  policies: ['anonymous'],
  capabilities: new Set(),
  anonymous: true,
};

export class Acl {
  private readonly bySecret = new Map<string, Identity>();
  readonly tokens: AclTokens;

  constructor(tokens?: Partial<AclTokens>) {
    this.tokens = { management: tokens?.management ?? randomUUID(), readOnly: tokens?.readOnly ?? randomUUID(), defaultOnly: tokens?.defaultOnly ?? randomUUID() };
    this.bySecret.set(this.tokens.management, {
      accessorId: randomUUID(), name: 'Bootstrap Token', type: 'management', policies: [],
      capabilities: new Set<Capability>(CAPABILITIES as ReadonlySet<Capability>), anonymous: false,
    });
    // The read policy gives read-job but not read-logs (acl/policy.go: the write policy has it).
    const [readonly, defaultNs] = POLICIES as [SimPolicy, SimPolicy];
    this.bySecret.set(this.tokens.readOnly, {
      accessorId: randomUUID(), name: 'read-only', type: 'client', policies: [readonly.name],
      capabilities: capabilitiesOf(readonly), anonymous: false,
    });
    this.bySecret.set(this.tokens.defaultOnly, {
      accessorId: randomUUID(), name: 'default namespace', type: 'client', policies: [defaultNs.name],
      capabilities: capabilitiesOf(defaultNs), namespaces: new Set([defaultNs.namespace]), anonymous: false,
    });
  }

  /** X-Nomad-Token wins over Authorization: Bearer; none → anonymous; unknown → 403. */
  authenticate(req: IncomingMessage, clientPath: boolean): Identity {
    const header = req.headers['x-nomad-token'];
    let secret = Array.isArray(header) ? header[0] : header;
    if (!secret) {
      const auth = req.headers.authorization ?? '';
      if (auth.startsWith('Bearer ')) secret = auth.slice('Bearer '.length).trim();
    }
    if (!secret) return ANONYMOUS;
    const identity = this.bySecret.get(secret);
    if (!identity) throw new SimHttpError(403, clientPath ? 'ACL token not found' : 'Permission denied');
    return identity;
  }
}

/** `namespace` omitted: in some namespace. `*`: in every one (a wildcard request). */
export function allows(identity: Identity | undefined, capability: Capability, namespace?: string): boolean {
  if (identity === undefined) return true;
  if (!identity.capabilities.has(capability)) return false;
  if (namespace === undefined || !identity.namespaces) return true;
  return namespace !== '*' && identity.namespaces.has(namespace);
}

/** The namespaces among `names` the identity may use the capability in. */
export function allowedNamespaces(identity: Identity | undefined, capability: Capability, names: readonly string[]): string[] {
  return names.filter((name) => allows(identity, capability, name));
}

/** Throws Nomad's 403 unless the identity (undefined = ACLs off) has the capability. */
export function demand(identity: Identity | undefined, capability: Capability, namespace?: string): void {
  if (!allows(identity, capability, namespace)) throw new SimHttpError(403, 'Permission denied');
}
