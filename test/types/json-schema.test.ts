import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SchemaDocument, type JsonSchema } from '../../src/types/json-schema.js';

const root: JsonSchema = {
  $id: 'https://example.com/root.json',
  type: 'object',
  properties: { a: { type: 'string' } },
  $defs: {
    'a/b': { type: 'number' },
    'with space': { type: 'boolean' },
    tilde: { $anchor: 'here', type: 'null' },
    old: { $id: '#legacy', type: 'integer' },
    abs: { $id: 'urn:abs', type: 'array' },
  },
  definitions: { list: [{ type: 'string' }] as never },
};

test('`#` and the empty reference resolve to the root', () => {
  const document = new SchemaDocument(root);
  assert.deepEqual(document.resolve('#'), { pointer: '', schema: root });
  assert.deepEqual(document.resolve(''), { pointer: '', schema: root });
  assert.deepEqual(document.resolve('https://example.com/root.json'), { pointer: '', schema: root });
});

test('JSON pointers resolve with ~0/~1 and percent escapes, to one canonical pointer', () => {
  const document = new SchemaDocument(root);
  assert.deepEqual(document.resolve('#/properties/a'), { pointer: '/properties/a', schema: { type: 'string' } });
  assert.deepEqual(document.resolve('#/$defs/a~1b'), { pointer: '/$defs/a~1b', schema: { type: 'number' } });
  assert.equal(document.resolve('#/$defs/with%20space')?.pointer, '/$defs/with space');
  assert.equal(document.resolve('#/$defs/with space')?.pointer, '/$defs/with space');
  assert.deepEqual(document.resolve('https://example.com/root.json#/properties/a')?.schema, { type: 'string' });
  assert.deepEqual(document.resolve('#/definitions/list/0'), { pointer: '/definitions/list/0', schema: { type: 'string' } });
});

test('anchors and nested $ids resolve to where they are declared', () => {
  const document = new SchemaDocument(root);
  assert.equal(document.resolve('#here')?.pointer, '/$defs/tilde');
  assert.equal(document.resolve('#legacy')?.pointer, '/$defs/old');
  assert.equal(document.resolve('urn:abs')?.pointer, '/$defs/abs');
});

test('remote, dangling and malformed references do not resolve', () => {
  const document = new SchemaDocument(root);
  assert.equal(document.resolve('https://example.com/other.json'), undefined);
  assert.equal(document.resolve('#/$defs/missing'), undefined);
  assert.equal(document.resolve('#/$defs/%E0%A4%A'), undefined);
  assert.equal(document.resolve('#/properties/a/type'), undefined);
  assert.equal(document.resolve('#/definitions/list/x'), undefined);
  assert.equal(document.resolve('#/constructor'), undefined);
});
