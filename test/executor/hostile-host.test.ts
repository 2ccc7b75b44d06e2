// Model code that goes after the host, not the sandbox: every run comes back as data of the documented
// shape (strings where the model reads text, sizes within the caps), no host fault is reported, and the
// next run on the same executor succeeds. One executor serves every case: the test process is the host.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { z } from 'zod';
import { HOST_FAULT_CODE } from '../../src/fault.js';
import { defineTool, Executor, type RunOptions, type RunResult } from '../../src/index.js';
import { CodeModeServer, type HttpServer } from '../../src/mcp/index.js';
import { execute, httpClient } from '../mcp/helpers.js';
import { echo } from '../fixtures.js';

type Tree = { next?: Tree };
const tree: z.ZodType<Tree> = z.lazy(() => z.object({ next: tree.optional() }));
const walk = defineTool({ name: 'walk', description: 'Takes a recursive tree.', input: z.object({ tree }), run: () => 'walked' });
const add = defineTool({ name: 'add', description: 'Adds.', input: z.object({ a: z.number(), b: z.number() }), run: ({ a, b }) => a + b });

const MAX_VALUE_CHARS = 100_000;
const MAX_LOG_CHARS = 10_000;
// Limits far beyond what any case needs: each case's expected end is an event, never the clock.
const executor = new Executor({ tools: [add, echo, walk], maxValueChars: MAX_VALUE_CHARS, maxLogChars: MAX_LOG_CHARS, timeoutMs: 120_000, maxProcesses: 2 });

const faults: string[] = [];
const onWarning = (warning: Error & { code?: string }) => {
  if (warning.code === HOST_FAULT_CODE) faults.push(warning.message);
};
before(() => process.on('warning', onWarning));
after(async () => {
  process.off('warning', onWarning);
  await executor.close();
});

const KINDS = ['syntax', 'runtime', 'timeout', 'memory', 'cancelled', 'crashed', 'denied', 'host', 'invalid_input', 'output_limit'];

const show = (value: unknown) => JSON.stringify(value, (_key, item: unknown) => (typeof item === 'bigint' ? `${item}n` : item));

/**
 * The result is data of the documented shape, within the caps; the next run on the same executor succeeds;
 * and the host reported no fault of its own (unless `faultsAllowed`).
 */
async function survives(code: string, options: RunOptions = {}, faultsAllowed = false): Promise<RunResult> {
  const result = await executor.run(code, options);
  const label = `${code.slice(0, 120)} → ${show(result).slice(0, 400)}`;
  assert.ok(result.type === 'completed' || result.type === 'failed', label);
  for (const entry of result.logs) assert.equal(typeof entry.text, 'string', label);
  assert.ok(result.logs.reduce((sum, entry) => sum + entry.text.length + 1, 0) <= MAX_LOG_CHARS + 200, label);
  if (!result.ok) {
    const { kind, name, message, stack, hint } = result.error;
    assert.ok(KINDS.includes(kind), label);
    for (const text of [name, message, hint]) assert.equal(typeof text, 'string', label);
    assert.ok(stack === undefined || typeof stack === 'string', label);
    assert.ok(message.length <= MAX_VALUE_CHARS && (stack?.length ?? 0) <= MAX_VALUE_CHARS, label);
  }
  const next = await executor.run('return await codemode.add({ a: 20, b: 22 })');
  assert.equal(next.ok && next.value, 42, `the run after ${label} failed: ${show(next)}`);
  const reported = faults.splice(0);
  if (!faultsAllowed) assert.deepEqual(reported, [], label);
  return result;
}

function failed(result: RunResult): Extract<RunResult, { ok: false }>['error'] {
  assert.equal(result.ok, false, JSON.stringify(result));
  return (result as Extract<RunResult, { ok: false }>).error;
}

describe('the table of issue 14: each row, through the public API', () => {
  test('F1: Array.prototype.join replaced, then console.log, no longer kills the host', async () => {
    const result = await survives('Array.prototype.join = () => ({}); console.log(1)');
    assert.equal(result.ok, true);
    assert.deepEqual(result.logs.map((entry) => typeof entry.text), ['string']);
  });

  test('F1: Number replaced by a BigInt maker, then a throw, no longer kills the host in offsetOf', async () => {
    const error = failed(await survives("globalThis.Number = () => 1n; throw new Error('x')"));
    assert.equal(error.message, 'x');
    assert.equal(error.line, 1);
    assert.equal(typeof error.column, 'number');
  });

  test('F1: a 5e7-character tool name is unknown at once, without an edit distance as long as the name', async () => {
    const error = failed(await survives("await codemode['a'.repeat(5e7)]()"));
    assert.equal(error.kind, 'runtime');
    assert.match(error.message, /^codemode\.a{100}… is not a tool\. Available: add, echo, walk\.$/);
  });

  test('F4: a 1e5-deep input sent with a replaced JSON.stringify to a recursive schema is refused before zod sees it', async () => {
    const code = `const deep = '{"tree":' + '{"next":'.repeat(1e5) + '{}' + '}'.repeat(1e5) + '}';
      JSON.stringify = () => deep;
      return await codemode.walk({ tree: {} })`;
    // The default value cap, so that depth, not size, is what stops it.
    const error = failed(await survives(code, { maxValueChars: 8_000_000 }));
    assert.equal(error.kind, 'invalid_input');
    assert.equal(error.message, 'codemode.walk: the input is nested deeper than 64 levels');
  });

  test('F4: a 1e6-deep return value made with a replaced JSON.stringify never reaches the caller', async () => {
    const error = failed(await survives("const deep = '['.repeat(1e6) + ']'.repeat(1e6); JSON.stringify = () => deep; return 1", { maxValueChars: 8_000_000 }));
    assert.equal(error.kind, 'output_limit');
    assert.equal(error.message, 'the return value cannot be sent back: the return value is nested deeper than 64 levels');
  });

  test('F5: 30,000 nested parentheses fail as syntax instead of making run() reject', async () => {
    // Until normalization bounds its parser, the overflow there is also reported to the operator as a fault.
    const error = failed(await survives('('.repeat(3e4) + '1' + ')'.repeat(3e4), {}, true));
    assert.equal(error.kind, 'syntax');
  });

  test('F6: a thrown 2^29-character message arrives cut at maxValueChars', async () => {
    const error = failed(await survives("throw { message: 'x'.repeat(2 ** 29 - 24) }"));
    assert.equal(error.message.length, MAX_VALUE_CHARS);
    assert.ok(error.message.endsWith('x…'));
  });

  test('String replaced: the error message still arrives as a string', async () => {
    const error = failed(await survives("globalThis.String = () => ({}); throw new Error('x')"));
    assert.equal(error.message, 'x');
  });

  test('a flood of empty console entries stops at maxLogChars', async () => {
    const result = await survives('for (let i = 0; i < 1e6; i++) console.log(); return 1');
    assert.equal(result.logs.length, MAX_LOG_CHARS + 1);
  });
});

/** Built-ins the harness, its formatter and the codec touch, as paths from the global object. */
const BUILT_INS = [
  'String', 'Number', 'Object', 'Array', 'RegExp', 'Error', 'Promise', 'Proxy', 'Reflect', 'JSON', 'Map', 'Set', 'WeakMap', 'Date', 'Math', 'BigInt', 'Uint8Array', 'ArrayBuffer', 'Symbol', 'parseFloat', 'isNaN',
  'Function.prototype.call', 'Function.prototype.bind', 'Function.prototype.apply', 'Function.prototype.toString',
  'String.prototype.slice', 'String.prototype.split', 'String.prototype.replace', 'String.prototype.includes', 'String.prototype.startsWith', 'String.prototype.padStart', 'String.prototype.charCodeAt', 'String.prototype.toString', 'String.prototype.repeat', 'String.prototype.indexOf', 'String.prototype.lastIndexOf', 'String.prototype.endsWith',
  'Array.prototype.join', 'Array.prototype.map', 'Array.prototype.filter', 'Array.prototype.findIndex', 'Array.prototype.slice', 'Array.prototype.push', 'Array.prototype.pop', 'Array.prototype.includes', 'Array.prototype.toString', 'Array.prototype.splice',
  'Object.keys', 'Object.defineProperty', 'Object.create', 'Object.freeze', 'Object.getPrototypeOf', 'Object.getOwnPropertyDescriptor', 'Object.getOwnPropertyNames', 'Object.is', 'Object.fromEntries', 'Object.prototype.toString', 'Object.prototype.hasOwnProperty', 'Object.prototype.valueOf',
  'Reflect.get', 'Reflect.ownKeys', 'Reflect.getOwnPropertyDescriptor', 'Array.isArray', 'ArrayBuffer.isView', 'JSON.stringify', 'JSON.parse',
  'RegExp.prototype.exec', 'RegExp.prototype.test', 'Promise.prototype.then', 'Promise.resolve', 'WeakMap.prototype.get', 'WeakMap.prototype.set', 'Map.prototype.get', 'Map.prototype.set',
  'Error.captureStackTrace', 'Error.prototype.toString', 'Number.prototype.toString', 'Date.prototype.toISOString', 'Date.now', 'Math.max', 'Math.min', 'Math.trunc', 'Math.ceil', 'Math.floor',
];

/** What a replaced built-in becomes: each breaks a different assumption (type, size, throwing, absence). */
const REPLACEMENTS = {
  object: '() => ({ toString() { return {} } })',
  bigint: '() => 1n',
  throws: "() => { throw new Error('replaced') }",
  huge: "() => 'x'.repeat(1e7)",
  absent: 'undefined',
};

/** After the replacement, the code uses every path out of the isolate: console, host calls, and a return or a throw. */
const action = (end: 'return' | 'throw') =>
  "console.log('a', { b: [1, 2] }, new Error('e')); console.log(); console.log('%s %d', 'x', 1);\n" +
  "const got = await codemode.echo({ value: { n: [1, { d: new Date(0) }] } });\n" +
  'await codemode.nope({}).catch((e) => console.log(e));\n' +
  (end === 'return' ? 'return { got, at: 1n }' : "throw new TypeError('boom')");

// Any end is fine here (a replaced built-in may break the model's own run, even hang it until its limit):
// what is checked is the shape of what arrives, the host's health and the next run.
const FAMILY_LIMIT: RunOptions = { timeoutMs: 10_000 };

describe('replaced built-ins of every kind the harness and codec use', () => {
  for (const path of BUILT_INS) {
    test(`${path} replaced in five ways never harms the host`, async () => {
      const parts = path.split('.');
      const owner = parts.length === 1 ? 'globalThis' : parts.slice(0, -1).join('.');
      let end: 'return' | 'throw' = 'return';
      for (const [how, replacement] of Object.entries(REPLACEMENTS)) {
        const code = `try { Object.defineProperty(${owner}, '${parts.at(-1)}', { value: ${replacement}, writable: true, configurable: true }) } catch {}\n${action(end)}`;
        end = end === 'return' ? 'throw' : 'return';
        await survives(code, FAMILY_LIMIT).catch((error: Error) => {
          throw new Error(`${path} (${how}): ${error.message}`);
        });
      }
    });
  }
});

describe('hostile sizes, depths and nested syntax', () => {
  const cases = [
    ['a deep array returned', 'let v = 1; for (let i = 0; i < 1e5; i++) v = [v]; return v'],
    ['a deep array logged', 'let v = 1; for (let i = 0; i < 1e5; i++) v = [v]; console.log(v); return 1'],
    ['a deep error cause thrown', 'let e = new Error("root"); for (let i = 0; i < 1e4; i++) e = { message: e }; throw e'],
    ['a huge log line', "console.log('y'.repeat(5e7)); return 1"],
    ['a huge value returned', "return 'z'.repeat(5e7)"],
    ['a huge error name', "const e = new Error('m'); e.name = 'N'.repeat(1e7); throw e"],
    ['a huge stack', "const e = new Error('m'); e.stack = 'E: m\\n' + '    at code.js:1:1\\n'.repeat(1e5); throw e"],
    ['positions out of range in a stack', "const e = new Error('m'); e.stack = 'E: m\\n    at code.js:99999999999999999999:1'; throw e"],
    ['a huge tool input', "return await codemode.echo({ value: 'v'.repeat(5e6) })"],
    ['a call with a huge non-tool name on a namespace', "return await codemode.fs['b'.repeat(1e6)]({})"],
    ['ten thousand unknown calls', 'await Promise.allSettled(Array.from({ length: 1e4 }, (_, i) => codemode["tool" + i]({}))); return 1'],
    ['deep parentheses', '('.repeat(1e4) + '1' + ')'.repeat(1e4)],
    ['deep brackets', 'return ' + '['.repeat(1e4) + ']'.repeat(1e4)],
    ['deep blocks', '{'.repeat(1e4) + '}'.repeat(1e4)],
    ['a long unary chain', 'return ' + '!'.repeat(1e5) + '1'],
    ['deep template literals', 'return ' + '`${'.repeat(2e3) + '1' + '}`'.repeat(2e3)],
    ['deep arrow functions', 'return ' + '() => '.repeat(5e3) + '1'],
  ] as const;
  for (const [name, code] of cases) {
    test(`${name}: data back, host alive`, async () => {
      // Deep syntax may still overflow the TypeScript parser in normalization (reported as a host fault).
      await survives(code, FAMILY_LIMIT, name.startsWith('deep') || name.includes('chain'));
    });
  }
});

describe('over MCP HTTP with the real client', () => {
  const server = new CodeModeServer({ tools: [add], timeoutMs: 120_000 });
  let http: HttpServer;
  before(async () => {
    http = await server.serveHttp({ port: 0 });
  });
  after(() => server.close());

  test('F1: Array.prototype.join replaced, then console.log, answers as a tool result and the server keeps serving', async () => {
    const client = await httpClient(http.url);
    try {
      const hostile = await execute(client, 'Array.prototype.join = () => ({}); console.log(1); return 1');
      assert.equal(hostile.isError, false, hostile.text);
      assert.match(hostile.text, /^Result: 1/);
      const next = await execute(client, 'return await codemode.add({ a: 1, b: 2 })');
      assert.equal(next.text, 'Result: 3');
    } finally {
      await client.close();
    }
  });
});
