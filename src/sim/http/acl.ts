// ACL mode for the simulator (REFERENCE §7): a management token, a read-only token (read-job in
// every namespace, no alloc-lifecycle), anonymous requests with no policy, and the 403 texts.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { SimHttpError } from '../simError.js';

export type Capability = 'read-job' | 'alloc-lifecycle';

export interface Identity {
  accessorId: string;
  name: string;
  type: 'management' | 'client';
  policies: string[];
  capabilities: ReadonlySet<Capability>;
  anonymous: boolean;
}

export interface AclTokens {
  management: string;
  readOnly: string;
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
    this.tokens = { management: tokens?.management ?? randomUUID(), readOnly: tokens?.readOnly ?? randomUUID() };
    this.bySecret.set(this.tokens.management, {
      accessorId: randomUUID(), name: 'Bootstrap Token', type: 'management', policies: [],
      capabilities: new Set<Capability>(['read-job', 'alloc-lifecycle']), anonymous: false,
    });
    this.bySecret.set(this.tokens.readOnly, {
      accessorId: randomUUID(), name: 'read-only', type: 'client', policies: ['readonly'],
      capabilities: new Set<Capability>(['read-job']), anonymous: false,
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

export function allows(identity: Identity | undefined, capability: Capability): boolean {
  return identity === undefined || identity.capabilities.has(capability);
}

/** Throws Nomad's 403 unless the identity (undefined = ACLs off) has the capability. */
export function demand(identity: Identity | undefined, capability: Capability): void {
  if (!allows(identity, capability)) throw new SimHttpError(403, 'Permission denied');
}
