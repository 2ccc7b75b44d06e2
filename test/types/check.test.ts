import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { z } from 'zod';
import { defineCapability, defineTool, Executor } from '../../src/index.js';
import { IGNORED_DIAGNOSTICS } from '../../src/types/check.js';
import { valueOf } from '../run-result.js';

const fs = defineCapability({
  name: 'fs',
  description: 'Files.',
  tools: [defineTool({ name: 'readFile', description: 'Reads a file.', input: z.object({ path: z.string() }), output: z.string(), run: ({ path }) => `content of ${path}` })],
});
const loose = defineTool({ name: 'loose', description: 'No output schema.', input: z.object({}), run: () => ({ anything: 1 }) });
const executor = new Executor({ capabilities: [fs], tools: [loose] });
after(() => executor.close());

describe('type-check', () => {
  test('a wrong tool name is found, with the line as sent and a suggestion', async () => {
    const diagnostics = await executor.check('// read it\nconst text = await codemode.fs.raedFile({ path: "a" });');
    assert.deepEqual(diagnostics, [
      { code: 2551, message: "Property 'raedFile' does not exist on type '{ readFile(input: { path: string; }): Promise<string>; }'. Did you mean 'readFile'?", line: 2, column: 32 },
    ]);
  });

  test('a wrong field type and a missing field are found', async () => {
    const [wrongType] = await executor.check('await codemode.fs.readFile({ path: 42 })');
    assert.equal(wrongType!.code, 2322);
    const [missing] = await executor.check('await codemode.fs.readFile({ file: "a" })');
    assert.equal(missing!.code, 2353);
  });

  test('a missing await is found with TypeScript\'s own hint', async () => {
    const [diagnostic] = await executor.check('const text = codemode.fs.readFile({ path: "a" });\nreturn text.toUpperCase();');
    assert.equal(diagnostic!.message, "Property 'toUpperCase' does not exist on type 'Promise<string>'. Did you forget to use 'await'?");
    assert.equal(diagnostic!.line, 2);
  });

  test('globals that do not exist in the sandbox are found', async () => {
    const [diagnostic] = await executor.check('const r = await fetch("https://example.com")');
    assert.equal(diagnostic!.message, "Cannot find name 'fetch'.");
  });

  test('script noise is left out: implicit any, possibly undefined, unknown results', async () => {
    const code = 'function twice(x) { return x * 2 }\nconst found = [1, 2].find((n) => n > 1);\nconst v = await codemode.loose({});\nreturn [twice(found.valueOf()), v.anything];';
    assert.deepEqual(await executor.check(code), []);
    assert.ok(IGNORED_DIAGNOSTICS.has(7006) && IGNORED_DIAGNOSTICS.has(18048) && IGNORED_DIAGNOSTICS.has(18046));
  });

  test('TypeScript input is checked in its own positions', async () => {
    const diagnostics = await executor.check('```ts\ninterface R { text: string }\nconst r: R = { text: 1 };\n```');
    assert.deepEqual(diagnostics.map((d) => [d.code, d.line, d.column]), [[2322, 3, 16]]);
  });

  test('a syntax error comes back as one diagnostic', async () => {
    const diagnostics = await executor.check('const a: number = ;');
    assert.deepEqual(diagnostics, [{ code: 1005, message: 'Expression expected.', line: 1, column: 19 }]);
  });

  test('a correct script has no diagnostics and runs with typecheck on', async () => {
    const code = 'const text = await codemode.fs.readFile({ path: "notes.md" });\nreturn text.length;';
    assert.deepEqual(await executor.check(code), []);
    const result = await executor.run(code, { typecheck: true });
    assert.equal(valueOf(result), 'content of notes.md'.length);
  });

  test('with typecheck on, a type error fails the run as syntax before anything runs', async () => {
    const result = await executor.run('const n: number = "one";\nawait codemode.fs.readFile({ path: 1 });', { typecheck: true });
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.error.kind, 'syntax');
    assert.equal(!result.ok && result.error.name, 'TypeError');
    assert.equal(
      !result.ok && result.error.message,
      "line 1: TS2322: Type 'string' is not assignable to type 'number'.\nline 2: TS2322: Type 'number' is not assignable to type 'string'. The expected type comes from property 'path' which is declared here on type '{ path: string; }'",
    );
    assert.equal(!result.ok && result.error.hint, "Fix the type errors; the declarations give each tool's input and output types.");
    assert.equal(result.stats.hostCalls, 0);
  });
});
