// What an ACL token may do in a namespace, worked out from its policies the way Nomad's
// acl/acl.go does, so the console can say "your token lacks alloc-exec" before it opens a
// socket (the Nomad UI's abilities do the same from RulesJSON). Rules of every policy are
// merged by namespace name (capabilities joined); a namespace uses its exact rule, else the
// closest matching glob (acl.go findClosestMatchingGlob: the fewest characters left to the
// wildcards); "deny" there denies everything. RulesJSON comes expanded: `policy = "write"` is
// already its capabilities (nomad/acl_endpoint.go GetPolicy parses with acl/policy.go Parse).

export interface NamespaceRule {
  name: string;
  capabilities: readonly string[];
}

export type TokenRules = { management: true } | { management: false; namespaces: readonly NamespaceRule[] };

/** The namespace rules in a policy's RulesJSON (anything malformed is skipped). */
export function namespaceRules(rulesJson: unknown): NamespaceRule[] {
  const namespaces = (rulesJson as { Namespaces?: unknown } | null)?.Namespaces;
  if (!Array.isArray(namespaces)) return [];
  const rules: NamespaceRule[] = [];
  for (const item of namespaces) {
    const name = (item as { Name?: unknown } | null)?.Name;
    const capabilities = (item as { Capabilities?: unknown } | null)?.Capabilities;
    if (typeof name !== 'string') continue;
    rules.push({ name, capabilities: Array.isArray(capabilities) ? capabilities.filter((c): c is string => typeof c === 'string') : [] });
  }
  return rules;
}

/** Whether the token has `capability` in `namespace`. */
export function allows(rules: TokenRules, namespace: string, capability: string): boolean {
  if (rules.management) return true;
  const merged = new Map<string, Set<string>>();
  for (const rule of rules.namespaces) {
    const caps = merged.get(rule.name) ?? new Set<string>();
    for (const cap of rule.capabilities) caps.add(cap);
    merged.set(rule.name, caps);
  }
  const caps = merged.get(namespace) ?? closestGlob(merged, namespace);
  if (!caps || caps.has('deny')) return false;
  return caps.has(capability);
}

function closestGlob(merged: Map<string, Set<string>>, namespace: string): Set<string> | undefined {
  let best: { caps: Set<string>; difference: number } | undefined;
  for (const [name, caps] of merged) {
    if (!name.includes('*') || !globMatches(name, namespace)) continue;
    const difference = namespace.length - name.replaceAll('*', '').length;
    if (!best || difference < best.difference) best = { caps, difference };
  }
  return best?.caps;
}

function globMatches(pattern: string, value: string): boolean {
  const source = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  return new RegExp(`^${source}$`).test(value);
}
