import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderFlat } from '../../src/types/render.js';
import { intersection, keyword, NEVER, refTo, union, UNKNOWN, type TypeNode } from '../../src/types/type-node.js';

const text = (node: TypeNode) => renderFlat(node);
const literal = (value: string): TypeNode => ({ kind: 'literal', text: JSON.stringify(value), primitive: 'string' });

test('unions flatten, drop never and repeated simple members, and collapse to unknown', () => {
  assert.equal(text(union([keyword('string'), union([keyword('number'), keyword('string')]), NEVER, refTo('A'), refTo('A')])), 'string | number | A');
  assert.equal(text(union([keyword('string'), UNKNOWN])), 'unknown');
  assert.equal(text(union([])), 'never');
  assert.equal(text(union([literal('a')])), '"a"');
});

test('intersections flatten, drop unknown, collapse to never, and let literals narrow their primitive', () => {
  assert.equal(text(intersection([refTo('A'), UNKNOWN, intersection([refTo('B'), refTo('A')])])), 'A & B');
  assert.equal(text(intersection([refTo('A'), NEVER])), 'never');
  assert.equal(text(intersection([])), 'unknown');
  assert.equal(text(intersection([keyword('string'), union([literal('a'), literal('b')])])), '"a" | "b"');
  assert.equal(text(intersection([keyword('number'), union([literal('a'), literal('b')])])), 'number & ("a" | "b")');
});
