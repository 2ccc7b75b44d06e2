// defineTool takes zod 4 schemas (zod ≥ 4, or `zod/v4` of zod 3.25) and says exactly that when given a zod 3
// schema, instead of failing later inside a run.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { z } from 'zod';
import { z as z3 } from 'zod3';
import { z as z3v4 } from 'zod3/v4';
import { defineTool } from '../../src/index.js';

const ZOD3 = /needs zod 4 schemas: `import \{ z \} from 'zod'` with zod 4, or `import \{ z \} from 'zod\/v4'` with zod 3\.25 or later$/;

describe('defineTool and zod versions', () => {
  test('a zod 3 input schema throws INVALID_TOOL saying which zod is needed', () => {
    assert.throws(
      () => defineTool({ name: 'old', description: 'Old zod.', input: z3.object({ a: z3.string() }) as unknown as z.ZodType, run: () => 1 }),
      (error: { code: string; message: string }) => {
        assert.equal(error.code, 'INVALID_TOOL');
        assert.match(error.message, /^tool "old": `input` is a zod 3 schema; /);
        assert.match(error.message, ZOD3);
        return true;
      },
    );
  });

  test('a zod 3 output schema throws the same, naming `output`', () => {
    assert.throws(
      () => defineTool({ name: 'old', description: 'Old zod.', input: z.object({}), output: z3.string() as unknown as z.ZodType, run: () => 'x' }),
      /^CodemodeError: tool "old": `output` is a zod 3 schema; /,
    );
  });

  test('zod/v4 from zod 3.25 is accepted', () => {
    const tool = defineTool({ name: 'bridged', description: 'zod/v4 of zod 3.', input: z3v4.object({ a: z3v4.string() }) as unknown as z.ZodType, run: () => 1 });
    assert.equal(tool.name, 'bridged');
  });

  test('something that is no schema at all is still "expected a zod schema"', () => {
    assert.throws(() => defineTool({ name: 'none', description: 'No schema.', input: { parse() {} } as unknown as z.ZodType, run: () => 1 }), /expected `input` to be a zod schema, got an object/);
  });

  test('`idempotent` must be a boolean', () => {
    assert.throws(() => defineTool({ name: 'again', description: 'Safe to repeat.', input: z.object({}), idempotent: 'yes' as never, run: () => 1 }), /tool "again": expected `idempotent` to be a boolean, got `"yes"`/);
    assert.equal(defineTool({ name: 'again', description: 'Safe to repeat.', input: z.object({}), idempotent: true, run: () => 1 }).idempotent, true);
  });
});
