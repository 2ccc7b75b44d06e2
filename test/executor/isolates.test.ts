// Isolates that serve more than one run: each run gets a fresh context (its own globals, built-ins and
// harness) in an isolate that served only runs of the same executor and tenant. Nothing a run defined or
// scheduled reaches a later run, and an isolate retires after a run that did not end cleanly, after
// `isolateRuns` runs, or when a run left its heap above `isolateHeapMb`. `stats.isolateRun` says which run of
// its isolate a run was (1: a fresh isolate).
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { z } from 'zod';
import { defineTool, Executor, SandboxRuntime, type RunResult } from '../../src/index.js';
import { double, gate } from '../fixtures.js';
import { errorOf, valueOf } from '../run-result.js';

/** A tool that records the labels it gets, in order. */
function recorder() {
  const labels: string[] = [];
  const tool = defineTool({
    name: 'mark',
    description: 'Records a label.',
    input: z.object({ label: z.string() }),
    run: ({ label }) => {
      labels.push(label);
      return label;
    },
  });
  return { tool, labels };
}

function isolateRun(result: RunResult): number | undefined {
  return result.stats.isolateRun;
}

/** One process, so consecutive runs land on the same process (and, when allowed, the same isolate). */
function single(options: ConstructorParameters<typeof Executor>[0] = {}): Executor {
  const executor = new Executor({ tools: [double], minProcesses: 1, maxProcesses: 1, ...options });
  after(() => executor.close());
  return executor;
}

describe('an isolate serving more than one run', () => {
  test('consecutive runs of one executor share an isolate, each in a fresh context', async () => {
    const executor = single();
    const first = await executor.run('return 1');
    const second = await executor.run('return 2');
    assert.equal(valueOf(second), 2);
    assert.equal(isolateRun(first)! + 1, isolateRun(second));
  });

  test('globals, built-in prototypes, the harness and the codemode proxy a run changed are not seen by the next run', async () => {
    const executor = single();
    const changed = await executor.run(`
      globalThis.leaked = 'secret';
      var declared = 1;
      Array.prototype.evil = () => 'evil';
      Object.prototype.polluted = true;
      Promise.prototype.then = function () { throw new Error('broken then'); };
      JSON.stringify = () => 'forged';
      Error.prepareStackTrace = () => 'forged stack';
      Object.defineProperty(globalThis, 'codemode', { value: { double: () => 'forged' } });
      console.log = () => {};
      return 'done';
    `);
    // JSON.stringify replaced: the run's own value cannot be encoded; that is its problem, not the next run's.
    assert.equal(changed.ok, false);
    const next = await executor.run(`
      console.log('logged');
      return {
        leaked: typeof leaked, declared: typeof declared, evil: typeof [].evil, polluted: ({}).polluted,
        json: JSON.stringify({ a: 1 }), stack: typeof new Error('x').stack === 'string' && new Error('x').stack.startsWith('Error: x'),
        doubled: await codemode.double({ n: 21 }),
      };
    `);
    assert.equal(isolateRun(next), isolateRun(changed)! + 1, 'the next run used the same isolate');
    assert.deepEqual(valueOf(next), { leaked: 'undefined', declared: 'undefined', evil: 'undefined', polluted: undefined, json: '{"a":1}', stack: true, doubled: 42 });
    assert.deepEqual(next.logs, [{ level: 'log', text: 'logged' }]);
  });

  test('nothing a run scheduled runs after it ended: microtasks, a pending call, a thenable, a finalizer', async () => {
    const { tool: mark, labels } = recorder();
    const waiter = gate();
    const executor = new Executor({ tools: [mark, waiter.tool], minProcesses: 1, maxProcesses: 1 });
    after(() => executor.close());
    const first = await executor.run(`
      // A host call whose answer comes after the end (sent to the host with the next call, before the end).
      codemode.wait({ id: 1 }).then(() => { console.log('late answer'); codemode.mark({ label: 'late answer' }); });
      await codemode.mark({ label: 'first' });
      // A thenable resolved after the end.
      Promise.resolve({ then(resolve) { Promise.resolve().then(() => { console.log('late thenable'); resolve(); }); } });
      // A finalizer for garbage the next run's allocations collect.
      const registry = new FinalizationRegistry(() => { console.log('late finalizer'); codemode.mark({ label: 'late finalizer' }); });
      for (let i = 0; i < 1000; i++) registry.register({}, i);
      globalThis.registry = registry;
      // A long microtask chain, started in the entry that returns: still going when the code has returned.
      // (A host call from it would be refused, and an entry that ends in a refusal retires its isolate.)
      let steps = 0;
      const step = () => { if (++steps < 100000) Promise.resolve().then(step); else { globalThis.late = true; console.log('late chain'); } };
      step();
      return 'first';
    `);
    assert.equal(valueOf(first), 'first');
    const second = executor.run(`
      const garbage = [];
      for (let i = 0; i < 200; i++) garbage.push(new Array(10000).fill(i));
      await codemode.wait({ id: 2 });
      for (let i = 0; i < 200; i++) garbage[i] = new Array(10000).fill(i);
      await codemode.mark({ label: 'second' });
      return typeof late;
    `);
    // Both calls are in flight: the first run's (its run is over) and the second's. Answer both.
    await waiter.inFlight(2);
    waiter.releaseAll();
    const result = await second;
    assert.equal(valueOf(result), 'undefined');
    assert.equal(isolateRun(result), isolateRun(first)! + 1, 'the second run used the same isolate');
    assert.deepEqual(result.logs, []);
    assert.deepEqual(labels, ['first', 'second']);
    // The first run's own chain had finished before its end was reported, inside its own entry, unheard.
    assert.ok(!first.logs.some((entry) => entry.text.startsWith('late')), JSON.stringify(first.logs));
  });

  test('a run that timed out retires its isolate', async () => {
    const executor = single({ timeoutMs: 300 });
    await executor.run('return 1');
    const spun = await executor.run('while (true) {}');
    assert.equal(errorOf(spun).kind, 'timeout');
    const next = await executor.run('return 1');
    assert.equal(isolateRun(next), 1);
  });

  test('a memory bomb in an isolate that holds an earlier run\'s garbage still fails as memory, and retires it', async () => {
    const executor = single({ memoryLimitMb: 64, timeoutMs: 60_000, isolateHeapMb: 16 });
    // About 10 MB of garbage once the run ends: under isolateHeapMb (16) and a quarter of the limit, so the isolate serves on.
    const first = await executor.run('const kept = []; for (let i = 0; i < 40; i++) kept.push(new Array(32 * 1024).fill(i)); return kept.length');
    assert.equal(valueOf(first), 40);
    const bomb = await executor.run('const hog = []; for (;;) hog.push(new Array(1e6).fill(1))');
    assert.equal(errorOf(bomb).kind, 'memory');
    assert.equal(isolateRun(bomb), isolateRun(first)! + 1, 'the bomb ran in the isolate the first run used');
    const next = await executor.run('return 1');
    assert.equal(isolateRun(next), 1);
  });

  test('a run that leaves the heap above isolateHeapMb retires its isolate', async () => {
    const executor = single({ isolateHeapMb: 4 });
    const light = await executor.run('return 1');
    const afterLight = await executor.run('return 1');
    assert.equal(isolateRun(afterLight), isolateRun(light)! + 1);
    await executor.run('const big = []; for (let i = 0; i < 40; i++) big.push(new Array(32 * 1024).fill(i)); return big.length');
    const next = await executor.run('return 1');
    assert.equal(isolateRun(next), 1);
  });

  test('code still running after its run ended (a microtask chain that logs, then spins) retires the isolate', async () => {
    const executor = single({ timeoutMs: 500 });
    await executor.run(`let n = 0;
      const step = () => { if (++n < 50) Promise.resolve().then(step); else { console.log('late'); for (;;) {} } };
      step();
      return 1`);
    const next = await executor.run('return 2');
    assert.equal(valueOf(next), 2);
    assert.equal(isolateRun(next), 1, 'not an isolate whose last run was still executing');
  });

  test('what a run keeps alive past its end cannot use up the next run\'s memory', async () => {
    const executor = single({ memoryLimitMb: 8 });
    // Atomics.waitAsync is not offered (it can abort the process); a never-settling promise holds the context as well.
    const holder = await executor.run('globalThis.kept = new Array(5e5).fill(1); new Promise(() => {}).then(() => kept); return typeof Atomics.waitAsync');
    assert.equal(valueOf(holder), 'undefined');
    const next = await executor.run('const mine = new Array(5e5).fill(2); return mine.length');
    assert.equal(valueOf(next), 5e5);
  });

  test('an isolate retires after isolateRuns runs; isolateRuns 1 gives every run a fresh isolate', async () => {
    const three = single({ isolateRuns: 3 });
    const counts: Array<number | undefined> = [];
    for (let i = 0; i < 7; i++) counts.push(isolateRun(await three.run('return 1')));
    assert.deepEqual(counts, [1, 2, 3, 1, 2, 3, 1]);
    const one = single({ isolateRuns: 1 });
    for (let i = 0; i < 3; i++) assert.equal(isolateRun(await one.run('return 1')), 1);
  });

  test('two executors on one runtime, or two tenants of one executor, never share an isolate', async () => {
    const runtime = new SandboxRuntime({ minProcesses: 1, maxProcesses: 1 });
    const first = new Executor({ tools: [double], runtime });
    const second = new Executor({ tools: [double], runtime });
    after(async () => {
      await first.close();
      await second.close();
      await runtime.close();
    });
    assert.equal(runtime.sandboxPids().length <= 1, true);
    const a1 = await first.run('globalThis.mine = 1; return 1');
    const b1 = await second.run('return typeof mine');
    assert.equal(valueOf(b1), 'undefined');
    assert.equal(isolateRun(b1), 1, 'the second executor got a fresh isolate');
    const b2 = await second.run('return 1');
    assert.equal(isolateRun(b2), 2);
    assert.equal(isolateRun(a1), 1);
    // Tenants of one executor: each its own isolate.
    const t1 = await first.run('return 1', { tenant: 'one' });
    const t2 = await first.run('return 1', { tenant: 'two' });
    const t2again = await first.run('return 1', { tenant: 'two' });
    assert.equal(isolateRun(t1), 1);
    assert.equal(isolateRun(t2), 1);
    assert.equal(isolateRun(t2again), 2);
  });
});
