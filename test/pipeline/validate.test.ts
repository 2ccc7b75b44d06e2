import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { z } from 'zod';
import { defineTool } from '../../src/index.js';
import { checkInput, checkOutput } from '../../src/pipeline/validate.js';

describe('schema checks', () => {
  test('input issues are listed with paths, at most five', async () => {
    const many = defineTool({
        name: 'many',
        description: '',
        input: z.object({ a: z.string(), b: z.number(), c: z.array(z.number()), d: z.boolean(), e: z.string(), f: z.string(), g: z.string() }),
        run: () => 1,
      });
    const checked = await checkInput(many, 'many', { a: 1, c: [1, 'x'] });
    assert.equal(checked.ok, false);
    assert.equal(
      !checked.ok && checked.message,
      'invalid input for codemode.many: a: expected string, received number; b: expected number (missing); c[1]: expected number, received string; d: expected boolean (missing); e: expected string (missing); and 2 more',
    );
  });

  test('an output schema with an async refinement is checked asynchronously, and a tool without one passes its value', async () => {
    const tool = defineTool({ name: 'slowCheck', description: '', input: z.object({}), output: z.number().refine(async (n) => n > 0, 'must be positive'), run: () => 1 });
    const checked = await checkOutput(tool, 'slowCheck', -1);
    assert.equal(!checked.ok && checked.message, 'codemode.slowCheck returned a value that does not match its output schema: input: must be positive');
    const plain = defineTool({ name: 'plain', description: '', input: z.object({}), run: () => 1 });
    assert.deepEqual(checkOutput(plain, 'plain', { any: 'thing' }), { ok: true, value: { any: 'thing' } });
  });
});
