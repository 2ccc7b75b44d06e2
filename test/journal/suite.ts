// Durable runs through the public API, run against FileStorage and RedisStorage alike: replay without
// calling a tool again, the seeded random and the journaled clock, divergence, pause and resume across two
// processes, crash recovery after SIGKILL, journal management and caps. Real sandbox processes, real
// stores, real host processes (host.ts) killed for real.
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { z } from 'zod';
import { CodemodeError, defineTool, Executor, type RunResult } from '../../src/index.js';
import type { Storage } from '../../src/storage/index.js';
import { errorOf, valueOf } from '../run-result.js';
import type { StoreSpec } from '../storage/child.js';
import { runScript } from '../storage/suite.js';
import type { HostTask } from './host.js';

export interface StoreFactory {
  create(): Promise<{ storage: Storage; spec: StoreSpec }>;
}

const HOST = fileURLToPath(new URL('./host.js', import.meta.url));

/** Runs host.ts with `task`; resolves with its JSON lines. `killWhen`: SIGKILL it on the first line that matches. */
function host(task: HostTask, killWhen?: (line: Record<string, unknown>) => boolean) {
  return runScript(HOST, task, (line, kill) => killWhen?.(line) && kill());
}

const resultOf = (lines: Record<string, unknown>[]) => lines.find((line) => 'result' in line)?.result as RunResult;
const called = (lines: Record<string, unknown>[]) => lines.filter((line) => 'called' in line).map((line) => line.called);

export function durableSuite(label: string, factory: StoreFactory): void {
  describe(`${label}: durable runs`, () => {
    const calls: string[] = [];
    const tools = [
      defineTool({ name: 'step', description: 'Counts.', input: z.object({ n: z.number() }), run: ({ n }) => (calls.push(`step ${n}`), n * 10) }),
      defineTool({ name: 'hang', description: 'Ends at once here.', input: z.object({}), run: () => (calls.push('hang'), 'hang done') }),
      defineTool({ name: 'hangAgain', description: 'Ends at once here.', input: z.object({}), idempotent: true, run: () => (calls.push('hangAgain'), 'hangAgain done') }),
      defineTool({ name: 'remove', description: 'Needs approval.', input: z.object({ id: z.string() }), approval: 'ask', run: ({ id }) => (calls.push(`remove ${id}`), `removed ${id}`) }),
    ];
    let storage: Storage;
    let spec: StoreSpec;
    let executor: Executor;
    before(async () => {
      ({ storage, spec } = await factory.create());
      executor = new Executor({ tools, storage, minProcesses: 1 });
    });
    after(async () => {
      await executor.close();
      await storage.close();
    });

    const CODE = `
      const first = await codemode.step({ n: 1 });
      const [a, b, c] = await Promise.all([codemode.step({ n: 2 }), codemode.step({ n: 3 }), codemode.step({ n: 4 })]);
      const stamp = new Date().toISOString();
      return { sum: first + a + b + c, random: [Math.random(), Math.random()], now: Date.now(), stamp, called: Date() };`;

    test('a run again under its runId replays from the journal: the same value, seeded random and clock, and no tool called again', async () => {
      calls.length = 0;
      const first = valueOf(await executor.run(CODE, { runId: 'replay', durable: true })) as Record<string, unknown>;
      assert.equal(first.sum, 100);
      assert.deepEqual(calls.sort(), ['step 1', 'step 2', 'step 3', 'step 4']);
      calls.length = 0;
      assert.deepEqual(valueOf(await executor.run(CODE, { runId: 'replay', durable: true })), first);
      assert.deepEqual(valueOf(await executor.resume('replay')), first);
      assert.deepEqual(calls, []);
      // The clock is the journal's: the time of the last delivery, not the time of the replay.
      assert.equal(first.stamp, new Date(first.now as number).toISOString());
      const info = (await executor.journals.list()).find((journal) => journal.runId === 'replay');
      assert.equal(info?.status, 'completed');
    });

    test('two durable runs get different seeds; the clock moves only when results are delivered', async () => {
      const code = 'const t0 = Date.now(); let spin = 0; while (Date.now() === t0 && spin < 1e6) spin++; const t1 = Date.now(); await codemode.step({ n: 1 }); return [t0, t1, Date.now(), Math.random()]';
      const [t0, t1, t2, r1] = valueOf(await executor.run(code, { runId: 'clock-1', durable: true })) as number[];
      const [, , , r2] = valueOf(await executor.run(code, { runId: 'clock-2', durable: true })) as number[];
      assert.equal(t0, t1, 'the clock stands still while code runs');
      assert.ok(t2! >= t1!);
      assert.notEqual(r1, r2);
    });

    test('start() refuses a durable run: its caller answers calls and approvals outside the journal', async () => {
      await assert.rejects(
        executor.start('return await codemode.remove({ id: "s" })', { runId: 'steps', durable: true }),
        (error: unknown) => error instanceof CodemodeError && error.code === 'INVALID_OPTION' && /not available with start\(\).*use run\(\)/.test(error.message),
      );
      assert.equal(await executor.journals.get('steps'), undefined);
    });

    /** Writes, as run `runId`, the journal of run `from` with `code` in its start record: a recording the code does not match. */
    async function recordedAs(from: string, runId: string, code: string): Promise<void> {
      const records = (await storage.readJournal(from))!.records.map((line, i) => (i === 0 ? JSON.stringify({ ...JSON.parse(line), code }) : line));
      await storage.deleteJournal(runId);
      await storage.appendJournal(runId, records, { at: 0, ttlMs: 60_000, maxBytes: 1 << 20 });
    }

    test('a call that differs from the recording fails the run as diverged, saying where and what differed', async () => {
      await executor.run('return await codemode.step({ n: 1 }) + await codemode.step({ n: 2 })', { runId: 'diverge', durable: true });
      calls.length = 0;
      const diverged = async (code: string) => (await recordedAs('diverge', 'diverge-2', code), errorOf(await executor.run(code, { runId: 'diverge-2', durable: true })));
      const input = await diverged('return await codemode.step({ n: 1 }) + await codemode.step({ n: 5 })');
      assert.equal(input.kind, 'diverged');
      assert.equal(input.message, 'the run diverged from its journal: call 2 of the run, codemode.step, had another input when it was recorded');
      assert.equal(input.hint, 'The run no longer makes the calls its journal records (a tool, module or input changed since). Run it again under a new run id.');
      const tool = await diverged('return await codemode.step({ n: 1 }) + await codemode.hang({})');
      assert.equal(tool.message, 'the run diverged from its journal: call 2 of the run was codemode.step(…) when it was recorded; now the code calls codemode.hang(…) there');
      const shorter = await diverged('return await codemode.step({ n: 1 })');
      assert.equal(shorter.message, 'the run diverged from its journal: the code ended without making call 2 of the run (codemode.step), which it made when it was recorded');
      const waiting = await diverged('await codemode.step({ n: 1 }); await new Promise(() => {})');
      assert.equal(waiting.message, 'the run diverged from its journal: the code now waits without making call 2 of the run (codemode.step), which it made when it was recorded');
      const longer = await diverged('return await codemode.step({ n: 1 }) + await codemode.step({ n: 2 }) + await codemode.step({ n: 3 })');
      assert.equal(longer.message, 'the run diverged from its journal: the code makes call 3 of the run (codemode.step) after the recorded run ended');
      assert.deepEqual(calls, []);
      // Each divergence left the journal readable: nothing is written after its end record.
      assert.equal((await executor.journals.get('diverge-2'))?.state, 'ended');
    });

    test('other code under a runId that has a journal is refused; the same code replays and the journal still reads as ended', async () => {
      const code = 'return await codemode.step({ n: 1 }) + await codemode.step({ n: 2 })';
      assert.equal(valueOf(await executor.run(code, { runId: 'other-code', durable: true })), 30);
      calls.length = 0;
      await assert.rejects(
        executor.run('return await codemode.step({ n: 9 })', { runId: 'other-code', durable: true }),
        (error: unknown) => error instanceof CodemodeError && error.code === 'INVALID_OPTION' && error.message === 'run "other-code" has a journal of other code: resume it, or delete its journal',
      );
      assert.equal(valueOf(await executor.run(code, { runId: 'other-code', durable: true })), 30);
      assert.deepEqual(calls, []);
      const summary = await executor.journals.get('other-code');
      assert.deepEqual([summary?.state, summary?.outcome], ['ended', 'completed']);
    });

    test('a pause record whose pending input is not its call\'s reads as a corrupt journal', async () => {
      const code = 'return await codemode.remove({ id: "p" })';
      assert.equal(errorOf(await executor.run(code, { runId: 'tampered', durable: true })).kind, 'paused');
      const records = (await storage.readJournal('tampered'))!.records;
      const pause = JSON.parse(records.at(-1)!);
      assert.equal(pause.type, 'pause');
      const forged = [...records.slice(0, -1), JSON.stringify({ type: 'pause', pending: [{ ...pause.pending[0], input: pause.pending[0].input.replace('"p"', '"q"') }] })];
      await storage.deleteJournal('tampered');
      await storage.appendJournal('tampered', forged, { at: 0, ttlMs: 60_000, maxBytes: 1 << 20 });
      await assert.rejects(
        executor.journals.get('tampered'),
        (error: unknown) => error instanceof CodemodeError && error.code === 'STORAGE_CORRUPT' && /pending call 1 is not a recorded call waiting for approval with that input/.test(error.message),
      );
    });

    test('a call needing approval with no approver pauses the run with every pending call; another process resumes it with decisions', async () => {
      calls.length = 0;
      const code = `
        const before = await codemode.step({ n: 1 });
        const out = await Promise.all([codemode.remove({ id: 'a' }), codemode.remove({ id: 'b' }).catch((e) => e.kind + ': ' + e.message)]);
        return [before, out, Math.random()];`;
      const paused = await executor.run(code, { runId: 'pause', durable: true });
      assert.equal(errorOf(paused).kind, 'paused');
      assert.equal(errorOf(paused).message, 'the run is paused until a person decides on 2 calls (codemode.remove)');
      assert.equal(errorOf(paused).hint, 'A person must approve the pending calls; the run continues from this point once they decide. Do not run the code again.');
      assert.deepEqual(!paused.ok && paused.paused, {
        runId: 'pause',
        pending: [
          { callId: 2, name: 'remove', input: { id: 'a' } },
          { callId: 3, name: 'remove', input: { id: 'b' } },
        ],
      });
      assert.deepEqual(calls, ['step 1']);
      assert.deepEqual((await executor.journals.get('pause'))?.state, 'paused');
      // Hours later, in another process: the decisions answer the pending calls, nothing before runs again.
      const resumed = await host({ op: 'resume', store: spec, runId: 'pause', decisions: { 2: true, 3: { allowed: false, reason: 'b stays' } } });
      assert.deepEqual(called(resumed.lines), ['remove']);
      const value = valueOf(resultOf(resumed.lines)) as unknown[];
      assert.deepEqual(value.slice(0, 2), [10, ['removed a', 'denied: codemode.remove was not approved: b stays']]);
      // Ended: a replay gives the same result and calls nothing.
      assert.deepEqual(valueOf(await executor.resume('pause')), value);
      assert.deepEqual(calls, ['step 1']);
    });

    test('a pending call left without a decision pauses the run again; decisions for calls that do not wait are refused', async () => {
      const code = 'return await Promise.all([codemode.remove({ id: "x" }), codemode.remove({ id: "y" })])';
      await executor.run(code, { runId: 'half', durable: true });
      const again = await executor.resume('half', { decisions: { 1: true } });
      assert.deepEqual(!again.ok && again.paused?.pending.map((call) => call.callId), [2]);
      await assert.rejects(executor.resume('half', { decisions: { 1: true } }), (error: unknown) => error instanceof CodemodeError && error.code === 'INVALID_OPTION' && /has no call "1" waiting for a decision \(it waits on 2\)/.test(error.message));
      await assert.rejects(executor.resume('half', { decisions: { 2: 'yes' as never } }), /expected the decision for call 2 to be true, false or \{ allowed, reason\? \}, got `"yes"`/);
      assert.deepEqual(valueOf(await executor.resume('half', { decisions: { 2: true } })), ['removed x', 'removed y']);
    });

    test('after a SIGKILL mid-call, resume makes no finished call again and rejects the one in flight: its outcome is unknown', async () => {
      const code = 'const a = await codemode.step({ n: 1 }); let b; try { b = await codemode.hang({}) } catch (e) { b = e.kind + ": " + e.message } return [a, b, await codemode.step({ n: 2 })]';
      const crashed = await host({ op: 'run', store: spec, runId: 'crash', code }, (line) => line.called === 'hang');
      assert.equal(crashed.signal, 'SIGKILL');
      assert.deepEqual(called(crashed.lines), ['step', 'hang']);
      calls.length = 0;
      assert.deepEqual(valueOf(await executor.resume('crash')), [10, 'host: codemode.hang was running when this run stopped; its outcome is unknown, so it was not made again', 20]);
      assert.deepEqual(calls, ['step 2']);
    });

    test('after a SIGKILL mid-call, running the same code again makes the in-flight call again when its tool is idempotent', async () => {
      const code = 'const a = await codemode.step({ n: 1 }); return [a, await codemode.hangAgain({})]';
      const crashed = await host({ op: 'run', store: spec, runId: 'crash-idempotent', code }, (line) => line.called === 'hangAgain');
      assert.equal(crashed.signal, 'SIGKILL');
      calls.length = 0;
      assert.deepEqual(valueOf(await executor.run(code, { runId: 'crash-idempotent', durable: true })), [10, 'hangAgain done']);
      assert.deepEqual(calls, ['hangAgain']);
    });

    test('journals list, read and delete; a deleted run starts afresh', async () => {
      await executor.run('return await codemode.step({ n: 7 })', { runId: 'managed', durable: true });
      const summary = await executor.journals.get('managed');
      assert.deepEqual([summary?.state, summary?.outcome, summary?.code, summary?.pending], ['ended', 'completed', 'return await codemode.step({ n: 7 })', []]);
      assert.ok((await executor.journals.list()).some((info) => info.runId === 'managed'));
      assert.equal(await executor.journals.delete('managed'), true);
      assert.equal(await executor.journals.get('managed'), undefined);
      await assert.rejects(executor.resume('managed'), (error: unknown) => error instanceof CodemodeError && error.code === 'NOT_FOUND' && /no journal of run "managed"/.test(error.message));
      calls.length = 0;
      await executor.run('return await codemode.step({ n: 7 })', { runId: 'managed', durable: true });
      assert.deepEqual(calls, ['step 7']);
    });

    test('a journal past its size cap stops the run before anything runs unrecorded', async () => {
      const small = new Executor({ tools, storage, minProcesses: 0, journalMaxBytes: 1024 });
      try {
        calls.length = 0;
        const error = errorOf(await small.run('for (let i = 0; i < 50; i++) await codemode.step({ n: i }); return "never"', { runId: 'capped', durable: true }));
        assert.equal(error.kind, 'crashed');
        assert.match(error.message, /^the journal of this durable run could not be written, so it stopped: journal "capped" would be \d+ bytes; its limit is 1024 bytes$/);
        assert.equal(error.hint, 'The host could not record this durable run, so it stopped before doing anything unrecorded; nothing is wrong with the code. Tell the user.');
        assert.ok(calls.length < 50);
      } finally {
        await small.close();
      }
    });
  });
}
