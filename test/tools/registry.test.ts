import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { z } from 'zod';
import { CodemodeError, defineCapability, defineTool, Executor } from '../../src/index.js';
import { ToolRegistry } from '../../src/tools/registry.js';
import { valueOf } from '../run-result.js';

const tool = (name: string) => defineTool({ name, description: `${name}.`, input: z.object({}), run: () => name });

describe('defineTool and defineCapability', () => {
  test('a malformed definition fails at startup with the bad value shown', () => {
    const cases: Array<[() => unknown, string]> = [
      [() => defineTool({ name: 'a.b', description: '', input: z.object({}), run: () => 1 }), 'expected a tool `name` of 1 to 128 characters without ".", got `"a.b"` (string)'],
      [() => defineTool({ name: '', description: '', input: z.object({}), run: () => 1 }), 'expected a tool `name` of 1 to 128 characters without ".", got `""` (string)'],
      [() => defineTool({ name: 'x', description: 5 as unknown as string, input: z.object({}), run: () => 1 }), 'tool "x": expected `description` to be a string, got `5` (number)'],
      [() => defineTool({ name: 'x', description: '', input: { type: 'object' } as unknown as z.ZodObject, run: () => 1 }), 'tool "x": expected `input` to be a zod schema, got an object'],
      [() => defineTool({ name: 'x', description: '', input: z.object({}), approval: 'maybe' as 'ask', run: () => 1 }), "tool \"x\": expected `approval` to be 'auto', 'ask' or 'deny', got `\"maybe\"` (string)"],
      [() => defineTool({ name: 'x', description: '', input: z.object({}) } as never), 'tool "x": expected `run` to be a function, got `undefined`'],
      [() => defineCapability({ name: 'fs', tools: 'all' as never }), 'capability "fs": expected `tools` to be an array, got `"all"` (string)'],
    ];
    for (const [make, message] of cases) {
      assert.throws(make, (error: CodemodeError) => error instanceof CodemodeError && error.code === 'INVALID_TOOL' && error.message === message, message);
    }
  });

  test('names that are not identifiers are allowed and callable', async () => {
    const executor = new Executor({ tools: [tool('get-weather')] });
    try {
      const result = await executor.run('return await codemode["get-weather"]({})');
      assert.equal(valueOf(result), 'get-weather');
    } finally {
      await executor.close();
    }
  });
});

describe('ToolRegistry', () => {
  test('full names put capability tools under their namespace, in registration order', () => {
    const registry = new ToolRegistry([tool('b'), tool('a')], [defineCapability({ name: 'fs', tools: [tool('read')] })]);
    assert.deepEqual(registry.names(), ['b', 'a', 'fs.read']);
    assert.equal(registry.get('fs.read')?.namespace, 'fs');
  });

  test('duplicate names are refused', () => {
    assert.throws(() => new ToolRegistry([tool('a'), tool('a')]), /two tools are named "a"/);
    assert.throws(() => new ToolRegistry([tool('fs')], [defineCapability({ name: 'fs', tools: [] })]), /capability "fs" has the same name/);
    assert.throws(() => new ToolRegistry([], [defineCapability({ name: 'x', tools: [] }), defineCapability({ name: 'x', tools: [] })]), /capability "x"/);
  });

  test('an unknown name suggests a close one and lists at most 30 names', () => {
    const registry = new ToolRegistry(Array.from({ length: 40 }, (_, i) => tool(`tool${i}`)));
    const message = registry.current.unknownToolMessage('tool_3');
    assert.match(message, /^codemode\.tool_3 is not a tool\. Did you mean codemode\.tool3\? Available: tool0, tool1, .* tool29 and 10 more\.$/);
    assert.equal(new ToolRegistry().current.unknownToolMessage('x'), 'codemode.x is not a tool: this host offers no tools.');
    assert.doesNotMatch(new ToolRegistry([tool('alpha')]).current.unknownToolMessage('zzzzzzzz'), /Did you mean/);
  });
});

describe('ToolRegistry.update', () => {
  test('replacements and removals land as one change; an update that changes nothing is no change', () => {
    const a = defineCapability({ name: 'a', tools: [tool('one')] });
    const b = defineCapability({ name: 'b', tools: [tool('two')] });
    const registry = new ToolRegistry([], [a, b]);
    const changes: { added: string[]; removed: string[] }[] = [];
    registry.onChange((change) => changes.push({ added: [...change.added], removed: [...change.removed] }));
    const a2 = defineCapability({ name: 'a', tools: [tool('one'), tool('three')] });
    const c = defineCapability({ name: 'c', tools: [tool('four')] });
    registry.update({ replace: [a2, c], remove: ['b', 'nothing'] });
    assert.deepEqual(changes, [{ added: ['a.one', 'a.three', 'c.four'], removed: ['a.one', 'b.two'] }]);
    assert.deepEqual(registry.names(), ['a.one', 'a.three', 'c.four']);
    registry.update({ replace: [a2, c], remove: ['b'] });
    assert.equal(changes.length, 1, 'the same capabilities again are no change');
  });

  test('a malformed item leaves the set unchanged', () => {
    const registry = new ToolRegistry([tool('x')]);
    assert.throws(() => registry.update({ replace: [defineCapability({ name: 'a', tools: [] }), { name: 'bad.name' } as never], remove: ['x'] }), CodemodeError);
    assert.deepEqual(registry.names(), ['x']);
  });
});
