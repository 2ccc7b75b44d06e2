// Hostile or broken model code: every case fails as data, the host process lives, and the next run on the
// same executor succeeds.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { Executor, type RunOptions, type RunResult } from '../../src/index.js';
import { double, fail } from '../fixtures.js';
import { valueOf } from '../run-result.js';

const executor = new Executor({ tools: [double, fail], timeoutMs: 400, memoryLimitMb: 32, maxProcesses: 1 });
after(() => executor.close());

/** A limit far beyond what a case needs, for cases whose expected end is an event, not the clock. */
const NO_RACE = { timeoutMs: 120_000 };

async function failsThenRecovers(code: string, options: RunOptions = {}): Promise<Extract<RunResult, { ok: false }>> {
  const result = await executor.run(code, options);
  assert.equal(result.ok, false, `expected a failure, got ${JSON.stringify(result)}`);
  const next = await executor.run('return await codemode.double({ n: 21 })');
  assert.equal(valueOf(next), 42, `the next run failed: ${JSON.stringify(next)}`);
  return result as Extract<RunResult, { ok: false }>;
}

describe('resource bombs', () => {
  test('an endless loop times out', async () => {
    const { error } = await failsThenRecovers('while (true) {}');
    assert.equal(error.kind, 'timeout');
    assert.equal(error.message, 'the run exceeded its 400 ms time limit');
    assert.match(error.hint!, /took longer than 400 ms/);
  });

  test('a run waiting on a promise that never settles times out', async () => {
    const { error } = await failsThenRecovers('await new Promise(() => {})');
    assert.equal(error.kind, 'timeout');
  });

  test('a microtask bomb times out', async () => {
    const { error } = await failsThenRecovers('function f() { Promise.resolve().then(f) } f(); await new Promise(() => {})');
    assert.equal(error.kind, 'timeout');
  });

  test('a memory bomb fails as memory', async () => {
    const { error } = await failsThenRecovers('const a = []; while (true) a.push(new Array(1e5).fill(Math.random()))', NO_RACE);
    assert.equal(error.kind, 'memory');
    assert.match(error.hint!, /more than 32 MB/);
  });

  test('a huge split that aborts V8 kills only the sandbox process: crashed', async () => {
    const { error } = await failsThenRecovers("'1'.repeat(0x7ffffff).split('')", NO_RACE);
    assert.equal(error.kind, 'crashed');
    assert.match(error.message, /^the sandbox process died \(signal SIG[A-Z]+: Fatal JavaScript invalid size error/);
  });

  test('Array.fill on a huge array, which ignores the isolate timeout, is stopped by the host', async () => {
    const { error } = await failsThenRecovers('new Array(6e7).fill()');
    assert.ok(['timeout', 'memory', 'crashed'].includes(error.kind), error.kind);
  });

  test('a huge JSON.parse fails without taking the host down', async () => {
    await failsThenRecovers('JSON.parse("[" + "1,".repeat(5e7) + "1]")', NO_RACE);
  });

  test('an output flood is cut at the log cap and the run fails by time', async () => {
    const result = await failsThenRecovers('while (true) console.log("x".repeat(10000))');
    assert.equal(result.error.kind, 'timeout');
    const total = result.logs.reduce((sum, entry) => sum + entry.text.length, 0);
    assert.ok(total < 64_000 + 200, `logs kept ${total} characters`);
    assert.equal(result.logs.at(-1)!.text, '[codemode] console output reached its limit of 64000 characters; the rest was dropped.');
  });

  test('WebAssembly, whose memory lives outside the heap limit, is not available', async () => {
    const result = await executor.run('return typeof WebAssembly');
    assert.equal(valueOf(result), 'undefined');
  });
});

describe('escapes', () => {
  test('walking constructors from the global object finds no process', async () => {
    const { error } = await failsThenRecovers("return this.constructor.constructor('return process')()");
    assert.equal(error.name, 'ReferenceError');
    assert.equal(error.message, 'process is not defined');
  });

  test('walking constructors from a host error object finds no process', async () => {
    const { error } = await failsThenRecovers("try { await codemode.fail({}) } catch (e) { return e.constructor.constructor('return process')() }");
    assert.equal(error.message, 'process is not defined');
  });

  test('walking from the codemode proxy and console finds no process or require', async () => {
    const result = await executor.run(`
      const probes = [codemode.double, codemode.nope, console.log, codemode];
      return probes.map((p) => p.constructor.constructor('return [typeof process, typeof require, typeof globalThis.__cm_send]')());
    `);
    assert.deepEqual(valueOf(result), Array(4).fill(['undefined', 'undefined', 'undefined']));
  });

  test('the global object holds only standard JavaScript, console and codemode', async () => {
    const result = await executor.run('return Object.getOwnPropertyNames(globalThis)');
    const standard = new Set([
      ...Object.getOwnPropertyNames(globalThis).filter((name) => /^[A-Z]/.test(name) || ['globalThis', 'undefined', 'NaN', 'Infinity'].includes(name)),
      'eval', 'isFinite', 'isNaN', 'parseFloat', 'parseInt', 'decodeURI', 'decodeURIComponent', 'encodeURI', 'encodeURIComponent', 'escape', 'unescape',
      'console', 'codemode',
    ]);
    const extra = (result.ok ? (result.value as string[]) : []).filter((name) => !standard.has(name));
    assert.deepEqual(extra, []);
  });

  test('stack trace hooks never hand model code a harness function', async () => {
    const result = await executor.run(`
      const found = [];
      Error.prepareStackTrace = (error, sites) => {
        for (const site of sites) { const fn = site.getFunction(); if (fn) found.push(String(fn)); }
        return 'hooked';
      };
      try { await codemode.nope({}) } catch (e) { e.stack }
      try { await codemode.fail({}) } catch (e) { e.stack }
      new Error('x').stack;
      await codemode.double({ n: { toJSON() { new Error('inner').stack; return 1 } } });
      return found.map((source) => source.slice(0, 11));
    `);
    assert.ok(result.ok, JSON.stringify(result));
    const kinds = new Set(result.value as string[]);
    assert.deepEqual([...kinds].sort(), ['async () =>', 'toJSON() { '], 'only the model\'s own functions show up');
  });

  test('globals and prototype changes do not leak into the next run', async () => {
    const first = await executor.run('globalThis.leak = 1; Object.prototype.polluted = true; Array.prototype.push = () => 0; return 1');
    assert.equal(first.ok, true);
    const second = await executor.run('return [typeof leak, ({}).polluted, [].push(1)]');
    assert.deepEqual(valueOf(second), ['undefined', undefined, 1]);
  });

  test('model code that breaks built-ins still ends with a result on the host', async () => {
    const result = await executor.run('JSON.stringify = () => { throw new Error("no") }; JSON.parse = null; Promise.prototype.then = null; return 5');
    assert.ok(result.ok || result.error.kind === 'runtime', JSON.stringify(result));
    const next = await executor.run('return 6');
    assert.equal(valueOf(next), 6);
  });
});
