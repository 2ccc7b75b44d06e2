import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as z from 'zod';
import { defineTool } from '../../src/tools/define.js';
import { printDeclarations, type JsonSchema, type ToolEntry } from '../../src/types/index.js';
import { catalogFromTools } from '../../src/tools/catalog.js';
import { checkCall } from './typecheck.js';

const withDef = (name: string, def: JsonSchema): JsonSchema => ({
  type: 'object',
  properties: { value: { $ref: `#/$defs/${name}` } },
  required: ['value'],
  $defs: { [name]: def },
});

test('identical definitions in different tools are declared once and shared', () => {
  const FileId = z.string().meta({ id: 'FileId', description: 'A file id.' });
  const tools = ['open', 'close'].map((name) =>
    defineTool({ name, description: '', input: z.object({ id: FileId }), run: () => undefined }),
  );
  assert.equal(
    printDeclarations(catalogFromTools({ tools }).entries),
    `/** A file id. */
type FileId = string;

declare const codemode: {
  open(input: { id: FileId }): Promise<unknown>;
  close(input: { id: FileId }): Promise<unknown>;
};
`,
  );
});

test('different definitions with one name are told apart by their tool name', () => {
  const entries: ToolEntry[] = [
    { path: ['search'], description: '', inputSchema: withDef('Options', { type: 'object', properties: { q: { type: 'string' } } }) },
    { path: ['fs', 'list'], description: '', inputSchema: withDef('Options', { type: 'object', properties: { depth: { type: 'number' } } }) },
    { path: ['fs', 'list2'], description: '', inputSchema: withDef('Options', { type: 'object', properties: { all: { type: 'boolean' } } }) },
  ];
  const text = printDeclarations(entries);
  assert.match(text, /^interface Options \{\n {2}q\?: string;\n\}$/m);
  assert.match(text, /^interface FsListOptions \{\n {2}depth\?: number;\n\}$/m);
  assert.match(text, /^interface FsList2Options \{\n {2}all\?: boolean;\n\}$/m);
  assert.deepEqual(checkCall(text, `await codemode.fs.list({ value: { depth: 1 } }); await codemode.search({ value: { q: 'x' } });`), []);
});

test("a definition named like another tool's input type does not take that name from the tool", () => {
  const entries: ToolEntry[] = [
    { path: ['first'], description: '', inputSchema: withDef('SecondInput', { type: 'string' }) },
    { path: ['second'], description: '', inputSchema: { type: 'object', properties: { n: { type: 'number', description: 'N.' } } } },
  ];
  const text = printDeclarations(entries);
  assert.match(text, /^type FirstSecondInput = string;$/m);
  assert.match(text, /^interface SecondInput \{$/m);
  assert.deepEqual(checkCall(text, `await codemode.first({ value: 'x' }); await codemode.second({ n: 1 });`), []);
});

test('a definition is declared before the types that use it', () => {
  const text = printDeclarations([
    {
      path: ['t'],
      description: '',
      inputSchema: {
        type: 'object',
        properties: { a: { $ref: '#/$defs/Outer' } },
        $defs: { Outer: { type: 'object', properties: { inner: { $ref: '#/$defs/Inner' } } }, Inner: { type: 'string' } },
      },
    },
  ]);
  const order = [...text.matchAll(/^(?:interface|type) (\w+)/gm)].map((match) => match[1]);
  assert.deepEqual(order, ['Inner', 'Outer']);
});

test('a definition that is never referenced is not printed', () => {
  const text = printDeclarations([
    { path: ['t'], description: '', inputSchema: { type: 'object', properties: { a: { type: 'string' } }, $defs: { Unused: { type: 'number' } } } },
  ]);
  assert.doesNotMatch(text, /Unused/);
});
