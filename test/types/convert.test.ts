import { test } from 'node:test';
import assert from 'node:assert/strict';
import { printDeclarations, type JsonSchema } from '../../src/types/index.js';

/** The named types printed for a tool `t` with this input schema (the `codemode` block left off). */
function typesFor(inputSchema: JsonSchema): string {
  const text = printDeclarations([{ path: ['t'], description: '', inputSchema }]);
  return text.slice(0, Math.max(0, text.indexOf('declare const codemode') - 2));
}

/** The method `t` as the `codemode` block prints it: where a short input type is written inline. */
function signatureFor(inputSchema: JsonSchema): string {
  const text = printDeclarations([{ path: ['t'], description: '', inputSchema }]);
  return /^ {2}(t\(.*)$/m.exec(text)![1]!;
}

/** The type printed for one required property `v` with this schema. */
function typeOf(schema: JsonSchema): string {
  // A documented input type is always declared by name, so `v` sits on a line of its own.
  const text = typesFor({ type: 'object', description: 'T.', properties: { v: schema }, required: ['v'] });
  const match = /^ {2}v: ?([^]*);\n\}$/m.exec(text);
  assert.ok(match, text);
  return match[1]!;
}

test('required properties are plain and the others optional, in schema order', () => {
  assert.equal(
    signatureFor({ type: 'object', properties: { b: { type: 'string' }, a: { type: 'boolean' } }, required: ['b'] }),
    't(input: { b: string; a?: boolean }): Promise<unknown>;',
  );
});

test('primitive types map to TypeScript keywords, integer to number', () => {
  assert.equal(typeOf({ type: 'string' }), 'string');
  assert.equal(typeOf({ type: 'number' }), 'number');
  assert.equal(typeOf({ type: 'boolean' }), 'boolean');
  assert.equal(typeOf({ type: 'null' }), 'null');
  assert.equal(typeOf({ type: ['integer', 'string'] }), 'number | string');
});

test('nullable is read from a type list, from anyOf with null and from OpenAPI nullable', () => {
  assert.equal(typeOf({ type: ['string', 'null'] }), 'string | null');
  assert.equal(typeOf({ anyOf: [{ type: 'number' }, { type: 'null' }] }), 'number | null');
  assert.equal(typeOf({ type: 'string', nullable: true }), 'string | null');
});

test('true, {} and unknown keywords are unknown; false and not: {} are never', () => {
  assert.equal(typeOf(true), 'unknown');
  assert.equal(typeOf({}), 'unknown');
  assert.equal(typeOf({ type: 'color' }), 'unknown');
  assert.equal(typeOf(false), 'never');
  assert.equal(typeOf({ not: {} }), 'never');
});

test('enum and const print literal types, objects and arrays included', () => {
  assert.equal(typeOf({ enum: ['a', 'b"c', 1, -2.5, true, null] }), '"a" | "b\\"c" | 1 | -2.5 | true | null');
  assert.equal(typeOf({ type: 'string', const: 'x' }), '"x"');
  assert.equal(typeOf({ const: { 'a-b': [1, 'x'] } }), '{ "a-b": [1, "x"] }');
  assert.equal(typeOf({ enum: [] }), 'never');
});

test('additionalProperties gives a record, an index signature beside properties, or a closed object', () => {
  assert.equal(typeOf({ type: 'object', additionalProperties: { type: 'number' } }), '{ [key: string]: number }');
  assert.equal(typeOf({ type: 'object', properties: { a: { type: 'string' } }, additionalProperties: true }), '{ a?: string; [key: string]: unknown }');
  assert.equal(typeOf({ type: 'object', properties: { a: { type: 'string' } }, additionalProperties: false }), '{ a?: string }');
  assert.equal(typeOf({ type: 'object', properties: { a: { type: 'string' } } }), '{ a?: string }');
  assert.equal(typeOf({ type: 'object' }), '{ [key: string]: unknown }');
  assert.equal(typeOf({ type: 'object', properties: {} }), '{}');
});

test('an index signature is widened to cover the declared properties, so the type compiles', () => {
  assert.equal(
    typeOf({ type: 'object', properties: { n: { type: 'number' } }, required: ['n'], additionalProperties: { type: 'string' } }),
    '{ n: number; [key: string]: string | number }',
  );
  assert.equal(
    typeOf({ type: 'object', properties: { n: { type: 'number' } }, additionalProperties: { type: 'string' } }),
    '{ n?: number; [key: string]: string | number | undefined }',
  );
});

test('patternProperties become an index signature and a closed set of propertyNames becomes keys', () => {
  assert.equal(typeOf({ type: 'object', patternProperties: { '^x-': { type: 'string' } }, additionalProperties: false }), '{ [key: string]: string }');
  assert.equal(
    typeOf({ type: 'object', propertyNames: { enum: ['x', 'y'] }, additionalProperties: { type: 'number' }, required: ['x'] }),
    '{ x: number; y?: number }',
  );
});

test('a required key the schema does not describe is listed as unknown', () => {
  assert.equal(typeOf({ type: 'object', properties: { a: { type: 'string' } }, required: ['a', 'b'], additionalProperties: false }), '{ a: string; b: unknown }');
});

test('arrays print as T[], with parentheses around unions', () => {
  assert.equal(typeOf({ type: 'array', items: { type: 'string' } }), 'string[]');
  assert.equal(typeOf({ type: 'array' }), 'unknown[]');
  assert.equal(typeOf({ type: 'array', items: { anyOf: [{ type: 'string' }, { type: 'number' }] } }), '(string | number)[]');
  assert.equal(typeOf({ type: 'array', items: { type: 'array', items: { type: 'boolean' } } }), 'boolean[][]');
});

test('tuples come from prefixItems or draft-07 items arrays, with optional elements and a rest', () => {
  assert.equal(typeOf({ type: 'array', prefixItems: [{ type: 'string' }, { type: 'number' }], items: false, minItems: 2 }), '[string, number]');
  assert.equal(typeOf({ type: 'array', prefixItems: [{ type: 'string' }, { type: 'number' }], items: false, minItems: 1 }), '[string, number?]');
  assert.equal(typeOf({ type: 'array', prefixItems: [{ type: 'string' }], items: { type: 'boolean' }, minItems: 1 }), '[string, ...boolean[]]');
  assert.equal(typeOf({ type: 'array', prefixItems: [{ type: 'string' }], minItems: 1 }), '[string, ...unknown[]]');
  assert.equal(typeOf({ type: 'array', prefixItems: [{ type: 'string' }, { type: 'number' }], minItems: 2, maxItems: 2 }), '[string, number]');
  assert.equal(typeOf({ type: 'array', items: [{ type: 'string' }, { type: 'number' }], additionalItems: false, minItems: 2 }), '[string, number]');
  assert.equal(typeOf({ type: 'array', items: [{ type: 'string' }], additionalItems: { type: 'number' }, minItems: 1 }), '[string, ...number[]]');
  assert.equal(typeOf({ type: 'array', items: false }), '[]');
});

test('anyOf and oneOf are unions, allOf an intersection, and sibling keywords intersect with them', () => {
  assert.equal(typeOf({ oneOf: [{ type: 'string' }, { type: 'number' }] }), 'string | number');
  assert.equal(
    typeOf({ allOf: [{ type: 'object', properties: { a: { type: 'string' } }, required: ['a'] }, { type: 'object', properties: { b: { type: 'number' } } }] }),
    '{ a: string } & { b?: number }',
  );
  assert.equal(
    typeOf({ type: 'object', properties: { a: { type: 'string' } }, required: ['a'], anyOf: [{ required: ['b'] }, { required: ['c'] }] }),
    '{ a: string }',
  );
  assert.equal(typeOf({ type: 'string', anyOf: [{ const: 'a' }, { const: 'b' }] }), '"a" | "b"');
});

test('a discriminated union breaks onto lines when it is too long for one', () => {
  assert.equal(
    typeOf({
      oneOf: [
        { type: 'object', properties: { kind: { const: 'circle' }, radius: { type: 'number' } }, required: ['kind', 'radius'] },
        { type: 'object', properties: { kind: { const: 'rectangle' }, width: { type: 'number' }, height: { type: 'number' }, label: { type: 'string' } }, required: ['kind', 'width', 'height'] },
      ],
    }),
    '\n    | { kind: "circle"; radius: number }\n    | { kind: "rectangle"; width: number; height: number; label?: string }',
  );
});

test('$defs and definitions become named types, and a recursive definition refers to itself', () => {
  const schema: JsonSchema = {
    type: 'object',
    properties: { root: { $ref: '#/$defs/TreeNode' }, size: { $ref: '#/definitions/size' } },
    required: ['root'],
    $defs: { TreeNode: { type: 'object', properties: { name: { type: 'string' }, children: { type: 'array', items: { $ref: '#/$defs/TreeNode' } } }, required: ['name'] } },
    definitions: { size: { enum: ['s', 'm', 'l'], description: 'T-shirt size.' } },
  };
  assert.equal(
    typesFor(schema),
    `interface TreeNode {
  name: string;
  children?: TreeNode[];
}

/** T-shirt size. */
type Size = "s" | "m" | "l";`,
  );
  assert.equal(signatureFor(schema), 't(input: { root: TreeNode; size?: Size }): Promise<unknown>;');
});

test('a reference to the root names the input type itself', () => {
  assert.equal(
    typesFor({ type: 'object', properties: { value: { type: 'number' }, next: { $ref: '#' } }, required: ['value'] }),
    'interface TInput {\n  value: number;\n  next?: TInput;\n}',
  );
});

test('a zod-generated definition name is replaced by the property that uses it', () => {
  assert.equal(
    typesFor({
      type: 'object',
      properties: { parent: { $ref: '#/$defs/__schema0' } },
      $defs: { __schema0: { type: 'object', properties: { up: { $ref: '#/$defs/__schema0' } } } },
    }),
    'interface Parent {\n  up?: Parent;\n}',
  );
});

test('anchors, $ids and escaped pointers resolve; remote and dangling references are unknown', () => {
  assert.equal(
    typesFor({
      type: 'object',
      properties: {
        a: { $ref: '#item' },
        b: { $ref: 'urn:flag' },
        c: { $ref: '#/$defs/a~1b%20c' },
        d: { $ref: 'https://example.com/x.json' },
        e: { $ref: '#/$defs/missing' },
      },
      $defs: { I: { $anchor: 'item', type: 'string' }, F: { $id: 'urn:flag', type: 'boolean' }, 'a/b c': { type: 'number' } },
    }),
    `type I = string;

type F = boolean;

type ABC = number;

interface TInput {
  a?: I;
  b?: F;
  c?: ABC;
  d?: unknown;
  e?: unknown;
}`,
  );
});

test('a definition used twice is declared once', () => {
  const text = typesFor({
    type: 'object',
    properties: { a: { $ref: '#/$defs/Id' }, b: { $ref: '#/$defs/Id' }, c: { type: 'array', items: { $ref: '#/$defs/Id' } } },
    $defs: { Id: { type: 'string', format: 'uuid' } },
  });
  assert.equal(text, '/** @format uuid */\ntype Id = string;');
});

test('a cycle of aliases through unions keeps its non-cyclic members, so it compiles', () => {
  assert.equal(
    typesFor({
      type: 'object',
      properties: { a: { $ref: '#/$defs/A' } },
      $defs: { A: { anyOf: [{ $ref: '#/$defs/B' }, { type: 'string' }] }, B: { anyOf: [{ $ref: '#/$defs/A' }, { type: 'number' }] } },
    }),
    'type B = A | number;\n\ntype A = string;',
  );
});

test('a schema nested deeper than the limit, or cyclic in memory, ends in unknown instead of hanging', () => {
  const cyclic: Record<string, unknown> = { type: 'object', properties: {} };
  (cyclic.properties as Record<string, unknown>).self = cyclic;
  assert.equal(signatureFor(cyclic as JsonSchema), 't(input?: { self?: unknown }): Promise<unknown>;');
  let deep: JsonSchema = { type: 'string' };
  for (let n = 0; n < 200; n++) deep = { type: 'array', items: deep };
  assert.match(typesFor(deep), /^type TInput = unknown(\[\])+;$/);
});

test('malformed keywords are ignored rather than trusted', () => {
  assert.equal(
    typesFor({ type: 'object', properties: { a: 5, b: { type: [] }, c: { enum: 'x' }, d: { required: 'a' } }, required: 'a' } as never),
    'interface TInput {\n  a?: unknown;\n  b?: unknown;\n  c?: unknown;\n  d?: unknown;\n}',
  );
});
