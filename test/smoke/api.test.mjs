// The public API as a user's program calls it: a run with host calls, a timeout, a memory bomb, and a read
// outside the allowed paths, each followed by a run that works.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Executor, defineTool } from 'codemode';
import { FsCapability } from 'codemode/capabilities';
import { z } from 'zod';
import { tempDir } from './helpers.mjs';

const dir = tempDir({ 'notes.txt': 'one\ntwo\n' });
const add = defineTool({
  name: 'add',
  description: 'Adds two numbers.',
  input: z.object({ a: z.number(), b: z.number() }),
  output: z.number(),
  run: ({ a, b }) => a + b,
});
let executor;

before(async () => {
  executor = new Executor({ tools: [add], capabilities: [new FsCapability({ allowedPaths: [dir.path] })], timeoutMs: 5_000 });
  await executor.warmup();
});
after(async () => {
  await executor.close();
  dir.remove();
});

describe(`the public API on Node ${process.version}`, () => {
  test('a run calls a host tool and reads an allowed file', async () => {
    const result = await executor.run(`
      const sums = await Promise.all([1, 2, 3].map((n) => codemode.add({ a: n, b: 10 })));
      const text = await codemode.fs.readFile({ path: 'notes.txt' });
      return { sums, lines: text.split('\\n').length - 1 };`);
    assert.deepEqual(result.ok && result.value, { sums: [11, 12, 13], lines: 2 });
  });

  test('an endless loop times out, and the next run works', async () => {
    const result = await executor.run('while (true) {}', { timeoutMs: 300 });
    assert.equal(!result.ok && result.error.kind, 'timeout');
    assert.deepEqual((await executor.run('return 2')).ok, true);
  });

  test('a memory bomb fails as memory, and the next run works', async () => {
    const result = await executor.run('const a = []; while (true) a.push(new Array(1e5).fill(Math.random()))', { memoryLimitMb: 32 });
    assert.equal(!result.ok && result.error.kind, 'memory');
    assert.deepEqual((await executor.run('return 3')).ok, true);
  });

  test('a read outside the allowed paths is denied, and the code can catch it', async () => {
    const result = await executor.run('try { await codemode.fs.readFile({ path: "/etc/passwd" }); return "read" } catch (e) { return e.kind }');
    assert.deepEqual(result.ok && result.value, 'denied');
  });
});
