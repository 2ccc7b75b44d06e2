import assert from 'node:assert/strict';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { after, describe, test } from 'node:test';
import { z } from 'zod';
import { defineTool, Executor } from '../../src/index.js';
import type { CallObservation, LogObservation, RunObservation } from '../../src/observe/channels.js';
import { double } from '../fixtures.js';

const guarded = defineTool({ name: 'guarded', description: 'Needs approval.', input: z.object({ id: z.string() }), approval: 'ask', run: ({ id }) => `ok ${id}` });
const executor = new Executor({ tools: [double, guarded] });
after(() => executor.close());

describe('diagnostics channels', () => {
  test('runs, calls and console lines are published with their documented payloads', async () => {
    const seen: Array<[string, unknown]> = [];
    const listeners = Object.fromEntries(
      ['codemode:run:start', 'codemode:run:end', 'codemode:call:start', 'codemode:call:end', 'codemode:log'].map((name) => [name, (message: unknown) => seen.push([name, structuredClone({ ...(message as object) })])]),
    );
    for (const [name, listener] of Object.entries(listeners)) subscribe(name, listener);
    try {
      const code = 'console.log("hi"); const a = await codemode.double({ n: 2 }); try { await codemode.guarded({ id: "x" }) } catch (e) {} try { await codemode.nope({}) } catch (e) {} return a';
      const result = await executor.run(code, { approve: () => ({ allowed: false, reason: 'not now' }) });
      assert.equal(result.ok && result.value, 4, JSON.stringify(result));
      const runId = (seen[0]![1] as RunObservation).runId;
      assert.deepEqual(seen.map(([name]) => name), [
        'codemode:run:start',
        'codemode:log',
        'codemode:call:start', 'codemode:call:end',
        'codemode:call:start', 'codemode:call:end',
        'codemode:call:start', 'codemode:call:end',
        'codemode:run:end',
      ]);
      assert.deepEqual(seen[0]![1], { runId, code });
      assert.deepEqual(seen[1]![1] as LogObservation, { runId, level: 'log', text: 'hi' });
      const ends = seen.filter(([name]) => name === 'codemode:call:end').map(([, message]) => message as CallObservation);
      for (const end of ends) assert.ok(typeof end.durationMs === 'number' && end.durationMs >= 0);
      assert.deepEqual(ends.map(({ durationMs, ...rest }) => rest), [
        { runId, callId: ends[0]!.callId, name: 'double', input: { n: 2 }, approval: 'auto', value: 4, outcome: 'ok' },
        { runId, callId: ends[1]!.callId, name: 'guarded', input: { id: 'x' }, approval: 'denied', outcome: 'denied', error: { kind: 'denied', name: 'PermissionDenied', message: 'codemode.guarded was not approved: not now' } },
        { runId, callId: ends[2]!.callId, name: 'nope', outcome: 'runtime', error: { kind: 'runtime', name: 'TypeError', message: ends[2]!.error!.message } },
      ]);
      const end = seen.at(-1)![1] as RunObservation;
      assert.deepEqual([end.outcome, end.hostCalls, typeof end.durationMs, end.result?.ok], ['completed', 3, 'number', true]);
    } finally {
      for (const [name, listener] of Object.entries(listeners)) unsubscribe(name, listener);
    }
  });
});
