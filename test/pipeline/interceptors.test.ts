import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { z } from 'zod';
import { CodemodeError, defineTool, Executor, ToolError, type HostCall, type HostCallRequest, type Interceptor, type SessionEvent } from '../../src/index.js';
import { double, echo } from '../fixtures.js';

const trace: string[] = [];
/** Records the call on the way in and the value on the way out. */
const named = (label: string): Interceptor => async (call, next) => {
  trace.push(`${label}>${call.name}`);
  const value = await next(call);
  trace.push(`<${label}:${JSON.stringify(value)}`);
  return value;
};

const strict = defineTool({ name: 'strict', description: 'Promises a number, returns text.', input: z.object({}), output: z.number(), run: () => 'text' as unknown as number });
const guarded = defineTool({ name: 'guarded', description: 'Needs approval.', input: z.object({}), approval: 'ask', run: () => 'ran' });
const executor = new Executor({ tools: [double, echo, strict, guarded], interceptors: [named('executor')] });
after(() => executor.close());

function asCall(event: SessionEvent): HostCallRequest {
  assert.equal(event.type, 'host_call', `expected a host call, got ${JSON.stringify(event)}`);
  return event as HostCallRequest;
}

describe('interceptors', () => {
  test("the executor's interceptors wrap the run's, and the first of a list is the outermost", async () => {
    trace.length = 0;
    const result = await executor.run('return await codemode.double({ n: 2 })', { interceptors: [named('run1'), named('run2')] });
    assert.equal(result.ok && result.value, 4, JSON.stringify(result));
    assert.deepEqual(trace, ['executor>double', 'run1>double', 'run2>double', '<run2:4', '<run1:4', '<executor:4']);
  });

  test('an interceptor can change the input, answer without the tool, or change the value', async () => {
    const rewrite: Interceptor = (call, next) => (call.name === 'double' ? next({ ...call, input: { n: 10 } }) : next(call));
    const cache: Interceptor = async (call, next) => (call.name === 'echo' ? 'from cache' : next(call));
    const shout: Interceptor = async (call, next) => {
      const value = await next(call);
      return typeof value === 'string' ? value.toUpperCase() : value;
    };
    const result = await executor.run('return [await codemode.double({ n: 1 }), await codemode.echo({ value: "x" })]', { interceptors: [shout, rewrite, cache] });
    assert.deepEqual(result.ok && result.value, [20, 'FROM CACHE'], JSON.stringify(result));
  });

  test('an interceptor that throws rejects the call in the code, where it can be caught; a ToolError keeps its kind', async () => {
    const refuse: Interceptor = async (call) => {
      if (call.name === 'echo') throw new ToolError('denied', 'echo is switched off', { hint: 'Use double.' });
      throw new RangeError('interceptor broke');
    };
    const result = await executor.run(
      'const out = []; for (const f of [() => codemode.echo({ value: 1 }), () => codemode.double({ n: 1 })]) { try { await f() } catch (e) { out.push([e.kind, e.name, e.message, e.hint ?? null]) } } return out',
      { interceptors: [refuse] },
    );
    assert.deepEqual(result.ok && result.value, [
      ['denied', 'ToolError', 'echo is switched off', 'Use double.'],
      ['host', 'RangeError', 'interceptor broke', null],
    ], JSON.stringify(result));
  });

  test('interceptors see only admitted calls: an unknown tool, a bad input and a denial never reach them', async () => {
    const seen: string[] = [];
    const spy: Interceptor = (call, next) => {
      seen.push(call.name);
      return next(call);
    };
    const result = await executor.run(
      'const kinds = []; for (const f of [() => codemode.nope({}), () => codemode.double({ n: "x" }), () => codemode.guarded({}), () => codemode.double({ n: 1 })]) { try { await f() } catch (e) { kinds.push(e.kind) } } return kinds',
      { interceptors: [spy] },
    );
    assert.deepEqual(result.ok && result.value, ['runtime', 'invalid_input', 'denied'], JSON.stringify(result));
    assert.deepEqual(seen, ['double']);
  });

  test('the call an interceptor sees carries the run, the validated input, the tool and the approval', async () => {
    const calls: HostCall[] = [];
    const keep: Interceptor = (call, next) => {
      calls.push(call);
      return next(call);
    };
    const session = await executor.start('await codemode.guarded({ extra: 1 }); return 1', { interceptors: [keep], approve: () => true });
    const event = asCall(await session.nextEvent());
    session.callTool(event.callId);
    const end = await session.result;
    assert.equal(end.ok && end.value, 1, JSON.stringify(end));
    const [call] = calls;
    assert.deepEqual([call!.runId, call!.callId, call!.name, call!.input, call!.tool, call!.approval], [session.runId, event.callId, 'guarded', {}, guarded, 'approved']);
    assert.equal(call!.signal, event.signal);
  });

  test('in step mode interceptors wrap the caller\'s answer, and the run is the same as with run()', async () => {
    trace.length = 0;
    const session = await executor.start('return await codemode.double({ n: 3 })');
    const call = asCall(await session.nextEvent());
    session.submitResult(call.callId, 'by hand');
    const end = await session.result;
    assert.equal(end.ok && end.value, 'by hand');
    assert.deepEqual(trace, ['executor>double', '<executor:"by hand"']);
  });

  test('callTool hands one call to its registered tool, whose output is checked like in run()', async () => {
    const session = await executor.start('const a = await codemode.double({ n: 4 }); try { await codemode.strict({}) } catch (e) { return [a, e.kind, e.message] }');
    session.callTool(asCall(await session.nextEvent()).callId);
    session.callTool(asCall(await session.nextEvent()).callId);
    const end = await session.result;
    assert.deepEqual(end.ok && end.value, [8, 'host', 'codemode.strict returned a value that does not match its output schema: input: expected number, received string'], JSON.stringify(end));
  });

  test('callTool on a call that asks for approval means the caller allowed it', async () => {
    const session = await executor.start('return await codemode.guarded({})');
    const call = asCall(await session.nextEvent());
    assert.equal(call.approval, 'ask');
    session.callTool(call.callId);
    const end = await session.result;
    assert.equal(end.ok && end.value, 'ran');
  });

  test('interceptors that are not functions are refused with the value shown', () => {
    assert.throws(() => new Executor({ interceptors: [() => Promise.resolve(1), 'log' as never] }), (error: CodemodeError) => error.code === 'INVALID_OPTION' && error.message === 'expected `interceptors[1]` to be a function, got `"log"` (string)');
    assert.throws(() => new Executor({ interceptors: (() => 1) as never }), (error: CodemodeError) => error.code === 'INVALID_OPTION' && /expected `interceptors` to be an array of functions/.test(error.message));
  });
});
