import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { Executor, type RunResult } from '../../src/index.js';
import { double } from '../fixtures.js';
import { valueOf } from '../run-result.js';

const executor = new Executor({ tools: [double] });
after(() => executor.close());

function failure(result: RunResult) {
  assert.equal(result.ok, false, `expected a failure, got ${JSON.stringify(result)}`);
  return (result as Extract<RunResult, { ok: false }>).error;
}

describe('code forms', () => {
  test('an async arrow function is called and its value returned', async () => {
    const result = await executor.run('async () => {\n  const x = await codemode.double({ n: 4 });\n  return x + 1;\n}');
    assert.equal(valueOf(result), 9);
  });

  test('a plain body with top-level await and return runs', async () => {
    const result = await executor.run('const x = await codemode.double({ n: 4 });\nreturn x + 1;');
    assert.equal(valueOf(result), 9);
  });

  test('an async function declaration is called', async () => {
    const result = await executor.run('async function main() {\n  return await codemode.double({ n: 1 });\n}');
    assert.equal(valueOf(result), 2);
  });

  test('a fenced code block is unwrapped and lines still count from the fence content', async () => {
    const result = await executor.run('```js\nconst a = 1;\nnull.boom;\n```');
    const error = failure(result);
    assert.equal(error.line, 3, 'line 3 of the text as sent: the fence is line 1');
  });
});

describe('syntax errors', () => {
  test('report line and column in the code as sent, with a frame and a hint', async () => {
    const error = failure(await executor.run('const a = 1;\nconst b = ;\nreturn a;'));
    assert.equal(error.kind, 'syntax');
    assert.equal(error.name, 'SyntaxError');
    assert.equal(error.message, "Unexpected token ';'");
    assert.deepEqual([error.line, error.column], [2, 11]);
    assert.equal(error.frame, "  1 | const a = 1;\n> 2 | const b = ;\n    |           ^");
    assert.match(error.hint!, /^Fix the syntax at the line shown\./);
  });

  test('an arrow function with a syntax error points at the right line too', async () => {
    const error = failure(await executor.run('async () => {\n  let x = 1\n  x +* 2\n}'));
    assert.equal(error.kind, 'syntax');
    assert.equal(error.line, 3);
  });

  test('nothing runs when the code does not compile', async () => {
    const error = failure(await executor.run('await codemode.double({ n: 1 });\n)'));
    assert.equal(error.kind, 'syntax');
  });
});

describe('runtime errors', () => {
  test('a thrown error reports name, message and a stack with the model lines only', async () => {
    const code = 'function inner() {\n  return undefined.prop;\n}\nfunction outer() { return inner(); }\nouter();';
    const error = failure(await executor.run(code));
    assert.equal(error.kind, 'runtime');
    assert.equal(error.name, 'TypeError');
    assert.equal(error.message, "Cannot read properties of undefined (reading 'prop')");
    assert.equal(error.stack, "TypeError: Cannot read properties of undefined (reading 'prop')\n    at inner (code.js:2:20)\n    at outer (code.js:4:27)\n    at code.js:5:1");
    assert.deepEqual([error.line, error.column], [2, 20]);
    assert.doesNotMatch(error.stack!, /harness|isolated-vm|node:/);
  });

  test('an error after an await keeps the model line', async () => {
    const error = failure(await executor.run('await codemode.double({ n: 1 });\nconst x = {};\nx.y.z = 1;'));
    assert.equal(error.line, 3);
  });

  test('a thrown non-error value is described', async () => {
    const error = failure(await executor.run('throw { code: 42 }'));
    assert.equal(error.kind, 'runtime');
    assert.equal(error.message, 'Uncaught { code: 42 }');
  });

  test('a missing global gets a hint about what exists in the sandbox', async () => {
    const error = failure(await executor.run('const fs = require("fs")'));
    assert.equal(error.name, 'ReferenceError');
    assert.equal(error.message, 'require is not defined');
    assert.equal(error.hint, 'Only standard JavaScript globals, console and codemode exist here: no require, process, fetch or timers.');
  });

  test('an error in the last expression (returned for the model) points at that line, in JavaScript and TypeScript', async () => {
    for (const [code, line] of [['\n\nmissingThing.size', 3], ['missingThing.size', 1], ['const n: number = 1;\nmissingThing.size + n;', 2]] as const) {
      const error = failure(await executor.run(code));
      assert.equal(error.message, 'missingThing is not defined');
      assert.deepEqual([error.line, error.column], [line, 1], code);
      assert.match(error.frame ?? '', new RegExp(`> ${line} \\| missingThing\\.size`), code);
    }
  });

  test('a custom error class keeps its name', async () => {
    const error = failure(await executor.run('class NotFound extends Error { name = "NotFound" }\nthrow new NotFound("no such user")'));
    assert.deepEqual([error.name, error.message, error.line], ['NotFound', 'no such user', 2]);
  });
});
