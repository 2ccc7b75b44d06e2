import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { z } from 'zod';
import { defineTool, Executor, type CallNotice } from '../../src/index.js';

const reporter = defineTool({
  name: 'report',
  description: 'Reports progress and a log line, then answers whether it could.',
  input: z.object({}),
  run: (_input, context) => {
    context.notify?.({ type: 'progress', progress: 1, total: 2, message: 'half' });
    context.notify?.({ type: 'log', level: 'info', logger: 'report', data: { step: 1 } });
    return context.notify !== undefined;
  },
});
const executor = new Executor({ tools: [reporter], capabilities: [{ name: 'ns', tools: [reporter] }] });
after(() => executor.close());

describe('tool notices', () => {
  test("a tool's notices reach the run's onNotice in order, tagged with the run and the call", async () => {
    const notices: CallNotice[] = [];
    const result = await executor.run('return [await codemode.report(), await codemode.ns.report()]', { onNotice: (notice) => notices.push(notice) });
    assert.deepEqual(result.ok && result.value, [true, true]);
    const runId = notices[0]!.runId;
    assert.deepEqual(notices, [
      { type: 'progress', progress: 1, total: 2, message: 'half', runId, callId: 1, name: 'report' },
      { type: 'log', level: 'info', logger: 'report', data: { step: 1 }, runId, callId: 1, name: 'report' },
      { type: 'progress', progress: 1, total: 2, message: 'half', runId, callId: 2, name: 'ns.report' },
      { type: 'log', level: 'info', logger: 'report', data: { step: 1 }, runId, callId: 2, name: 'ns.report' },
    ]);
  });

  test('without onNotice a tool has no notify, and a listener that throws does not fail the call', async () => {
    const quiet = await executor.run('return await codemode.report()');
    assert.equal(quiet.ok && quiet.value, false);
    const loud = await executor.run('return await codemode.report()', {
      onNotice: () => {
        throw new Error('listener failed');
      },
    });
    assert.equal(loud.ok && loud.value, true, JSON.stringify(loud));
  });

  test('onNotice must be a function', async () => {
    await assert.rejects(executor.run('return 1', { onNotice: 'yes' as never }), /expected `onNotice` to be a function/);
  });
});
