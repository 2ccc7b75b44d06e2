import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { z } from 'zod';
import { defineCapability, defineTool, Executor } from '../../src/index.js';
import { double, echo, fail, forbid, gate } from '../fixtures.js';
import { valueOf } from '../run-result.js';

const math = defineCapability({
  name: 'math',
  description: 'Arithmetic.',
  tools: [defineTool({ name: 'add', description: 'Adds a and b.', input: z.object({ a: z.number(), b: z.number() }), run: ({ a, b }) => a + b })],
});
// @ts-expect-error: TypeScript catches the broken output too; this tool reaches the run-time check anyway.
const liar = defineTool({ name: 'liar', description: 'Breaks its output schema.', input: z.object({}), output: z.object({ id: z.number() }), run: () => ({ id: 'seven' }) });
const leaky = defineTool({ name: 'leaky', description: 'Returns a Map.', input: z.object({}), run: () => ({ data: new Map([[1, 2]]) }) });
const defaults = defineTool({ name: 'greet', description: 'Greets.', input: z.object({ name: z.string(), greeting: z.string().default('hello') }), run: (input) => `${input.greeting} ${input.name}` });

const executor = new Executor({ tools: [double, echo, fail, forbid, liar, leaky, defaults], capabilities: [math] });
after(() => executor.close());

describe('host calls', () => {
  test('a tool is called with its validated input and its result comes back', async () => {
    const result = await executor.run('return await codemode.double({ n: 21 })');
    assert.equal(valueOf(result), 42);
    assert.equal(result.stats.hostCalls, 1);
  });

  test('schema defaults are applied before the tool runs', async () => {
    const result = await executor.run('return await codemode.greet({ name: "ada" })');
    assert.equal(valueOf(result), 'hello ada');
  });

  test('a capability groups its tools under a namespace', async () => {
    const result = await executor.run('return [await codemode.math.add({ a: 2, b: 3 }), Object.keys(codemode.math), typeof codemode.double]');
    assert.deepEqual(valueOf(result), [5, ['add'], 'function']);
  });

  test('calls in Promise.all are in flight on the host at the same time', async () => {
    const gated = gate();
    const concurrent = new Executor({ tools: [gated.tool] });
    try {
      const run = concurrent.run('return await Promise.all([1, 2, 3].map((id) => codemode.wait({ id })))');
      await gated.inFlight(3);
      gated.releaseAll();
      const result = await run;
      assert.deepEqual(valueOf(result), [1, 2, 3]);
    } finally {
      await concurrent.close();
    }
  });

  test('1000 calls in Promise.all all complete', async () => {
    const result = await executor.run('const r = await Promise.all(Array.from({ length: 1000 }, (_, i) => codemode.double({ n: i }))); return r.reduce((a, b) => a + b, 0)');
    assert.equal(valueOf(result), 999_000);
    assert.equal(result.stats.hostCalls, 1000);
  });

  test('an input that fails the schema rejects as invalid_input naming the field and what was expected', async () => {
    const result = await executor.run('try { await codemode.math.add({ a: "1" }) } catch (e) { return [e.kind, e.name, e.message] }');
    assert.deepEqual(valueOf(result), [
      'invalid_input',
      'TypeError',
      'invalid input for codemode.math.add: a: expected number, received string; b: expected number (missing)',
    ]);
  });

  test('an uncaught invalid input fails the run as invalid_input at the calling line', async () => {
    const result = await executor.run('const x = 1;\nawait codemode.double({ n: "two" })');
    assert.equal(result.ok, false);
    assert.equal(result.error.kind, 'invalid_input');
    assert.equal(result.error.line, 2);
    assert.equal(result.error.hint, "Pass an input that matches the tool's declared type.");
  });

  test('passing two arguments instead of one object is explained', async () => {
    const result = await executor.run('await codemode.math.add(1, 2)');
    assert.equal(result.ok, false);
    assert.equal(result.error.kind, 'invalid_input');
    assert.equal(result.error.message, 'codemode.math.add takes one object argument, got 2 arguments');
    assert.equal(result.error.hint, 'Call it as codemode.math.add({ ... }) with named fields.');
  });

  test('a tool that throws rejects with a plain Error carrying its name and message, which code can catch', async () => {
    const result = await executor.run(
      'try { await codemode.fail({ message: "disk full" }) } catch (e) { return [e instanceof Error, e.name, e.message, e.kind, Object.getPrototypeOf(e) === Error.prototype] }',
    );
    assert.deepEqual(valueOf(result), [true, 'DiskError', 'disk full', 'host', true]);
  });

  test('an uncaught tool error fails the run as host with the stack at the model line', async () => {
    const result = await executor.run('const a = 1;\nconst b = 2;\nawait codemode.fail({})');
    assert.equal(result.ok, false);
    assert.equal(result.error.kind, 'host');
    assert.equal(result.error.name, 'DiskError');
    assert.equal(result.error.message, 'tool broke');
    assert.equal(result.error.stack, 'DiskError: tool broke\n    at code.js:3:16');
    assert.equal(result.error.frame, '  2 | const b = 2;\n> 3 | await codemode.fail({})\n    |                ^');
  });

  test('a host error never carries the host stack or host object', async () => {
    const result = await executor.run('try { await codemode.fail({}) } catch (e) { return [e.stack, Object.getOwnPropertyNames(e).sort()] }');
    assert.ok(result.ok);
    const [stack, names] = result.value as [string, string[]];
    assert.doesNotMatch(stack, /node_modules|dist\/|\/work\//);
    assert.deepEqual(names, ['kind', 'message', 'name', 'stack']);
  });

  test('a ToolError keeps its kind and hint', async () => {
    const result = await executor.run('await codemode.forbid({})');
    assert.equal(result.ok, false);
    assert.equal(result.error.kind, 'denied');
    assert.equal(result.error.message, 'path is outside the allowed roots');
    assert.equal(result.error.hint, 'Use a path under ./data.');
  });

  test('an unknown tool rejects with the nearest name and the list of tools', async () => {
    const result = await executor.run('try { await codemode.doubel({ n: 1 }) } catch (e) { return e.message }');
    assert.equal(
      valueOf(result),
      'codemode.doubel is not a tool. Did you mean codemode.double? Available: double, echo, fail, forbid, liar, leaky, greet, math.add.',
    );
    const nested = await executor.run('await codemode.math.addd({ a: 1, b: 2 })');
    assert.equal(nested.ok, false);
    assert.equal(nested.error.kind, 'runtime');
    assert.match(nested.error.message, /^codemode\.math\.addd is not a tool\. Did you mean codemode\.math\.add\?/);
    const deep = await executor.run('await codemode.files.read.all({})');
    assert.equal(deep.ok, false);
    assert.match(deep.error.message, /^codemode\.files\.read\.all is not a tool\. Available:/);
  });

  test('codemode is not a thenable and does not invent a toJSON', async () => {
    const result = await executor.run('const c = await codemode; return [c === codemode, JSON.stringify(codemode.math)]');
    assert.deepEqual(valueOf(result), [true, '{}']);
  });

  test('a result that breaks the output schema rejects as host', async () => {
    const result = await executor.run('await codemode.liar({})');
    assert.equal(result.ok, false);
    assert.equal(result.error.kind, 'host');
    assert.equal(result.error.message, 'codemode.liar returned a value that does not match its output schema: id: expected number, received string');
  });

  test('a tool result that cannot cross rejects as host and says what was wrong', async () => {
    const result = await executor.run('await codemode.leaky({})');
    assert.equal(result.ok, false);
    assert.equal(result.error.kind, 'host');
    assert.equal(result.error.message, 'codemode.leaky returned a result that cannot be sent to the code: .data is a Map, which cannot cross (use Object.fromEntries(map))');
  });

  test('calls still running when the code returns are reported with a hint to await them', async () => {
    const gated = gate();
    const forgetful = new Executor({ tools: [gated.tool] });
    try {
      const result = await forgetful.run('codemode.wait({ id: 1 }); codemode.wait({ id: 2 }); await null; await null; return "early"');
      assert.equal(valueOf(result), 'early');
      assert.deepEqual(result.logs.at(-1), { level: 'warn', text: '[codemode] 2 host calls (wait) had not finished when the code ended; await every call.' });
    } finally {
      gated.releaseAll();
      await forgetful.close();
    }
  });

  test('a run that throws while calls are open gets no advice to await them', async () => {
    const gated = gate();
    const failing = new Executor({ tools: [gated.tool] });
    try {
      const result = await failing.run('codemode.wait({ id: 1 }); await null; throw new Error("gave up")');
      assert.equal(!result.ok && result.error.message, 'gave up');
      assert.deepEqual(result.logs, []);
    } finally {
      gated.releaseAll();
      await failing.close();
    }
  });

  test('the tool sees an aborted signal when the run ends before it answers', async () => {
    let signal: AbortSignal | undefined;
    let reached!: () => void;
    const entered = new Promise<void>((resolve) => (reached = resolve));
    const slow = defineTool({
      name: 'slow',
      description: 'Never answers by itself.',
      input: z.object({}),
      run: (_input, context) => {
        signal = context.signal;
        reached();
        return new Promise(() => {});
      },
    });
    const local = new Executor({ tools: [slow] });
    try {
      const controller = new AbortController();
      const run = local.run('await codemode.slow({})', { signal: controller.signal });
      await entered;
      assert.equal(signal!.aborted, false);
      controller.abort();
      const result = await run;
      assert.equal(result.ok, false);
      assert.equal(result.error.kind, 'cancelled');
      assert.equal(signal!.aborted, true);
    } finally {
      await local.close();
    }
  });

  test('more host calls than maxHostCalls reject with a RangeError', async () => {
    const result = await executor.run('let n = 0; try { for (;;) { await codemode.double({ n: 1 }); n++ } } catch (e) { return [n, e.name, e.message] }', { maxHostCalls: 5 });
    assert.deepEqual(valueOf(result), [5, 'RangeError', 'more than 5 host calls in one run']);
  });
});

describe('what the model is told', () => {
  test('declarations cover tools and capabilities and are computed once', () => {
    const text = executor.declarations();
    assert.match(text, /^declare const codemode: \{$/m);
    assert.match(text, /^ {2}double\(input: \{ n: number \}\): Promise<number>;$/m);
    assert.match(text, /^ {2}\/\*\* Arithmetic\. \*\/\n {2}math: \{$/m);
    assert.equal(executor.declarations(), text);
  });

  test('search ranks the tool by name first and carries its declaration', () => {
    const [hit] = executor.search('add');
    assert.equal(hit!.name, 'math.add');
    assert.match(hit!.declaration, /add\(input: \{ a: number; b: number \}\): Promise<unknown>;/);
  });

  test('a call without an argument passes an empty object', async () => {
    const result = await executor.run('return await codemode.greet()');
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.error.message, 'invalid input for codemode.greet: name: expected string (missing)');
    const forbidden = await executor.run('try { await codemode.forbid() } catch (e) { return e.kind }');
    assert.equal(valueOf(forbidden), 'denied');
  });
});

describe('the codemode object', () => {
  test('the in operator tells which tools and namespaces exist', async () => {
    const result = await executor.run('return ["double" in codemode, "nope" in codemode, "add" in codemode.math, "mul" in codemode.math, "math" in codemode]');
    assert.deepEqual(valueOf(result), [true, false, true, false, true]);
  });
});
