// The sandbox runtime as a public object: shared by executors, closed only by whoever made it, fair between
// tenants, and a run lost to a process killed from outside before it started goes to a fresh process.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { z } from 'zod';
import { CodemodeError, Executor, SandboxRuntime, defineTool, type RunResult, type Session } from '../../src/index.js';
import { double, echo, gate } from '../fixtures.js';

/** Resolves once the runtime no longer lists `pids`: the host has seen those processes exit. */
function observedGone(runtime: { sandboxPids(): number[] }, pids: number[]): Promise<void> {
  return new Promise((resolve) => {
    const poll = () => (runtime.sandboxPids().some((pid) => pids.includes(pid)) ? setImmediate(poll) : resolve());
    poll();
  });
}

/** A tool that records the order in which runs reach it. */
function recorder() {
  const order: string[] = [];
  const tool = defineTool({
    name: 'mark',
    description: 'Records a label.',
    input: z.object({ label: z.string() }),
    run: ({ label }) => {
      order.push(label);
      return label;
    },
  });
  return { tool, order };
}

describe('a shared sandbox runtime', () => {
  test('serves two executors with different tools from the same processes', async () => {
    const runtime = new SandboxRuntime({ minProcesses: 1, maxProcesses: 1 });
    const doubler = new Executor({ tools: [double], runtime });
    const echoer = new Executor({ tools: [echo], runtime });
    try {
      await runtime.warmup();
      const pids = runtime.sandboxPids();
      assert.equal(pids.length, 1);
      const [a, b] = await Promise.all([doubler.run('return await codemode.double({ n: 21 })'), echoer.run('return await codemode.echo({ value: "hi" })')]);
      assert.equal(a.ok && a.value, 42);
      assert.equal(b.ok && b.value, 'hi');
      // Each executor's code sees only its own tools, though both ran in the one process.
      const crossed = await doubler.run('return await codemode.echo({ value: 1 })');
      assert.equal(!crossed.ok && crossed.error.kind, 'runtime');
      assert.match(!crossed.ok ? crossed.error.message : '', /echo/);
      assert.deepEqual(doubler.sandboxPids(), pids);
      assert.deepEqual(echoer.sandboxPids(), pids);
    } finally {
      await doubler.close();
      await echoer.close();
      await runtime.close();
    }
  });

  test('a run asked for just before close() is cancelled, though the shared runtime stays open', async () => {
    const runtime = new SandboxRuntime({ minProcesses: 0 });
    const executor = new Executor({ tools: [double], runtime });
    try {
      // run() prepares the code before its session exists; close() comes in between.
      const pending = executor.run('return await codemode.double({ n: 1 })');
      await executor.close();
      const result = await pending;
      assert.equal(!result.ok && result.error.kind, 'cancelled');
    } finally {
      await runtime.close();
    }
  });

  test('closing an executor leaves a shared runtime and the other executor running', async () => {
    const runtime = new SandboxRuntime({ minProcesses: 1, maxProcesses: 2 });
    const first = new Executor({ tools: [double], runtime });
    const second = new Executor({ tools: [double], runtime });
    try {
      await runtime.warmup();
      const pids = runtime.sandboxPids();
      await first.close();
      assert.equal(runtime.closed, false);
      assert.deepEqual(runtime.sandboxPids(), pids);
      const result = await second.run('return await codemode.double({ n: 2 })');
      assert.equal(result.ok && result.value, 4);
      await assert.rejects(first.run('return 1'), (error: CodemodeError) => error.code === 'EXECUTOR_CLOSED');
    } finally {
      await second.close();
      await runtime.close();
    }
  });

  test('closing the runtime ends its processes, cancels runs in line, and later runs throw RUNTIME_CLOSED', async () => {
    const runtime = new SandboxRuntime({ maxProcesses: 1 });
    const waits = gate();
    const executor = new Executor({ tools: [waits.tool], runtime });
    const running = await executor.start('return await codemode.wait({ id: 1 })');
    assert.equal((await running.nextEvent()).type, 'host_call');
    const queued = executor.run('return 2');
    await runtime.close();
    assert.deepEqual(runtime.sandboxPids(), []);
    for (const result of [await running.result, await queued]) {
      assert.equal(!result.ok && result.error.kind, 'cancelled', JSON.stringify(result));
    }
    await assert.rejects(executor.run('return 1'), (error: CodemodeError) => error.code === 'RUNTIME_CLOSED');
    await assert.rejects(runtime.warmup(), (error: CodemodeError) => error.code === 'RUNTIME_CLOSED');
    await executor.close();
  });

  test('an executor with its own runtime closes it with itself', async () => {
    const executor = new Executor({ tools: [double], minProcesses: 1 });
    await executor.warmup();
    assert.equal(executor.sandboxPids().length, 1);
    await executor.close();
    assert.deepEqual(executor.sandboxPids(), []);
  });

  test('process options on an executor that shares a runtime are refused, naming the option', () => {
    const runtime = new SandboxRuntime({ minProcesses: 0 });
    assert.throws(
      () => new Executor({ runtime, maxProcesses: 2 }),
      (error: CodemodeError) => error.code === 'INVALID_OPTION' && /`maxProcesses` belongs to the shared `runtime`/.test(error.message),
    );
    assert.throws(() => new Executor({ runtime: {} as SandboxRuntime }), (error: CodemodeError) => error.code === 'INVALID_OPTION');
    assert.throws(() => new SandboxRuntime({ maxProcesses: 0 }), /SandboxRuntime: expected `maxProcesses` to be an integer from 1 to 1024, got `0` \(number\)/);
    assert.throws(() => new SandboxRuntime({ memoryLimitMb: 4 }), /SandboxRuntime: expected `memoryLimitMb` to be an integer from 8 to 16384 \(megabytes\), got `4` \(number\)/);
  });
});

/** Drives a started run to its end, letting the registered tools answer its calls. */
async function finish(session: Session): Promise<RunResult> {
  for (;;) {
    const event = await session.nextEvent();
    if (event.type !== 'host_call') return event;
    session.callTool(event.callId);
  }
}

describe('the line for sandbox processes', () => {
  test('is fair between tenants: a tenant with many runs in line waits behind its own runs', async () => {
    const runtime = new SandboxRuntime({ minProcesses: 1, maxProcesses: 1 });
    const waits = gate();
    const marks = recorder();
    const executor = new Executor({ tools: [waits.tool, marks.tool], runtime });
    try {
      // The only process is held by tenant a, then a queues three more runs before b and c queue theirs.
      const holder = await executor.start('return await codemode.wait({ id: 0 })', { tenant: 'a' });
      assert.equal((await holder.nextEvent()).type, 'host_call');
      // start() resolves once its run waits in line (preparing the code comes first), so the order is fixed.
      const queued: Session[] = [];
      for (const [tenant, label] of [['a', 'a1'], ['a', 'a2'], ['a', 'a3'], ['b', 'b1'], ['c', 'c1'], ['b', 'b2']]) {
        queued.push(await executor.start(`return await codemode.mark({ label: '${label}' })`, { tenant }));
      }
      holder.submitResult(1, 0);
      const results = await Promise.all(queued.map(finish));
      assert.ok(results.every((result) => result.ok));
      assert.deepEqual(marks.order, ['b1', 'c1', 'a1', 'b2', 'a2', 'a3']);
    } finally {
      await executor.close();
      await runtime.close();
    }
  });

  test('runs without a tenant count as one tenant per executor sharing the runtime', async () => {
    const runtime = new SandboxRuntime({ minProcesses: 1, maxProcesses: 1 });
    const waits = gate();
    const marks = recorder();
    const first = new Executor({ tools: [waits.tool, marks.tool], runtime });
    const second = new Executor({ tools: [marks.tool], runtime });
    try {
      const holder = await first.start('return await codemode.wait({ id: 0 })');
      assert.equal((await holder.nextEvent()).type, 'host_call');
      const queued = [
        await first.start(`return await codemode.mark({ label: 'first1' })`),
        await first.start(`return await codemode.mark({ label: 'first2' })`),
        await second.start(`return await codemode.mark({ label: 'second1' })`),
      ];
      holder.submitResult(1, 0);
      await Promise.all(queued.map(finish));
      assert.deepEqual(marks.order, ['second1', 'first1', 'first2']);
    } finally {
      await first.close();
      await second.close();
      await runtime.close();
    }
  });

  test('a tenant that is not a string is refused', async () => {
    const executor = new Executor({ minProcesses: 0 });
    try {
      await assert.rejects(executor.run('return 1', { tenant: 7 as unknown as string }), (error: CodemodeError) => error.code === 'INVALID_OPTION' && /`tenant`.*`7` \(number\)/.test(error.message));
    } finally {
      await executor.close();
    }
  });
});

describe('a sandbox process killed from outside', () => {
  test('a run handed to processes killed a moment earlier runs on a fresh one', async () => {
    // Four: the retry must not land on another process that died in the same moment, unnoticed.
    const executor = new Executor({ tools: [double], minProcesses: 4, maxProcesses: 4 });
    try {
      await executor.warmup();
      const pids = executor.sandboxPids();
      assert.equal(pids.length, 4);
      for (const pid of pids) process.kill(pid, 'SIGKILL');
      // No wait: the host has not seen the deaths yet and hands the run to a dead process.
      const result = await executor.run('return await codemode.double({ n: 1 })');
      assert.equal(result.ok && result.value, 2, JSON.stringify(result));
      assert.ok(executor.sandboxPids().every((pid) => !pids.includes(pid)));
    } finally {
      await executor.close();
    }
  });

  test('a run sent after the host saw the processes die runs on a fresh one', async () => {
    const executor = new Executor({ tools: [double], minProcesses: 2, maxProcesses: 2 });
    try {
      await executor.warmup();
      const pids = executor.sandboxPids();
      for (const pid of pids) process.kill(pid, 'SIGKILL');
      await observedGone(executor, pids);
      const result = await executor.run('return await codemode.double({ n: 3 })');
      assert.equal(result.ok && result.value, 6, JSON.stringify(result));
    } finally {
      await executor.close();
    }
  });

  test('a run that had started is not run again: it fails as crashed', async () => {
    const marks = recorder();
    const waits = gate();
    const executor = new Executor({ tools: [marks.tool, waits.tool], maxProcesses: 1 });
    try {
      const running = executor.run(`await codemode.mark({ label: 'ran' }); await codemode.wait({ id: 1 })`);
      await waits.inFlight(1);
      const [pid] = executor.sandboxPids();
      process.kill(pid!, 'SIGKILL');
      const result = await running;
      assert.equal(!result.ok && result.error.kind, 'crashed', JSON.stringify(result));
      // One pass through the code: the mark was reached once.
      assert.deepEqual(marks.order, ['ran']);
    } finally {
      waits.releaseAll();
      await executor.close();
    }
  });
});
