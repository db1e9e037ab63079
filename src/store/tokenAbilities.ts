// What the console's ACL token may do, read from the agent the way the Nomad UI does: the
// token (GET /v1/acl/token/self) and each of its policies (GET /v1/acl/policy/:name, whose
// RulesJSON is already expanded), then worked out by nomad/aclRules.ts. Kept for a minute.
// "Unknown" is an answer too — roles (Nomad 1.5+) are not followed, and any failed read
// leaves the decision to the agent — so the console only refuses what it knows is refused.
import { NomadError } from '../nomad/errors.js';
import type { NomadClient } from '../nomad/client.js';
import { allows, namespaceRules, type NamespaceRule, type TokenRules } from '../nomad/aclRules.js';

export const ABILITIES_TTL_MS = 60_000;

export class TokenAbilities {
  private cached: { at: number; rules: Promise<TokenRules | undefined> } | undefined;

  constructor(
    private readonly client: Pick<NomadClient, 'tokenSelf' | 'readPolicy'>,
    private readonly now: () => number = Date.now,
    private readonly ttlMs = ABILITIES_TTL_MS,
  ) {}

  /** The first of `capabilities` the token is known to lack in `namespace`, if any. */
  async lacking<C extends string>(namespace: string, capabilities: readonly C[]): Promise<C | undefined> {
    const rules = await this.rules();
    if (!rules) return undefined;
    return capabilities.find((capability) => !allows(rules, namespace, capability));
  }

  /** The token's rules, or undefined when they cannot be known here. */
  rules(): Promise<TokenRules | undefined> {
    if (!this.cached || this.now() - this.cached.at > this.ttlMs) this.cached = { at: this.now(), rules: this.read() };
    return this.cached.rules;
  }

  private async read(): Promise<TokenRules | undefined> {
    try {
      const { data: token } = await this.client.tokenSelf({ signal: AbortSignal.timeout(10_000) });
      // ACLs off: the agent answers with its "acls-disabled" management token.
      if (token?.Type === 'management') return { management: true };
      if ((token?.Roles?.length ?? 0) > 0) return undefined;
      const namespaces: NamespaceRule[] = [];
      for (const name of token?.Policies ?? []) {
        if (typeof name !== 'string') continue;
        try {
          const { data } = await this.client.readPolicy(name, { signal: AbortSignal.timeout(10_000) });
          namespaces.push(...namespaceRules(data?.RulesJSON));
        } catch (error) {
          // A policy the token names but the agent no longer has grants nothing.
          if (!(error instanceof NomadError && error.status === 404)) throw error;
        }
      }
      return { management: false, namespaces };
    } catch {
      return undefined;
    }
  }
}
