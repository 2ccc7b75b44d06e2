import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, describe, test } from 'node:test';
import { z } from 'zod';
import { defineTool, Executor, type ApprovalRequest } from '../../src/index.js';
import { valueOf } from '../run-result.js';

let deletions: string[] = [];
const remove = defineTool({
  name: 'remove',
  description: 'Deletes a record.',
  input: z.object({ id: z.string() }),
  approval: 'ask',
  run: ({ id }) => {
    deletions.push(id);
    return `removed ${id}`;
  },
});
const shutdown = defineTool({ name: 'shutdown', description: 'Never allowed.', input: z.object({}), approval: 'deny', run: () => 'down' });
const read = defineTool({ name: 'read', description: 'Always allowed.', input: z.object({}), run: () => 'data' });

const executor = new Executor({ tools: [remove, shutdown, read] });
after(() => executor.close());

describe('approvals', () => {
  test('an approved call runs and the approver sees the validated call', async () => {
    deletions = [];
    const asked: ApprovalRequest[] = [];
    const result = await executor.run('return await codemode.remove({ id: "a1" })', {
      approve: (request) => {
        asked.push(request);
        return true;
      },
    });
    assert.equal(valueOf(result), 'removed a1');
    assert.deepEqual(deletions, ['a1']);
    assert.equal(asked.length, 1);
    assert.deepEqual([asked[0]!.name, asked[0]!.input, asked[0]!.description], ['remove', { id: 'a1' }, 'Deletes a record.']);
  });

  test('a refused call rejects as denied, the tool never runs, and code can catch it and adapt', async () => {
    deletions = [];
    const result = await executor.run('try { await codemode.remove({ id: "a1" }) } catch (e) { return [e.kind, e.name, e.message, await codemode.read({})] }', {
      approve: async () => false,
    });
    assert.deepEqual(valueOf(result), ['denied', 'PermissionDenied', 'codemode.remove was not approved', 'data']);
    assert.deepEqual(deletions, []);
  });

  test('the executor-level approver applies when the run gives none', async () => {
    const strict = new Executor({ tools: [remove], approve: ({ input }) => (input as { id: string }).id.startsWith('tmp-') });
    try {
      deletions = [];
      const result = await strict.run('const out = []; for (const id of ["tmp-1", "prod-1"]) { try { out.push(await codemode.remove({ id })) } catch (e) { out.push(e.kind) } } return out');
      assert.deepEqual(valueOf(result), ['removed tmp-1', 'denied']);
      assert.deepEqual(deletions, ['tmp-1']);
    } finally {
      await strict.close();
    }
  });

  test('without an approver, run() denies a call that asks and says why', async () => {
    const result = await executor.run('await codemode.remove({ id: "x" })');
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.error.kind, 'denied');
    assert.equal(!result.ok && result.error.message, 'codemode.remove needs approval and no approver is configured');
    assert.equal(!result.ok && result.error.hint, 'The host refused this call. Do not retry it; choose another approach.');
  });

  test('a tool marked deny is refused without asking anyone', async () => {
    let asked = false;
    const result = await executor.run('await codemode.shutdown({})', {
      approve: () => {
        asked = true;
        return true;
      },
    });
    assert.equal(!result.ok && result.error.kind, 'denied');
    assert.equal(!result.ok && result.error.message, 'codemode.shutdown is not allowed on this host');
    assert.equal(asked, false);
  });

  test('in step mode the caller sees a call that asks and decides it', async () => {
    const session = await executor.start('try { return await codemode.remove({ id: "z" }) } catch (e) { return e.kind }');
    const event = await session.nextEvent();
    assert.equal(event.type === 'host_call' && event.approval, 'ask');
    if (event.type === 'host_call') session.submitError(event.callId, { kind: 'denied', message: 'the user said no' });
    const end = await session.nextEvent();
    assert.equal(end.type === 'completed' && end.value, 'denied');
  });

  test('in step mode a call the approver allowed arrives marked approved', async () => {
    const session = await executor.start('return await codemode.remove({ id: "q" })', { approve: () => true });
    const event = await session.nextEvent();
    assert.equal(event.type === 'host_call' && event.approval, 'approved');
    if (event.type === 'host_call') session.submitResult(event.callId, 'ok');
    assert.equal((await session.result).ok, true);
  });

  test('time spent waiting for an approval does not count toward the deadline', async () => {
    let release!: (allowed: boolean) => void;
    let asked!: () => void;
    const askedPromise = new Promise<void>((resolve) => (asked = resolve));
    // The budget must cover the run's own work even on a busy machine, and the wait below must exceed it.
    const run = executor.run('return await codemode.remove({ id: "slow" })', {
      timeoutMs: 1000,
      approve: () => {
        asked();
        return new Promise<boolean>((resolve) => (release = resolve));
      },
    });
    await askedPromise;
    // Wait past the whole 1000 ms budget while the approval is pending: a timer the test does not race.
    await new Promise<void>((resolve) => setTimeout(resolve, 1200));
    release(true);
    const result = await run;
    assert.equal(valueOf(result), 'removed slow');
  });

  test('an approver that takes longer than approvalTimeoutMs denies the call', async () => {
    const result = await executor.run('try { await codemode.remove({ id: "x" }) } catch (e) { return e.message }', {
      approvalTimeoutMs: 20,
      approve: () => new Promise<boolean>(() => {}),
    });
    assert.equal(valueOf(result), 'codemode.remove was not approved: no decision within 20 ms');
  });

  test('an approver that throws denies the call and the run goes on', async () => {
    const result = await executor.run('try { await codemode.remove({ id: "x" }) } catch (e) { return e.message }', {
      approve: () => {
        throw new Error('approval service down');
      },
    });
    assert.equal(valueOf(result), 'codemode.remove was not approved: the approver failed (approval service down)');
  });

  test('an approver can refuse with a reason the model reads', async () => {
    const result = await executor.run('try { await codemode.remove({ id: "x" }) } catch (e) { return e.message }', {
      approve: () => ({ allowed: false, reason: 'deleting needs a ticket number' }),
    });
    assert.equal(valueOf(result), 'codemode.remove was not approved: deleting needs a ticket number');
  });

  test('an open approval question is withdrawn through its signal when the run ends', async () => {
    let signal!: AbortSignal;
    let asked!: () => void;
    const askedPromise = new Promise<void>((resolve) => (asked = resolve));
    const controller = new AbortController();
    const run = executor.run('await codemode.remove({ id: "x" })', {
      signal: controller.signal,
      approve: (request) => {
        signal = request.signal;
        asked();
        return new Promise<boolean>(() => {});
      },
    });
    await askedPromise;
    assert.equal(signal.aborted, false);
    controller.abort();
    const result = await run;
    assert.equal(!result.ok && result.error.kind, 'cancelled');
    assert.equal(signal.aborted, true);
  });

  test('a host whose run ends during an open approval exits on its own (no timer left behind)', async () => {
    const script = join(dirname(fileURLToPath(import.meta.url)), 'pending-approval-host.js');
    const { stdout } = await promisify(execFile)(process.execPath, [script], { timeout: 20_000 });
    assert.equal(stdout, 'cancelled\n');
  });
});
