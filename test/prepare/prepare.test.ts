// Regression tests for model code that froze or broke the host before it ran (issue 14: F2, F3, F5, F7):
// preparation runs in a bounded worker, position mapping is log-linear, sizes are capped. Each case checks
// that the host answers and that the next run succeeds.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { z } from 'zod';
import { CodemodeError, defineTool, Executor, MAX_CODE_CHARS, MAX_QUERY_CHARS, type RunResult } from '../../src/index.js';

/** 176 bytes at 22 levels froze the host 7 s in the TypeScript parser; each level doubles it. */
const nestedAsync = (levels: number) => 'async (' + 'async ('.repeat(levels) + ')'.repeat(levels + 1);

const readFile = defineTool({ name: 'readFile', description: 'Reads a file.', input: z.object({ path: z.string() }), run: ({ path }) => path });
const executor = new Executor({ tools: [readFile] });
after(() => executor.close());

async function nextRunSucceeds(): Promise<void> {
  const result = await executor.run('return 40 + 2');
  assert.ok(result.ok, JSON.stringify(result));
  assert.equal(result.value, 42);
}

function failure(result: RunResult) {
  assert.equal(result.ok, false, JSON.stringify(result));
  return (result as Extract<RunResult, { ok: false }>).error;
}

describe('preparing model code is bounded', () => {
  test('nested async calls that take the TypeScript parser minutes fail the run as timeout within its limit (F2)', async () => {
    const error = failure(await executor.run(nestedAsync(26), { timeoutMs: 1000 }));
    assert.equal(error.kind, 'timeout');
    assert.match(error.message, /exceeded its 1000 ms time limit while its code was being prepared/);
    assert.match(error.hint!, /flatter code/);
    await nextRunSucceeds();
  });

  test('while nested syntax keeps the parser busy, other runs go on and the busy one can be cancelled (F2)', async () => {
    const abort = new AbortController();
    const stuck = executor.run(nestedAsync(26), { signal: abort.signal });
    await nextRunSucceeds();
    abort.abort(new Error('enough'));
    assert.equal(failure(await stuck).kind, 'cancelled');
    await nextRunSucceeds();
  });

  test('type-checking nested syntax is bounded by the time limit too (F2)', async () => {
    const quick = new Executor({ timeoutMs: 1000 });
    try {
      const [diagnostic] = await quick.check(nestedAsync(26));
      assert.equal(diagnostic?.code, 1005);
      assert.match(diagnostic!.message, /time limit while its code was being prepared/);
      assert.deepEqual(await quick.check('const n: number = 1;\nreturn n'), []);
    } finally {
      await quick.close();
    }
  });

  test('parentheses 30,000 deep fail as syntax instead of rejecting run() with a stack overflow (F5)', async () => {
    const error = failure(await executor.run('('.repeat(3e4) + '1' + ')'.repeat(3e4)));
    assert.equal(error.kind, 'syntax');
    assert.match(error.message, /nested too deeply to parse/);
    await nextRunSucceeds();
  });

  test('a stack of 20,000 frames 100,000 lines down maps to the lines as sent (F3: mapping was positions × lines)', async () => {
    const code = '\n'.repeat(1e5) + "throw {message:'m', stack:'E: m\\n'+'    at code.js:100000:1\\n'.repeat(2e4)}";
    const error = failure(await executor.run(code));
    assert.equal(error.kind, 'runtime');
    const frames = error.stack!.split('\n').filter((line) => line.includes('code.js:'));
    assert.ok(frames.length > 0, error.stack);
    assert.ok(frames.every((line) => line === '    at code.js:99999:1'), frames[0]);
    await nextRunSucceeds();
  });

  test('code longer than MAX_CODE_CHARS fails the run with a clear error instead of freezing the host (F7)', async () => {
    const script = 'const values: number[] = [];\n' + 'values.push(1);\n'.repeat(Math.ceil(3e6 / 16)) + 'return values.length';
    const error = failure(await executor.run(script));
    assert.equal(error.kind, 'syntax');
    assert.equal(error.message, `the code is ${script.length} characters long; a run accepts at most ${MAX_CODE_CHARS}`);
    assert.match(error.hint!, /^Send shorter code/);
    await nextRunSucceeds();
  });

  test('code of exactly MAX_CODE_CHARS still runs', async () => {
    const body = 'return 7';
    const result = await executor.run(body + ' '.repeat(MAX_CODE_CHARS - body.length - 3) + '//x');
    assert.ok(result.ok, JSON.stringify(result));
    assert.equal(result.value, 7);
  });

  test('a search query longer than MAX_QUERY_CHARS throws INVALID_OPTION at once (F7: a 3 MB query froze the host 9.5 s)', () => {
    assert.throws(
      () => executor.search('read file '.repeat(4e5)),
      (error) => error instanceof CodemodeError && error.code === 'INVALID_OPTION' && error.message === `expected \`query\` to be at most ${MAX_QUERY_CHARS} characters, got 4000000`,
    );
    assert.equal(executor.search('read file')[0]?.name, 'readFile');
  });
});
