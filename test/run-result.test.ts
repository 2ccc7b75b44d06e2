// The test helpers for run results say why a run went the other way than the test expected.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { Executor } from '../src/index.js';
import { errorOf, valueOf } from './run-result.js';

const executor = new Executor({ maxProcesses: 1 });
after(() => executor.close());

describe('run result assertions', () => {
  test('valueOf a failed run throws with the error kind, line, message, frame and hint', async () => {
    const result = await executor.run('const a = undefined;\nreturn a.x;');
    assert.throws(
      () => valueOf(result),
      (error: unknown) =>
        error instanceof assert.AssertionError &&
        error.message.startsWith('expected the run to complete, but it failed:\nError (runtime) at line 2: TypeError: Cannot read properties of undefined') &&
        /> 2 \| return a\.x;/.test(error.message) &&
        /\nHint: /.test(error.message),
    );
  });

  test('errorOf a completed run throws showing the value, and each returns what it is asked for', async () => {
    const completed = await executor.run('return { n: 1 }');
    assert.deepEqual(valueOf(completed), { n: 1 });
    assert.throws(() => errorOf(completed), { message: 'expected the run to fail, but it completed with {"n":1}' });
    assert.equal(errorOf(await executor.run('return (')).kind, 'syntax');
  });
});
