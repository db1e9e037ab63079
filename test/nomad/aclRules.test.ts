// A token's rules as Nomad's acl/acl.go applies them: policies merged by namespace, the exact
// namespace first, else the closest glob, "deny" denying all; RulesJSON read defensively.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { allows, namespaceRules, type TokenRules } from '../../src/nomad/aclRules.js';

const rules = (...namespaces: [string, string[]][]): TokenRules => ({ management: false, namespaces: namespaces.map(([name, capabilities]) => ({ name, capabilities })) });

describe('ACL rules', () => {
  it('management may do anything; no rule for the namespace grants nothing', () => {
    assert.equal(allows({ management: true }, 'prod', 'alloc-exec'), true);
    assert.equal(allows(rules(['default', ['alloc-exec']]), 'prod', 'alloc-exec'), false);
  });

  it('an exact name beats a glob, the closest glob beats a wider one, and deny denies', () => {
    const token = rules(['*', ['read-job']], ['prod-*', ['read-job', 'alloc-exec']], ['prod-db', ['read-job']], ['dev', ['deny']]);
    assert.equal(allows(token, 'prod-web', 'alloc-exec'), true, 'prod-* is closer than *');
    assert.equal(allows(token, 'prod-db', 'alloc-exec'), false, 'the exact rule wins');
    assert.equal(allows(token, 'staging', 'alloc-exec'), false);
    assert.equal(allows(token, 'staging', 'read-job'), true);
    assert.equal(allows(token, 'dev', 'read-job'), false);
  });

  it('rules of several policies for one namespace are joined', () => {
    assert.equal(allows(rules(['default', ['read-job']], ['default', ['alloc-exec']]), 'default', 'alloc-exec'), true);
  });

  it('reads RulesJSON as the agent sends it, skipping what is malformed', () => {
    const parsed = namespaceRules({ Namespaces: [{ Name: '*', Policy: 'read', Capabilities: ['read-job', 7] }, { Name: 3 }, null, { Name: 'x', Capabilities: null }] });
    assert.deepEqual(parsed, [{ name: '*', capabilities: ['read-job'] }, { name: 'x', capabilities: [] }]);
    assert.deepEqual(namespaceRules(null), []);
    assert.deepEqual(namespaceRules({ Namespaces: 'all' }), []);
  });
});
