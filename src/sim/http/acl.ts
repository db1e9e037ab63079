// ACL mode for the simulator (REFERENCE §7): a management token, a read-only token (read-job in
// every namespace, no alloc-lifecycle), a token for the default namespace only (read-job and
// alloc-lifecycle there), anonymous requests with no policy, and the 403 texts.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { SimHttpError } from '../simError.js';

export type Capability = 'read-job' | 'alloc-lifecycle' | 'read-logs';

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
      capabilities: new Set<Capability>(['read-job', 'alloc-lifecycle', 'read-logs']), anonymous: false,
    });
    // The read policy gives read-job but not read-logs (acl/policy.go: the write policy has it).
    this.bySecret.set(this.tokens.readOnly, {
      accessorId: randomUUID(), name: 'read-only', type: 'client', policies: ['readonly'],
      capabilities: new Set<Capability>(['read-job']), anonymous: false,
    });
    this.bySecret.set(this.tokens.defaultOnly, {
      accessorId: randomUUID(), name: 'default namespace', type: 'client', policies: ['default-ns'],
      capabilities: new Set<Capability>(['read-job', 'alloc-lifecycle', 'read-logs']), namespaces: new Set(['default']), anonymous: false,
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
