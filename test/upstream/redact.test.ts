// The redactor on its own: every string that comes back from upstream, at any depth.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Redactor } from '../../src/upstream/redact.js';

describe('Redactor', () => {
  const redactor = new Redactor(['Bearer SECRET_TOKEN_123']);

  test('masks secrets in strings and keys of a nested value', () => {
    assert.deepEqual(redactor.value({ SECRET_TOKEN_123: ['sent Bearer SECRET_TOKEN_123'] }), { '[redacted]': ['sent [redacted]'] });
  });

  test('a value nested deeper than the walk goes is masked as text, never passed on as it is', () => {
    let deep: unknown = 'leak SECRET_TOKEN_123';
    for (let i = 0; i < 100; i++) deep = [deep];
    const masked = JSON.stringify(redactor.value({ deep }));
    assert.ok(!masked.includes('SECRET_TOKEN_123'), masked.slice(0, 200));
    assert.match(masked, /leak \[redacted\]/);
  });
});
