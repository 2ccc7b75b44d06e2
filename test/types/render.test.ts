import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeDoc } from '../../src/types/jsdoc.js';
import { renderFlat, renderMembers, renderType } from '../../src/types/render.js';
import { keyword, union, type Member, type TypeNode } from '../../src/types/type-node.js';

const member = (name: string, type: TypeNode, extra: Partial<Member> = {}): Member => ({ name, optional: false, type, doc: undefined, ...extra });
const object = (...members: Member[]): TypeNode => ({ kind: 'object', members, index: undefined });
const literal = (value: string): TypeNode => ({ kind: 'literal', text: JSON.stringify(value), primitive: 'string' });

test('a type that fits stays on one line, parenthesized where [] or ? follows a union', () => {
  const pair: TypeNode = { kind: 'tuple', elements: [{ type: keyword('string'), optional: false }, { type: union([keyword('number'), keyword('null')]), optional: true }], rest: keyword('boolean') };
  assert.equal(renderType(pair, '', 0), '[string, (number | null)?, ...boolean[]]');
  assert.equal(renderType({ kind: 'array', element: union([keyword('string'), keyword('number')]) }, '', 0), '(string | number)[]');
  assert.equal(renderType(object(member('a', keyword('string')), member('b', keyword('number'), { optional: true })), '', 0), '{ a: string; b?: number }');
});

test('a union of literals stays on one line however long it is', () => {
  const many = union(Array.from({ length: 30 }, (_, n) => literal(`value${n}`)));
  const text = renderType(many, '', 10);
  assert.equal(text.includes('\n'), false);
  assert.equal(text.length > 200, true);
});

test('a member with a doc opens its object onto lines, with the doc above the member', () => {
  const node = object(member('path', keyword('string'), { doc: makeDoc('Where.') }), member('n', keyword('number')));
  assert.equal(renderFlat(node), undefined);
  assert.equal(renderType(node, '  ', 10), '{\n    /** Where. */\n    path: string;\n    n: number;\n  }');
});

test('a union of objects too wide for one line puts each member on its own | line', () => {
  const wide = (tag: string) => object(member('kind', literal(tag)), member('description', keyword('string')), member('count', keyword('number')));
  assert.equal(
    renderMembers({ kind: 'object', members: [member('shape', union([wide('first'), wide('second')]))], index: undefined }, '  ').join('\n'),
    [
      '  shape:',
      '    | { kind: "first"; description: string; count: number }',
      '    | { kind: "second"; description: string; count: number };',
    ].join('\n'),
  );
});

test('an index signature comes after the named members', () => {
  const node: TypeNode = { kind: 'object', members: [member('a', keyword('string'))], index: keyword('string') };
  assert.deepEqual(renderMembers(node as Extract<TypeNode, { kind: 'object' }>, ''), ['a: string;', '[key: string]: string;']);
});
