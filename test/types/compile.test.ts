// Every declaration text we print must compile under `tsc --strict` next to model code, and must be
// precise enough that a wrong call does not: this suite proves both with the real compiler.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as z from 'zod';
import { defineTool } from '../../src/tools/define.js';
import { printDeclarations, type JsonSchema, type NamespaceEntry, type ToolEntry } from '../../src/types/index.js';
import { catalogFromTools } from '../../src/tools/catalog.js';
import { exampleCatalog } from './fixtures.js';
import { checkCall } from './typecheck.js';

interface Case {
  readonly name: string;
  readonly entries: readonly ToolEntry[];
  readonly namespaces?: readonly NamespaceEntry[];
  /** Snippets of model code that must compile. */
  readonly ok: readonly string[];
  /** Snippets that must not: wrong field type, missing field, unknown tool, wrong use of the result. */
  readonly bad: readonly string[];
}

/** Declarations never call a tool; returning `never` fits any output schema. */
const noop = (): never => {
  throw new Error('declaration tests never call run');
};

function entry(path: string[], inputSchema: JsonSchema, outputSchema?: JsonSchema): ToolEntry {
  return { path, description: `Tool ${path.join('.')}.`, inputSchema, outputSchema };
}

function zodCase(): Case {
  const catalog = exampleCatalog();
  return {
    name: 'zod tools and a capability',
    entries: catalog.entries,
    namespaces: catalog.namespaces,
    ok: [
      `const text: string = await codemode.fs.readFile({ path: 'a' });`,
      `await codemode.fs.readFile({ path: 'a', encoding: 'base64' });`,
      `const sum: number = (await codemode.add({ a: 1, b: 2 })).sum;`,
    ],
    bad: [
      `await codemode.fs.readFile({ path: 1 });`,
      `await codemode.fs.readFile({});`,
      `await codemode.fs.readFile({ path: 'a', encoding: 'latin1' });`,
      `await codemode.fs.writeFile({ path: 'a' });`,
      `const n: number = await codemode.fs.readFile({ path: 'a' });`,
      `await codemode.add({ a: 1, b: 2, c: 3 });`,
      `const s: string = (await codemode.add({ a: 1, b: 2 })).sum;`,
    ],
  };
}

function richZodCase(): Case {
  const Shape = z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('circle'), radius: z.number().positive() }),
    z.object({ kind: z.literal('square'), side: z.number() }),
  ]);
  const Node = z.object({
    name: z.string(),
    get children(): z.ZodOptional<z.ZodArray<typeof Node>> {
      return z.array(Node).optional();
    },
  });
  const tool = defineTool({
    name: 'rich',
    description: 'Everything zod can say.',
    input: z.object({
      id: z.uuid(),
      email: z.email().nullable(),
      when: z.iso.datetime().optional(),
      limit: z.int().min(1).max(100).default(10),
      tags: z.array(z.string()).max(5),
      pair: z.tuple([z.string(), z.number()]),
      head: z.tuple([z.string()], z.boolean()),
      scores: z.record(z.string(), z.number()),
      axes: z.record(z.enum(['x', 'y']), z.number()),
      some: z.partialRecord(z.enum(['a', 'b']), z.string()),
      mode: z.literal('fast').or(z.literal('slow')),
      shape: Shape,
      both: z.intersection(z.object({ a: z.string() }), z.object({ b: z.number() })),
      loose: z.looseObject({ a: z.string() }),
      extra: z.object({ a: z.string() }).catchall(z.number()),
      strict: z.strictObject({ a: z.string() }),
      date: z.date().optional(),
      tree: Node,
      nested: z.object({ deep: z.object({ deeper: z.array(z.object({ x: z.number().nullish() })) }) }).optional(),
    }),
    output: z.object({ ok: z.boolean(), count: z.int().default(0), shape: Shape }),
    run: noop,
  });
  const full = `{
    id: 'u', email: null, limit: 5, tags: ['a'], pair: ['a', 1], head: ['a', true, false],
    scores: { a: 1 }, axes: { x: 1, y: 2 }, some: { a: 'x' }, mode: 'fast',
    shape: { kind: 'circle', radius: 1 }, both: { a: 'a', b: 1 }, loose: { a: 'a', other: 1 },
    extra: { a: 'a', b: 2 }, strict: { a: 'a' }, tree: { name: 'r', children: [{ name: 'c' }] },
    nested: { deep: { deeper: [{ x: null }, {}] } },
  }`;
  const catalog = catalogFromTools({ tools: [tool] });
  return {
    name: 'a zod schema using most of zod',
    entries: catalog.entries,
    ok: [
      `const r = await codemode.rich(${full}); const n: number = r.count; if (r.shape.kind === 'square') r.shape.side.toFixed();`,
      `await codemode.rich({ ...${full}, pair: ['b', 2] as [string, number], when: '2024-01-01T00:00:00Z', date: new Date() });`,
    ],
    bad: [
      `await codemode.rich({ ...${full}, pair: ['a'] });`,
      `await codemode.rich({ ...${full}, axes: { x: 1 } });`,
      `await codemode.rich({ ...${full}, some: { c: 'x' } });`,
      `await codemode.rich({ ...${full}, mode: 'medium' });`,
      `await codemode.rich({ ...${full}, shape: { kind: 'circle', side: 1 } });`,
      `await codemode.rich({ ...${full}, strict: { a: 'a', b: 1 } });`,
      `await codemode.rich({ ...${full}, extra: { a: 'a', b: true } });`,
      `await codemode.rich({ ...${full}, tree: { name: 'r', children: [{ name: 1 }] } });`,
      `await codemode.rich({ ...${full}, limit: '5' });`,
      `const r = await codemode.rich(${full}); r.shape.side;`,
    ],
  };
}

const draft07: JsonSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  type: 'object',
  definitions: {
    point: { type: 'array', items: [{ type: 'number' }, { type: 'number' }], additionalItems: false, minItems: 2 },
    color: { enum: ['red', 'green', null] },
    tree: { type: 'object', properties: { value: { type: 'integer' }, next: { $ref: '#/definitions/tree' } }, required: ['value'] },
  },
  properties: {
    at: { $ref: '#/definitions/point' },
    color: { $ref: '#/definitions/color' },
    label: { type: ['string', 'null'] },
    list: { $ref: '#/definitions/tree' },
    self: { $ref: '#' },
  },
  required: ['at', 'color'],
};

const draft2020: JsonSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  $defs: {
    Json: { anyOf: [{ type: ['string', 'number', 'boolean', 'null'] }, { type: 'array', items: { $ref: '#/$defs/Json' } }, { type: 'object', additionalProperties: { $ref: '#/$defs/Json' } }] },
    Event: {
      oneOf: [
        { type: 'object', properties: { type: { const: 'click' }, x: { type: 'number' } }, required: ['type', 'x'] },
        { type: 'object', properties: { type: { const: 'key' }, key: { type: 'string' } }, required: ['type', 'key'] },
      ],
    },
  },
  properties: {
    data: { $ref: '#/$defs/Json' },
    event: { $ref: '#/$defs/Event' },
    range: { type: 'array', prefixItems: [{ type: 'integer' }, { type: 'integer' }], items: false, minItems: 1 },
    env: { type: 'object', patternProperties: { '^[A-Z_]+$': { type: 'string' } }, additionalProperties: false },
    headers: { type: 'object', properties: { host: { type: 'string' }, port: { type: 'integer' } }, additionalProperties: { type: 'string' } },
    level: { type: 'object', propertyNames: { enum: ['low', 'high'] }, additionalProperties: { type: 'boolean' }, required: ['low'] },
    base: { allOf: [{ type: 'object', properties: { a: { type: 'string' } }, required: ['a'] }, { type: 'object', properties: { b: { type: 'number' } } }] },
    mixed: { type: 'object', properties: { common: { type: 'string' } }, required: ['common'], oneOf: [{ properties: { x: { type: 'number' } }, required: ['x'] }, { properties: { y: { type: 'number' } }, required: ['y'] }] },
    version: { const: 2 },
    open: { type: 'object' },
    anything: true,
    closed: { type: 'object', properties: { a: { type: 'string' } }, unevaluatedProperties: false },
  },
  required: ['data', 'event', 'range', 'version'],
};

/** Shaped like tool schemas from a Python MCP server (pydantic): titles everywhere, `anyOf` with null. */
const pydantic: JsonSchema = {
  type: 'object',
  title: 'search_issuesArguments',
  $defs: { State: { title: 'State', type: 'string', enum: ['open', 'closed'] } },
  properties: {
    query: { title: 'Query', type: 'string' },
    state: { $ref: '#/$defs/State', default: 'open' },
    per_page: { anyOf: [{ type: 'integer', maximum: 100 }, { type: 'null' }], default: null, title: 'Per Page' },
    labels: { anyOf: [{ type: 'array', items: { type: 'string' } }, { type: 'null' }], default: null, title: 'Labels' },
  },
  required: ['query'],
};

const openApi: JsonSchema = {
  type: 'object',
  properties: { name: { type: 'string', nullable: true }, count: { type: 'integer', format: 'int32', exclusiveMinimum: true, minimum: 0 } },
  required: ['name'],
};

const aliasCycle: JsonSchema = {
  $defs: {
    A: { anyOf: [{ $ref: '#/$defs/B' }, { type: 'string' }] },
    B: { anyOf: [{ $ref: '#/$defs/A' }, { type: 'number' }] },
    C: { allOf: [{ $ref: '#/$defs/C' }, { type: 'object', properties: { c: { type: 'string' } } }] },
    L: { type: 'array', items: { $ref: '#/$defs/L' } },
  },
  type: 'object',
  properties: { a: { $ref: '#/$defs/A' }, c: { $ref: '#/$defs/C' }, l: { $ref: '#/$defs/L' } },
  required: ['a'],
};

const edgeSchemas: ToolEntry[] = [
  entry(['anything'], true),
  entry(['nothing'], false),
  entry(['empty'], {}),
  entry(['noArgs'], { type: 'object', properties: {} }),
  entry(['anyObject'], { type: 'object' }),
  entry(['never'], { type: 'object', properties: { a: { not: {} } }, required: ['a'] }),
  entry(['noEnum'], { type: 'object', properties: { a: { enum: [] } }, required: ['a'] }),
  entry(['remote'], { type: 'object', properties: { a: { $ref: 'https://example.com/schema.json' }, b: { $ref: '#/nowhere' } } }),
  entry(['listed'], { type: 'object', required: ['a', 'b'], properties: { a: { type: 'string' } }, additionalProperties: false }),
  entry(['weird'], { type: 'object', properties: { a: { type: 'strange' }, b: { type: [] }, c: 5, d: { items: 'x', properties: [1] } } as never }),
  entry(['literals'], { type: 'object', properties: { a: { const: { k: [1, 'x', null] } }, b: { enum: [1, -2.5, true, 'x"y'] } }, required: ['a', 'b'] }),
];

const HOSTILE = `x']; globalThis.pwn = 1; //`;
const hostile: ToolEntry[] = [
  { path: [HOSTILE], description: 'Ends */ a comment; /* and opens one', inputSchema: { type: 'object', properties: { [HOSTILE]: { type: 'string', description: '*/ globalThis.pwn = 2; /*', pattern: 'a*/b', default: '*/' } }, required: [HOSTILE] } },
  { path: ['ns */ x', 'new'], description: 'line one\nline two */\u2028three', inputSchema: { type: 'object', properties: { 'a"b\\c': { type: 'number' }, new: { type: 'string' }, constructor: { type: 'string' }, __proto__x: { $ref: '#/$defs/Promise' } }, $defs: { Promise: { type: 'string' } } } },
  { path: ['2fa', 'x\ny'], description: '', inputSchema: { type: 'object', properties: { 'ü': { $ref: '#/$defs/Map' }, '': { $ref: '#/$defs/%2A%2F' } }, $defs: { Map: { type: 'string' }, '*/': { type: 'number' } } } },
];

const cases: Case[] = [
  zodCase(),
  richZodCase(),
  {
    name: 'a draft-07 document with definitions, tuples and a self reference',
    entries: [entry(['d7'], draft07)],
    ok: [`await codemode.d7({ at: [1, 2], color: null, label: null, list: { value: 1, next: { value: 2 } }, self: { at: [0, 0], color: 'red' } });`],
    bad: [`await codemode.d7({ at: [1], color: 'red' });`, `await codemode.d7({ at: [1, 2], color: 'blue' });`, `await codemode.d7({ at: [1, 2], color: 'red', list: { next: {} } });`],
  },
  {
    name: 'a 2020-12 document with recursive JSON, a discriminated union and every object form',
    entries: [entry(['d2020'], draft2020)],
    ok: [
      `await codemode.d2020({ data: { a: [1, 'x', null, { b: true }] }, event: { type: 'key', key: 'k' }, range: [1], version: 2,
        env: { PATH: 'x' }, headers: { host: 'h', port: 1, other: 'x' }, level: { low: true },
        base: { a: 'a', b: 1 }, mixed: { common: 'c', x: 1 }, open: { any: 1 }, anything: 1, closed: { a: 'a' } });`,
    ],
    bad: [
      `await codemode.d2020({ data: 1, event: { type: 'key', x: 1 }, range: [1], version: 2 });`,
      `await codemode.d2020({ data: 1, event: { type: 'key', key: 'k' }, range: [1, 2, 3], version: 2 });`,
      `await codemode.d2020({ data: 1, event: { type: 'key', key: 'k' }, range: [1], version: 3 });`,
      `await codemode.d2020({ data: 1, event: { type: 'key', key: 'k' }, range: [1], version: 2, level: { high: true } });`,
      `await codemode.d2020({ data: 1, event: { type: 'key', key: 'k' }, range: [1], version: 2, env: { PATH: 1 } });`,
      `await codemode.d2020({ data: 1, event: { type: 'key', key: 'k' }, range: [1], version: 2, base: { b: 1 } });`,
      `await codemode.d2020({ data: 1, event: { type: 'key', key: 'k' }, range: [1], version: 2, closed: { a: 'a', b: 1 } });`,
    ],
  },
  {
    name: 'schemas shaped like pydantic and OpenAPI output',
    entries: [entry(['github', 'search_issues'], pydantic), entry(['openapi'], openApi, { type: 'array', items: { type: 'string', nullable: true } })],
    ok: [
      `await codemode.github.search_issues({ query: 'q', state: 'closed', per_page: null, labels: ['bug'] });`,
      `const names: (string | null)[] = await codemode.openapi({ name: null, count: 1 });`,
    ],
    bad: [`await codemode.github.search_issues({ query: 'q', state: 'merged' });`, `await codemode.github.searchIssues({ query: 'q' });`, `await codemode.openapi({ count: 1 });`],
  },
  {
    name: 'alias cycles that TypeScript would reject',
    entries: [entry(['cycles'], aliasCycle)],
    ok: [`await codemode.cycles({ a: 'x', c: { c: 'y' }, l: [[[]]] });`],
    bad: [`await codemode.cycles({});`, `await codemode.cycles({ a: 'x', l: [1] });`],
  },
  {
    name: 'boolean, empty and degenerate schemas',
    entries: edgeSchemas,
    ok: [
      `await codemode.anything(1); await codemode.empty('x'); await codemode.noArgs({}); await codemode.anyObject({ a: 1 });`,
      `await codemode.remote({ a: 1, b: 'x' }); await codemode.listed({ a: 'a', b: 1 });`,
      `await codemode.weird({ a: 1, b: 2, c: 3, d: [4] }); await codemode.literals({ a: { k: [1, 'x', null] }, b: -2.5 });`,
    ],
    bad: [
      `await codemode.nothing({});`,
      `await codemode.never({ a: 1 });`,
      `await codemode.noEnum({ a: 1 });`,
      `await codemode.listed({ a: 'a' });`,
      `await codemode.literals({ a: { k: [1, 'x', null] }, b: 'x' });`,
      `await codemode.anyObject(1);`,
    ],
  },
  {
    name: 'hostile tool, namespace, property and definition names',
    entries: hostile,
    ok: [
      `await codemode[${JSON.stringify(HOSTILE)}]({ [${JSON.stringify(HOSTILE)}]: 'v' });`,
      `await codemode['ns */ x']['new']({ 'a"b\\\\c': 1, new: 'n', constructor: 'c', __proto__x: 'p' });`,
      `await codemode['2fa']['x\\ny']({ 'ü': 'm', '': 1 });`,
    ],
    bad: [`await codemode[${JSON.stringify(HOSTILE)}]({});`, `await codemode['ns */ x']['new']({ __proto__x: 1 });`],
  },
];

for (const testCase of cases) {
  test(`declarations for ${testCase.name} compile with every valid call`, () => {
    const text = printDeclarations(testCase.entries, { namespaces: testCase.namespaces });
    for (const snippet of testCase.ok) {
      assert.deepEqual(checkCall(text, snippet), [], `${snippet}\n--- declarations ---\n${text}`);
      assert.deepEqual(checkCall(text, snippet, { exactOptionalPropertyTypes: true, noUncheckedIndexedAccess: true }), [], snippet);
    }
  });

  test(`declarations for ${testCase.name} reject each wrong call`, () => {
    const text = printDeclarations(testCase.entries, { namespaces: testCase.namespaces });
    for (const snippet of testCase.bad) {
      const diagnostics = checkCall(text, snippet);
      assert.ok(diagnostics.length > 0, `expected a diagnostic for: ${snippet}\n--- declarations ---\n${text}`);
      assert.ok(diagnostics.every((line) => line.startsWith('main.ts:')), `the declarations themselves failed:\n${diagnostics.join('\n')}`);
    }
  });
}
