// The token that says which runs may share an isolate: one per executor and tenant, and never the tenant's
// name (a tenant may be an MCP session id, which a sandbox process must not learn).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { BRIDGE_CAPS } from '../../src/bridge/protocol.js';
import { isolateAffinity } from '../../src/runtime/affinity.js';

describe('isolate affinity tokens', () => {
  test('one token per executor and tenant: equal pairs share it, any other pair does not', () => {
    assert.equal(isolateAffinity('executor 1', 'alice'), isolateAffinity('executor 1', 'alice'));
    assert.equal(isolateAffinity('executor 1', undefined), isolateAffinity('executor 1', undefined));
    const tokens = new Set([
      isolateAffinity('executor 1', 'alice'),
      isolateAffinity('executor 1', 'bob'),
      isolateAffinity('executor 2', 'alice'),
      isolateAffinity('executor 1', undefined),
      isolateAffinity('executor 1', ''),
      isolateAffinity('executor 2', undefined),
    ]);
    assert.equal(tokens.size, 6);
  });

  test('a token never carries the tenant, and fits the protocol cap', () => {
    const sessionId = '5f0c8e1e-6f0b-4a53-9d1e-6a3a4c2b9f10';
    const token = isolateAffinity('executor 1', sessionId);
    assert.ok(!token.includes(sessionId) && !token.includes('5f0c8e1e'));
    assert.ok(token.length <= BRIDGE_CAPS.affinityChars);
    assert.ok(isolateAffinity('executor 1', 'x'.repeat(1000)).length <= BRIDGE_CAPS.affinityChars);
  });
});
