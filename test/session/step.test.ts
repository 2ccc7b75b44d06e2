import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { CodemodeError, Executor, type HostCallRequest, type SessionEvent } from '../../src/index.js';
import { double, echo } from '../fixtures.js';
import { valueOf } from '../run-result.js';

const executor = new Executor({ tools: [double, echo] });
after(() => executor.close());

function asCall(event: SessionEvent): HostCallRequest {
  assert.equal(event.type, 'host_call', `expected a host call, got ${JSON.stringify(event)}`);
  return event as HostCallRequest;
}

describe('step-by-step sessions', () => {
  test('two dependent calls are answered by the caller: double(3) then double(6) gives 12', async () => {
    const session = await executor.start('const a = await codemode.double({ n: 3 });\nconst b = await codemode.double({ n: a });\nreturn b;');
    const first = asCall(await session.nextEvent());
    assert.deepEqual([first.name, first.input, first.approval], ['double', { n: 3 }, 'auto']);
    session.submitResult(first.callId, 6);
    const second = asCall(await session.nextEvent());
    assert.deepEqual(second.input, { n: 6 });
    session.submitResult(second.callId, 12);
    const end = await session.nextEvent();
    assert.equal(end.type, 'completed');
    assert.equal(end.type === 'completed' && end.value, 12);
    assert.equal(end.stats.hostCalls, 2);
    assert.equal(await session.nextEvent(), end, 'the terminal event repeats');
    assert.equal(await session.result, end);
  });

  test('submitError rejects the call inside the isolate, where code can catch it', async () => {
    const session = await executor.start('try { await codemode.double({ n: 1 }) } catch (e) { return [e.kind, e.name, e.message] }');
    const call = asCall(await session.nextEvent());
    session.submitError(call.callId, new RangeError('too big'));
    const end = await session.nextEvent();
    assert.deepEqual(end.type === 'completed' && end.value, ['host', 'RangeError', 'too big']);
  });

  test('submitError with a plain object can mark the call denied', async () => {
    const session = await executor.start('await codemode.double({ n: 1 })');
    const call = asCall(await session.nextEvent());
    session.submitError(call.callId, { kind: 'denied', message: 'not today', hint: 'Ask the user first.' });
    const end = await session.nextEvent();
    assert.equal(end.type, 'failed');
    assert.equal(end.type === 'failed' && end.error.kind, 'denied');
    assert.equal(end.type === 'failed' && end.error.hint, 'Ask the user first.');
  });

  test('async iteration yields every event and ends after the terminal one', async () => {
    const session = await executor.start('return (await codemode.double({ n: 2 })) + (await codemode.double({ n: 5 }))');
    const seen: string[] = [];
    for await (const event of session) {
      seen.push(event.type);
      if (event.type === 'host_call') session.submitResult(event.callId, (event.input as { n: number }).n * 2);
    }
    assert.deepEqual(seen, ['host_call', 'host_call', 'completed']);
    const result = await session.result;
    assert.equal(valueOf(result), 14);
  });

  test('concurrent calls arrive together and can be answered in any order', async () => {
    const session = await executor.start('return await Promise.all([codemode.double({ n: 1 }), codemode.double({ n: 2 }), codemode.double({ n: 3 })])');
    const calls = [asCall(await session.nextEvent()), asCall(await session.nextEvent()), asCall(await session.nextEvent())];
    for (const call of calls.reverse()) session.submitResult(call.callId, `answer ${(call.input as { n: number }).n}`);
    const end = await session.nextEvent();
    assert.deepEqual(end.type === 'completed' && end.value, ['answer 1', 'answer 2', 'answer 3']);
  });

  test('cancel mid-run ends the run as cancelled and aborts the open call', async () => {
    const session = await executor.start('await codemode.double({ n: 1 }); return "never"');
    const call = asCall(await session.nextEvent());
    session.cancel('user pressed stop');
    const end = await session.nextEvent();
    assert.equal(end.type, 'failed');
    assert.equal(end.type === 'failed' && end.error.kind, 'cancelled');
    assert.equal(end.type === 'failed' && end.error.message, 'the run was cancelled: user pressed stop');
    assert.equal(call.signal.aborted, true);
    session.submitResult(call.callId, 1); // late answers are ignored, not errors
    session.cancel(); // cancelling twice is harmless
    const next = await executor.run('return "next run"');
    assert.equal(valueOf(next), 'next run');
  });

  test('cancel during a CPU loop ends the run and the next run succeeds', async () => {
    const session = await executor.start('let i = 0; while (true) { i++ }');
    session.cancel();
    const end = await session.result;
    assert.equal(end.ok, false);
    assert.equal(!end.ok && end.error.kind, 'cancelled');
    const next = await executor.run('return 2');
    assert.equal(valueOf(next), 2);
  });

  test('answering a call twice or a call that does not exist throws for the caller', async () => {
    const session = await executor.start('return await codemode.double({ n: 1 })');
    const call = asCall(await session.nextEvent());
    assert.throws(() => session.submitResult(999, 1), (error: CodemodeError) => error.code === 'UNKNOWN_CALL');
    session.submitResult(call.callId, 2);
    assert.throws(() => session.submitResult(call.callId, 2), /already answered/);
    await session.result;
  });

  test('a step caller that never answers meets the deadline as timeout', async () => {
    const session = await executor.start('await codemode.double({ n: 1 })', { timeoutMs: 200 });
    // On a busy machine the deadline may pass before the call is even reported: either way, no answer is a timeout.
    let end = await session.nextEvent();
    if (end.type === 'host_call') end = await session.nextEvent();
    assert.equal(end.type === 'failed' && end.error.kind, 'timeout');
  });

  test('an aborted signal before start gives a cancelled run without using a sandbox', async () => {
    const result = await executor.run('return 1', { signal: AbortSignal.abort() });
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.error.kind, 'cancelled');
    assert.equal(result.stats.cpuMs, 0);
  });
});
