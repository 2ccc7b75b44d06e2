import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { Executor, type RunResult } from '../../src/index.js';
import { echo } from '../fixtures.js';
import { errorOf, valueOf } from '../run-result.js';

const executor = new Executor({ tools: [echo] });
after(() => executor.close());

async function value(code: string): Promise<unknown> {
  return valueOf(await executor.run(code));
}

function failed(result: RunResult) {
  return errorOf(result);
}

describe('return values', () => {
  test('JSON-like values come back as equal copies', async () => {
    assert.equal(await value('return 42'), 42);
    assert.equal(await value('return "text"'), 'text');
    assert.equal(await value('return true'), true);
    assert.equal(await value('return null'), null);
    assert.deepEqual(await value('return { a: [1, { b: "c" }], d: {} }'), { a: [1, { b: 'c' }], d: {} });
  });

  test('undefined, BigInt, Date, Uint8Array and special numbers keep their type', async () => {
    assert.equal(await value('return undefined'), undefined);
    assert.equal(await value(''), undefined);
    assert.equal(await value('return 2n ** 70n'), 2n ** 70n);
    assert.deepEqual(await value('return new Date(86400000)'), new Date(86400000));
    assert.ok(Number.isNaN((await value('return new Date(NaN)') as Date).getTime()));
    assert.deepEqual(await value('return new Uint8Array([0, 1, 254, 255])'), new Uint8Array([0, 1, 254, 255]));
    assert.deepEqual(await value('return [NaN, Infinity, -Infinity, -0]'), [NaN, Infinity, -Infinity, -0]);
    assert.deepEqual(await value('return { a: undefined, b: [undefined, , 3] }'), { a: undefined, b: [undefined, undefined, 3] });
  });

  test('class instances become plain objects, Errors keep name and message, toJSON is honoured', async () => {
    assert.deepEqual(await value('class P { constructor() { this.x = 1 } get y() { return 2 } }; return new P()'), { x: 1 });
    assert.deepEqual(await value('return new RangeError("bad")'), { name: 'RangeError', message: 'bad' });
    assert.deepEqual(await value('return { toJSON() { return "custom" } }'), 'custom');
  });

  test('an object that owns the reserved tag key still round-trips', async () => {
    assert.deepEqual(await value('return { "\\u0000": "d", v: 5 }'), { '\u0000': 'd', v: 5 });
  });

  test('a "__proto__" key stays a plain property and never sets a prototype', async () => {
    const result = (await value('return JSON.parse(\'{"__proto__": {"polluted": true}}\')')) as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(result), Object.prototype);
    assert.deepEqual(Object.keys(result), ['__proto__']);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  test('values survive a trip through a host tool in both directions', async () => {
    const sent = '{ n: 1n, d: new Date(5), b: new Uint8Array([7]), u: undefined, nested: [[[{ deep: "yes" }]]] }';
    const back = await value(`const v = ${sent}; const r = await codemode.echo({ value: v }); return [r, r.d instanceof Date, r.b instanceof Uint8Array, typeof r.n]`);
    assert.deepEqual(back, [{ n: 1n, d: new Date(5), b: new Uint8Array([7]), u: undefined, nested: [[[{ deep: 'yes' }]]] }, true, true, 'bigint']);
  });

  test('a function, symbol, Map or Set cannot be returned, and the error says where and how to fix it', async () => {
    const fn = failed(await executor.run('return { nested: { f() {} } }'));
    assert.equal(fn.kind, 'runtime');
    assert.match(fn.message, /return value cannot be sent back: \.nested\.f is a function/);
    const map = failed(await executor.run('return new Map([[1, 2]])'));
    assert.match(map.message, /is a Map, which cannot cross \(use Object\.fromEntries\(map\)\)/);
    const set = failed(await executor.run('return [new Set()]'));
    assert.match(set.message, /\[0\] is a Set, which cannot cross \(use \[\.\.\.set\]\)/);
    assert.match(failed(await executor.run('return Symbol("s")')).message, /is a symbol/);
  });

  test('a circular return value fails with a clear message', async () => {
    const error = failed(await executor.run('const a = { name: "a" }; a.self = a; return a'));
    assert.equal(error.kind, 'runtime');
    assert.match(error.message, /\.self refers back to one of its parents/);
  });

  test('a return value over the size cap fails as output_limit with a hint to return less', async () => {
    const small = new Executor({ maxValueChars: 1000 });
    try {
      const error = failed(await small.run('return "x".repeat(5000)'));
      assert.equal(error.kind, 'output_limit');
      assert.match(error.message, /larger than the 1000-character limit/);
      assert.match(error.hint!, /Return less data/);
      const ok = await small.run('return "x".repeat(500)');
      assert.equal(ok.ok, true);
    } finally {
      await small.close();
    }
  });

  test('a return value nested deeper than the depth cap fails as output_limit', async () => {
    const error = failed(await executor.run('let v = 1; for (let i = 0; i < 100; i++) v = [v]; return v'));
    assert.equal(error.kind, 'output_limit');
    assert.match(error.message, /nested deeper than 64 levels/);
  });

  test('an input to a host tool that cannot cross rejects inside the isolate and can be caught', async () => {
    const result = await value('try { await codemode.echo({ value: () => 1 }) } catch (e) { return [e.kind, e.name, e.message] }');
    assert.deepEqual(result, ['invalid_input', 'TypeError', 'codemode.echo: .value is a function; only data can cross']);
  });
});

describe('console', () => {
  test('every level is captured in order with its level', async () => {
    const result = await executor.run('console.log("a"); console.info("b"); console.warn("c"); console.error("d"); console.debug("e")');
    assert.deepEqual(result.logs, [
      { level: 'log', text: 'a' },
      { level: 'info', text: 'b' },
      { level: 'warn', text: 'c' },
      { level: 'error', text: 'd' },
      { level: 'debug', text: 'e' },
    ]);
  });

  test('objects, arrays, nested values and special values print like util.inspect', async () => {
    const code = `
      console.log({ a: 1, b: 'two', c: [1, 2, { d: null }], e: undefined });
      console.log([1, 'x', [2, [3, [4, [5]]]]]);
      console.log({ deep: { er: { est: { gone: 1 } } } });
      console.log(new Map([['k', 1]]), new Set([1, 2]), new Date(0), /re/g, 10n, Symbol('s'), -0);
      console.log(function named() {}, () => {}, class Foo {}, new (class Bar { constructor() { this.x = 1 } })());
      console.log({ 'needs quotes': 1, get g() { return 1 } }, Object.create(null), [ , 1]);
      console.log('%s has %d items costing %i, %j', 'cart', 3, 4.7, { a: 1 });
      const c = { name: 'c' }; c.self = c; console.log(c);
      console.log(new Uint8Array([1, 2]), "it's", ['it\\'s']);
    `;
    const result = await executor.run(code);
    assert.deepEqual(
      result.logs.map((entry) => entry.text),
      [
        "{ a: 1, b: 'two', c: [ 1, 2, { d: null } ], e: undefined }",
        "[ 1, 'x', [ 2, [ 3, [Array] ] ] ]",
        '{ deep: { er: { est: [Object] } } }',
        "Map(1) { 'k' => 1 } Set(2) { 1, 2 } 1970-01-01T00:00:00.000Z /re/g 10n Symbol(s) -0",
        '[Function: named] [Function (anonymous)] [class Foo] Bar { x: 1 }',
        "{ 'needs quotes': 1, g: [Getter] } [Object: null prototype] {} [ <1 empty item>, 1 ]",
        'cart has 3 items costing 4, {"a":1}',
        "<ref *1> { name: 'c', self: [Circular *1] }",
        `Uint8Array(2) [ 1, 2 ] it's [ "it's" ]`,
      ],
    );
  });

  test('long objects break over several lines', async () => {
    const result = await executor.run('console.log({ alpha: "a".repeat(30), beta: "b".repeat(30), gamma: [1, 2, 3] })');
    assert.equal(result.logs[0]!.text, `{\n  alpha: '${'a'.repeat(30)}',\n  beta: '${'b'.repeat(30)}',\n  gamma: [ 1, 2, 3 ]\n}`);
  });

  test('an error prints its stack with lines in the model code, and a bridge error shows its kind', async () => {
    const result = await executor.run('const e = new TypeError("boom");\nconsole.error(e);\ntry { await codemode.nope({}) } catch (err) { console.log(err) }');
    assert.equal(result.logs[0]!.text, 'TypeError: boom\n    at code.js:1:11');
    assert.match(result.logs[1]!.text, /^TypeError: codemode\.nope is not a tool\. Available: echo\.\n {4}at code\.js:3:22 \{ kind: 'runtime' \}$/);
  });

  test('console.trace prints its message and the frames of the caller in the model code', async () => {
    const result = await executor.run('function where() {\n  console.trace("here", 1);\n}\nwhere();');
    assert.deepEqual(result.logs, [{ level: 'debug', text: 'Trace: here 1\n    at where (code.js:2:11)\n    at code.js:4:1' }]);
  });

  test('logs are kept when the run fails', async () => {
    const result = await executor.run('console.log("before"); throw new Error("after")');
    assert.equal(result.ok, false);
    assert.deepEqual(result.logs, [{ level: 'log', text: 'before' }]);
  });

  test('console output over the cap is cut with one marker and the run still completes', async () => {
    const small = new Executor({ maxLogChars: 25 });
    try {
      const result = await small.run('for (let i = 0; i < 1000; i++) console.log("line " + i); return "done"');
      assert.equal(result.ok, true);
      // Each entry costs its length plus one: 7 + 7 + 7, then 3 characters of room are left.
      assert.equal(result.logs.map((entry) => entry.text).join('|'), 'line 0|line 1|line 2|lin|[codemode] console output reached its limit of 25 characters; the rest was dropped.');
      assert.equal(result.logs.at(-1)!.level, 'warn');
    } finally {
      await small.close();
    }
  });

  test('empty console entries count toward the cap', async () => {
    const small = new Executor({ maxLogChars: 25 });
    try {
      const result = await small.run('for (let i = 0; i < 1e6; i++) console.log(); return "done"');
      assert.equal(result.ok, true);
      assert.equal(result.logs.length, 26);
      assert.deepEqual(result.logs.slice(0, 25), Array(25).fill({ level: 'log', text: '' }));
      assert.equal(result.logs.at(-1)!.text, '[codemode] console output reached its limit of 25 characters; the rest was dropped.');
    } finally {
      await small.close();
    }
  });

  test('console output reaches onLog while code is still computing, before it yields', async () => {
    const controller = new AbortController();
    const result = await executor.run('console.log("started"); while (true) {}', {
      signal: controller.signal,
      timeoutMs: 120_000,
      onLog: (entry) => {
        if (entry.text === 'started') controller.abort();
      },
    });
    assert.equal(!result.ok && result.error.kind, 'cancelled', 'the log arrived mid-loop, so the run was cancelled and did not time out');
    assert.deepEqual(result.logs, [{ level: 'log', text: 'started' }]);
  });

  test('onLog receives each entry while the run is still going', async () => {
    const seen: string[] = [];
    const result = await executor.run('console.log("first"); await codemode.echo({ value: 1 }); console.log("second")', {
      onLog: (entry) => seen.push(entry.text),
    });
    assert.equal(result.ok, true);
    assert.deepEqual(seen, ['first', 'second']);
  });
});
