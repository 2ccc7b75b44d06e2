import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as z from 'zod';
import { CodemodeError } from '../../src/errors.js';
import { defineCapability, defineTool } from '../../src/tools/define.js';
import { printDeclarations } from '../../src/types/index.js';
import { catalogFromTools, toolEntry } from '../../src/tools/catalog.js';

/** Declarations never call a tool; returning `never` fits any output schema. */
const noop = (): never => {
  throw new Error('declaration tests never call run');
};

test('inputs are read on the input side of zod and outputs on the output side', () => {
  const schema = z.object({ limit: z.int().default(10) });
  const tool = defineTool({ name: 'list', description: 'Lists.', input: schema, output: schema, run: noop });
  const entry = toolEntry(tool, ['fs']);
  assert.deepEqual(entry.path, ['fs', 'list']);
  assert.equal(entry.description, 'Lists.');
  assert.deepEqual((entry.inputSchema as { required?: unknown }).required, undefined);
  assert.deepEqual((entry.outputSchema as { required?: unknown }).required, ['limit']);
  assert.equal(
    printDeclarations([entry]),
    `interface FsListInput {
  /** @integer @default 10 */
  limit?: number;
}

interface FsListOutput {
  /** @integer @default 10 */
  limit: number;
}

declare const codemode: {
  fs: {
    /** Lists. */
    list(input?: FsListInput): Promise<FsListOutput>;
  };
};
`,
  );
});

test('top-level tools come first, then each capability, with its description as a namespace entry', () => {
  const tool = (name: string) => defineTool({ name, description: '', input: z.object({}), run: noop });
  const catalog = catalogFromTools({
    tools: [tool('b'), tool('a')],
    capabilities: [defineCapability({ name: 'fs', description: 'Files.', tools: [tool('read')] }), defineCapability({ name: 'env', tools: [tool('get')] })],
  });
  assert.deepEqual(
    catalog.entries.map((entry) => entry.path.join('.')),
    ['b', 'a', 'fs.read', 'env.get'],
  );
  assert.deepEqual(catalog.namespaces, [{ path: ['fs'], description: 'Files.' }]);
  assert.equal(catalog.entries[0]?.outputSchema, undefined);
});

test('zod types JSON Schema cannot express print as unknown instead of failing the catalog', () => {
  const tool = defineTool({ name: 'when', description: '', input: z.object({ at: z.date(), big: z.bigint().optional() }), run: noop });
  assert.match(printDeclarations(catalogFromTools({ tools: [tool] }).entries), /^ {2}when\(input: \{ at: unknown; big\?: unknown \}\): Promise<unknown>;$/m);
});

test('tools and capabilities that are not arrays throw INVALID_OPTION', () => {
  const invalid = (error: unknown) => error instanceof CodemodeError && error.code === 'INVALID_OPTION';
  assert.throws(() => catalogFromTools({ tools: {} as never }), invalid);
  assert.throws(() => catalogFromTools({ capabilities: 'fs' as never }), /expected `capabilities` to be an array, got `"fs"` \(string\)/);
  assert.deepEqual(catalogFromTools({}), { entries: [], namespaces: [] });
});

test('a zod schema that cannot be converted throws INVALID_TOOL naming the tool and the side', () => {
  const input = z.object({
    get broken(): z.ZodString {
      throw new Error('boom');
    },
  });
  const tool = defineTool({ name: 'bad', description: '', input, run: noop });
  assert.throws(
    () => toolEntry(tool, ['x']),
    (error: unknown) =>
      error instanceof CodemodeError && error.code === 'INVALID_TOOL' && error.message === 'tool "x.bad": cannot express the input schema as JSON Schema: boom',
  );
});
