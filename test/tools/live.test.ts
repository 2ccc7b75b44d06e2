import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { z } from 'zod';
import { CodemodeError, defineCapability, defineTool, Executor, type HostCallRequest, type SessionEvent, type ToolSetChange } from '../../src/index.js';
import { double } from '../fixtures.js';

const triple = defineTool({ name: 'triple', description: 'Triples a number.', input: z.object({ n: z.number() }), output: z.number(), run: ({ n }) => n * 3 });
const math = defineCapability({ name: 'math', description: 'Arithmetic.', tools: [defineTool({ name: 'negate', description: 'Negates a number.', input: z.object({ n: z.number() }), run: ({ n }) => -n })] });

function asCall(event: SessionEvent): HostCallRequest {
  assert.equal(event.type, 'host_call', `expected a host call, got ${JSON.stringify(event)}`);
  return event as HostCallRequest;
}

describe('live tool sets', () => {
  const executor = new Executor({ tools: [double], minProcesses: 1 });
  after(() => executor.close());

  test('an added tool and capability are callable by the next run, declared, found and type-checked', async () => {
    assert.equal((await executor.check('return await codemode.triple({ n: 1 })')).length, 1, 'not declared yet');
    executor.tools.add(triple).add(math);
    assert.deepEqual(executor.tools.names(), ['double', 'triple', 'math.negate']);
    assert.match(executor.declarations(), /triple\(input: \{ n: number \}\): Promise<number>;/);
    assert.match(executor.declarations(), /\/\*\* Arithmetic\. \*\/\n {2}math: \{/);
    assert.equal(executor.search('negate')[0]?.name, 'math.negate');
    assert.deepEqual(await executor.check('return (await codemode.triple({ n: 1 })) + (await codemode.math.negate({ n: 1 }) as number)'), []);
    const result = await executor.run('return [await codemode.triple({ n: 2 }), await codemode.math.negate({ n: 2 })]');
    assert.deepEqual(result.ok && result.value, [6, -2], JSON.stringify(result));
  });

  test('a removed tool is gone for the next run, for declarations, search and check; removing it again says false', async () => {
    assert.equal(executor.tools.remove('triple'), true);
    assert.equal(executor.tools.remove('math'), true);
    assert.equal(executor.tools.remove('triple'), false);
    assert.doesNotMatch(executor.declarations(), /triple|negate/);
    assert.deepEqual(executor.search('negate'), []);
    const [diagnostic] = await executor.check('return await codemode.triple({ n: 1 })');
    assert.match(diagnostic!.message, /Property 'triple' does not exist/);
    const result = await executor.run('return await codemode.triple({ n: 1 })');
    assert.equal(!result.ok && result.error.message, 'codemode.triple is not a tool. Available: double.');
  });

  test('a run keeps the tool set it started with while the set changes under it', async () => {
    executor.tools.add(triple);
    const session = await executor.start('const a = await codemode.double({ n: 1 }); const b = await codemode.triple({ n: a }); try { await codemode.later({}) } catch (e) { return [a, b, e.kind] }');
    const first = asCall(await session.nextEvent());
    executor.tools.remove('triple');
    executor.tools.add(defineTool({ name: 'later', description: 'Added mid-run.', input: z.object({}), run: () => 'later' }));
    session.callTool(first.callId);
    const second = asCall(await session.nextEvent());
    assert.equal(second.name, 'triple', 'the removed tool is still there for this run');
    session.callTool(second.callId);
    const end = await session.result;
    assert.deepEqual(end.ok && end.value, [2, 6, 'runtime'], JSON.stringify(end));
    executor.tools.remove('later');
  });

  test('changes never touch the sandbox processes', async () => {
    await executor.warmup();
    const before = executor.sandboxPids();
    executor.tools.add(triple);
    executor.tools.remove('triple');
    assert.equal((await executor.run('return 1')).ok, true);
    assert.ok(executor.sandboxPids().some((pid) => before.includes(pid)), `${JSON.stringify(before)} → ${JSON.stringify(executor.sandboxPids())}`);
  });

  test('replace swaps a tool in one change, in its place; onChange hears every change until unsubscribed', async () => {
    const changes: ToolSetChange[] = [];
    const stop = executor.tools.onChange((change) => changes.push(change));
    executor.tools.add(triple);
    const tripleV2 = defineTool({ ...triple, description: 'Triples, better.', run: ({ n }: { n: number }) => n * 3 + 0 });
    executor.tools.replace(tripleV2);
    assert.deepEqual(executor.tools.names(), ['double', 'triple']);
    assert.match(executor.declarations(), /Triples, better\./);
    executor.tools.remove('triple');
    stop();
    executor.tools.add(triple);
    executor.tools.remove('triple');
    assert.deepEqual(changes, [
      { added: ['triple'], removed: [] },
      { added: ['triple'], removed: ['triple'] },
      { added: [], removed: ['triple'] },
    ]);
  });

  test('a tool whose name is taken, or a malformed one, is refused and the set stays as it was', () => {
    const before = executor.declarations();
    assert.throws(() => executor.tools.add(double), (error: CodemodeError) => error.code === 'DUPLICATE_TOOL' && error.message === 'a tool or capability named "double" already exists');
    assert.throws(() => executor.tools.add({ name: 'bad' } as never), (error: CodemodeError) => error.code === 'INVALID_TOOL');
    assert.throws(() => executor.tools.add(defineCapability({ name: 'double', tools: [] })), (error: CodemodeError) => error.code === 'DUPLICATE_TOOL');
    assert.equal(executor.declarations(), before);
    assert.equal(executor.registry, executor.tools, 'registry is the former name');
  });
});
